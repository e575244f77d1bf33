package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func TestTextBlocks(t *testing.T) {
	m := New(Options{})
	for _, tc := range []struct {
		name, src string
		want      []string // kind level number: text
	}{
		{"inline syntax", "We **never** sell [your data](https://example.com/x) or `ids`.\nSee <https://example.com>.\n",
			[]string{"paragraph 0 0: We never sell your data or ids. See https://example.com."}},
		{"headings", "# Title\n\n## Cookies {#cookies}\n\nText.\n",
			[]string{"heading 1 0: Title", "heading 2 0: Cookies", "paragraph 0 0: Text."}},
		{"lists", "- one\n- two\n  - nested *a*\n\n3. three\n4. four\n",
			[]string{"item 1 0: one", "item 1 0: two", "item 2 0: nested a", "item 1 3: three", "item 1 4: four"}},
		{"loose item", "- first paragraph\n\n  second paragraph\n\n- next\n",
			[]string{"item 1 0: first paragraph second paragraph", "item 1 0: next"}},
		{"table", "| Name | Purpose |\n|---|:--|\n| ps_consent | Remembers **your** choice |\n|  | empty first |\n",
			[]string{"row header 0 0: Name | Purpose", "row 0 0: ps_consent | Remembers your choice", "row 0 0:  | empty first"}},
		{"quote", "> Quoted\n> text.\n>\n> - item\n", []string{"paragraph 0 0: Quoted text.", "item 1 0: item"}},
		{"admonition", "!!! note \"Keep in mind\"\n    A note.\n", []string{"paragraph 0 0: Keep in mind", "paragraph 0 0: A note."}},
		{"code", "```\nkeep  spaces\n```\n", []string{"code 0 0: keep  spaces"}},
		{"html", "<div class=\"x\"><p>Raw <b>text</b></p></div>\n\n<!-- a comment -->\n", []string{"paragraph 0 0: Raw text"}},
		{"html table", "<table>\n<tr><th>Use</th><th>Basis</th></tr>\n<tr><td><a id=\"x\"></a>Browser &amp; sync</td><td><p>Contract</p><p>Consent</p></td></tr>\n</table>\n",
			[]string{"row header 0 0: Use | Basis", "row 0 0: Browser & sync | Contract Consent"}},
		{"html paragraphs", "<div>\n<p>One<br>two</p>\n<script>var x = \"<p>no</p>\";</script>\n<p>Three</p>\n</div>\n",
			[]string{"paragraph 0 0: One", "paragraph 0 0: two", "paragraph 0 0: Three"}},
		{"escapes and references", "1\\. November &amp; AT&T &copy; &#x41; \\*not emphasis\\*\n", []string{"paragraph 0 0: 1. November & AT&T © A *not emphasis*"}},
		{"image and rule", "![alt](a.png)\n\n---\n\nAfter.\n", []string{"paragraph 0 0: After."}},
		// A line break between two ideographs is no space; between
		// Latin words and in Thai it is one.
		{"cjk line break", "個人情報を\n保存します。\nGDPR\nand more\n", []string{"paragraph 0 0: 個人情報を保存します。 GDPR and more"}},
		// No-break spaces are kept.
		{"no-break spaces", "Signaux «\u00a0Do Not Track\u00a0» ?\u202f!\n", []string{"paragraph 0 0: Signaux «\u00a0Do Not Track\u00a0» ?\u202f!"}},
		{"thai line break", "ข้อมูล\nส่วนบุคคล\n", []string{"paragraph 0 0: ข้อมูล ส่วนบุคคล"}},
		{"footnote", "Text[^1].\n\n[^1]: The note.\n", []string{"paragraph 0 0: Text.", "paragraph 0 0: The note."}},
	} {
		var got []string
		for _, b := range m.TextBlocks([]byte(tc.src)) {
			h := ""
			if b.Header {
				h = " header"
			}
			got = append(got, fmt.Sprintf("%s%s %d %d: %s", b.Kind, h, b.Level, b.Number, b.Text))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: TextBlocks(%q) =\n%s\nwant\n%s", tc.name, tc.src, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestTextBlockOffsets checks that each block's offset is in the block
// and that a heading's is the start of its line, as in Outline.
func TestTextBlockOffsets(t *testing.T) {
	m := New(Options{})
	src := "Intro.\n\n## One {#one}\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n### Two\n\nEnd.\n"
	heads := m.Outline([]byte(src))
	var hi int
	prev := -1
	for _, b := range m.TextBlocks([]byte(src)) {
		if b.Offset < prev {
			t.Errorf("block %q at %d before the previous block at %d", b.Text, b.Offset, prev)
		}
		prev = b.Offset
		if b.Kind == BlockHeading {
			if b.Offset != heads[hi].Offset {
				t.Errorf("heading %q at %d; Outline says %d", b.Text, b.Offset, heads[hi].Offset)
			}
			hi++
		}
	}
}

// FuzzTextBlocks checks that any document gives blocks inside the
// source, headings in order, with text and no white space at either end.
func FuzzTextBlocks(f *testing.F) {
	f.Add("# T\n\nA *b* [c](d)\n\n- e\n  1. f\n\n| g | h |\n|---|---|\n| i | j |\n\n<table><tr><td>k</td></tr></table>\n")
	f.Add("> [!NOTE]\n> x\\\n> y &amp; z\n\n!!! note\n    w\n\n[^1]: n\n")
	m := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		prev := 0
		for _, b := range m.TextBlocks([]byte(src)) {
			if b.Offset < 0 || b.Offset > len(src) {
				t.Fatalf("block %+v at %d, source of %d bytes", b, b.Offset, len(src))
			}
			if b.Kind == BlockHeading {
				if b.Offset < prev {
					t.Fatalf("heading %+v at %d after a heading at %d", b, b.Offset, prev)
				}
				prev = b.Offset
			}
			if b.Text == "" || b.Kind != BlockCode && b.Kind != BlockRow && strings.TrimSpace(b.Text) != b.Text {
				t.Fatalf("block %+v has no text or white space at an end", b)
			}
		}
	})
}
