package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A Warning is a problem in an authored file that does not fail a build
// unless the build is strict: content that is different from what
// policysite expects (another tool's front-matter key, a dialect's
// syntax) rather than content that would publish something wrong.
type Warning struct {
	// Kind groups warnings in the summary and names the problem in the
	// user's terms, e.g. "unknown front-matter key sidebar_position".
	Kind string
	// File and Line locate the problem; Line 0 means the whole file.
	File string
	Line int
	// Detail, optional, says more about this occurrence.
	Detail string
	// Locales lists the locales whose pages show the problem when one
	// source line reaches several locales through inheritance; the
	// summary reports the line once with all of them.
	Locales []string
	// Hint, optional, says what policysite does about it or what to do
	// ("ignored", "shown as text"); the summary prints the first one
	// given for a kind.
	Hint string
}

func (w Warning) position() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	return w.File
}

// String formats one occurrence as "file:line: kind: detail (locales …)".
func (w Warning) String() string {
	var b strings.Builder
	if w.File != "" {
		b.WriteString(w.position())
		b.WriteString(": ")
	}
	b.WriteString(w.Kind)
	if w.Detail != "" {
		b.WriteString(": ")
		b.WriteString(w.Detail)
	}
	if len(w.Locales) > 0 {
		fmt.Fprintf(&b, " (in %s)", strings.Join(w.Locales, ", "))
	}
	if w.Hint != "" {
		b.WriteString("; ")
		b.WriteString(w.Hint)
	}
	return b.String()
}

// Warnings collects warnings from every stage of a build. The zero
// value is empty and ready to use; it is safe for concurrent use.
type Warnings struct {
	mu   sync.Mutex
	list []Warning
}

// Add records w.
func (ws *Warnings) Add(w Warning) {
	ws.mu.Lock()
	ws.list = append(ws.list, w)
	ws.mu.Unlock()
}

// Addf records a warning of kind at file:line with a formatted detail.
func (ws *Warnings) Addf(kind, file string, line int, format string, args ...any) {
	ws.Add(Warning{Kind: kind, File: file, Line: line, Detail: fmt.Sprintf(format, args...)})
}

// Clone returns a collector holding the warnings of ws, to which more
// can be added without changing ws.
func (ws *Warnings) Clone() *Warnings {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return &Warnings{list: slices.Clone(ws.list)}
}

// Len reports how many distinct warnings were collected.
func (ws *Warnings) Len() int { return len(ws.All()) }

// All returns the warnings sorted by file, line and kind, one per
// source position, kind and detail: occurrences reported once per
// inheriting locale are merged, their locales listed together.
func (ws *Warnings) All() []Warning {
	if ws == nil {
		return nil
	}
	ws.mu.Lock()
	list := slices.Clone(ws.list)
	ws.mu.Unlock()
	slices.SortStableFunc(list, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Detail, b.Detail))
	})
	var out []Warning
	for _, w := range list {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.File == w.File && last.Line == w.Line && last.Kind == w.Kind && last.Detail == w.Detail {
				last.Locales = append(last.Locales, w.Locales...)
				continue
			}
		}
		w.Locales = slices.Clone(w.Locales)
		out = append(out, w)
	}
	for i := range out {
		slices.Sort(out[i].Locales)
		out[i].Locales = slices.Compact(out[i].Locales)
	}
	return out
}

// Summary returns one line per kind, sorted by kind: a kind seen once
// is printed whole; a kind seen more often is printed with its counts
// and up to examples positions, e.g.
// "unknown front-matter key sidebar_position in 1,172 files (e.g. docs/intro.md:3), ignored".
func (ws *Warnings) Summary(examples int) []string {
	all := ws.All()
	byKind := map[string][]Warning{}
	var kinds []string
	for _, w := range all {
		if _, ok := byKind[w.Kind]; !ok {
			kinds = append(kinds, w.Kind)
		}
		byKind[w.Kind] = append(byKind[w.Kind], w)
	}
	slices.Sort(kinds)
	var lines []string
	for _, k := range kinds {
		ws := byKind[k]
		if len(ws) == 1 {
			lines = append(lines, ws[0].String())
			continue
		}
		files := map[string]bool{}
		hint := ""
		for _, w := range ws {
			files[w.File] = true
			if hint == "" {
				hint = w.Hint
			}
		}
		var b strings.Builder
		b.WriteString(k)
		if len(files) == len(ws) {
			fmt.Fprintf(&b, " in %s files", Count(len(files)))
		} else {
			fmt.Fprintf(&b, " in %s places in %s", Count(len(ws)), Plural(len(files), "file", "files"))
		}
		var eg []string
		for _, w := range ws[:min(examples, len(ws))] {
			eg = append(eg, w.position())
		}
		if len(eg) > 0 {
			fmt.Fprintf(&b, " (e.g. %s)", strings.Join(eg, ", "))
		}
		if hint != "" {
			b.WriteString(", ")
			b.WriteString(hint)
		}
		lines = append(lines, b.String())
	}
	return lines
}

// Err returns every warning as a *SourceError, for a strict build, or
// nil when there are none.
func (ws *Warnings) Err() error {
	var l List
	for _, w := range ws.All() {
		msg := w.String()
		if w.File == "" {
			// A warning about no one file (missing UI strings) has no
			// position to print.
			l.Add(fmt.Errorf("%s (an error because of --strict)", msg))
			continue
		}
		msg = strings.TrimPrefix(msg, w.position()+": ")
		l.Add(&SourceError{File: w.File, Line: w.Line, Err: fmt.Errorf("%s (an error because of --strict)", msg)})
	}
	return l.Err()
}

// Count formats n with a comma between groups of three digits, as the
// command line prints counts ("1,172").
func Count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Plural returns "1 warning" or "3 warnings": n formatted with Count
// and the singular or plural noun.
func Plural(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return Count(n) + " " + plural
}
