package generator_test

import (
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
// language with English skeleton text (pl), a script base (zh-Hant) and
// right-to-left (ar).
func TestNewSite(t *testing.T) {
	dir := t.TempDir()
	_, err := scaffold.Site(scaffold.Options{
		Dir: dir, Name: "Acme <Policies> & Co", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Locales: []string{"en", "en-GB", "de-DE", "ja-JP", "pl-PL", "zh-TW", "ar-EG", "fr-FR", "fr-CA"},
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
