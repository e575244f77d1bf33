// Package diag reports problems found in authored files (content, i18n,
// templates, site.toml) with the position a person needs to fix them.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A SourceError reports a problem at a line of an authored file.
// Line 0 means the whole file; Offset, when non-zero, is a byte offset
// and is reported instead of a line.
type SourceError struct {
	File   string
	Line   int
	Offset int
	Err    error
	// Locales, optional, lists the locales whose pages show the problem
	// when one source line reaches several locales through inheritance.
	// List.Err merges errors that differ only in their locales.
	Locales []string
}

func (e *SourceError) Error() string {
	in := ""
	if len(e.Locales) > 0 {
		in = " (in " + strings.Join(e.Locales, ", ") + ")"
	}
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v%s", e.File, e.Line, e.Err, in)
	case e.Offset > 0:
		return fmt.Sprintf("%s: byte %d: %v%s", e.File, e.Offset, e.Err, in)
	default:
		return fmt.Sprintf("%s: %v%s", e.File, e.Err, in)
	}
}

func (e *SourceError) Unwrap() error { return e.Err }

// message returns what e says without its position and locales.
func (e *SourceError) message() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

// Errorf returns a *SourceError for file at line.
func Errorf(file string, line int, format string, args ...any) error {
	return &SourceError{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}

// A List collects errors so one run can report all of them.
// The zero value is an empty list ready to use; it is not safe for
// concurrent use.
type List []error

// Add appends err to the list unless it is nil. Joined errors are
// flattened so that sorting sees each problem separately.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.Add(e)
		}
		return
	}
	*l = append(*l, err)
}

// Err returns the collected errors sorted by file and line and without
// duplicates, joined with errors.Join, or nil if there are none. Source
// errors at one position with one message, reported once per locale
// that inherits the line, become one error listing every locale.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	errs := slices.Clone([]error(l))
	slices.SortStableFunc(errs, compare)
	out := errs[:0]
	for _, e := range errs {
		if n := len(out); n > 0 {
			if merged, ok := merge(out[n-1], e); ok {
				out[n-1] = merged
				continue
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// merge returns the one error that reports both a and b, which compare
// sorted next to each other, if there is one: a itself when they say
// the same, or a source error listing the locales of both.
func merge(a, b error) (error, bool) {
	if a.Error() == b.Error() {
		return a, true
	}
	sa, okA := a.(*SourceError)
	sb, okB := b.(*SourceError)
	if !okA || !okB || sa.File != sb.File || sa.Line != sb.Line || sa.Offset != sb.Offset ||
		len(sa.Locales) == 0 || len(sb.Locales) == 0 || sa.message() != sb.message() {
		return nil, false
	}
	m := *sa
	m.Locales = append(slices.Clone(sa.Locales), sb.Locales...)
	slices.Sort(m.Locales)
	m.Locales = slices.Compact(m.Locales)
	return &m, true
}

// Len reports how many errors were collected.
func (l List) Len() int { return len(l) }

func compare(a, b error) int {
	var sa, sb *SourceError
	okA, okB := errors.As(a, &sa), errors.As(b, &sb)
	switch {
	case okA && okB:
		// The message before the locales, so that the errors merge
		// sorts next to each other.
		return cmp.Or(cmp.Compare(sa.File, sb.File), cmp.Compare(sa.Line, sb.Line),
			cmp.Compare(sa.Offset, sb.Offset), cmp.Compare(sa.message(), sb.message()),
			cmp.Compare(a.Error(), b.Error()))
	case okA:
		return 1
	case okB:
		return -1
	}
	return cmp.Compare(a.Error(), b.Error())
}

// Errors returns the individual errors inside err, flattening joins.
func Errors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Errors(e)...)
		}
		return out
	}
	return []error{err}
}
