package redline

import (
	"fmt"
	"strings"
	"testing"

	"policysite/generator/markdown"
)

// summary writes changes as "kind id[: block kinds]" lines.
func summary(cs []Change) string {
	var lines []string
	for _, c := range cs {
		id := ""
		if c.New != nil {
			id = c.New.ID
		} else if c.Old != nil {
			id = c.Old.ID
		}
		line := c.Kind + " " + id
		var bs []string
		for _, b := range c.Blocks {
			if b.Kind != "unchanged" {
				bs = append(bs, b.Kind+"("+b.Spans[0].Text+")")
			}
		}
		if len(bs) > 0 {
			line += ": " + strings.Join(bs, " ")
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func TestCompare(t *testing.T) {
	const doc = "Intro.\n\n## One {#one}\n\nA.\n\n- x\n- y\n\n## Two {#two}\n\nB.\n"
	tests := []struct {
		name, old, new, want string
	}{
		{"same", doc, doc, "unchanged \nunchanged one\nunchanged two"},
		{"spacing only", doc, strings.Replace(doc, "A.", "A.  ", 1), "unchanged \nunchanged one\nunchanged two"},
		{"added section", doc, doc + "\n## Three {#three}\n\nC.\n", "unchanged \nunchanged one\nunchanged two\nadded three: added(C.)"},
		{"removed section", doc, strings.Replace(doc, "## Two {#two}\n\nB.\n", "", 1), "unchanged \nunchanged one\nremoved two: removed(B.)"},
		{"changed list item", doc, strings.Replace(doc, "- y", "- z", 1), "unchanged \nchanged one: removed(- y) added(- z)\nunchanged two"},
		{"changed table row", "## T {#t}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "## T {#t}\n\n| a | b |\n|---|---|\n| 1 | 3 |\n", "changed t: removed(| 1 | 2 |) added(| 1 | 3 |)"},
		{"renamed heading", doc, strings.Replace(doc, "## Two {#two}", "## Second {#two}", 1), "unchanged \nunchanged one\nchanged two"},
	}
	md := markdown.New(markdown.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(Compare(Sections(md, []byte(tc.old)), Sections(md, []byte(tc.new))))
			if got != tc.want {
				t.Errorf("Compare =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestSections(t *testing.T) {
	md := markdown.New(markdown.Options{})
	secs := Sections(md, []byte("Intro.\n\n## One {#one}\n\nA.\n\nSetext\n------\n\nB.\n"))
	var got []string
	for _, s := range secs {
		got = append(got, fmt.Sprintf("%s|%s|%d|%q", s.ID, s.Heading, s.Level, s.Text))
	}
	want := []string{`||0|"Intro.\n\n"`, `one|One|2|"\nA.\n\n"`, `setext|Setext|2|"\nB.\n"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Sections =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
