package render

import (
	"sync"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/inherit"
)

// WithPages returns a Renderer for the same site after edits that changed
// the text of pages but not which pages exist, their URLs, the locales,
// the theme or the UI strings: the dev server's common case. It shares
// r's templates, per-locale data and switcher lists, which take most of
// New's time, and its lists of each key's translations, and takes the
// pages and the content tree from the arguments.
func (r *Renderer) WithPages(pages *inherit.Site, tree *content.Tree) *Renderer {
	n := &Renderer{opts: r.opts, locales: r.locales, translations: r.translations, year: latestYear(tree), theme: r.theme, pages: r.pages, templates: r.templates, partials: new(sync.Map), ph: r.ph, own: r.own, redlines: new(sync.Map)}
	n.opts.Pages, n.opts.Tree = pages, tree
	// Pages are rendered one by one (shared is nil): only a few are.
	return n
}

// WithWarnings returns a Renderer like r that adds its warnings to ws,
// starting with those New found.
func (r *Renderer) WithWarnings(ws *diag.Warnings) *Renderer {
	n := *r
	n.opts.Warnings = ws
	for _, w := range r.own {
		ws.Add(w)
	}
	return &n
}

// Year returns the year shown in every page's footer: the latest date
// of any page. When it changes, every page changes.
func (r *Renderer) Year() int { return r.year }
