package redline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"policysite/generator/markdown"
)

func TestSections(t *testing.T) {
	md := markdown.New(markdown.Options{})
	for _, tc := range []struct {
		name, body string
		want       []Section
	}{
		{"intro and headings", "Intro.\n\n## One {#one}\n\nText one.\n\n### Sub\n\nText sub.\n", []Section{
			{ID: IntroID, Text: "Intro.\n\n"},
			{ID: "one", Heading: "One", Level: 2, Text: "\nText one.\n\n"},
			{ID: "sub", Heading: "Sub", Level: 3, Text: "\nText sub.\n"},
		}},
		{"no intro", "## One\n\nText.\n", []Section{{ID: "one", Heading: "One", Level: 2, Text: "\nText.\n"}}},
		{"title belongs to the intro", "# Privacy\n\n## One\n\nText.\n", []Section{
			{ID: IntroID, Text: "# Privacy\n\n"},
			{ID: "one", Heading: "One", Level: 2, Text: "\nText.\n"},
		}},
		{"setext", "One\n---\nText.\n\nTwo\n---\n", []Section{
			{ID: "one", Heading: "One", Level: 2, Text: "Text.\n\n"},
			{ID: "two", Heading: "Two", Level: 2, Text: ""},
		}},
		{"empty", "", nil},
	} {
		got := Sections(md, []byte(tc.body))
		for i := range got {
			got[i].blocks, got[i].hasBlocks = nil, false
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Sections(%q) =\n%+v; want\n%+v", tc.name, tc.body, got, tc.want)
		}
	}
}

// TestSectionsBlocks checks that each section has the blocks of its own
// text, a reference link resolved with the whole document.
func TestSectionsBlocks(t *testing.T) {
	md := markdown.New(markdown.Options{})
	secs := Sections(md, []byte("# Title\n\nIntro.\n\n## One\n\nSee [the policy][p].[^n]\n\n[^n]: A note.\n\n## Two\n\n- item\n\n[p]: https://example.com/p\n"))
	var got [][]string
	for _, s := range secs {
		var texts []string
		for _, b := range s.blocks {
			texts = append(texts, b.Kind+": "+b.Text)
		}
		got = append(got, texts)
	}
	want := [][]string{{"heading: Title", "paragraph: Intro."}, {"paragraph: See the policy.", "paragraph: A note."}, {"item: item"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks = %q; want %q", got, want)
	}
}

// TestCompareHandMade checks sections not made by Sections: Compare
// reads their Markdown.
func TestCompareHandMade(t *testing.T) {
	old := []Section{{ID: "a", Heading: "A", Level: 2, Text: "Old **text**.\n"}}
	new := []Section{{ID: "a", Heading: "A", Level: 2, Text: "New **text**.\n"}}
	got := format(Compare(old, new))
	want := "changed #a \"A\"\n  ~ paragraph: [-Old-]{+New+} text.\n"
	if got != want {
		t.Errorf("Compare = %q; want %q", got, want)
	}
}

func TestCompareFirstVersion(t *testing.T) {
	md := markdown.New(markdown.Options{})
	got := format(Compare(nil, Sections(md, []byte("## A\n\nText.\n"))))
	if want := "added #a \"A\"\n  + paragraph: Text.\n"; got != want {
		t.Errorf("Compare(nil, …) = %q; want %q", got, want)
	}
	if got := Compare(nil, nil); len(got) != 0 {
		t.Errorf("Compare(nil, nil) = %v; want none", got)
	}
}

// TestSectionsOutline checks, on every page of the example site, that
// Sections finds the headings, IDs and levels md.Outline finds (which
// are those Render gives the page).
func TestSectionsOutline(t *testing.T) {
	md := markdown.New(markdown.Options{})
	files, _ := filepath.Glob("../../content/*/*.md")
	if len(files) < 90 {
		t.Fatalf("found %d pages of the example", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		body := stripFrontMatter(src)
		var want, got []string
		for i, h := range md.Outline(body) {
			if i == 0 && h.Level == 1 && len(bytes.TrimSpace(body[:h.Offset])) == 0 {
				continue
			}
			want = append(want, fmt.Sprintf("%d %s %s", h.Level, h.ID, h.Text))
		}
		for _, s := range Sections(md, body) {
			if s.ID != IntroID {
				got = append(got, fmt.Sprintf("%d %s %s", s.Level, s.ID, s.Heading))
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Sections headings\n%q\nOutline\n%q", f, got, want)
		}
	}
}
