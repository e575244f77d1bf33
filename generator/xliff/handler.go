package xliff

import (
	"bytes"
	"net/http"
	"strings"

	"policysite/generator"
	"policysite/generator/review"
)

// Handler serves exports for the dev server's review pages:
//
//	PREFIX{source}/{target}.xlf?page=KEY&only=missing,stale&version=2.1
//
// as a download. site returns the current site, or nil while none has
// loaded; it is called on every request, so exports follow live edits.
func Handler(prefix string, site func() *generator.Site) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"{source}/{file}", func(w http.ResponseWriter, r *http.Request) {
		target, ok := strings.CutSuffix(r.PathValue("file"), ".xlf")
		s := site()
		switch {
		case !ok:
			http.NotFound(w, r)
			return
		case s == nil:
			http.Error(w, "the site has not loaded yet", http.StatusServiceUnavailable)
			return
		}
		q := r.URL.Query()
		only, err := ParseOnly(q.Get("only"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		doc, err := Export(r.Context(), review.New(s), ExportOptions{Source: r.PathValue("source"), Target: target, Pages: q["page"], Only: only})
		if err != nil {
			// The errors name locales and pages the request gave, in
			// the user's terms; nothing of the file system.
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		var b bytes.Buffer
		if err := doc.Write(&b, q.Get("version")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		name := r.PathValue("source") + "-" + target
		if p := q["page"]; len(p) == 1 {
			name += "-" + strings.ReplaceAll(p[0], "/", "-")
		}
		w.Header().Set("Content-Type", "application/xliff+xml; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+nmtoken(name)+`.xlf"`)
		_, _ = w.Write(b.Bytes())
	})
	return mux
}
