// Package browsertest runs the project's tests that need an outside
// program — headless Chromium (chromedp) or the Nu HTML Checker — the
// same way in every package, and says once per package which of them it
// skipped and how to run them (see Main).
package browsertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path finds Chromium: $CHROME_PATH, or chromium, chromium-browser or
// google-chrome on the PATH.
func Path() (string, error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium found (install with: apt-get install -y chromium, or set CHROME_PATH)")
}

// New starts a headless browser and returns its context, closed when
// the test ends. Without Chromium, or with -short, the test is skipped,
// except that a missing Chromium fails it when CI=true: CI must run the
// browser tests. opts add to the flags every test needs here (no
// sandbox as root, no background connections, which this machine's
// closed network refuses).
func New(t testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if testing.Short() {
		skip(t, "short", "browser tests are skipped in -short mode")
	}
	chrome, err := Path()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need chromium in CI: %v", err)
		}
		skip(t, "chromium", "skipping browser test: %v", err)
	}
	all := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
	}, opts...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), all...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// Start the browser now, with a context that has no timeout: a
	// timeout on a test's first Run would stop the browser with it.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	return browser
}
