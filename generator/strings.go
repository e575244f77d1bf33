package generator

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"policysite/generator/config"
	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/render"
)

// StringKeys returns the UI string keys the site's pages show, sorted:
// every key of the theme's English strings, every key its templates
// pass to T as a literal, and the names of the site's menu items.
func StringKeys(site *Site) []string {
	seen := map[string]bool{}
	for k := range site.Theme.Strings()[i18n.English] {
		seen[k] = true
	}
	for _, k := range site.Theme.Keys() {
		seen[k] = true
	}
	var menu func([]config.MenuItem)
	menu = func(items []config.MenuItem) {
		for _, it := range items {
			seen[it.Name] = true
			menu(it.Children)
		}
	}
	m := site.Config.Menus
	menu(m.Main)
	menu(m.Footer)
	menu(m.Legal)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// A LocaleGaps lists the UI strings one published locale lacks in its
// language: what its visitors see in another language, or as a key.
type LocaleGaps struct {
	Locale string `json:"locale"`
	// File is the site strings file where the locale's strings belong.
	File string     `json:"file"`
	Gaps []i18n.Gap `json:"gaps"`
}

// StringGaps returns the gaps of every published locale that has any,
// in configuration order.
func StringGaps(site *Site) []LocaleGaps {
	keys := StringKeys(site)
	var out []LocaleGaps
	for _, l := range site.Locales.Published() {
		if gaps := site.Catalog.Gaps(l.Chain, keys); len(gaps) > 0 {
			out = append(out, LocaleGaps{Locale: l.Tag, File: site.Catalog.SiteFile(l.Chain), Gaps: gaps})
		}
	}
	return out
}

// Warnings returns the warnings a build of site with r reports, one
// line per kind, and how many warnings they stand for: one per
// published locale that lacks UI strings in its language, and those of
// site.Warnings, where every stage of the build (r's included) adds its
// own. When strict, they are an error instead.
func Warnings(site *Site, r *render.Renderer, strict bool) ([]string, int, error) {
	var ws diag.Warnings
	StringWarnings(site, &ws)
	// The warnings the stages of the build collected (other tools'
	// front matter, raw HTML removed, other tools' Markdown changed,
	// .mdx files not read), copied so that an update starts from them
	// rather than adding the string gaps to them again.
	for _, w := range site.Warnings.All() {
		ws.Add(w)
	}
	if strict {
		if err := ws.Err(); err != nil {
			return nil, 0, err
		}
	}
	return ws.Summary(summaryExamples), ws.Len(), nil
}

// StringWarnings adds one warning per published locale with gaps to ws,
// e.g. "i18n/sw.toml: sw-KE: 41 UI strings missing; shown in English;
// policysite status --strings lists them".
func StringWarnings(site *Site, ws *diag.Warnings) {
	for _, lg := range StringGaps(site) {
		ws.Add(diag.Warning{
			Kind: fmt.Sprintf("%s: %s missing", lg.Locale, diag.Plural(len(lg.Gaps), "UI string", "UI strings")),
			File: lg.File,
			Hint: shownAs(lg.Gaps) + "; policysite status --strings lists them",
		})
	}
}

// shownAs says what visitors see instead of the missing strings.
func shownAs(gaps []i18n.Gap) string {
	var langs []string
	raw := 0
	for _, g := range gaps {
		if g.From == "" {
			raw++
			continue
		}
		if n := LanguageName(g.From); !slices.Contains(langs, n) {
			langs = append(langs, n)
		}
	}
	var parts []string
	if len(langs) > 0 {
		slices.Sort(langs)
		parts = append(parts, "shown in "+strings.Join(langs, ", "))
	}
	if raw > 0 {
		parts = append(parts, fmt.Sprintf("%s shown as the key", diag.Plural(raw, "string", "strings")))
	}
	return strings.Join(parts, ", ")
}

// LanguageName names the language of a strings file's tag in English,
// with its script where the tag names one ("Chinese (Simplified)").
func LanguageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	b, _ := t.Base()
	if s, conf := t.Script(); conf == language.Exact {
		if c, err := language.Compose(b, s); err == nil {
			if n := display.English.Tags().Name(c); n != "" {
				return n
			}
		}
	}
	if n := display.English.Languages().Name(language.Make(b.String())); n != "" {
		return n
	}
	return tag
}
