package themes_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"policysite/generator/i18n"
	"policysite/generator/render"
	"policysite/generator/theme"
	"policysite/themes"
)

// shippedLanguages are the languages the default theme must speak: those
// of the 32 region/language pairs of ../shared/SITE-SPEC.md, the 24
// official languages of the EU, and Arabic and Hebrew (right to left).
var shippedLanguages = []string{
	// The 32 pairs.
	"en", "ru", "pt", "zh-Hans", "fr", "de", "it", "ja", "ko", "es", "nl", "ro", "th", "tr", "uk", "uz-Latn", "vi",
	// The EU's official languages not listed above; European Portuguese
	// and Swiss German.
	"bg", "cs", "da", "el", "et", "fi", "ga", "hr", "hu", "lt", "lv", "mt", "pl", "sk", "sl", "sv", "pt-PT", "de-CH",
	// Right to left.
	"ar", "he",
	// Traditional Chinese, for zh-TW and zh-HK sites.
	"zh-Hant",
}

// dynamicKeys are the keys the templates build at run time, which
// Theme.Keys cannot see: consent.html's {{T (print "consent_" $cat)}}
// and render's default legal links, and those render and the feeds
// use outside templates (the title of a "what changed" page, the feed's
// title and entries).
var dynamicKeys = []string{
	"changes_title", "feed_title", "feed_entry",
	"consent_preferences", "consent_preferences_desc",
	"consent_analytics", "consent_analytics_desc",
	"consent_marketing", "consent_marketing_desc",
	"legal_terms", "legal_privacy", "legal_cookies",
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}|%[a-z]`)

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	slices.Sort(p)
	return p
}

// TestStringsComplete checks the theme's strings: every key the
// templates use is in English, every language has exactly English's
// keys, none empty, with the same placeholders, typographic quotes, and
// nothing of the example site's brand.
func TestStringsComplete(t *testing.T) {
	th, err := theme.Load(context.Background(), theme.Options{Embedded: themes.Default(), Funcs: render.Funcs()})
	if err != nil {
		t.Fatal(err)
	}
	tables := th.Strings()
	en := tables[i18n.English]
	used := append(th.Keys(), dynamicKeys...)
	for _, k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("en.toml lacks %q, which the templates use", k)
		}
	}
	for k := range en {
		if !slices.Contains(used, k) {
			t.Errorf("en.toml has %q, which no template uses", k)
		}
	}
	for _, lang := range shippedLanguages {
		if tables[lang] == nil {
			t.Errorf("the theme has no i18n/%s.toml", lang)
		}
	}
	for tag, table := range tables {
		for k, want := range en {
			v, ok := table[k]
			switch {
			case !ok:
				t.Errorf("%s.toml lacks %q", tag, k)
				continue
			case strings.TrimSpace(v) == "":
				t.Errorf("%s.toml: %s is empty", tag, k)
			case strings.TrimSpace(v) != v:
				t.Errorf("%s.toml: %s has leading or trailing space: %q", tag, k, v)
			}
			if got, want := placeholders(v), placeholders(want); !slices.Equal(got, want) {
				t.Errorf("%s.toml: %s has placeholders %q; English has %q", tag, k, got, want)
			}
			if strings.ContainsAny(v, "\"'") {
				t.Errorf("%s.toml: %s uses a straight quote; use the language's quotation marks or ’: %q", tag, k, v)
			}
			if strings.Contains(v, "Example") {
				t.Errorf("%s.toml: %s names the example site: %q", tag, k, v)
			}
		}
		for k := range table {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.toml has %q, which en.toml does not", tag, k)
			}
		}
		// The files are named as the lookup finds them.
		if !slices.Contains(i18n.Candidates(tag), tag) {
			t.Errorf("%s.toml: not a name the lookup tries", tag)
		}
	}
	// Each language's consent buttons differ from each other: a
	// translation that reused one label would make two buttons alike.
	for tag, table := range tables {
		labels := []string{table["consent_accept_all"], table["consent_reject_all"], table["consent_settings"]}
		if labels[0] == labels[1] || labels[1] == labels[2] || labels[0] == labels[2] {
			t.Errorf("%s.toml: consent buttons not distinct: %q", tag, labels)
		}
		if table["consent_settings"] == table["consent_preferences"] {
			t.Errorf("%s.toml: the Settings button and the Preferences category read alike: %q", tag, table["consent_settings"])
		}
	}
}
