package render

import (
	"fmt"
	"html/template"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"policysite/generator/links"
)

// partialsFixture is a theme of one layout, "page", whose partials are
// given, with T bound to one locale per template set as in New.
type partialsFixture struct {
	cache *localePartials
	sets  map[string]*template.Template // locale → its templates
	runs  atomic.Int64                  // executions of any partial
}

func newPartialsFixture(t *testing.T, partials map[string]string, locales ...string) *partialsFixture {
	t.Helper()
	f := &partialsFixture{sets: map[string]*template.Template{}}
	site := template.FuncMap{"run": func() string { f.runs.Add(1); return "" }, "list": list}
	funcs := Funcs()
	maps.Copy(funcs, site)
	base := template.New("").Funcs(funcs)
	for name, text := range partials {
		template.Must(base.New(name).Parse(text))
	}
	f.cache = newLocalePartials(map[string]*template.Template{"page": base}, site)
	for _, tag := range locales {
		set := template.Must(base.Clone())
		set.Funcs(template.FuncMap{
			"T": func(key string, _ ...any) string { return tag + ":" + key },
			"partialLocale": func(name string, data any) (template.HTML, error) {
				switch d := data.(type) {
				case *Data:
					return f.cache.execute(set, "page", name, d)
				case *localeData:
					return f.cache.nested(set, "page", name, d)
				}
				return executePartial(set, name, data)
			},
		})
		f.sets[tag] = set
	}
	return f
}

// render returns partial name for d through the cache, how many times
// that executed a partial, and the output of executing it directly.
func (f *partialsFixture) render(t *testing.T, name string, d *Data) (cached template.HTML, runs int64, direct template.HTML) {
	t.Helper()
	set := f.sets[d.Lang]
	before := f.runs.Load()
	cached, err := f.cache.execute(set, "page", name, d)
	if err != nil {
		t.Fatalf("execute(%s, %s): %v", name, d.Title, err)
	}
	runs = f.runs.Load() - before
	if direct, err = executePartial(set, name, d); err != nil {
		t.Fatal(err)
	}
	return cached, runs, direct
}

// testPage returns the data of page n of locale tag in a site of the
// given locales, where locale i lacks page n if missing(i, n).
func testPage(tag string, n int, tags []string, missing func(i, n int) bool) *Data {
	d := &Data{
		Kind: "page", Lang: tag, Dir: "ltr", SiteName: "Site", Root: "/", Home: "/" + strings.ToLower(tag) + "/",
		Title:  fmt.Sprintf("Page %d", n),
		Locale: LocaleInfo{Tag: tag, Path: strings.ToLower(tag), LanguageName: "L" + tag, Label: "R – L" + tag},
		Menu:   []MenuItem{{Label: "Privacy", URL: "/" + tag + "/privacy/", Current: n == 0}},
		Year:   2026,
	}
	for i, o := range tags {
		u := fmt.Sprintf("/%s/page-%d/", strings.ToLower(o), n)
		if missing != nil && missing(i, n) {
			u = "/" + strings.ToLower(o) + "/"
		} else {
			d.Alternates = append(d.Alternates, links.Alternate{Hreflang: o, URL: "https://example.org" + u})
		}
		d.Switcher = append(d.Switcher, SwitchItem{Tag: o, Region: "R" + o, Language: "L" + o, LangDir: "ltr", URL: u, Current: o == tag})
	}
	return d
}

const (
	switcherPartial   = `{{run}}<nav aria-label="{{T "switcher"}}: {{.Locale.Label}}">{{range .Switcher}}<a href="{{.URL}}" hreflang="{{.Tag}}"{{if .Current}} aria-current="true"{{end}}>{{.Region}} {{.Language}}</a>{{end}}</nav>`
	alternatesPartial = `{{run}}{{range .Alternates}}<link rel="alternate" hreflang="{{.Hreflang}}" href="{{.URL}}">{{end}}`
)

func TestLocalePartialsReuse(t *testing.T) {
	tags := []string{"en", "de-DE", "fr-FR"}
	f := newPartialsFixture(t, map[string]string{"sw": switcherPartial}, tags...)
	for n := range 10 {
		cached, runs, direct := f.render(t, "sw", testPage("de-DE", n, tags, nil))
		if cached != direct {
			t.Fatalf("page %d: cached\n%s\nwant\n%s", n, cached, direct)
		}
		// The first page learns what the partial reads (the locale,
		// then the switcher), executing it directly and with
		// placeholders until its shape verifies; then it is reused.
		if n == 0 && runs != 4 {
			t.Errorf("page 0: partial executed %d times; want 4 (direct, neutral, locale, switcher)", runs)
		}
		if n >= 1 && runs != 0 {
			t.Errorf("page %d: partial executed %d times; want 0 (reused)", n, runs)
		}
		if want := fmt.Sprintf(`href="/de-de/page-%d/" hreflang="de-DE" aria-current="true"`, n); !strings.Contains(string(cached), want) {
			t.Errorf("page %d: no %s in\n%s", n, want, cached)
		}
	}
	// Once the partial is learnt, another shape (another locale's) is
	// executed directly on its first page, as without caching, and
	// verified on its second.
	for n, want := range []int64{1, 1, 0, 0} {
		cached, runs, direct := f.render(t, "sw", testPage("fr-FR", n, tags, nil))
		if cached != direct {
			t.Fatalf("fr-FR page %d: cached\n%s\nwant\n%s", n, cached, direct)
		}
		if runs != want {
			t.Errorf("fr-FR page %d: partial executed %d times; want %d", n, runs, want)
		}
	}
}

// TestLocalePartialsShapes checks that pages whose lists differ (a
// missing translation) get their own entry, and that a partial that
// reads neither the locale nor T is shared by every locale.
func TestLocalePartialsShapes(t *testing.T) {
	tags := []string{"en", "de-DE", "fr-FR"}
	missing := func(i, n int) bool { return n%3 == 1 && i == 2 }
	f := newPartialsFixture(t, map[string]string{"alt": alternatesPartial, "sw": switcherPartial}, tags...)
	for _, tag := range tags {
		for n := range 9 {
			for _, name := range []string{"alt", "sw"} {
				d := testPage(tag, n, tags, missing)
				if cached, _, direct := f.render(t, name, d); cached != direct {
					t.Fatalf("%s %s page %d: cached\n%s\nwant\n%s", name, tag, n, cached, direct)
				}
			}
		}
	}
	f.cache.mu.Lock()
	defer f.cache.mu.Unlock()
	alt, sw := f.cache.byKey[f.cache.key("page", "alt")], f.cache.byKey[f.cache.key("page", "sw")]
	if alt.disabled || len(alt.entries) != 2 {
		t.Errorf("alternates: disabled %v, %d entries; want 2 shapes shared by every locale", alt.disabled, len(alt.entries))
	}
	if sw.disabled || len(sw.entries) != len(tags) {
		t.Errorf("switcher: disabled %v, %d entries; want one per locale", sw.disabled, len(sw.entries))
	}
}

// TestLocalePartialsNested checks a partial that calls another with
// partialLocale, as the header calls the switcher: once the inner one is
// verified, verifying the outer one takes its output from the inner
// one's entry instead of executing it, and both are reused after that.
func TestLocalePartialsNested(t *testing.T) {
	tags := []string{"en", "de-DE", "fr-FR"}
	f := newPartialsFixture(t, map[string]string{
		"sw":     switcherPartial,
		"header": `{{run}}<header>{{T "menu"}}{{range .Menu}}<a href="{{.URL}}">{{.Label}}</a>{{end}}{{partialLocale "sw" .}}</header>`,
	}, tags...)
	var runs []int64
	for n := range 12 {
		// Page 0 has its own header shape (its menu entry is current).
		cached, r, direct := f.render(t, "header", testPage("de-DE", n, tags, nil))
		if cached != direct {
			t.Fatalf("page %d: cached\n%s\nwant\n%s", n, cached, direct)
		}
		runs = append(runs, r)
	}
	// Page 0 learns and verifies both partials. Page 1 has another
	// header shape (its menu entry is not current): the header is
	// executed, its switcher reused. Page 2 verifies that shape,
	// executing the header once with its switcher taken from the
	// switcher's entry, and nothing runs after that.
	if runs[1] != 1 || runs[2] != 1 || slices.ContainsFunc(runs[3:], func(r int64) bool { return r != 0 }) {
		t.Errorf("partial executions per page: %v; want 1 on pages 1 and 2, then 0", runs)
	}
	f.cache.mu.Lock()
	defer f.cache.mu.Unlock()
	for _, name := range []string{"sw", "header"} {
		if st := f.cache.byKey[f.cache.key("page", name)]; st.disabled {
			t.Errorf("%s disabled", name)
		}
	}
}

// TestLocalePartialsBrokenContract checks partials that do not depend on
// the locale and the URLs only: every page still gets exactly what
// executing the partial for it gives.
func TestLocalePartialsBrokenContract(t *testing.T) {
	tags := []string{"en", "de-DE", "fr-FR"}
	missing := func(i, n int) bool { return n == 5 && i == 1 }
	for _, tc := range []struct{ name, partial string }{
		{"per-page field", `{{range .Switcher}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}{{.Title}}`},
		{"per-page field in a branch", `{{range .Switcher}}<a href="{{.URL}}">{{.Tag}}</a>{{end}}{{if eq .Title "Page 7"}}seven{{end}}`},
		{"URL in a query", `{{range .Switcher}}<a href="/go?to={{.URL}}">{{.Tag}}</a>{{end}}`},
		{"URL in JavaScript", `{{range .Switcher}}<button onclick="go('{{.URL}}')">{{.Tag}}</button>{{end}}`},
		{"URL in CSS", `{{range .Switcher}}<p style="background: url('{{.URL}}')">{{.Tag}}</p>{{end}}`},
		{"URL compared", `{{range .Switcher}}<a href="{{.URL}}"{{if eq .URL $.Home}} class="home"{{end}}>{{.Tag}}</a>{{end}}`},
		{"URL measured", `{{range .Alternates}}{{len .URL}} {{end}}`},
		{"URL transformed", `{{range .Alternates}}{{printf "%.12s" .URL}} {{end}}`},
		{"whole data", `{{printf "%v" .}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newPartialsFixture(t, map[string]string{"p": tc.partial}, tags...)
			for _, tag := range tags {
				for n := range 8 {
					if cached, _, direct := f.render(t, "p", testPage(tag, n, tags, missing)); cached != direct {
						t.Fatalf("%s page %d: cached\n%s\nwant\n%s", tag, n, cached, direct)
					}
				}
			}
		})
	}
}

// TestLocalePartialsConcurrent renders pages of every locale on several
// goroutines at once (run with -race).
func TestLocalePartialsConcurrent(t *testing.T) {
	tags := []string{"en", "de-DE", "fr-FR", "it-IT"}
	missing := func(i, n int) bool { return n%4 == i }
	f := newPartialsFixture(t, map[string]string{"alt": alternatesPartial, "sw": switcherPartial}, tags...)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 16 {
				d := testPage(tags[(g+n)%len(tags)], n, tags, missing)
				for _, name := range []string{"alt", "sw"} {
					got, err := f.cache.execute(f.sets[d.Lang], "page", name, d)
					want, err2 := executePartial(f.sets[d.Lang], name, d)
					if err != nil || err2 != nil || got != want {
						t.Errorf("%s %s page %d: %q, %v; want %q, %v", name, d.Lang, n, got, err, want, err2)
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestPlainURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"/en-gb/privacy/", true},
		{"/legal/policies/de-de/page-0004/", true},
		{"https://example.org/legal/ja-jp/ok-slug_1.2~x/", true},
		{"https://example.org/de-de/datenschutz-%C3%BC/", true},
		{"http://localhost:1313/en/", true},
		{"/en/cookies/#change-consent", true},
		{"/de-de/datenschutz-ü/", false},
		{"/ja-jp/a&b/", false},
		{"/ja-jp/a+b/", false},
		{"/ja-jp/it's/", false},
		{"/ja-jp/a b/", false},
		{`/x"/`, false},
		{"/x</", false},
		{"/x?y=1", false},
		{"javascript:alert(1)", false},
		{"ftp://example.org/", false},
		{"mailto:x@example.org", false}, // "@" is not plain
	} {
		if got := plainURL(tc.url); got != tc.want {
			t.Errorf("plainURL(%q) = %v; want %v", tc.url, got, tc.want)
		}
	}
}

// TestPlainURLEscapers checks plainURL against html/template: a plain
// URL comes out of every context it allows unchanged.
func TestPlainURLEscapers(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<a href="{{.}}" title="{{.}}">{{.}}</a><a href={{.}}>x</a><img srcset="{{.}} 2x"><a href="/x/{{.}}">`))
	for _, u := range []string{"/en-gb/privacy/", "https://example.org/de-de/datenschutz-%C3%BC/#s-1", "http://localhost:1313/a_b.c~d/"} {
		if !plainURL(u) {
			t.Fatalf("plainURL(%q) = false", u)
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, u); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`<a href="%[1]s" title="%[1]s">%[1]s</a><a href=%[1]s>x</a><img srcset="%[1]s 2x"><a href="/x/%[1]s">`, u)
		if b.String() != want {
			t.Errorf("%q executes as\n%s\nwant\n%s", u, b.String(), want)
		}
	}
}

func TestSplitExpand(t *testing.T) {
	c := &localePartials{ph: placeholders{token: "psurl0123"}}
	d := &Data{
		Switcher:   []SwitchItem{{URL: "/a/"}, {URL: "/b/"}},
		Alternates: []links.Alternate{{URL: "https://x/a/"}},
	}
	out := "<p>" + c.placeholder('s', 1).token + "|" + c.placeholder('a', 0).token + "|psurl0123|psurl0123zx|psurl0123s|" + c.placeholder('s', 0).token + "</p>"
	var e shapeEntry
	e.split(out, c.ph)
	if got, want := string(e.expand(d)), "<p>/b/|https://x/a/|psurl0123|psurl0123zx|psurl0123s|/a/</p>"; got != want {
		t.Errorf("expand = %q; want %q", got, want)
	}
}

// TestShapeKeyCoversLocaleData checks that every value a partial can read
// through localeData, except the URLs it substitutes, changes the key:
// otherwise two pages that differ in it would share an output.
func TestShapeKeyCoversLocaleData(t *testing.T) {
	all := readsLocale | readsKind | readsConsent | readsMenu | readsFooter | readsLegal | readsSwitcher | readsAlternates
	base := func() *Data {
		d := testPage("de-DE", 1, []string{"en", "de-DE"}, nil)
		// Each list its own, so that changing one changes no other.
		menu := func() []MenuItem {
			return []MenuItem{{Label: "m", URL: "/m/", Children: []MenuItem{{Label: "c", URL: "/c/"}}}}
		}
		d.Menu, d.Footer, d.Legal = menu(), menu(), menu()
		d.Consent = ConsentData{Mode: "opt-in", Scripts: []ScriptRef{{Category: "analytics"}}}
		d.Theme = ThemeData{Logo: &AssetRef{URL: "/l.svg"}, LogoText: "L", Favicon: &AssetRef{URL: "/f.png"}, FaviconType: "image/png",
			BrandCSS: &AssetRef{URL: "/b.css"}, Copyright: "C"}
		return d
	}
	key0, ok := appendShapeKey(nil, base(), all)
	if !ok {
		t.Fatal("shapeKey: not plain")
	}
	ldType := reflect.TypeFor[*localeData]()
	for i := range ldType.NumMethod() {
		field := ldType.Method(i).Name
		if _, ok := reflect.TypeFor[Data]().FieldByName(field); !ok {
			t.Errorf("localeData.%s is not a field of Data", field)
			continue
		}
		// Change each value below the field in turn.
		for path, change := range leaves(reflect.ValueOf(base()).Elem().FieldByName(field), field) {
			d := base()
			change(reflect.ValueOf(d).Elem().FieldByName(field))
			key, ok := appendShapeKey(nil, d, all)
			substituted := strings.HasSuffix(path, ".URL") && (strings.HasPrefix(path, "Switcher") || strings.HasPrefix(path, "Alternates"))
			switch {
			case !ok:
				t.Errorf("%s: changed URL is not plain", path)
			case substituted && string(key) != string(key0):
				t.Errorf("%s changes the key; it is substituted", path)
			case !substituted && string(key) == string(key0):
				t.Errorf("%s does not change the key", path)
			}
		}
	}
	// The lists a partial sees have the fields of the page's lists.
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[SwitchItem](), reflect.TypeFor[localeSwitchItem]()},
		{reflect.TypeFor[links.Alternate](), reflect.TypeFor[localeAlternate]()},
	} {
		if a, b := fieldNames(pair[0]), fieldNames(pair[1]); a != b {
			t.Errorf("%v has fields %s; %v has %s", pair[1], b, pair[0], a)
		}
	}
}

// leaves returns a function for every string, int and bool below v (in
// the first element of slices) that changes it, keyed by its path.
func leaves(v reflect.Value, path string) map[string]func(reflect.Value) {
	out := map[string]func(reflect.Value){}
	switch v.Kind() {
	case reflect.String:
		out[path] = func(v reflect.Value) { v.SetString(v.String() + "x") }
	case reflect.Int:
		out[path] = func(v reflect.Value) { v.SetInt(v.Int() + 1) }
	case reflect.Bool:
		out[path] = func(v reflect.Value) { v.SetBool(!v.Bool()) }
	case reflect.Slice:
		if v.Len() == 0 {
			break
		}
		out[path+".len"] = func(v reflect.Value) { v.Set(v.Slice(0, v.Len()-1)) }
		for p, change := range leaves(v.Index(0), path+"[0]") {
			out[p] = func(v reflect.Value) { change(v.Index(0)) }
		}
	case reflect.Struct:
		for i := range v.NumField() {
			for p, change := range leaves(v.Field(i), path+"."+v.Type().Field(i).Name) {
				out[p] = func(v reflect.Value) { change(v.Field(i)) }
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			break
		}
		for p, change := range leaves(v.Elem(), path) {
			out[p] = func(v reflect.Value) { change(v.Elem()) }
		}
	default:
		panic("leaves: unexpected kind " + v.Kind().String())
	}
	return out
}

func fieldNames(t reflect.Type) string {
	var names []string
	for i := range t.NumField() {
		names = append(names, t.Field(i).Name)
	}
	return strings.Join(names, ",")
}
