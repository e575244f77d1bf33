// Package generator runs policysite's build pipeline: load config → read
// content → resolve locales and inheritance → assign URLs and hreflang →
// render → write sitemap and assets. Each step is one call in Build.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	"policysite/generator/parallel"
	"policysite/generator/render"
	"policysite/generator/theme"
	"policysite/themes"
)

// GCPercent returns the GOGC value the command line gives a build
// whose live heap after a collection is live bytes (see
// cmd/policysite/gc.go). A build keeps the site's text in memory
// throughout and makes garbage of every page it writes. Letting garbage
// grow to 256 MiB, or half the live heap when that is more, before the
// next collection saves small and medium sites most of their
// collections and keeps a 9,600-page build under 1 GiB (GOGC=100 lets
// it reach 1.1 GB). A fixed memory limit was tried and dropped: the
// collector thrashes once a site's text outgrows it.
func GCPercent(live uint64) int {
	const headroom, least, most = 256 << 20, 50, 400
	if live == 0 {
		return most
	}
	return int(min(max(headroom*100/live, least), most))
}

// Options control a build.
type Options struct {
	// SiteDir is the site root. Default ".".
	SiteDir string
	// BaseURL overrides the configured baseURL when set.
	BaseURL string
	// Drafts includes pages marked draft.
	Drafts bool
	// Strict makes every warning an error (policysite build --strict).
	Strict bool
	// DevScript is passed to render.Options (dev server only).
	DevScript string
	// Theme overrides the embedded default theme (tests).
	Theme fs.FS
	// AssetTransform, when set, rewrites each theme asset before it is
	// fingerprinted (minification; see theme.Options.Transform).
	AssetTransform func(name string, data []byte) ([]byte, error)
}

// A Sink receives the output files. WriteFile must be safe for
// concurrent use and must not keep data after it returns: the buffer
// is reused for the next page.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Summary describes a finished build.
type Summary struct {
	Pages   int // HTML pages, including the selector and 404
	Files   int // every file written
	Locales int // published locales
	// Warnings holds one line per kind of warning (diag.Warnings.Summary)
	// and WarningCount the number of distinct warnings they stand for.
	Warnings     []string
	WarningCount int
	Duration     time.Duration
	// Until, when not zero, is when a page's publishDate or expiryDate
	// comes: the same files then build into a different site, so the
	// output must not be treated as up to date past it.
	Until time.Time
}

// summaryExamples is how many positions a summary line gives as
// examples of a kind of warning seen more than once.
const summaryExamples = 3

// Site is a loaded and resolved site, ready to render.
type Site struct {
	Config   *config.Site
	Locales  *locale.Set
	Tree     *content.Tree
	Pages    *inherit.Site
	Links    *links.Links
	Theme    *theme.Theme
	Catalog  *i18n.Catalog
	Markdown *markdown.Markdown
	// Warnings collects the warnings of every stage of the build that
	// loaded the site; the stages are handed it explicitly.
	Warnings *diag.Warnings
}

// Load runs the pipeline up to rendering: config, content, locales and
// inheritance, URLs, theme and UI strings.
func Load(ctx context.Context, opts Options) (*Site, error) {
	if opts.SiteDir == "" {
		opts.SiteDir = "."
	}
	cfg, err := config.Load(opts.SiteDir)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL != "" {
		base, err := config.BaseURL(opts.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("--base-url: %w", err)
		}
		cfg.BaseURL = base
	}
	locs, err := locale.New(cfg)
	if err != nil {
		return nil, err
	}
	md := markdown.New(markdown.Options{Unsafe: cfg.Markdown.Unsafe})
	var tags []string
	for _, l := range locs.All {
		tags = append(tags, l.Tag)
	}
	// Content, strings and theme are independent: the strings and the
	// theme load while the content does, and all their errors are
	// reported together.
	var (
		cat              *i18n.Catalog
		th               *theme.Theme
		catErr, themeErr error
		wg               sync.WaitGroup
	)
	// Both goroutines end when their files are read.
	wg.Go(func() { cat, catErr = i18n.Load(filepath.Join(opts.SiteDir, "i18n")) })
	wg.Go(func() {
		embedded := opts.Theme
		if embedded == nil {
			embedded = themes.Default()
		}
		th, themeErr = theme.Load(theme.Options{Embedded: embedded, SiteDir: opts.SiteDir, Name: cfg.Theme, Funcs: render.Funcs(), Transform: opts.AssetTransform})
	})
	var errs diag.List
	warnings := &diag.Warnings{}
	tree, err := content.Load(ctx, content.Options{Dir: filepath.Join(opts.SiteDir, "content"), Locales: tags, Drafts: opts.Drafts, Markdown: md, Warnings: warnings})
	errs.Add(err)
	wg.Wait()
	errs.Add(catErr)
	errs.Add(themeErr)
	if tree == nil {
		return nil, errs.Err()
	}
	// Overrides are checked even when some files failed, so one run
	// reports every problem; inherit skips what depends on broken files.
	pages, err := inherit.Resolve(ctx, locs, tree, md)
	errs.Add(err)
	if errs.Len() > 0 {
		return nil, withWarnings(errs.Err(), warnings, opts.Strict)
	}
	if len(pages.Keys) == 0 {
		return nil, fmt.Errorf("%s: no pages found; add Markdown files under content/<locale>/", filepath.Join(opts.SiteDir, "content"))
	}
	return &Site{
		Config: cfg, Locales: locs, Tree: tree, Pages: pages,
		Links: links.New(cfg.BaseURL, locs, pages), Theme: th, Catalog: cat, Markdown: md,
		Warnings: warnings,
	}, nil
}

// Build runs the whole pipeline and writes every file to sink.
func Build(ctx context.Context, opts Options, sink Sink) (*Summary, error) {
	start := time.Now()
	site, err := Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	sum, err := Render(ctx, site, opts, sink)
	if err != nil {
		return nil, err
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// Render renders a loaded site into sink.
func Render(ctx context.Context, site *Site, opts Options, sink Sink) (*Summary, error) {
	r, err := NewRenderer(site, opts)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Locales: len(site.Locales.Published()), Until: site.Tree.Until}

	all := AllPages(site)
	jobs := make([]*inherit.Page, len(all))
	for i, id := range all {
		jobs[i] = site.Pages.Pages[id.Locale][id.Key]
	}
	ids := make([][]string, len(jobs))
	refs := make([][]render.LinkRef, len(jobs))
	errs := make([]error, len(jobs))
	order := keyMajor(all)
	// The region selector, the 404 page and the files that do not
	// depend on the pages are the last jobs, so that they are done
	// beside the last pages rather than after them (and the special
	// pages find their locale's partialLocale shapes checked).
	var nFiles, nStatic int
	specials := specialPages(r)
	var tail []func() error
	for _, page := range specials {
		tail = append(tail, func() error { return writeSpecial(ctx, page, sink) })
	}
	tail = append(tail,
		func() error {
			var list diag.List
			files := SiteFiles(site)
			nFiles = len(files)
			for _, f := range files {
				list.Add(sink.WriteFile(f.Path, f.Data))
			}
			for _, a := range site.Theme.Assets() {
				list.Add(sink.WriteFile(a.Path, a.Data))
			}
			return list.Err()
		},
		func() (err error) {
			nStatic, err = CopyStatic(ctx, site, sink)
			return err
		},
	)
	tailErrs := make([]error, len(tail))
	err = parallel.For(ctx, len(jobs)+len(tail), func(n int) {
		if n >= len(jobs) {
			tailErrs[n-len(jobs)] = tail[n-len(jobs)]()
			return
		}
		i := order[n]
		res, err := r.Page(ctx, jobs[i])
		if err == nil {
			err = sink.WriteFile(res.Path, res.HTML)
			res.Release()
		}
		if err != nil {
			errs[i] = err
			return
		}
		ids[i], refs[i] = res.IDs, res.Links
	})
	if err != nil {
		return nil, err
	}
	var list diag.List
	for _, err := range errs {
		list.Add(err)
	}
	if err := list.Err(); err != nil {
		return nil, withWarnings(err, site.Warnings, opts.Strict)
	}
	list.Add(checkFragments(jobs, ids, refs))
	for _, err := range tailErrs {
		list.Add(err)
	}
	if err := list.Err(); err != nil {
		return nil, withWarnings(err, site.Warnings, opts.Strict)
	}
	sum.Pages = len(jobs) + len(specials)
	sum.Files = sum.Pages + nFiles + len(site.Theme.Assets()) + nStatic
	if missing := site.Catalog.Missing(); len(missing) > 0 {
		site.Warnings.Add(diag.Warning{Kind: "missing UI strings", Detail: strings.Join(missing, "; "), Hint: "add them to i18n/<tag>.toml"})
	}
	if opts.Strict {
		if err := site.Warnings.Err(); err != nil {
			return nil, err
		}
	}
	sum.Warnings, sum.WarningCount = site.Warnings.Summary(summaryExamples), site.Warnings.Len()
	return sum, nil
}

// A FailedBuild is the error of a build that failed with warnings
// besides its errors, which the command prints too, so that one run
// reports every problem. It unwraps to the errors.
type FailedBuild struct {
	Err error
	// Warnings and WarningCount are as in Summary.
	Warnings     []string
	WarningCount int
}

func (e *FailedBuild) Error() string { return e.Err.Error() }

// Unwrap returns the build's errors, one by one.
func (e *FailedBuild) Unwrap() []error { return diag.Errors(e.Err) }

// withWarnings adds the build's warnings to its error err: as errors
// in a strict build, else in a *FailedBuild.
func withWarnings(err error, ws *diag.Warnings, strict bool) error {
	if ws.Len() == 0 {
		return err
	}
	if strict {
		var l diag.List
		l.Add(err)
		l.Add(ws.Err())
		return l.Err()
	}
	return &FailedBuild{Err: err, Warnings: ws.Summary(summaryExamples), WarningCount: ws.Len()}
}

// writeSpecial renders a special page with page and writes it to sink.
func writeSpecial(ctx context.Context, page func(context.Context) (*render.Result, error), sink Sink) error {
	res, err := page(ctx)
	if err != nil {
		return err
	}
	err = sink.WriteFile(res.Path, res.HTML)
	res.Release()
	return err
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

// checkFragments verifies that every link to #fragment, on the same page
// or another, names an element that exists.
func checkFragments(jobs []*inherit.Page, ids [][]string, refs [][]render.LinkRef) error {
	type pageKey struct{ tag, key string }
	idx := map[pageKey]int{}
	for i, p := range jobs {
		idx[pageKey{p.Locale.Tag, p.Key}] = i
	}
	var list diag.List
	for i, rs := range refs {
		for _, ref := range rs {
			key := ref.Key
			if key == "" {
				key = jobs[i].Key
			}
			j, ok := idx[pageKey{ref.Locale, key}]
			if !ok || slices.Contains(ids[j], ref.Fragment) || isFootnote(ref.Fragment) {
				continue
			}
			list.Add(diag.Errorf(ref.File, ref.Line, "link to #%s: page %q in %s has no section with that ID; fix the fragment", ref.Fragment, key, ref.Locale))
		}
	}
	return list.Err()
}

func isFootnote(frag string) bool {
	return strings.HasPrefix(frag, "fn:") || strings.HasPrefix(frag, "fnref:")
}

// copyStatic copies the site's static/ folder as it is.
func copyStatic(ctx context.Context, dir string, sink Sink) (int, error) {
	n := 0
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
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		n++
		return sink.WriteFile(filepath.ToSlash(rel), data)
	})
	return n, err
}
