package i18n

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// catalog returns a catalog with the given site and theme strings.
func catalog(site, theme Table) *Catalog {
	c := &Catalog{site: site, theme: Table{}, dir: "i18n", files: map[string]string{}}
	for tag := range site {
		c.files[tag] = filepath.Join("i18n", tag+".toml")
	}
	return c.WithTheme(theme)
}

func TestLookupOrder(t *testing.T) {
	site := Table{
		"en":    {"title": "site en", "only_site_en": "site en only", "brand": "Acme"},
		"de":    {"title": "site de"},
		"de-AT": {"greeting": "Servus"},
		"zh":    {"title": "site zh"},
		"ru":    {"ru_only": "site ru"},
	}
	theme := Table{
		"en":      {"title": "theme en", "greeting": "Hello", "accept": "Accept all", "only_theme_en": "theme en only"},
		"de":      {"greeting": "Hallo", "accept": "Alle akzeptieren"},
		"zh-Hans": {"accept": "全部接受"},
		"uz-Latn": {"accept": "Barchasini qabul qilish"},
		"pt":      {"accept": "Aceitar todos"},
		"pt-PT":   {"accept": "Aceitar todos (PT)"},
	}
	c := catalog(site, theme)
	tests := []struct {
		chain []string
		key   string
		want  string
		match Match
		from  string
	}{
		// The site's own language wins over everything.
		{[]string{"de-DE", "en"}, "title", "site de", Native, "de"},
		// A key the site lacks in German comes from the theme's German,
		// not from the site's English.
		{[]string{"de-DE", "en"}, "accept", "Alle akzeptieren", Native, "de"},
		// de-AT: its own file, then the chain's language.
		{[]string{"de-AT", "de-DE", "en"}, "greeting", "Servus", Native, "de-AT"},
		{[]string{"de-AT", "de-DE", "en"}, "accept", "Alle akzeptieren", Native, "de"},
		// Only in English: a fallback, the site's English before the
		// theme's.
		{[]string{"de-DE", "en"}, "only_site_en", "site en only", Fallback, "en"},
		{[]string{"de-DE", "en"}, "only_theme_en", "theme en only", Fallback, "en"},
		// English is the last resort even when the chain does not end
		// with it.
		{[]string{"ja-JP"}, "accept", "Accept all", Fallback, "en"},
		// A chain across languages: uz-UZ falls back to ru-UZ, whose
		// language serves before English.
		{[]string{"uz-UZ", "ru-UZ", "en"}, "accept", "Barchasini qabul qilish", Native, "uz-Latn"},
		{[]string{"uz-UZ", "ru-UZ", "en"}, "ru_only", "site ru", Fallback, "ru"},
		// Scripts: zh.toml and zh-Hans.toml serve zh-CN, not zh-TW.
		{[]string{"zh-CN", "en"}, "title", "site zh", Native, "zh"},
		{[]string{"zh-CN", "en"}, "accept", "全部接受", Native, "zh-Hans"},
		{[]string{"zh-TW", "en"}, "accept", "Accept all", Fallback, "en"},
		{[]string{"zh-TW", "en"}, "title", "site en", Fallback, "en"},
		// A region's file before the language's.
		{[]string{"pt-PT", "en"}, "accept", "Aceitar todos (PT)", Native, "pt-PT"},
		{[]string{"pt-BR", "en"}, "accept", "Aceitar todos", Native, "pt"},
		// English locales: the site's English, then the theme's.
		{[]string{"en-GB", "en"}, "title", "site en", Native, "en"},
		{[]string{"en-GB", "en"}, "greeting", "Hello", Native, "en"},
		{[]string{"en"}, "missing", "", None, ""},
		{[]string{"de-DE", "en"}, "missing", "", None, ""},
	}
	for _, tt := range tests {
		v, m, from := c.Lookup(tt.chain, tt.key)
		if v != tt.want || m != tt.match || from != tt.from {
			t.Errorf("Lookup(%q, %q) = %q, %v, %q; want %q, %v, %q", tt.chain, tt.key, v, m, from, tt.want, tt.match, tt.from)
		}
	}
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		tag  string
		want []string
	}{
		{"de-AT", []string{"de-AT", "de-Latn-AT", "de-Latn", "de"}},
		{"de", []string{"de", "de-Latn"}},
		{"zh-CN", []string{"zh-CN", "zh-Hans-CN", "zh-Hans", "zh"}},
		{"zh-TW", []string{"zh-TW", "zh-Hant-TW", "zh-Hant"}},
		{"uz-UZ", []string{"uz-UZ", "uz-Latn-UZ", "uz-Latn", "uz"}},
		{"sr-Latn-RS", []string{"sr-Latn-RS", "sr-Latn"}},
		{"he-IL", []string{"he-IL", "he-Hebr-IL", "he-Hebr", "he"}},
	}
	for _, tt := range tests {
		if got := Candidates(tt.tag); !slices.Equal(got, tt.want) {
			t.Errorf("Candidates(%q) = %q; want %q", tt.tag, got, tt.want)
		}
	}
}

func TestGapsAndSiteFile(t *testing.T) {
	c := catalog(Table{"de": {"nav_about": "Über uns"}}, Table{
		"en": {"accept": "Accept all", "back": "Back to top"},
		"de": {"accept": "Alle akzeptieren"},
	})
	gaps := c.Gaps([]string{"de-DE", "en"}, []string{"accept", "back", "nav_about", "nav_news"})
	want := []Gap{
		{Locale: "de-DE", Key: "back", From: "en", Shown: "Back to top"},
		{Locale: "de-DE", Key: "nav_news", Shown: "nav_news"},
	}
	if !slices.Equal(gaps, want) {
		t.Errorf("Gaps = %+v; want %+v", gaps, want)
	}
	for _, tt := range []struct {
		chain []string
		want  string
	}{
		{[]string{"de-DE", "en"}, filepath.Join("i18n", "de.toml")},
		{[]string{"sw-KE", "en"}, filepath.Join("i18n", "sw.toml")},
		{[]string{"zh-TW", "en"}, filepath.Join("i18n", "zh-Hant.toml")},
		{[]string{"en"}, filepath.Join("i18n", "en.toml")},
		{[]string{"sr-Latn-RS", "en"}, filepath.Join("i18n", "sr-Latn.toml")},
	} {
		if got := c.SiteFile(tt.chain); got != tt.want {
			t.Errorf("SiteFile(%q) = %q; want %q", tt.chain, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("de.toml", "\uFEFF[nav]\nabout = \"Über uns\"\n")
	write("en_GB.toml", "x = \"y\"\n")
	write("fr.toml", "a = \"b\"\ncount = 3\n")
	_, err := Load(context.Background(), dir)
	if err == nil {
		t.Fatal("Load: no error for a misnamed file and a number")
	}
	for _, want := range []string{"en_GB.toml: file name is not a locale tag", "fr.toml:2: count: value must be a string"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %q lacks %q", err, want)
		}
	}
	os.Remove(filepath.Join(dir, "en_GB.toml"))
	os.Remove(filepath.Join(dir, "fr.toml"))
	c, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, m, _ := c.Lookup([]string{"de-DE"}, "nav.about"); v != "Über uns" || m != Native {
		t.Errorf("nested key: %q, %v", v, m)
	}
	if c, err := Load(context.Background(), filepath.Join(dir, "absent")); err != nil || len(c.Tags()) != 0 {
		t.Errorf("Load(missing folder) = %v, %v; want an empty catalog", c.Tags(), err)
	}
}

func TestFormat(t *testing.T) {
	if got := Format("© {year} {holder}.", "year", 2026, "holder", "Acme"); got != "© 2026 Acme." {
		t.Errorf("Format = %q", got)
	}
	for _, tc := range []struct{ s, holder, want string }{
		{"© {year} {holder}. All rights reserved.", "Acme Inc.", "© 2026 Acme Inc. All rights reserved."},
		{"© {year} {holder}. All rights reserved.", "Acme", "© 2026 Acme. All rights reserved."},
		{"{holder} ({holder}.)", "A.", "A. (A.)"},
		{"{holder}, {holder}", "A.", "A., A."},
	} {
		if got := Format(tc.s, "year", 2026, "holder", tc.holder); got != tc.want {
			t.Errorf("Format(%q, holder %q) = %q, want %q", tc.s, tc.holder, got, tc.want)
		}
	}
	if got := Format("{date}"); got != "{date}" {
		t.Errorf("Format without args = %q", got)
	}
}

// TestReadFileLimit refuses a strings file over MaxFileSize with a
// message naming the file and the limit, and reads one just under it.
func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	// A file of exactly MaxFileSize bytes, mostly a comment, which
	// decodes quickly even under the race detector.
	var b strings.Builder
	b.WriteString("key = \"value\"\n#")
	b.WriteString(strings.Repeat("x", MaxFileSize-b.Len()-1) + "\n")
	under := filepath.Join(dir, "en.toml")
	if err := os.WriteFile(under, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if table, err := ReadFile(under); err != nil || len(table) == 0 {
		t.Fatalf("ReadFile(%d bytes) = %d strings, %v", b.Len(), len(table), err)
	}
	over := filepath.Join(dir, "de.toml")
	if err := os.WriteFile(over, []byte(b.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(over)
	if err == nil || !strings.Contains(err.Error(), over) || !strings.Contains(err.Error(), "limited to 256 KB") {
		t.Errorf("ReadFile(over the limit) = %v; want an error naming the file and the limit", err)
	}
}
