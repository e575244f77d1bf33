package inherit

import (
	"strings"
	"testing"

	"policysite/generator/content"
	"policysite/generator/markdown"
)

const baseDoc = `Intro.

## One {#one}

Body one.

## Two {#two}

Body two.

### Two A {#two-a}

Sub.

## Three {#three}

Body three.
`

func parse(t *testing.T, path, src string) *content.File {
	t.Helper()
	f, err := content.Parse(path, "x", "privacy.md", []byte(src), markdown.New(markdown.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// headings returns the merged document's outline as "id" words.
func headings(md *markdown.Markdown, body []byte) string {
	var ids []string
	for _, h := range md.Outline(body) {
		ids = append(ids, h.ID)
	}
	return strings.Join(ids, " ")
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name, over string
		want       string // outline of the result
		contains   []string
		wantErr    string
	}{
		{"replace", "---\nextends: true\n---\n## New one {#one}\n\nNew.\n", "one two two-a three", []string{"New.", "Body two."}, ""},
		{"replace keeps intro", "---\nextends: true\n---\n## X {#three}\nY\n", "one two two-a three", []string{"Intro."}, ""},
		{"replace intro", "---\nextends: true\n---\nNew intro.\n\n## X {#three}\nY\n", "one two two-a three", []string{"New intro."}, ""},
		{"insert after", "---\nextends: true\n---\n## US {#us after=\"two\"}\n\nUS.\n", "one two two-a us three", nil, ""},
		{"insert before", "---\nextends: true\n---\n## Zero {#zero before=\"one\"}\n\nZ.\n", "zero one two two-a three", []string{"Intro."}, ""},
		{"insert after last", "---\nextends: true\n---\n## End {#end after=\"three\"}\n", "one two two-a three end", nil, ""},
		{"replace and insert after it", "---\nextends: true\n---\n## Two! {#two}\n\nT.\n\n## US {#us after=\"two\"}\n\nU.\n", "one two us three", []string{"T.", "U."}, ""},
		{"remove", "---\nextends: true\nremove: [two-a, three]\n---\n", "one two", nil, ""},
		{"replace subsection", "---\nextends: true\n---\n### Two A! {#two-a}\n\nS.\n", "one two two-a three", []string{"S.", "Body two."}, ""},
		{"nested headings in an inserted section", "---\nextends: true\n---\n## New {#new after=\"one\"}\n\n### Sub {#new-sub}\n\nx\n", "one new new-sub two two-a three", nil, ""},
		{"unknown id", "---\nextends: true\n---\nIntro\n\n## X {#four}\n", "", nil, "o.md:6: section #four is not in the base"},
		{"unknown anchor", "---\nextends: true\n---\n## X {#x after=\"nine\"}\n", "", nil, "o.md:4: section #x is inserted after #nine"},
		{"insert existing", "---\nextends: true\n---\n## X {#two after=\"one\"}\n", "", nil, "already has #two"},
		{"remove unknown", "---\nextends: true\nremove: [nope]\n---\n", "", nil, "o.md:3: remove: the base"},
		{"overlap", "---\nextends: true\nremove: [two-a]\n---\n## T {#two}\n", "", nil, "falls inside a base section"},
	}
	md := markdown.New(markdown.Options{})
	base := parse(t, "b.md", baseDoc)
	baseDoc := &Doc{Meta: base.Meta, Body: base.Body, Chunks: []Chunk{{File: base}}, Files: []*content.File{base}, File: base}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over := parse(t, "o.md", tt.over)
			got, err := merge(baseDoc, base.Outline(), over)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("merge error = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h := headings(md, got.Body); h != tt.want {
				t.Errorf("outline = %q; want %q\n%s", h, tt.want, got.Body)
			}
			for _, c := range tt.contains {
				if !strings.Contains(string(got.Body), c) {
					t.Errorf("merged body lacks %q:\n%s", c, got.Body)
				}
			}
		})
	}
}

func TestPosition(t *testing.T) {
	base := parse(t, "b.md", baseDoc)
	bd := &Doc{Body: base.Body, Chunks: []Chunk{{File: base}}, Files: []*content.File{base}, File: base}
	over := parse(t, "o.md", "---\nextends: true\n---\n## US {#us after=\"two\"}\n\nUS text.\n")
	got, err := merge(bd, base.Outline(), over)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text, file string
		line       int
	}{
		{"Body one.", "b.md", 5},
		{"US text.", "o.md", 6},
		{"Body three.", "b.md", 17},
	} {
		off := strings.Index(string(got.Body), c.text)
		file, line := got.Position(off)
		if file != c.file || line != c.line {
			t.Errorf("Position(%q) = %s:%d; want %s:%d", c.text, file, line, c.file, c.line)
		}
	}
}
