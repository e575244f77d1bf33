package render_test

import (
	"context"
	"testing"

	"policysite/generator"
)

// TestTemplateCopies checks that pages of every locale executed one after
// another share one copy of the theme's templates: html/template escapes
// each copy again, so a copy per locale makes a site's fixed cost grow
// with its locales.
func TestTemplateCopies(t *testing.T) {
	ctx := context.Background()
	site, err := generator.Load(ctx, generator.Options{SiteDir: partialSite(t)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := generator.NewRenderer(site, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	locales := map[string]bool{}
	for _, id := range generator.AllPages(site) {
		if _, err := r.Page(ctx, site.Pages.Pages[id.Locale][id.Key]); err != nil {
			t.Fatal(err)
		}
		locales[id.Locale] = true
	}
	if _, err := generator.RenderSpecial(ctx, r); err != nil {
		t.Fatal(err)
	}
	if n := r.TemplateCopies(); n != 1 || len(locales) < 12 {
		t.Errorf("%d pages of %d locales made %d copies of the templates; want 1", len(generator.AllPages(site)), len(locales), n)
	}
}
