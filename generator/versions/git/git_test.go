package git

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"policysite/generator/diag"
	"policysite/generator/versions"
)

// page returns a page source with an effective date.
func page(title, effective, body string) string {
	return fmt.Sprintf("---\ntitle: %s\neffective: %s\n---\n\n%s\n", title, effective, body)
}

// states runs States on a new Source for content folder dir, as a
// build does, and closes it.
func states(t *testing.T, opts Options) ([]versions.State, *Source) {
	t.Helper()
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	got, err := s.States(context.Background())
	if err != nil {
		t.Fatalf("States: %v", err)
	}
	return got, s
}

// TestStates checks the states of a history with every kind of change
// to the content folder and outside it, against the trees of the
// commits, and that Read gives each file's bytes.
func TestStates(t *testing.T) {
	for _, sub := range []string{"", "sites/legal/"} {
		t.Run("site at "+strings.TrimSuffix("/"+sub, "/"), func(t *testing.T) {
			r := newRepo(t)
			c := sub + "content/"
			texts := map[string]string{}
			commit := func(msg string, files map[string]string) {
				t.Helper()
				full := map[string]string{}
				for p, text := range files {
					if !strings.HasPrefix(p, "README") {
						p = c + p
					}
					full[p] = text
					texts[p] = text
				}
				r.commit(msg, full)
			}
			commit("outside the content folder only", map[string]string{"README.md": "# Sites\n"})
			commit("first policies", map[string]string{
				"en/privacy.md": page("Privacy", "2025-01-01", "We collect little."),
				"en/terms.md":   page("Terms", "2025-01-01", "Be nice."),
				"de/privacy.md": page("Datenschutz", "2025-01-01", "Wir sammeln wenig."),
				// Names git log would quote, or that look like its output.
				"en/commit 1 2.md":   "a page named like git log's commit line\n",
				"en/line\nbreak.md":  "a page with a newline in its name\n",
				"en/data/ünïcode.md": "a page with a non-ASCII name\n",
				"en/help.markdown":   "the other extension\n",
				"en/mode.md":         "its mode changes later\n",
				"en/logo.png":        "not a page\n",
				"en/.hidden.md":      "hidden: content.Load skips it\n",
				"en/.drafts/wip.md":  "in a hidden folder\n",
				"en/privacy.md~":     "an editor's backup\n",
			})
			commit("README only", map[string]string{"README.md": "# Sites, again\n"})
			commit("privacy 2", map[string]string{
				"en/privacy.md": page("Privacy", "2025-06-01", "We collect a little more."),
				"en/logo.png":   "a new logo\n",
			})
			commit("only files that are not pages", map[string]string{
				"en/logo.png":    "a third logo\n",
				"en/.hidden.md":  "still hidden\n",
				"en/privacy.md~": "another backup\n",
			})
			if err := os.Chmod(filepath.Join(r.dir, c+"en/mode.md"), 0o755); err != nil {
				t.Fatal(err)
			}
			r.commit("a mode change only", nil)
			commit("remove the German page", map[string]string{"de/privacy.md": ""})
			if err := os.Symlink("terms.md", filepath.Join(r.dir, c+"en/link.md")); err != nil {
				t.Fatal(err)
			}
			commit("a symbolic link is not read as a page", nil)
			r.commit("empty commit", nil)

			want := r.wantStates(c)
			if len(want) != 3 {
				t.Fatalf("the oracle found %d states; the test expects 3 (the pages, privacy 2, the removal)", len(want))
			}
			dir := filepath.Join(r.dir, filepath.FromSlash(c))
			got, s := states(t, Options{Dir: dir})
			checkStates(t, got, want)
			if len(got) > 0 {
				if _, ok := got[0].Files["en/line\nbreak.md"]; !ok {
					t.Errorf("first state lacks the file with a newline in its name: %v", got[0].Files)
				}
			}
			if n := s.Note(); !strings.Contains(n, "3 commits changed the content folder") {
				t.Errorf("Note() = %q; want it to count the 3 commits", n)
			}
			// Read gives each file's bytes at that state.
			last := got[len(got)-1]
			for p, b := range last.Files {
				data, err := s.Read(context.Background(), b)
				if err != nil {
					t.Fatalf("Read(%s): %v", p, err)
				}
				if w := texts[c+p]; string(data) != w {
					t.Errorf("Read(%s) = %q; want %q", p, data, w)
				}
			}
		})
	}
}

// TestMerges checks that the history is HEAD's first-parent line, a
// merge compared with its first parent: a branch's commits are not
// states of their own, its merge is, and a merge of changes outside the
// content folder is not.
func TestMerges(t *testing.T) {
	r := newRepo(t)
	r.commit("first", map[string]string{
		"content/en/privacy.md": page("Privacy", "2025-01-01", "One."),
		"content/de/privacy.md": page("Datenschutz", "2025-01-01", "Eins."),
	})
	r.git("checkout", "-q", "-b", "feature")
	r.commit("feature: privacy 2", map[string]string{"content/en/privacy.md": page("Privacy", "2025-03-01", "Two.")})
	r.commit("feature: cookies", map[string]string{"content/en/cookies.md": page("Cookies", "2025-03-01", "Few.")})
	r.git("checkout", "-q", "main")
	r.commit("main: German", map[string]string{"content/de/privacy.md": page("Datenschutz", "2025-02-01", "Zwei.")})
	merge := r.merge("feature")
	r.git("checkout", "-q", "-b", "docs")
	r.commit("docs only", map[string]string{"docs/readme.md": "# Docs\n"})
	r.git("checkout", "-q", "main")
	r.commit("main: terms", map[string]string{"content/en/terms.md": page("Terms", "2025-04-01", "Terms.")})
	r.merge("docs")
	// A branch that reverts main's German change, merged back: the
	// merge changes the content against its first parent only.
	r.git("checkout", "-q", "-b", "revert", merge)
	r.commit("revert the German page", map[string]string{"content/de/privacy.md": page("Datenschutz", "2025-01-01", "Eins.")})
	r.git("checkout", "-q", "main")
	r.merge("revert")

	want := r.wantStates("content/")
	got, _ := states(t, Options{Dir: filepath.Join(r.dir, "content")})
	checkStates(t, got, want)
	var msgs []string
	for _, st := range got {
		msgs = append(msgs, strings.TrimSpace(r.git("show", "-s", "--format=%s", st.ID)))
	}
	wantMsgs := []string{"first", "main: German", "merge feature", "main: terms", "merge revert"}
	if strings.Join(msgs, "|") != strings.Join(wantMsgs, "|") {
		t.Errorf("states are the commits %q; want %q", msgs, wantMsgs)
	}
}

// TestShallowClone checks that a shallow clone gives the states it has,
// warns once that the older ones are missing and how to fetch them, and
// caches nothing.
func TestShallowClone(t *testing.T) {
	r := newRepo(t)
	for i := 1; i <= 4; i++ {
		r.commit(fmt.Sprint("v", i), map[string]string{"content/en/privacy.md": page("Privacy", fmt.Sprintf("2025-0%d-01", i), fmt.Sprint("Version ", i))})
	}
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, r.dir, nil, "clone", "-q", "--depth", "2", "file://"+r.dir, clone)
	cr := &testRepo{tb: t, dir: clone}
	want := cr.wantStates("content/")
	if len(want) != 2 {
		t.Fatalf("the clone has %d states; want 2", len(want))
	}
	var ws diag.Warnings
	cache := filepath.Join(clone, ".policysite-cache", "versions-git.json")
	got, s := states(t, Options{Dir: filepath.Join(clone, "content"), Warnings: &ws, Cache: cache})
	checkStates(t, got, want)
	all := ws.All()
	if len(all) != 1 {
		t.Fatalf("warnings = %v; want one", all)
	}
	msg := all[0].String()
	for _, part := range []string{"shallow", "git fetch --unshallow", "fetch-depth: 0", "2025-01-04"} {
		if !strings.Contains(msg, part) {
			t.Errorf("warning %q does not say %q", msg, part)
		}
	}
	if _, err := os.Stat(cache); err == nil {
		t.Errorf("a shallow clone's history was cached in %s", cache)
	}
	// Its blobs are there to read.
	if _, err := s.Read(context.Background(), got[0].Files["en/privacy.md"]); err != nil {
		t.Errorf("Read: %v", err)
	}
	// Once deepened, the whole history is read: nothing stale was kept.
	runGit(t, clone, nil, "fetch", "-q", "--unshallow")
	got, _ = states(t, Options{Dir: filepath.Join(clone, "content"), Cache: cache})
	checkStates(t, got, cr.wantStates("content/"))
	if len(got) != 4 {
		t.Errorf("after git fetch --unshallow: %d states; want 4", len(got))
	}
}

// TestNoHistory checks the cases with no states and no error.
func TestNoHistory(t *testing.T) {
	needGit(t)
	plain := t.TempDir()
	os.MkdirAll(filepath.Join(plain, "content", "en"), 0o755)
	unborn := newRepo(t)
	unborn.write(map[string]string{"content/en/privacy.md": page("Privacy", "2025-01-01", "Not committed.")})
	unborn.git("add", "-A")
	ignored := newRepo(t)
	ignored.commit("ignore the site", map[string]string{".gitignore": "/content/\n", "content/en/privacy.md": "ignored\n"})

	for _, tc := range []struct {
		name, dir, program, note string
	}{
		{"not a repository", filepath.Join(plain, "content"), "", "not in a git work tree"},
		{"no git", filepath.Join(plain, "content"), filepath.Join(plain, "no-such-git"), "git is not installed"},
		{"no commit yet", filepath.Join(unborn.dir, "content"), "", "no commit yet"},
		{"no folder", filepath.Join(plain, "missing"), "", "not a folder"},
		{"inside .git", filepath.Join(unborn.dir, ".git"), "", "not in a git work tree"},
		{"an ignored folder", filepath.Join(ignored.dir, "content"), "", "0 commits changed the content folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{Dir: tc.dir, Program: tc.program})
			defer s.Close()
			got, err := s.States(context.Background())
			if err != nil || len(got) != 0 {
				t.Fatalf("States() = %v, %v; want no states, no error", got, err)
			}
			if !strings.Contains(s.Note(), tc.note) {
				t.Errorf("Note() = %q; want it to say %q", s.Note(), tc.note)
			}
			if head, err := Head(context.Background(), tc.dir); tc.name != "an ignored folder" && (head != "" || err != nil) {
				t.Errorf("Head() = %q, %v; want \"\", nil", head, err)
			}
		})
	}
}

// TestSafeDirectory checks that git's refusal of a repository another
// user owns is a clear error: really when the test runs as root, which
// can give the repository away, and with a stand-in git everywhere.
func TestSafeDirectory(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a shell script and Unix owners")
	}
	check := func(t *testing.T, err error, repo string) {
		t.Helper()
		if err == nil {
			t.Fatal("States: no error; want git's refusal explained")
		}
		msg := err.Error()
		for _, part := range []string{"another user owns it", "git config --global --add safe.directory " + repo} {
			if !strings.Contains(msg, part) {
				t.Errorf("error %q does not say %q", msg, part)
			}
		}
	}
	t.Run("stand-in git", func(t *testing.T) {
		dir := t.TempDir()
		fake := filepath.Join(dir, "git")
		script := "#!/bin/sh\necho \"fatal: detected dubious ownership in repository at '/srv/site'\" >&2\n" +
			"echo \"To add an exception for this directory, call:\" >&2\nexit 128\n"
		if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := New(Options{Dir: dir, Program: fake}).States(context.Background())
		check(t, err, "/srv/site")
	})
	t.Run("real git", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("only root can give a repository to another user")
		}
		r := newRepo(t)
		r.commit("first", map[string]string{"content/en/privacy.md": page("Privacy", "2025-01-01", "One.")})
		if out, err := exec.Command("chown", "-R", "65534:65534", r.dir).CombinedOutput(); err != nil {
			t.Skipf("chown: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chown", "-R", "0:0", r.dir).Run() })
		// git trusts a repository of the user that ran sudo.
		t.Setenv("SUDO_UID", "")
		os.Unsetenv("SUDO_UID")
		_, err := New(Options{Dir: filepath.Join(r.dir, "content")}).States(context.Background())
		check(t, err, r.dir)
		if _, err := Head(context.Background(), filepath.Join(r.dir, "content")); err == nil {
			t.Error("Head: no error; want the refusal")
		}
	})
}

// TestNoWrites checks that reading the history runs no hook or other
// configured program and leaves the .git folder byte for byte as it was.
func TestNoWrites(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("hooks are shell scripts")
	}
	r := newRepo(t)
	marks := t.TempDir()
	hook := func(name string) string {
		return fmt.Sprintf("#!/bin/sh\necho ran >> %s/%s\n", marks, name)
	}
	hooks := filepath.Join(r.dir, ".git", "hooks")
	for _, name := range []string{"pre-commit", "post-commit", "post-checkout", "post-merge", "post-rewrite",
		"reference-transaction", "post-index-change", "pre-auto-gc", "fsmonitor-watchman", "push-to-checkout"} {
		if err := os.WriteFile(filepath.Join(hooks, name), []byte(hook(name)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.commit("first", map[string]string{"content/en/privacy.md": page("Privacy", "2025-01-01", "One.")})
	// The hooks are real: committing ran them.
	if _, err := os.Stat(filepath.Join(marks, "post-commit")); err != nil {
		t.Fatalf("the post-commit hook did not run on git commit, so the test proves nothing: %v", err)
	}
	r.commit("second", map[string]string{"content/en/privacy.md": page("Privacy", "2025-02-01", "Two.")})
	// Programs the repository's configuration would start.
	prog := filepath.Join(marks, "prog.sh")
	os.WriteFile(prog, []byte(hook("configured-program")), 0o755)
	for _, kv := range [][2]string{{"core.fsmonitor", prog}, {"diff.external", prog}, {"core.pager", prog},
		{"log.showSignature", "true"}, {"gpg.program", prog}, {"core.hooksPath", hooks}} {
		r.git("config", kv[0], kv[1])
	}
	os.RemoveAll(marks)
	os.MkdirAll(marks, 0o755)
	before := snapshot(t, filepath.Join(r.dir, ".git"))

	ctx := context.Background()
	dir := filepath.Join(r.dir, "content")
	for range 2 { // the second reads the cache
		s := New(Options{Dir: dir, Cache: filepath.Join(r.dir, ".policysite-cache", "versions-git.json")})
		got, err := s.States(ctx)
		if err != nil || len(got) != 2 {
			t.Fatalf("States() = %d states, %v; want 2", len(got), err)
		}
		for _, st := range got {
			if _, err := s.Read(ctx, st.Files["en/privacy.md"]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Head(ctx, dir); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}

	if ran, _ := os.ReadDir(marks); len(ran) > 0 {
		var names []string
		for _, e := range ran {
			names = append(names, e.Name())
		}
		t.Errorf("reading the history ran %v", names)
	}
	after := snapshot(t, filepath.Join(r.dir, ".git"))
	for p, v := range before {
		if after[p] != v {
			t.Errorf(".git/%s changed: %s -> %s", p, v, after[p])
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf(".git/%s was created", p)
		}
	}
}

// snapshot returns each file below dir with its mode, size, time and a
// hash of its bytes.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		v := fmt.Sprintf("%v %d %d", info.Mode(), info.Size(), info.ModTime().UnixNano())
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		out[filepath.ToSlash(rel)] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCache checks that a second build reads only the commits made
// since the first, and that a cache which does not describe the
// history (rewritten, corrupt, of an older format, of another folder) is
// not trusted.
func TestCache(t *testing.T) {
	r := newRepo(t)
	for i := 1; i <= 5; i++ {
		r.commit(fmt.Sprint("v", i), map[string]string{
			fmt.Sprintf("site/content/en/page%d.md", i): page("Page", "2025-01-01", "Text."),
			"site/content/en/privacy.md":                page("Privacy", fmt.Sprintf("2025-0%d-01", i), fmt.Sprint("Version ", i)),
		})
		r.commit(fmt.Sprint("outside ", i), map[string]string{"other/file.txt": fmt.Sprint(i)})
	}
	dir := filepath.Join(r.dir, "site", "content")
	cache := filepath.Join(r.dir, "site", ".policysite-cache", "versions-git.json")
	opts := Options{Dir: dir, Cache: cache}
	build := func(step string, wantRead int) {
		t.Helper()
		got, s := states(t, opts)
		checkStates(t, got, r.wantStates("site/content/"))
		if s.read != wantRead {
			t.Errorf("%s: read %d commits from git log; want %d (note %q)", step, s.read, wantRead, s.Note())
		}
		if loadCache(cache, "site/content/") == nil {
			t.Errorf("%s: no valid cache left in %s", step, cache)
		}
	}
	build("cold", 10)
	build("cached", 0)
	r.commit("v6", map[string]string{"site/content/en/privacy.md": page("Privacy", "2025-06-01", "Version 6")})
	build("one new commit", 1)
	r.commit("outside 6", map[string]string{"other/file.txt": "6"})
	r.commit("outside 7", map[string]string{"other/file.txt": "7"})
	build("two new commits outside the content", 2)
	r.git("commit", "-q", "--amend", "-m", "outside 7, amended")
	build("amended: the cached head is gone from the history", 13)
	r.git("reset", "-q", "--hard", "HEAD~3")
	build("reset to an older commit", 10)

	for _, bad := range []struct{ name, text string }{
		{"garbage", "\x00\x01 not json"},
		{"truncated", `{"format":1,"prefix":"site/content/","head":"`},
		{"older format", `{"format":0,"prefix":"site/content/","head":"` + r.head() + `","commits":[]}`},
		{"another folder", `{"format":1,"prefix":"other/","head":"` + r.head() + `","commits":[]}`},
		{"bad id", `{"format":1,"prefix":"site/content/","head":"` + r.head() + `","commits":[{"id":"HEAD","time":"2025-01-01T00:00:00Z","set":{"en/a.md":"x"}}]}`},
		{"bad path", `{"format":1,"prefix":"site/content/","head":"` + r.head() + `","commits":[{"id":"` + r.head() + `","time":"2025-01-01T00:00:00Z","set":{"../a.md":"` + r.head() + `"}}]}`},
	} {
		if err := os.WriteFile(cache, []byte(bad.text), 0o644); err != nil {
			t.Fatal(err)
		}
		build("cache "+bad.name, 10)
	}
	// No temporary files are left beside the cache.
	entries, _ := os.ReadDir(filepath.Dir(cache))
	if len(entries) != 1 {
		t.Errorf("cache folder holds %d files; want only the cache", len(entries))
	}
}

// TestRead checks concurrent reads through the one cat-file process,
// and reads that fail.
func TestRead(t *testing.T) {
	r := newRepo(t)
	want := map[string]string{}
	for i := range 20 {
		text := strings.Repeat(fmt.Sprintf("Version %d of a policy with some length.\n", i), i*50+1)
		p := fmt.Sprintf("content/en/p%d.md", i%4)
		r.commit(fmt.Sprint("v", i), map[string]string{p: text})
		want[strings.TrimSpace(r.git("rev-parse", "HEAD:"+p))] = text
	}
	ctx := context.Background()
	got, s := states(t, Options{Dir: filepath.Join(r.dir, "content")})
	var blobs []versions.Blob
	seen := map[string]bool{}
	for _, st := range got {
		for _, b := range st.Files {
			if !seen[b.ID] {
				seen[b.ID] = true
				blobs = append(blobs, b)
			}
		}
	}
	if len(blobs) != 20 {
		t.Fatalf("%d blobs in the states; want 20", len(blobs))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range blobs {
				b := blobs[(i+g)%len(blobs)]
				data, err := s.Read(ctx, b)
				if err != nil {
					t.Error(err)
					return
				}
				if string(data) != want[b.ID] {
					t.Errorf("Read(%s) = %d bytes; want %d", b.ID, len(data), len(want[b.ID]))
				}
			}
		})
	}
	wg.Wait()

	missing := versions.Blob{ID: strings.Repeat("0", 40)}
	if _, err := s.Read(ctx, missing); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Read(missing) = %v; want an error saying it is missing", err)
	}
	if _, err := s.Read(ctx, versions.Blob{ID: got[0].ID}); err == nil || !strings.Contains(err.Error(), "is a commit, not a file") {
		t.Errorf("Read(a commit) = %v; want an error saying it is not a file", err)
	}
	for _, id := range []string{"HEAD:content/en/p0.md", blobs[0].ID + "\n" + blobs[1].ID, ""} {
		if _, err := s.Read(ctx, versions.Blob{ID: id}); err == nil {
			t.Errorf("Read(%q): no error; want one for a bad id", id)
		}
	}
	// The process survives a failed read.
	if data, err := s.Read(ctx, blobs[0]); err != nil || string(data) != want[blobs[0].ID] {
		t.Errorf("Read after a failed read: %v", err)
	}

	// A process started for a cancelled context is replaced.
	s2 := New(Options{Dir: filepath.Join(r.dir, "content")})
	defer s2.Close()
	short, cancel := context.WithCancel(ctx)
	if _, err := s2.Read(short, blobs[0]); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := s2.Read(short, blobs[1]); err == nil {
		t.Error("Read with a cancelled context: no error")
	}
	if data, err := s2.Read(ctx, blobs[1]); err != nil || string(data) != want[blobs[1].ID] {
		t.Errorf("Read after the first process's context was cancelled: %v", err)
	}
	if err := s2.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := s2.Read(ctx, blobs[0]); err != errClosed {
		t.Errorf("Read after Close = %v; want %v", err, errClosed)
	}
}

// TestIsPage checks which content files are page sources.
func TestIsPage(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"en/privacy.md", true},
		{"en/help.markdown", true},
		{"_index.md", true},
		{"en/legal/cookies.md", true},
		{"en/privacy.versions/2025-01-01.md", true},
		{"en/logo.png", false},
		{"en/page.mdx", false},
		{"en/PAGE.MD", false},
		{"en/.hidden.md", false},
		{".git/x.md", false},
		{"en/.drafts/wip.md", false},
		{"en/privacy.md~", false},
		{"en/old~/page.md", false},
		{"../en/privacy.md", false},
		{"/en/privacy.md", false},
		{"", false},
	} {
		if got := isPage(tc.rel); got != tc.want {
			t.Errorf("isPage(%q) = %t; want %t", tc.rel, got, tc.want)
		}
	}
}

// TestParseLogErrors checks that output git log would not print is an
// error, not a wrong history.
func TestParseLogErrors(t *testing.T) {
	id := strings.Repeat("a", 40)
	for _, out := range []string{
		"commit nothex 2025-01-01T00:00:00Z\x00",
		"commit " + id + " yesterday\x00",
		":100644 100644 " + id + " " + id + " M\x00en/a.md\x00",
		"commit " + id + " 2025-01-01T00:00:00Z\x00\n:100644 " + id + " M\x00en/a.md\x00",
		"something else\x00",
	} {
		if _, err := parseLog([]byte(out), ""); err == nil {
			t.Errorf("parseLog(%q): no error", out)
		}
	}
	good := "commit " + id + " 2025-01-01T00:00:00+02:00 " + id + "\x00\n:000000 100644 " + strings.Repeat("0", 40) + " " + id + " A\x00site/en/a.md\x00"
	commits, err := parseLog([]byte(good), "site/")
	if err != nil || len(commits) != 1 || commits[0].change.Set["en/a.md"] != id || commits[0].parent != id {
		t.Errorf("parseLog(%q) = %+v, %v", good, commits, err)
	}
}

// TestBrokenWorkTree checks that a work tree whose repository is gone
// (a .git file naming a removed folder, as a moved linked worktree
// leaves) is an error, not a site outside git.
func TestBrokenWorkTree(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git"), []byte("gitdir: "+filepath.Join(dir, "gone")+"\n"), 0o644)
	_, err := New(Options{Dir: filepath.Join(dir, "content")}).States(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not a git repository: ") {
		t.Errorf("States() error = %v; want git's message about the missing repository", err)
	}
}
