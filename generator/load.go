package generator

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"policysite/generator/buildcache"
	"policysite/generator/cdn"
	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/render"
	"policysite/generator/theme"
	"policysite/generator/versions"
	"policysite/generator/versions/git"
	"policysite/themes"
)

// Site is a loaded and resolved site, ready to render.
type Site struct {
	Config   *config.Site
	Locales  *locale.Set
	Tree     *content.Tree
	Pages    *inherit.Site
	Links    *links.Links
	Resolver *links.Resolver // the links of content (see linkcheck.go)
	Theme    *theme.Theme
	Catalog  *i18n.Catalog
	Markdown *markdown.Markdown
	// Now is the time the site is built for (Options.Now).
	Now time.Time
	// Versions holds the earlier and upcoming versions of the pages
	// with an effective date.
	Versions *versions.Set
	// Warnings collects the warnings of every stage of the build that
	// loaded the site; the stages are handed it explicitly. loaded holds
	// those of Load, from which Built.Update starts its own.
	Warnings *diag.Warnings
	loaded   *diag.Warnings
}

// Load runs the pipeline up to rendering: config, content, locales and
// inheritance, URLs, theme and UI strings.
func Load(ctx context.Context, opts Options) (*Site, error) {
	if opts.SiteDir == "" {
		opts.SiteDir = "."
	}
	opts.Report(Progress{Phase: "loading"})
	now, err := opts.now(os.Getenv)
	if err != nil {
		return nil, err
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
	ids, _ := markdown.ParseHeadingIDs(cfg.Markdown.HeadingIDs) // checked by config.Finish
	site := &Site{Config: cfg, Locales: locs, Markdown: markdown.New(markdown.Options{Unsafe: cfg.Markdown.Unsafe, HeadingIDs: ids}), Now: now, Warnings: &diag.Warnings{}}
	// Content, strings and theme are independent: the strings and the
	// theme load while the content does, and all their errors are
	// reported together.
	var (
		catErr, themeErr error
		wg               sync.WaitGroup
	)
	// Both goroutines end when their files are read.
	wg.Go(func() { site.Catalog, catErr = loadStrings(ctx, cfg) })
	wg.Go(func() { site.Theme, themeErr = loadTheme(ctx, cfg, opts) })
	var errs diag.List
	errs.Add(loadContent(ctx, site, opts))
	wg.Wait()
	errs.Add(catErr)
	errs.Add(themeErr)
	if site.Catalog != nil && site.Theme != nil {
		// The site's strings override the theme's key by key.
		site.Catalog = site.Catalog.WithTheme(site.Theme.Strings())
	}
	if err := errs.Err(); err != nil {
		return nil, withWarnings(err, site.Warnings, opts.Strict)
	}
	site.Resolver = newResolver(site.Links, site.Tree, site.Theme, cfg)
	site.loaded = site.Warnings.Clone()
	return site, nil
}

// loadContent reads every content file of site and resolves its pages
// and their URLs into site.
func loadContent(ctx context.Context, site *Site, opts Options) error {
	var tags []string
	for _, l := range site.Locales.All {
		tags = append(tags, l.Tag)
	}
	dir := filepath.Join(site.Config.Dir, "content")
	var errs diag.List
	tree, err := content.Load(ctx, content.Options{Dir: dir, Locales: tags, Drafts: opts.Drafts, Now: site.Now, Markdown: site.Markdown, Warnings: site.Warnings})
	errs.Add(err)
	if tree == nil {
		return errs.Err()
	}
	// Overrides are checked even when some files failed, so one run
	// reports every problem; inherit skips what depends on broken files.
	pages, err := inherit.Resolve(ctx, site.Locales, tree, site.Markdown)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return err
	}
	if len(pages.Keys) == 0 {
		return fmt.Errorf("%s: no pages found; add Markdown files under content/<locale>/", dir)
	}
	site.Tree, site.Pages = tree, pages
	site.Links = links.New(site.Config.BaseURL, site.Locales, pages)
	versions.CheckDirs(tree.Dir, tree, pages, site.Warnings)
	sources, hist := versionSources(site)
	site.Versions, err = versions.Collect(ctx, versions.Options{Dir: dir, Locales: site.Locales, Markdown: site.Markdown, Drafts: opts.Drafts, Now: site.Now, Warnings: site.Warnings}, pages, sources)
	if hist != nil {
		// Collect has read every file it needs: end the git process.
		_ = hist.Close()
		if note := hist.Note(); note != "" {
			opts.Report(Progress{Phase: "loading versions (" + note + ")"})
		}
	}
	return err
}

// versionSources returns where the earlier versions of site's pages
// come from, in increasing precedence: the git history, when site.toml's
// [versions] git is true (which Collect reads only when a page has an
// effective date, and which has no states outside a git work tree),
// then the explicit version files, so that theirs win. hist is the git
// source, to be closed once the versions are collected, or nil.
func versionSources(site *Site) (sources []versions.Source, hist *git.Source) {
	if site.Config.Versions.Git {
		hist = git.New(git.Options{
			Dir:      site.Tree.Dir,
			Cache:    filepath.Join(site.Config.Dir, buildcache.Dir, git.CacheName),
			Warnings: site.Warnings,
		})
		sources = append(sources, hist)
	}
	return append(sources, versions.NewFiles(site.Tree.Dir, site.Tree)), hist
}

// loadStrings reads the site's UI strings.
func loadStrings(ctx context.Context, cfg *config.Site) (*i18n.Catalog, error) {
	return i18n.Load(ctx, filepath.Join(cfg.Dir, "i18n"))
}

// loadTheme reads the site's theme, minifying its assets when asked.
func loadTheme(ctx context.Context, cfg *config.Site, opts Options) (*theme.Theme, error) {
	embedded := opts.Theme
	if embedded == nil {
		embedded = themes.Default()
	}
	to := theme.Options{Embedded: embedded, SiteDir: cfg.Dir, Name: cfg.Theme.Name, Brand: theme.BrandOf(cfg), Funcs: render.Funcs()}
	if opts.Minify {
		to.Transform = cdn.NewMinifier().Minify
	}
	return theme.Load(ctx, to)
}

// cdnOptions describes site to the CDN step.
func cdnOptions(s *Site) cdn.Options {
	o := cdn.Options{
		BaseURL:   s.Config.BaseURL,
		Headers:   s.Config.Headers,
		Redirects: s.Config.Redirects,
		Locales:   s.Locales.Published(),
		Default:   s.Config.DefaultLocale,
		Pages:     s.Pages,
		Links:     s.Links,
	}
	for _, a := range s.Theme.Assets() {
		o.Assets = append(o.Assets, a.Path)
	}
	for _, sc := range s.Config.Consent.Scripts {
		if u, err := url.Parse(sc.Src); err == nil && u.IsAbs() && u.Host != "" {
			o.ScriptOrigins = append(o.ScriptOrigins, u.Scheme+"://"+u.Host)
		}
	}
	slices.Sort(o.ScriptOrigins)
	o.ScriptOrigins = slices.Compact(o.ScriptOrigins)
	return o
}
