package scaffold

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

// TestLanguagesComplete checks that every language's skeleton text has
// exactly the keys of English, none empty.
func TestLanguagesComplete(t *testing.T) {
	en := readLang(t, "en")
	langs := languages()
	if len(langs) < 17 {
		t.Errorf("languages() = %v; want the example's 17", langs)
	}
	for _, l := range langs {
		s := readLang(t, l)
		for k := range en {
			if strings.TrimSpace(s[k]) == "" {
				t.Errorf("lang/%s.toml: %s missing or empty", l, k)
			}
		}
		for k := range s {
			if _, ok := en[k]; !ok {
				t.Errorf("lang/%s.toml: %s is not a key of lang/en.toml", l, k)
			}
		}
		if l != "en" && s["privacy.collect-use"] == en["privacy.collect-use"] {
			t.Errorf("lang/%s.toml: headings are English", l)
		}
	}
}

func readLang(t *testing.T, l string) map[string]string {
	t.Helper()
	data, err := files.ReadFile("lang/" + l + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := readStrings(data)
	if err != nil {
		t.Fatalf("lang/%s.toml: %v", l, err)
	}
	return s
}

func TestBaseOf(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "en-GB": "en", "de-DE": "de", "zh-CN": "zh", "zh-Hans-CN": "zh", "zh-TW": "zh-Hant",
		"zh-Hant": "zh-Hant", "uz-UZ": "uz", "sr-Latn-RS": "sr-Latn", "sr-RS": "sr", "pt-BR": "pt", "ar-EG": "ar",
	} {
		if got := baseOf(in); got != want {
			t.Errorf("baseOf(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestPlan(t *testing.T) {
	tests := []struct {
		tags              []string
		def               string
		bases, contentDir []string
	}{
		{[]string{"en"}, "en", nil, []string{"en"}},
		{[]string{"en-GB", "en-US"}, "en-GB", []string{"en"}, []string{"en"}},
		{[]string{"de-DE", "en", "ja-JP"}, "en", []string{"de", "ja"}, []string{"de", "en", "ja"}},
		{[]string{"zh-CN", "zh-TW"}, "zh-CN", []string{"zh", "zh-Hant"}, []string{"zh", "zh-Hant"}},
	}
	for _, tt := range tests {
		p, err := newPlan(tt.tags)
		if err != nil {
			t.Errorf("newPlan(%q): %v", tt.tags, err)
			continue
		}
		if p.defaultTag != tt.def || !slices.Equal(p.bases, tt.bases) || !slices.Equal(p.contentBases(), tt.contentDir) {
			t.Errorf("newPlan(%q) = default %s, bases %q, content %q; want %s, %q, %q", tt.tags, p.defaultTag, p.bases, p.contentBases(), tt.def, tt.bases, tt.contentDir)
		}
	}
}

func TestPagePath(t *testing.T) {
	for in, want := range map[string]string{"accessibility": "accessibility", "legal/imprint.md": "legal/imprint", "a-b2": "a-b2"} {
		if got, err := pagePath(in); err != nil || got != want {
			t.Errorf("pagePath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "/abs", "../x", "a//b", "_index", ".hidden", "Imprint", "content/en/x", "a b", "ü"} {
		if got, err := pagePath(in); err == nil {
			t.Errorf("pagePath(%q) = %q; want an error", in, got)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	for _, tt := range []struct{ label, sep, text, want string }{
		{"Placeholder", ": ", "Replace.", "**Placeholder:** Replace."},
		{"Texte provisoire", "\u00a0: ", "Remplacez.", "**Texte provisoire\u00a0:** Remplacez."},
		{"占位文本", "：", "请替换。", "**占位文本**：请替换。"},
	} {
		if got := placeholder(tt.label, tt.sep, tt.text); got != tt.want {
			t.Errorf("placeholder(%q, %q, %q) = %q; want %q", tt.label, tt.sep, tt.text, got, tt.want)
		}
	}
}

// TestSiteGolden compares a new site's files with testdata/golden.
// Regenerate with: go test ./generator/scaffold -update
func TestSiteGolden(t *testing.T) {
	dir := t.TempDir()
	written, err := Site(Options{Dir: dir, Locales: []string{"en", "de-DE", "pl-PL"}, Name: `Acme "Legal" \ Co`, Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(golden, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	err = filepath.WalkDir(golden, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(golden, p)
			want[filepath.ToSlash(rel)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(want)); !slices.Equal(got, written) {
		t.Errorf("Site wrote %q; golden has %q", written, got)
	}
	for _, name := range written {
		got, _ := os.ReadFile(filepath.Join(dir, name))
		exp, _ := os.ReadFile(filepath.Join(golden, name))
		if string(got) != string(exp) {
			t.Errorf("%s differs from the golden file (run with -update and review the diff):\n%s", name, got)
		}
	}
}

func TestSiteRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Site(Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "is not empty (it holds notes.txt)") {
		t.Errorf("Site in a non-empty folder: %v; want a refusal naming notes.txt", err)
	}
	if _, err := Site(Options{Dir: dir, Force: true}); err != nil {
		t.Errorf("Site with Force: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(data) != "mine" {
		t.Errorf("notes.txt = %q after Force; want it untouched", data)
	}
	if _, err := Site(Options{Dir: t.TempDir(), Name: "two\nlines"}); err == nil {
		t.Error("Site with a two-line name: no error")
	}
}
