//go:build unix

package output

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLock checks that a second build of one output waits for the
// first or refuses, and that cancelling its context ends the wait.
func TestLock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	first, err := Acquire(ctx, out, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(ctx, out, LockOptions{})
	var busy *BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "another policysite build into") || !strings.Contains(busy.Holder, "process ") {
		t.Fatalf("second Acquire = %v; want a BusyError naming the process", err)
	}
	waiting := make(chan string, 1)
	got := make(chan error, 1)
	go func() {
		lk, err := Acquire(ctx, out, LockOptions{Wait: time.Minute, Waiting: func(h string) { waiting <- h }})
		if err == nil {
			err = lk.Unlock()
		}
		got <- err
	}()
	if h := <-waiting; h != busy.Holder {
		t.Errorf("Waiting got holder %q; want %q", h, busy.Holder)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Errorf("waiting Acquire after Unlock = %v; want the lock", err)
	}
	// A wait ends with its context.
	first, err = Acquire(ctx, out, LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Unlock()
	cctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if _, err := Acquire(cctx, out, LockOptions{Wait: time.Hour}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Acquire with a cancelled context = %v; want its error", err)
	}
	// Staging needs the lock.
	if _, err := Stage(&Lock{dir: out}, Options{}); err == nil {
		t.Error("Stage without a held lock succeeded")
	}
}

// TestStageKeepsOthersTemp checks that a build removes only leftovers of
// builds that are gone: while a build holds the lock, a second one
// cannot even stage, so it cannot remove the first one's folder.
func TestStageKeepsOthersTemp(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s, err := Begin(context.Background(), out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("index.html", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(context.Background(), out, Options{}); err == nil {
		t.Fatal("a second build staged while the first held the lock")
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "index.html")); err != nil {
		t.Fatalf("the running build's file went away: %v", err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "one" {
		t.Errorf("output = %q; want the committed build", b)
	}
}

func TestCheckOwned(t *testing.T) {
	site := t.TempDir()
	mk := func(files ...string) string {
		dir := filepath.Join(t.TempDir(), "public")
		for _, f := range files {
			p := filepath.Join(dir, f)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			data := "x"
			if f == ".policysite-manifest.json" {
				data = "{\n  \"version\": 1,\n  \"files\": []\n}\n"
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	const m = ".policysite-manifest.json"
	static := filepath.Join(site, "static")
	if err := os.MkdirAll(static, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"README.md": "x", "robots.txt": "other"} {
		if err := os.WriteFile(filepath.Join(static, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		out  string
		opts CheckOptions
		want string
	}{
		{"new folder", filepath.Join(t.TempDir(), "new"), CheckOptions{Manifest: m}, ""},
		{"empty folder", mk(), CheckOptions{Manifest: m}, ""},
		{"an earlier build", mk(m, "index.html"), CheckOptions{Manifest: m}, ""},
		{"someone's files", mk("index.html", "notes.txt"), CheckOptions{Manifest: m}, "did not write (index.html, notes.txt)"},
		{"forced", mk("index.html"), CheckOptions{Manifest: m, Force: true}, ""},
		{"a copy of a static file", mk("README.md"), CheckOptions{Manifest: m, Static: static}, ""},
		{"a changed static file", mk("robots.txt"), CheckOptions{Manifest: m, Static: static}, "did not write (robots.txt)"},
		{"a fake manifest", mk(m+"x", "index.html"), CheckOptions{Manifest: m}, "did not write"},
		{"git checkout", mk(".git/HEAD", m), CheckOptions{Manifest: m, Force: true}, "is a git checkout"},
		{"git checkout kept", mk(".git/HEAD", "CNAME"), CheckOptions{Manifest: m, Keep: []string{".git", "CNAME"}}, ""},
		{"git checkout with pages", mk(".git/HEAD", "CNAME", "old.html"), CheckOptions{Manifest: m, Keep: []string{".git", "CNAME"}}, "did not write (old.html)"},
		{".git itself", mk(".git/HEAD") + "/.git", CheckOptions{Manifest: m}, "git repository's .git"},
		{"inside .git", filepath.Join(site, ".git", "public"), CheckOptions{Manifest: m}, "git repository's .git"},
	}
	for _, tt := range tests {
		err := Check(tt.out, site)
		if err == nil {
			var lk *Lock
			if lk, err = Acquire(context.Background(), tt.out, LockOptions{}); err == nil {
				err = CheckContents(lk, tt.out, tt.opts)
				lk.Unlock()
			}
		}
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: Check(%s) = %v; want %q", tt.name, tt.out, err, tt.want)
		}
	}
}

// TestKeep checks that kept names move from each output into the next
// untouched, also when a Commit was killed half way.
func TestKeep(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	keep := Options{Keep: []string{".git", "CNAME"}}
	for _, f := range []string{".git/HEAD", ".git/objects/ab/cd", "CNAME"} {
		p := filepath.Join(out, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	head := inode(t, filepath.Join(out, ".git", "HEAD"))
	want := map[string]string{".git/HEAD": ".git/HEAD", ".git/objects/ab/cd": ".git/objects/ab/cd", "CNAME": "CNAME", "index.html": "v1"}
	for i, v := range []string{"v1", "v2", "v3"} {
		if err := stageWith(t, out, keep, map[string]string{"index.html": v}).Commit(); err != nil {
			t.Fatal(err)
		}
		want["index.html"] = v
		if got := tree(t, out); !maps.Equal(got, want) {
			t.Fatalf("build %d: output = %v; want %v", i, got, want)
		}
	}
	if inode(t, filepath.Join(out, ".git", "HEAD")) != head {
		t.Error(".git was copied, not carried over")
	}
	// The build may not write a kept name.
	s := stageWith(t, out, keep, nil)
	if err := s.WriteFile("CNAME", []byte("x")); err == nil || !strings.Contains(err.Error(), "keep") {
		t.Errorf("writing a kept name = %v; want an error naming keep", err)
	}
	_ = s.Abort()
	// A Commit killed after the swap and before the kept names moved:
	// they are in the staged folder, and the next build moves them back.
	s = stageWith(t, out, keep, map[string]string{"index.html": "v4"})
	if err := exchange(s.tmp, s.dir); err != nil {
		t.Skipf("no RENAME_EXCHANGE here: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, ".git")); err == nil {
		t.Fatal("setup: .git already moved")
	}
	if err := stageWith(t, out, keep, map[string]string{"index.html": "v5"}).Commit(); err != nil {
		t.Fatal(err)
	}
	want["index.html"] = "v5"
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Fatalf("after a killed Commit: output = %v; want %v", got, want)
	}
}

// TestAbortLeavesNoPartial checks what a failed build leaves beside the
// output: what it wrote as the spare, but no empty spare and nothing
// after the disk filled up.
func TestAbortLeavesNoPartial(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	spare := filepath.Join(parent, ".policysite-spare-public")
	// A first build that fails leaves nothing: no empty spare.
	if err := stage(t, out, nil).Abort(); err != nil {
		t.Fatal(err)
	}
	if l := names(t, parent); l != ".policysite-public.lock" {
		t.Errorf("after a failed first build the folder holds %s", l)
	}
	if err := stage(t, out, map[string]string{"a.html": "half"}).Abort(); err != nil {
		t.Fatal(err)
	}
	if l := names(t, parent); l != ".policysite-public.lock .policysite-spare-public" {
		t.Errorf("after a failed first build that wrote a file the folder holds %s", l)
	}
	for _, v := range []string{"1", "2"} {
		if err := stage(t, out, map[string]string{"a.html": v}).Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// A failed build in the recycled spare puts it back.
	if err := stage(t, out, map[string]string{"a.html": "3"}).Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spare); err != nil {
		t.Errorf("the spare is gone after a failed build: %v", err)
	}
	// After the disk filled up it is removed instead.
	s := stage(t, out, map[string]string{"a.html": "4"})
	s.noSpace.Store(true)
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if l := names(t, parent); l != ".policysite-public.lock public" {
		t.Errorf("after a build that filled the disk the folder holds %s", l)
	}
}

// TestSymlinkedOutput checks that an output that is a symbolic link
// stays one: the folder it points to gets the new build.
func TestSymlinkedOutput(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "www", "site")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(parent, "public")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1", "2"} {
		if err := stage(t, link, map[string]string{"a.html": v}).Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the output link was replaced: %v, %v", st.Mode(), err)
	}
	if b, _ := os.ReadFile(filepath.Join(link, "a.html")); string(b) != "2" {
		t.Errorf("through the link: %q; want the new build", b)
	}
	if l := names(t, filepath.Join(parent, "www")); l != ".policysite-site.lock .policysite-spare-site site" {
		t.Errorf("beside the target: %s", l)
	}
	dangling := filepath.Join(parent, "dangling")
	if err := os.Symlink(filepath.Join(parent, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(context.Background(), dangling, LockOptions{}); err == nil || !strings.Contains(err.Error(), "cannot be resolved") {
		t.Errorf("Acquire(dangling link) = %v; want an error", err)
	}
}

// TestMountPoint checks the hint for an output that is a mount point,
// on a folder that is one on most Linux systems.
func TestMountPoint(t *testing.T) {
	if !mountErr(&os.LinkError{Op: "rename", Err: syscall.EXDEV}) || !mountErr(&os.LinkError{Op: "rename", Err: syscall.EBUSY}) {
		t.Error("EXDEV and EBUSY are not recognised")
	}
	for _, dir := range []string{"/dev/shm", "/proc", "/sys"} {
		if err := checkMount(dir); err != nil {
			if !strings.Contains(err.Error(), "mount point") || !strings.Contains(err.Error(), "-o "+dir+"/site") {
				t.Errorf("checkMount(%s) = %v; want a hint", dir, err)
			}
			return
		}
	}
	t.Skip("no mount point found to test with")
}

func names(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return strings.Join(out, " ")
}

// TestNoExchange checks the swap where RENAME_EXCHANGE fails (a file
// system without it): two renames, a warning saying so, and the same
// result.
func TestNoExchange(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	var warned []string
	opts := Options{Keep: []string{"CNAME"}, Warn: func(m string) { warned = append(warned, m) }}
	if err := stageWith(t, out, opts, map[string]string{"a.html": "1"}).Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "CNAME"), []byte("example.com"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := stageWith(t, out, opts, map[string]string{"a.html": "2"})
	s.exchange = func(a, b string) error { return &os.LinkError{Op: "renameat2", Old: a, New: b, Err: syscall.EINVAL} }
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "cannot swap") || !strings.Contains(warned[0], "two renames") {
		t.Errorf("warnings = %q; want one about the two renames", warned)
	}
	want := map[string]string{"a.html": "2", "CNAME": "example.com"}
	if got := tree(t, out); !maps.Equal(got, want) {
		t.Errorf("output = %v; want %v", got, want)
	}
	// Where the system has no exchange at all, that is documented, not
	// repeated on every build.
	warned = nil
	s = stageWith(t, out, opts, map[string]string{"a.html": "3"})
	s.exchange = func(a, b string) error { return errNoExchange }
	if err := s.Commit(); err != nil || len(warned) != 0 {
		t.Errorf("Commit = %v, warnings %q; want neither", err, warned)
	}
	// A mount point cannot be renamed: a hint, and the staged folder goes.
	s = stageWith(t, out, opts, map[string]string{"a.html": "4"})
	s.exchange = func(a, b string) error { return &os.LinkError{Op: "renameat2", Old: a, New: b, Err: syscall.EBUSY} }
	tmp := s.Dir()
	if err := s.Commit(); err == nil || !strings.Contains(err.Error(), "mount point") {
		t.Errorf("Commit onto a busy mount = %v; want a hint", err)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the staged folder was left after the failed swap")
	}
	if got := tree(t, out); got["a.html"] != "3" {
		t.Errorf("output after the failed swap = %v; want the previous build", got)
	}
}
