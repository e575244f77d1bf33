package render_test

import (
	"context"
	"os"
	"testing"

	"policysite/bench"
	"policysite/generator"
	"policysite/generator/render"
)

// loadBenchSite loads a generated site of 32 locales × pages pages.
func loadBenchSite(b *testing.B, pages int) *generator.Site {
	b.Helper()
	dir := b.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 32, Pages: pages}, os.DirFS("../../i18n")); err != nil {
		b.Fatal(err)
	}
	site, err := generator.Load(context.Background(), generator.Options{SiteDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	return site
}

// BenchmarkNew times preparing the per-locale data and switchers (the
// templates are copied when pages are executed).
func BenchmarkNew(b *testing.B) {
	site := loadBenchSite(b, 6)
	for b.Loop() {
		if _, err := generator.NewRenderer(site, generator.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPage times rendering one page (Markdown and template) in
// locales of four scripts. Each iteration gets a fresh Renderer share
// of the page, so the Markdown is rendered every time.
func BenchmarkPage(b *testing.B) {
	site := loadBenchSite(b, 6)
	ctx := context.Background()
	for _, tag := range []string{"en-GB", "ru-RU", "zh-CN", "th-TH"} {
		b.Run(tag, func(b *testing.B) {
			p := site.Pages.Pages[tag]["page-0005"]
			r, err := generator.NewRenderer(site, generator.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var res *render.Result
			for b.Loop() {
				if res, err = r.Page(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(res.HTML)))
		})
	}
}

// BenchmarkSharedPages times rendering one page key in all 32 locales,
// where the 12 English regions share most of their text.
func BenchmarkSharedPages(b *testing.B) {
	site := loadBenchSite(b, 6)
	ctx := context.Background()
	for b.Loop() {
		r, err := generator.NewRenderer(site, generator.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range site.Locales.Published() {
			if _, err := r.Page(ctx, site.Pages.Pages[l.Tag]["page-0005"]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
