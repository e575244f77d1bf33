package inherit

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/locale"
	"policysite/generator/markdown"
)

// resolveSite is a site with two languages, regional overrides that
// share a base, an override of an override, a fallback to another
// language and three broken overrides in three different keys.
func resolveSite(t *testing.T) (*locale.Set, *content.Tree, *markdown.Markdown) {
	t.Helper()
	cfg := config.Default("")
	cfg.DefaultLocale = "en"
	no := false
	for _, l := range []config.Locale{
		{Tag: "en"}, {Tag: "en-GB"}, {Tag: "en-US"},
		{Tag: "de", Publish: &no}, {Tag: "de-DE"}, {Tag: "de-AT", Fallback: []string{"de-DE"}},
		{Tag: "fr-FR"},
	} {
		l.Path = strings.ToLower(l.Tag)
		cfg.Locales = append(cfg.Locales, l)
	}
	locs, err := locale.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	md := markdown.New(markdown.Options{})
	files := map[string]string{
		"en/privacy.md":    baseDoc,
		"en-GB/privacy.md": "---\nextends: true\n---\n## Two (UK) {#two}\n\nUK two.\n",
		"en-US/privacy.md": "---\nextends: true\n---\n## US {#us after=\"one\"}\n\nUS only.\n",
		"de/privacy.md":    "Einleitung.\n\n## Eins {#one}\n\nEins.\n\n## Zwei {#two}\n\nZwei.\n",
		"de-DE/privacy.md": "---\nextends: true\n---\n## Eins (DE) {#one}\n\nDE eins.\n",
		"de-AT/privacy.md": "---\nextends: true\n---\n## Zwei (AT) {#two}\n\nAT zwei.\n",
		"en/cookies.md":    "## Cookies {#cookies}\n\nWe use cookies.\n",
		"de-DE/cookies.md": "---\nextends: true\n---\n## Nope {#nope}\n",
		"en-GB/terms.md":   "---\nextends: true\n---\n## Terms {#terms}\n",
		"en/imprint.md":    "## Address {#address}\n\nStreet.\n",
		"de/imprint.md":    "---\nextends: true\n---\n## X {#x after=\"nowhere\"}\n",
	}
	tree := &content.Tree{Files: map[string]map[string]*content.File{}}
	for _, l := range locs.All {
		tree.Files[l.Tag] = map[string]*content.File{}
	}
	for p, src := range files {
		tag, rel, _ := strings.Cut(p, "/")
		f, err := content.Parse("content/"+p, tag, rel, []byte(src), md)
		if err != nil {
			t.Fatal(err)
		}
		tree.Files[tag][f.Key] = f
	}
	return locs, tree, md
}

func TestResolve(t *testing.T) {
	locs, tree, md := resolveSite(t)
	_, err := Resolve(context.Background(), locs, tree, md)
	var got []string
	for _, e := range diag.Errors(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`content/de-DE/cookies.md:4: section #nope is not in the base`,
		`content/de/imprint.md:4: section #x is inserted after #nowhere`,
		`content/en-GB/terms.md:1: extends its base, but no locale in its fallback chain`,
	}
	if len(got) != len(want) {
		t.Fatalf("Resolve errors:\n%s\nwant %d errors", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("Resolve error %d = %q; want it to start with %q", i, got[i], want[i])
		}
	}

	// Without the broken files, every locale gets its pages.
	delete(tree.Files["de-DE"], "cookies")
	delete(tree.Files["en-GB"], "terms")
	delete(tree.Files["de"], "imprint")
	site, err := Resolve(context.Background(), locs, tree, md)
	if err != nil {
		t.Fatal(err)
	}
	// The site has no _index.md: every locale gets a generated home.
	if got, want := strings.Join(site.Keys, " "), "_index cookies imprint privacy"; got != want {
		t.Errorf("Keys = %q; want %q", got, want)
	}
	for tag, pages := range site.Pages {
		if h := pages[content.HomeKey]; h == nil || !h.Doc.File.Generated || h.Kind != Own {
			t.Errorf("locale %s: home %+v; want a generated home", tag, h)
		}
	}
	for _, c := range []struct {
		tag, key string
		kind     Kind
		source   string
		contains []string
	}{
		{"en", "privacy", Own, "en", []string{"Body two."}},
		{"en-GB", "privacy", Own, "en-GB", []string{"Body one.", "UK two.", "Body three."}},
		{"en-US", "privacy", Own, "en-US", []string{"Body one.", "US only.", "Body two."}},
		{"de-DE", "privacy", Own, "de-DE", []string{"Einleitung.", "DE eins.", "Zwei."}},
		{"de-AT", "privacy", Own, "de-AT", []string{"Einleitung.", "DE eins.", "AT zwei."}},
		{"fr-FR", "privacy", Fallback, "en", []string{"Body one."}},
		{"en-GB", "cookies", Inherited, "en", []string{"We use cookies."}},
		{"de-AT", "imprint", Fallback, "en", []string{"Street."}},
	} {
		p := site.Pages[c.tag][c.key]
		if p == nil {
			t.Errorf("%s has no page %q", c.tag, c.key)
			continue
		}
		if p.Kind != c.kind || p.Source.Tag != c.source {
			t.Errorf("%s/%s: kind %v from %s; want %v from %s", c.tag, c.key, p.Kind, p.Source.Tag, c.kind, c.source)
		}
		for _, s := range c.contains {
			if !strings.Contains(string(p.Doc.Body), s) {
				t.Errorf("%s/%s lacks %q:\n%s", c.tag, c.key, s, p.Doc.Body)
			}
		}
	}
	if _, ok := site.Pages["de"]; ok {
		t.Error("the unpublished locale de has pages")
	}
	// Locales that inherit one document share it.
	if site.Pages["en"]["cookies"].Doc != site.Pages["en-GB"]["cookies"].Doc {
		t.Error("en and en-GB show the same cookies.md through two documents")
	}
}

// TestResolveDeterministic resolves the same site on one and on several
// cores and requires the same pages and the same errors each time.
func TestResolveDeterministic(t *testing.T) {
	locs, tree, md := resolveSite(t)
	summary := func() string {
		site, err := Resolve(context.Background(), locs, tree, md)
		var b strings.Builder
		if err != nil {
			b.WriteString(err.Error())
		}
		if site != nil {
			for _, l := range locs.Published() {
				for _, key := range site.Keys {
					if p := site.Pages[l.Tag][key]; p != nil {
						b.WriteString("\n" + l.Tag + "/" + key + " " + p.Kind.String() + " " + p.Source.Tag + "\n")
						b.Write(p.Doc.Body)
					}
				}
			}
		}
		return b.String()
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	want := summary()
	for _, procs := range []int{2, 4, 8} {
		runtime.GOMAXPROCS(procs)
		for range 10 {
			if got := summary(); got != want {
				t.Fatalf("GOMAXPROCS=%d: Resolve gives\n%s\nwant (GOMAXPROCS=1)\n%s", procs, got, want)
			}
		}
	}
	// The same without errors.
	delete(tree.Files["de-DE"], "cookies")
	delete(tree.Files["en-GB"], "terms")
	delete(tree.Files["de"], "imprint")
	runtime.GOMAXPROCS(1)
	want = summary()
	runtime.GOMAXPROCS(4)
	for range 10 {
		if got := summary(); got != want {
			t.Fatalf("GOMAXPROCS=4: Resolve gives\n%s\nwant (GOMAXPROCS=1)\n%s", got, want)
		}
	}
}

func TestResolveCancelled(t *testing.T) {
	locs, tree, md := resolveSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if site, err := Resolve(ctx, locs, tree, md); err != context.Canceled || site != nil {
		t.Errorf("Resolve(cancelled) = %v, %v; want nil, context.Canceled", site, err)
	}
}
