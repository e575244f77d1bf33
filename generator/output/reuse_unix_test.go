//go:build unix

package output

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	st, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Ino
}

// tree lists the regular files below dir with their contents and fails
// on anything else but folders.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !d.Type().IsRegular() {
			t.Errorf("%s: %v in the output", rel, d.Type())
			return nil
		}
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestReusePrevious checks which files of the previous build a new build
// shares by hard link: only regular files with equal bytes, the usual
// mode and no links from elsewhere.
func TestReusePrevious(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	elsewhere := filepath.Join(parent, "elsewhere.html")
	if err := os.WriteFile(elsewhere, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	names := []string{"same.html", "changed.html", "mode.html", "linked.html", "deep/a/b/index.html"}
	first := map[string]string{}
	for _, n := range names {
		first[n] = "same"
	}
	if err := stage(t, out, first).Commit(); err != nil {
		t.Fatal(err)
	}
	// What a person or another tool might have done to the output.
	if err := os.Chmod(filepath.Join(out, "mode.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"backup1.html", "backup2.html"} {
		if err := os.Link(filepath.Join(out, "linked.html"), filepath.Join(parent, b)); err != nil {
			t.Fatal(err)
		}
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
	before := map[string]uint64{}
	for _, n := range names {
		before[n] = inode(t, filepath.Join(out, n))
	}
	files := map[string]string{
		"same.html": "same", "changed.html": "new!", "mode.html": "same",
		"linked.html": "same", "symlink.html": "same", "deep/a/b/index.html": "same",
	}
	s := stage(t, out, files)
	if s.recycled {
		t.Fatal("the second build recycled a spare; none should exist yet")
	}
	shared := map[string]bool{"same.html": true, "deep/a/b/index.html": true}
	for name := range files {
		if got := inode(t, filepath.Join(s.Dir(), name)) == before[name]; got != shared[name] {
			t.Errorf("%s: shared with the previous build = %t; want %t", name, got, shared[name])
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, files) {
		t.Errorf("output = %v; want %v", got, files)
	}
	for name := range shared {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || !st.ModTime().Equal(old) {
			t.Errorf("%s: unchanged file's mtime = %v, %v; want %v", name, st.ModTime(), err, old)
		}
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "same" {
		t.Errorf("the symlink's target was changed: %q", b)
	}
}

// TestRecycleSpare checks that a build written into the spare left by
// the build before last holds exactly its own files, keeps unchanged
// files as they are, and follows no symbolic link planted in the spare.
func TestRecycleSpare(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	outside := filepath.Join(parent, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	v1 := map[string]string{"same.html": "same", "changed.html": "one", "gone.html": "x", "a/index.html": "a", "dir/index.html": "d"}
	v2 := map[string]string{"same.html": "same", "changed.html": "two", "a/index.html": "a", "file/index.html": "f"}
	for _, files := range []map[string]string{v1, v2} {
		if err := stage(t, out, files).Commit(); err != nil {
			t.Fatal(err)
		}
	}
	spare := filepath.Join(parent, ".policysite-spare-public")
	if got := tree(t, spare); !maps.Equal(got, v1) {
		t.Fatalf("spare = %v; want the build before last, %v", got, v1)
	}
	// Things the next build must not trust or keep.
	if err := os.Symlink(outside, filepath.Join(spare, "evil")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spare, "stray.html"), []byte("stray"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(spare, "page.html"), 0o755); err != nil {
		t.Fatal(err)
	}
	keptIno := inode(t, filepath.Join(out, "same.html"))
	v3 := map[string]string{"same.html": "same", "changed.html": "one", "a/index.html": "a", "dir": "now a file", "evil/x.html": "e", "page.html": "p"}
	s := stage(t, out, v3)
	if !s.recycled {
		t.Fatal("the third build did not recycle the spare")
	}
	if inode(t, filepath.Join(s.Dir(), "same.html")) != keptIno {
		t.Error("an unchanged file was replaced instead of kept")
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, v3) {
		t.Errorf("output = %v; want %v", got, v3)
	}
	if st, err := os.Lstat(filepath.Join(out, "evil")); err != nil || !st.IsDir() {
		t.Errorf("evil/ in the output is %v, %v; want a real folder", st.Mode(), err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("the build wrote through a symbolic link into %s", outside)
	}
	if inode(t, filepath.Join(out, "same.html")) != keptIno {
		t.Error("an unchanged file did not keep its identity (and mtime)")
	}
	// An aborted build keeps the spare too; the output stays.
	if err := stage(t, out, map[string]string{"same.html": "half"}).Abort(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, v3) {
		t.Errorf("after Abort, output = %v; want %v", got, v3)
	}
}

func TestEntries(t *testing.T) {
	s, err := Begin(context.Background(), filepath.Join(t.TempDir(), "public"), Options{})
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
		if e.Size != int64(len(e.Name)) {
			t.Errorf("%s: size %d; want the written bytes'", e.Name, e.Size)
		}
	}
	if want := "a.txt b.css b/index.html"; strings.Join(got, " ") != want {
		t.Errorf("Entries = %v; want %s", got, want)
	}
	if !s.Has("b.css") || s.Has("b") || !slices.IsSorted(got) {
		t.Error("Has does not follow what was written")
	}
}

// TestRewriteSpare checks that a changed file is written over its
// spare's file when nothing else links to that, keeping its inode (no
// inode is freed or allocated), and written anew when the spare's file
// is shared with the current output or linked from elsewhere, which
// must not change.
func TestRewriteSpare(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	v1 := map[string]string{"own.html": "one, and longer than the next", "shared.html": "s", "snap.html": "snap", "fifo.html": "f"}
	v2 := map[string]string{"own.html": "two", "shared.html": "s", "snap.html": "snap 2", "fifo.html": "f2"}
	for _, files := range []map[string]string{v1, v2} {
		if err := stage(t, out, files).Commit(); err != nil {
			t.Fatal(err)
		}
	}
	spare := filepath.Join(parent, ".policysite-spare-public")
	snapshot := filepath.Join(parent, "snapshot.html")
	if err := os.Link(filepath.Join(spare, "snap.html"), snapshot); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(spare, "fifo.html")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(spare, "fifo.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	ownIno := inode(t, filepath.Join(spare, "own.html"))
	v3 := map[string]string{"own.html": "three", "shared.html": "changed", "snap.html": "snap 3", "fifo.html": "f3"}
	s := stage(t, out, v3)
	if !s.recycled {
		t.Fatal("the third build did not recycle the spare")
	}
	if inode(t, filepath.Join(s.Dir(), "own.html")) != ownIno {
		t.Error("own.html: the spare's own file was replaced instead of written over")
	}
	if got := tree(t, out); !maps.Equal(got, v2) {
		t.Errorf("before Commit, output = %v; want it unchanged, %v", got, v2)
	}
	if b, _ := os.ReadFile(snapshot); string(b) != "snap" {
		t.Errorf("a file linked from outside the spare was written over: %q", b)
	}
	if got := tree(t, s.Dir()); !maps.Equal(got, v3) {
		t.Errorf("staged = %v; want %v", got, v3)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); !maps.Equal(got, v3) {
		t.Errorf("output = %v; want %v", got, v3)
	}
}

// TestWriteFileErrors checks that writing through a file descriptor
// fails as os.WriteFile does, with the same message, so users see the
// same errors as before.
func TestWriteFileErrors(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		filepath.Join(dir, "missing", "index.html"),
		filepath.Join(readOnly, "index.html"),
		dir, // a folder
	} {
		want := os.WriteFile(p, []byte("x"), 0o644)
		got := writeFile(p, []byte("x"))
		if os.Geteuid() == 0 && p == filepath.Join(readOnly, "index.html") {
			continue // root writes into read-only folders
		}
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("writeFile(%s) = %v; want os.WriteFile's %v", p, got, want)
		}
	}
	p := filepath.Join(dir, "ok.html")
	if err := writeFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "new" {
		t.Errorf("after writeFile, %s = %q, %v", p, b, err)
	}
	ref := filepath.Join(dir, "ref.html")
	if err := os.WriteFile(ref, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	rt, _ := os.Stat(ref)
	if st.Mode() != rt.Mode() {
		t.Errorf("%s: mode %v; want os.WriteFile's %v", p, st.Mode(), rt.Mode())
	}
}
