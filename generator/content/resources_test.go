package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator/markdown"
)

func writeTree(t *testing.T, files map[string]string) string {
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
	return filepath.Join(dir, "content")
}

func TestLoadResources(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"content/en/privacy.md":              "# Privacy\n",
		"content/en/img/diagram.png":         "PNG",
		"content/en/blog/post/index.md":      "# Post\n",
		"content/en/blog/post/cover.jpg":     "JPG",
		"content/en/notes.mdx":               "# Not copied\n",
		"content/en/draft.markdown":          "# Not copied\n",
		"content/en/.hidden.png":             "PNG",
		"content/en/img/backup.png~":         "PNG",
		"content/de-DE/img/diagram.png":      "PNG",
		"content/de-DE/datenschutz.md":       "# Datenschutz\n",
		"content/de-DE/files/richtlinie.pdf": "PDF",
	})
	tree, err := Load(context.Background(), Options{Dir: dir, Locales: []string{"en", "de-DE"}, Markdown: markdown.New(markdown.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"en":    {"blog/post/cover.jpg", "img/diagram.png"},
		"de-DE": {"files/richtlinie.pdf", "img/diagram.png"},
	}
	for tag, rels := range want {
		if len(tree.Resources[tag]) != len(rels) {
			t.Errorf("Resources[%s] = %v; want %v", tag, tree.Resources[tag], rels)
		}
		for _, rel := range rels {
			if p := tree.Resources[tag][rel]; !strings.HasSuffix(filepath.ToSlash(p), tag+"/"+rel) {
				t.Errorf("Resources[%s][%s] = %q", tag, rel, p)
			}
		}
	}
	if f := tree.Get("en", "blog/post"); f == nil || f.URLPath() != "blog/post" {
		t.Errorf("page bundle blog/post/index.md: %+v; want URL path blog/post", f)
	}
}

func TestKeyOf(t *testing.T) {
	for rel, want := range map[string]string{"privacy.md": "privacy", "_index.md": "_index", "legal/_index.md": "legal/_index",
		"about/index.md": "about", "index.md": "_index", "a/b/index.md": "a/b", "reindex.md": "reindex", "a/xindex.md": "a/xindex"} {
		if got := KeyOf(rel); got != want {
			t.Errorf("KeyOf(%q) = %q; want %q", rel, got, want)
		}
	}
}

func TestLoadSameURL(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"content/en/about/_index.md": "# About\n",
		"content/en/about/index.md":  "# About us\n",
	})
	_, err := Load(context.Background(), Options{Dir: dir, Locales: []string{"en"}, Markdown: markdown.New(markdown.Options{})})
	if err == nil || !strings.Contains(err.Error(), "index.md:1: page has the same URL as") || !strings.Contains(err.Error(), "(/about/)") {
		t.Errorf("Load = %v; want an error naming both files and /about/", err)
	}
}
