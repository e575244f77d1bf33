package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator/diag"
	"policysite/generator/markdown"
)

// TestLoadWarnsMDX reports every .mdx file, which is not read, once.
func TestLoadWarnsMDX(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"en/page.md": "# Page\n", "en/intro.mdx": "import X from 'x'\n\n# Intro\n", "en/sub/more.mdx": "# More\n"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ws diag.Warnings
	tree, err := Load(context.Background(), Options{Dir: dir, Locales: []string{"en"}, Markdown: markdown.New(markdown.Options{}), Warnings: &ws})
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Files["en"]) != 1 {
		t.Errorf("loaded %d files; want the one .md", len(tree.Files["en"]))
	}
	var got []string
	for _, w := range ws.All() {
		if w.Kind == "MDX file not read" {
			got = append(got, filepath.ToSlash(strings.TrimPrefix(w.File, dir)))
		}
	}
	if strings.Join(got, " ") != "/en/intro.mdx /en/sub/more.mdx" {
		t.Errorf("MDX warnings for %q; want /en/intro.mdx and /en/sub/more.mdx", got)
	}
}
