package render_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"policysite/bench"
	"policysite/generator"
	"policysite/themes"
)

// partialSite writes a generated site of 12 locales × 8 pages below a
// sub-path, with slugs that html/template's escapers change (non-ASCII,
// "&", "+", "'", space) and one they do not, and returns its folder.
func partialSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := bench.Write(dir, bench.Options{Locales: 12, Pages: 8}, os.DirFS("../../i18n")); err != nil {
		t.Fatal(err)
	}
	edit := func(name, old, new string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", name, old)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("site.toml", `baseURL = "https://privacy.example.com/"`, `baseURL = "https://privacy.example.com/legal/policies/"`)
	edit("content/de-DE/page-0004.md", "---\n", "---\nslug: \"datenschutz-ü\"\n")
	edit("content/ja-JP/page-0005.md", "---\n", "---\nslug: \"a&b+c it's\"\n")
	edit("content/pt-BR/page-0006.md", "---\n", "---\nslug: \"ok_1.2~x\"\n")
	return dir
}

// writeTheme writes theme files (paths below the theme) into the site's
// themes/default/ folder, over the embedded theme.
func writeTheme(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, "themes", "default", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// cachedCall matches a partialCached call with its variants.
var cachedCall = regexp.MustCompile(`partialCached ("[^"]+") \.(?: [^}]*)?`)

// directTheme returns the default theme's templates that call
// partialCached, calling {{template}} instead: the reference output.
func directTheme(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(themes.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(themes.Default(), p)
		if direct := cachedCall.ReplaceAllString(string(b), "template $1 ."); direct != string(b) {
			files[p] = direct
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("default theme calls partialCached in %d files; want base and head", len(files))
	}
	return files
}

// renderSite renders every page of the site in dir, the region selector
// and the 404 page, on all cores or one page after another.
func renderSite(t *testing.T, dir string, sequential bool) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	site, err := generator.Load(ctx, generator.Options{SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r, err := generator.NewRenderer(site, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	if sequential {
		for _, id := range generator.AllPages(site) {
			res, err := r.Page(ctx, site.Pages.Pages[id.Locale][id.Key])
			if err != nil {
				t.Fatal(err)
			}
			out[res.Path] = res.HTML
		}
	} else {
		pages, err := generator.RenderPages(ctx, r, site, generator.AllPages(site))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			out[p.Path] = p.HTML
		}
	}
	special, err := generator.RenderSpecial(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	for p, html := range special {
		out[p] = html
	}
	return out
}

// compareSites reports every page that differs between got and want.
func compareSites(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) || len(got) < 90 {
		t.Fatalf("rendered %d pages; want %d (at least 90)", len(got), len(want))
	}
	bad := 0
	for path, w := range want {
		if g := got[path]; !bytes.Equal(g, w) {
			if bad++; bad <= 3 {
				t.Errorf("%s differs from executing every partial for the page:\n%s", path, diffLine(g, w))
			}
		}
	}
	if bad > 3 {
		t.Errorf("and %d more pages differ", bad-3)
	}
}

// diffLine shows the first line where a and b differ.
func diffLine(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "--- got\n" + la[i] + "\n--- want\n" + lb[i]
		}
	}
	return "(one is a prefix of the other)"
}

// TestPartialCachedMatchesDirect checks that the variants the default
// theme declares for its partialCached partials (consent, footer,
// hreflang links) name everything they depend on: every page gets
// exactly the bytes that executing them for the page gives, on a site
// with a sub-path, slugs that escapers change, and pages missing from
// some locales.
func TestPartialCachedMatchesDirect(t *testing.T) {
	dir := partialSite(t)
	got := renderSite(t, dir, false)
	writeTheme(t, dir, directTheme(t))
	want := renderSite(t, dir, false)
	compareSites(t, got, want)
	// The site has what the test is about.
	for _, s := range []string{`href="/legal/policies/de-de/datenschutz-%c3%bc/"`, `href="/legal/policies/ja-jp/a&amp;b&#43;c%20it%27s/"`, `href="/legal/policies/pt-br/ok_1.2~x/"`} {
		if !bytes.Contains(want["en/page-0004/index.html"], []byte(s)) && !bytes.Contains(want["en/page-0005/index.html"], []byte(s)) && !bytes.Contains(want["en/page-0006/index.html"], []byte(s)) {
			t.Errorf("no page links %s", s)
		}
	}
}

// TestPartialCachedSiteOverrides checks site themes that override the
// default theme's cached partials. An override that keeps the contract
// of the call (a switcher printing its URLs as they are) keeps the
// caching; one that reads more declares what it reads, or calls the
// partial with {{template}}, as docs/theme.md says. Every page must get
// what executing the partials for it gives.
func TestPartialCachedSiteOverrides(t *testing.T) {
	notFound, err := fs.ReadFile(themes.Default(), "layouts/404.html")
	if err != nil {
		t.Fatal(err)
	}
	head, err := fs.ReadFile(themes.Default(), "partials/head.html")
	if err != nil {
		t.Fatal(err)
	}
	const alternates = `partialCached "partials/alternates.html" . .Key .NoIndex`
	if !bytes.Contains(head, []byte(alternates)) {
		t.Fatalf("partials/head.html does not call %s", alternates)
	}
	header, err := fs.ReadFile(themes.Default(), "partials/header.html")
	if err != nil {
		t.Fatal(err)
	}
	const switcher = `partialCached "partials/switcher.html" . .Lang (slots .Switcher)`
	if !bytes.Contains(header, []byte(switcher)) {
		t.Fatalf("partials/header.html does not call %s", switcher)
	}
	// The remedy for a switcher that reads more than its slots.
	direct := strings.Replace(string(header), switcher, `template "partials/switcher.html" .`, 1)
	for _, tc := range []struct {
		name  string
		files map[string]string
		// sequential renders pages in order, for overrides whose
		// output depends on which page comes first.
		sequential bool
		// want must appear on some page, and not on every page
		// unless every is set.
		want  *regexp.Regexp
		every bool
		// cached keeps the default header's cached switcher call;
		// otherwise the header calls the switcher with {{template}}.
		cached bool
	}{
		{
			name:   "switcher with other markup, URLs as they are",
			files:  map[string]string{"partials/switcher.html": `<ul class="sw">{{range .Switcher}}<li><a href="{{.URL}}" title="{{.URL}}">{{.Tag}}</a> {{.URL}}</li>{{end}}</ul>` + "\n"},
			want:   regexp.MustCompile(`<ul class="sw"><li><a href="/legal/policies/en/page-0005/" title="/legal/policies/en/page-0005/">en</a> /legal/policies/en/page-0005/</li>`),
			cached: true,
		},
		{
			name:  "page title in the switcher",
			files: map[string]string{"partials/switcher.html": `<nav class="sw" title="{{.Title}}">{{range .Switcher}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}</nav>` + "\n"},
			want:  regexp.MustCompile(`<nav class="sw" title="[^"]*0005">`),
		},
		{
			name:  "fallback pages only",
			files: map[string]string{"partials/switcher.html": `<nav class="sw">{{range .Switcher}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}{{if .NoIndex}} (noindex){{end}}</nav>` + "\n"},
			want:  regexp.MustCompile(`\(noindex\)</nav>`),
		},
		{
			name:  "URLs in a query",
			files: map[string]string{"partials/switcher.html": `<nav class="sw">{{range .Switcher}}<a href="/go?to={{.URL}}">{{.Tag}}</a>{{end}}</nav>` + "\n"},
			want:  regexp.MustCompile(`href="/go\?to=%2flegal%2fpolicies%2fen-au%2fpage-0004%2f"`),
		},
		{
			name:  "URL compared with the home page",
			files: map[string]string{"partials/switcher.html": `<nav class="sw">{{range .Switcher}}<a href="{{.URL}}"{{if eq .URL $.Home}} class="home"{{end}}>{{.Tag}}</a>{{end}}</nav>` + "\n"},
			want:  regexp.MustCompile(`class="home"`),
		},
		{
			name: "canonical URL in the hreflang links",
			files: map[string]string{
				"partials/alternates.html": `{{range .Alternates}}` + "\n" + `<link rel="alternate" hreflang="{{.Hreflang}}" href="{{.URL}}"{{if eq .URL $.Canonical}} data-self=""{{end}}>{{end}}`,
				"partials/head.html":       strings.Replace(string(head), alternates, alternates+" .Canonical", 1),
			},
			want: regexp.MustCompile(`data-self=""`),
		},
		{
			// Partials are shared by the layouts unless a layout
			// defines one of the templates they use. The 404 page
			// comes after the default locale's other pages have
			// verified the shape it has.
			name:  "switcher of the 404 layout",
			files: map[string]string{"layouts/404.html": string(notFound) + `{{define "partials/switcher.html"}}<nav class="sw-404">{{range .Switcher}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}</nav>{{end}}` + "\n"},
			want:  regexp.MustCompile(`<nav class="sw-404"><a href="/legal/policies/en/">en</a>`),
		},
		{
			name: "partialCached with the switcher",
			files: map[string]string{
				"partials/switcher.html": `<nav class="sw">{{partialCached "partials/list.html" .Switcher}}</nav>` + "\n",
				"partials/list.html":     `{{range .}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}`,
			},
			// partialCached keeps the first page's list: the home's.
			sequential: true,
			want:       regexp.MustCompile(`<nav class="sw"><a href="/legal/policies/en/">en</a>`),
			every:      true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := partialSite(t)
			if !tc.cached {
				writeTheme(t, dir, map[string]string{"partials/header.html": direct})
			}
			writeTheme(t, dir, tc.files)
			got := renderSite(t, dir, tc.sequential)
			writeTheme(t, dir, directTheme(t))
			want := renderSite(t, dir, tc.sequential)
			compareSites(t, got, want)
			n := 0
			for path, b := range got {
				if tc.want.Match(b) {
					n++
				}
				if bytes.Contains(b, []byte("psurl")) {
					t.Errorf("%s shows a URL placeholder", path)
				}
			}
			if all := n == len(got); n == 0 || all != tc.every {
				t.Errorf("%d of %d pages match %s", n, len(want), tc.want)
			}
		})
	}
}
