package themes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"policysite/generator"
	"policysite/generator/browsertest"
	"policysite/generator/sitetest"
)

// rtlPages are the pages of a bare site (no site.toml, no i18n/) in
// English, Arabic and Hebrew: the theme's own strings fill its chrome.
var rtlPages = map[string]string{
	"en/privacy.md": "---\nlastmod: 2026-10-15\ntoc: true\n---\n# Privacy policy\n\nHow we handle personal data.\n\n## What we collect {#collect}\n\nText.\n\n## How to contact us {#contact}\n\nText.\n",
	"en/cookies.md": "# Cookie policy\n\nWhat cookies we set.\n\n## Changing your consent {#change-consent}\n\nText.\n",
	"ar/privacy.md": "---\nlastmod: 2026-10-15\ntoc: true\n---\n# سياسة الخصوصية\n\nتوضح هذه السياسة كيف نتعامل مع البيانات الشخصية.\n\n" +
		"## البيانات التي نجمعها {#collect}\n\nنجمع البيانات التي تقدمها لنا عند التواصل معنا.\n\n## كيفية التواصل معنا {#contact}\n\nيمكنك مراسلتنا في أي وقت.\n",
	"ar/cookies.md": "# سياسة ملفات تعريف الارتباط\n\nملفات تعريف الارتباط التي نستخدمها.\n\n## تغيير موافقتك {#change-consent}\n\nيمكنك تغيير اختيارك في أي وقت.\n",
	"he-IL/privacy.md": "---\nlastmod: 2026-10-15\ntoc: true\n---\n# מדיניות פרטיות\n\nמדיניות זו מסבירה כיצד אנו מטפלים במידע אישי.\n\n" +
		"## המידע שאנו אוספים {#collect}\n\nאנו אוספים מידע שאתם מוסרים לנו.\n\n## יצירת קשר {#contact}\n\nאפשר לפנות אלינו בכל עת.\n",
	"he-IL/cookies.md": "# מדיניות קובצי Cookie\n\nקובצי ה-Cookie שבהם אנו משתמשים.\n\n## שינוי ההסכמה {#change-consent}\n\nאפשר לשנות את הבחירה בכל עת.\n",
}

// TestRTL checks the theme in Arabic and Hebrew: the page is
// right-to-left, its chrome is in the page's language, and the layout
// is mirrored (brand on the right, switcher on the left, the table of
// contents on the right of the text, buttons in right-to-left order).
// With POLICYSITE_SHOTS set it writes screenshots to review by eye.
func TestRTL(t *testing.T) {
	browser := browsertest.New(t, chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(1280, 900))
	dir := t.TempDir()
	for name, text := range rtlPages {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := sitetest.Build(t, generator.Options{SiteDir: dir, Strict: true}, filepath.Join(t.TempDir(), "public"))
	if len(out.Built.Warnings) > 0 {
		t.Errorf("warnings: %q", out.Built.Warnings)
	}
	files := http.FileServer(http.Dir(out.Dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s := &site{url: srv.URL, browser: browser}
	shots := os.Getenv("POLICYSITE_SHOTS")

	for _, c := range []struct {
		path, lang, skip string
		// first is the first consent button: "accept" where consent is
		// opt-in (region-neutral ar), "dismiss" where it is a notice
		// (he-IL); text is its label.
		first, text string
	}{
		{"/ar/privacy/", "ar", "انتقل إلى المحتوى الرئيسي", "accept", "قبول الكل"},
		{"/he-il/privacy/", "he-IL", "דילוג לתוכן הראשי", "dismiss", "אישור"},
	} {
		for _, width := range []int64{1280, 375} {
			t.Run(fmt.Sprintf("%s/%d", c.lang, width), func(t *testing.T) {
				tb := s.tab(t, width, 900)
				tb.open(c.path)
				if got := eval[string](tb, `document.documentElement.dir + " " + document.documentElement.lang`); got != "rtl "+c.lang {
					t.Errorf("<html> dir and lang = %q; want rtl %s", got, c.lang)
				}
				if got := eval[string](tb, `document.querySelector(".skip-link").textContent`); got != c.skip {
					t.Errorf("skip link = %q; want %q", got, c.skip)
				}
				if !tb.consentShown() {
					t.Fatal("consent panel not shown on the first visit")
				}
				sel := `[data-consent="` + c.first + `"]`
				if got := eval[string](tb, `document.querySelector('`+sel+`').textContent`); got != c.text {
					t.Errorf("%s button = %q; want %q", c.first, got, c.text)
				}
				// Right to left: accept, reject and settings from the
				// right (or stacked on a phone).
				if c.first == "accept" && !tb.is(`(function (b) {
  var r = Array.prototype.map.call(b, function (e) { return e.getBoundingClientRect(); });
  return r[0].left > r[1].left && r[1].left > r[2].left || r[0].top < r[1].top && r[1].top < r[2].top;
})(document.querySelectorAll(".consent-first .button"))`) {
					t.Error("the consent buttons are not laid out from the right")
				}
				if shots != "" {
					shoot(t, tb, filepath.Join(shots, fmt.Sprintf("rtl-%s-%d-consent.png", c.lang, width)))
				}
				tb.click(sel)
				mid := width / 2
				if !tb.is(fmt.Sprintf(`document.querySelector(".brand").getBoundingClientRect().left > %d`, mid)) {
					t.Error("the brand is not on the right of the header")
				}
				if !tb.is(fmt.Sprintf(`document.querySelector(".switcher-button").getBoundingClientRect().right < %d`, mid)) {
					t.Error("the switcher is not on the left of the header")
				}
				if width > 1000 && !tb.is(`document.querySelector(".toc").getBoundingClientRect().left > document.querySelector(".policy-body").getBoundingClientRect().left`) {
					t.Error("the table of contents is not on the right of the text")
				}
				if w := eval[int64](tb, `document.documentElement.scrollWidth`); w > width {
					t.Errorf("page is %dpx wide at a %dpx viewport", w, width)
				}
				if shots != "" {
					shoot(t, tb, filepath.Join(shots, fmt.Sprintf("rtl-%s-%d.png", c.lang, width)))
					tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo({top: document.body.scrollHeight, behavior: "instant"})`))
					shoot(t, tb, filepath.Join(shots, fmt.Sprintf("rtl-%s-%d-footer.png", c.lang, width)))
					tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo({top: 0, behavior: "instant"})`))
					tb.click(".switcher-button")
					shoot(t, tb, filepath.Join(shots, fmt.Sprintf("rtl-%s-%d-open.png", c.lang, width)))
				}
			})
		}
	}
}

func shoot(t *testing.T, tb *tab, file string) {
	t.Helper()
	tb.do(chromedp.MouseEvent("mouseMoved", 1, 1))
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
