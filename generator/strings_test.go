package generator_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/i18n"
	"policysite/generator/output"
	"policysite/generator/render"
	"policysite/generator/theme"
	"policysite/themes"
)

// bareSite is a site as a new user writes it: content for three locales
// and nothing else (no site.toml, no i18n/, no _index.md), titles only
// as "# H1".
func bareSite(extra map[string]string) map[string]string {
	files := map[string]string{}
	for _, tag := range []string{"en", "de-DE", "ja-JP"} {
		files["content/"+tag+"/privacy.md"] = "---\nlastmod: 2026-10-15\ntoc: true\n---\n# Privacy " + tag + "\n\nText.\n\n## Data {#data}\n\nText.\n"
		files["content/"+tag+"/cookies.md"] = "# Cookies " + tag + "\n\nText.\n\n## Changing your consent {#change-consent}\n\nText.\n"
	}
	files["content/en/terms.md"] = "# Terms\n\nOnly in English: the other locales show it as a fallback.\n"
	for k, v := range extra {
		files[k] = v
	}
	return files
}

func themeStrings(t *testing.T) i18n.Table {
	t.Helper()
	th, err := theme.Load(context.Background(), theme.Options{Embedded: themes.Default(), Funcs: render.Funcs()})
	if err != nil {
		t.Fatal(err)
	}
	return th.Strings()
}

// TestBareSiteStrings builds the bare site strictly: the theme's strings
// fill every page in the page's language, and no key name reaches a
// page.
func TestBareSiteStrings(t *testing.T) {
	out, sum := build(t, generator.Options{SiteDir: writeSite(t, bareSite(nil)), Strict: true})
	if len(sum.Warnings) > 0 {
		t.Errorf("warnings: %q", sum.Warnings)
	}
	strs := themeStrings(t)
	var words []*regexp.Regexp
	for k := range strs[i18n.English] {
		if strings.Contains(k, "_") {
			words = append(words, regexp.MustCompile(`\b`+k+`\b`))
		} else {
			// A key without "_" (copyright) is also a class name:
			// look for it in text only.
			words = append(words, regexp.MustCompile(`>[^<]*\b`+k+`\b[^<]*<`))
		}
	}
	pages := 0
	for name, data := range readTree(t, out) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		for _, re := range words {
			if loc := re.FindIndex(data); loc != nil {
				t.Errorf("%s shows a raw UI string key: …%s…", name, data[max(0, loc[0]-40):min(len(data), loc[1]+40)])
			}
		}
	}
	if pages < 9 {
		t.Errorf("only %d pages built", pages)
	}
	files := readTree(t, out)
	for _, c := range []struct{ file, lang, key string }{
		{"de-de/privacy/index.html", "de", "skip_link"},
		{"de-de/privacy/index.html", "de", "consent_accept_all"}, // opt-in in the EU
		{"de-de/privacy/index.html", "de", "toc_title"},
		{"de-de/terms/index.html", "de", "fallback_notice"},
		{"ja-jp/cookies/index.html", "ja", "consent_dismiss"}, // a notice in Japan
		{"ja-jp/cookies/index.html", "ja", "legal_privacy"},
		{"index.html", "en", "selector_title"},
		{"404.html", "en", "notfound_title"},
	} {
		want := strs[c.lang][c.key]
		if i := strings.IndexByte(want, '{'); i >= 0 {
			want = want[:i]
		}
		if !strings.Contains(string(files[c.file]), want) {
			t.Errorf("%s lacks the theme's %s %s %q", c.file, c.lang, c.key, want)
		}
	}
}

// TestSiteStringsOverride checks the fallback order: a site's i18n/
// overrides the theme key by key, in the locale's language first; what
// it lacks comes from the theme's strings in that language, and English
// only when neither has the language.
func TestSiteStringsOverride(t *testing.T) {
	site := writeSite(t, bareSite(map[string]string{
		"i18n/de.toml":             "consent_title = \"Datenschutz bei Beispiel\"\nsite_name = \"Beispiel AG\"\n",
		"i18n/en.toml":             "consent_title = \"Privacy at Example\"\nconsent_accept_all = \"Allow all\"\nsite_name = \"Example\"\n",
		"content/sw-KE/privacy.md": "# Faragha\n\nMaandishi.\n",
	}))
	files := func(strict bool) (map[string][]byte, *generator.Summary, error) {
		out := t.TempDir()
		staged, err := output.Begin(context.Background(), out, output.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := generator.Build(context.Background(), generator.Options{SiteDir: site, Strict: strict}, staged)
		if err != nil {
			_ = staged.Abort()
			return nil, nil, err
		}
		if err := staged.Commit(); err != nil {
			t.Fatal(err)
		}
		return readTree(t, out), &sum.Summary, nil
	}
	got, sum, err := files(false)
	if err != nil {
		t.Fatal(err)
	}
	strs := themeStrings(t)
	for _, c := range []struct {
		file string
		want []string
	}{
		// The site's German, then the theme's German (not the site's
		// English "Allow all").
		{"de-de/privacy/index.html", []string{"Datenschutz bei Beispiel", strs["de"]["consent_accept_all"], "Beispiel AG"}},
		// ja-JP: the theme's Japanese, though the site's English has the key.
		{"ja-jp/privacy/index.html", []string{strs["ja"]["consent_title"], ">Example<"}},
		{"en/privacy/index.html", []string{"Privacy at Example", "Allow all"}},
		// Swahili: neither has it; the site's English, then the theme's.
		{"sw-ke/privacy/index.html", []string{"Privacy at Example", strs["en"]["skip_link"]}},
	} {
		for _, w := range c.want {
			if !strings.Contains(string(got[c.file]), w) {
				t.Errorf("%s lacks %q", c.file, w)
			}
		}
	}
	n := len(strs["en"])
	wantLine := "sw.toml: sw-KE: " + strconv.Itoa(n) + " UI strings missing; shown in English; policysite status --strings lists them"
	// The other warning: no CLDR dates for Swahili.
	if len(sum.Warnings) != 2 || !strings.HasSuffix(sum.Warnings[1], wantLine) {
		t.Errorf("warnings = %q; want a line ending in %q", sum.Warnings, wantLine)
	}
	if _, _, err := files(true); err == nil || !strings.Contains(err.Error(), "sw-KE: "+strconv.Itoa(n)+" UI strings missing") || strings.Contains(err.Error(), "de-DE") {
		t.Errorf("strict build: error %v; want one for sw-KE only", err)
	}
}

// TestUnknownKey: a template asking for a key that no strings file has
// would show the key, so the build fails at the template's line.
func TestUnknownKey(t *testing.T) {
	site := writeSite(t, bareSite(map[string]string{
		"themes/default/layouts/404.html": "{{define \"main\"}}\n<p>{{T \"notfound_typo\"}}</p>\n{{end}}\n",
	}))
	_, err := generator.Build(context.Background(), generator.Options{SiteDir: site}, discard{})
	if err == nil {
		t.Fatal("Build: no error for an unknown UI string key")
	}
	for _, want := range []string{"404.html:2:", `no UI string "notfound_typo"`, "add it to " + site} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }
