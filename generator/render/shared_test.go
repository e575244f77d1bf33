package render_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
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

// TestSharedMarkdownBrokenLinks checks that a page whose links do not
// all resolve gets, with sharing, the bytes, links and problems it gets
// on its own: testdata/links/site's guide, inherited by en-GB and en-AU,
// has a link of each kind that leads nowhere.
func TestSharedMarkdownBrokenLinks(t *testing.T) {
	ctx := context.Background()
	site, err := generator.Load(ctx, generator.Options{SiteDir: "../testdata/links/site"})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := generator.NewRenderer(site, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	own := shared.WithPages(site.Pages, site.Tree)
	problems := 0
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
		if !slices.Equal(a.Links, b.Links) {
			t.Errorf("%s %s: links %v with sharing, %v without", id.Locale, id.Key, a.Links, b.Links)
		}
		if fmt.Sprint(a.Problems) != fmt.Sprint(b.Problems) {
			t.Errorf("%s %s: problems %v with sharing, %v without", id.Locale, id.Key, a.Problems, b.Problems)
		}
		problems += len(a.Problems)
	}
	// gone.md, support.google.com/…, www.example.com, /nodes/ and the
	// ambiguous privacy.md in three locales.
	if problems != 15 {
		t.Errorf("%d link problems; want 15", problems)
	}
}
