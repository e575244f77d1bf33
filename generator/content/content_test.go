package content

import (
	"strings"
	"testing"

	"policysite/generator/markdown"
)

func TestParse(t *testing.T) {
	md := markdown.New(markdown.Options{})
	tests := []struct {
		name    string
		src     string
		wantErr string // substring; "" means success
		check   func(t *testing.T, f *File)
	}{
		{"plain", "# Title\n\nText.\n", "", func(t *testing.T, f *File) {
			if f.Key != "privacy" || f.BodyLine != 1 {
				t.Errorf("key %q line %d", f.Key, f.BodyLine)
			}
		}},
		{"yaml", "---\ntitle: T\nlastmod: 2026-01-02\nweight: 3\n---\nBody\n", "", func(t *testing.T, f *File) {
			if f.Meta.Title != "T" || f.Meta.Weight != 3 || f.Meta.Lastmod.Format("2006-01-02") != "2026-01-02" || f.BodyLine != 6 {
				t.Errorf("meta %+v line %d", f.Meta, f.BodyLine)
			}
		}},
		{"toml", "+++\ntitle = \"T\"\nlastmod = 2026-01-02\nextends = true\n+++\nBody\n", "", func(t *testing.T, f *File) {
			if f.Meta.Title != "T" || f.Meta.Extends != "true" {
				t.Errorf("meta %+v", f.Meta)
			}
		}},
		{"bom and crlf", "\uFEFF---\r\ntitle: T\r\n---\r\n## A {#a}\r\n\r\nText\r\n", "", func(t *testing.T, f *File) {
			if f.Meta.Title != "T" || strings.Contains(string(f.Body), "\r") || len(f.Outline()) != 1 || f.Outline()[0].ID != "a" {
				t.Errorf("meta %+v body %q outline %+v", f.Meta, f.Body, f.Outline())
			}
		}},
		{"translation key", "---\ntranslationKey: data\nslug: daten\n---\nx\n", "", func(t *testing.T, f *File) {
			if f.Key != "data" || f.URLPath() != "daten" {
				t.Errorf("key %q path %q", f.Key, f.URLPath())
			}
		}},
		{"extends tag", "---\nextends: ru-RU\n---\nx\n", "", func(t *testing.T, f *File) {
			if f.Meta.Extends != "ru-RU" {
				t.Errorf("extends %q", f.Meta.Extends)
			}
		}},
		{"string date", "---\nlastmod: \"2026-05-06\"\n---\nx\n", "", nil},
		{"empty", "  \n\n", "file is empty", nil},
		{"nul", "# T\n\x00", "p.md:2: NUL byte at byte 4", nil},
		{"invalid utf8", "# T\nabc\xff\n", "p.md:2: invalid UTF-8 at byte 7", nil},
		{"unterminated yaml", "---\ntitle: T\n\nBody\n", `p.md:1: front matter: opened with "---" but never closed`, nil},
		{"unterminated toml", "+++\ntitle = 1\n", `p.md:1: front matter: opened with "+++"`, nil},
		// The opening line is not its own closing line.
		{"unterminated after blank lines", "\n\n---\ntitle: T\n\nBody\n", `p.md:3: front matter: opened with "---" but never closed`, nil},
		{"opening line only", "---", `p.md:1: front matter: opened with "---" but never closed`, nil},
		{"spaced delimiters", "\n --- \ntitle: T\n\t---\t\n---\n", "", func(t *testing.T, f *File) {
			if f.Meta.Title != "T" || string(f.Body) != "---\n" || f.BodyLine != 5 || string(f.Head) != "\n --- \ntitle: T\n\t---\t\n" {
				t.Errorf("meta %+v body %q line %d head %q", f.Meta, f.Body, f.BodyLine, f.Head)
			}
		}},
		{"yaml syntax", "---\ntitle: [a\n---\nx\n", "p.md:", nil},
		{"yaml wrong type", "---\ntitle: T\nweight: heavy\n---\nx\n", "p.md:3: front matter:", nil},
		{"yaml near miss", "---\ntitle: T\ntranslation_key: x\n---\nx\n", "p.md:3: front matter: unknown key translation_key; did you mean translationKey?", nil},
		{"toml wrong type", "+++\ntitle = \"T\"\nweight = \"x\"\n+++\nx\n", "p.md:3:", nil},
		{"toml near miss", "+++\ntitle = \"T\"\ndarft = true\n+++\nx\n", "p.md:3: front matter: unknown key darft; did you mean draft?", nil},
		{"bad date", "---\nlastmod: yesterday\n---\nx\n", "use YYYY-MM-DD", nil},
		{"bad slug", "---\nslug: a/../b\n---\nx\n", "p.md:2: front matter: slug \"a/../b\" must be a path of plain segments", nil},
		{"zero date", "---\ntitle: T\nlastmod: 0001-01-01\n---\nx\n", "front matter: lastmod: date 0001-01-01 is not a real date", nil},
		{"zero date toml", "+++\nlastmod = 0001-01-01\n+++\nx\n", "date 0001-01-01 is not a real date", nil},
		{"zero date string", "---\ndate: \"0001-01-01T00:00:00Z\"\n---\nx\n", "is not a real date", nil},
		{"params allowed", "---\nparams:\n  owner: legal\n---\nx\n", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("p.md", "en", "privacy.md", []byte(tt.src), md)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

func TestURLPath(t *testing.T) {
	for rel, want := range map[string]string{"privacy.md": "privacy", "_index.md": "", "legal/_index.md": "legal", "legal/imprint.md": "legal/imprint", "about/index.md": "about", "legal/index.md": "legal", "terms.markdown": "terms"} {
		f := &File{Rel: rel}
		if got := f.URLPath(); got != want {
			t.Errorf("URLPath(%s) = %q; want %q", rel, got, want)
		}
	}
}
