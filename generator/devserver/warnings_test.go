package devserver

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"policysite/generator/i18n"
	"policysite/themes"
)

// lineLog keeps the server's terminal output.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.Split(strings.TrimSpace(string(p)), "\n")...)
	return len(p), nil
}

func (l *lineLog) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, sub) {
			n++
		}
	}
	return n
}

// TestWarnings: serve reports a locale's missing UI strings as build
// does, once in the terminal and in the overlay of every page, and
// clears them when the strings are added.
// swSite writes a site in English and Swahili, a language the theme
// does not speak, and serves it.
func swSite(t *testing.T) (*Server, string, *lineLog) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"content/en/privacy.md":    "# Privacy\n\nText.\n",
		"content/sw-KE/privacy.md": "# Faragha\n\nMaandishi.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := &lineLog{}
	s, err := New(Options{SiteDir: dir, Port: 0, Window: 20 * time.Millisecond, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// Run stops when the test's cleanup cancels ctx.
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	for {
		resp, err := http.Get(s.URL())
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, dir, log
}

// addSwahili writes i18n/sw.toml with every key of the theme.
func addSwahili(t *testing.T, dir string) {
	t.Helper()
	en, err := fs.ReadFile(themes.Default(), "i18n/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "i18n", "sw.toml"), en, 0o644); err != nil {
		t.Fatal(err)
	}
}

// swLine is the warning for sw-KE: it lacks every string of the theme.
func swLine(t *testing.T) string {
	t.Helper()
	en, err := fs.ReadFile(themes.Default(), "i18n/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	table, err := i18n.Parse("en.toml", en)
	if err != nil {
		t.Fatal(err)
	}
	return "sw-KE: " + strconv.Itoa(len(table)) + " UI strings missing; shown in English; policysite status --strings lists them"
}

func TestWarnings(t *testing.T) {
	s, dir, log := swSite(t)
	line := swLine(t)
	c := connect(t, s.URL())
	c.next(t, "hello")
	e := c.next(t, "build-warnings")
	if !hasMessage(e, line) {
		t.Fatalf("first build-warnings event %+v lacks %q", e, line)
	}
	if n := log.count(line); n != 1 {
		t.Errorf("terminal shows the warning %d times; want 1", n)
	}

	// An edit that does not change the warnings does not repeat them.
	page := filepath.Join(dir, "content", "en", "privacy.md")
	if err := os.WriteFile(page, []byte("# Privacy\n\nMore text.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.next(t, "reload")
	// Adding the strings clears the warning.
	addSwahili(t, dir)
	e = c.next(t, "build-warnings")
	if hasMessage(e, line) {
		t.Errorf("the warning stayed after adding i18n/sw.toml: %+v\n%s", e, strings.Join(log.lines, "\n"))
	}
	if n := log.count(line); n != 1 {
		t.Errorf("terminal shows the warning %d times; want 1", n)
	}
}

func hasMessage(e event, sub string) bool {
	for _, p := range e.Errors {
		if strings.Contains(p.Message, sub) {
			return true
		}
	}
	return false
}

// TestBrowserWarnings: the warnings appear in the page's overlay and the
// missing strings' line goes away when the strings are added (the one
// about Swahili dates stays).
func TestBrowserWarnings(t *testing.T) {
	ctx := newBrowser(t)
	s, dir, _ := swSite(t)
	line := swLine(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL()+"sw-ke/privacy/"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "warnings overlay shown", `(function (o) { return !!o && o.dataset.kind === "warnings" && o.textContent.includes(`+strconv.Quote(line)+`); })(document.getElementById("policysite-build-errors"))`)
	if shots := os.Getenv("POLICYSITE_SHOTS"); shots != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, "serve-warnings.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	addSwahili(t, dir)
	waitFor(t, ctx, "missing strings gone from the overlay", `(function (o) { return !!o && !o.textContent.includes(`+strconv.Quote(line)+`) && o.textContent.includes("no CLDR date data bundled for sw-KE"); })(document.getElementById("policysite-build-errors"))`)
}
