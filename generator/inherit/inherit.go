// Package inherit resolves every published locale's pages along its
// fallback chain and applies section-level overrides, so that each page
// has one merged Markdown body and knows which files it came from.
package inherit

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"sort"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/parallel"
)

// Kind says where a page's text comes from.
type Kind int

const (
	// Own: the locale has its own file (possibly an override of a base).
	Own Kind = iota
	// Inherited: the text of another locale of the same language, shown
	// as a full page of this locale (en-GB showing en).
	Inherited
	// Fallback: the text of another language, shown with a notice and
	// kept out of search engines (uz-UZ showing ru-RU).
	Fallback
)

func (k Kind) String() string {
	return [...]string{"own", "inherited", "fallback"}[k]
}

// A Doc is a merged Markdown document and the map back to its files.
type Doc struct {
	Meta content.Meta
	Body []byte
	// Chunks map byte ranges of Body back to files, in Body order.
	Chunks []Chunk
	// Files lists every file that contributed, the overriding file first.
	Files []*content.File
	// File is the file that owns the document (the most derived one).
	File *content.File
}

// A Chunk says that Body[Off:] comes from File.Body[FileOff:], up to the
// next chunk.
type Chunk struct {
	Off     int
	File    *content.File
	FileOff int
}

// Position returns the file and line of Body[off].
func (d *Doc) Position(off int) (string, int) {
	i := sort.Search(len(d.Chunks), func(i int) bool { return d.Chunks[i].Off > off }) - 1
	if i < 0 {
		return d.File.Path, d.File.BodyLine
	}
	c := d.Chunks[i]
	return c.File.Path, c.File.Line(c.FileOff + off - c.Off)
}

// A Page is one translation key published in one locale.
type Page struct {
	Locale *locale.Locale
	Key    string
	Kind   Kind
	// Source is the locale whose text the page shows.
	Source *locale.Locale
	Doc    *Doc
}

// Site holds the resolved pages of every published locale.
type Site struct {
	// Pages maps a published locale tag to its pages by translation key.
	Pages map[string]map[string]*Page
	// Keys lists every translation key published in any locale, sorted.
	Keys []string
}

// Resolve resolves the pages of every published locale.
//
// Pages of different translation keys never share text, so each key is
// resolved on its own, on all cores. The results and the set of errors do
// not depend on the order in which keys finish: pages are stored by key
// and locale, and errors are sorted.
func Resolve(ctx context.Context, locs *locale.Set, tree *content.Tree, md *markdown.Markdown) (*Site, error) {
	keySet := map[string]bool{}
	for _, l := range locs.All {
		for key := range tree.Files[l.Tag] {
			keySet[key] = true
		}
	}
	keys := slices.Sorted(maps.Keys(keySet))
	published := locs.Published()
	results := make([]keyResult, len(keys))
	if err := parallel.For(ctx, len(keys), func(i int) {
		results[i] = resolveKey(locs, published, tree, md, keys[i])
	}); err != nil {
		return nil, err
	}
	site := &Site{Pages: map[string]map[string]*Page{}}
	for _, l := range published {
		site.Pages[l.Tag] = map[string]*Page{}
	}
	var errs diag.List
	for i, res := range results {
		errs = append(errs, res.errs...)
		shown := false
		for j, p := range res.pages {
			if p != nil {
				site.Pages[published[j].Tag][keys[i]] = p
				shown = true
			}
		}
		if shown {
			site.Keys = append(site.Keys, keys[i])
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	addHomes(site, published, tree)
	return site, nil
}

// addHomes gives every published locale without a home on its chain a
// generated one (content.GeneratedHome), last updated when the newest
// of the pages it lists was. A locale whose home file is broken gets
// none: that error is reported already.
func addHomes(site *Site, published []*locale.Locale, tree *content.Tree) {
	added := false
	for _, l := range published {
		pages := site.Pages[l.Tag]
		if pages[content.HomeKey] != nil || slices.ContainsFunc(l.Chain, func(tag string) bool { return tree.IsBroken(tag, content.HomeKey) }) {
			continue
		}
		f := content.GeneratedHome(tree.Dir, l.Tag)
		for _, p := range pages {
			t := p.Doc.Meta.Lastmod.Time
			if t.IsZero() {
				t = p.Doc.Meta.Date.Time
			}
			if t.After(f.Meta.Lastmod.Time) {
				f.Meta.Lastmod.Time = t
			}
		}
		pages[content.HomeKey] = &Page{Locale: l, Key: content.HomeKey, Kind: Own, Source: l,
			Doc: &Doc{Meta: f.Meta, Chunks: []Chunk{{File: f}}, Files: []*content.File{f}, File: f}}
		added = true
	}
	if _, ok := slices.BinarySearch(site.Keys, content.HomeKey); added && !ok {
		site.Keys = append(site.Keys, content.HomeKey)
		slices.Sort(site.Keys)
	}
}

// A keyResult holds one translation key's pages, by index of the
// published locale (nil where a locale does not show the key), and the
// problems found resolving them.
type keyResult struct {
	pages []*Page
	errs  diag.List
}

// resolveKey resolves one translation key in every published locale.
func resolveKey(locs *locale.Set, published []*locale.Locale, tree *content.Tree, md *markdown.Markdown, key string) keyResult {
	r := &resolver{locs: locs, tree: tree, md: md, key: key, docs: map[string]*Doc{}, errs: map[string]error{}, outlines: map[*Doc][]markdown.Heading{}}
	res := keyResult{pages: make([]*Page, len(published))}
	for i, l := range published {
		for _, tag := range l.Chain {
			if tree.Get(tag, key) == nil {
				continue
			}
			doc, err := r.doc(tag)
			if err != nil {
				if !errors.Is(err, errBrokenBase) {
					res.errs.Add(err)
				}
				// A later locale of the chain may still have the page;
				// the build fails anyway, but its other problems are
				// reported too.
				continue
			}
			src := locs.Get(tag)
			kind := Own
			switch {
			case tag == l.Tag:
			case locale.SameLanguage(src, l):
				kind = Inherited
			default:
				kind = Fallback
			}
			res.pages[i] = &Page{Locale: l, Key: key, Kind: kind, Source: src, Doc: doc}
			break
		}
	}
	// Unpublished bases are checked too, so a broken override in one is
	// reported even when every locale that inherits it overrides it again.
	for _, l := range locs.All {
		if !l.Published() && tree.Get(l.Tag, key) != nil {
			if _, err := r.doc(l.Tag); !errors.Is(err, errBrokenBase) {
				res.errs.Add(err)
			}
		}
	}
	return res
}

// errBrokenBase means a page's base could not be read or merged; that
// error is reported once, where it happened, and not again here.
var errBrokenBase = errors.New("base file could not be read")

// resolver memoizes the merged documents of one translation key; each
// locale's document is merged once however many locales inherit it. It
// is not safe for concurrent use.
type resolver struct {
	locs *locale.Set
	tree *content.Tree
	md   *markdown.Markdown
	key  string
	// docs and errs hold the documents, or the errors, by locale tag.
	docs map[string]*Doc
	errs map[string]error
	// outlines holds the headings of merged documents that are the base
	// of an override, so a base extended by several locales (the regions
	// of one language) is parsed once.
	outlines map[*Doc][]markdown.Heading
}

func (r *resolver) doc(tag string) (*Doc, error) {
	if d, ok := r.docs[tag]; ok {
		return d, nil
	}
	if _, ok := r.errs[tag]; ok {
		// Report a broken file once, not once per inheriting locale.
		return nil, errBrokenBase
	}
	d, err := r.build(tag, nil)
	if err != nil {
		r.errs[tag] = err
		return nil, err
	}
	r.docs[tag] = d
	return d, nil
}

func (r *resolver) build(tag string, visiting []string) (*Doc, error) {
	f := r.tree.Get(tag, r.key)
	if f.Meta.Extends == "" {
		return &Doc{Meta: f.Meta, Body: f.Body, Chunks: []Chunk{{File: f}}, Files: []*content.File{f}, File: f}, nil
	}
	baseTag, err := r.baseLocale(f)
	if err != nil {
		return nil, err
	}
	if slices.Contains(visiting, baseTag) {
		return nil, diag.Errorf(f.Path, 1, "extends %q, which extends this page again; break the cycle", baseTag)
	}
	base, ok := r.docs[baseTag]
	if !ok {
		base, err = r.build(baseTag, append(visiting, tag))
		if err != nil {
			return nil, err
		}
		r.docs[baseTag] = base
	}
	return merge(base, r.outline(base), f)
}

// outline returns the headings of d.
func (r *resolver) outline(d *Doc) []markdown.Heading {
	if len(d.Files) == 1 {
		// The text of one file: its outline is computed once per file
		// and shared with later steps.
		return d.File.Outline()
	}
	o, ok := r.outlines[d]
	if !ok {
		o = r.md.Outline(d.Body)
		r.outlines[d] = o
	}
	return o
}

// baseLocale finds the locale whose page f extends.
func (r *resolver) baseLocale(f *content.File) (string, error) {
	if f.Meta.Extends != "true" {
		tag := string(f.Meta.Extends)
		if r.locs.Get(tag) == nil {
			return "", diag.Errorf(f.Path, 1, "extends %q, which is not a locale of the site", tag)
		}
		if r.tree.Get(tag, f.Key) == nil {
			return "", diag.Errorf(f.Path, 1, "extends %q, which has no page %q", tag, f.Key)
		}
		return tag, nil
	}
	chain := r.locs.Get(f.Locale).Chain
	for _, tag := range chain[1:] {
		if r.tree.Get(tag, f.Key) != nil {
			return tag, nil
		}
		if r.tree.IsBroken(tag, f.Key) {
			return "", errBrokenBase // already reported
		}
	}
	return "", diag.Errorf(f.Path, 1, "extends its base, but no locale in its fallback chain %v has the page %q; write the whole page or add it to a base locale", chain, f.Key)
}

// chunkBytes returns chunk i's bytes.
func (d *Doc) chunkBytes(i int) []byte {
	end := len(d.Body)
	if i+1 < len(d.Chunks) {
		end = d.Chunks[i+1].Off
	}
	return d.Body[d.Chunks[i].Off:end]
}

// appendRange appends Body[start:end] of d, with its chunk mapping, to b.
func (b *builder) appendRange(d *Doc, start, end int) {
	if start >= end {
		return
	}
	for i, c := range d.Chunks {
		cEnd := c.Off + len(d.chunkBytes(i))
		lo, hi := max(start, c.Off), min(end, cEnd)
		if lo >= hi {
			continue
		}
		b.add(d.Body[lo:hi], c.File, c.FileOff+lo-c.Off)
	}
}

// builder assembles a merged body and its chunk map.
type builder struct {
	buf    bytes.Buffer
	chunks []Chunk
}

func (b *builder) add(p []byte, f *content.File, fileOff int) {
	if len(p) == 0 {
		return
	}
	b.chunks = append(b.chunks, Chunk{Off: b.buf.Len(), File: f, FileOff: fileOff})
	b.buf.Write(p)
	// Every piece ends a block, so the next one starts on its own line.
	if p[len(p)-1] != '\n' {
		b.buf.WriteByte('\n')
	}
}
