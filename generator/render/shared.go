package render

import (
	"sync"

	"github.com/yuin/goldmark/util"

	"policysite/generator/inherit"
	"policysite/generator/markdown"
)

// sharedMarkdown renders each Markdown document once, although many
// locales show the same one (the regions of one language inherit most
// of their text). Page links are the only part of the HTML that differs
// between locales showing one document, so it is rendered with a
// placeholder for each page link, and each locale substitutes its own
// URLs. An entry is dropped once every page showing it is rendered, so
// memory stays bounded.
//
// It is safe for concurrent use. A nil *sharedMarkdown renders every
// page on its own.
type sharedMarkdown struct {
	// ph makes the placeholders of page links (list 'l').
	ph placeholders
	mu sync.Mutex
	// entries hold the documents shown by two or more pages.
	entries map[*inherit.Doc]*sharedEntry
}

type sharedEntry struct {
	once  sync.Once
	left  int // pages still to render
	res   markdown.Result
	dests []string // page link destinations, by placeholder number
	err   error
}

// newSharedMarkdown prepares sharing for the documents that more than
// one of pages shows.
func newSharedMarkdown(pages []*inherit.Page) *sharedMarkdown {
	s := &sharedMarkdown{ph: newPlaceholders("pslink"), entries: map[*inherit.Doc]*sharedEntry{}}
	uses := map[*inherit.Doc]int{}
	for _, p := range pages {
		uses[p.Doc]++
	}
	for d, n := range uses {
		if n > 1 {
			s.entries[d] = &sharedEntry{left: n}
		}
	}
	return s
}

// render renders p's body with md and opts, reusing an earlier rendering
// of the same document, with the same bytes, links and problems as
// rendering it on its own. A document with problems that do not depend
// on the locale (script in raw HTML) is rendered on its own.
func (s *sharedMarkdown) render(md *markdown.Markdown, p *inherit.Page, opts markdown.RenderOptions) (markdown.Result, error) {
	var e *sharedEntry
	if s != nil {
		s.mu.Lock()
		if e = s.entries[p.Doc]; e != nil {
			if e.left--; e.left == 0 {
				delete(s.entries, p.Doc)
			}
		}
		s.mu.Unlock()
	}
	if e == nil {
		return md.Render(p.Doc.Body, opts)
	}
	e.once.Do(func() {
		o := opts
		o.Resolve = func(dest string) (string, error) {
			e.dests = append(e.dests, dest)
			return s.placeholder(len(e.dests) - 1), nil
		}
		e.res, e.err = md.Render(p.Doc.Body, o)
	})
	if e.err != nil || len(e.res.Problems) > 0 {
		return md.Render(p.Doc.Body, opts)
	}
	// A destination that does not resolve for this page's locale is left
	// as written, with a problem at the link, as rendering the page on
	// its own leaves it.
	urls := make([]string, len(e.dests))
	failed := make([]error, len(e.dests))
	for i, d := range e.dests {
		u, err := opts.Resolve(d)
		if err != nil {
			u, failed[i] = d, err
		}
		urls[i] = u
	}
	res := e.res
	res.HTML = s.substitute(e.res.HTML, urls)
	res.Links = make([]markdown.Link, 0, len(e.res.Links))
	res.Problems = nil
	n := 0
	for _, l := range e.res.Links {
		if n < len(urls) && l.URL == s.placeholder(n) {
			i := n
			n++
			if failed[i] != nil {
				res.Problems = append(res.Problems, markdown.Problem{Offset: l.Offset, Err: failed[i]})
				continue
			}
			l.URL = urls[i]
		}
		res.Links = append(res.Links, l)
	}
	return res, nil
}

func (s *sharedMarkdown) placeholder(i int) string { return s.ph.make('l', i) }

// substitute replaces placeholder i in html by urls[i], escaped as
// goldmark escapes a link destination.
func (s *sharedMarkdown) substitute(html []byte, urls []string) []byte {
	parts, refs := s.ph.split(string(html), "l")
	out := make([]byte, 0, len(html)+len(urls)*16)
	for i, p := range parts {
		out = append(out, p...)
		switch {
		case i == len(refs):
		case refs[i].i < len(urls):
			out = append(out, util.EscapeHTML(util.URLEscape([]byte(urls[refs[i].i]), true))...)
		default:
			// Not one of ours; keep it as it is.
			out = append(out, s.placeholder(refs[i].i)...)
		}
	}
	return out
}

// publishedPages lists what every page of every published locale shows:
// the page, or the version in effect at its URL, and each version with
// a page of its own.
func publishedPages(opts Options) []*inherit.Page {
	var out []*inherit.Page
	for _, l := range opts.Locales.Published() {
		for _, p := range opts.Pages.Pages[l.Tag] {
			if h := opts.Versions.Get(l.Tag, p.Key); h != nil {
				// The page's URL shows the version in effect.
				p = h.Versions[h.InForce].Page
			}
			out = append(out, p)
		}
	}
	// The pages of versions show their text too (Renderer.Version).
	for _, l := range opts.Locales.Published() {
		for _, h := range opts.Versions.All([]string{l.Tag}) {
			for _, v := range h.Versions {
				if hasOwnPage(h, v) {
					out = append(out, v.Page)
				}
			}
		}
	}
	return out
}
