package generator_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/sitetest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// build builds the site opts.SiteDir into a fresh folder and returns it.
func build(t *testing.T, opts generator.Options) (string, *generator.Built) {
	t.Helper()
	out := sitetest.Build(t, opts, filepath.Join(t.TempDir(), "public"))
	return out.Dir, out.Built
}

func TestExampleSite(t *testing.T) {
	out, sum := build(t, generator.Options{SiteDir: "..", Strict: true})
	if sum.Locales != 32 {
		t.Errorf("published locales = %d; want 32", sum.Locales)
	}
	// Four pages and a 404 page per locale, the region selector and the
	// site's 404 page; in the 13 locales showing the English or German
	// privacy policy, its earlier version and the two pages of what
	// changed.
	if want := 32*5 + 2 + 13*3; sum.Pages != want {
		t.Errorf("pages = %d; want %d", sum.Pages, want)
	}
	checkSite(t, out, "https://privacy.example.com/")
}

func TestExampleSiteSubPath(t *testing.T) {
	out, _ := build(t, generator.Options{SiteDir: "..", BaseURL: "https://example.com/legal/"})
	checkSite(t, out, "https://example.com/legal/")
	page, err := os.ReadFile(filepath.Join(out, "de-de", "privacy", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`href="/de-de/`, `src="/assets/`, `href="/assets/`} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("sub-path build has root-relative link %s", bad)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := build(t, generator.Options{SiteDir: ".."})
	b, _ := build(t, generator.Options{SiteDir: ".."})
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("builds have %d and %d files", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two builds of the same input", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte { return sitetest.ReadTree(t, dir) }

// spec32 lists the region/language pairs of SITE-SPEC.md.
var spec32 = []string{"en", "en-AU", "ru-BY", "pt-BR", "en-CA", "zh-CN", "fr-FR", "de-DE",
	"en-IE", "it-IT", "ja-JP", "ru-KZ", "en-KE", "ko-KR", "en-MY", "es-MX", "en-NZ", "nl-NL",
	"ro-RO", "ru-RU", "en-SG", "en-ZA", "es-ES", "en-CH", "th-TH", "tr-TR", "uk-UA", "en-GB",
	"en-US", "ru-UZ", "uz-UZ", "vi-VN"}

// writeSite writes files (slash paths → contents) below a new folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	site := sitetest.New(t, "")
	for name, data := range files {
		site.Write(name, data)
	}
	return site.Dir
}

// TestNoConfig builds a 32-locale site that has content only: locales
// come from the folder names and en becomes the x-default.
func TestNoConfig(t *testing.T) {
	files := map[string]string{}
	for i, tag := range spec32 {
		files["content/"+tag+"/privacy.md"] = fmt.Sprintf("---\ntitle: Privacy %s\nlastmod: 2026-10-%02d\n---\nSee the [cookie policy](cookies.md#analytics).\n\n## Data {#data}\n\nText.\n", tag, i%28+1)
		files["content/"+tag+"/cookies.md"] = "# Cookies " + tag + "\n\n## Analytics\n\nText.\n"
		files["content/"+tag+"/_index.md"] = "# Home " + tag + "\n\nWelcome.\n"
	}
	// One page exists only in en: every other locale inherits it.
	files["content/en/terms.md"] = "# Terms\n\nBe nice.\n"
	site := writeSite(t, files)
	out, sum := build(t, generator.Options{SiteDir: site})
	if sum.Locales != 32 {
		t.Errorf("locales = %d; want 32", sum.Locales)
	}
	checkSite(t, out, "http://localhost/")
	deTerms, err := os.ReadFile(filepath.Join(out, "de-de", "terms", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(deTerms, []byte(`noindex`)) || !bytes.Contains(deTerms, []byte(`lang="en"`)) {
		t.Errorf("de-DE terms (fallback to en) must be noindex with lang=\"en\" content:\n%s", deTerms)
	}
	gbTerms, _ := os.ReadFile(filepath.Join(out, "en-gb", "terms", "index.html"))
	if bytes.Contains(gbTerms, []byte(`noindex`)) || !bytes.Contains(gbTerms, []byte(`hreflang="en-GB"`)) {
		t.Errorf("en-GB terms (inherited from en) must be indexable and in the cluster")
	}
}

func TestRTL(t *testing.T) {
	site := writeSite(t, map[string]string{
		"content/en/privacy.md":    "# Privacy\n\nText.\n",
		"content/ar/privacy.md":    "# الخصوصية\n\nنص.\n",
		"content/he-IL/privacy.md": "# פרטיות\n\nטקסט.\n",
	})
	out, _ := build(t, generator.Options{SiteDir: site})
	for _, c := range []struct{ file, want string }{
		{"ar/privacy/index.html", `<html lang="ar" dir="rtl">`},
		{"he-il/privacy/index.html", `<html lang="he-IL" dir="rtl">`},
		{"en/privacy/index.html", `<html lang="en" dir="ltr">`},
	} {
		data, err := os.ReadFile(filepath.Join(out, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), c.want) {
			t.Errorf("%s: want %s", c.file, c.want)
		}
	}
}

// TestOtherTools builds pages written for other tools: menus from front
// matter, titles from headings on the locale home, generated homes, a
// 404 page per locale and lastmod in the sitemap.
func TestOtherTools(t *testing.T) {
	site := writeSite(t, map[string]string{
		"site.toml": "[[locales]]\ntag = \"en\"\n[[locales]]\ntag = \"de\"\n" +
			"[[menus.main]]\nname = \"About\"\nurl = \"https://example.com/about/\"\n",
		"content/en/privacy.md": "---\nmenu:\n  main:\n    parent: About\n    weight: 2\nLastmod: 2026-04-05\n---\n# Privacy notice\n\nText.\n",
		"content/en/cookies.md": "---\nlinkTitle: Cookies\nmenus: [main, footer]\nsummary: What we store.\n---\n# Cookie policy\n\nText.\n",
		"content/en/terms.md":   "Intro.\n\n## Terms of use\n\nText.\n",
		"content/de/privacy.md": "# Datenschutz\n\nText.\n",
		// An empty home is fine: the site's name and the list of pages.
		"content/de/_index.md": "",
	})
	out, sum := build(t, generator.Options{SiteDir: site})
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, c := range []struct{ file, want string }{
		// The configured entry, with the page under it; then the page
		// that added itself at the top level.
		{"en/terms/index.html", `aria-controls="submenu-0">About</button>`},
		{"en/terms/index.html", `<li><a href="/en/privacy/">Privacy notice</a></li>`},
		{"en/terms/index.html", `<a class="menu-link" href="/en/cookies/">Cookies</a>`},
		// Home cards: linkTitle, else the title wherever it came from.
		{"en/index.html", `card-title">Cookies</span><span class="card-text">What we store.</span>`},
		{"en/index.html", `card-title">Privacy notice</span>`},
		{"en/index.html", `card-title">Terms of use</span>`},
		{"de/index.html", `card-title">Datenschutz</span>`},
		{"de/index.html", `<html lang="de"`},
		{"de/index.html", `<h1>policysite</h1>`},
		{"en/index.html", `<h1>policysite</h1>`},
		{"de/404.html", `<html lang="de"`},
		{"de/404.html", `href="/de/"`},
		{"sitemap.xml", "<loc>http://localhost/en/privacy/</loc>\n    <lastmod>2026-04-05</lastmod>\n"},
	} {
		if !strings.Contains(read(c.file), c.want) {
			t.Errorf("%s: want %s", c.file, c.want)
		}
	}
	if !slices.ContainsFunc(sum.Warnings, func(w string) bool { return strings.Contains(w, "content/en/terms.md:3: page without a title") }) {
		t.Errorf("warnings %q; want one for the title of terms.md", sum.Warnings)
	}
	_, err := generator.Build(context.Background(), generator.Options{SiteDir: site, Strict: true}, discard{})
	if err == nil || !strings.Contains(err.Error(), "content/en/terms.md:3: page without a title") {
		t.Errorf("strict build: %v; want the title warning as an error", err)
	}
}

func TestGCPercent(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 400},         // nothing live yet
		{16 * mib, 400},  // small site: capped
		{128 * mib, 200}, // 256 MiB of headroom
		{400 * mib, 64},  // the 9,600-page benchmark
		{512 * mib, 50},  // half the live heap from here on
		{3000 * mib, 50}, // 32,000 pages
	}
	for _, tt := range tests {
		if got := generator.GCPercent(tt.live); got != tt.want {
			t.Errorf("GCPercent(%d MiB) = %d; want %d", tt.live/mib, got, tt.want)
		}
	}
}
