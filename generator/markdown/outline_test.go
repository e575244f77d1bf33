package markdown

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOutlineMatchesRender checks, on every page of the example site,
// that the block-only outline finds the same heading IDs as a full render.
func TestOutlineMatchesRender(t *testing.T) {
	files, _ := filepath.Glob("../../content/*/*.md")
	if len(files) == 0 {
		t.Skip("example content not found")
	}
	md := New(Options{})
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if i := strings.Index(string(src[3:]), "\n---\n"); strings.HasPrefix(string(src), "---\n") && i >= 0 {
			src = src[i+8:]
		}
		no := false
		res, err := md.Render(src, RenderOptions{Number: &no})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range md.Outline(src) {
			if h.Level > 1 {
				got = append(got, h.ID)
			}
		}
		if !slices.Equal(got, res.IDs) {
			t.Errorf("%s: Outline IDs %v; Render IDs %v", f, got, res.IDs)
		}
	}
}

// outlineCases are documents whose headings are easy to get wrong: text
// that goldmark splits at spaces, markup, escapes, line breaks inside
// setext headings, and headings inside other blocks or hidden by them.
var outlineCases = []string{
	"# Title\n\nIntro *text*.\n\n## One {#one}\n\nBody.\n",
	"## Spaces   inside\t and trailing   \n### Tabs\tand  more\t\t\n",
	"## **Bold** and `code  span` and [link](x.md) {#b}\n",
	"## Escaped \\# hash \\* and \\\\ back\\ slash\n",
	"## Entities &amp; &#35; &copy;\n",
	"## Closing hashes ##\n## Empty\n##\n#\n## {#only-id}\n",
	"Setext one\nwith two lines\n===\n\nSetext  two  \nhard break\n---\n\nBackslash\\\nbreak\n---\n",
	"Para [ref]\n\n[ref]: /url\n===\n\n[a]: /b\n---\n",
	"- item\n\n  ## In a list {#in-list}\n\n> ## In a quote\n> text\n",
	"```\n## not a heading\n```\n\n    ## indented code\n\n<div>\n## html\n</div>\n",
	"## Inserted {#new after=\"one\"}\n## Before {#b2 before=\"new\"}\n## Odd {#x .cls lang=de}\n",
	"## Données personnelles\n## 個人情報 の 取り扱い\n## ข้อมูล ส่วน บุคคล\n## Данные  пользователя\n",
	"## Same\n## Same\n## Same {#same-1}\n",
	"**bold line without spaces**\n[x](y)\n\"quoted\"\n\n## After punctuation-led lines\n",
	"  ## indented heading  \n\t## tab\n",
	"Text\n  ## not lazy\n",
	"## trailing backslash \\\n",
	"## Attr list {: #al .c }\n## After\n{: #after }\n\nPara\n{: #p }\n",
	"!!! note \"T\"\n    ## In admonition\n\n:::tip\n## In tip\n:::\n",
	"   \n",
	"",
}

// plainOutline is Outline with goldmark's own inline pass instead of
// skipText: the reference Outline must match.
func plainOutline(src []byte) []Heading {
	m := &Markdown{outline: newOutlineParser(Options{}), limits: DefaultLimits}
	return m.Outline(src)
}

func TestOutlineSkipsOnlyNonHeadings(t *testing.T) {
	md := New(Options{})
	docs := slices.Clone(outlineCases)
	files, _ := filepath.Glob("../../content/*/*.md")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(src))
	}
	for _, doc := range docs {
		got, want := md.Outline([]byte(doc)), plainOutline([]byte(doc))
		if !slices.Equal(got, want) {
			t.Errorf("Outline(%.60q) =\n%+v\nwant\n%+v", doc, got, want)
		}
	}
}

func FuzzOutline(f *testing.F) {
	for _, c := range outlineCases {
		f.Add(c)
	}
	md := New(Options{})
	f.Fuzz(func(t *testing.T, doc string) {
		got, want := md.Outline([]byte(doc)), plainOutline([]byte(doc))
		if !slices.Equal(got, want) {
			t.Errorf("Outline(%q) =\n%+v\nwant\n%+v", doc, got, want)
		}
	})
}
