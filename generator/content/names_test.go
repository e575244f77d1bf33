package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator/markdown"
)

func TestCheckNames(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // path below content/en → front matter title or slug line
		want  []string          // substrings of the error; none: no error
	}{
		{"nfc and nfd", map[string]string{"caf\u00e9.md": "", "cafe\u0301.md": ""},
			[]string{"content/en/caf\u00e9.md: its name (NFC) and that of", "cafe\u0301.md (NFD) differ only in Unicode normalization"}},
		{"case", map[string]string{"Privacy.md": "", "privacy.md": ""},
			[]string{"content/en/privacy.md: its URL \"privacy\" differs from that of", "Privacy.md only in letter case"}},
		{"case by slug", map[string]string{"a.md": "slug: Terms\n", "terms.md": ""},
			[]string{"only in letter case"}},
		{"case in a folder", map[string]string{"Legal/imprint.md": "", "legal/imprint.md": ""},
			[]string{"only in letter case"}},
		{"control character in a slug", map[string]string{"a.md": "slug: \"a\\tb\"\n"},
			[]string{"content/en/a.md: the page's name or slug", "U+0009"}},
		{"control character in a name", map[string]string{"a\u0085b.md": ""},
			[]string{"U+0085"}},
		{"different pages", map[string]string{"caf\u00e9.md": "", "cafe.md": "", "privacy.md": "", "privacy-policy.md": ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "content")
			for name, front := range tt.files {
				p := filepath.Join(dir, "en", filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("---\ntitle: T\n"+front+"---\nText.\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(context.Background(), Options{Dir: dir, Locales: []string{"en"}, Markdown: markdown.New(markdown.Options{})})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Load = %v; want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load = nil; want %q", tt.want)
			}
			msg := filepath.ToSlash(err.Error())
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("Load error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
