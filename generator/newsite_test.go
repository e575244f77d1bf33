package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysite/generator"
	"policysite/generator/scaffold"
)

// TestNewSite builds what "policysite new site" writes with --strict and
// runs the example site's checks over it: the hreflang validator, the
// link checker and, where it is installed, the Nu HTML Checker. The
// locales cover a region-neutral x-default, regions of a base, a
// language with English skeleton text (pl), right-to-left (ar) and
// Traditional Chinese (zh-TW, a zh-Hant base).
func TestNewSite(t *testing.T) {
	dir := t.TempDir()
	_, err := scaffold.Site(scaffold.Options{
		Dir: dir, Name: "Acme <Policies> & Co", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Locales: []string{"en", "en-GB", "de-DE", "ja-JP", "pl-PL", "ar-EG", "fr-FR", "fr-CA", "zh-TW"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, sum := build(t, generator.Options{SiteDir: dir, Strict: true})
	if sum.Locales != 9 {
		t.Errorf("published locales = %d; want 9", sum.Locales)
	}
	if len(sum.Warnings) > 0 {
		t.Errorf("warnings: %q", sum.Warnings)
	}
	checkSite(t, out, "https://www.example.com/")
	page, err := os.ReadFile(filepath.Join(out, "de-de", "privacy", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<span class="brand-name">Acme &lt;Policies&gt; &amp; Co</span>`,
		`id="collect-use"`, "Platzhalter",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("de-de/privacy: no %q", want)
		}
	}
	if strings.Contains(string(page), "Example Group") {
		t.Error("de-de/privacy names Example Group")
	}
	t.Run("vnu", func(t *testing.T) {
		nuCheck(t, vnuJar(t), out)
	})
}

// TestThemeSettings builds a site with every [theme] setting and checks
// the pages and the errors of settings that cannot work.
func TestThemeSettings(t *testing.T) {
	dir := t.TempDir()
	if _, err := scaffold.Site(scaffold.Options{Dir: dir, Name: "Acme", Locales: []string{"en", "de-DE"}}); err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	siteTOML, err := os.ReadFile(filepath.Join(dir, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	setTheme := func(theme string) {
		t.Helper()
		s := string(siteTOML)
		i, j := strings.Index(s, "[theme]"), strings.Index(s, "# Published locales")
		write("site.toml", s[:i]+theme+"\n\n"+s[j:])
	}
	write("assets/img/logo.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#b00020"/></svg>`)
	write("assets/img/icon.png", "\x89PNG\r\n\x1a\n")
	write("i18n/en.toml", "copyright = \"© {year} {holder}\"\n")
	setTheme("[theme]\nlogo = \"img/logo.svg\"\nfavicon = \"img/icon.png\"\nbrandColor = \"#B00020\"\ncopyright = \"Acme Holdings Ltd\"")
	out, _ := build(t, generator.Options{SiteDir: dir})
	checkSite(t, out, "https://www.example.com/")
	page, err := os.ReadFile(filepath.Join(out, "en", "privacy", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<img class="brand-logo" src="/assets/img/logo.`, `alt="Acme"></a>`,
		`<link rel="icon" href="/assets/img/icon.`, `type="image/png">`,
		`<link rel="stylesheet" href="/assets/css/brand.`,
		"Acme Holdings Ltd",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("en/privacy: no %q", want)
		}
	}
	css, _ := filepath.Glob(filepath.Join(out, "assets", "css", "brand.*.css"))
	if len(css) != 1 {
		t.Fatalf("brand stylesheets = %q; want one", css)
	}
	if data, _ := os.ReadFile(css[0]); !strings.Contains(string(data), "--brand: #b00020;") {
		t.Errorf("%s = %s; want --brand: #b00020", css[0], data)
	}

	for _, tt := range []struct{ theme, want string }{
		{"[theme]\nlogo = \"img/missing.svg\"", "site.toml:11: theme.logo \"img/missing.svg\": no such file"},
		{"[theme]\n\nbrandColor = \"#7fb2ff\"", "site.toml:12: theme.brandColor \"#7fb2ff\" reaches only 1.80:1"},
		{"[theme]\nbrandColor = \"#0a4a9e\"\nbrandColorDark = \"#0a4a9e\"", "site.toml:12: theme.brandColorDark \"#0a4a9e\" reaches only"},
	} {
		setTheme(tt.theme)
		_, err := generator.Load(context.Background(), generator.Options{SiteDir: dir})
		if err == nil {
			_, err = generator.Build(context.Background(), generator.Options{SiteDir: dir}, discard{})
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("build with %q: %v; want %q", tt.theme, err, tt.want)
		}
	}
}
