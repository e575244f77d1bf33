package output

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	site := t.TempDir()
	for _, d := range []string{"content", "i18n"} {
		if err := os.Mkdir(filepath.Join(site, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		out, want string
	}{
		{"/", "file system root"},
		{site, "contains the site"},
		{filepath.Dir(site), "contains the site"},
		{filepath.Join(site, "content", "public"), "inside the site's content/"},
		{filepath.Join(site, "i18n"), "inside the site's i18n/"},
		{filepath.Join(site, "public"), ""},
		{filepath.Join(t.TempDir(), "elsewhere"), ""},
	}
	for _, tt := range tests {
		err := Check(tt.out, site)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Check(%s) = %v; want %q", tt.out, err, tt.want)
		}
	}
}

func TestStageCommitAbort(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	// Files beside the output must survive every build.
	if err := os.WriteFile(filepath.Join(parent, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(files map[string]string) *Staged { return stage(t, out, files) }
	if err := write(map[string]string{"a/index.html": "one", "b.txt": "same"}).Commit(); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(out, "b.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	// An aborted build leaves the previous output as it was.
	s := write(map[string]string{"a/index.html": "half"})
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "a", "index.html")); string(got) != "one" {
		t.Errorf("after Abort: %q; want the previous build", got)
	}
	// A staged build that is never finished (killed) is invisible, and
	// the next build removes its folder.
	_ = write(map[string]string{"x": "killed"})
	if err := write(map[string]string{"a/index.html": "two", "b.txt": "same"}).Commit(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".policysite-public.lock .policysite-spare-public keep.txt public" {
		t.Errorf("parent holds %v; want only keep.txt, public and its spare", names)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "a", "index.html")); string(got) != "two" {
		t.Errorf("after Commit: %q", got)
	}
	// Unchanged files keep their modification time.
	st, err := os.Stat(filepath.Join(out, "b.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !st.ModTime().Equal(old) {
		t.Errorf("unchanged file mtime = %v; want %v", st.ModTime(), old)
	}
	if got, _ := os.ReadFile(filepath.Join(parent, "keep.txt")); string(got) != "mine" {
		t.Error("a file beside the output was changed")
	}
}

func TestWriteFileRejects(t *testing.T) {
	s, err := Begin(context.Background(), filepath.Join(t.TempDir(), "public"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, name := range []string{"../x", "/abs", "a/../../b", `a\b`, "", "a\nb/index.html", "a\tb", "a\x7f", "a\u0085b", "a\x00b"} {
		if err := s.WriteFile(name, nil); err == nil {
			t.Errorf("WriteFile(%q) = nil; want error", name)
		}
	}
	if err := s.WriteFile("a.html", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("a.html", nil); err == nil || !strings.Contains(err.Error(), "two outputs") {
		t.Errorf("second WriteFile = %v; want a collision error", err)
	}
}

// TestMemoryCopies checks that Memory keeps its own copy: renderers reuse
// a page's buffer once WriteFile returns.
func TestMemoryCopies(t *testing.T) {
	m := NewMemory()
	buf := []byte("<p>one</p>")
	if err := m.WriteFile("a.html", buf); err != nil {
		t.Fatal(err)
	}
	copy(buf, "<p>two</p>")
	if got := string(m.Files()["a.html"]); got != "<p>one</p>" {
		t.Errorf("stored %q; want the bytes as written", got)
	}
}

// stage writes files into a new staged build of out. The lock is
// released at once, as when the build's process ends, so a staged build
// that is never finished stands for one that was killed.
func stage(t *testing.T, out string, files map[string]string) *Staged {
	t.Helper()
	return stageWith(t, out, Options{}, files)
}

func stageWith(t *testing.T, out string, opts Options, files map[string]string) *Staged {
	t.Helper()
	lk, err := Acquire(context.Background(), out, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	s, err := Stage(lk, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := s.WriteFile(name, []byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
