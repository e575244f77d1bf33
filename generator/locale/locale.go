// Package locale resolves a site's locales: their fallback chains, their
// language, script and text direction, and their names from CLDR data.
package locale

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"policysite/generator/config"
	"policysite/generator/diag"
)

// Locale is a resolved locale. It is immutable once built by New.
type Locale struct {
	config.Locale
	// Language is the parsed tag.
	Language language.Tag
	// Base is the language subtag ("en" for en-GB).
	Base string
	// Script is the script subtag, explicit or likely ("Latn", "Hans").
	Script string
	// Region is the explicit region subtag, or "" for a language-only locale.
	Region string
	// Chain lists the locale itself and then, in order, the locales it
	// falls back to.
	Chain []string
	// Default reports whether this is the site's x-default locale.
	Default bool
}

// Dir returns "rtl" for right-to-left scripts and "ltr" otherwise.
func (l *Locale) Dir() string { return Direction(l.Language) }

// Direction returns the text direction of the script of t.
func Direction(t language.Tag) string {
	s, _ := t.Script()
	switch s.String() {
	case "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr":
		return "rtl"
	}
	return "ltr"
}

// LanguageName returns the locale's language named in itself ("Deutsch",
// "русский" → "Русский"), capitalised for use as a stand-alone label.
func (l *Locale) LanguageName() string { return SelfName(l.Language) }

// SelfName names t's language in itself, from CLDR.
func SelfName(t language.Tag) string {
	b, _ := t.Base()
	base := language.Make(b.String())
	if s, conf := t.Script(); conf == language.Exact {
		base, _ = language.Compose(b, s)
	}
	return capitalize(display.Self.Name(base), t)
}

// NameIn names t's language in the language of in ("Deutsch" in German,
// "German" in English).
func NameIn(t, in language.Tag) string {
	b, _ := t.Base()
	n := display.Languages(in).Name(language.Make(b.String()))
	if n == "" {
		return SelfName(t)
	}
	return capitalize(n, in)
}

// RegionName returns the locale's region named in the language of in,
// or "" for a language-only locale.
func (l *Locale) RegionName(in language.Tag) string {
	if l.Region == "" {
		return ""
	}
	r := language.MustParseRegion(l.Region)
	if n := display.Regions(in).Name(r); n != "" {
		return n
	}
	return display.English.Regions().Name(r)
}

// capitalize upper-cases the first letter of s with t's casing rules
// (Turkish i → İ), because CLDR names are in mid-sentence form.
func capitalize(s string, t language.Tag) string {
	for i, r := range s {
		_ = r
		j := i + len(string(r))
		return cases.Upper(t).String(s[:j]) + s[j:]
	}
	return s
}

// Set is a site's locales. It is immutable once built and safe for
// concurrent use.
type Set struct {
	// All holds every locale in configuration order.
	All []*Locale
	// Default is the x-default locale.
	Default *Locale
	byTag   map[string]*Locale
}

// New resolves the locales of site. Fallback chains follow each
// locale's Fallback list transitively; a cycle or an unknown locale in
// a list is an error.
func New(site *config.Site) (*Set, error) {
	set := &Set{byTag: map[string]*Locale{}}
	for _, cl := range site.Locales {
		t := language.MustParse(cl.Tag)
		b, _ := t.Base()
		sc, _ := t.Script()
		l := &Locale{Locale: cl, Language: t, Base: b.String(), Script: sc.String()}
		if r, conf := t.Region(); conf == language.Exact {
			l.Region = r.String()
		}
		l.Default = cl.Tag == site.DefaultLocale
		set.All = append(set.All, l)
		set.byTag[cl.Tag] = l
		if l.Default {
			set.Default = l
		}
	}
	var errs diag.List
	where := func(l *Locale) string {
		if site.File != "" && l.Line() > 0 {
			return fmt.Sprintf("%s:%d", site.File, l.Line())
		}
		return site.File
	}
	for _, l := range set.All {
		for _, f := range l.Fallback {
			if _, ok := set.byTag[f]; !ok {
				errs.Add(fmt.Errorf("%s: locale %q falls back to %q, which is not a locale of the site; add it to [[locales]] or fix the tag", where(l), l.Tag, f))
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, l := range set.All {
		chain, err := set.chain(l.Tag, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(l), err)
		}
		l.Chain = chain
	}
	return set, nil
}

// fallbacks returns the locales l falls back to directly.
func (s *Set) fallbacks(l *Locale) []string {
	if l.Fallback != nil {
		return l.Fallback
	}
	if l.Region != "" || l.Script != "" && l.Language.String() != l.Base {
		if lang, ok := s.byTag[l.Base]; ok && lang != l {
			return []string{lang.Tag}
		}
	}
	if !l.Default {
		return []string{s.Default.Tag}
	}
	return nil
}

func (s *Set) chain(tag string, visiting []string) ([]string, error) {
	if slices.Contains(visiting, tag) {
		return nil, fmt.Errorf("fallback cycle: %s → %s; remove one of these fallbacks", strings.Join(visiting, " → "), tag)
	}
	visiting = append(visiting, tag)
	out := []string{tag}
	for _, f := range s.fallbacks(s.byTag[tag]) {
		sub, err := s.chain(f, visiting)
		if err != nil {
			return nil, err
		}
		for _, t := range sub {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// Get returns the locale with the given tag, or nil.
func (s *Set) Get(tag string) *Locale { return s.byTag[tag] }

// Published returns the published locales in configuration order.
func (s *Set) Published() []*Locale {
	var out []*Locale
	for _, l := range s.All {
		if l.Published() {
			out = append(out, l)
		}
	}
	return out
}

// SameLanguage reports whether a and b share a language and script, so
// that one's text can stand in for the other's as a full translation.
func SameLanguage(a, b *Locale) bool { return a.Base == b.Base && a.Script == b.Script }

// Sort sorts keys in place the way people reading language t expect
// (CLDR collation), breaking ties by the keys' byte order.
func Sort[T any](t language.Tag, items []T, key func(T) string) {
	c := collate.New(t)
	var buf collate.Buffer
	keys := make(map[string][]byte, len(items))
	for _, it := range items {
		k := key(it)
		if _, ok := keys[k]; !ok {
			keys[k] = slices.Clone(c.KeyFromString(&buf, k))
			buf.Reset()
		}
	}
	slices.SortStableFunc(items, func(a, b T) int {
		ka, kb := key(a), key(b)
		if r := strings.Compare(string(keys[ka]), string(keys[kb])); r != 0 {
			return r
		}
		return strings.Compare(ka, kb)
	})
}
