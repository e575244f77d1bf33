package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/parallel"
	"policysite/generator/render"
	"policysite/generator/srcfile"
)

// A PageID names one page: a published locale and a translation key.
type PageID struct{ Locale, Key string }

// A pageRecord is what the link check needs of a rendered page, kept so
// that the check can run again after a partial re-render.
type pageRecord struct {
	path     string
	ids      []string
	links    []render.LinkRef
	problems []render.LinkProblem
}

// NewRenderer returns the renderer a build of site uses.
func NewRenderer(site *Site, opts Options) (*render.Renderer, error) {
	return render.New(render.Options{
		Site: site.Config, Locales: site.Locales, Pages: site.Pages, Tree: site.Tree,
		Links: site.Links, Resolver: site.Resolver, Theme: site.Theme, Catalog: site.Catalog, Markdown: site.Markdown,
		Versions: site.Versions, DevScript: opts.DevScript, Warnings: site.Warnings,
	})
}

// AllPages lists every published page, locale by locale.
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

// render renders the pages ids into sink on up to GOMAXPROCS
// goroutines, running the jobs of tail beside the last pages (so that
// they are done with them rather than after them), and records each
// page for the link check. Every page's error is reported; when no page
// fails, the errors of tail and of the links (see checkLinks) from the
// pages checkFrom returns are.
func (b *Built) render(ctx context.Context, sink Sink, ids []PageID, tail []func() error, checkFrom func() []PageID) error {
	recs := make([]*pageRecord, len(ids))
	errs := make([]error, len(ids))
	tailErrs := make([]error, len(tail))
	order := keyMajor(ids)
	var done atomic.Int64
	b.opts.Report(Progress{Phase: "rendering", Total: len(ids)})
	err := parallel.For(ctx, len(ids)+len(tail), func(n int) {
		if n >= len(ids) {
			tailErrs[n-len(ids)] = tail[n-len(ids)]()
			return
		}
		i := order[n]
		recs[i], errs[i] = b.renderPage(ctx, sink, ids[i])
		b.opts.Report(Progress{Phase: "rendering", Done: int(done.Add(1)), Total: len(ids)})
	})
	if err != nil {
		return err
	}
	var list diag.List
	for _, err := range errs {
		list.Add(err)
	}
	if err := list.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		b.pages[id] = recs[i]
	}
	list.Add(b.checkLinks(checkFrom()))
	for _, err := range tailErrs {
		list.Add(err)
	}
	return list.Err()
}

func (b *Built) renderPage(ctx context.Context, sink Sink, id PageID) (*pageRecord, error) {
	p := b.Site.Pages.Pages[id.Locale][id.Key]
	if p == nil {
		return nil, fmt.Errorf("page %q is not published in locale %s", id.Key, id.Locale)
	}
	res, err := b.r.Page(ctx, p)
	if err != nil {
		return nil, err
	}
	err = sink.WriteFile(res.Path, res.HTML)
	rec := &pageRecord{path: res.Path, ids: res.IDs, links: res.Links, problems: res.Problems}
	res.Release()
	return rec, err
}

// keyMajor returns the indexes of pages (in AllPages order, locale by
// locale) ordered key by key: the workers then write into different
// locale folders at the same time instead of contending for one folder's
// lock in the file system (which doubled the cost of creating the page
// folders on ext4), and the locales sharing one Markdown rendering come
// one after another, so it is freed sooner.
func keyMajor(pages []PageID) []int {
	order := make([]int, len(pages))
	for i := range order {
		order[i] = i
	}
	pos := map[string]int{}
	for _, p := range pages {
		if _, ok := pos[p.Key]; !ok {
			pos[p.Key] = len(pos)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return pos[pages[a].Key] - pos[pages[b].Key] })
	return order
}

// otherFiles returns the jobs that write the files other than the
// locales' pages: the special pages, the files derived from the set of
// pages and their URLs, the theme assets and the static/ files.
func (b *Built) otherFiles(ctx context.Context, sink Sink) []func() error {
	return append(append(b.specialPages(ctx, sink),
		func() error {
			var list diag.List
			for _, f := range append(b.Site.Links.Sitemaps(0), b.Site.Links.Robots()) {
				list.Add(sink.WriteFile(f.Path, f.Data))
			}
			for _, a := range b.Site.Theme.Assets() {
				list.Add(sink.WriteFile(a.Path, a.Data))
			}
			return list.Err()
		},
		func() error { return b.copyStatic(ctx, sink) },
		func() error { return b.copyResources(ctx, sink) },
	), b.versionFiles(ctx, sink)...)
}

// specialPages returns the jobs that render the pages that are not a
// locale's page: the region selector and the 404 pages.
func (b *Built) specialPages(ctx context.Context, sink Sink) []func() error {
	return writeJobs(ctx, sink, specialPages(b.r))
}

// localeNotFound returns the jobs that render the 404 pages of the
// locales tags, whose UI strings changed.
func (b *Built) localeNotFound(ctx context.Context, sink Sink, tags []string) []func() error {
	return writeJobs(ctx, sink, b.r.LocaleNotFound(tags))
}

// writeJobs returns one job per page that renders it into sink.
func writeJobs(ctx context.Context, sink Sink, pages []func(context.Context) (*render.Result, error)) []func() error {
	var jobs []func() error
	for _, page := range pages {
		jobs = append(jobs, func() error {
			res, err := page(ctx)
			if err != nil {
				return err
			}
			err = sink.WriteFile(res.Path, res.HTML)
			res.Release()
			return err
		})
	}
	return jobs
}

func specialPages(r *render.Renderer) []func(context.Context) (*render.Result, error) {
	return append([]func(context.Context) (*render.Result, error){r.Selector, r.NotFound}, r.LocaleNotFound(nil)...)
}

// checkLinks runs the link check (linkcheck.go) on the links of the
// pages from, against the IDs of every page rendered. The warnings of
// every page rendered are added, so that the build's warnings are those
// of a full build.
func (b *Built) checkLinks(from []PageID) error {
	var pages, others []pageLinks
	inFrom := make(map[PageID]bool, len(from))
	for _, id := range from {
		inFrom[id] = true
		if rec := b.pages[id]; rec != nil {
			pages = append(pages, pageLinks{rec.links, rec.problems})
		}
	}
	for id, rec := range b.pages {
		if !inFrom[id] && rec != nil {
			others = append(others, pageLinks{rec.links, rec.problems})
		}
	}
	ids := func(id PageID) ([]string, bool) {
		rec, ok := b.pages[id]
		if !ok || rec == nil {
			return nil, false
		}
		return rec.ids, true
	}
	// The errors of the other pages were reported by the build they
	// come from, which succeeded; only their warnings count.
	_ = checkLinks(b.Site.Config.Links, b.Site.Warnings, ids, others)
	return checkLinks(b.Site.Config.Links, b.Site.Warnings, ids, pages)
}

// copyStatic copies the site's static/ folder as it is.
func (b *Built) copyStatic(ctx context.Context, sink Sink) error {
	dir := filepath.Join(b.Site.Config.Dir, "static")
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipDir
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return &diag.SourceError{File: p, Err: errors.New("symbolic links in static/ are not copied; copy the file instead")}
		}
		data, err := srcfile.ReadFile(p, 0)
		if errors.Is(err, srcfile.ErrSpecial) {
			return &diag.SourceError{File: p, Err: err}
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return sink.WriteFile(filepath.ToSlash(rel), data)
	})
	b.static = names
	return err
}

func indexTree(t *content.Tree) map[string]*content.File {
	m := map[string]*content.File{}
	for _, files := range t.Files {
		for _, f := range files {
			m[f.Path] = f
		}
	}
	return m
}

// A PageOutput is one rendered page.
type PageOutput struct {
	Path string
	HTML []byte
}

// RenderPages renders the pages ids of site with r and returns them, for
// tests and tools that compare renderings.
func RenderPages(ctx context.Context, r *render.Renderer, site *Site, ids []PageID) (map[PageID]*PageOutput, error) {
	b := &Built{Site: site, r: r, pages: map[PageID]*pageRecord{}}
	mem := &collect{files: map[string][]byte{}}
	if err := b.render(ctx, mem, ids, nil, func() []PageID { return nil }); err != nil {
		return nil, err
	}
	out := make(map[PageID]*PageOutput, len(ids))
	for _, id := range ids {
		p := b.pages[id].path
		out[id] = &PageOutput{Path: p, HTML: mem.files[p]}
	}
	return out, nil
}

// RenderSpecial renders the region selector and the 404 pages with r,
// for tests and tools.
func RenderSpecial(ctx context.Context, r *render.Renderer) (map[string][]byte, error) {
	b := &Built{r: r}
	mem := &collect{files: map[string][]byte{}}
	var list diag.List
	for _, job := range b.specialPages(ctx, mem) {
		list.Add(job())
	}
	return mem.files, list.Err()
}

// collect is a Sink keeping the files in a map.
type collect struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (c *collect) WriteFile(name string, data []byte) error {
	data = bytes.Clone(data) // the renderer reuses its buffer
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[name] = data
	return nil
}
