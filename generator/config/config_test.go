package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheckTag(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // substring; "" means valid
	}{
		{"en", ""},
		{"en-GB", ""},
		{"zh-CN", ""},
		{"zh-Hans-CN", ""},
		{"uz-UZ", ""},
		{"pt-BR", ""},
		{"en-UK", `use "en-GB"`},
		{"en_GB", `use "en-GB"`},
		{"EN-gb", `use "en-GB"`},
		{"GB", "region code, not a language"},
		{"english", `use the language code "en"`},
		{"German", `use the language code "de"`},
		{"xx-YY", "unknown language"},
		{"en-ZZ", "not a country"},
		{"de-DE-1996", "only language[-Script][-REGION]"},
		{"", "not a BCP 47"},
	}
	for _, tt := range tests {
		_, err := CheckTag(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckTag(%q) = %v; want no error", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CheckTag(%q) = %v; want error containing %q", tt.in, err, tt.wantErr)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"unknown key", map[string]string{"site.toml": "baseURL = \"https://a.example/\"\ntitel = \"x\"\n"},
			[]string{"site.toml:2:", `unknown key "titel"`}},
		{"unknown nested key", map[string]string{"site.toml": "[[locales]]\ntag = \"en\"\nfallbak = [\"de\"]\n"},
			[]string{"site.toml:3:", `unknown key "locales.fallbak"`}},
		{"wrong type", map[string]string{"site.toml": "title = 3\n"},
			[]string{"site.toml:1:"}},
		{"bad tag", map[string]string{"site.toml": "[[locales]]\ntag = \"en-UK\"\n"},
			[]string{"site.toml:1:", `use "en-GB"`}},
		{"bad consent", map[string]string{"site.toml": "[[locales]]\ntag = \"en\"\nconsent = \"implied\"\n"},
			[]string{`consent "implied"`}},
		{"duplicate path", map[string]string{"site.toml": "[[locales]]\ntag = \"en\"\n[[locales]]\ntag = \"de\"\npath = \"en\"\n"},
			[]string{"share the URL path"}},
		{"bad baseURL", map[string]string{"site.toml": "baseURL = \"example.com\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"absolute http(s) URL"}},
		{"bad folder", map[string]string{"content/en_GB/a.md": "x", "content/english/b.md": "x"},
			[]string{"content/en_GB", `use "en-GB"`, "content/english", `"en"`}},
		{"no content", map[string]string{"README": "x"},
			[]string{"content"}},
		{"bad links.broken", map[string]string{"site.toml": "[links]\nbroken = \"ignore\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{`links.broken "ignore" must be "error" or "warn"`}},
		{"bad links.brokenFragments", map[string]string{"site.toml": "[links]\nbrokenFragments = \"throw\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{`links.brokenFragments "throw"`}},
		{"unknown links key", map[string]string{"site.toml": "[links]\nonBrokenLinks = \"throw\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:2:", `unknown key "links.onBrokenLinks"`}},
		{"unknown default", map[string]string{"site.toml": "defaultLocale = \"fr\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{`defaultLocale "fr"`}},
		{"unlisted folders", map[string]string{"site.toml": "[[locales]]\ntag = \"en\"\n", "content/en/a.md": "x", "content/en-UK/a.md": "x", "content/fr/a.md": "x"},
			[]string{"content/en-UK: folder is not a locale of site.toml", `use "en-GB"`, "content/fr: folder is not a locale of site.toml", `add [[locales]] tag = "fr"`}},
		{"bad brand colour", map[string]string{"site.toml": "[theme]\nlogo = \"a.svg\"\nbrandColor = \"blue\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:3: theme.brandColor", `"blue" is not a colour`}},
		{"dotted brand colour", map[string]string{"site.toml": "theme.brandColor = \"#12345\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:1: theme.brandColor"}},
		{"dark without light", map[string]string{"site.toml": "[theme]\nbrandColorDark = \"#fff\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:2: theme.brandColorDark needs theme.brandColor"}},
		{"logo outside assets", map[string]string{"site.toml": "[theme]\nlogo = \"../logo.svg\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:2: theme.logo", "below the site's assets/ folder"}},
		{"favicon not an image", map[string]string{"site.toml": "[theme]\nfavicon = \"icon.txt\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:2: theme.favicon", "not an image"}},
		{"unknown theme key", map[string]string{"site.toml": "[theme]\nlogoTxt = \"x\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"site.toml:2:", `unknown key "theme.logoTxt"`}},
		{"bad headingIDs", map[string]string{"site.toml": "[markdown]\nheadingIDs = \"gitlab\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"markdown.headingIDs", `"gitlab"`, `"github"`}},
		{"too many locales", manyLocales(MaxLocales + 1),
			[]string{"content: more than 1,000 locale folders"}},
		{"cookie attribute", map[string]string{"site.toml": "[consent]\ncookieName = \"ps; Domain=example.com\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{"consent.cookieName", `";" is not allowed`}},
		{"cookie equals", map[string]string{"site.toml": "[consent]\ncookieName = \"a=b\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{`"=" is not allowed`}},
		{"cookie space", map[string]string{"site.toml": "[consent]\ncookieName = \"my cookie\"\n[[locales]]\ntag = \"en\"\n"},
			[]string{`" " is not allowed`}},
		{"keep path", map[string]string{"site.toml": "[output]\nkeep = [\"a/b\", \"..\", \".policysite-manifest.json\"]\n[[locales]]\ntag = \"en\"\n"},
			[]string{`output.keep: "a/b"`, `output.keep: ".."`, `".policysite-manifest.json" is one of policysite's own`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeFiles(t, tt.files))
			if err == nil {
				t.Fatalf("Load = nil error; want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadListedFolders(t *testing.T) {
	// Hidden and underscore folders, and files, are not locales.
	dir := writeFiles(t, map[string]string{"site.toml": "[[locales]]\ntag = \"en\"\n", "content/en/a.md": "x",
		"content/.git/x": "x", "content/_shared/a.md": "x", "content/README.md": "x"})
	if _, err := Load(dir); err != nil {
		t.Errorf("Load: %v", err)
	}
}

// TestTheme checks the [theme] table, its short form theme = "name",
// and how colours and image paths are normalised.
func TestTheme(t *testing.T) {
	tests := []struct {
		toml string
		want Theme
	}{
		{`theme = "corporate"`, Theme{Name: "corporate"}},
		{"[theme]\nname = \"corporate\"\nbrandColor = \"#0A4\"", Theme{Name: "corporate", BrandColor: "#00aa44"}},
		{"[theme]\nlogo = \"assets/img/logo.svg\"\nfavicon = \"icon.PNG\"\ncopyright = \"Acme Ltd\"",
			Theme{Name: "default", Logo: "img/logo.svg", Favicon: "icon.PNG", Copyright: "Acme Ltd"}},
	}
	for _, tt := range tests {
		s, err := Load(writeFiles(t, map[string]string{"site.toml": tt.toml + "\n[[locales]]\ntag = \"en\"\n"}))
		if err != nil {
			t.Errorf("Load(%q): %v", tt.toml, err)
			continue
		}
		got := s.Theme
		got.lines = nil
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Load(%q).Theme = %+v; want %+v", tt.toml, got, tt.want)
		}
	}
}

// manyLocales returns a site of n locale folders, named with the
// private-use languages qaa … qtz in a few regions.
func manyLocales(n int) map[string]string {
	regions := []string{"GB", "DE", "FR", "US"}
	files := map[string]string{}
	for i := range n {
		lang := "q" + string(rune('a'+i/26%20)) + string(rune('a'+i%26))
		files["content/"+lang+"-"+regions[i/520]+"/a.md"] = "x"
	}
	return files
}

func TestLoadDefaults(t *testing.T) {
	dir := writeFiles(t, map[string]string{"content/fr/a.md": "x", "content/de-DE/a.md": "x", "content/en/a.md": "x"})
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.DefaultLocale != "en" || s.BaseURL != "http://localhost/" || s.Theme.Name != "default" {
		t.Errorf("defaults = %q %q %q", s.DefaultLocale, s.BaseURL, s.Theme.Name)
	}
	if s.Links.Broken != LinkError || s.Links.BrokenFragments != LinkWarn {
		t.Errorf("links defaults = %+v; want broken error, brokenFragments warn", s.Links)
	}
	var got []string
	for _, l := range s.Locales {
		got = append(got, l.Tag+"/"+l.Path+"/"+l.Consent)
	}
	want := "de-DE/de-de/opt-in en/en/opt-in fr/fr/opt-in"
	if strings.Join(got, " ") != want {
		t.Errorf("locales = %v; want %s", got, want)
	}

	dir = writeFiles(t, map[string]string{"content/fr/a.md": "x", "content/ja-JP/a.md": "x"})
	s, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.DefaultLocale != "fr" {
		t.Errorf("default without en = %q; want first sorted (fr)", s.DefaultLocale)
	}
	if l, _ := s.Locale("ja-JP"); l.Consent != ConsentNotice {
		t.Errorf("ja-JP consent = %q; want notice", l.Consent)
	}
}
