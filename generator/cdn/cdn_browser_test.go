package cdn_test

// The browser test: the example site is built as policysite build does,
// served by a handler that applies the generated _headers file the way
// Netlify and Cloudflare Pages do, and every page is loaded in headless
// Chromium, which must report no Content-Security-Policy violation and
// no failed load. The minified build must show the same text.
//
// Chromium is found as $CHROME_PATH, chromium, chromium-browser or
// google-chrome. Without it the test skips, except when CI=true, where
// it fails.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"policysite/generator"
	"policysite/generator/browsertest"
	"policysite/generator/cdn"
)

// cspProbe runs before any page script and records what the browser
// blocked or failed to load.
const cspProbe = `window.__cdnProblems = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cdnProblems.push("CSP " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
window.addEventListener("error", function (e) {
  if (e.target && e.target !== window) {
    window.__cdnProblems.push("failed to load " + (e.target.src || e.target.href));
  }
}, true);`

// headerServer serves dir with the headers its _headers file gives each
// path, as a CDN would.
func headerServer(t *testing.T, dir string) *httptest.Server {
	t.Helper()
	rules, err := cdn.ParseHeaders(read(t, filepath.Join(dir, cdn.HeadersFile)))
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, value := range cdn.Apply(rules, r.URL.Path) {
			w.Header().Set(name, value)
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// pagePaths lists the URL paths of the HTML pages in a manifest.
func pagePaths(t *testing.T, dir string) []string {
	t.Helper()
	m, err := cdn.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range m.Files {
		switch {
		case strings.HasSuffix(e.Path, "/index.html"):
			paths = append(paths, "/"+strings.TrimSuffix(e.Path, "index.html"))
		case e.Path == "index.html":
			paths = append(paths, "/")
		case strings.HasSuffix(e.Path, ".html"):
			paths = append(paths, "/"+e.Path)
		}
	}
	return paths
}

func TestBrowserCSP(t *testing.T) {
	ctx := browsertest.New(t)
	dir := t.TempDir()
	plain, min := filepath.Join(dir, "plain"), filepath.Join(dir, "min")
	build(t, "../..", plain, "", generator.Options{})
	build(t, "../..", min, "", generator.Options{Minify: true})
	srv, minSrv := headerServer(t, plain), headerServer(t, min)

	// The server really sends the policy from _headers.
	resp, err := http.Get(srv.URL + "/en/privacy/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
		t.Fatalf("the test server sent Content-Security-Policy %q; want the policy from _headers", got)
	}

	// Console errors and browser log entries (where Chromium reports
	// CSP violations too), collected for the page being loaded.
	var mu sync.Mutex
	var logged []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			// Chromium asks for /favicon.ico by itself; the example site
			// has none, and that is no fault of the headers.
			if strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				return
			}
			if ev.Entry.Level == cdplog.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				logged = append(logged, fmt.Sprintf("log %s: %s (%s)", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				logged = append(logged, "console error: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			logged = append(logged, "exception: "+ev.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatal(err)
	}

	var loadOnce func(url string) (text string, problems []string)
	// load opens a page, waits until it and its subresources have
	// loaded, and returns its rendered text and any problems.
	load := func(url string) (text string, problems []string) {
		text, problems = loadOnce(url)
		// A page whose execution context was replaced while it was being
		// read (Chromium reports "Cannot find context") is read again.
		// On a loaded machine this can happen more than once in a row.
		for try := 0; try < 3 && len(problems) == 1 && strings.Contains(problems[0], "Cannot find context"); try++ {
			text, problems = loadOnce(url)
		}
		return text, problems
	}
	loadOnce = func(url string) (text string, problems []string) {
		mu.Lock()
		logged = nil
		mu.Unlock()
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			return "", []string{err.Error()}
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete"`)); err != nil {
			return "", []string{err.Error()}
		}
		found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cdnProblems || ["probe missing"]`))
		if err != nil {
			return "", []string{err.Error()}
		}
		text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			return "", []string{err.Error()}
		}
		mu.Lock()
		defer mu.Unlock()
		return text, append(found, logged...)
	}

	// The probe sees violations: a page with inline code must report them.
	bad := filepath.Join(plain, "en", "csp-check.html")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE html><title>x</title><p style="color:red">x</p><script>document.title = "ran"</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, problems := load(srv.URL + "/en/csp-check.html"); len(problems) < 2 {
		t.Errorf("a page with an inline style and an inline script reported %q; want both blocked", problems)
	}
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}

	paths := pagePaths(t, plain)
	if len(paths) < 100 {
		t.Fatalf("found %d pages in the manifest; the example site has over 100", len(paths))
	}
	for i, p := range paths {
		text, problems := load(srv.URL + p)
		if len(problems) > 0 {
			t.Errorf("%s: %s", p, strings.Join(problems, "; "))
		}
		// Compare the minified build's rendered text on a sample that
		// covers every kind of page.
		if i%7 != 0 && !slices.Contains([]string{"/", "/404.html", "/en/privacy/"}, p) {
			continue
		}
		minText, problems := load(minSrv.URL + p)
		if len(problems) > 0 {
			t.Errorf("%s (minified): %s", p, strings.Join(problems, "; "))
		}
		if minText != text {
			t.Errorf("%s: the minified page renders different text:\nplain:    %.300q\nminified: %.300q", p, text, minText)
		}
	}
}
