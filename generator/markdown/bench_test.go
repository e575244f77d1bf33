package markdown_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"policysite/bench"
	"policysite/generator/markdown"
)

// benchBody returns the body of a generated 20–40 KB policy page in
// language lang, without its front matter.
func benchBody(b *testing.B, lang string) []byte {
	b.Helper()
	dir := b.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 32, Pages: 6}, nil); err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "content", lang, "page-0005.md"))
	if err != nil {
		b.Fatal(err)
	}
	if i := bytes.Index(src[3:], []byte("\n---\n")); i >= 0 {
		src = src[i+3+5:]
	}
	return src
}

// BenchmarkRender times rendering one page in Latin, Cyrillic, CJK and
// Thai script, with page links resolved.
func BenchmarkRender(b *testing.B) {
	md := markdown.New(markdown.Options{})
	for _, lang := range []string{"en", "ru", "zh", "th"} {
		b.Run(lang, func(b *testing.B) {
			body := benchBody(b, lang)
			opts := markdown.RenderOptions{Resolve: func(dest string) (string, error) { return "/en/" + dest + "/", nil }}
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := md.Render(body, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOutline times finding the headings of a page, which loading
// content does for every file.
func BenchmarkOutline(b *testing.B) {
	md := markdown.New(markdown.Options{})
	body := benchBody(b, "en")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		md.Outline(body)
	}
}
