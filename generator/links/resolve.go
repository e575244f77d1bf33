package links

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/publicsuffix"

	"policysite/generator/content"
	"policysite/generator/locale"
)

// A Resolver maps the links of content to the URLs of the site, the way
// the tools the content was written for do (see docs/writing.md#links):
// .md paths relative to the file or to the locale's content root,
// root-relative and relative URLs of pages, and files beside the pages.
// It is immutable once built and safe for concurrent use.
type Resolver struct {
	links *Links
	// files maps a locale tag and a file's path in the locale folder to
	// its translation key.
	files map[string]map[string]string
	// resources maps a locale tag to the paths of its files that are not
	// pages (content.Tree.Resources).
	resources map[string]map[string]string
	// urls maps every URL of the site, normalised (see urlKey), to what
	// it shows.
	urls map[string]Target
	// folded maps the lowercase form of the keys of urls to their
	// target, when only one URL has that form: Hugo lowercases URLs, so
	// links written for it name "Ponycopters/" as "ponycopters/".
	folded map[string]Target
	// prefix is ResolveOptions.ContentPrefix.
	prefix string
}

// ResolveOptions are what a Resolver knows besides the pages.
type ResolveOptions struct {
	// Files are the paths below the site root of the files a build
	// writes besides pages and the files beside them: theme assets,
	// static/, robots.txt.
	Files []string
	// ContentPrefix is the URL path the content was served at by the tool
	// it was written for, such as "/docs/" (Docusaurus' routeBasePath).
	// A root-relative link starting with it is read without it, in the
	// locale of the page: "/docs/install" finds install.md. Default "".
	ContentPrefix string
}

// A Target is what a resolved link points to.
type Target struct {
	// URL is the root-relative URL written into the page, with the
	// link's query and fragment.
	URL string
	// Locale and Key name the page linked to; both are "" for a file or
	// a page that is not a locale's page (the region selector).
	Locale, Key string
	// Fragment is the link's #fragment without '#', or "".
	Fragment string
	// Note, when not nil, is a *LinkError of kind ErrAmbiguous: the
	// link resolved, but another tool reads it otherwise.
	Note error
}

// A From says where a link is written: on the page of translation key
// Key in Locale, whose text comes from the file Rel (a path inside a
// locale folder of content/).
type From struct {
	Locale *locale.Locale
	Key    string
	Rel    string
}

// ErrNotPublished, ErrBroken, ErrHostLike and ErrShortcode classify the
// errors of Resolve (test with errors.Is): a page that exists but not in
// the linking locale, a link to nothing, a link that is probably a web
// address written without its scheme, and one whose destination is a
// Hugo shortcode ("{{< ref x >}}", "{{% param url %}}"), which nothing
// runs.
var (
	ErrNotPublished = errors.New("not published")
	ErrBroken       = errors.New("broken link")
	ErrHostLike     = errors.New("web address without a scheme")
	ErrShortcode    = errors.New("link made by a Hugo shortcode")
	ErrAmbiguous    = errors.New("ambiguous link")
)

// A LinkError is a link that Resolve could not resolve. Its message
// names no locale, so that one inherited line is reported once.
type LinkError struct {
	Kind error  // ErrNotPublished, ErrBroken, ErrHostLike, ErrShortcode or ErrAmbiguous
	Dest string // the link as written
	Msg  string
}

func (e *LinkError) Error() string        { return e.Msg }
func (e *LinkError) Is(target error) bool { return target == e.Kind }

// NewResolver indexes the pages of l, the files of tree and the other
// files of opts.
func NewResolver(l *Links, tree *content.Tree, opts ResolveOptions) *Resolver {
	r := &Resolver{links: l, files: map[string]map[string]string{}, resources: tree.Resources, urls: map[string]Target{}, folded: map[string]Target{}}
	if pre := strings.Trim(opts.ContentPrefix, "/"); pre != "" {
		r.prefix = "/" + pre + "/"
	}
	for tag, fs := range tree.Files {
		m := make(map[string]string, len(fs))
		for _, f := range fs {
			m[f.Rel] = f.Key
		}
		r.files[tag] = m
	}
	for _, f := range opts.Files {
		u := l.Path(f)
		r.urls[urlKey(u)] = Target{URL: u}
	}
	for tag, res := range tree.Resources {
		loc := l.locs.Get(tag)
		if loc == nil {
			continue
		}
		for rel := range res {
			u := l.Path(loc.Path + "/" + rel)
			r.urls[urlKey(u)] = Target{URL: u}
		}
	}
	r.urls[urlKey(l.Root())] = Target{URL: l.Root()}
	// Pages last: a page's URL wins over a file of the same name.
	for tag, pages := range l.paths {
		for key, u := range pages {
			r.urls[urlKey(u)] = Target{URL: u, Locale: tag, Key: key}
		}
	}
	ambiguous := map[string]bool{}
	for k, t := range r.urls {
		f := strings.ToLower(k)
		if _, ok := r.folded[f]; ok {
			ambiguous[f] = true
		}
		r.folded[f] = t
	}
	for f := range ambiguous {
		delete(r.folded, f)
	}
	return r
}

// lookup returns the target of the root-relative URL u.
func (r *Resolver) lookup(u string) (Target, bool) {
	k := urlKey(u)
	if t, ok := r.urls[k]; ok {
		return t, true
	}
	t, ok := r.folded[strings.ToLower(k)]
	return t, ok
}

// ResourceURL returns the root-relative URL a file of locale tag at rel
// (a key of content.Tree.Resources) is written to.
func (r *Resolver) ResourceURL(tag, rel string) string {
	return r.links.Path(r.links.locs.Get(tag).Path + "/" + rel)
}

// urlKey normalises a root-relative URL path for lookups: "/en/a/",
// "/en/a" and "/en/a/index.html" are the same page.
func urlKey(u string) string {
	u = strings.TrimSuffix(u, "index.html")
	return strings.TrimSuffix(u, "/")
}

// Resolve resolves dest, a link or image destination written in
// content that is neither external (markdown.IsExternal) nor only a #fragment.
// It returns a *LinkError for a link that leads nowhere.
func (r *Resolver) Resolve(from From, dest string) (Target, error) {
	if strings.Contains(dest, "{{") {
		return Target{}, &LinkError{ErrShortcode, dest, fmt.Sprintf("link to %q: Hugo shortcodes are not run, so the link leads nowhere; write the URL", dest)}
	}
	rawPath, rest := dest, ""
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		rawPath, rest = dest[:i], dest[i:]
	}
	p, err := url.PathUnescape(rawPath)
	if err != nil {
		return Target{}, &LinkError{ErrBroken, dest, fmt.Sprintf("link to %q: %v; fix the link", dest, err)}
	}
	query, frag, _ := strings.Cut(rest, "#")
	query = strings.TrimPrefix(query, "?")
	if strings.HasPrefix(rest, "#") {
		query, frag = "", rest[1:]
	}
	if p == "" {
		return Target{URL: dest, Locale: from.Locale.Tag, Key: from.Key, Fragment: frag}, nil
	}
	suffix := ""
	if query != "" {
		suffix = "?" + query
	}
	if frag != "" {
		suffix += "#" + frag
	}
	if strings.HasSuffix(strings.ToLower(p), ".md") {
		if query != "" {
			return Target{}, &LinkError{ErrBroken, dest, fmt.Sprintf("link to %q: a link to a page cannot carry a query string; remove it", dest)}
		}
		t, err := r.page(from, dest, p, frag)
		if errors.Is(err, ErrBroken) && LooksLikeHost(p) {
			return Target{}, hostLike(dest)
		}
		return t, err
	}
	if t, ok := r.url(from, p); ok {
		t.URL += suffix
		t.Fragment = frag
		return t, nil
	}
	if LooksLikeHost(p) {
		return Target{}, hostLike(dest)
	}
	return Target{}, &LinkError{ErrBroken, dest, fmt.Sprintf("link to %q: the site has no page or file at that address; fix the link, or create the page or file", dest)}
}

func hostLike(dest string) error {
	return &LinkError{ErrHostLike, dest, fmt.Sprintf("link to %q looks like a web address without https://; write https://%s, or fix the link if it is a page of the site", dest, dest)}
}

// page resolves a link to a Markdown file as Docusaurus does: "./x.md"
// and "../x.md" relative to the linking file, "/x.md" relative to the
// locale's content root (or "/docs/x.md", with the content prefix,
// relative to the site's folder), and "x.md" relative to the file or
// else to the content root. Each path is looked up along the locale's fallback
// chain, so a region inheriting its language's text links to its own
// version of each page.
func (r *Resolver) page(from From, dest, p, frag string) (Target, error) {
	var cands []string
	dir := path.Dir(from.Rel)
	switch {
	case strings.HasPrefix(p, "/"):
		cands = []string{path.Clean(p[1:])}
		// Docusaurus also tries the path relative to the site's folder,
		// where the content folder is the content prefix ("/docs/x.md").
		if rest, ok := strings.CutPrefix(p, r.prefix); ok && r.prefix != "" {
			cands = append(cands, path.Clean(rest))
		}
	case strings.HasPrefix(p, "./"), strings.HasPrefix(p, "../"):
		cands = []string{path.Join(dir, p)}
	default:
		cands = []string{path.Join(dir, p), path.Clean(p)}
	}
	for i, c := range cands {
		key, ok := r.fileKey(from.Locale, c)
		if !ok {
			continue
		}
		u, ok := r.links.Page(from.Locale.Tag, key)
		if !ok {
			return Target{}, &LinkError{ErrNotPublished, dest, fmt.Sprintf("link to %q: page %q is not published in this locale; publish it or remove the link", dest, key)}
		}
		if frag != "" {
			u += "#" + frag
		}
		t := Target{URL: u, Locale: from.Locale.Tag, Key: key, Fragment: frag}
		// Docusaurus reads a bare "x.md" from the content root first;
		// when that is another page, say which one this link is.
		if i == 0 && len(cands) == 2 && !strings.HasPrefix(p, "/") {
			if other, ok := r.fileKey(from.Locale, cands[1]); ok && other != key {
				t.Note = &LinkError{ErrAmbiguous, dest, fmt.Sprintf("link to %q leads to %s, beside the file; Docusaurus would link %s, from the content root; write ./%s or /%s to say which", dest, c, cands[1], p, cands[1])}
			}
		}
		return t, nil
	}
	return Target{}, &LinkError{ErrBroken, dest, fmt.Sprintf("link to %q: there is no page %s; fix the link or create the page", dest, strings.TrimPrefix(cands[0], "/"))}
}

// fileKey returns the translation key of the file rel of loc's folder,
// or of the nearest locale of its chain that has one.
func (r *Resolver) fileKey(loc *locale.Locale, rel string) (string, bool) {
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	for _, tag := range loc.Chain {
		if key, ok := r.files[tag][rel]; ok {
			return key, true
		}
	}
	return "", false
}

// url resolves the path of a link that is not a .md file: a file beside
// the page (along the fallback chain), or a URL of the site. A
// root-relative URL is the site's ("/de-de/privacy/", "/img/logo.png"
// from static/) or else the locale's ("/privacy/"). A relative URL is
// resolved against the page's URL, as a browser does, or else against
// it without its trailing slash, as Docusaurus' URLs have none.
func (r *Resolver) url(from From, p string) (Target, bool) {
	if !strings.HasPrefix(p, "/") {
		if t, ok := r.resource(from.Locale, path.Join(path.Dir(from.Rel), p)); ok {
			return t, true
		}
		page, ok := r.links.Page(from.Locale.Tag, from.Key)
		if !ok {
			return Target{}, false
		}
		root := r.links.Path(from.Locale.Path) + "/"
		for _, base := range []string{page, strings.TrimSuffix(page, "/")} {
			u := path.Join(path.Dir(base+"x"), p)
			if t, ok := r.lookup(u); ok {
				return t, true
			}
			// A file named relative to the page's URL (Hugo), which a
			// locale inheriting the page finds along its chain.
			if rel, ok := strings.CutPrefix(u, root); ok {
				if t, ok := r.resource(from.Locale, rel); ok {
					return t, true
				}
			}
		}
		return Target{}, false
	}
	cands := []string{r.links.Path(p), r.links.Path(from.Locale.Path + p), p}
	if rest, ok := strings.CutPrefix(p+"/", r.prefix); ok && r.prefix != "" {
		cands = append(cands, r.links.Path(from.Locale.Path+"/"+rest))
	}
	for _, u := range cands {
		if t, ok := r.lookup(path.Clean(u)); ok {
			return t, true
		}
	}
	return r.resource(from.Locale, path.Clean(p[1:]))
}

// resource finds the file rel of loc's folder, or of the nearest locale
// of its chain that has one.
func (r *Resolver) resource(loc *locale.Locale, rel string) (Target, bool) {
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return Target{}, false
	}
	for _, tag := range loc.Chain {
		if _, ok := r.resources[tag][rel]; ok {
			return Target{URL: r.ResourceURL(tag, rel)}, true
		}
	}
	return Target{}, false
}

// fileExts are the extensions of files that links name, which are also
// top-level domains (.md is Moldova's, .zip is a TLD): a link to
// "readme.md" or "diagram.zip" is a file, not a host.
var fileExts = map[string]bool{
	"md": true, "html": true, "htm": true, "pdf": true, "png": true, "jpg": true, "jpeg": true,
	"gif": true, "svg": true, "webp": true, "txt": true, "zip": true, "json": true, "xml": true,
	"css": true, "js": true, "csv": true, "mov": true, "mp4": true, "sh": true, "py": true, "go": true,
}

// LooksLikeHost reports whether p, a link path that does not resolve,
// starts with a host name, such as "support.google.com/answer/1" or
// "www.example.com": "www." or a name under a public suffix
// (golang.org/x/net/publicsuffix) that is not a common file extension.
func LooksLikeHost(p string) bool {
	host, _, slash := strings.Cut(p, "/")
	host = strings.ToLower(host)
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			return false
		}
		for _, c := range label {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	if strings.HasPrefix(host, "www.") {
		return true
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if !slash && fileExts[tld] {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	return icann && suffix != host
}
