package output

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzPath writes files under arbitrary names. A name is either refused
// or written inside the staged folder; nothing outside it is created
// or changed, whatever the name holds ("..", "\", absolute paths, NUL).
func FuzzPath(f *testing.F) {
	for _, s := range []string{
		"index.html", "de-de/privacy/index.html", "../escape", "a/../../b",
		"/etc/passwd", `..\x`, "a\\b", "a/./b", "a//b", "", ".", "a\x00b",
		"%2e%2e/x", "assets/css/site.1a2b3c4d5e.css", "...", "a/", "C:/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		parent := t.TempDir()
		sentinel := filepath.Join(parent, "keep.txt")
		if err := os.WriteFile(sentinel, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Begin(context.Background(), filepath.Join(parent, "public"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		werr := s.WriteFile(name, []byte("x"))
		if werr == nil && (!fs.ValidPath(name) || strings.Contains(name, `\`)) {
			t.Fatalf("WriteFile(%q) accepted a name that is not a clean relative path", name)
		}
		// Everything in parent must be the sentinel or below the stage.
		err = filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == parent || p == sentinel || p == lockName(filepath.Join(parent, "public")) {
				return err
			}
			if r, _ := filepath.Rel(s.tmp, p); r == ".." || strings.HasPrefix(r, "../") {
				t.Fatalf("WriteFile(%q) created %s outside the staged folder", name, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if werr == nil {
			if data, err := os.ReadFile(filepath.Join(s.tmp, filepath.FromSlash(name))); err != nil || string(data) != "x" {
				t.Fatalf("WriteFile(%q) succeeded but the file is not in the staged folder: %v", name, err)
			}
		}
		if err := s.Abort(); err != nil {
			t.Fatal(err)
		}
		if data, err := os.ReadFile(sentinel); err != nil || string(data) != "keep" {
			t.Fatalf("sentinel changed: %q, %v", data, err)
		}
	})
}
