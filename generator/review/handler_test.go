package review

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/browsertest"
)

func TestHandler(t *testing.T) {
	site := load(t, fixtureSite(t))
	var current *generator.Site
	h := Handler(HandlerOptions{Site: func() *generator.Site { return current }, Script: "/_dev/reload.js"})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	if rec := get("/_review/"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before the site loads: status %d; want 503", rec.Code)
	}
	current = site
	for _, tc := range []struct {
		path, contentType, body string
		code                    int
	}{
		{"/_review/", "text/html", `<a href="/_review/diff/de-AT/kinds">regional, `, 200},
		{"/_review/status.json", "application/json", `"schema": "policysite.review.status/v2"`, 200},
		{"/_review/diff/de-AT/kinds", "text/html", `regional: added`, 200},
		{"/_review/diff/de-AT/nonesuch", "text/plain", "not found", 404},
		{"/_review/diff/de/", "text/html", `<script src="/_dev/reload.js" defer></script>`, 200},
		{"/_review/diff/de.json", "application/json", `"target": "de"`, 200},
		{"/_review/diff/xx/", "text/plain", "not found", 404},
		{"/_review/diff/de.txt", "text/plain", "not found", 404},
	} {
		rec := get(tc.path)
		if rec.Code != tc.code || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType) || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("GET %s = %d %s, body contains %q: %v; want %d %s", tc.path, rec.Code, rec.Header().Get("Content-Type"), tc.body, strings.Contains(rec.Body.String(), tc.body), tc.code, tc.contentType)
		}
	}
}

// TestReportsWithoutScript checks that the standalone reports need no
// JavaScript (they have none) and, when the Nu HTML Checker is at hand
// (VNU_JAR=path/to/vnu.jar), that they are valid HTML.
func TestReportsWithoutScript(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden HTML reports: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("<script")) || bytes.Contains(data, []byte(" style=")) {
			t.Errorf("%s has a script or a style attribute", f)
		}
	}
	jar := browsertest.VNU(t)
	out, err := exec.Command("java", append([]string{"-jar", jar, "--errors-only"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("Nu HTML Checker: %v\n%s", err, out)
	}
}
