package devserver

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"policysite/generator/browsertest"
)

// newBrowser starts headless Chromium (see browsertest.New).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, chromedp.WindowSize(1000, 700))
}

// waitFor evaluates a JavaScript condition in the page until it is
// true. Errors while the page reloads are expected and retried.
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, overlay: !!document.getElementById("policysite-build-errors"), live: document.documentElement.dataset.policysiteLive || "", main: document.querySelector("main").textContent.slice(-200)})`))
	t.Fatalf("%s: not true within 30s (last error: %v); page: %s", what, lastErr, state)
}

func TestBrowserLiveReload(t *testing.T) {
	ctx := newBrowser(t)
	s, dir := startServer(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL()+"uz-uz/cookies/"),
		chromedp.WaitReady("main"),
	); err != nil {
		t.Fatal(err)
	}
	// Open a page of a non-default locale that has its own text.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL()+"de-de/privacy/"),
		chromedp.WaitReady("main"),
	); err != nil {
		t.Fatal(err)
	}
	// Wait until the live-reload script has connected.
	waitFor(t, ctx, "connect", `document.documentElement.dataset.policysiteLive === "connected"`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollTo({top: 600, behavior: "instant"}); window.scrollY`)); err != nil {
		t.Fatal(err)
	}

	page := filepath.Join(dir, "content", "de-DE", "privacy.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(p string, f func(string) string) {
		t.Helper()
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Markdown edit: the new text appears without a manual reload, at
	// the same scroll position.
	edit(page, func(s string) string { return s + "\nDieser Satz kam per Live-Reload.\n" })
	waitFor(t, ctx, "edited Markdown shown", `document.querySelector("main").textContent.includes("Dieser Satz kam per Live-Reload.")`)
	waitFor(t, ctx, "scroll position kept", `window.scrollY > 500`)

	// UI string edit: the page shows the new string.
	edit(filepath.Join(dir, "i18n", "de.toml"), func(s string) string {
		return strings.Replace(s, `skip_link = "Zum Hauptinhalt springen"`, `skip_link = "Direkt zum Inhalt (Test)"`, 1)
	})
	waitFor(t, ctx, "edited UI string shown", `document.querySelector(".skip-link").textContent === "Direkt zum Inhalt (Test)"`)

	// Broken front matter: the overlay names file and line.
	edit(page, func(s string) string { return strings.Replace(s, "---\n", "---\ntitle: [kaputt\n", 1) })
	waitFor(t, ctx, "error overlay shown", `(document.getElementById("policysite-build-errors") || {textContent: ""}).textContent.includes("privacy.md:2")`)
	text, err := chromedp.Run(ctx, chromedp.TextContent("#policysite-build-errors"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, filepath.Join("de-DE", "privacy.md")+":2: front matter") {
		t.Errorf("overlay text %q lacks file:line: message", text)
	}

	// Fixed: the overlay goes.
	if err := os.WriteFile(page, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "error overlay removed", `document.getElementById("policysite-build-errors") === null && !document.querySelector("main").textContent.includes("Dieser Satz kam per Live-Reload.")`)
}
