package markdown

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// pathological returns the hostile documents of issue 20 at the sizes
// it measured, and documents just inside each limit. want is a phrase
// of the limit error, or "" for a document that must render.
func pathological() []struct{ name, src, want string } {
	var b strings.Builder
	build := func(f func()) string { b.Reset(); f(); return b.String() }
	return []struct{ name, src, want string }{
		{"table 20,000 columns x 3,000 rows", build(func() {
			b.WriteString(strings.Repeat("|a", 20000) + "\n" + strings.Repeat("|-", 20000) + "\n" + strings.Repeat("|\n", 3000))
		}), "20,000 columns"},
		{"table 900 columns x 3,000 rows", build(func() {
			b.WriteString(strings.Repeat("|a", 900) + "\n" + strings.Repeat("|-", 900) + "\n" + strings.Repeat("|\n", 3000))
		}), "cells"},
		{"table 100 columns x 900 rows", build(func() {
			b.WriteString(strings.Repeat("|a", 100) + "\n" + strings.Repeat("|-", 100) + "\n" + strings.Repeat("|x\n", 900))
		}), ""},
		{"100 KB reference used 50,000 times", "[r]: /" + strings.Repeat("a", 100_000) + "\n\n" + strings.Repeat("[r] ", 50_000), "link references"},
		{"1 KB reference used 5,000 times", "[r]: /" + strings.Repeat("a", 1000) + "\n\n" + strings.Repeat("[r] ", 5000), ""},
		{"list 2,800 levels by indentation", build(func() {
			for i := range 2800 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
		}), "levels"},
		{"list 2,800 levels on one line", strings.Repeat("- ", 2800) + "x\n", "levels"},
		{"quote 2,800 levels", strings.Repeat(">", 2800) + " x\n", "levels"},
		{"list 90 levels", build(func() {
			for i := range 90 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
		}), ""},
		{"50,000 footnotes", build(func() {
			for i := range 50_000 {
				fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: n\n\n", i, i)
			}
		}), "footnote"},
		{"2,000 footnotes", build(func() {
			for i := range 2000 {
				fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: n\n\n", i, i)
			}
		}), ""},
		{"[a]( x 100,000", strings.Repeat("[a](", 100_000), "unclosed links"},
		{"[a]( x 100,000 then )", strings.Repeat("[a](", 100_000) + ")", "unclosed links"},
		{"[a](b) x 50,000", strings.Repeat("[a](b) ", 50_000), ""},
		{"20,000 headings ## Same", strings.Repeat("## Same\n\n", 20_000), "headings"},
		{"9,000 headings ## Same", strings.Repeat("## Same\n\n", 9000), ""},
		{"{{< x 100,000", strings.Repeat("{{< ", 100_000), ""},
		// Admonitions nest 8 deep; deeper opening lines are code.
		{"!!! note 90 levels", build(func() {
			for i := range 90 {
				b.WriteString(strings.Repeat("    ", i) + "!!! note\n")
			}
		}), ""},
		{":::note x 20,000 unclosed", strings.Repeat(":::note\n", 20_000), ""},
		{"<b> x 100,000", strings.Repeat("<b>", 100_000), ""},
		{"<b id=N> x 20,000", build(func() {
			for i := range 20_000 {
				fmt.Fprintf(&b, "<b id=%d>", i)
			}
		}), "raw HTML"},
		{"<b id=N> x 4,000", build(func() {
			for i := range 4000 {
				fmt.Fprintf(&b, "<b id=%d>", i)
			}
		}), ""},
		{"[ x 100,000 then ] x 100,000", strings.Repeat("[", 100_000) + "a" + strings.Repeat("]", 100_000), "nested"},
		{"[[[a]]] x 10,000", strings.Repeat("[[[a]]] ", 10_000), ""},
		{"20,000 link definitions and uses", build(func() {
			for i := range 20_000 {
				fmt.Fprintf(&b, "[r%d]: /u\n", i)
			}
			for i := range 20_000 {
				fmt.Fprintf(&b, "[r%d] ", i)
			}
		}), "link reference definitions"},
		{"4,000 link definitions and uses", build(func() {
			for i := range 4000 {
				fmt.Fprintf(&b, "[r%d]: /u\n", i)
			}
			for i := range 4000 {
				fmt.Fprintf(&b, "[r%d] ", i)
			}
		}), ""},
		{"*a **a x 30,000 nested", strings.Repeat("*a **a ", 30_000) + "b" + strings.Repeat(" a** a*", 30_000), ""},
		{"{: x 100,000", strings.Repeat("## h {: #a {: ", 10_000), ""},
	}
}

// TestLimits renders each pathological document: one over a limit is
// refused with a LimitError naming the limit at the line where it was
// passed, and Outline returns nothing for it; one inside renders. The
// memory a render allocates is bounded generously; times are left to
// BenchmarkPathological.
func TestLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 20 MB of hostile Markdown")
	}
	md := New(Options{})
	for _, c := range pathological() {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res, err := md.Render([]byte(c.src), RenderOptions{})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if alloc, bound := after.TotalAlloc-before.TotalAlloc, uint64(64*len(c.src)+256<<20); alloc > bound {
				t.Errorf("rendering %d bytes allocated %d MB; want at most %d MB", len(c.src), alloc>>20, bound>>20)
			}
			var le *LimitError
			for _, p := range res.Problems {
				if errors.As(p.Err, &le) {
					break
				}
			}
			if c.want == "" {
				if le != nil {
					t.Fatalf("Render refused it: %v", le)
				}
				return
			}
			if le == nil {
				t.Fatalf("Render accepted it; want a limit error about %q", c.want)
			}
			if !strings.Contains(le.Error(), c.want) || le.Offset < 0 || le.Offset > len(c.src) {
				t.Errorf("limit error %q at %d; want one about %q inside the source", le, le.Offset, c.want)
			}
			if md.Check([]byte(c.src)) != nil && md.Outline([]byte(c.src)) != nil {
				t.Errorf("Outline of a document over a limit is not nil")
			}
		})
	}
}

// BenchmarkPathological times each pathological document: each must
// take well under 2 s (issue 20), refused or rendered.
func BenchmarkPathological(b *testing.B) {
	md := New(Options{})
	for _, c := range pathological() {
		b.Run(c.name, func(b *testing.B) {
			src := []byte(c.src)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := md.Render(src, RenderOptions{}); err != nil {
					b.Fatal(err)
				}
				md.Outline(src)
			}
		})
	}
}

// FuzzRender renders anything in both modes: nothing panics, a
// sanitized page holds nothing executable, and a document is refused
// only with a LimitError.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, a := range ar.Files {
			if a.Name == "in.md" {
				f.Add(string(a.Data))
			}
		}
	}
	for _, c := range owaspCases {
		f.Add(c.html)
	}
	if src, err := os.ReadFile("../../content/en/privacy.md"); err == nil {
		f.Add(string(src))
	}
	safe, unsafe := New(Options{}), New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, doc string) {
		res, err := safe.Render([]byte(doc), RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if bad := executable(string(res.HTML)); bad != "" {
			t.Errorf("Render(%q) = %q: has %s", doc, res.HTML, bad)
		}
		for _, w := range res.Warnings {
			if w.Offset < 0 || w.Offset > len(doc) {
				t.Errorf("warning %+v outside the source", w)
			}
		}
		if _, err := unsafe.Render([]byte(doc), RenderOptions{}); err != nil {
			t.Fatal(err)
		}
		safe.Outline([]byte(doc))
	})
}

// TestLimitLines checks each limit error points at the line to fix.
func TestLimitLines(t *testing.T) {
	md := New(Options{Limits: Limits{TableColumns: 3, TableCells: 8, Nesting: 3, Footnotes: 1, Headings: 2}})
	for _, c := range []struct {
		src  string
		line int
		want string
	}{
		{"Intro.\n\n|a|b|c|d|\n|-|-|-|-|\n", 3, "4 columns"},
		{"|a|b|\n|-|-|\n|1|2|\n|1|2|\n|1|2|\n|1|2|\n", 1, "cells"},
		{"- a\n  - b\n    - c\n      - d\n", 4, "levels"},
		{"```\n      - - - - - deep in code\n```\n- ok\n", 0, ""},
		{"Drawing:\n\n" + strings.Repeat(" ", 400) + "*\n", 0, ""},
		{"x[^1][^2]\n\n[^1]: a\n[^2]: b\n", 4, "footnotes"},
		{"# a\n## b\n\nText\n### c\n", 5, "headings"},
	} {
		err := md.Check([]byte(c.src))
		if c.want == "" {
			if err != nil {
				t.Errorf("Check(%q) = %v; want nil", c.src, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Check(%q) = nil; want an error about %q", c.src, c.want)
			continue
		}
		if line := 1 + strings.Count(c.src[:err.Offset], "\n"); line != c.line || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%q) = line %d: %v; want line %d, about %q", c.src, line, err, c.line, c.want)
		}
	}
}
