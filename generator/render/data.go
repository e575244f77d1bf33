package render

import (
	"context"
	"fmt"
	"html/template"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/redline"
	"policysite/generator/theme"
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
	// Keywords is the page's front-matter keywords, comma-separated;
	// Image the absolute URL of its first image (og:image).
	Keywords, Image string
	Content         template.HTML
	TOC             []markdown.TOCEntry
	LastUpdated     string
	LastUpdatedISO  string
	Canonical       string
	Alternates      []links.Alternate
	NoIndex         bool
	OGLocale        string
	Fallback        *Fallback
	SiteName        string
	// Root is the URL of the region selector; Home of the locale's home.
	Root, Home string
	// Back is where the 404 page's button leads: the locale's home on a
	// locale's 404 page, the region selector on the site's.
	Back      string
	Locale    LocaleInfo
	Switcher  []SwitchItem
	Menu      []MenuItem
	Footer    []MenuItem
	Legal     []MenuItem
	Policies  []PageLink
	Regions   []SwitchItem
	Consent   ConsentData
	Theme     ThemeData
	Year      int
	DevScript string
	// Effective is the page's effective date in the page's language
	// and calendar, EffectiveISO as YYYY-MM-DD; both "" for a page
	// without versions.
	Effective, EffectiveISO string
	// Version describes the versions of a page that has them, nil for
	// others.
	Version *VersionInfo
	// Feed is the locale's feed of policy changes, nil when no page of
	// the locale has versions.
	Feed *FeedLink
	// Changes is what a "what changed" page shows (layout changes).
	Changes *ChangesData
}

// VersionInfo describes where a page stands among its versions.
type VersionInfo struct {
	// Archived is set on an earlier version's page: it was in effect
	// until Until (in the page's language; UntilISO as YYYY-MM-DD).
	Archived        bool
	Until, UntilISO string
	// Upcoming is set on the page of a version not yet in effect.
	Upcoming bool
	// CurrentURL is the page's URL, which shows the version in effect,
	// on the pages of the other versions; "" on the page itself, and on
	// an upcoming version's page when none is in effect yet.
	CurrentURL string
	// Announce, on the page's URL, is the version that takes effect
	// later, nil when none does.
	Announce *VersionRef
	// ChangesURL is the page of what changed in this version.
	ChangesURL string
	// Previous lists the earlier versions, newest first, on the page's
	// URL.
	Previous []VersionLink
}

// A VersionLink is one version in a list of versions.
type VersionLink struct {
	VersionRef
	// ChangesURL is the page of what changed in that version.
	ChangesURL string
}

// A VersionRef names one version of a page: its effective date in
// the page's language, as YYYY-MM-DD, and its URL.
type VersionRef struct{ Date, DateISO, URL string }

// ChangesData is what a "what changed" page shows: the version New
// against the one before it, Old (zero for a page's first version).
type ChangesData struct {
	// Page is the title of the page in the new version, which the
	// changes page names in its <title>, links to and uses for the
	// introduction's section (the text before the first heading).
	Page     string
	Old, New VersionRef
	// Summary is the version's front matter changes:, or "".
	Summary string
	Items   []redline.Change
}

// FeedLink is a locale's Atom feed of policy changes.
type FeedLink struct{ URL, Title string }

// ThemeData holds the [theme] settings of site.toml, resolved.
type ThemeData struct {
	// Logo is the header's image, nil for none.
	Logo *AssetRef
	// LogoText is the header's text: the site's name unless [theme]
	// says otherwise, or "" beside a Logo.
	LogoText string
	// Favicon is the pages' icon, nil for none; FaviconType its media
	// type.
	Favicon     *AssetRef
	FaviconType string
	// BrandCSS is the stylesheet that sets the brand colour, nil when
	// the site keeps the theme's.
	BrandCSS *AssetRef
	// Copyright is the holder named in the footer.
	Copyright string
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
	if r.opts.Versions.Has(l.Tag) {
		d.Feed = &FeedLink{URL: r.FeedURL(l.Tag), Title: r.text(lr, "feed_title", "site", d.SiteName)}
	}
	d.Theme = r.theme
	if d.Theme.Logo == nil && d.Theme.LogoText == "" {
		d.Theme.LogoText = d.SiteName
	}
	if d.Theme.Copyright == "" {
		d.Theme.Copyright = d.SiteName
	}
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
	d.Menu = r.menu(l, lr.menus.main, url)
	d.Footer = r.menu(l, lr.menus.footer, url)
	d.Legal = r.menu(l, lr.menus.legal, url)
	return d
}

// localeMenus are a locale's menus: those of site.toml with the entries
// the locale's pages add with menu front matter.
type localeMenus struct {
	main, footer, legal []config.MenuItem
}

// menusFor returns locale l's menus. Entries from pages follow the
// configured ones of the same level, by weight and then label in l's
// collation; an entry whose parent is not in the menu goes to the top
// level, with a warning.
func (r *Renderer) menusFor(l *locale.Locale) localeMenus {
	m := localeMenus{main: r.opts.Site.Menus.Main, footer: r.opts.Site.Menus.Footer, legal: r.opts.Site.Menus.Legal}
	if m.legal == nil {
		for _, k := range []struct{ name, page string }{{"legal_terms", "terms"}, {"legal_privacy", "privacy"}, {"legal_cookies", "cookies"}} {
			if _, ok := r.opts.Links.Page(l.Tag, k.page); ok {
				m.legal = append(m.legal, config.MenuItem{Name: k.name, Page: k.page})
			}
		}
	}
	type added struct {
		item   config.MenuItem
		parent string
		weight int
		file   string
	}
	byMenu := map[string][]added{}
	for key, p := range r.opts.Pages.Pages[l.Tag] {
		for _, e := range p.Doc.Meta.Menus {
			label := e.Name
			if label == "" {
				label = p.Doc.Meta.Label()
			}
			byMenu[e.Menu] = append(byMenu[e.Menu], added{config.MenuItem{Label: label, Page: key}, e.Parent, e.Weight, p.Doc.File.Path})
		}
	}
	for name, list := range map[string]*[]config.MenuItem{"main": &m.main, "footer": &m.footer, "legal": &m.legal} {
		entries := byMenu[name]
		if len(entries) == 0 {
			continue
		}
		// Pages come from a map: sort by key first, so equal labels keep
		// one order.
		slices.SortFunc(entries, func(a, b added) int { return strings.Compare(a.item.Page, b.item.Page) })
		locale.Sort(l.Language, entries, func(a added) string { return a.item.Label })
		slices.SortStableFunc(entries, func(a, b added) int { return a.weight - b.weight })
		items := cloneMenu(*list)
		for _, e := range entries {
			if e.parent != "" {
				if parent := findMenuItem(items, e.parent); parent != nil {
					parent.Children = append(parent.Children, e.item)
					continue
				}
				r.opts.Warnings.Add(diag.Warning{Kind: "front-matter menu parent not found", File: e.file, Detail: fmt.Sprintf("%s menu has no entry %q", name, e.parent),
					Hint: "the page is added at the top level; name an entry's name or page", Locales: []string{l.Tag}})
			}
			items = append(items, e.item)
		}
		*list = items
	}
	return m
}

func cloneMenu(items []config.MenuItem) []config.MenuItem {
	out := slices.Clone(items)
	for i := range out {
		out[i].Children = cloneMenu(out[i].Children)
	}
	return out
}

// findMenuItem finds the entry named (by its string name or page) id.
func findMenuItem(items []config.MenuItem, id string) *config.MenuItem {
	for i := range items {
		if items[i].Name == id || items[i].Page == id {
			return &items[i]
		}
		if c := findMenuItem(items[i].Children, id); c != nil {
			return c
		}
	}
	return nil
}

// themeData resolves the site's [theme] images to published assets. An
// image that is not below assets/ is an error at its line of site.toml.
func themeData(cfg *config.Site, th *theme.Theme, ref func(*theme.Asset) *AssetRef) (ThemeData, error) {
	t := cfg.Theme
	d := ThemeData{LogoText: t.LogoText, Copyright: t.Copyright}
	var errs diag.List
	find := func(key, name string) *AssetRef {
		if name == "" {
			return nil
		}
		a := th.Asset(name)
		if a == nil {
			errs.Add(fmt.Errorf("%s: theme.%s %q: no such file %s; put the image there, or change the path", cfg.ThemeAt(key), key, name, filepath.Join(cfg.Dir, "assets", filepath.FromSlash(name))))
			return nil
		}
		return ref(a)
	}
	d.Logo = find("logo", t.Logo)
	d.Favicon = find("favicon", t.Favicon)
	if d.Favicon != nil {
		d.FaviconType = config.ImageTypes[strings.ToLower(path.Ext(t.Favicon))]
	}
	if a := th.BrandStylesheet(); a != nil {
		d.BrandCSS = ref(a)
	}
	return d, errs.Err()
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
		label := it.Label
		if label == "" {
			label = r.t(l, it.Name, it.Name)
		}
		m := MenuItem{Label: label, URL: it.URL}
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
		// The title is the front matter's, else the page's first
		// heading or file name (content.File's findTitle): what the
		// page itself shows.
		title := p.Doc.Meta.Label()
		if title == "" {
			title = key
		}
		it := item{PageLink: PageLink{Title: title, Description: p.Doc.Meta.Summarize(), URL: u}, weight: p.Doc.Meta.Weight}
		if p.Kind == inherit.Fallback {
			it.Lang = p.Source.Tag
		}
		items = append(items, it)
	}
	// Pages come from a map: sort by URL first, so equal titles keep one
	// order.
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.URL, b.URL) })
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
	d.Back = r.opts.Links.Root()
	res, err := r.execute(lr, "404", d)
	if err != nil {
		return nil, err
	}
	res.Path = "404.html"
	return res, nil
}

// NotFoundIn renders locale tag's 404 page, <locale>/404.html, in the
// locale's language, whose button leads to the locale's home. CDNs serve
// it for missing URLs below the locale (see cdn.Redirects and the nginx
// guide in docs/deploying.md).
func (r *Renderer) NotFoundIn(ctx context.Context, tag string) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lr := r.locale(tag)
	d := r.base(lr, "", "")
	d.Kind = "404"
	d.Title = r.t(lr.loc, "notfound_title", "Page not found")
	d.NoIndex = true
	d.Back = d.Home
	res, err := r.execute(lr, "404", d)
	if err != nil {
		return nil, err
	}
	res.Path = NotFoundFile(r.opts.Links, lr.loc)
	return res, nil
}

// LocaleNotFound returns the renderers of the 404 pages of the
// published locales tags, or of every published locale when tags is
// nil, in configuration order.
func (r *Renderer) LocaleNotFound(tags []string) []func(context.Context) (*Result, error) {
	var out []func(context.Context) (*Result, error)
	for _, l := range r.opts.Locales.Published() {
		if tags != nil && !slices.Contains(tags, l.Tag) {
			continue
		}
		out = append(out, func(ctx context.Context) (*Result, error) { return r.NotFoundIn(ctx, l.Tag) })
	}
	return out
}

// NotFoundFile returns the output file of locale l's 404 page.
func NotFoundFile(ln *links.Links, l *locale.Locale) string {
	return ln.File(ln.Path(l.Path + "/404.html"))
}
