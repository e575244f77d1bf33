package diag

import (
	"errors"
	"slices"
	"sync"
	"testing"
)

func TestWarningsMergeLocales(t *testing.T) {
	var ws Warnings
	var wg sync.WaitGroup
	// One inherited line reported by every locale that inherits it.
	for _, loc := range []string{"en-GB", "en-AU", "en", "en-AU"} {
		wg.Go(func() {
			ws.Add(Warning{Kind: "broken fragment link", File: "content/en/privacy.md", Line: 12, Detail: "#nope", Locales: []string{loc}})
		})
	}
	wg.Wait()
	ws.Add(Warning{Kind: "broken fragment link", File: "content/en/privacy.md", Line: 14, Detail: "#other"})
	all := ws.All()
	if len(all) != 2 {
		t.Fatalf("All() = %v; want 2 warnings", all)
	}
	if want := []string{"en", "en-AU", "en-GB"}; !slices.Equal(all[0].Locales, want) {
		t.Errorf("All()[0].Locales = %v; want %v", all[0].Locales, want)
	}
	if got, want := all[0].String(), "content/en/privacy.md:12: broken fragment link: #nope (in en, en-AU, en-GB)"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

func TestWarningsSummary(t *testing.T) {
	var ws Warnings
	for _, f := range []string{"docs/b.md", "docs/a.md", "docs/c.md"} {
		ws.Add(Warning{Kind: "unknown front-matter key sidebar_position", File: f, Line: 3, Hint: "ignored"})
	}
	ws.Add(Warning{Kind: "shortcode", File: "x.md", Line: 1, Detail: "{{< ref >}}", Hint: "shown as text"})
	ws.Add(Warning{Kind: "shortcode", File: "x.md", Line: 9, Detail: "{{< ref >}}"})
	got := ws.Summary(2)
	want := []string{
		"shortcode in 2 places in 1 file (e.g. x.md:1, x.md:9), shown as text",
		"unknown front-matter key sidebar_position in 3 files (e.g. docs/a.md:3, docs/b.md:3), ignored",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Summary(2) =\n%q\nwant\n%q", got, want)
	}
	err := ws.Err()
	var se *SourceError
	if !errors.As(err, &se) || len(Errors(err)) != 5 {
		t.Errorf("Err() = %v; want 5 source errors", err)
	}
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1172, "1,172"}, {1234567, "1,234,567"}, {-1500, "-1,500"}} {
		if got := Count(tc.n); got != tc.want {
			t.Errorf("Count(%d) = %q; want %q", tc.n, got, tc.want)
		}
	}
	if got := Plural(1, "warning", "warnings"); got != "1 warning" {
		t.Errorf("Plural(1) = %q", got)
	}
}

func TestWarningsErrWithoutFile(t *testing.T) {
	var ws Warnings
	ws.Add(Warning{Kind: "missing UI strings", Detail: "de: skip_link", Hint: "add them to i18n/<tag>.toml"})
	if got, want := ws.Err().Error(), "missing UI strings: de: skip_link; add them to i18n/<tag>.toml (an error because of --strict)"; got != want {
		t.Errorf("Err() = %q; want %q", got, want)
	}
}
