package render

import (
	"errors"
	"html/template"
	"maps"
	"strconv"
	"strings"
	"sync"
)

// maxShapes bounds how many shapes (see localePartials) one partial
// keeps in one layout. Beyond it the partial is executed for each page,
// as without caching. A site has at most one shape per translation key
// for the hreflang links (far fewer when most pages exist in every
// locale), and one per locale and current menu entry for the header.
const maxShapes = 1024

// localePartials executes partials that depend only on the locale and on
// the URLs of the page's translations (the language switcher and the
// hreflang links, which list every locale on every page) once per shape
// rather than once per page. A partial's shape on a page is what it
// reads of the page's data except the URLs: the locale's strings and
// names, and which locales the lists hold. The partial is executed with
// a placeholder token in place of each URL, and each page substitutes its
// own URLs.
//
// Substitution reproduces direct execution exactly only if the partial
// prints each URL unchanged and reads nothing else of the page, so:
//
//   - a page with a URL that some html/template escaper would change
//     (see plainURL) executes the partial itself;
//   - the partial sees a localeData, which has no per-page fields (using
//     one is an execution error) and whose URLs templates can print but
//     not compare;
//   - the output for a shape is verified before it is reused: the first
//     page of the shape executes the partial directly, as without
//     caching, and keeps its output; the second executes it with
//     placeholders and compares the first page's output with the
//     substitution of the first page's URLs. An error or a difference
//     turns caching off for that partial: every page then executes it
//     directly, so a theme that breaks the contract gets correct output,
//     only slower. A shape that only one page has costs what it costs
//     without caching, which is most shapes of a small site. Until one
//     shape of a partial is verified, what the partial reads is still
//     being learnt (each new read widens the keys and drops the
//     entries), so its first page verifies its shape at once.
//
// localeData records which of its parts a partial reads. A partial that
// reads neither the locale's fields nor its strings (T), such as the
// hreflang links, is executed with templates whose locale functions fail,
// and its output is shared by every locale; the others' are per locale.
// The cache key covers everything the partial has been seen to read, so
// an entry is correct for any page with the same key, also for a
// Renderer from WithPages, which shares the templates and this cache.
//
// A partialLocale call inside a partial being executed with placeholders
// (the switcher in the header) gets its own verified output with the
// placeholders left in, so a partial's output is computed once per shape
// also where it is nested.
//
// It is safe for concurrent use.
type localePartials struct {
	// ph makes the placeholders of the switcher's URLs (list 's') and
	// the hreflang links' (list 'a').
	ph placeholders
	// layouts are the theme's templates of each layout.
	layouts map[string]*template.Template
	// neutralFuncs are the functions of the neutral templates: those of
	// site, and for the others functions that fail.
	neutralFuncs template.FuncMap
	// independent returns the partials that execute the same in every
	// layout (see layoutIndependent), whose entries all layouts share.
	independent func() map[string]bool
	// neutral holds each layout's templates with neutralFuncs, copied
	// when a check first needs them.
	neutralMu sync.Mutex
	neutral   map[string]*template.Template
	// mu guards byKey and the state of every entry.
	mu    sync.Mutex
	byKey map[partialKey]*partialState
}

// A partialKey names a partial in a layout; layout is "" for a partial
// that is independent of the layout.
type partialKey struct{ layout, name string }

// key returns the key of partial name in layout.
func (c *localePartials) key(layout, name string) partialKey {
	if c.independent()[name] {
		layout = ""
	}
	return partialKey{layout, name}
}

// partialState is what is known about one partial.
type partialState struct {
	disabled bool  // a page's output differed from the substituted one
	learnt   bool  // an entry has been verified
	reads    reads // what the partial has been seen to read
	entries  map[string]*shapeEntry
}

// reads is a set of the parts of localeData.
type reads uint8

const (
	// readsLocale: the locale's fields (and Year), or functions bound
	// to the locale (T).
	readsLocale reads = 1 << iota
	readsKind
	readsConsent
	readsMenu
	readsFooter
	readsLegal
	readsSwitcher
	readsAlternates
)

// A shapeEntry is a partial's output for one shape, split at the
// placeholders.
type shapeEntry struct {
	reads reads // what the key covers
	state entryState
	// first is the first page's output and URLs, kept until the
	// second page verifies the entry against them.
	first     template.HTML
	firstURLs *Data
	// parts are the text between placeholders; refs[i] is the URL that
	// goes between parts[i] and parts[i+1]. They are set before state
	// becomes entryOK and not changed after.
	parts []string
	refs  []placeholderRef
	size  int // the length of all parts
}

type entryState uint8

const (
	entryNew       entryState = iota
	entryFirst                // the first page is executing the partial
	entryUnchecked            // first holds the first page's output
	entryChecking             // the second page is verifying the entry
	entryOK                   // reproduced the first page's output
	entryDropped              // read more than the key covers, or failed
)

// errLocaleFunc is the error of the neutral templates' locale functions.
var errLocaleFunc = errors.New("depends on the locale")

// newLocalePartials prepares the cache for the theme's layouts. site
// holds the template functions whose results do not depend on the
// locale; the neutral templates' other functions fail.
func newLocalePartials(layouts map[string]*template.Template, site template.FuncMap) *localePartials {
	funcs := template.FuncMap{}
	for name := range Funcs() {
		funcs[name] = func(...any) (any, error) { return nil, errLocaleFunc }
	}
	maps.Copy(funcs, site)
	return &localePartials{
		ph:           newPlaceholders("psurl"),
		layouts:      layouts,
		neutralFuncs: funcs,
		independent:  sync.OnceValue(func() map[string]bool { return layoutIndependent(layouts) }),
		neutral:      map[string]*template.Template{},
		byKey:        map[partialKey]*partialState{},
	}
}

// neutralSet returns layout's neutral templates.
func (c *localePartials) neutralSet(layout string) (*template.Template, error) {
	c.neutralMu.Lock()
	defer c.neutralMu.Unlock()
	if t := c.neutral[layout]; t != nil {
		return t, nil
	}
	t, err := c.layouts[layout].Clone()
	if err != nil {
		return nil, err
	}
	c.neutral[layout] = t.Funcs(c.neutralFuncs)
	return c.neutral[layout], nil
}

// execute runs partial name of t, the templates of layout in d's locale,
// for d, reusing the output for d's shape when it can.
func (c *localePartials) execute(t *template.Template, layout, name string, d *Data) (template.HTML, error) {
	pk := c.key(layout, name)
	var (
		direct   template.HTML // d's output, executed directly
		executed bool
	)
loop:
	for {
		e, ok := c.entry(pk, d)
		if !ok {
			break
		}
		c.mu.Lock()
		state, learnt := e.state, c.byKey[pk].learnt
		switch state {
		case entryNew:
			e.state = entryFirst
		case entryUnchecked:
			e.state = entryChecking
		}
		c.mu.Unlock()
		switch state {
		case entryOK:
			return e.expand(d), nil
		case entryNew:
			if !executed {
				var err error
				if direct, err = executePartial(t, name, d); err != nil {
					c.mu.Lock()
					e.state = entryDropped
					c.mu.Unlock()
					return "", err
				}
				executed = true
			}
			e.first, e.firstURLs = direct, &Data{Switcher: d.Switcher, Alternates: d.Alternates}
			if learnt {
				c.mu.Lock()
				e.state = entryUnchecked
				c.mu.Unlock()
				return direct, nil
			}
			// Until a shape of the partial is verified, what it reads is
			// being learnt and every key may still widen, dropping the
			// entries: verify this one at once, so that the next page
			// of its shape can reuse it.
			if c.check(t, layout, pk, e, d) || !c.widened(pk, e) {
				return direct, nil
			}
			// d's entry under the wider key is another one.
		case entryUnchecked:
			if c.check(t, layout, pk, e, d) {
				return e.expand(d), nil
			}
			if !c.widened(pk, e) {
				break loop // disabled
			}
		default:
			// Another page is executing or verifying the entry, or it
			// was dropped.
			break loop
		}
	}
	if executed {
		return direct, nil
	}
	return executePartial(t, name, d)
}

// check verifies e, the entry of partial pk whose first page has been
// executed, by executing the partial with placeholders for d, a page of
// e's shape (the second, or the first while the partial is learnt); t is
// d's layout in d's locale. It reports whether e is verified. A
// difference or an error disables the partial; a partial that read more
// than e's key covers widens the keys instead.
func (c *localePartials) check(t *template.Template, layout string, pk partialKey, e *shapeEntry, d *Data) bool {
	ld := c.localeData(d)
	var (
		out  template.HTML
		err  error
		read reads
	)
	if e.reads&readsLocale != 0 {
		out, err = executePartial(t, pk.name, ld)
		read = ld.read
	} else if set, nerr := c.neutralSet(layout); nerr != nil {
		// Without neutral templates, it may depend on the locale.
		read = readsLocale
	} else {
		out, err = executePartial(set, pk.name, ld)
		read = ld.read
		if err != nil {
			// It may have called T; try it with the locale's
			// templates.
			read |= readsLocale
		}
	}
	state := entryDropped
	switch {
	case read&^e.reads != 0:
		c.widen(pk, read)
	case err != nil:
		c.disable(pk)
	default:
		e.split(string(out), c.ph)
		if e.expand(e.firstURLs) == e.first {
			state = entryOK
		} else {
			c.disable(pk)
		}
	}
	c.mu.Lock()
	e.state, e.first, e.firstURLs = state, "", nil
	if state == entryOK {
		c.byKey[pk].learnt = true
	}
	c.mu.Unlock()
	return state == entryOK
}

// widened reports whether the key of partial pk covers more than e's
// does and the partial is not disabled.
func (c *localePartials) widened(pk partialKey, e *shapeEntry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.byKey[pk]
	return !st.disabled && st.reads != e.reads
}

// nested runs partial name of t for ld, which a partial being executed
// with placeholders passed on: from the entry of ld's page's shape with
// the placeholders left in when the entry is verified, otherwise by
// executing it. What the partial reads is added to what ld records.
func (c *localePartials) nested(t *template.Template, layout, name string, ld *localeData) (template.HTML, error) {
	if e := c.verified(c.key(layout, name), ld.d); e != nil {
		ld.read |= e.reads
		var b strings.Builder
		b.Grow(e.size + len(e.refs)*(len(c.ph.token)+8))
		for i, p := range e.parts {
			b.WriteString(p)
			if i < len(e.refs) {
				b.WriteString(c.placeholder(e.refs[i].list, e.refs[i].i).token)
			}
		}
		return templateOutput(b.String()), nil
	}
	return executePartial(t, name, ld)
}

// verified returns the verified entry of partial pk for d's shape, or
// nil if there is none.
func (c *localePartials) verified(pk partialKey, d *Data) *shapeEntry {
	c.mu.Lock()
	st := c.byKey[pk]
	if st == nil || st.disabled {
		c.mu.Unlock()
		return nil
	}
	r := st.reads
	c.mu.Unlock()
	var buf [4096]byte
	key, ok := appendShapeKey(buf[:0], d, r)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := st.entries[string(key)]; e != nil && e.state == entryOK && st.reads == r && !st.disabled {
		return e
	}
	return nil
}

// entry returns the entry of partial pk for d's shape, creating it if
// there is room. ok is false if the partial is not cached, or d has a
// URL the partial reads that is not plain.
func (c *localePartials) entry(pk partialKey, d *Data) (e *shapeEntry, ok bool) {
	c.mu.Lock()
	st := c.byKey[pk]
	if st == nil {
		st = &partialState{entries: map[string]*shapeEntry{}}
		c.byKey[pk] = st
	}
	disabled, r := st.disabled, st.reads
	c.mu.Unlock()
	if disabled {
		return nil, false
	}
	// The key is built on the stack and copied only for a new entry.
	var buf [4096]byte
	key, ok := appendShapeKey(buf[:0], d, r)
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st.reads != r || st.disabled {
		// Widened or disabled meanwhile: key is not the current one.
		return nil, false
	}
	if e = st.entries[string(key)]; e == nil {
		if len(st.entries) >= maxShapes {
			return nil, false
		}
		e = &shapeEntry{reads: r}
		st.entries[string(key)] = e
	}
	return e, true
}

// widen adds read to what partial pk is known to read, which changes
// every key, so the entries are dropped.
func (c *localePartials) widen(pk partialKey, read reads) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.byKey[pk]
	st.reads |= read
	st.entries = map[string]*shapeEntry{}
}

// disable makes every later call of partial pk execute it directly.
func (c *localePartials) disable(pk partialKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.byKey[pk]
	st.disabled, st.entries = true, nil
}

// appendShapeKey appends the cache key of d for a partial that reads r
// to b. It covers everything localeData returns for r except the URLs.
// ok is false if one of those URLs is not plain.
func appendShapeKey(b []byte, d *Data, r reads) (key []byte, ok bool) {
	if r&readsKind != 0 {
		b = appendStr(b, d.Kind)
	}
	b = append(b, '|')
	if r&readsLocale != 0 {
		b = appendStr(b, d.Lang)
		b = appendStr(b, d.Dir)
		b = appendStr(b, d.OGLocale)
		b = appendStr(b, d.SiteName)
		b = appendStr(b, d.Root)
		b = appendStr(b, d.Home)
		l := d.Locale
		b = appendStr(b, l.Tag)
		b = appendStr(b, l.Path)
		b = appendStr(b, l.LanguageName)
		b = appendStr(b, l.RegionName)
		b = appendStr(b, l.Label)
		b = strconv.AppendInt(b, int64(d.Year), 10)
		th := d.Theme
		for _, a := range []*AssetRef{th.Logo, th.Favicon, th.BrandCSS} {
			var ref AssetRef
			if a != nil {
				ref = *a
			}
			b = appendStr(b, ref.URL)
			b = appendStr(b, ref.Integrity)
		}
		b = appendStr(b, th.FaviconType)
		b = appendStr(b, th.LogoText)
		b = appendStr(b, th.Copyright)
	}
	b = append(b, '|')
	if r&readsConsent != 0 {
		c := d.Consent
		b = appendStr(b, c.Mode)
		b = appendStr(b, c.Revision)
		b = appendStr(b, c.CookieName)
		b = appendStr(b, c.PolicyURL)
		b = appendStr(b, c.SettingsURL)
		b = strconv.AppendInt(b, int64(len(c.Scripts)), 10)
		for _, s := range c.Scripts {
			b = appendStr(b, s.Category)
			b = appendStr(b, s.Src)
			b = appendStr(b, s.Integrity)
		}
	}
	b = append(b, '|')
	// Menus only differ between pages in which entry is current, and
	// each one a partial reads multiplies its shapes.
	for _, m := range []struct {
		r     reads
		items []MenuItem
	}{{readsMenu, d.Menu}, {readsFooter, d.Footer}, {readsLegal, d.Legal}} {
		if r&m.r != 0 {
			b = appendMenu(b, m.items)
		}
		b = append(b, '|')
	}
	if r&readsSwitcher != 0 {
		b = strconv.AppendInt(b, int64(len(d.Switcher)), 10)
		for _, s := range d.Switcher {
			if !plainURL(s.URL) {
				return nil, false
			}
			b = appendStr(b, s.Tag)
			b = appendStr(b, s.Region)
			b = appendStr(b, s.Language)
			b = appendStr(b, s.LangDir)
			b = strconv.AppendBool(b, s.Current)
		}
	}
	b = append(b, '|')
	if r&readsAlternates != 0 {
		b = strconv.AppendInt(b, int64(len(d.Alternates)), 10)
		for _, a := range d.Alternates {
			if !plainURL(a.URL) {
				return nil, false
			}
			b = appendStr(b, a.Hreflang)
		}
	}
	return b, true
}

// appendStr appends s with its length, so that no two keys run together.
func appendStr(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

func appendMenu(b []byte, items []MenuItem) []byte {
	b = strconv.AppendInt(b, int64(len(items)), 10)
	for _, m := range items {
		b = appendStr(b, m.Label)
		b = appendStr(b, m.URL)
		b = strconv.AppendBool(b, m.Current)
		b = appendMenu(b, m.Children)
	}
	return b
}

// localeData is what a partial called with partialLocale receives in
// place of Data: the fields of Data that are the same on every page of a
// locale, and the switcher and hreflang lists with placeholders for their
// URLs. Its methods have the names of Data's fields, so a partial that
// keeps to them renders the same with either, and they record what the
// partial reads.
type localeData struct {
	d    *Data
	sw   []localeSwitchItem
	alt  []localeAlternate
	read reads
}

// localeSwitchItem is a SwitchItem with a placeholder URL.
type localeSwitchItem struct {
	Tag, Region, Language, LangDir string
	URL                            placeholderURL
	Current                        bool
}

// localeAlternate is a links.Alternate with a placeholder URL.
type localeAlternate struct {
	Hreflang string
	URL      placeholderURL
}

// A placeholderURL prints as its token. It is a struct rather than a
// string so that a template that compares, measures or slices a URL
// (eq .URL $.Home) fails to execute, and falls back to the page's own
// execution, instead of silently choosing what it would not choose with
// the real URL.
type placeholderURL struct{ token string }

func (u placeholderURL) String() string { return u.token }

func (ld *localeData) Kind() string         { ld.read |= readsKind; return ld.d.Kind }
func (ld *localeData) Lang() string         { ld.read |= readsLocale; return ld.d.Lang }
func (ld *localeData) Dir() string          { ld.read |= readsLocale; return ld.d.Dir }
func (ld *localeData) OGLocale() string     { ld.read |= readsLocale; return ld.d.OGLocale }
func (ld *localeData) SiteName() string     { ld.read |= readsLocale; return ld.d.SiteName }
func (ld *localeData) Root() string         { ld.read |= readsLocale; return ld.d.Root }
func (ld *localeData) Home() string         { ld.read |= readsLocale; return ld.d.Home }
func (ld *localeData) Locale() LocaleInfo   { ld.read |= readsLocale; return ld.d.Locale }
func (ld *localeData) Year() int            { ld.read |= readsLocale; return ld.d.Year }
func (ld *localeData) Theme() ThemeData     { ld.read |= readsLocale; return ld.d.Theme }
func (ld *localeData) Consent() ConsentData { ld.read |= readsConsent; return ld.d.Consent }
func (ld *localeData) Menu() []MenuItem     { ld.read |= readsMenu; return ld.d.Menu }
func (ld *localeData) Footer() []MenuItem   { ld.read |= readsFooter; return ld.d.Footer }
func (ld *localeData) Legal() []MenuItem    { ld.read |= readsLegal; return ld.d.Legal }
func (ld *localeData) Switcher() []localeSwitchItem {
	ld.read |= readsSwitcher
	return ld.sw
}
func (ld *localeData) Alternates() []localeAlternate {
	ld.read |= readsAlternates
	return ld.alt
}

// localeData returns d's localeData.
func (c *localePartials) localeData(d *Data) *localeData {
	ld := &localeData{
		d:   d,
		sw:  make([]localeSwitchItem, len(d.Switcher)),
		alt: make([]localeAlternate, len(d.Alternates)),
	}
	for i, s := range d.Switcher {
		ld.sw[i] = localeSwitchItem{Tag: s.Tag, Region: s.Region, Language: s.Language, LangDir: s.LangDir, URL: c.placeholder('s', i), Current: s.Current}
	}
	for i, a := range d.Alternates {
		ld.alt[i] = localeAlternate{Hreflang: a.Hreflang, URL: c.placeholder('a', i)}
	}
	return ld
}

// placeholder returns the placeholder of URL i of list: the token, the
// list, the number and "x".
func (c *localePartials) placeholder(list byte, i int) placeholderURL {
	return placeholderURL{c.ph.make(list, i)}
}

// placeholders reports whether out, the output of a template, holds
// placeholders.
func (c *localePartials) placeholders(out template.HTML) bool {
	return c.ph.in(string(out))
}

// plainURL reports whether every html/template escaper that can apply
// to a URL in HTML text or an attribute (HTML escaping, URL filtering
// and normalization) leaves u unchanged, as they leave a placeholder,
// so that u can replace one. Other contexts (URL query, JavaScript,
// CSS) change "/", which every URL has, so the first page's comparison
// catches a partial that prints URLs there.
//
// A root-relative URL with non-ASCII or reserved characters in a slug is
// not plain; the absolute URLs of hreflang links (percent-encoded) are,
// unless a slug has "&", "+" or "'".
func plainURL(u string) bool {
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("/._~%:#-", c) >= 0:
		default:
			return false
		}
	}
	// html/template's URL filter replaces a URL whose scheme is not
	// http, https or mailto.
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
	}
	return true
}

// split records out, the output for the placeholders, as the text
// between them.
func (e *shapeEntry) split(out string, ph placeholders) {
	e.parts, e.refs = ph.split(out, "sa")
	for _, p := range e.parts {
		e.size += len(p)
	}
}

// expand returns the output with d's URLs in place of the placeholders.
func (e *shapeEntry) expand(d *Data) template.HTML {
	url := func(r placeholderRef) string {
		if r.list == 's' {
			return d.Switcher[r.i].URL
		}
		return d.Alternates[r.i].URL
	}
	n := e.size
	for _, r := range e.refs {
		n += len(url(r))
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range e.parts {
		b.WriteString(p)
		if i < len(e.refs) {
			b.WriteString(url(e.refs[i]))
		}
	}
	return templateOutput(b.String())
}

// executePartial executes the template name of t with data.
func executePartial(t *template.Template, name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return templateOutput(b.String()), nil
}
