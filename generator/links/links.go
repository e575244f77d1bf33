// Package links assigns every page its URL and computes what search
// engines read: canonical URLs, hreflang clusters, the sitemap and
// robots.txt.
package links

import (
	"net/url"
	"path"
	"strings"

	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
)

// An Alternate is one hreflang link.
type Alternate struct {
	Hreflang string
	URL      string // absolute
}

// Links holds the URL of every page. It is immutable once built and safe
// for concurrent use.
type Links struct {
	base  *url.URL
	locs  *locale.Set
	site  *inherit.Site
	paths map[string]map[string]string // locale tag → key → root-relative path
}

// New assigns URLs: /<locale path>/<page path>/ below baseURL.
func New(baseURL string, locs *locale.Set, site *inherit.Site) *Links {
	u, _ := url.Parse(baseURL)
	l := &Links{base: u, locs: locs, site: site, paths: map[string]map[string]string{}}
	for tag, pages := range site.Pages {
		m := map[string]string{}
		loc := locs.Get(tag)
		for key, p := range pages {
			m[key] = l.Path(path.Join(loc.Path, p.Doc.File.URLPath()) + "/")
		}
		l.paths[tag] = m
	}
	return l
}

// Path returns the root-relative URL of p, a path below the site root
// such as "de-de/privacy/", including baseURL's path.
func (l *Links) Path(p string) string {
	return strings.TrimSuffix(l.base.Path, "/") + "/" + strings.TrimPrefix(p, "/")
}

// Abs returns the absolute URL of a root-relative URL from Path.
func (l *Links) Abs(rootRel string) string {
	u := *l.base
	u.Path = rootRel
	u.RawPath = ""
	return u.String()
}

// Root returns the root-relative URL of the region selector.
func (l *Links) Root() string { return l.Path("") }

// Page returns the root-relative URL of the page key in locale tag, and
// whether the locale has that page.
func (l *Links) Page(tag, key string) (string, bool) {
	u, ok := l.paths[tag][key]
	return u, ok
}

// Home returns the root-relative URL of locale tag's home.
func (l *Links) Home(tag string) string {
	if u, ok := l.paths[tag][content.HomeKey]; ok {
		return u
	}
	return l.Path(l.locs.Get(tag).Path + "/")
}

// File returns the output file of a root-relative URL ending in "/":
// "de-de/privacy/index.html".
func (l *Links) File(rootRel string) string {
	p := strings.TrimPrefix(rootRel, strings.TrimSuffix(l.base.Path, "/"))
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// Indexable reports whether search engines should index p: every page
// except those showing another language's text.
func Indexable(p *inherit.Page) bool { return p.Kind != inherit.Fallback }

// Alternates returns the hreflang cluster of key: every indexable
// version, in locale configuration order, then x-default. For locale
// homes x-default is the region selector. A key with fewer than two
// versions and no x-default has no cluster.
func (l *Links) Alternates(key string) []Alternate {
	var out []Alternate
	for _, loc := range l.locs.Published() {
		p, ok := l.site.Pages[loc.Tag][key]
		if !ok || !Indexable(p) {
			continue
		}
		out = append(out, Alternate{Hreflang: loc.Tag, URL: l.Abs(l.paths[loc.Tag][key])})
	}
	switch {
	case key == content.HomeKey:
		out = append(out, Alternate{Hreflang: "x-default", URL: l.Abs(l.Root())})
	default:
		if p, ok := l.site.Pages[l.locs.Default.Tag][key]; ok && Indexable(p) {
			out = append(out, Alternate{Hreflang: "x-default", URL: l.Abs(l.paths[l.locs.Default.Tag][key])})
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}
