// Package generator runs policysite's build pipeline. Build is the one
// full build, for policysite build and the dev server alike; its body
// lists the steps in the order they run. A finished build is a Built,
// whose Update re-renders only what an edit affects and produces the
// same files a new Build would.
package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"policysite/generator/cdn"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/render"
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

// Options control a build. policysite build and the dev server differ
// only in these and in the sink.
type Options struct {
	// SiteDir is the site root. Default ".".
	SiteDir string
	// BaseURL overrides the configured baseURL when set.
	BaseURL string
	// Drafts includes pages marked draft.
	Drafts bool
	// Strict makes every warning an error (policysite build --strict),
	// such as UI strings a locale lacks in its language.
	Strict bool
	// DevScript is passed to render.Options (dev server only).
	DevScript string
	// Theme overrides the embedded default theme (tests).
	Theme fs.FS
	// Minify minifies HTML, CSS and JavaScript (policysite build --minify).
	Minify bool
	// Compress writes .gz and .br variants beside compressible files
	// (policysite build --compress), whatever site.toml says.
	Compress bool
	// NoCompress writes none, even when site.toml's output.precompress
	// asks for them (policysite build --no-compress).
	NoCompress bool
	// Previous is the output folder the build replaces, if any; its
	// precompressed files are reused for originals that did not change.
	Previous string
	// Now is the time the build publishes for: publishDate, expiryDate
	// and effective dates are compared with it. Zero means the time
	// given by SOURCE_DATE_EPOCH when it is set (reproducible builds),
	// else the time the build starts.
	Now time.Time
	// Progress, when set, is told what the build is doing: each phase as
	// it starts and, while rendering, each page done. The render workers
	// call it, so it must be safe for concurrent use and quick.
	Progress func(Progress)
}

// Progress reports how far a build has got.
type Progress struct {
	// Phase is "loading", "rendering" or "finishing" (the CDN step's
	// aliases, headers, redirects and manifest), or "loading versions
	// (…)" with what the git history gave, when pages have versions.
	Phase string
	// Done and Total count the pages rendered so far and in all; both
	// are 0 outside the rendering phase.
	Done, Total int
}

// Report calls opts.Progress, if set, with p.
func (opts Options) Report(p Progress) {
	if opts.Progress != nil {
		opts.Progress(p)
	}
}

// A Sink receives the output files. WriteFile must be safe for
// concurrent use and must not keep data after it returns: the buffer
// is reused for the next page.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Summary describes a finished build.
type Summary struct {
	Pages   int // HTML pages, including the selector and 404 pages
	Files   int // every file written
	Locales int // published locales
	// Warnings holds one line per kind of warning (diag.Warnings.Summary)
	// and WarningCount the number of distinct warnings they stand for.
	Warnings     []string
	WarningCount int
	Duration     time.Duration
	// Until, when not zero, is when a page's publishDate, expiryDate or
	// effective date comes: the same files then build into a different
	// site, so the output must not be treated as up to date past it.
	Until time.Time
	// Aliases and Compressed count the alias redirects and the files
	// with precompressed variants.
	Aliases, Compressed int
}

// A Built is a finished build: the loaded site, its summary, and what
// Update needs to continue from it after an edit. It is not modified
// once Build or Update has returned it, so it may be read while the
// next one is built.
type Built struct {
	Summary
	Site *Site

	opts Options
	r    *render.Renderer
	// pages holds what the link check needs of every page.
	pages map[PageID]*pageRecord
	// byPath maps a content file's path to the file, for edits.
	byPath map[string]*content.File
	// static lists the files copied from static/.
	static []string
	// cdn has recorded every file written, for the CDN files.
	cdn *cdn.Step
}

// Build runs the whole pipeline and writes every file to sink. The
// steps, in the order they run:
func Build(ctx context.Context, opts Options, sink Sink) (*Built, error) {
	start := time.Now()
	// 1. Load config, content, locales and inheritance, URLs, theme and
	//    UI strings.
	site, err := Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	b, err := newBuilt(site, opts)
	if err != nil {
		return nil, err
	}
	b.Until = earliest(site.Tree.Until, site.Versions.Until)
	// 2. Render every page into sink, through minification and the CDN
	//    step's recording and compression; the special pages, the
	//    sitemap, robots.txt, theme assets and static/ files beside the
	//    last pages. Then check every link to a #fragment.
	out := b.sink(sink)
	ids := AllPages(site)
	if err := b.render(ctx, out, ids, b.otherFiles(ctx, out), func() []PageID { return ids }); err != nil {
		return nil, withWarnings(err, site.Warnings, opts.Strict)
	}
	b.Pages = len(ids) + len(specialPages(b.r)) + b.r.VersionPageCount()
	// 3. Report the UI strings that are missing, and every warning:
	//    errors when strict.
	if err := b.checkStrings(); err != nil {
		return nil, err
	}
	// 4. Add the CDN files: alias pages, _redirects, _headers and the
	//    manifest.
	opts.Report(Progress{Phase: "finishing"})
	if err := b.finish(ctx, sink); err != nil {
		return nil, err
	}
	b.Duration = time.Since(start)
	return b, nil
}

// earliest returns the earlier of two times, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// now returns the time the build publishes for (Options.Now).
func (o Options) now(getenv func(string) string) (time.Time, error) {
	if !o.Now.IsZero() {
		return o.Now, nil
	}
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970; unset it or set it to the time of the sources (git log -1 --format=%%ct)", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now(), nil
}

// newBuilt prepares a build of site.
func newBuilt(site *Site, opts Options) (*Built, error) {
	r, err := NewRenderer(site, opts)
	if err != nil {
		return nil, err
	}
	return &Built{
		Summary: Summary{Locales: len(site.Locales.Published())},
		Site:    site, opts: opts, r: r, pages: map[PageID]*pageRecord{}, byPath: indexTree(site.Tree), cdn: newStep(opts, site),
	}, nil
}

// newStep returns the CDN step of a build of site with opts.
func newStep(opts Options, site *Site) *cdn.Step {
	var prev fs.FS
	if opts.Previous != "" {
		prev = os.DirFS(opts.Previous)
	}
	return cdn.New(opts.precompress(site), prev)
}

// precompress reports whether the build writes .gz and .br variants:
// when asked by a flag, else when site.toml's output.precompress is set.
func (o Options) precompress(site *Site) bool {
	switch {
	case o.NoCompress:
		return false
	case o.Compress:
		return true
	}
	return site.Config != nil && site.Config.Output.Precompress
}

// sink returns the sink the pipeline's files are written to: minified
// when asked, then recorded and compressed by the CDN step.
func (b *Built) sink(to Sink) Sink {
	out := b.cdn.Sink(to)
	if b.opts.Minify {
		out = cdn.NewMinifier().Sink(out)
	}
	return out
}

// summaryExamples is how many positions a summary line gives as
// examples of a kind of warning seen more than once.
const summaryExamples = 3

// checkStrings reports the UI strings locales lack in their language,
// one warning per locale, then every warning of the build: errors when
// the build is strict, else the summary's lines.
func (b *Built) checkStrings() error {
	ws, n, err := Warnings(b.Site, b.r, b.opts.Strict)
	if err != nil {
		return err
	}
	b.Warnings, b.WarningCount = ws, n
	return nil
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

// finish runs the CDN step's Finish over the files written.
func (b *Built) finish(ctx context.Context, sink Sink) error {
	res, err := b.cdn.Finish(ctx, cdnOptions(b.Site), sink)
	if err != nil {
		return err
	}
	b.Aliases, b.Compressed = res.Aliases, res.Compressed
	b.Files = b.cdn.Len()
	return nil
}
