// Package diag reports problems found in authored files (content, i18n,
// templates, site.toml) with the position a person needs to fix them.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// A SourceError reports a problem at a line of an authored file.
// Line 0 means the whole file; Offset, when non-zero, is a byte offset
// and is reported instead of a line.
type SourceError struct {
	File   string
	Line   int
	Offset int
	Err    error
}

func (e *SourceError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Offset > 0:
		return fmt.Sprintf("%s: byte %d: %v", e.File, e.Offset, e.Err)
	default:
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
}

func (e *SourceError) Unwrap() error { return e.Err }

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
// duplicates, joined with errors.Join, or nil if there are none.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	errs := slices.Clone([]error(l))
	slices.SortStableFunc(errs, compare)
	errs = slices.CompactFunc(errs, func(a, b error) bool { return a.Error() == b.Error() })
	return errors.Join(errs...)
}

// Len reports how many errors were collected.
func (l List) Len() int { return len(l) }

func compare(a, b error) int {
	var sa, sb *SourceError
	okA, okB := errors.As(a, &sa), errors.As(b, &sb)
	switch {
	case okA && okB:
		return cmp.Or(cmp.Compare(sa.File, sb.File), cmp.Compare(sa.Line, sb.Line),
			cmp.Compare(sa.Offset, sb.Offset), cmp.Compare(a.Error(), b.Error()))
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
