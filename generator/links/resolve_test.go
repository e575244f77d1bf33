package links

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
)

// resolveSite is a site of three locales, en-GB inheriting en's pages
// and de-DE with its own, with a guide folder and files beside pages.
func resolveSite(t *testing.T, base string) (*Resolver, *locale.Set) {
	t.Helper()
	cfg := config.Default("")
	cfg.DefaultLocale = "en"
	cfg.Locales = []config.Locale{
		{Tag: "en", Path: "en"},
		{Tag: "en-GB", Path: "en-gb", Fallback: []string{"en"}},
		{Tag: "de-DE", Path: "de-de"},
	}
	locs, err := locale.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tree := &content.Tree{Files: map[string]map[string]*content.File{}, Resources: map[string]map[string]string{
		"en":    {"img/diagram.png": "content/en/img/diagram.png", "guide/shot.png": "content/en/guide/shot.png", "files/policy.pdf": "content/en/files/policy.pdf"},
		"en-GB": {"img/flag.png": "content/en-GB/img/flag.png", "guide/shot.png": "content/en-GB/guide/shot.png"},
	}}
	rels := map[string][]string{
		"en":    {"_index.md", "privacy.md", "guide/setup.md", "guide/_index.md", "guide/install.md", "intro.md", "guide/privacy.md", "Tasks/Ponies.md", "Case/a.md", "case/a.md"},
		"en-GB": {"privacy.md"},
		"de-DE": {"_index.md", "privacy.md"},
	}
	site := &inherit.Site{Pages: map[string]map[string]*inherit.Page{}}
	files := map[string]*content.File{}
	for tag, rs := range rels {
		tree.Files[tag] = map[string]*content.File{}
		for _, rel := range rs {
			f := &content.File{Locale: tag, Rel: rel, Key: strings.TrimSuffix(rel, ".md")}
			tree.Files[tag][f.Key] = f
			files[tag+"/"+rel] = f
		}
	}
	for _, l := range locs.All {
		site.Pages[l.Tag] = map[string]*inherit.Page{}
		for _, tag := range []string{l.Tag, "en"} {
			if tag == "en" && l.Tag == "de-DE" {
				continue
			}
			for key, f := range tree.Files[tag] {
				if _, ok := site.Pages[l.Tag][key]; !ok {
					site.Pages[l.Tag][key] = &inherit.Page{Locale: l, Key: key, Source: locs.Get(tag), Doc: &inherit.Doc{File: f}}
				}
			}
		}
	}
	l := New(base, locs, site)
	return NewResolver(l, tree, ResolveOptions{Files: []string{"css/site.css", "img/logo.png", "404.html"}, ContentPrefix: "docs"}), locs
}

func TestResolve(t *testing.T) {
	r, locs := resolveSite(t, "https://ex.example/")
	en, gb, de := locs.Get("en"), locs.Get("en-GB"), locs.Get("de-DE")
	setup := From{Locale: en, Key: "guide/setup", Rel: "guide/setup.md"}
	gbSetup := From{Locale: gb, Key: "guide/setup", Rel: "guide/setup.md"}
	priv := From{Locale: en, Key: "privacy", Rel: "privacy.md"}
	tests := []struct {
		name string
		from From
		dest string
		want Target
		err  error // nil, or the kind of *LinkError
	}{
		// Page links written as .md paths.
		{"relative .md", setup, "install.md", Target{URL: "/en/guide/install/", Locale: "en", Key: "guide/install"}, nil},
		{"relative .md with fragment", setup, "install.md#step-2", Target{URL: "/en/guide/install/#step-2", Locale: "en", Key: "guide/install", Fragment: "step-2"}, nil},
		{"./ relative .md", setup, "./install.md", Target{URL: "/en/guide/install/", Locale: "en", Key: "guide/install"}, nil},
		{"../ relative .md", setup, "../privacy.md", Target{URL: "/en/privacy/", Locale: "en", Key: "privacy"}, nil},
		{"root-relative .md (Docusaurus)", setup, "/privacy.md", Target{URL: "/en/privacy/", Locale: "en", Key: "privacy"}, nil},
		{"root-relative .md in a folder", priv, "/guide/setup.md#a", Target{URL: "/en/guide/setup/#a", Locale: "en", Key: "guide/setup", Fragment: "a"}, nil},
		{"root-relative .md under the content prefix (Docusaurus' site folder)", gbSetup, "/docs/guide/install.md", Target{URL: "/en-gb/guide/install/", Locale: "en-GB", Key: "guide/install"}, nil},
		{"ambiguous bare .md: the file beside wins, with a note", setup, "privacy.md", Target{URL: "/en/guide/privacy/", Locale: "en", Key: "guide/privacy", Note: &LinkError{ErrAmbiguous, "privacy.md", `link to "privacy.md" leads to guide/privacy.md, beside the file; Docusaurus would link privacy.md, from the content root; write ./privacy.md or /privacy.md to say which`}}, nil},
		{"./ is not ambiguous", setup, "./privacy.md", Target{URL: "/en/guide/privacy/", Locale: "en", Key: "guide/privacy"}, nil},
		{".md relative to the content root (Docusaurus)", setup, "intro.md", Target{URL: "/en/intro/", Locale: "en", Key: "intro"}, nil},
		{"./ is only relative to the file", setup, "./intro.md", Target{}, ErrBroken},
		{"escaped .md", setup, "install%2Emd", Target{URL: "/en/guide/install/", Locale: "en", Key: "guide/install"}, nil},
		{"inherited .md links to the region's page", gbSetup, "../privacy.md", Target{URL: "/en-gb/privacy/", Locale: "en-GB", Key: "privacy"}, nil},
		{"missing .md", setup, "gone.md", Target{}, ErrBroken},
		{".md out of the locale", setup, "../../de-DE/privacy.md", Target{}, ErrBroken},
		{".md of the chain not published in this locale", From{Locale: de, Key: "privacy", Rel: "privacy.md"}, "/guide/setup.md", Target{}, ErrNotPublished},
		{".md with a query", setup, "install.md?x=1", Target{}, ErrBroken},

		// Internal URLs.
		{"root-relative URL of the locale", setup, "/privacy/", Target{URL: "/en/privacy/", Locale: "en", Key: "privacy"}, nil},
		{"root-relative URL without slash", gbSetup, "/privacy", Target{URL: "/en-gb/privacy/", Locale: "en-GB", Key: "privacy"}, nil},
		{"root-relative index.html", setup, "/guide/index.html", Target{URL: "/en/guide/", Locale: "en", Key: "guide/_index"}, nil},
		{"URL of another locale", setup, "/de-de/privacy/#rechte", Target{URL: "/de-de/privacy/#rechte", Locale: "de-DE", Key: "privacy", Fragment: "rechte"}, nil},
		{"site root", setup, "/", Target{URL: "/"}, nil},
		{"static file", setup, "/img/logo.png", Target{URL: "/img/logo.png"}, nil},
		{"static file with query", setup, "/css/site.css?v=2", Target{URL: "/css/site.css?v=2"}, nil},
		{"relative URL, browser", setup, "../install/", Target{URL: "/en/guide/install/", Locale: "en", Key: "guide/install"}, nil},
		{"relative URL, no trailing slash (Docusaurus)", setup, "install", Target{URL: "/en/guide/install/", Locale: "en", Key: "guide/install"}, nil},
		{"relative URL up", setup, "../../privacy/", Target{URL: "/en/privacy/", Locale: "en", Key: "privacy"}, nil},
		{"relative index.html", From{Locale: en, Key: "guide/_index", Rel: "guide/_index.md"}, "setup/index.html", Target{URL: "/en/guide/setup/", Locale: "en", Key: "guide/setup"}, nil},
		{"missing URL", setup, "/nodes/", Target{}, ErrBroken},
		{"URL in lowercase (Hugo lowercases URLs)", setup, "/tasks/ponies/", Target{URL: "/en/Tasks/Ponies/", Locale: "en", Key: "Tasks/Ponies"}, nil},
		{"URL in another case when two URLs differ only in case", setup, "/CASE/A/", Target{}, ErrBroken},
		{"URL in its own case among two", setup, "/Case/a/", Target{URL: "/en/Case/a/", Locale: "en", Key: "Case/a"}, nil},
		{"URL under the content prefix (Docusaurus' /docs/)", gbSetup, "/docs/guide/install", Target{URL: "/en-gb/guide/install/", Locale: "en-GB", Key: "guide/install"}, nil},
		{"content prefix alone", gbSetup, "/docs/", Target{URL: "/en-gb/", Locale: "en-GB", Key: "_index"}, nil},
		{"missing relative URL", setup, "../other/", Target{}, ErrBroken},

		// Files beside the pages.
		{"image relative to the file", setup, "../img/diagram.png", Target{URL: "/en/img/diagram.png"}, nil},
		{"image in a page bundle", setup, "shot.png", Target{URL: "/en/guide/shot.png"}, nil},
		{"inherited image is en's file", gbSetup, "../img/diagram.png", Target{URL: "/en/img/diagram.png"}, nil},
		{"region's own image wins", gbSetup, "shot.png", Target{URL: "/en-gb/guide/shot.png"}, nil},
		{"file root-relative to the locale", gbSetup, "/files/policy.pdf", Target{URL: "/en/files/policy.pdf"}, nil},
		{"file at its own URL", priv, "/en-gb/img/flag.png", Target{URL: "/en-gb/img/flag.png"}, nil},
		{"file of the default locale at the end of the chain", From{Locale: de, Key: "privacy", Rel: "privacy.md"}, "img/diagram.png", Target{URL: "/en/img/diagram.png"}, nil},
		{"other locale's file is not inherited", From{Locale: de, Key: "privacy", Rel: "privacy.md"}, "img/flag.png", Target{}, ErrBroken},
		{"missing image", setup, "../img/none.png", Target{}, ErrBroken},
		{"image relative to the page URL (Hugo)", setup, "../shot.png", Target{URL: "/en/guide/shot.png"}, nil},
		{"inherited image relative to the page URL", gbSetup, "../shot.png", Target{URL: "/en-gb/guide/shot.png"}, nil},
		{"inherited image of en relative to the page URL", gbSetup, "../../img/diagram.png", Target{URL: "/en/img/diagram.png"}, nil},

		// Hugo shortcodes are not run.
		{"shortcode", priv, "{{% param canonical_url %}}", Target{}, ErrShortcode},
		{"ref shortcode", priv, `{{< ref "guide/setup.md" >}}`, Target{}, ErrShortcode},

		// Web addresses without a scheme.
		{"host with a path", priv, "support.google.com/accounts/answer/32050", Target{}, ErrHostLike},
		{"www host", priv, "www.example.com", Target{}, ErrHostLike},
		{"file name is not a host", priv, "report.pdf", Target{}, ErrBroken},
		{"host with a .md path", priv, "github.com/example/repo/blob/main/README.md", Target{}, ErrHostLike},
		{"missing .md is not a host", priv, "readme.md", Target{}, ErrBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Resolve(tt.from, tt.dest)
			if tt.err != nil {
				var le *LinkError
				if !errors.Is(err, tt.err) || !errors.As(err, &le) {
					t.Fatalf("Resolve(%q) error = %v; want %v", tt.dest, err, tt.err)
				}
				if strings.Contains(err.Error(), tt.from.Locale.Tag+" ") {
					t.Errorf("Resolve(%q) error %q names the locale; inherited lines would be reported once per locale", tt.dest, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q) error = %v; want %+v", tt.dest, err, tt.want)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Resolve(%q) = %+v; want %+v", tt.dest, got, tt.want)
			}
		})
	}
}

func TestResolveBasePath(t *testing.T) {
	r, locs := resolveSite(t, "https://ex.example/legal/")
	from := From{Locale: locs.Get("en-GB"), Key: "guide/setup", Rel: "guide/setup.md"}
	for dest, want := range map[string]string{
		"/privacy/":          "/legal/en-gb/privacy/",
		"/en/privacy/":       "/legal/en/privacy/",
		"/legal/en/privacy/": "/legal/en/privacy/",
		"install.md":         "/legal/en-gb/guide/install/",
		"../img/diagram.png": "/legal/en/img/diagram.png",
		"/img/logo.png":      "/legal/img/logo.png",
	} {
		got, err := r.Resolve(from, dest)
		if err != nil || got.URL != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", dest, got.URL, err, want)
		}
	}
}

func TestLooksLikeHost(t *testing.T) {
	for p, want := range map[string]bool{
		"support.google.com/accounts/answer/32050": true,
		"www.example.com":                          true,
		"www.example.com/":                         true,
		"example.co.uk/privacy":                    true,
		"readme.md":                                false,
		"diagram.png":                              false,
		"archive.zip":                              false,
		"policy.v2/":                               false,
		"guide/setup":                              false,
		"../example.com":                           false,
		"v1.2":                                     false,
		"a..b.com":                                 false,
	} {
		if got := LooksLikeHost(p); got != want {
			t.Errorf("LooksLikeHost(%q) = %v; want %v", p, got, want)
		}
	}
}
