package review

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator"
)

// BenchmarkDiffExample diffs every published locale of the example site
// against en, every page, with a fresh Reviewer (no cached analyses).
func BenchmarkDiffExample(b *testing.B) {
	ctx := context.Background()
	site, err := generator.Load(ctx, generator.Options{SiteDir: filepath.Join("..", "..")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rv := New(site)
		for _, l := range site.Locales.Published() {
			if l.Tag == "en" {
				continue
			}
			if _, err := rv.Diff(ctx, "en", l.Tag, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDiffExampleWithLoad adds loading the site, as the command does.
func BenchmarkDiffExampleWithLoad(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		site, err := generator.Load(ctx, generator.Options{SiteDir: filepath.Join("..", "..")})
		if err != nil {
			b.Fatal(err)
		}
		rv := New(site)
		for _, l := range site.Locales.Published() {
			if l.Tag != "en" {
				if _, err := rv.Diff(ctx, "en", l.Tag, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkStatusLarge loads a generated site of 32 published locales ×
// 300 pages (9,600 pages) and makes its status matrix.
func BenchmarkStatusLarge(b *testing.B) {
	dir := b.TempDir()
	writeLargeSite(b, dir, 300)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		site, err := generator.Load(ctx, generator.Options{SiteDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		st, err := New(site).Status(ctx, "en")
		if err != nil {
			b.Fatal(err)
		}
		if n := len(st.Pages); n != 300 {
			b.Fatalf("%d pages; want 300", n)
		}
	}
}

// Locales of the generated site: the example site's 32 published pairs,
// and the language bases the regions extend.
var (
	largeRegions = []string{"en-AU", "ru-BY", "pt-BR", "en-CA", "zh-CN", "fr-FR", "de-DE", "en-IE", "it-IT", "ja-JP", "ru-KZ", "en-KE", "ko-KR", "en-MY", "es-MX", "en-NZ", "nl-NL", "ro-RO", "ru-RU", "en-SG", "en-ZA", "es-ES", "en-CH", "th-TH", "tr-TR", "uk-UA", "en-GB", "en-US", "ru-UZ", "uz-UZ", "vi-VN"}
	largeBases   = []string{"de", "es", "fr", "it", "ja", "ko", "nl", "pt", "ro", "ru", "th", "tr", "uk", "uz", "vi", "zh"}
)

func writeLargeSite(b *testing.B, dir string, pages int) {
	b.Helper()
	var toml strings.Builder
	toml.WriteString("baseURL = \"https://www.example.com/\"\ndefaultLocale = \"en\"\n\n[[locales]]\ntag = \"en\"\n")
	for _, t := range largeRegions {
		fmt.Fprintf(&toml, "\n[[locales]]\ntag = %q\n", t)
	}
	for _, t := range largeBases {
		fmt.Fprintf(&toml, "\n[[locales]]\ntag = %q\npublish = false\n", t)
	}
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("site.toml", toml.String())
	page := func(lang string, n int) string {
		var s strings.Builder
		fmt.Fprintf(&s, "---\ntitle: Page %d (%s)\n---\n\nIntroduction of page %d, see [terms](page-0.md).\n\n", n, lang, n)
		for sec := range 10 {
			fmt.Fprintf(&s, "## Section %d of %s {#s%d}\n\n", sec, lang, sec)
			fmt.Fprintf(&s, "We keep data for %d days and answer within 30 days. Write to privacy@example.com or see https://www.example.com/%s/.\n\n", 30+sec, lang)
			s.WriteString("- the first item of the list\n- the second item\n- the third item\n\n| Name | Purpose |\n|---|---|\n| `a` | one |\n| `b` | two |\n\n")
		}
		return s.String()
	}
	for n := range pages {
		write(fmt.Sprintf("content/en/page-%d.md", n), page("en", n))
		for _, base := range largeBases {
			write(fmt.Sprintf("content/%s/page-%d.md", base, n), page(base, n))
		}
		if n%10 == 0 {
			for _, region := range largeRegions {
				write(fmt.Sprintf("content/%s/page-%d.md", region, n), "---\nextends: true\n---\n\n## Regional {#s3}\n\nA regional section, 12 months.\n")
			}
		}
	}
}

// BenchmarkAnalyse measures splitting and measuring one long page.
func BenchmarkAnalyse(b *testing.B) {
	site, err := generator.Load(context.Background(), generator.Options{SiteDir: filepath.Join("..", "..")})
	if err != nil {
		b.Fatal(err)
	}
	doc := site.Pages.Pages["de-DE"]["privacy"].Doc
	p := newParser()
	b.SetBytes(int64(len(doc.Body)))
	for b.Loop() {
		analyse(p, site.Markdown, doc, newLexicon)
	}
}
