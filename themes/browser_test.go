package themes_test

// Browser tests of the default theme: the example site is built with
// sitetest.Build (as policysite build) into a temporary folder, served by httptest with a
// strict Content-Security-Policy, and driven in headless Chromium through
// chromedp. They cover cookie consent (opt-in and notice), keyboard use
// of the menu and the consent panel, the region switcher, the mobile
// menu, and an axe-core audit.
//
// Chromium is found as $CHROME_PATH, chromium, chromium-browser or
// google-chrome. Without it the tests skip, except when CI=true, where
// they fail. The axe-core audit reads axe.min.js from $AXE_CORE_JS, with
// the same rule (see docs/theme.md, "Browser tests").

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"policysite/generator"
	"policysite/generator/browsertest"
	"policysite/generator/sitetest"
)

// csp is the policy the test server sends: the theme must work with no
// inline script or style and no other host.
const csp = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// The example site's consent settings (site.toml).
const (
	consentCookie = "ps_consent"
	revision      = "2026-10"
)

// probe runs before any page script: it records CSP violations and
// failed subresource loads (a wrong SRI hash shows up as one).
const probe = `window.__psProblems = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__psProblems.push("CSP " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
window.addEventListener("error", function (e) {
  if (e.target && e.target !== window) {
    window.__psProblems.push("failed to load " + (e.target.src || e.target.href));
  }
}, true);`

type site struct {
	url     string // server root, no trailing slash
	browser context.Context
}

// newSite builds the example site, serves it and starts one browser.
// Each test opens its own incognito-like browser context with tab, so
// cookies never leak between tests.
func newSite(t *testing.T) *site {
	t.Helper()
	browser := browsertest.New(t,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	)
	out := sitetest.Build(t, generator.Options{SiteDir: "..", Strict: true}, filepath.Join(t.TempDir(), "public"))
	files := http.FileServer(http.Dir(out.Dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &site{url: srv.URL, browser: browser}
}

// A tab is a page in its own browser context (fresh cookies).
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (s *site) tab(t *testing.T, width, height int64) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.browser, 90*time.Second)
	t.Cleanup(cancel)
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	tb := &tab{t: t, ctx: ctx, base: s.url}
	opts := []chromedp.EmulateViewportOption{}
	if width <= 480 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tb.do(chromedp.EmulateViewport(width, height, opts...))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatalf("installing the page probe: %v", err)
	}
	return tb
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// open loads a page and checks that it loaded every subresource from the
// test server without breaking the CSP.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.base + path))
	tb.checkClean(path)
}

func (tb *tab) checkClean(path string) {
	tb.t.Helper()
	problems := eval[[]string](tb, `window.__psProblems || []`)
	for _, p := range problems {
		tb.t.Errorf("%s: %s", path, p)
	}
	u, _ := url.Parse(tb.base)
	resources := eval[[]string](tb, `performance.getEntriesByType("resource").map(function (e) { return e.name; })`)
	for _, r := range resources {
		if ru, err := url.Parse(r); err != nil || ru.Host != u.Host {
			tb.t.Errorf("%s: requested %s from another host", path, r)
		}
	}
}

func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls until expr is truthy; a failure names the condition.
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		tb.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

func (tb *tab) is(expr string) bool {
	tb.t.Helper()
	return eval[bool](tb, "!!("+expr+")")
}

func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// clickAndLoad clicks and waits for the page load the click causes.
func (tb *tab) clickAndLoad(sel string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))); err != nil {
		tb.t.Fatalf("clicking %s: %v", sel, err)
	}
}

func (tb *tab) press(key string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(key))
}

// focused describes document.activeElement for messages.
func (tb *tab) focused() string {
	return eval[string](tb, `(function (e) {
  return e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + JSON.stringify((e.textContent || "").trim().slice(0, 40)) : "none";
})(document.activeElement)`)
}

// tabTo presses Tab until the focused element matches sel.
func (tb *tab) tabTo(sel string) {
	tb.t.Helper()
	var seen []string
	for range 40 {
		tb.press(kb.Tab)
		if tb.is(fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, sel)) {
			return
		}
		seen = append(seen, tb.focused())
	}
	tb.t.Fatalf("Tab never reached %s; focus went through:\n%s", sel, strings.Join(seen, "\n"))
}

func (tb *tab) focusIs(sel string) {
	tb.t.Helper()
	if !tb.is(fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, sel)) {
		tb.t.Fatalf("focus is on %s; want %s", tb.focused(), sel)
	}
}

func (tb *tab) visible(sel string) bool {
	tb.t.Helper()
	// checkVisibility also sees content-visibility, which hides the
	// contents of a closed <details>.
	return tb.is(fmt.Sprintf(`(function (e) { return e && e.checkVisibility({visibilityProperty: true}); })(document.querySelector(%q))`, sel))
}

func (tb *tab) cookies() map[string]*network.Cookie {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		tb.t.Fatalf("reading cookies: %v", err)
	}
	out := map[string]*network.Cookie{}
	for _, c := range res.Cookies {
		out[c.Name] = c
	}
	return out
}

// analyticsRan reports whether the placeholder analytics script ran.
func (tb *tab) analyticsRan() bool {
	return tb.is(`document.documentElement.hasAttribute("data-analytics-ran")`)
}

// noOptional checks that nothing optional ran and only the consent
// cookie (if any) is set.
func (tb *tab) noOptional(when string) {
	tb.t.Helper()
	if tb.analyticsRan() {
		tb.t.Errorf("%s: the analytics placeholder ran", when)
	}
	if tb.is(`document.querySelector('script[data-category][data-activated]')`) {
		tb.t.Errorf("%s: a consent-gated script was activated", when)
	}
	for name := range tb.cookies() {
		if name != consentCookie {
			tb.t.Errorf("%s: cookie %s is set", when, name)
		}
	}
}

func (tb *tab) consentShown() bool { return tb.visible("#consent") }

func TestBrowser(t *testing.T) {
	s := newSite(t)
	t.Run("OptInReject", func(t *testing.T) { testOptInReject(t, s) })
	t.Run("OptInAccept", func(t *testing.T) { testOptInAccept(t, s) })
	t.Run("OptInSettings", func(t *testing.T) { testOptInSettings(t, s) })
	t.Run("RevisionChange", func(t *testing.T) { testRevisionChange(t, s) })
	t.Run("Notice", func(t *testing.T) { testNotice(t, s) })
	t.Run("KeyboardMenu", func(t *testing.T) { testKeyboardMenu(t, s) })
	t.Run("KeyboardConsent", func(t *testing.T) { testKeyboardConsent(t, s) })
	t.Run("Switcher", func(t *testing.T) { testSwitcher(t, s) })
	t.Run("MobileMenu", func(t *testing.T) { testMobileMenu(t, s) })
	t.Run("Axe", func(t *testing.T) { testAxe(t, s) })
	t.Run("Screenshots", func(t *testing.T) { testScreenshots(t, s) })
}

func testOptInReject(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/de-de/privacy/")
	if !tb.consentShown() {
		t.Fatal("de-de: consent panel not shown on the first visit")
	}
	for _, b := range []string{"accept", "reject", "settings"} {
		if !tb.visible(`[data-consent="` + b + `"]`) {
			t.Errorf("de-de: first layer lacks the %s button", b)
		}
	}
	// Accept, reject and settings are equally prominent: same size and colours.
	styles := eval[[]string](tb, `Array.prototype.map.call(document.querySelectorAll(".consent-first .button"), function (b) {
  var s = getComputedStyle(b), r = b.getBoundingClientRect();
  return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderColor, Math.round(r.height)].join(" ");
})`)
	if len(styles) != 3 || styles[0] != styles[1] || styles[1] != styles[2] {
		t.Errorf("first-layer buttons differ in style: %q", styles)
	}
	tb.noOptional("before consent")

	tb.click(`[data-consent="reject"]`)
	if tb.consentShown() {
		t.Error("consent panel still shown after Reject all")
	}
	tb.noOptional("after Reject all")
	c := tb.cookies()[consentCookie]
	if c == nil {
		t.Fatal("no consent cookie after Reject all")
	}
	if want := "r=" + revision + "&c=necessary&m=opt-in"; c.Value != want {
		t.Errorf("consent cookie = %q; want %q", c.Value, want)
	}
	if c.SameSite != network.CookieSameSiteLax {
		t.Errorf("consent cookie SameSite = %q; want Lax", c.SameSite)
	}
	if days := (c.Expires - float64(time.Now().Unix())) / 86400; days < 360 || days > 370 {
		t.Errorf("consent cookie lasts %.0f days; want about 365", days)
	}

	// The choice persists across pages.
	for _, p := range []string{"/de-de/cookies/", "/de-de/", "/de-de/terms/"} {
		tb.open(p)
		if tb.consentShown() {
			t.Errorf("%s: consent panel shown again after Reject all", p)
		}
		tb.noOptional(p)
	}
}

func testOptInAccept(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/de-de/")
	tb.noOptional("before consent")
	tb.click(`[data-consent="accept"]`)
	tb.waitFor(`document.documentElement.hasAttribute("data-analytics-ran")`)
	if got := tb.cookies()[consentCookie]; got == nil || got.Value != "r="+revision+"&c=necessary.preferences.analytics.marketing&m=opt-in" {
		t.Errorf("consent cookie after Accept all = %+v", got)
	}
	if tb.cookies()["ex_analytics_id"] == nil {
		t.Error("the analytics placeholder set no cookie")
	}
	// The activated script keeps the placeholder's integrity.
	if !tb.is(`(function () {
  var p = document.querySelector('script[type="text/plain"][data-category="analytics"]');
  var s = p.nextElementSibling;
  return s && s.tagName === "SCRIPT" && s.getAttribute("src") === p.getAttribute("data-src") && s.integrity === p.getAttribute("data-integrity") && s.integrity.indexOf("sha384-") === 0;
})()`) {
		t.Error("the activated script lacks the placeholder's src or integrity")
	}
	// Persisted: the next page runs it on load, without asking.
	tb.open("/de-de/privacy/")
	if tb.consentShown() {
		t.Error("consent panel shown again after Accept all")
	}
	tb.waitFor(`document.documentElement.hasAttribute("data-analytics-ran")`)

	// Withdrawing analytics through Cookie settings deletes its cookie
	// and reloads, so the script no longer runs.
	tb.click(".site-footer [data-consent-open]")
	if !tb.consentShown() {
		t.Fatal("the Cookie settings link did not reopen the panel")
	}
	tb.focusIs("#consent-title")
	tb.clickAndLoad(`[data-consent="reject"]`)
	if tb.cookies()["ex_analytics_id"] != nil {
		t.Error("the analytics cookie survived withdrawing consent")
	}
	tb.checkClean("/de-de/privacy/ reloaded")
	tb.noOptional("after withdrawing consent")
}

func testOptInSettings(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/fr-fr/cookies/")
	if tb.visible("#consent-settings") {
		t.Fatal("settings are open before the visitor asks")
	}
	tb.click(`[data-consent="settings"]`)
	if !tb.visible("#consent-settings") || !tb.is(`document.querySelector('[data-consent="settings"]').getAttribute("aria-expanded") === "true"`) {
		t.Fatal("Settings did not open the categories")
	}
	if !tb.is(`document.getElementById("consent-necessary").checked && document.getElementById("consent-necessary").disabled`) {
		t.Error("strictly necessary is not shown as always on")
	}
	for _, c := range []string{"preferences", "analytics", "marketing"} {
		if tb.is(`document.getElementById("consent-` + c + `").checked`) {
			t.Errorf("%s is on by default", c)
		}
	}
	tb.click("#consent-analytics")
	tb.click(`[data-consent="save"]`)
	tb.waitFor(`document.documentElement.hasAttribute("data-analytics-ran")`)
	if got := tb.cookies()[consentCookie]; got == nil || got.Value != "r="+revision+"&c=necessary.analytics&m=opt-in" {
		t.Errorf("consent cookie after saving analytics only = %+v", got)
	}
	// Reopened, the panel shows the stored choice.
	tb.click(".site-footer [data-consent-open]")
	tb.click(`[data-consent="settings"]`)
	if !tb.is(`document.getElementById("consent-analytics").checked && !document.getElementById("consent-marketing").checked`) {
		t.Error("reopened settings do not reflect the stored choice")
	}
	// Escape closes a reopened panel and returns focus to the link.
	tb.press(kb.Escape)
	if tb.consentShown() {
		t.Error("Escape did not close the reopened panel")
	}
	tb.focusIs(".site-footer [data-consent-open]")
}

func testRevisionChange(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/de-de/")
	tb.click(`[data-consent="accept"]`)
	tb.waitFor(`document.documentElement.hasAttribute("data-analytics-ran")`)
	// The cookie policy's revision changes: the stored choice is void.
	tb.do(chromedp.Evaluate[chromedp.Void](`document.cookie = "` + consentCookie + `=r=2025-01&c=necessary.preferences.analytics.marketing&m=opt-in; Path=/; Max-Age=3600; SameSite=Lax"; document.cookie = "ex_analytics_id=; Path=/; Max-Age=0"`))
	tb.open("/de-de/privacy/")
	if !tb.consentShown() {
		t.Error("consent panel not shown after the revision changed")
	}
	tb.noOptional("with a choice for an old revision")
}

func testNotice(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/en-us/privacy/")
	if !tb.consentShown() {
		t.Fatal("en-us: notice not shown on the first visit")
	}
	if !tb.visible(`[data-consent="dismiss"]`) || !tb.visible(`#consent a[href="/en-us/cookies/"]`) {
		t.Error("en-us: notice lacks the dismiss button or the cookie policy link")
	}
	if tb.is(`document.querySelector('#consent [data-consent="accept"]')`) {
		t.Error("en-us: notice mode shows opt-in buttons")
	}
	tb.noOptional("before dismissing")
	tb.click(`[data-consent="dismiss"]`)
	if tb.consentShown() {
		t.Error("notice still shown after dismissing")
	}
	for _, p := range []string{"/en-us/cookies/", "/en-us/"} {
		tb.open(p)
		if tb.consentShown() {
			t.Errorf("%s: notice shown again after dismissing", p)
		}
		tb.noOptional(p)
	}
	// Acknowledging a notice is not consent where opt-in is required.
	tb.open("/en-gb/")
	if !tb.consentShown() {
		t.Error("en-gb (opt-in): a dismissed notice counted as consent")
	}
}

func testKeyboardMenu(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/en-gb/privacy/")
	// The skip link comes first and targets main.
	tb.press(kb.Tab)
	tb.focusIs(".skip-link")
	if !tb.visible(".skip-link") || eval[float64](tb, `document.querySelector(".skip-link").getBoundingClientRect().top`) < 0 {
		t.Error("the focused skip link is not on screen")
	}
	tb.tabTo(".menu-button")
	tb.focusIs(`.menu-button[aria-controls="submenu-0"]`)
	tb.press(kb.Enter)
	if !tb.visible("#submenu-0") || !tb.is(`document.activeElement.getAttribute("aria-expanded") === "true"`) {
		t.Fatal("Enter did not open the first menu group")
	}
	tb.press(kb.ArrowDown)
	tb.focusIs("#submenu-0 .submenu-list li:first-child a")
	tb.press(kb.ArrowDown)
	tb.focusIs("#submenu-0 .submenu-list li:nth-child(2) a")
	tb.press(kb.End)
	tb.focusIs("#submenu-0 .submenu-list li:last-child a")
	tb.press(kb.Escape)
	tb.focusIs(`.menu-button[aria-controls="submenu-0"]`)
	if tb.visible("#submenu-0") {
		t.Error("Escape did not close the menu group")
	}
	// Arrow keys move between the top-level buttons; ArrowDown opens.
	tb.press(kb.ArrowRight)
	tb.focusIs(`.menu-button[aria-controls="submenu-1"]`)
	tb.press(kb.ArrowDown)
	tb.focusIs("#submenu-1 .submenu-list li:first-child a")
	if !tb.visible("#submenu-1") {
		t.Error("ArrowDown did not open the second menu group")
	}
	// Tab walks the open group's links and leaving the menu closes it.
	tb.tabTo(".switcher-button")
	if tb.visible("#submenu-1") {
		t.Error("the menu group stayed open after focus left the menu")
	}
	// The switcher opens with Enter and closes with Escape.
	tb.press(kb.Enter)
	if !tb.visible(".switcher-panel") {
		t.Fatal("Enter did not open the switcher")
	}
	tb.press(kb.Tab)
	tb.focusIs(".locale-list a")
	tb.press(kb.Escape)
	if tb.visible(".switcher-panel") {
		t.Error("Escape did not close the switcher")
	}
	tb.focusIs(".switcher-button")
}

func testKeyboardConsent(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/it-it/")
	// The consent panel comes right after the skip link.
	tb.press(kb.Tab)
	tb.focusIs(".skip-link")
	tb.press(kb.Tab)
	tb.focusIs("#consent a")
	tb.press(kb.Tab)
	tb.focusIs(`[data-consent="accept"]`)
	tb.tabTo(`[data-consent="settings"]`)
	tb.press(kb.Enter)
	if !tb.visible("#consent-settings") {
		t.Fatal("Enter on Settings did not open the categories")
	}
	tb.press(kb.Tab)
	tb.focusIs("#consent-preferences")
	tb.press(kb.Tab)
	tb.focusIs("#consent-analytics")
	tb.press(" ")
	if !tb.is(`document.getElementById("consent-analytics").checked`) {
		t.Fatal("Space did not switch analytics on")
	}
	tb.tabTo(`[data-consent="save"]`)
	tb.press(kb.Enter)
	tb.waitFor(`document.documentElement.hasAttribute("data-analytics-ran")`)
	if tb.consentShown() {
		t.Error("panel still shown after saving")
	}
	tb.focusIs("#main")
	// Region landmark with a heading, described by its text.
	if !tb.is(`(function (c) {
  return c.tagName === "SECTION" && document.getElementById(c.getAttribute("aria-labelledby")).tagName === "H2" && document.getElementById(c.getAttribute("aria-describedby"));
})(document.getElementById("consent"))`) {
		t.Error("consent panel is not a labelled, described region")
	}
}

func testSwitcher(t *testing.T, s *site) {
	tb := s.tab(t, 1280, 900)
	tb.open("/de-de/cookies/")
	tb.click(".switcher-button")
	if !tb.visible(".switcher-panel") {
		t.Fatal("click did not open the switcher")
	}
	tb.clickAndLoad(`.locale-list a[hreflang="ja-JP"]`)
	if p := eval[string](tb, `location.pathname`); p != "/ja-jp/cookies/" {
		t.Errorf("the switcher led to %s; want /ja-jp/cookies/", p)
	}
	tb.checkClean("/ja-jp/cookies/")
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "ja-JP" {
		t.Errorf("after switching, html lang = %q; want ja-JP", lang)
	}
	// Every entry of the switcher leads to the same page in its locale.
	links := eval[[][]string](tb, `Array.prototype.map.call(document.querySelectorAll(".locale-list a"), function (a) { return [a.hreflang, a.getAttribute("href")]; })`)
	if len(links) != 32 {
		t.Errorf("switcher lists %d locales; want 32", len(links))
	}
	for _, l := range links {
		if want := "/" + strings.ToLower(l[0]) + "/cookies/"; l[1] != want {
			t.Errorf("switcher entry %s links to %s; want %s", l[0], l[1], want)
		}
	}
	// The root selector leads to each locale's home.
	tb.open("/")
	tb.clickAndLoad(`.region-list a[hreflang="uz-UZ"]`)
	if p := eval[string](tb, `location.pathname`); p != "/uz-uz/" {
		t.Errorf("the selector led to %s; want /uz-uz/", p)
	}
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "uz-UZ" {
		t.Errorf("selector: html lang = %q; want uz-UZ", lang)
	}
}

func testMobileMenu(t *testing.T, s *site) {
	tb := s.tab(t, 375, 812)
	tb.open("/en-gb/terms/")
	tb.click(`[data-consent="reject"]`)
	if !tb.visible(".menu-toggle") {
		t.Fatal("375px: no menu toggle")
	}
	if tb.visible("#main-menu") {
		t.Fatal("375px: the menu is not collapsed")
	}
	tb.click(".menu-toggle")
	if !tb.visible("#main-menu") || !tb.is(`document.querySelector(".menu-toggle").getAttribute("aria-expanded") === "true"`) {
		t.Fatal("the toggle did not open the menu")
	}
	if n := eval[int](tb, `document.querySelectorAll("#main-menu > .menu-item > .menu-button").length`); n != 4 {
		t.Errorf("top level shows %d groups; want 4", n)
	}
	// Drill down into "About".
	tb.click(`.menu-button[aria-controls="submenu-1"]`)
	if !tb.visible("#submenu-1 .submenu-list a") {
		t.Fatal("the About group did not open")
	}
	if tb.visible(`.menu-button[aria-controls="submenu-0"]`) {
		t.Error("drill-down: the other groups are still shown")
	}
	tb.focusIs("#submenu-1 .menu-back")
	// The menu fits the viewport: nothing scrolls sideways.
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("page is %dpx wide at a 375px viewport", w)
	}
	tb.click("#submenu-1 .menu-back")
	if !tb.visible(`.menu-button[aria-controls="submenu-0"]`) || tb.visible("#submenu-1") {
		t.Error("back did not return to the main menu")
	}
	tb.focusIs(`.menu-button[aria-controls="submenu-1"]`)
	// Keyboard on the small screen: Enter drills down, Escape goes back,
	// Escape again closes the menu and returns to the toggle.
	tb.press(kb.Enter)
	tb.focusIs("#submenu-1 .menu-back")
	tb.press(kb.Escape)
	tb.focusIs(`.menu-button[aria-controls="submenu-1"]`)
	tb.press(kb.Escape)
	tb.focusIs(".menu-toggle")
	if tb.visible("#main-menu") {
		t.Error("Escape did not close the mobile menu")
	}
	// Touch: a tap on the toggle opens it again.
	tb.do(chromedp.Tap(chromedp.CSS(".menu-toggle")))
	if !tb.visible("#main-menu") {
		t.Error("a tap did not open the menu")
	}
}

// axePath names axe.min.js from the axe-core npm package; "" when it is
// not installed.
func axePath() string {
	return os.Getenv("AXE_CORE_JS")
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun is the audit: WCAG 2.0/2.1 A and AA rules plus axe's best
// practices (landmarks, heading order, one main).
const axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  resultTypes: ["violations"]
}).then(function (r) {
  return r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) {
      return n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " ");
    })};
  });
})`

// An axeCase is one page in one state, scheme and width.
type axeCase struct {
	path  string
	width int64
	dark  bool
	state string // "load", "settings" (consent settings open), "menu" (a menu group open) or "switcher" (open)
}

// axeCases samples every page type, every script (Latin, Cyrillic, CJK,
// Thai, Vietnamese Latin) in both colour schemes, plus the open menus
// and consent settings at desktop and phone widths.
func axeCases() []axeCase {
	var cases []axeCase
	for _, dark := range []bool{false, true} {
		for _, p := range []string{
			"/", "/404.html",
			"/en-gb/", "/en-gb/privacy/", "/en-us/cookies/",
			"/ru-ru/privacy/", "/uk-ua/terms/",
			"/zh-cn/privacy/", "/ja-jp/", "/ko-kr/cookies/",
			"/th-th/privacy/", "/vi-vn/terms/",
			// Policy versions: an earlier version and what changed.
			"/en-gb/privacy/versions/2025-06-01/", "/de-de/privacy/changes/",
		} {
			cases = append(cases, axeCase{path: p, width: 1280, dark: dark, state: "load"})
		}
		// Settings exist where consent is opt-in.
		for _, p := range []string{"/de-de/privacy/", "/pt-br/cookies/"} {
			cases = append(cases, axeCase{path: p, width: 1280, dark: dark, state: "settings"})
		}
		for _, p := range []string{"/de-de/privacy/", "/th-th/cookies/"} {
			cases = append(cases,
				axeCase{path: p, width: 1280, dark: dark, state: "menu"},
				axeCase{path: p, width: 1280, dark: dark, state: "switcher"})
		}
		for _, p := range []string{"/en-gb/privacy/", "/zh-cn/"} {
			cases = append(cases,
				axeCase{path: p, width: 375, dark: dark, state: "load"},
				axeCase{path: p, width: 375, dark: dark, state: "menu"},
				axeCase{path: p, width: 375, dark: dark, state: "switcher"})
		}
	}
	return cases
}

func (tb *tab) scheme(dark bool) {
	tb.t.Helper()
	v := "light"
	if dark {
		v = "dark"
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
	}); err != nil {
		tb.t.Fatalf("emulating prefers-color-scheme: %s: %v", v, err)
	}
}

// chooseConsent closes the consent panel with the least consent.
func (tb *tab) chooseConsent() {
	tb.t.Helper()
	if tb.visible(`[data-consent="dismiss"]`) {
		tb.click(`[data-consent="dismiss"]`)
	} else {
		tb.click(`[data-consent="reject"]`)
	}
}

func testAxe(t *testing.T, s *site) {
	p := axePath()
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("axe-core not found in CI; set AXE_CORE_JS (see 'Browser tests' in docs/theme.md)")
		}
		browsertest.Skip(t, "axe-core", "npm install --prefix /tmp/axe axe-core@4, then AXE_CORE_JS=/tmp/axe/node_modules/axe-core/axe.min.js")
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range axeCases() {
		scheme := "light"
		if c.dark {
			scheme = "dark"
		}
		name := fmt.Sprintf("%s/%d/%s/%s", scheme, c.width, c.state, strings.Trim(c.path, "/"))
		t.Run(name, func(t *testing.T) {
			// Each case has its own browser context; none needs focus.
			t.Parallel()
			tb := s.tab(t, c.width, 900)
			tb.scheme(c.dark)
			tb.open(c.path)
			switch c.state {
			case "settings":
				tb.click(`[data-consent="settings"]`)
			case "menu":
				tb.chooseConsent()
				if c.width <= 768 {
					tb.click(".menu-toggle")
				}
				tb.click(`.menu-button[aria-controls="submenu-1"]`)
			case "switcher":
				tb.chooseConsent()
				tb.click(".switcher-button")
			}
			tb.do(chromedp.Evaluate[chromedp.Void](string(src)))
			raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe: %v", err)
			}
			var vs []axeViolation
			if err := json.Unmarshal(raw, &vs); err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("%s [%s] %s\n  %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
			}
		})
	}
}

// testScreenshots writes screenshots for reviewing the design when
// POLICYSITE_SHOTS names a folder.
func testScreenshots(t *testing.T, s *site) {
	dir := os.Getenv("POLICYSITE_SHOTS")
	if dir == "" {
		t.Skip("set POLICYSITE_SHOTS=/some/dir to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type shot struct {
		name, path string
		width      int64
		dark       bool
		setup      string // clicks, comma-separated selectors
		hash       string // scroll to this id
		bottom     bool   // scroll to the footer
		print      bool   // emulate print media
	}
	const reject, dismiss = `[data-consent="reject"]`, `[data-consent="dismiss"]`
	shots := []shot{
		{name: "privacy-en-gb-consent", path: "/en-gb/privacy/", width: 1280},
		{name: "privacy-de-de", path: "/de-de/privacy/", width: 1280, setup: reject},
		{name: "privacy-de-de-section", path: "/de-de/privacy/", width: 1280, setup: reject, hash: "legal-basis"},
		{name: "privacy-zh-cn", path: "/zh-cn/privacy/", width: 1280, setup: dismiss},
		{name: "privacy-th-th-dark", path: "/th-th/privacy/", width: 1280, dark: true, setup: dismiss},
		{name: "cookies-ru-ru-table", path: "/ru-ru/cookies/", width: 1280, setup: dismiss, hash: "strictly-necessary"},
		{name: "cookies-fr-fr-settings", path: "/fr-fr/cookies/", width: 1280, setup: `[data-consent="settings"]`},
		{name: "cookies-ko-kr-dark-notice", path: "/ko-kr/cookies/", width: 1280, dark: true},
		{name: "home-ja-jp", path: "/ja-jp/", width: 1280, setup: dismiss},
		{name: "home-en-dark", path: "/en/", width: 1280, dark: true, setup: reject},
		{name: "selector", path: "/", width: 1280, setup: reject},
		{name: "selector-dark", path: "/", width: 1280, dark: true},
		{name: "404", path: "/404.html", width: 1280, setup: reject},
		{name: "menu-open-vi-vn", path: "/vi-vn/terms/", width: 1280, setup: dismiss + `,.menu-button[aria-controls="submenu-1"]`},
		{name: "switcher-open-de-de", path: "/de-de/terms/", width: 1280, setup: reject + ",.switcher-button"},
		{name: "footer-uk-ua", path: "/uk-ua/terms/", width: 1280, setup: dismiss, bottom: true},
		{name: "print-de-de-privacy", path: "/de-de/privacy/", width: 800, dark: true, print: true},
		{name: "print-ja-jp-cookies", path: "/ja-jp/cookies/", width: 800, print: true, hash: "analytics"},
		{name: "m-privacy-en-gb-consent", path: "/en-gb/privacy/", width: 375},
		{name: "m-privacy-de-de", path: "/de-de/privacy/", width: 375, setup: reject},
		{name: "m-privacy-de-de-section", path: "/de-de/privacy/", width: 375, setup: reject, hash: "legal-basis"},
		{name: "m-privacy-th-th-dark", path: "/th-th/privacy/", width: 375, dark: true, setup: dismiss},
		{name: "m-cookies-ru-ru-table", path: "/ru-ru/cookies/", width: 375, setup: dismiss, hash: "analytics"},
		{name: "m-home-zh-cn", path: "/zh-cn/", width: 375, setup: dismiss},
		{name: "m-menu-ru-ru", path: "/ru-ru/", width: 375, setup: dismiss + ",.menu-toggle"},
		{name: "m-menu-drill-ru-ru", path: "/ru-ru/", width: 375, setup: dismiss + `,.menu-toggle,.menu-button[aria-controls="submenu-1"]`},
		{name: "m-switcher-ja-jp-dark", path: "/ja-jp/", width: 375, dark: true, setup: dismiss + ",.switcher-button"},
		{name: "m-selector", path: "/", width: 375, setup: reject},
		{name: "m-footer-en-us", path: "/en-us/", width: 375, setup: dismiss, bottom: true},
		{name: "m-consent-settings-de-de", path: "/de-de/", width: 375, setup: `[data-consent="settings"]`},
	}
	for _, sh := range shots {
		tb := s.tab(t, sh.width, 900)
		tb.scheme(sh.dark)
		if sh.print {
			if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
		}
		tb.open(sh.path)
		for sel := range strings.SplitSeq(sh.setup, ",") {
			if sel != "" {
				tb.click(sel)
			}
		}
		// Park the pointer so no hover state shows.
		tb.do(chromedp.MouseEvent("mouseMoved", 1, 1))
		if sh.bottom {
			tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo({top: document.body.scrollHeight, behavior: "instant"})`))
		}
		if sh.hash != "" {
			tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById(` + fmt.Sprintf("%q", sh.hash) + `).scrollIntoView({behavior: "instant"})`))
		}
		png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sh.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
