// Package render turns resolved pages into HTML with the theme's
// html/template layouts: the policy pages, each locale's home, the root
// region selector and the 404 page, each with its navigation, switcher,
// footer and cookie notice.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/theme"
	"policysite/generator/versions"
)

// Options are what a Renderer needs. All of it is read-only.
type Options struct {
	Site    *config.Site
	Locales *locale.Set
	Pages   *inherit.Site
	Tree    *content.Tree
	Links   *links.Links
	// Resolver resolves the links and images of content; when nil, New
	// makes one that knows the pages and the files beside them. The dev
	// server's WithPages keeps it: edits that change which files exist
	// load the site again.
	Resolver *links.Resolver
	Theme    *theme.Theme
	Catalog  *i18n.Catalog
	Markdown *markdown.Markdown
	// Versions holds the pages' earlier and upcoming versions; nil
	// when no page has an effective date.
	Versions *versions.Set
	// DevScript, when set, is the URL of a script added to every page:
	// the dev server's live-reload client. Never set for build output.
	DevScript string
	// Warnings receives the warnings of rendering Markdown (raw HTML
	// removed, another tool's syntax changed), one per source line with
	// the locales that show it. When nil, New makes a collector of its
	// own.
	Warnings *diag.Warnings
}

// Renderer renders pages. It is safe for concurrent use.
type Renderer struct {
	opts    Options
	locales map[string]*localeRenderer
	year    int
	// theme is the [theme] settings, resolved once.
	theme  ThemeData
	shared *sharedMarkdown // nil: render every page on its own
	// translations maps each translation key to what its pages list.
	translations map[string]*translations
	// pages recycles the buffers pages are executed into (see
	// Result.Release): a 9,600-page build otherwise allocates and
	// zeroes 600 MB of them.
	pages *sync.Pool
	// partials holds the outputs of partialCached with variants.
	partials *sync.Map
	// ph makes the placeholders of URLs filled in per page (see Slots).
	ph placeholders
	// templates hands out the copies of the theme's layouts that pages
	// are executed with.
	templates *bindings
	// own are the warnings New found, which WithWarnings adds again.
	own []diag.Warning
	// redlines holds the comparisons of versions by pair of documents
	// (see compare).
	redlines *sync.Map
}

// variantKey returns the key of partial name's output for variants.
// Every value is written with what tells it apart, menus without fmt,
// which would cost as much as the partial the key saves.
func variantKey(name string, variants []any) string {
	var b strings.Builder
	b.WriteString(name)
	for _, v := range variants {
		b.WriteByte(0)
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case []MenuItem:
			writeMenuKey(&b, v)
		case Slots:
			writeSlotsKey(&b, v.items)
		default:
			fmt.Fprintf(&b, "%T %v", v, v)
		}
	}
	return b.String()
}

// writeMenuKey writes every field of items to b, with separators no
// label or URL holds.
func writeMenuKey(b *strings.Builder, items []MenuItem) {
	for _, it := range items {
		b.WriteByte(1)
		b.WriteString(it.Label)
		b.WriteByte(2)
		b.WriteString(it.URL)
		if it.Current {
			b.WriteByte(3)
		}
		if len(it.Children) > 0 {
			b.WriteByte(4)
			writeMenuKey(b, it.Children)
			b.WriteByte(5)
		}
	}
}

// executePartial executes the template name of t for data.
func executePartial(t *template.Template, name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return templateOutput(b.String()), nil
}

// localeRenderer holds what is shared by every page of one locale.
type localeRenderer struct {
	loc *locale.Locale
	// prepare sets dates, switcher and perLocale. It sorts with the
	// locale's collation and looks up CLDR names and UI strings, so it
	// runs on the locale's first page (see Renderer.locale), on the
	// goroutines rendering pages rather than before them.
	prepare  func(*localeRenderer)
	prepared sync.Once
	dates    dateFormatter
	switcher []switchEntry // sorted for this locale's language
	// perLocale holds the fields of Data that are the same on every page.
	perLocale Data
	menus     localeMenus
	// partials caches partialCached's output by template name.
	partials sync.Map
	// strings are the locale's UI strings, its chain resolved once.
	strings *i18n.Strings
}

// locale returns the localeRenderer of the published locale tag,
// prepared.
func (r *Renderer) locale(tag string) *localeRenderer {
	lr := r.locales[tag]
	lr.prepared.Do(func() { lr.prepare(lr) })
	return lr
}

// A cookiePolicy is a locale's cookie policy, which locales that inherit
// it share, so that it is parsed once.
type cookiePolicy struct {
	doc     *inherit.Doc
	md      *markdown.Markdown
	once    sync.Once
	section bool
}

// hasConsentSection reports whether the policy has a #change-consent
// section. A nil policy has none.
func (c *cookiePolicy) hasConsentSection() bool {
	if c == nil {
		return false
	}
	c.once.Do(func() {
		for _, h := range c.md.Outline(c.doc.Body) {
			c.section = c.section || h.ID == consentSection
		}
	})
	return c.section
}

// A binding is a copy of the theme's layouts whose template functions
// (T, partialCached, partialLocale) act for the locale of the page it
// is executing, set in lr before each execution. html/template escapes
// a copy on its first execution, which costs more than executing a page,
// and allows no Clone after that, so a copy per locale would escape the
// theme once per locale: bindings give one copy to each goroutine
// executing a page instead, however many locales there are.
type binding struct {
	layouts map[string]*template.Template
	lr      *localeRenderer // set while a page is executed
	// partials holds the executing Renderer's outputs of partialCached
	// with variants, set with lr: a Renderer from WithPages shares the
	// bindings but not the outputs, which may show its pages' dates.
	partials *sync.Map
}

// bindings is a free list of bindings, which makes a new one when none is
// free: there are as many as pages were ever executed at once. It is
// safe for concurrent use.
type bindings struct {
	mu    sync.Mutex
	free  []*binding
	theme *theme.Theme
	funcs func(*binding, string) template.FuncMap // a layout's functions
}

// get returns a free binding bound to lr. Give it back with put.
func (bs *bindings) get(lr *localeRenderer, partials *sync.Map) (*binding, error) {
	bs.mu.Lock()
	var b *binding
	if n := len(bs.free); n > 0 {
		b, bs.free = bs.free[n-1], bs.free[:n-1]
	}
	bs.mu.Unlock()
	if b == nil {
		b = &binding{layouts: map[string]*template.Template{}}
		for _, name := range theme.Layouts {
			t, err := bs.theme.Layout(name).Clone()
			if err != nil {
				return nil, err
			}
			b.layouts[name] = t.Funcs(bs.funcs(b, name))
		}
	}
	b.lr, b.partials = lr, partials
	return b, nil
}

// put gives back b, which get returned, for another page.
func (bs *bindings) put(b *binding) {
	b.lr, b.partials = nil, nil
	bs.mu.Lock()
	bs.free = append(bs.free, b)
	bs.mu.Unlock()
}

// New prepares what the pages of the site share. What is shared by the
// pages of one locale is prepared on the locale's first page, and
// templates are copied when pages are executed (see bindings).
func New(opts Options) (*Renderer, error) {
	if opts.Warnings == nil {
		opts.Warnings = &diag.Warnings{}
	}
	if opts.Resolver == nil {
		opts.Resolver = links.NewResolver(opts.Links, opts.Tree, links.ResolveOptions{})
	}
	r := &Renderer{opts: opts, locales: map[string]*localeRenderer{}, pages: new(sync.Pool), partials: new(sync.Map), ph: newPlaceholders("psurl"), redlines: new(sync.Map)}
	r.year = latestYear(opts.Tree)
	var err error
	if r.theme, err = themeData(opts.Site, opts.Theme, r.assetRef); err != nil {
		return nil, err
	}
	layouts := map[string]*template.Template{}
	for _, name := range theme.Layouts {
		layouts[name] = opts.Theme.Layout(name)
	}
	r.templates = &bindings{theme: opts.Theme, funcs: r.funcs}
	var noDates []string
	policies := map[*inherit.Doc]*cookiePolicy{}
	// Every switcher lists every locale's own name: find each once.
	names, dirs := selfNames(opts.Locales.Published())
	for _, l := range opts.Locales.Published() {
		lr := &localeRenderer{loc: l, strings: opts.Catalog.For(l.Chain)}
		dates, ok := newDateFormatter(l.Language)
		if !ok {
			noDates = append(noDates, l.Tag)
		}
		var policy *cookiePolicy
		if p, ok := opts.Pages.Pages[l.Tag]["cookies"]; ok {
			if policy = policies[p.Doc]; policy == nil {
				policy = &cookiePolicy{doc: p.Doc, md: opts.Markdown}
				policies[p.Doc] = policy
			}
		}
		// Renderers from WithPages share lr, and prepare it as r does.
		lr.prepare = func(lr *localeRenderer) {
			lr.dates = dates()
			lr.switcher = r.switcherFor(l, names, dirs)
			lr.perLocale = r.perLocaleData(lr, policy.hasConsentSection())
			lr.menus = r.menusFor(l)
		}
		r.locales[l.Tag] = lr
	}
	r.shared = newSharedMarkdown(publishedPages(opts))
	r.translations = r.indexTranslations()
	if len(noDates) > 0 {
		w := diag.Warning{Kind: "no CLDR date data bundled for " + strings.Join(noDates, ", "), Hint: "dates are shown as YYYY-MM-DD"}
		r.own = append(r.own, w)
		r.opts.Warnings.Add(w)
	}
	return r, nil
}

// Warnings returns the collector the renderer adds its warnings to.
func (r *Renderer) Warnings() *diag.Warnings { return r.opts.Warnings }

// Funcs returns placeholder template functions, for parsing a theme.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"T":             func(key string, args ...any) (string, error) { return key, nil },
		"asset":         func(name string) (*AssetRef, error) { return nil, nil },
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) { return "", nil },
		"slots":         slots,
		"partialLocale": func(name string, data any) (template.HTML, error) { return "", nil },
		"list":          list,
	}
}

func list(items ...string) []string { return items }

// AssetRef is what templates get from the asset function.
type AssetRef struct {
	URL       string
	Integrity string
}

// funcs returns the template functions of binding b's copy of layout.
func (r *Renderer) funcs(b *binding, layout string) template.FuncMap {
	cat := r.opts.Catalog
	return template.FuncMap{
		// partialCached NAME CONTEXT VARIANTS... executes the partial
		// once for each distinct list of VARIANTS (once per locale when
		// there are none) and reuses its output, as Hugo's does: the
		// template author names what the output depends on, so nothing
		// is learnt or checked at run time.
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
			cache, key := &b.lr.partials, name
			if len(variants) > 0 {
				cache, key = b.partials, variantKey(name, variants)
			}
			if d, ok := data.(*Data); ok && hasSlots(variants, d) {
				out, ok, err := executeSlotted(cache, r.ph, b.layouts["page"], key, name, d)
				if ok || err != nil {
					return out, err
				}
				return executePartial(b.layouts["page"], name, data)
			}
			if v, ok := cache.Load(key); ok {
				return v.(template.HTML), nil
			}
			out, err := executePartial(b.layouts["page"], name, data)
			if err != nil {
				return "", err
			}
			if strings.Contains(string(out), r.ph.token) {
				// Called inside a partial executed for slots: its output
				// holds that partial's placeholders, which other pages
				// must not see.
				return out, nil
			}
			v, _ := cache.LoadOrStore(key, out)
			return v.(template.HTML), nil
		},
		"slots": slots,
		// partialLocale is kept for themes written for earlier
		// versions, which cached partials by inference with it: it now
		// executes the partial for every page, as {{template}} does.
		"partialLocale": func(name string, data any) (template.HTML, error) {
			return executePartial(b.layouts[layout], name, data)
		},
		// T looks a UI string up along the locale's chain. A key that
		// no strings file has in any language would show as itself, so
		// it is an error, like a missing asset.
		"T": func(key string, args ...any) (string, error) {
			s, m, _ := b.lr.strings.Lookup(key)
			if m == i18n.None {
				return "", fmt.Errorf("no UI string %q in i18n/ or in the theme's strings, in any language; add it to %s", key, cat.SiteFile([]string{i18n.English}))
			}
			return i18n.Format(s, args...), nil
		},
		"asset": r.asset,
		"list":  list,
	}
}

func (r *Renderer) asset(name string) (*AssetRef, error) {
	a := r.opts.Theme.Asset(name)
	if a == nil {
		return nil, fmt.Errorf("asset %q not found in the theme's assets/ folder", name)
	}
	return r.assetRef(a), nil
}

func (r *Renderer) assetRef(a *theme.Asset) *AssetRef {
	return &AssetRef{URL: r.opts.Links.Path(a.Path), Integrity: a.Integrity}
}

// A Result is one rendered page.
type Result struct {
	// Path is the output file, relative to the output root.
	Path string
	// HTML is valid until Release is called.
	HTML []byte
	// IDs are the element IDs of the page's content.
	IDs []string
	// Links are the page's links to fragments, of it or other pages,
	// and Problems its links that lead nowhere, to check once every
	// page is rendered.
	Links    []LinkRef
	Problems []LinkProblem

	buf  *bytes.Buffer
	pool *sync.Pool
}

// Release hands the memory of HTML back to the renderer for the next
// page; HTML must not be used afterwards. Calling it is optional.
func (res *Result) Release() {
	// A rare huge page's buffer is left to the garbage collector
	// rather than kept for pages that do not need it.
	if res.buf != nil && res.buf.Cap() <= 1<<20 {
		res.buf.Reset()
		res.pool.Put(res.buf)
	}
	res.buf, res.HTML = nil, nil
}

// A LinkRef is a link from authored content to a fragment of a page.
type LinkRef struct {
	// File and Line locate the link; From is the locale of the page
	// showing it.
	File string
	Line int
	From string
	// Dest is the link as written.
	Dest string
	// Locale and Key name the page linked to.
	Locale, Key string
	Fragment    string
}

// A LinkProblem is a link of a page that leads nowhere, or that leads
// somewhere another tool would not (links.ErrAmbiguous): Err is a
// *links.LinkError, whose message names no locale. Whether it fails the
// build is for the link check to say, once every page is rendered.
type LinkProblem struct {
	File   string
	Line   int
	Locale string // of the page showing the link
	Err    error
}

// Page renders one resolved page. A page with versions shows the
// version in effect (see versions.History.InForce).
func (r *Renderer) Page(ctx context.Context, p *inherit.Page) (*Result, error) {
	url, _ := r.opts.Links.Page(p.Locale.Tag, p.Key)
	h := r.opts.Versions.Get(p.Locale.Tag, p.Key)
	if h == nil {
		return r.page(ctx, pageView{page: p, shown: p, url: url})
	}
	v := h.Versions[h.InForce]
	return r.page(ctx, pageView{page: p, shown: v.Page, url: url, history: h, version: v})
}

// A pageView is one rendering of a page: the page at its URL, or one
// of its versions at its own.
type pageView struct {
	// page is the build's page; shown is the page whose text is shown,
	// page itself or one of its versions.
	page, shown *inherit.Page
	url         string
	// archive is set for a version's own page: it is not indexed, has
	// no hreflang cluster and its links are not checked (its text is
	// kept as it was, links to pages removed since included).
	archive bool
	history *versions.History
	version *versions.Version
}

// page renders v.
func (r *Renderer) page(ctx context.Context, v pageView) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := v.shown
	lr := r.locale(p.Locale.Tag)
	doc := p.Doc
	from := links.From{Locale: p.Locale, Key: p.Key, Rel: doc.File.Rel}
	// targets holds what each resolved destination points to; Resolve
	// is called on this goroutine only.
	targets := map[string]links.Target{}
	res, err := r.shared.render(r.opts.Markdown, p, markdown.RenderOptions{
		Number: doc.Meta.Numbered,
		Resolve: func(dest string) (string, error) {
			t, err := r.opts.Resolver.Resolve(from, dest)
			if err != nil {
				return "", err
			}
			targets[dest] = t
			return t.URL, nil
		},
	})
	if err != nil {
		return nil, err
	}
	var errs diag.List
	var problems []LinkProblem
	for _, pr := range res.Problems {
		file, line := doc.Position(pr.Offset)
		if le := (*links.LinkError)(nil); errors.As(pr.Err, &le) {
			problems = append(problems, LinkProblem{File: file, Line: line, Locale: p.Locale.Tag, Err: le})
			continue
		}
		errs.Add(diag.Errorf(file, line, "%v", pr.Err))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		if v.archive {
			break // reported for the build's own text only
		}
		file, line := doc.Position(w.Offset)
		r.opts.Warnings.Add(w.Diag(file, line, p.Locale.Tag))
	}
	var refs []LinkRef
	for _, l := range res.Links {
		t, ok := targets[l.Dest]
		if ok && t.Note != nil {
			file, line := doc.Position(l.Offset)
			problems = append(problems, LinkProblem{File: file, Line: line, Locale: p.Locale.Tag, Err: t.Note})
		}
		if strings.HasPrefix(l.Dest, "#") {
			t, ok = links.Target{Locale: p.Locale.Tag, Key: p.Key, Fragment: l.Dest[1:]}, true
		}
		if !ok || t.Fragment == "" || t.Key == "" {
			continue
		}
		file, line := doc.Position(l.Offset)
		refs = append(refs, LinkRef{File: file, Line: line, From: p.Locale.Tag, Dest: l.Dest, Locale: t.Locale, Key: t.Key, Fragment: t.Fragment})
	}
	title := doc.Meta.Title
	if title == "" {
		title = res.Title
	}
	if title == "" && p.Key == content.HomeKey {
		// A home without a title (an empty or generated _index.md) is
		// the site's front page in this locale.
		title = lr.perLocale.SiteName
	}
	if title == "" {
		file, _ := doc.Position(0)
		return nil, diag.Errorf(file, 1, "page has no title; add title: to the front matter or start the page with a # heading")
	}
	showTOC := res.Numbered && len(res.TOC) > 0
	if doc.Meta.TOC != nil {
		showTOC = *doc.Meta.TOC && len(res.TOC) > 0
	}
	url := v.url
	d := r.base(lr, p.Key, url)
	d.Kind = "page"
	layout := "page"
	if p.Key == content.HomeKey {
		d.Kind, layout = "home", "home"
		d.Policies = r.policies(p.Locale)
	}
	d.Title = title
	d.Description = doc.Meta.Summarize()
	d.Keywords = strings.Join(doc.Meta.Keywords, ", ")
	if len(doc.Meta.Images) > 0 {
		d.Image = r.imageURL(doc.Meta.Images[0])
	}
	d.Content = trustedHTML(res.HTML)
	d.ContentLang, d.ContentDir = p.Locale.Tag, p.Locale.Dir()
	if showTOC {
		d.TOC = res.TOC
	}
	if t := lastmod(doc.Meta); !t.IsZero() {
		d.LastUpdated = lr.dates.Format(t)
		d.LastUpdatedISO = t.Format("2006-01-02")
	}
	d.Canonical = r.opts.Links.Abs(url)
	if v.archive {
		d.NoIndex = true
	} else if links.Indexable(v.page) {
		d.Alternates = r.translationsOf(p.Key).alternates
	} else {
		d.NoIndex = true
	}
	if !links.Indexable(p) {
		d.ContentLang, d.ContentDir = p.Source.Tag, p.Source.Dir()
		d.Fallback = &Fallback{
			Language:       p.Locale.LanguageName(),
			SourceLanguage: locale.NameIn(p.Source.Language, p.Locale.Language),
		}
	}
	if v.history != nil {
		r.versionInfo(lr, d, v)
	}
	out, err := r.execute(lr, layout, d)
	if err != nil {
		return nil, err
	}
	out.Path, out.IDs = r.opts.Links.File(url), res.IDs
	if !v.archive {
		out.Links, out.Problems = refs, problems
	}
	return out, nil
}

// imageURL makes a front-matter image absolute, as og:image needs: a
// path is relative to the site root (Hugo's static/ convention).
func (r *Renderer) imageURL(img string) string {
	if strings.Contains(img, "://") {
		return img
	}
	return r.opts.Links.Abs(r.opts.Links.Path(img))
}

func lastmod(m content.Meta) time.Time {
	if !m.Lastmod.IsZero() {
		return m.Lastmod.Time
	}
	return m.Date.Time
}

// trustedHTML is the one place rendered Markdown becomes template.HTML.
// goldmark escapes text and drops raw HTML unless the site opted in.
func trustedHTML(b []byte) template.HTML { return template.HTML(b) }

// templateOutput marks the output of an html/template execution, which
// escaped everything it wrote, as HTML to embed in another page.
func templateOutput(s string) template.HTML { return template.HTML(s) }

// execute runs layout with d in locale lr into a buffer from the pool;
// the caller fills the rest of the Result.
func (r *Renderer) execute(lr *localeRenderer, layout string, d *Data) (*Result, error) {
	b, err := r.templates.get(lr, r.partials)
	if err != nil {
		return nil, err
	}
	defer r.templates.put(b)
	buf, _ := r.pages.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 64<<10))
	}
	if err := b.layouts[layout].ExecuteTemplate(buf, "layouts/base.html", d); err != nil {
		buf.Reset()
		r.pages.Put(buf)
		return nil, r.opts.Theme.TemplateError(err)
	}
	return &Result{HTML: buf.Bytes(), buf: buf, pool: r.pages}, nil
}

func latestYear(tree *content.Tree) int {
	year := 0
	for _, files := range tree.Files {
		for _, f := range files {
			if t := lastmod(f.Meta); t.Year() > year {
				year = t.Year()
			}
		}
	}
	return year
}
