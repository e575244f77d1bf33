package links_test

import (
	"context"
	"os"
	"testing"

	"policysite/bench"
	"policysite/generator"
)

// BenchmarkHreflang times the hreflang cluster of every page and the
// sitemap of a 32 × 100 site; both must grow linearly with pages.
func BenchmarkHreflang(b *testing.B) {
	dir := b.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 32, Pages: 100}, os.DirFS("../../i18n")); err != nil {
		b.Fatal(err)
	}
	site, err := generator.Load(context.Background(), generator.Options{SiteDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("alternates", func(b *testing.B) {
		for b.Loop() {
			for _, key := range site.Pages.Keys {
				site.Links.Alternates(key)
			}
		}
	})
	b.Run("sitemap", func(b *testing.B) {
		for b.Loop() {
			site.Links.Sitemaps(0)
		}
	})
}
