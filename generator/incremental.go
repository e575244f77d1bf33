package generator

// This file gives the dev server the pieces of Render one at a time, so
// it can re-render only the pages an edit affects while producing the
// same bytes a full build would.

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/parallel"
	"policysite/generator/render"
)

// A PageID names one page: a published locale and a translation key.
type PageID struct{ Locale, Key string }

// A PageOutput is one rendered page with what the cross-page fragment
// check needs, so the check can run again after a partial re-render.
type PageOutput struct {
	Path  string
	HTML  []byte
	IDs   []string
	Links []render.LinkRef
}

// NewRenderer returns the renderer Render uses for site.
func NewRenderer(site *Site, opts Options) (*render.Renderer, error) {
	return render.New(render.Options{
		Site: site.Config, Locales: site.Locales, Pages: site.Pages, Tree: site.Tree,
		Links: site.Links, Theme: site.Theme, Catalog: site.Catalog, Markdown: site.Markdown,
		DevScript: opts.DevScript, Warnings: site.Warnings,
	})
}

// AllPages lists every published page in the order Render renders them.
func AllPages(site *Site) []PageID {
	var out []PageID
	for _, l := range site.Locales.Published() {
		pages := site.Pages.Pages[l.Tag]
		for _, key := range site.Pages.Keys {
			if _, ok := pages[key]; ok {
				out = append(out, PageID{l.Tag, key})
			}
		}
	}
	return out
}

// RenderPages renders the pages ids of site with r, on up to GOMAXPROCS
// goroutines. An id the site does not publish is an error. Every page's
// error is reported, sorted by file and line.
func RenderPages(ctx context.Context, r *render.Renderer, site *Site, ids []PageID) (map[PageID]*PageOutput, error) {
	out := make([]*PageOutput, len(ids))
	errs := make([]error, len(ids))
	err := parallel.For(ctx, len(ids), func(i int) {
		p := site.Pages.Pages[ids[i].Locale][ids[i].Key]
		if p == nil {
			errs[i] = fmt.Errorf("page %q is not published in locale %s", ids[i].Key, ids[i].Locale)
			return
		}
		res, err := r.Page(ctx, p)
		if err != nil {
			errs[i] = err
			return
		}
		// The renderer's buffer is reused for the next page, and has
		// room to spare; a server keeping thousands of pages keeps
		// only the bytes.
		out[i] = &PageOutput{Path: res.Path, HTML: bytes.Clone(res.HTML), IDs: res.IDs, Links: res.Links}
		res.Release()
	})
	if err != nil {
		return nil, err
	}
	var list diag.List
	for _, err := range errs {
		list.Add(err)
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	m := make(map[PageID]*PageOutput, len(ids))
	for i, id := range ids {
		m[id] = out[i]
	}
	return m, nil
}

// CheckFragments checks every link to a #fragment among pages, which
// must hold every published page of site, as Render does after
// rendering.
func CheckFragments(site *Site, pages map[PageID]*PageOutput) error {
	all := AllPages(site)
	jobs := make([]*inherit.Page, len(all))
	ids := make([][]string, len(all))
	refs := make([][]render.LinkRef, len(all))
	for i, id := range all {
		jobs[i] = site.Pages.Pages[id.Locale][id.Key]
		if o := pages[id]; o != nil {
			ids[i], refs[i] = o.IDs, o.Links
		}
	}
	return checkFragments(jobs, ids, refs)
}

// specialPages returns the renderers of the pages that are not a
// locale's page: the region selector, the site's 404 page and each
// published locale's.
func specialPages(r *render.Renderer) []func(context.Context) (*render.Result, error) {
	return append([]func(context.Context) (*render.Result, error){r.Selector, r.NotFound}, r.LocaleNotFound(nil)...)
}

// RenderLocaleNotFound renders the 404 pages of the locales tags (the
// pages of a locale whose UI strings changed).
func RenderLocaleNotFound(ctx context.Context, r *render.Renderer, tags []string) ([]*render.Result, error) {
	var out []*render.Result
	var list diag.List
	for _, f := range r.LocaleNotFound(tags) {
		res, err := f(ctx)
		list.Add(err)
		if err == nil {
			out = append(out, res)
		}
	}
	return out, list.Err()
}

// RenderSpecial renders the region selector and the 404 pages, the
// site's and every locale's.
func RenderSpecial(ctx context.Context, r *render.Renderer) ([]*render.Result, error) {
	var out []*render.Result
	var list diag.List
	for _, f := range specialPages(r) {
		res, err := f(ctx)
		list.Add(err)
		if err == nil {
			out = append(out, res)
		}
	}
	return out, list.Err()
}

// SiteFiles returns the files derived from the set of pages and their
// URLs: the sitemap files and robots.txt.
func SiteFiles(site *Site) []links.File {
	return append(site.Links.Sitemaps(0), site.Links.Robots())
}

// CopyStatic copies the site's static/ folder into sink and returns the
// number of files copied.
func CopyStatic(ctx context.Context, site *Site, sink Sink) (int, error) {
	return copyStatic(ctx, filepath.Join(site.Config.Dir, "static"), sink)
}

// CheckFragmentsFrom checks the links to #fragments made by the pages
// from, against the IDs in pages (every published page of site). After
// a partial re-render it gives the same answer as CheckFragments when
// from holds the re-rendered pages and the pages linking to them.
func CheckFragmentsFrom(site *Site, pages map[PageID]*PageOutput, from []PageID) error {
	var list diag.List
	for _, id := range from {
		o := pages[id]
		if o == nil {
			continue
		}
		for _, ref := range o.Links {
			key := ref.Key
			if key == "" {
				key = id.Key
			}
			t, ok := pages[PageID{ref.Locale, key}]
			if !ok || slices.Contains(t.IDs, ref.Fragment) || isFootnote(ref.Fragment) {
				continue
			}
			list.Add(diag.Errorf(ref.File, ref.Line, "link to #%s: page %q in %s has no section with that ID; fix the fragment", ref.Fragment, key, ref.Locale))
		}
	}
	return list.Err()
}
