package markdown

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/yuin/goldmark/renderer/html"

	"policysite/bench"
)

// referenceCases are documents for the comparisons with goldmark's own
// autolink parser and HTML writer: autolinks in every context, text with
// every byte the writer treats specially, and raw HTML.
var referenceCases = []string{
	"Plain text only, in several words.\n",
	"https://a.example.com www.b.example c@d.example.com\n*https://e.example* _www.f.example_ ~g@h.example~ (https://i.example)\n",
	"a:b https://x.example:80/p?q=1&r=2#f a@b. a@b.c x@y.z- a_@b.example\n",
	strings.Repeat("x", 64) + "@example.com " + strings.Repeat("y", 65) + "@example.com z@example.com\n",
	"\tindented with a tab https://tab.example\n\n- \titem\twww.item.example\n\n>\tq@quote.example\n",
	"Tab\tinside\twww.t.example and\tme@t.example.com.\n",
	"| a | b |\n|---|---|\n| https://cell.example | c@cell.example |\n| x:y | www.cell.example |\n",
	"Escapes \\* \\_ \\\\ \\& \\< and \\\n hard break, `code <b> & \"x\"`, &amp; &lt; &#35; &#x23; &copy; &nosuch; & alone.\n",
	"Quotes \"double\" and 'single', <b>raw</b> <!-- comment --> and a NUL \x00 byte.\n",
	"<div>\nhttps://html.example & <i>x</i>\n</div>\n\n```go\nif a < b && c > \"d\" {}\n```\n",
	"## Heading https://h.example {#h}\n\n[label https://l.example](page.md) ![alt & <x>](img.png \"t & <t>\")\n",
	"Footnote[^1] with www.fn.example.\n\n[^1]: Note a@fn.example & more.\n",
	"ends with a backslash\\",
	"ends with an ampersand &",
	"",
}

// referenceDocs returns referenceCases, the testdata cases, the example
// site's pages and generated pages in four scripts.
func referenceDocs(t *testing.T) []string {
	t.Helper()
	docs := append([]string(nil), referenceCases...)
	cases, _ := filepath.Glob("testdata/*.txt")
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == "in.md" {
				docs = append(docs, string(f.Data))
			}
		}
	}
	pages, _ := filepath.Glob("../../content/*/*.md")
	dir := t.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 32, Pages: 6}, nil); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ru", "zh", "th"} {
		pages = append(pages, filepath.Join(dir, "content", lang, "page-0005.md"))
	}
	for _, p := range pages {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(src))
	}
	return docs
}

// sameAsReference renders doc with New and with goldmark's own autolink
// parser and HTML writer, and reports any difference in the results.
func sameAsReference(t *testing.T, fast, ref *Markdown, doc string) {
	t.Helper()
	opts := RenderOptions{Resolve: func(dest string) (string, error) {
		if strings.HasPrefix(dest, "missing") {
			return "", errors.New("no such page")
		}
		return "/en/" + dest + "/?a=1&b=<2>", nil
	}}
	got, err := fast.Render([]byte(doc), opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.Render([]byte(doc), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.HTML, want.HTML) {
		t.Fatalf("Render(%.80q) HTML:\n%s\nwant (goldmark's linkify and writer):\n%s", doc, got.HTML, want.HTML)
	}
	got.HTML, want.HTML = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Render(%.80q) = %+v; want (goldmark's linkify and writer) %+v", doc, got, want)
	}
}

func TestRenderMatchesReference(t *testing.T) {
	docs := referenceDocs(t)
	for _, unsafe := range []bool{false, true} {
		fast, ref := newMarkdown(Options{Unsafe: unsafe}, false), newMarkdown(Options{Unsafe: unsafe}, true)
		for _, doc := range docs {
			sameAsReference(t, fast, ref, doc)
		}
	}
}

func FuzzRenderMatchesReference(f *testing.F) {
	for _, c := range referenceCases {
		f.Add(c, false)
	}
	f.Add("<b>x</b> https://u.example", true)
	fast := [2]*Markdown{newMarkdown(Options{}, false), newMarkdown(Options{Unsafe: true}, false)}
	ref := [2]*Markdown{newMarkdown(Options{}, true), newMarkdown(Options{Unsafe: true}, true)}
	f.Fuzz(func(t *testing.T, doc string, unsafe bool) {
		i := 0
		if unsafe {
			i = 1
		}
		sameAsReference(t, fast[i], ref[i], doc)
	})
}

// TestTextWriter compares textWriter with goldmark's default writer on
// text with and without the bytes the default writer changes.
func TestTextWriter(t *testing.T) {
	inputs := []string{"", "plain", "données 個人情報", "a\"b", "a&b", "&amp;", "&#35;", "&#x23;", "&copy;", "&nosuch;",
		"<b>", "a>b", "\x00", "a\\*b", "a\\", "\\\\", "\\ ", "tab\tand\nnewline", "ends with &"}
	for _, in := range inputs {
		for _, raw := range []bool{false, true} {
			var got, want bytes.Buffer
			gw, ww := bufio.NewWriter(&got), bufio.NewWriter(&want)
			if raw {
				textWriter{html.DefaultWriter}.RawWrite(gw, []byte(in))
				html.DefaultWriter.RawWrite(ww, []byte(in))
			} else {
				textWriter{html.DefaultWriter}.Write(gw, []byte(in))
				html.DefaultWriter.Write(ww, []byte(in))
			}
			_, _ = gw.Flush(), ww.Flush()
			if got.String() != want.String() {
				t.Errorf("textWriter (raw %v) writes %q as %q; want %q", raw, in, got.String(), want.String())
			}
		}
	}
}
