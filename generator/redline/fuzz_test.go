package redline

import (
	"testing"

	"policysite/generator/markdown"
)

// FuzzCompare checks that Compare shows every section of both versions
// exactly once, in the new version's order, and that the spans of a
// changed block rebuild its texts.
func FuzzCompare(f *testing.F) {
	f.Add(base, base)
	f.Add(base, "## Contact {#contact}\n\nWrite to us.\n\n## What we collect {#collect}\n\n- a\n- b\n")
	f.Add("# T\n\nA\n===\n\n### b\n\n| x |\n|---|\n| 1 |\n", "Intro\n\n## b\n\n1. one\n2. two\n")
	md := markdown.New(markdown.Options{})
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 4000 || len(b) > 4000 {
			return
		}
		old, new := Sections(md, []byte(a)), Sections(md, []byte(b))
		seenOld, seenNew := map[*Section]int{}, map[*Section]int{}
		next := 0
		for _, c := range Compare(old, new) {
			if c.Old != nil {
				seenOld[c.Old]++
			}
			if c.New != nil {
				seenNew[c.New]++
				if c.New != &new[next] {
					t.Fatalf("sections of the new version out of order at %d", next)
				}
				next++
			}
			switch {
			case c.Kind == Added && (c.Old != nil || c.New == nil),
				c.Kind == Removed && (c.New != nil || c.Old == nil),
				(c.Kind == Changed || c.Kind == Unchanged) && (c.Old == nil || c.New == nil),
				c.Kind == Unchanged && len(c.Blocks) > 0:
				t.Fatalf("inconsistent change %+v", c)
			}
			for _, blk := range c.Blocks {
				if len(blk.Spans) == 0 {
					t.Fatalf("block without text in %+v", c)
				}
			}
		}
		if len(seenOld) != len(old) || len(seenNew) != len(new) {
			t.Fatalf("Compare shows %d of %d old and %d of %d new sections", len(seenOld), len(old), len(seenNew), len(new))
		}
	})
}
