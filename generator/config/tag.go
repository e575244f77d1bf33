package config

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CheckTag validates a locale tag of the form language[-Script][-REGION]
// and returns it unchanged. A tag that is not in canonical form, or
// not a tag at all, gets an error that suggests the right one.
func CheckTag(s string) (string, error) {
	t, err := language.Parse(s)
	if err != nil || t == language.Und {
		return "", tagError(s)
	}
	base, conf := t.Base()
	if conf != language.Exact || base.String() == "und" {
		return "", tagError(s)
	}
	if len(t.Variants()) > 0 || len(t.Extensions()) > 0 || strings.Contains(strings.ToLower(s), "-x-") {
		return "", fmt.Errorf("%q: only language[-Script][-REGION] tags are supported (no variants, extensions or private use)", s)
	}
	if r, conf := t.Region(); conf == language.Exact && !r.IsCountry() {
		return "", fmt.Errorf("%q: region %q is not a country or territory; use a two-letter ISO 3166 code such as %s-GB", s, r, base)
	}
	if canon := t.String(); canon != s {
		return "", fmt.Errorf("%q is not a canonical BCP 47 tag; use %q", s, canon)
	}
	return s, nil
}

// tagError explains why s is not a tag and, where it can, what to use.
func tagError(s string) error {
	if strings.Contains(s, "_") {
		if t, err := language.Parse(strings.ReplaceAll(s, "_", "-")); err == nil {
			return fmt.Errorf("%q is not a BCP 47 tag (tags use '-', not '_'); use %q", s, t.String())
		}
	}
	if r, err := language.ParseRegion(s); err == nil && len(s) == 2 {
		return fmt.Errorf("%q is a region code, not a language; use language-REGION, for example %q", s, "en-"+r.String())
	}
	if b, ok := baseByEnglishName(s); ok {
		return fmt.Errorf("%q is not a BCP 47 tag; use the language code %q", s, b)
	}
	if i := strings.IndexByte(s, '-'); i > 0 {
		if _, err := language.ParseBase(s[:i]); err != nil {
			return fmt.Errorf("%q: unknown language %q; use an ISO 639 code such as \"en\", \"de\" or \"pt-BR\"", s, s[:i])
		}
		return fmt.Errorf("%q: unknown region or script %q; use a form such as \"en-GB\" or \"zh-Hans-CN\"", s, s[i+1:])
	}
	return fmt.Errorf("%q is not a BCP 47 language tag; use a form such as \"en\", \"en-GB\" or \"zh-Hans-CN\"", s)
}

// baseByEnglishName finds the language whose English CLDR name is s,
// so that a folder called "english" or "German" gets a useful hint.
func baseByEnglishName(s string) (string, bool) {
	names := display.English.Languages()
	for _, t := range display.Supported.Tags() {
		if b, _ := t.Base(); strings.EqualFold(names.Name(language.Make(b.String())), s) {
			return b.String(), true
		}
	}
	for _, t := range []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "zh", "ja", "ko", "ar", "he", "tr", "uk", "uz", "th", "vi", "ro", "pl", "sv"} {
		if strings.EqualFold(names.Name(language.Make(t)), s) {
			return t, true
		}
	}
	return "", false
}

// optInRegions are the regions whose law requires opt-in consent for
// non-essential cookies: the EU/EEA, the UK, Switzerland and Brazil.
var optInRegions = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true,
	"EE": true, "FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true,
	"IT": true, "LV": true, "LT": true, "LU": true, "MT": true, "NL": true, "PL": true,
	"PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"IS": true, "LI": true, "NO": true, "GB": true, "CH": true, "BR": true,
}

// defaultConsent picks opt-in where the region's law requires it, and for
// region-neutral locales, whose visitors may come from anywhere.
func defaultConsent(tag string) string {
	t := language.Make(tag)
	r, conf := t.Region()
	if conf != language.Exact || optInRegions[r.String()] {
		return ConsentOptIn
	}
	return ConsentNotice
}
