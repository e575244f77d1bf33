package content

import (
	"bytes"
	"errors"
	"testing"

	"policysite/generator/diag"
	"policysite/generator/markdown"
)

// FuzzParse feeds arbitrary bytes to Parse as a page. It must never
// panic; every error must name the file; a parsed page's body, line
// map and outline must stay inside the source.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nText.\n",
		"---\ntitle: T\nweight: 3\ndraft: true\n---\n# T\n",
		"+++\ntitle = \"T\"\ndate = 2024-01-02\n+++\n## A {#a}\n",
		"---\nextends: true\nremove: [a, b]\n---\n## X {#x after=\"a\"}\n",
		"---\ntitle: [unclosed\n---\n",
		"+++\ntitle = \n+++\n",
		"---\n",
		"\uFEFF---\r\ntitle: T\r\n---\r\nbody\r\n",
		"---\nparams: {a: &a [1], b: *a}\n---\n",
		"<script>alert(1)</script>\n[x](javascript:alert(1))\n",
		"\x00",
		"\xff\xfe",
		"   \n\n",
	} {
		f.Add([]byte(s))
	}
	md := markdown.New(markdown.Options{})
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("content/en/page.md", "en", "page.md", src, md)
		if err != nil {
			var se *diag.SourceError
			if !errors.As(err, &se) || se.File != "content/en/page.md" {
				t.Fatalf("Parse error %q does not name the file", err)
			}
			return
		}
		if p.BodyLine < 1 {
			t.Fatalf("BodyLine = %d; want >= 1", p.BodyLine)
		}
		if !bytes.HasSuffix(normalizeNewlines(bytes.TrimPrefix(src, []byte("\uFEFF"))), p.Body) {
			t.Fatalf("Body is not the tail of the source")
		}
		for _, h := range p.Outline() {
			if h.Offset < 0 || h.Offset > len(p.Body) {
				t.Fatalf("heading %q at offset %d outside body of %d bytes", h.ID, h.Offset, len(p.Body))
			}
		}
		if n := p.Line(len(p.Body)); n < p.BodyLine {
			t.Fatalf("Line(end) = %d < BodyLine %d", n, p.BodyLine)
		}
		_, _ = md.Render(p.Body, markdown.RenderOptions{Resolve: func(string) (string, error) { return "/x/", nil }})
	})
}
