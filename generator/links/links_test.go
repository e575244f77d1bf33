package links

import (
	"strings"
	"testing"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
)

func testSite(t *testing.T) (*locale.Set, *inherit.Site) {
	t.Helper()
	cfg := config.Default("")
	cfg.DefaultLocale = "en"
	for _, tag := range []string{"en", "de-DE", "fr-FR"} {
		cfg.Locales = append(cfg.Locales, config.Locale{Tag: tag, Path: strings.ToLower(tag)})
	}
	locs, err := locale.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	site := &inherit.Site{Pages: map[string]map[string]*inherit.Page{}, Keys: []string{content.HomeKey, "privacy"}}
	for _, l := range locs.All {
		site.Pages[l.Tag] = map[string]*inherit.Page{}
		for _, key := range site.Keys {
			f := &content.File{Rel: key + ".md", Key: key}
			kind := inherit.Own
			if l.Tag == "fr-FR" && key == "privacy" {
				kind = inherit.Fallback // shows English text
			}
			site.Pages[l.Tag][key] = &inherit.Page{Locale: l, Key: key, Kind: kind, Source: l, Doc: &inherit.Doc{File: f}}
		}
	}
	return locs, site
}

func TestAlternates(t *testing.T) {
	locs, site := testSite(t)
	l := New("https://ex.example/legal/", locs, site)
	var got []string
	for _, a := range l.Alternates("privacy") {
		got = append(got, a.Hreflang+"="+a.URL)
	}
	want := "en=https://ex.example/legal/en/privacy/ de-DE=https://ex.example/legal/de-de/privacy/ x-default=https://ex.example/legal/en/privacy/"
	if strings.Join(got, " ") != want {
		t.Errorf("Alternates(privacy) = %v\nwant %s", got, want)
	}
	home := l.Alternates(content.HomeKey)
	if last := home[len(home)-1]; last.Hreflang != "x-default" || last.URL != "https://ex.example/legal/" {
		t.Errorf("home x-default = %+v; want the region selector", last)
	}
	if f := l.File("/legal/de-de/privacy/"); f != "de-de/privacy/index.html" {
		t.Errorf("File = %q", f)
	}
}

func TestSitemapSplit(t *testing.T) {
	locs, site := testSite(t)
	l := New("https://ex.example/", locs, site)
	one := l.Sitemaps(0)
	if len(one) != 1 || strings.Contains(string(one[0].Data), "fr-fr/privacy") {
		t.Errorf("single sitemap: %d files; fallback page must be left out:\n%s", len(one), one[0].Data)
	}
	// 1 selector + 3 homes + 2 indexable privacy pages = 6 URLs.
	if n := strings.Count(string(one[0].Data), "<loc>"); n != 6 {
		t.Errorf("sitemap has %d URLs; want 6", n)
	}
	split := l.Sitemaps(4)
	if len(split) != 3 || split[1].Path != "sitemap-1.xml" || split[2].Path != "sitemap-2.xml" {
		t.Fatalf("split sitemaps = %d files", len(split))
	}
	if !strings.Contains(string(split[0].Data), "<sitemapindex") || !strings.Contains(string(split[0].Data), "https://ex.example/sitemap-2.xml") {
		t.Errorf("sitemap index:\n%s", split[0].Data)
	}
	if n := strings.Count(string(split[2].Data), "<loc>"); n != 2 {
		t.Errorf("second part has %d URLs; want 2", n)
	}
}
