package render_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"policysite/bench"
	"policysite/generator"
)

// TestSharedMarkdownMatchesOwnRendering checks that pages whose Markdown
// is rendered once and shared between locales get exactly the bytes
// they get when rendered on their own (a Renderer from WithPages does
// not share).
func TestSharedMarkdownMatchesOwnRendering(t *testing.T) {
	dir := t.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 12, Pages: 6}, os.DirFS("../../i18n")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	site, err := generator.Load(ctx, generator.Options{SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := generator.NewRenderer(site, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	own := shared.WithPages(site.Pages, site.Tree)
	n := 0
	for _, id := range generator.AllPages(site) {
		p := site.Pages.Pages[id.Locale][id.Key]
		a, err := shared.Page(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := own.Page(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.HTML, b.HTML) {
			t.Errorf("%s %s: shared rendering differs from rendering the page on its own", id.Locale, id.Key)
		}
		if len(a.Links) != len(b.Links) {
			t.Errorf("%s %s: %d links with sharing, %d without", id.Locale, id.Key, len(a.Links), len(b.Links))
		}
		n++
	}
	if n < 60 {
		t.Fatalf("rendered %d pages; want the whole 12 × 6 site", n)
	}
}
