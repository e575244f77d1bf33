package redline

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"policysite/generator/markdown"
)

// page returns a policy of n sections in the shape of the example's:
// a paragraph, a list and a table in each, with the edits of a typical
// new version when edited is set (a word changed in every fifth
// section, a list item added in every seventh, one section added, one
// removed and one moved).
func page(n int, edited bool) string {
	var b strings.Builder
	b.WriteString("Example Group respects your privacy. This policy explains how we collect, use and protect personal data.\n\n")
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if edited {
		order[3], order[n-4] = order[n-4], order[3]
	}
	for _, i := range order {
		if edited && i == n/2 {
			continue
		}
		days := 180
		if edited && i%5 == 0 {
			days = 90
		}
		fmt.Fprintf(&b, "## Section %d about personal data {#s%d}\n\n", i, i)
		fmt.Fprintf(&b, "We keep the records of section %d for %d days, unless the law requires us to keep them longer, and then delete or anonymize them so that they can no longer be linked to you.\n\n", i, days)
		for k := range 5 {
			fmt.Fprintf(&b, "- item %d of section %d: contact details, such as your name and e-mail address;\n", k, i)
		}
		if edited && i%7 == 0 {
			b.WriteString("- your marketing preferences.\n")
		}
		b.WriteString("\n| Data category | Retention period |\n|---|---|\n")
		fmt.Fprintf(&b, "| Server logs %d | Up to %d days |\n| Account data | While your account is active |\n\n", i, days)
		if edited && i == n/3 {
			b.WriteString("## A new section {#new}\n\nWe now also describe how we use location data.\n\n")
		}
	}
	return b.String()
}

func BenchmarkCompare(b *testing.B) {
	md := markdown.New(markdown.Options{})
	old, new := Sections(md, []byte(page(50, false))), Sections(md, []byte(page(50, true)))
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new)
	}
}

func BenchmarkSections(b *testing.B) {
	md := markdown.New(markdown.Options{})
	src := []byte(page(50, true))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Sections(md, src)
	}
}

// TestBenchPage checks that the benchmark compares what it says.
func TestBenchPage(t *testing.T) {
	md := markdown.New(markdown.Options{})
	counts := map[string]int{}
	moved := 0
	for _, c := range Compare(Sections(md, []byte(page(50, false))), Sections(md, []byte(page(50, true)))) {
		counts[c.Kind]++
		if c.Moved {
			moved++
		}
	}
	if counts[Added] != 1 || counts[Removed] != 1 || moved != 2 || counts[Changed] < 12 || counts[Unchanged] < 30 {
		t.Errorf("Compare of the benchmark's pages: %v, %d moved", counts, moved)
	}
}

// BenchmarkCompareFiles compares two versions of a page of your own:
// POLICYSITE_REDLINE_FILES=old.md,new.md (Markdown bodies, front matter
// and all; Sections reads what follows it).
func BenchmarkCompareFiles(b *testing.B) {
	names := strings.Split(os.Getenv("POLICYSITE_REDLINE_FILES"), ",")
	if len(names) != 2 {
		b.Skip("set POLICYSITE_REDLINE_FILES=old.md,new.md")
	}
	md := markdown.New(markdown.Options{})
	var secs [2][]Section
	for k, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		secs[k] = Sections(md, stripFrontMatter(src))
	}
	b.ReportAllocs()
	for b.Loop() {
		Compare(secs[0], secs[1])
	}
}

// stripFrontMatter returns src without a leading YAML front matter.
func stripFrontMatter(src []byte) []byte {
	if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			return rest[i+5:]
		}
	}
	return src
}
