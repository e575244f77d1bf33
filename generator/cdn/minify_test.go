package cdn_test

import (
	"bytes"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	htmlparse "github.com/tdewolff/parse/v2/html"

	"policysite/generator"
	"policysite/generator/cdn"
)

// blocks are the elements around which whitespace is not rendered.
var blocks = map[string]bool{}

func init() {
	for _, b := range strings.Fields(`html head body div p ul ol li dl dt dd nav header footer main section
		article aside h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr td th caption details summary form fieldset
		legend dialog figure figcaption blockquote hr title meta link script style noscript br template`) {
		blocks[b] = true
	}
}

// keptAttrs are the attributes whose values a reader or a browser
// depends on; the minifier may drop others' defaults and quotes.
var keptAttrs = map[string]bool{
	"href": true, "src": true, "alt": true, "title": true, "lang": true, "id": true, "aria-label": true,
	"content": true, "integrity": true, "hreflang": true, "dir": true, "for": true, "value": true,
	"aria-controls": true, "aria-expanded": true, "hidden": true, "open": true, "data-category": true,
}

var spaces = regexp.MustCompile(`[ \t\r\n\f]+`)
var blockBreaks = regexp.MustCompile(` ?\n[\n ]*`)

// visible returns a normal form of an HTML page: its text with
// whitespace collapsed as a browser collapses it, a line break at every
// block element, and the values of the attributes that matter. Two pages
// with the same visible form render the same text and links.
func visible(t *testing.T, page []byte) string {
	t.Helper()
	var b strings.Builder
	l := htmlparse.NewLexer(parse.NewInputBytes(page))
	pre := 0
	inBlock := false
	for {
		tt, data := l.Next()
		switch tt {
		case htmlparse.ErrorToken:
			out := blockBreaks.ReplaceAllString(b.String(), "\n")
			return strings.TrimSpace(out)
		case htmlparse.StartTagToken, htmlparse.EndTagToken:
			name := strings.ToLower(string(l.Text()))
			if name == "pre" || name == "textarea" {
				if tt == htmlparse.StartTagToken {
					pre++
				} else {
					pre--
				}
			}
			inBlock = blocks[name]
			if inBlock {
				b.WriteString("\n")
			}
			if tt == htmlparse.StartTagToken {
				b.WriteString("<" + name)
			}
		case htmlparse.AttributeToken:
			key := strings.ToLower(string(l.AttrKey()))
			if keptAttrs[key] {
				v := strings.Trim(string(l.AttrVal()), `"'`)
				v = spaces.ReplaceAllString(html.UnescapeString(v), " ")
				if strings.Contains(v, "=") {
					// A key=value list (the viewport) means the same without
					// the spaces after its commas.
					v = strings.ReplaceAll(v, ", ", ",")
				}
				b.WriteString(" " + key + "=" + strings.TrimSpace(v))
			}
		case htmlparse.StartTagCloseToken, htmlparse.StartTagVoidToken:
			b.WriteString(">")
			if inBlock {
				// Whitespace at the start of a block is not rendered.
				b.WriteString("\n")
			}
		case htmlparse.TextToken:
			text := html.UnescapeString(string(data))
			if pre == 0 {
				text = spaces.ReplaceAllString(text, " ")
			}
			b.WriteString(text)
		case htmlparse.SVGToken, htmlparse.MathToken:
			b.WriteString(spaces.ReplaceAllString(string(data), " "))
		}
	}
}

// TestMinifyKeepsVisibleResult builds the example site with and without
// --minify and compares the visible form of every page.
func TestMinifyKeepsVisibleResult(t *testing.T) {
	dir := t.TempDir()
	plain, min := filepath.Join(dir, "plain"), filepath.Join(dir, "min")
	build(t, "../..", plain, "", generator.Options{})
	build(t, "../..", min, "", generator.Options{Minify: true})
	pf, mf := tree(t, plain), tree(t, min)
	var before, after int
	pages := 0
	for name, data := range pf {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		m, ok := mf[name]
		if !ok {
			t.Errorf("%s is missing from the minified build", name)
			continue
		}
		before, after = before+len(data), after+len(m)
		p, q := visible(t, fingerprintless(data)), visible(t, fingerprintless(m))
		if p != q {
			i := 0
			for i < len(p) && i < len(q) && p[i] == q[i] {
				i++
			}
			t.Errorf("%s: minifying changed the visible result near byte %d:\nplain:    %q\nminified: %q", name, i, snippet(p, i), snippet(q, i))
		}
	}
	if pages < 100 || after >= before {
		t.Errorf("minified %d pages from %d to %d bytes; want over 100 pages and fewer bytes", pages, before, after)
	}
	t.Logf("minified %d HTML pages from %d to %d bytes (%.1f%%)", pages, before, after, 100*float64(after)/float64(before))
}

// fingerprints match the content hash and SRI value of assets, which
// minification changes on purpose.
var fingerprints = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js)|sha384-[^"' >]+`)

func fingerprintless(page []byte) []byte { return fingerprints.ReplaceAll(page, []byte(".HASH.$1")) }

func snippet(s string, i int) string {
	lo, hi := max(0, i-60), min(len(s), i+60)
	return s[lo:hi]
}

func TestMinifierLeavesOtherFiles(t *testing.T) {
	mf := cdn.NewMinifier()
	for _, name := range []string{"robots.txt", "sitemap.xml", "img/logo.svg"} {
		in := []byte("  keep   this  \n")
		out, err := mf.Minify(name, in)
		if err != nil || !bytes.Equal(out, in) {
			t.Errorf("Minify(%q) = %q, %v; want the input unchanged", name, out, err)
		}
	}
	out, err := mf.Minify("a.css", []byte("a {  color : red ; }\n"))
	if err != nil || string(out) != "a{color:red}" {
		t.Errorf("Minify(a.css) = %q, %v; want %q", out, err, "a{color:red}")
	}
}

// TestVisibleDetectsChanges guards the normal form: it must tell apart
// pages that render differently.
func TestVisibleDetectsChanges(t *testing.T) {
	tests := []struct{ a, b string }{
		{"<p><b>x</b> <i>y</i></p>", "<p><b>x</b><i>y</i></p>"},
		{"<p>a b</p>", "<p>ab</p>"},
		{`<a href="/x">x</a>`, `<a href="/y">x</a>`},
		{"<pre>a  b</pre>", "<pre>a b</pre>"},
	}
	for _, tt := range tests {
		if visible(t, []byte(tt.a)) == visible(t, []byte(tt.b)) {
			t.Errorf("visible(%q) == visible(%q); want them told apart", tt.a, tt.b)
		}
	}
	if visible(t, []byte("<div>\n  <p>a</p>\n</div>")) != visible(t, []byte("<div><p>a</p></div>")) {
		t.Error("whitespace between blocks changed the visible form")
	}
}
