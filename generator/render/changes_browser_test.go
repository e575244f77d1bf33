package render_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"policysite/generator"
	"policysite/generator/browsertest"
	"policysite/generator/sitetest"
)

// changesCheck runs in the page: it returns the problems of the
// redline's marks. Each <ins> must be underlined and each <del> struck
// through (not colour alone), each must start with its visually hidden
// label, and inserted, deleted and context text must have a contrast of
// 4.5:1 or more (the marks' lines 3:1) with what is behind it.
const changesCheck = `(function () {
  function rgb(c) {
    var m = c.match(/[\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  }
  function lum(c) {
    function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  }
  function ratio(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  // The opaque colour behind el: its own background or an ancestor's.
  function bg(el) {
    for (; el; el = el.parentElement) {
      var c = rgb(getComputedStyle(el).backgroundColor);
      if (c.a > 0.99) return c;
    }
    return rgb(getComputedStyle(document.body).backgroundColor);
  }
  var problems = [];
  var marks = document.querySelectorAll(".changes ins, .changes del");
  if (marks.length === 0) problems.push("no <ins> or <del> on the page");
  marks.forEach(function (el, i) {
    var s = getComputedStyle(el), want = el.tagName === "INS" ? "underline" : "line-through";
    var name = el.tagName.toLowerCase() + " #" + i + " (" + el.textContent.slice(0, 30) + ")";
    if (s.textDecorationLine.indexOf(want) < 0) problems.push(name + ": text-decoration " + s.textDecorationLine + ", want " + want);
    var label = el.firstElementChild;
    if (!label || !label.classList.contains("visually-hidden") || label.getBoundingClientRect().width > 1) problems.push(name + ": no visually hidden label first");
    var r = ratio(rgb(s.color), bg(el));
    if (r < 4.5) problems.push(name + ": contrast " + r.toFixed(2));
    var l = ratio(rgb(s.textDecorationColor), bg(el));
    if (l < 3) problems.push(name + ": line contrast " + l.toFixed(2));
  });
  document.querySelectorAll(".changes-block-unchanged, .changes-legend, .changes-badge").forEach(function (el, i) {
    var r = ratio(rgb(getComputedStyle(el).color), bg(el));
    if (r < 4.5) problems.push(el.className + " #" + i + ": contrast " + r.toFixed(2));
  });
  return problems;
})()`

// axeRun is the audit of themes/browser_test.go: WCAG 2.0/2.1 A and AA
// rules and axe's best practices.
const axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  resultTypes: ["violations"]
}).then(function (r) {
  return r.violations.map(function (v) {
    return v.id + " [" + v.impact + "] " + v.help + ": " + v.nodes.slice(0, 5).map(function (n) {
      return n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ");
    }).join("; ");
  });
})`

// TestChangesBrowser opens the changes pages of changesCases (English,
// German, Japanese, Thai) and rtlCases (Arabic) in Chromium, in light
// and dark mode, at desktop and phone widths, served with the pages of
// their site and a strict Content-Security-Policy:
// it checks the marks (changesCheck), runs axe-core when AXE_CORE_JS
// names axe.min.js, and writes screenshots to $POLICYSITE_SHOTS.
func TestChangesBrowser(t *testing.T) {
	browser := browsertest.New(t, chromedp.WindowSize(1280, 900))
	// Each site is built as the build writes it, its changes pages
	// added, and served under the Content-Security-Policy of the theme's
	// browser tests.
	var urls []string
	for _, cs := range changesSites(t) {
		out := sitetest.Build(t, generator.Options{SiteDir: cs.dir}, filepath.Join(t.TempDir(), "public"))
		site, r := loadSite(t, cs.dir)
		files := http.FileServer(http.Dir(out.Dir))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
			files.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		for tag, html := range changesPages(t, site, r, cs.cases) {
			url, _ := site.Links.Page(tag, "privacy")
			p := filepath.Join(out.Dir, filepath.FromSlash(strings.Trim(url, "/")), "changes", "index.html")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, html, 0o644); err != nil {
				t.Fatal(err)
			}
			urls = append(urls, srv.URL+url+"changes/")
		}
	}
	sort.Strings(urls)
	var axe []byte
	if p := os.Getenv("AXE_CORE_JS"); p != "" {
		var err error
		if axe, err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	} else {
		browsertest.Skip(t, "axe-core", "npm install --prefix /tmp/axe axe-core@4, then AXE_CORE_JS=/tmp/axe/node_modules/axe-core/axe.min.js")
	}
	shots := os.Getenv("POLICYSITE_SHOTS")
	for _, u := range urls {
		path := u[strings.Index(u[len("http://"):], "/")+len("http://"):]
		for _, dark := range []bool{false, true} {
			for _, width := range []int64{1280, 375} {
				scheme := map[bool]string{false: "light", true: "dark"}[dark]
				name := fmt.Sprintf("%s-%s-%d", strings.Trim(strings.ReplaceAll(path, "/", "-"), "-"), scheme, width)
				t.Run(name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(browser, 60*time.Second)
					defer cancel()
					ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
					defer cancelTab()
					var opts []chromedp.EmulateViewportOption
					if width < 480 {
						opts = append(opts, chromedp.EmulateMobile)
					}
					run := func(actions ...chromedp.Action[chromedp.Void]) {
						t.Helper()
						if err := chromedp.Do(ctx, actions...); err != nil {
							t.Fatal(err)
						}
					}
					run(chromedp.EmulateViewport(width, 900, opts...))
					if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
						Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
					}); err != nil {
						t.Fatal(err)
					}
					run(chromedp.Navigate(u))
					problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](changesCheck))
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range problems {
						t.Error(p)
					}
					if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || int64(w) > width {
						t.Errorf("page is %dpx wide at a %dpx viewport (%v)", w, width, err)
					}
					if axe != nil {
						run(chromedp.Evaluate[chromedp.Void](string(axe)))
						raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
						if err != nil {
							t.Fatalf("axe: %v", err)
						}
						var vs []string
						if err := json.Unmarshal(raw, &vs); err != nil {
							t.Fatal(err)
						}
						for _, v := range vs {
							t.Error(v)
						}
					}
					if shots != "" {
						// The cookie notice covers the bottom of the page;
						// the screenshot is of the page below it.
						run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".consent").forEach(function (e) { e.hidden = true; })`))
						png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
						if err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(filepath.Join(shots, "changes-"+name+".png"), png, 0o644); err != nil {
							t.Fatal(err)
						}
						// The marks up close: the first section with a deletion.
						png, err = chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS(".changes-section:has(del)"), 2))
						if err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(filepath.Join(shots, "changes-"+name+"-detail.png"), png, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				})
			}
		}
	}
}
