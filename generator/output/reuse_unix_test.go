//go:build unix

package output

import (
	"crypto/sha256"

	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReusePrevious checks which files of the previous build a new build
// shares by hard link: only regular, unshared files with equal bytes and
// the usual mode. Whatever is shared, the committed output holds the new
// build's bytes and no file is left linked to anything.
func TestReusePrevious(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	elsewhere := filepath.Join(parent, "elsewhere.html")
	if err := os.WriteFile(elsewhere, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	first, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"same.html", "changed.html", "mode.html", "linked.html", "deep/a/b/index.html"} {
		if err := first.WriteFile(name, []byte("same")); err != nil {
			t.Fatal(err)
		}
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	// What a person or another tool might have done to the output.
	if err := os.Chmod(filepath.Join(out, "mode.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(out, "linked.html"), filepath.Join(parent, "backup.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(out, "symlink.html")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, name := range []string{"same.html", "deep/a/b/index.html"} {
		if err := os.Chtimes(filepath.Join(out, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	ino := func(p string) uint64 {
		t.Helper()
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Sys().(*syscall.Stat_t).Ino
	}
	before := map[string]uint64{}
	for _, name := range []string{"same.html", "changed.html", "mode.html", "linked.html", "deep/a/b/index.html"} {
		before[name] = ino(filepath.Join(out, name))
	}

	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"same.html": "same", "changed.html": "new!", "mode.html": "same",
		"linked.html": "same", "symlink.html": "same", "deep/a/b/index.html": "same",
	}
	for name, data := range files {
		if err := s.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	shared := map[string]bool{"same.html": true, "deep/a/b/index.html": true}
	for name := range files {
		got := ino(filepath.Join(s.Dir(), name)) == before[name]
		if got != shared[name] {
			t.Errorf("%s: shared with the previous build = %t; want %t", name, got, shared[name])
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(out, name)
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Mode().IsRegular() || st.Sys().(*syscall.Stat_t).Nlink != 1 || st.Mode().Perm() != s.perm {
			t.Errorf("%s: mode %v, %d links; want a regular %v file with one link", name, st.Mode(), st.Sys().(*syscall.Stat_t).Nlink, s.perm)
		}
		if b, _ := os.ReadFile(p); string(b) != data {
			t.Errorf("%s = %q; want %q", name, b, data)
		}
		if shared[name] && !st.ModTime().Equal(old) {
			t.Errorf("%s: unchanged file's mtime = %v; want %v", name, st.ModTime(), old)
		}
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "same" {
		t.Errorf("the symlink's target was changed: %q", b)
	}
}

func TestEntries(t *testing.T) {
	s, err := Stage(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, name := range []string{"b/index.html", "a.txt", "b.css"} {
		if err := s.WriteFile(name, []byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, e := range s.Entries() {
		got = append(got, e.Name)
		if e.Size != int64(len(e.Name)) || e.SHA256 != sha256.Sum256([]byte(e.Name)) {
			t.Errorf("%s: size %d, digest %x; want the written bytes'", e.Name, e.Size, e.SHA256)
		}
	}
	if want := "a.txt b.css b/index.html"; strings.Join(got, " ") != want {
		t.Errorf("Entries = %v; want %s", got, want)
	}
	if !s.Has("b.css") || s.Has("b") {
		t.Error("Has does not follow what was written")
	}
}
