package render

import (
	"context"
	"html/template"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
	"policysite/generator/markdown"
)

// Data is what every layout receives. Templates read it; nothing in it
// is trusted HTML except Content.
type Data struct {
	// Kind is "page", "home", "selector" or "404".
	Kind string
	// Key is the page's translation key, the same in every locale:
	// "privacy", "_index" for a locale's home and the region selector,
	// "" for the 404 page.
	Key string
	// Lang and Dir describe the page chrome; ContentLang and ContentDir
	// the main text, which differ on a fallback page.
	Lang, Dir               string
	ContentLang, ContentDir string
	Title, Description      string
	Content                 template.HTML
	TOC                     []markdown.TOCEntry
	LastUpdated             string
	LastUpdatedISO          string
	Canonical               string
	Alternates              []links.Alternate
	NoIndex                 bool
	OGLocale                string
	Fallback                *Fallback
	SiteName                string
	// Root is the URL of the region selector; Home of the locale's home.
	Root, Home string
	Locale     LocaleInfo
	Switcher   []SwitchItem
	Menu       []MenuItem
	Footer     []MenuItem
	Legal      []MenuItem
	Policies   []PageLink
	Regions    []SwitchItem
	Consent    ConsentData
	Year       int
	DevScript  string
}

// Fallback describes a page shown in another language.
type Fallback struct {
	Language       string // the locale's language, named in itself
	SourceLanguage string // the text's language, named in the locale's language
}

// LocaleInfo describes the page's locale.
type LocaleInfo struct {
	Tag, Path    string
	LanguageName string // in itself
	RegionName   string // in the page's language; "" for language-only
	Label        string // region and language, for the switcher button
}

// A SwitchItem is one locale in the switcher or the region selector.
type SwitchItem struct {
	Tag      string
	Region   string // in the page's language
	Language string // in itself
	LangDir  string
	URL      string
	Current  bool
}

// A MenuItem is a resolved menu entry.
type MenuItem struct {
	Label    string
	URL      string
	Current  bool
	Children []MenuItem
}

// A PageLink lists a page on a locale home.
type PageLink struct {
	Title, Description, URL string
	Lang                    string // set when the page is in another language
}

// ConsentData configures the cookie notice.
type ConsentData struct {
	Mode       string // "opt-in" or "notice"
	Revision   string
	CookieName string
	PolicyURL  string
	// SettingsURL is where the "Cookie settings" link leads without
	// JavaScript: the policy's #change-consent section when it has one.
	SettingsURL string
	Scripts     []ScriptRef
}

// A ScriptRef is a script that runs only after its category is accepted.
type ScriptRef struct {
	Category, Src, Integrity string
}

// consentSection is the ID of the cookie policy's section on changing
// consent, which the footer's "Cookie settings" link targets.
const consentSection = "change-consent"

type switchEntry struct {
	loc     *locale.Locale
	pub     int // loc's index in the published locales
	region  string
	sortKey string
	// language is loc's language named in itself and dir its text
	// direction, kept because finding them takes CLDR lookups and
	// every page lists every locale.
	language, dir string
}

// regionLabel names a locale's region in the language of in; a
// language-only locale is named by CLDR's "World" (001).
func regionLabel(l *locale.Locale, in language.Tag) string {
	if n := l.RegionName(in); n != "" {
		return n
	}
	return display.Regions(in).Name(language.MustParseRegion("001"))
}

// selfNames returns each published locale's language named in itself,
// and its text direction, which every locale's switcher lists.
func selfNames(pub []*locale.Locale) (names, dirs []string) {
	names, dirs = make([]string, len(pub)), make([]string, len(pub))
	for i, l := range pub {
		names[i], dirs[i] = l.LanguageName(), l.Dir()
	}
	return names, dirs
}

// switcherFor sorts the published locales by region then language, with
// the collation of l's language. names and dirs are selfNames'.
func (r *Renderer) switcherFor(l *locale.Locale, names, dirs []string) []switchEntry {
	var out []switchEntry
	for i, o := range r.opts.Locales.Published() {
		region, lang := regionLabel(o, l.Language), names[i]
		// The sort key is built once here, not in every comparison.
		out = append(out, switchEntry{loc: o, pub: i, region: region, sortKey: region + "\x00" + lang, language: lang, dir: dirs[i]})
	}
	locale.Sort(l.Language, out, func(e switchEntry) string { return e.sortKey })
	// The region-neutral locale (x-default) leads the list.
	slices.SortStableFunc(out, func(a, b switchEntry) int {
		switch {
		case a.loc.Region == "" && b.loc.Region != "":
			return -1
		case a.loc.Region != "" && b.loc.Region == "":
			return 1
		}
		return 0
	})
	return out
}

// translations are what every page of one translation key lists.
type translations struct {
	// urls holds the key's URL in each published locale, in
	// configuration order; a locale without the page has its home's.
	urls []string
	// alternates is the key's hreflang cluster.
	alternates []links.Alternate
}

// indexTranslations computes every key's translations once, instead of
// for each of its pages in each locale.
func (r *Renderer) indexTranslations() map[string]*translations {
	m := make(map[string]*translations, len(r.opts.Pages.Keys))
	for _, key := range r.opts.Pages.Keys {
		m[key] = r.newTranslations(key)
	}
	return m
}

// translationsOf returns key's translations.
func (r *Renderer) translationsOf(key string) *translations {
	if t, ok := r.translations[key]; ok {
		return t
	}
	// A key no page has, such as the 404 page's "".
	return r.newTranslations(key)
}

func (r *Renderer) newTranslations(key string) *translations {
	pub := r.opts.Locales.Published()
	t := &translations{urls: make([]string, len(pub)), alternates: r.opts.Links.Alternates(key)}
	for i, l := range pub {
		u, ok := r.opts.Links.Page(l.Tag, key)
		if !ok {
			u = r.opts.Links.Home(l.Tag)
		}
		t.urls[i] = u
	}
	return t
}

// perLocaleData returns the fields of Data that are the same on every
// page of locale lr, computed once because they take CLDR and UI string
// lookups. settings reports whether the locale's cookie policy has a
// #change-consent section. Year, which a Renderer from WithPages may
// change, is left to base.
func (r *Renderer) perLocaleData(lr *localeRenderer, settings bool) Data {
	l := lr.loc
	d := Data{
		Lang: l.Tag, Dir: l.Dir(), ContentLang: l.Tag, ContentDir: l.Dir(),
		OGLocale: strings.ReplaceAll(l.Tag, "-", "_"),
		Root:     r.opts.Links.Root(),
		Home:     r.opts.Links.Home(l.Tag),
		Locale: LocaleInfo{
			Tag: l.Tag, Path: l.Path, LanguageName: l.LanguageName(),
			RegionName: regionLabel(l, l.Language),
		},
		DevScript: r.opts.DevScript,
	}
	d.SiteName = r.t(l, "site_name", r.opts.Site.Title)
	d.Locale.Label = d.Locale.RegionName + " – " + d.Locale.LanguageName
	policyURL, _ := r.opts.Links.Page(l.Tag, "cookies")
	d.Consent = ConsentData{Mode: l.Consent, Revision: r.opts.Site.Consent.Revision, CookieName: r.opts.Site.Consent.CookieName, PolicyURL: policyURL, SettingsURL: policyURL}
	if policyURL != "" && settings {
		d.Consent.SettingsURL = policyURL + "#" + consentSection
	}
	for _, s := range r.opts.Site.Consent.Scripts {
		ref := ScriptRef{Category: s.Category, Src: s.Src}
		if a := r.opts.Theme.Asset(s.Src); a != nil {
			ref.Src, ref.Integrity = r.opts.Links.Path(a.Path), a.Integrity
		}
		d.Consent.Scripts = append(d.Consent.Scripts, ref)
	}
	return d
}

// base fills what every page of locale lr shares; key and url identify
// the page, for the switcher and the menus.
func (r *Renderer) base(lr *localeRenderer, key, url string) *Data {
	l := lr.loc
	d := new(Data)
	*d = lr.perLocale
	d.Key, d.Year = key, r.year
	urls := r.translationsOf(key).urls
	d.Switcher = make([]SwitchItem, len(lr.switcher))
	for i, e := range lr.switcher {
		d.Switcher[i] = SwitchItem{
			Tag: e.loc.Tag, Region: e.region, Language: e.language, LangDir: e.dir,
			URL: urls[e.pub], Current: e.loc == l,
		}
	}
	d.Menu = r.menu(l, r.opts.Site.Menus.Main, url)
	d.Footer = r.menu(l, r.opts.Site.Menus.Footer, url)
	legal := r.opts.Site.Menus.Legal
	if legal == nil {
		for _, k := range []struct{ name, page string }{{"legal_terms", "terms"}, {"legal_privacy", "privacy"}, {"legal_cookies", "cookies"}} {
			if _, ok := r.opts.Links.Page(l.Tag, k.page); ok {
				legal = append(legal, config.MenuItem{Name: k.name, Page: k.page})
			}
		}
	}
	d.Legal = r.menu(l, legal, url)
	return d
}

// t returns the UI string key of locale l, or def when no strings
// file has it (the build reports it; see generator.StringGaps).
func (r *Renderer) t(l *locale.Locale, key, def string) string {
	var s string
	var m i18n.Match
	if lr := r.locales[l.Tag]; lr != nil {
		s, m, _ = lr.strings.Lookup(key)
	} else {
		s, m, _ = r.opts.Catalog.Lookup(l.Chain, key)
	}
	if m == i18n.None {
		return def
	}
	return s
}

func (r *Renderer) menu(l *locale.Locale, items []config.MenuItem, current string) []MenuItem {
	var out []MenuItem
	for _, it := range items {
		m := MenuItem{Label: r.t(l, it.Name, it.Name), URL: it.URL}
		if it.Page != "" {
			if u, ok := r.opts.Links.Page(l.Tag, it.Page); ok {
				m.URL = u
			} else {
				continue
			}
		}
		m.Current = m.URL != "" && m.URL == current
		m.Children = r.menu(l, it.Children, current)
		out = append(out, m)
	}
	return out
}

// policies lists a locale's pages other than its home, by weight and
// then title in the locale's collation.
func (r *Renderer) policies(l *locale.Locale) []PageLink {
	type item struct {
		PageLink
		weight int
	}
	var items []item
	for key, p := range r.opts.Pages.Pages[l.Tag] {
		if key == content.HomeKey {
			continue
		}
		u, _ := r.opts.Links.Page(l.Tag, key)
		title := p.Doc.Meta.Title
		if title == "" {
			title = key
		}
		it := item{PageLink: PageLink{Title: title, Description: p.Doc.Meta.Description, URL: u}, weight: p.Doc.Meta.Weight}
		if p.Kind == inherit.Fallback {
			it.Lang = p.Source.Tag
		}
		items = append(items, it)
	}
	locale.Sort(l.Language, items, func(i item) string { return i.Title })
	slices.SortStableFunc(items, func(a, b item) int { return a.weight - b.weight })
	out := make([]PageLink, len(items))
	for i, it := range items {
		out[i] = it.PageLink
	}
	return out
}

// Selector renders the root region selector in the default locale's
// language.
func (r *Renderer) Selector(ctx context.Context) (*Result, error) {
	def := r.opts.Locales.Default
	lr := r.locale(def.Tag)
	root := r.opts.Links.Root()
	d := r.base(lr, content.HomeKey, root)
	d.Kind = "selector"
	d.Title = r.t(def, "selector_title", "Select a country or region")
	d.Canonical = r.opts.Links.Abs(root)
	d.Alternates = r.translationsOf(content.HomeKey).alternates
	for _, e := range lr.switcher {
		d.Regions = append(d.Regions, SwitchItem{
			Tag: e.loc.Tag, Region: e.region, Language: e.language, LangDir: e.dir,
			URL: r.opts.Links.Home(e.loc.Tag),
		})
	}
	res, err := r.execute(lr, "selector", d)
	if err != nil {
		return nil, err
	}
	res.Path = r.opts.Links.File(root)
	return res, nil
}

// NotFound renders 404.html in the default locale's language.
func (r *Renderer) NotFound(ctx context.Context) (*Result, error) {
	def := r.opts.Locales.Default
	lr := r.locale(def.Tag)
	d := r.base(lr, "", "")
	d.Kind = "404"
	d.Title = r.t(def, "notfound_title", "Page not found")
	d.NoIndex = true
	res, err := r.execute(lr, "404", d)
	if err != nil {
		return nil, err
	}
	res.Path = "404.html"
	return res, nil
}
