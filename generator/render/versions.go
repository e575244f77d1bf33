package render

import (
	"context"
	"slices"
	"strings"
	"time"

	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/redline"
	"policysite/generator/versions"
)

// The pages of policy versions (docs/versions.md): each earlier or
// upcoming version at /<locale>/<page>/versions/<date>/, and the "what
// changed" page of every version at its URL's changes/.

// pageURL returns the URL of h's page.
func (r *Renderer) pageURL(h *versions.History) string {
	u, _ := r.opts.Links.Page(h.Locale, h.Key)
	return u
}

// hasOwnPage reports whether v has a page of its own: every version
// but the current one, and the current one too when it is upcoming
// (another version is in effect at the page's URL).
func hasOwnPage(h *versions.History, v *versions.Version) bool {
	return !v.Current || h.Upcoming() == v
}

// versionURL returns the URL of v's text: its own page, else the
// page's.
func (r *Renderer) versionURL(h *versions.History, v *versions.Version) string {
	if hasOwnPage(h, v) {
		return r.pageURL(h) + "versions/" + v.DateString() + "/"
	}
	return r.pageURL(h)
}

// changesURL returns the URL of the page of what changed in v.
func (r *Renderer) changesURL(h *versions.History, v *versions.Version) string {
	return r.versionURL(h, v) + "changes/"
}

// ChangesURL returns the root-relative URL of the page of what changed
// in version v of h.
func (r *Renderer) ChangesURL(h *versions.History, v *versions.Version) string {
	return r.changesURL(h, v)
}

func (r *Renderer) ref(lr *localeRenderer, h *versions.History, v *versions.Version) VersionRef {
	return VersionRef{Date: lr.dates.Format(v.Date), DateISO: v.DateString(), URL: r.versionURL(h, v)}
}

// versionInfo fills d's fields of a page with versions.
func (r *Renderer) versionInfo(lr *localeRenderer, d *Data, v pageView) {
	h, ver := v.history, v.version
	d.Effective, d.EffectiveISO = lr.dates.Format(ver.Date), ver.DateString()
	info := &VersionInfo{ChangesURL: r.changesURL(h, ver)}
	d.Version = info
	inForce := h.Versions[h.InForce]
	if !v.archive {
		// The page's URL: the version in effect, the earlier ones listed.
		if up := h.Upcoming(); up != nil {
			ref := r.ref(lr, h, up)
			info.Announce = &ref
		} else if ver.Date.After(r.opts.Versions.Now()) {
			info.Upcoming = true // no version is in effect yet
		}
		for i := h.InForce - 1; i >= 0; i-- {
			pv := h.Versions[i]
			info.Previous = append(info.Previous, VersionLink{VersionRef: r.ref(lr, h, pv), ChangesURL: r.changesURL(h, pv)})
		}
		return
	}
	info.CurrentURL = r.pageURL(h)
	switch {
	case ver == h.Upcoming():
		info.Upcoming = true
	case ver == inForce:
		// The version in effect, at its own URL: announce what follows.
		if up := h.Upcoming(); up != nil {
			ref := r.ref(lr, h, up)
			info.Announce = &ref
		}
		info.CurrentURL = ""
	default:
		info.Archived = true
		if next := h.Next(ver); next != nil {
			info.Until, info.UntilISO = lr.dates.Format(next.Date), next.DateString()
		}
	}
	// The switcher leads to the same version in the other locales, or
	// to their current page.
	for i, e := range d.Switcher {
		if oh := r.opts.Versions.Get(e.Tag, h.Key); oh != nil {
			if ov := oh.Find(ver.Date); ov != nil && hasOwnPage(oh, ov) {
				d.Switcher[i].URL = r.versionURL(oh, ov)
			}
		}
	}
}

// VersionPages returns the renderers of every version's own page and
// of every version's "what changed" page, locale by locale.
func (r *Renderer) VersionPages() []func(context.Context) (*Result, error) {
	var out []func(context.Context) (*Result, error)
	hs := r.opts.Versions.All(r.publishedTags())
	// Key by key, as the pages are rendered (generator's keyMajor): the
	// workers then create folders in different locales at once, and the
	// locales sharing a text compare it one after another.
	slices.SortStableFunc(hs, func(a, b *versions.History) int { return strings.Compare(a.Key, b.Key) })
	for _, h := range hs {
		for _, v := range h.Versions {
			if hasOwnPage(h, v) {
				out = append(out, func(ctx context.Context) (*Result, error) { return r.Version(ctx, h, v) })
			}
			out = append(out, func(ctx context.Context) (*Result, error) {
				return r.Changes(ctx, h.Locale, h.Key, r.changesData(h, v))
			})
		}
	}
	return out
}

func (r *Renderer) publishedTags() []string {
	var tags []string
	for _, l := range r.opts.Locales.Published() {
		tags = append(tags, l.Tag)
	}
	return tags
}

// Version renders version v of h at its own URL.
func (r *Renderer) Version(ctx context.Context, h *versions.History, v *versions.Version) (*Result, error) {
	cur := h.Current().Page
	return r.page(ctx, pageView{page: cur, shown: v.Page, url: r.versionURL(h, v), archive: true, history: h, version: v})
}

// changesData compares v with the version before it.
func (r *Renderer) changesData(h *versions.History, v *versions.Version) *ChangesData {
	lr := r.locale(h.Locale)
	cd := &ChangesData{Page: v.Page.Doc.Meta.Title, New: r.ref(lr, h, v), Summary: v.Changes()}
	if prev := h.Previous(v); prev != nil {
		cd.Old = r.ref(lr, h, prev)
		cd.Items = r.compare(prev.Page.Doc, v.Page.Doc)
	}
	return cd
}

// compare returns the redline of two documents, computed once for all
// the locales that show the same two (the regions of one language
// inheriting its text).
func (r *Renderer) compare(old, cur *inherit.Doc) []redline.Change {
	type pair struct{ old, cur *inherit.Doc }
	if c, ok := r.redlines.Load(pair{old, cur}); ok {
		return c.([]redline.Change)
	}
	md := r.opts.Markdown
	c := redline.Compare(redline.Sections(md, old.Body), redline.Sections(md, cur.Body))
	c2, _ := r.redlines.LoadOrStore(pair{old, cur}, c)
	return c2.([]redline.Change)
}

// Changes renders the page of what changed in the version of page key
// in locale tag that cd describes, at cd.New.URL's changes/.
func (r *Renderer) Changes(ctx context.Context, tag, key string, cd *ChangesData) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lr := r.locale(tag)
	url := cd.New.URL + "changes/"
	d := r.base(lr, key, url)
	d.Kind = "changes"
	d.Title = r.text(lr, "changes_title", "date", cd.New.Date)
	if p := r.opts.Pages.Pages[tag][key]; p != nil {
		d.Description = p.Doc.Meta.Label()
	}
	d.Canonical = r.opts.Links.Abs(url)
	d.NoIndex = true
	d.Effective, d.EffectiveISO = cd.New.Date, cd.New.DateISO
	d.Changes = cd
	res, err := r.execute(lr, "changes", d)
	if err != nil {
		return nil, err
	}
	res.Path = r.opts.Links.File(url)
	return res, nil
}

// text returns UI string key of lr's locale with args filled in.
func (r *Renderer) text(lr *localeRenderer, key string, args ...any) string {
	s, m, _ := lr.strings.Lookup(key)
	if m == i18n.None {
		s = key
	}
	return i18n.Format(s, args...)
}

// Text returns UI string key of published locale tag with args filled
// in, for files other than pages, such as the feeds.
func (r *Renderer) Text(tag, key string, args ...any) string {
	return r.text(r.locale(tag), key, args...)
}

// SiteName returns the site's name in published locale tag.
func (r *Renderer) SiteName(tag string) string { return r.locale(tag).perLocale.SiteName }

// Date formats t in the language and calendar of published locale tag.
func (r *Renderer) Date(tag string, t time.Time) string { return r.locale(tag).dates.Format(t) }

// FeedURL returns the URL of locale tag's feed of policy changes.
func (r *Renderer) FeedURL(tag string) string {
	return r.opts.Links.Path(r.opts.Locales.Get(tag).Path + "/changes.atom")
}

// VersionPageCount returns the number of pages VersionPages renders.
func (r *Renderer) VersionPageCount() int {
	n := 0
	for _, h := range r.opts.Versions.All(r.publishedTags()) {
		for _, v := range h.Versions {
			n++
			if hasOwnPage(h, v) {
				n++
			}
		}
	}
	return n
}
