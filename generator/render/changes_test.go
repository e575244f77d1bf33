package render_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/browsertest"
	"policysite/generator/markdown"
	"policysite/generator/redline"
	"policysite/generator/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// A changesCase is a redline of the example's privacy policy in one
// locale: the current text as the earlier version, the text with edits
// as the version whose changes are shown.
type changesCase struct {
	tag string
	// old and new are the versions' dates as the page's language writes
	// them (the build formats them; the layout only shows them).
	old, new string
	edits    [][2]string
	summary  string   // "" for the English one
	want     []string // in the <main> element
}

var changesCases = []changesCase{
	{tag: "en-GB", old: "1 March 2025", new: "1 January 2027", edits: [][2]string{
		{"| Up to 180 days,", "| Up to 90 days,"},
		{"## How we handle children's personal data {#children}", "## How we handle children's data {#children}"},
		{"respects your privacy.", "respects and protects your privacy."},
		{"- your marketing preferences and the topics you are interested in.\n", "- your marketing preferences and the topics you are interested in;\n- the photo you add to your profile.\n"},
	}, want: []string{`<ins><span class="visually-hidden">added: </span>`, `<del><span class="visually-hidden">removed: </span>180</del>`, "Sections that did not change", "Section changed"}},
	{tag: "de-DE", old: "1. März 2025", new: "1. Januar 2027", edits: [][2]string{
		{"in vier Kategorien", "in fünf Kategorien"},
		{"- **Marketing-Cookies** helfen", "- **Sicherheits-Cookies** schützen Ihr Konto vor Missbrauch.\n- **Marketing-Cookies** helfen"},
	}},
	{tag: "ja-JP", old: "2025年3月1日", new: "2027年1月1日", edits: [][2]string{{"次の四つのカテゴリー", "次の五つのカテゴリー"}, {"訪問数を集計し", "訪問数と滞在時間を集計し"}}},
	{tag: "th-TH", old: "1 มีนาคม 2568", new: "1 มกราคม 2570", edits: [][2]string{{"เราแบ่งคุกกี้ของเราออกเป็นสี่ประเภท", "เราแบ่งคุกกี้ของเราออกเป็นห้าประเภท"}}},
}

// rtlSite is a bare site (no site.toml) with a privacy policy in
// English and Arabic, for the redline right to left; rtlCases edit it.
var rtlSite = map[string]string{
	"en/privacy.md": "# Privacy policy\n\nHow we handle personal data.\n\n## What we collect {#collect}\n\nYour name.\n",
	"ar/privacy.md": "# سياسة الخصوصية\n\nتوضح هذه السياسة كيف نتعامل مع البيانات الشخصية.\n\n" +
		"## البيانات التي نجمعها {#collect}\n\nنجمع اسمك وعنوان بريدك الإلكتروني عندما تنشئ حسابًا لدى Example Group.\n\n- بيانات الاتصال؛\n- بيانات الحساب؛\n- بيانات الاستخدام.\n\n" +
		"## مدة الاحتفاظ بالبيانات {#retention}\n\nنحتفظ بسجلات الخادم لمدة 180 يومًا، ثم نحذفها.\n\n" +
		"## حقوقك {#rights}\n\nيحق لك أن تطلب نسخة من بياناتك الشخصية في أي وقت.\n",
}

var rtlCases = []changesCase{
	{tag: "ar", old: "1 مارس 2025", new: "1 يناير 2027", summary: "نحتفظ الآن بسجلات الخادم لمدة 90 يومًا بدلًا من 180.", edits: [][2]string{
		{"لمدة 180 يومًا", "لمدة 90 يومًا"},
		{"- بيانات الاستخدام.\n", "- بيانات الاستخدام؛\n- بيانات الموقع التقريبي.\n"},
		{"## حقوقك {#rights}", "## حقوقك وخياراتك {#rights}"},
	}, want: []string{`<article class="changes" lang="ar" dir="rtl">`, "<del>"}},
}

// writeSite writes the content files of a bare site into a new folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A changesSite is a site and the cases of its changes pages.
type changesSite struct {
	dir   string
	cases []changesCase
}

func changesSites(t *testing.T) []changesSite {
	return []changesSite{{dir: "../..", cases: changesCases}, {dir: writeSite(t, rtlSite), cases: rtlCases}}
}

// changesPages renders the changes layout for each case.
func changesPages(t *testing.T, site *generator.Site, r *render.Renderer, cases []changesCase) map[string][]byte {
	t.Helper()
	md := markdown.New(markdown.Options{})
	out := map[string][]byte{}
	for _, tc := range cases {
		p := site.Pages.Pages[tc.tag]["privacy"]
		if p == nil {
			t.Fatalf("the example has no privacy page in %s", tc.tag)
		}
		body := string(p.Doc.Body)
		newBody := body
		for _, e := range tc.edits {
			if !strings.Contains(newBody, e[0]) {
				t.Fatalf("%s: the privacy page has no %q", tc.tag, e[0])
			}
			newBody = strings.Replace(newBody, e[0], e[1], 1)
		}
		url, _ := site.Links.Page(tc.tag, "privacy")
		summary := tc.summary
		if summary == "" {
			summary = "We now keep server logs for 90 days instead of 180."
		}
		d := &render.ChangesData{
			Page:    p.Doc.Meta.Title,
			Old:     render.VersionRef{Date: tc.old, DateISO: "2025-03-01", URL: url + "versions/2025-03-01/"},
			New:     render.VersionRef{Date: tc.new, DateISO: "2027-01-01", URL: url},
			Summary: summary,
			Items:   redline.Compare(redline.Sections(md, []byte(body)), redline.Sections(md, []byte(newBody))),
		}
		html, err := r.ExecuteChanges(tc.tag, "privacy", d)
		if err != nil {
			t.Fatalf("%s: %v", tc.tag, err)
		}
		out[tc.tag] = html
	}
	return out
}

func loadSite(t *testing.T, dir string) (*generator.Site, *render.Renderer) {
	t.Helper()
	site, err := generator.Load(context.Background(), generator.Options{SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r, err := generator.NewRenderer(site, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return site, r
}

var mainElement = regexp.MustCompile(`(?s)<main id="main" tabindex="-1">.*</main>`)

// TestChangesLayout checks the changes layout's <main> element against
// testdata/changes-<tag>.html, and that its headings go in order.
func TestChangesLayout(t *testing.T) {
	for _, cs := range changesSites(t) {
		site, r := loadSite(t, cs.dir)
		checkChangesLayout(t, cs.cases, changesPages(t, site, r, cs.cases))
	}
}

func checkChangesLayout(t *testing.T, cases []changesCase, pages map[string][]byte) {
	for _, tc := range cases {
		main := mainElement.Find(pages[tc.tag])
		if main == nil {
			t.Fatalf("%s: no <main> element", tc.tag)
		}
		for _, w := range tc.want {
			if !bytes.Contains(main, []byte(w)) {
				t.Errorf("%s: <main> lacks %q", tc.tag, w)
			}
		}
		// h1, then h2 only: the sections' own levels would skip levels
		// where a parent section did not change.
		levels := regexp.MustCompile(`<h([1-6])[ >]`).FindAllSubmatch(main, -1)
		if len(levels) < 3 || string(levels[0][1]) != "1" {
			t.Errorf("%s: headings %q; want an h1 first", tc.tag, levels)
		}
		for _, l := range levels[1:] {
			if string(l[1]) != "2" {
				t.Errorf("%s: an h%s after the h1; want only h2", tc.tag, l[1])
			}
		}
		golden := filepath.Join("testdata", "changes-"+tc.tag+".html")
		if *update {
			if err := os.WriteFile(golden, main, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if !bytes.Equal(main, want) {
			t.Errorf("%s: the changes page's <main> differs from %s (run go test -update and review the diff):\n%s", tc.tag, golden, main)
		}
	}
}

// TestChangesNuHTMLChecker validates the changes pages with the Nu HTML
// Checker (VNU_JAR, see browsertest.VNU).
func TestChangesNuHTMLChecker(t *testing.T) {
	jar := browsertest.VNU(t)
	dir := t.TempDir()
	for _, cs := range changesSites(t) {
		site, r := loadSite(t, cs.dir)
		for tag, html := range changesPages(t, site, r, cs.cases) {
			if err := os.WriteFile(filepath.Join(dir, tag+".html"), html, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	msg, err := exec.Command("java", "-jar", jar, "--errors-only", "--skip-non-html", dir).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(msg)) > 0 {
		t.Errorf("vnu --errors-only reported problems (%v):\n%s", err, msg)
	}
}
