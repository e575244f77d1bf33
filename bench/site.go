// Package bench generates large multilingual policy sites for
// benchmarks: N locales × P pages of 20–40 KB in Latin, Cyrillic, CJK
// and Thai scripts, with front matter, tables, lists, links between
// pages, regional section overrides and language fallbacks, written in
// policysite's layout and, for a side-by-side comparison, in Hugo's.
//
// The same Options always produce the same bytes.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Options describe a generated site. The zero value is not useful; set
// Locales and Pages.
type Options struct {
	// Locales is the number of published locales, at most
	// len(AllLocales); the first Locales of AllLocales are used.
	Locales int
	// Pages is the number of pages per locale, including the home and
	// the privacy, cookie and terms policies (so at least 4).
	Pages int
	// Seed varies the text; 0 is a fine default.
	Seed uint64
}

// AllLocales are the published locales a generated site draws from: the
// 32 region/language pairs of the example site, 12 of them English.
var AllLocales = []string{
	"en", "en-AU", "ru-BY", "pt-BR", "en-CA", "zh-CN", "fr-FR", "de-DE",
	"en-IE", "it-IT", "ja-JP", "ru-KZ", "en-KE", "ko-KR", "en-MY", "es-MX",
	"en-NZ", "nl-NL", "ro-RO", "ru-RU", "en-SG", "en-ZA", "es-ES", "en-CH",
	"th-TH", "tr-TR", "uk-UA", "en-GB", "en-US", "ru-UZ", "uz-UZ", "vi-VN",
}

// defaultLocale is the x-default locale and every chain's last link.
const defaultLocale = "en"

// fixedKeys are the pages every site has, in order; further pages are
// page-0004, page-0005, …
var fixedKeys = []string{"_index", "privacy", "cookies", "terms"}

// sectionsPerPage is the number of ## sections of a policy page; links
// to other pages name fragments among the first linkableSections, which
// every version of every page has.
const (
	sectionsPerPage  = 12
	linkableSections = 8
)

// site is the in-memory model both layouts are written from.
type site struct {
	opts      Options
	published []string // locale tags, configuration order
	bases     []string // unpublished language bases, sorted
	keys      []string
	// text[lang][key] is a language base's page; a missing entry falls
	// back to the default locale.
	text map[string]map[string]*page
	// override[tag][key] lists the sections a region replaces.
	override map[string]map[string]*page
}

// A page is a title, a description and its sections in order.
type page struct {
	title, description, lastmod string
	intro                       string
	sections                    []section
	extends                     bool
}

type section struct {
	id, heading, body string
}

func baseOf(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		return tag[:i]
	}
	return tag
}

func newSite(o Options) (*site, error) {
	if o.Locales < 1 || o.Locales > len(AllLocales) {
		return nil, fmt.Errorf("locales = %d; want 1 to %d", o.Locales, len(AllLocales))
	}
	if o.Pages < len(fixedKeys) {
		return nil, fmt.Errorf("pages = %d; want at least %d", o.Pages, len(fixedKeys))
	}
	s := &site{opts: o, published: AllLocales[:o.Locales], text: map[string]map[string]*page{}, override: map[string]map[string]*page{}}
	s.keys = append(s.keys, fixedKeys...)
	for i := len(fixedKeys); i < o.Pages; i++ {
		s.keys = append(s.keys, fmt.Sprintf("page-%04d", i))
	}
	seen := map[string]bool{defaultLocale: true}
	for _, tag := range s.published {
		if b := baseOf(tag); !seen[b] {
			seen[b] = true
			s.bases = append(s.bases, b)
		}
	}
	langs := append([]string{defaultLocale}, s.bases...)
	for _, lang := range langs {
		m := map[string]*page{}
		for i, key := range s.keys {
			rng := s.rng(lang, key)
			// Non-default languages lack one page in twenty, which
			// their locales then show in English (a fallback).
			// The last language always lacks the last page, so even a
			// small site has a fallback.
			missing := rng.IntN(20) == 0 || lang == langs[len(langs)-1] && i == len(s.keys)-1
			if lang != defaultLocale && i >= len(fixedKeys) && missing {
				continue
			}
			m[key] = s.newPage(rng, lang, key)
		}
		s.text[lang] = m
	}
	for _, tag := range s.published {
		if tag == baseOf(tag) {
			continue
		}
		m := map[string]*page{}
		for _, key := range s.keys {
			if key == "_index" {
				continue
			}
			rng := s.rng(tag, key)
			// Three regional pages in ten replace one or two sections
			// of their language's text; the rest inherit it as it is.
			if rng.IntN(10) >= 3 {
				continue
			}
			lang := baseOf(tag)
			if s.text[lang][key] == nil {
				continue
			}
			ov := &page{extends: true, lastmod: "2026-10-20"}
			first := rng.IntN(sectionsPerPage - 1)
			for idx := first; idx < first+1+rng.IntN(2); idx++ {
				ov.sections = append(ov.sections, s.newSection(rng, lang, idx, fmt.Sprintf("%s %s", tag, key)))
			}
			m[key] = ov
		}
		s.override[tag] = m
	}
	return s, nil
}

// rng returns a generator determined by the seed, a locale and a key.
func (s *site) rng(tag, key string) *rand.Rand {
	var h uint64 = 14695981039346656037
	for _, c := range []byte(tag + "\x00" + key) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return rand.New(rand.NewPCG(s.opts.Seed, h))
}

func (s *site) newPage(rng *rand.Rand, lang, key string) *page {
	v := vocabularyFor(lang)
	p := &page{
		title:       titleOf(v, key, rng),
		description: v.sentence(rng, 14),
		lastmod:     fmt.Sprintf("2026-%02d-%02d", 1+rng.IntN(10), 1+rng.IntN(28)),
	}
	if key == "_index" {
		p.intro = v.paragraph(rng, 3)
		return p
	}
	p.intro = v.paragraph(rng, 4) + " " + s.link(rng, v, key, "#s-2")
	for i := range sectionsPerPage {
		p.sections = append(p.sections, s.newSection(rng, lang, i, key))
	}
	return p
}

// newSection writes section idx (id s-<idx+1>): paragraphs, a list,
// sometimes a table, and links to other pages and fragments.
func (s *site) newSection(rng *rand.Rand, lang string, idx int, from string) section {
	v := vocabularyFor(lang)
	var b strings.Builder
	for range 2 + rng.IntN(2) {
		b.WriteString(v.paragraph(rng, 4+rng.IntN(3)))
		b.WriteString(" ")
		b.WriteString(s.link(rng, v, from, ""))
		b.WriteString("\n\n")
	}
	for range 4 + rng.IntN(4) {
		fmt.Fprintf(&b, "- **%s**: %s\n", v.words(rng, 2), v.sentence(rng, 10+rng.IntN(10)))
	}
	b.WriteString("\n")
	if idx%3 == 1 {
		fmt.Fprintf(&b, "| %s | %s | %s |\n|---|---|---|\n", v.words(rng, 1), v.words(rng, 2), v.words(rng, 1))
		for range 5 + rng.IntN(5) {
			fmt.Fprintf(&b, "| %s | %s | %d %s |\n", v.words(rng, 2), v.sentence(rng, 6), 1+rng.IntN(36), v.words(rng, 1))
		}
		b.WriteString("\n")
	}
	b.WriteString(v.paragraph(rng, 3))
	b.WriteString("\n")
	return section{id: fmt.Sprintf("s-%d", idx+1), heading: v.words(rng, 3+rng.IntN(3)), body: b.String()}
}

// link returns a Markdown link to another page (with or without a
// fragment) or, when frag is set, to a fragment of the same page.
func (s *site) link(rng *rand.Rand, v *vocabulary, from, frag string) string {
	text := v.words(rng, 2+rng.IntN(2))
	if frag != "" {
		return fmt.Sprintf("[%s](%s).", text, frag)
	}
	key := s.keys[1+rng.IntN(len(s.keys)-1)]
	if key == from {
		return fmt.Sprintf("[%s](#s-%d).", text, 1+rng.IntN(linkableSections))
	}
	if rng.IntN(2) == 0 {
		return fmt.Sprintf("[%s](%s.md#s-%d).", text, key, 1+rng.IntN(linkableSections))
	}
	return fmt.Sprintf("[%s](%s.md).", text, key)
}

func titleOf(v *vocabulary, key string, rng *rand.Rand) string {
	switch key {
	case "_index":
		return v.words(rng, 2)
	case "privacy", "cookies", "terms":
		return v.words(rng, 2) + " " + key
	}
	return v.words(rng, 3) + " " + strings.TrimPrefix(key, "page-")
}

// merged returns the text locale tag shows for key, with the language
// it is in: its region's overrides applied to its language's text, or
// the default locale's text.
func (s *site) merged(tag, key string) (*page, string) {
	lang := baseOf(tag)
	base := s.text[lang][key]
	if base == nil {
		return s.text[defaultLocale][key], defaultLocale
	}
	ov := s.override[tag][key]
	if ov == nil {
		return base, lang
	}
	p := *base
	p.lastmod = ov.lastmod
	p.sections = append([]section(nil), base.sections...)
	for _, o := range ov.sections {
		for i := range p.sections {
			if p.sections[i].id == o.id {
				p.sections[i] = o
			}
		}
	}
	return &p, lang
}
