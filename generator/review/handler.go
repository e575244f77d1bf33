package review

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"policysite/generator"
	"policysite/themes"
)

// HandlerOptions configure Handler.
type HandlerOptions struct {
	// Site returns the current site, or nil while none has loaded. It
	// is called on every request, so the reports follow live edits.
	Site func() *generator.Site
	// Prefix is the path the handler is mounted at. Default "/_review/".
	Prefix string
	// Source is the locale to measure against. Default: the site's
	// default locale.
	Source string
	// Script is the URL of a script every report includes (the dev
	// server's live-reload client), or "".
	Script string
	// ExportPrefix, when set, is where XLIFF exports are served
	// (PREFIX{source}/{target}.xlf?page=…); diff pages link to them.
	ExportPrefix string
	// OnError receives errors that a response reports only as a status
	// code, for the server's log. Default: ignore them.
	OnError func(error)
}

// Handler serves the review reports:
//
//	PREFIX                 status matrix (HTML)
//	PREFIX status.json     status matrix (JSON)
//	PREFIX diff/TAG/       side-by-side diff of TAG against the source (HTML)
//	PREFIX diff/TAG/PAGE   the same for one page (each status cell links here)
//	PREFIX diff/TAG.json   the same diff (JSON)
//
// Mount it with mux.Handle(prefix, review.Handler(opts)).
func Handler(opts HandlerOptions) http.Handler {
	if opts.Prefix == "" {
		opts.Prefix = "/_review/"
	}
	if !strings.HasSuffix(opts.Prefix, "/") {
		opts.Prefix += "/"
	}
	h := &handler{opts: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+opts.Prefix+"{$}", h.status)
	mux.HandleFunc("GET "+opts.Prefix+"status.json", h.status)
	mux.HandleFunc("GET "+opts.Prefix+"diff/{target}/{$}", h.diff)
	mux.HandleFunc("GET "+opts.Prefix+"diff/{target}/{page...}", h.diff)
	mux.HandleFunc("GET "+opts.Prefix+"diff/{file}", h.diff)
	return mux
}

// handler keeps the Reviewer of the last site it saw, so that repeated
// requests reuse its analyses until the site is reloaded.
type handler struct {
	opts HandlerOptions

	mu       sync.Mutex
	site     *generator.Site
	reviewer *Reviewer
	tmpl     *Templates
}

func (h *handler) current() (*generator.Site, *Reviewer, *Templates, error) {
	site := h.opts.Site()
	h.mu.Lock()
	defer h.mu.Unlock()
	if site == nil {
		return nil, nil, nil, nil
	}
	if h.tmpl == nil {
		t, err := ParseTemplates(themes.Default())
		if err != nil {
			return nil, nil, nil, err
		}
		h.tmpl = t
	}
	if site != h.site {
		h.site, h.reviewer = site, New(site)
	}
	return h.site, h.reviewer, h.tmpl, nil
}

func (h *handler) source(r *Reviewer) string {
	if h.opts.Source != "" {
		return h.opts.Source
	}
	return r.DefaultSource()
}

func (h *handler) status(w http.ResponseWriter, req *http.Request) {
	site, rv, tmpl, ok := h.ready(w)
	if !ok {
		return
	}
	st, err := rv.Status(req.Context(), h.source(rv))
	if err != nil {
		h.fail(w, err)
		return
	}
	var b bytes.Buffer
	if strings.HasSuffix(req.URL.Path, ".json") {
		err = WriteJSON(&b, st)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		prefix := h.opts.Prefix
		err = tmpl.WriteStatusHTML(&b, st, HTMLOptions{Script: h.opts.Script, Locales: site.Locales,
			DiffURL: func(target, page string) string { return diffPath(prefix, target, page) }})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	h.send(w, b.Bytes(), err)
}

func (h *handler) diff(w http.ResponseWriter, req *http.Request) {
	site, rv, tmpl, ok := h.ready(w)
	if !ok {
		return
	}
	target, asJSON := req.PathValue("target"), false
	if f := req.PathValue("file"); f != "" {
		var cut bool
		target, cut = strings.CutSuffix(f, ".json")
		if !cut {
			http.NotFound(w, req)
			return
		}
		asJSON = true
	}
	if site.Locales.Get(target) == nil {
		http.NotFound(w, req)
		return
	}
	var pages []string
	if p := req.PathValue("page"); p != "" {
		pages = []string{p}
		if !slices.Contains(site.Pages.Keys, p) && site.Tree.Get(h.source(rv), p) == nil {
			http.NotFound(w, req)
			return
		}
	}
	d, err := rv.Diff(req.Context(), h.source(rv), target, pages)
	if err != nil {
		h.fail(w, err)
		return
	}
	var b bytes.Buffer
	if asJSON {
		err = WriteJSON(&b, d)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		opts := HTMLOptions{Script: h.opts.Script, Locales: site.Locales}
		if p := h.opts.ExportPrefix; p != "" {
			opts.ExportURL = func(source, target, page string) string {
				return p + url.PathEscape(source) + "/" + url.PathEscape(target) + ".xlf?page=" + url.QueryEscape(page)
			}
		}
		err = tmpl.WriteDiffHTML(&b, d, opts)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	h.send(w, b.Bytes(), err)
}

func (h *handler) ready(w http.ResponseWriter) (*generator.Site, *Reviewer, *Templates, bool) {
	site, rv, tmpl, err := h.current()
	switch {
	case err != nil:
		h.fail(w, err)
		return nil, nil, nil, false
	case site == nil:
		http.Error(w, "the site has not loaded yet; fix the build errors shown in the page", http.StatusServiceUnavailable)
		return nil, nil, nil, false
	}
	return site, rv, tmpl, true
}

func (h *handler) send(w http.ResponseWriter, body []byte, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// fail reports err to the log and a bare status to the client: error
// texts name files of the site and are not for the response.
func (h *handler) fail(w http.ResponseWriter, err error) {
	if h.opts.OnError != nil {
		h.opts.OnError(err)
	}
	http.Error(w, http.StatusText(http.StatusInternalServerError)+": see the server log", http.StatusInternalServerError)
}
