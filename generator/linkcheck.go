package generator

// This file holds the build's link step: the index of what links may
// point to (newResolver, called by Load), the check of every page's links
// once all pages are rendered (checkLinks), and the copy of the files
// beside the pages (copyResources).

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/links"
	"policysite/generator/render"
	"policysite/generator/theme"
)

// newResolver indexes what the links of content may point to: the
// pages, the files beside them, the theme's assets, static/ and the
// files every build writes.
func newResolver(l *links.Links, tree *content.Tree, th *theme.Theme, cfg *config.Site) *links.Resolver {
	files := []string{"404.html", "robots.txt", "sitemap.xml"}
	for _, a := range th.Assets() {
		files = append(files, a.Path)
	}
	files = append(files, listStatic(filepath.Join(cfg.Dir, "static"))...)
	return links.NewResolver(l, tree, links.ResolveOptions{Files: files, ContentPrefix: cfg.Links.ContentPrefix})
}

// listStatic lists the paths of the files copyStatic copies from dir.
// Problems are left for copyStatic to report.
func listStatic(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out
}

// pageLinks is what the link check needs of one rendered page.
type pageLinks struct {
	refs     []render.LinkRef
	problems []render.LinkProblem
}

// Kinds of link warnings, as diag.Warnings groups them.
const (
	warnBrokenLink     = "broken link"
	warnBrokenFragment = "broken fragment link"
	warnHostLike       = "link to a web address without https://"
	warnShortcode      = "link made by a Hugo shortcode"
	warnAmbiguous      = "ambiguous link"
)

// checkLinks reports the links of pages that lead nowhere and the links
// to #fragments that ids (the element IDs of a published page, and
// whether there is one) does not have: errors or warnings added to ws,
// as the site's [links] settings say. A link to a web address written
// without its scheme, made by a Hugo shortcode, or read otherwise by
// Docusaurus, is always a warning:
// it is content written for another tool, which the author must fix
// by hand, and --strict makes it an error. Each problem is reported once
// per source line, listing the locales whose pages show it.
func checkLinks(cfg config.Links, ws *diag.Warnings, ids func(PageID) ([]string, bool), pages []pageLinks) error {
	var errs diag.List
	report := func(how, kind, file string, line int, loc, msg, hint string) {
		switch how {
		case config.LinkError:
			if hint != "" {
				msg += "; " + hint
			}
			errs.Add(&diag.SourceError{File: file, Line: line, Err: errors.New(msg), Locales: []string{loc}})
		case config.LinkWarn:
			ws.Add(diag.Warning{Kind: kind, File: file, Line: line, Detail: msg, Hint: hint, Locales: []string{loc}})
		}
	}
	for _, p := range pages {
		for _, pr := range p.problems {
			var le *links.LinkError
			switch {
			case errors.As(pr.Err, &le) && errors.Is(le, links.ErrHostLike):
				report(config.LinkWarn, warnHostLike, pr.File, pr.Line, pr.Locale, le.Dest, "write https:// before it, or fix the link if it is meant for a page of the site")
			case errors.As(pr.Err, &le) && errors.Is(le, links.ErrAmbiguous):
				report(config.LinkWarn, warnAmbiguous, pr.File, pr.Line, pr.Locale, le.Msg, "")
			case errors.As(pr.Err, &le) && errors.Is(le, links.ErrShortcode):
				report(config.LinkWarn, warnShortcode, pr.File, pr.Line, pr.Locale, le.Dest, "shortcodes are not run; write the URL or the .md path")
			default:
				report(cfg.Broken, warnBrokenLink, pr.File, pr.Line, pr.Locale, pr.Err.Error(), "")
			}
		}
		if cfg.BrokenFragments == config.LinkIgnore {
			continue
		}
		for _, ref := range p.refs {
			have, ok := ids(PageID{ref.Locale, ref.Key})
			if !ok || slices.Contains(have, ref.Fragment) || isFootnote(ref.Fragment) {
				continue
			}
			msg := fmt.Sprintf("link to %q: page %q has no element with ID %q", ref.Dest, ref.Key, ref.Fragment)
			if ref.Locale != ref.From {
				msg += " in " + ref.Locale
			}
			report(cfg.BrokenFragments, warnBrokenFragment, ref.File, ref.Line, ref.From, msg, "fix the fragment")
		}
	}
	return errs.Err()
}

func isFootnote(frag string) bool {
	return strings.HasPrefix(frag, "fn:") || strings.HasPrefix(frag, "fnref:")
}

// copyResources writes the files beside the pages of every locale
// (content.Tree.Resources) to the locale's folder of the output, once
// each: a page of a locale that inherits the text links to the copy of
// the locale that has the file (see links.Resolver).
func (b *Built) copyResources(ctx context.Context, sink Sink) error {
	site := b.Site
	var list diag.List
	for tag, files := range site.Tree.Resources {
		loc := site.Locales.Get(tag)
		if loc == nil {
			continue
		}
		for rel, file := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			data, err := os.ReadFile(file)
			if err != nil {
				list.Add(err)
				continue
			}
			list.Add(sink.WriteFile(path.Join(loc.Path, rel), data))
		}
	}
	return list.Err()
}
