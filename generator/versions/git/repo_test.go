package git

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysite/generator/versions"
)

// TestMain makes the tests' git independent of the machine's settings:
// no global or system configuration, a fixed author.
func TestMain(m *testing.M) {
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL":   os.DevNull,
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME":     "Policy Author",
		"GIT_AUTHOR_EMAIL":    "author@example.com",
		"GIT_COMMITTER_NAME":  "Policy Author",
		"GIT_COMMITTER_EMAIL": "author@example.com",
	} {
		os.Setenv(k, v)
	}
	os.Exit(m.Run())
}

// needGit skips a test on a machine without git.
func needGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
}

// A testRepo is a git repository a test makes commit by commit.
type testRepo struct {
	tb  testing.TB
	dir string
	n   int // commits made, for their dates
}

func newRepo(tb testing.TB) *testRepo {
	tb.Helper()
	needGit(tb)
	r := &testRepo{tb: tb, dir: tb.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository and returns its output.
func (r *testRepo) git(args ...string) string {
	r.tb.Helper()
	return runGit(r.tb, r.dir, nil, args...)
}

func runGit(tb testing.TB, dir string, env []string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// write sets the files of the work tree, slash paths relative to the
// repository; "" removes a file.
func (r *testRepo) write(files map[string]string) {
	r.tb.Helper()
	for p, text := range files {
		full := filepath.Join(r.dir, filepath.FromSlash(p))
		if text == "" {
			if err := os.Remove(full); err != nil {
				r.tb.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			r.tb.Fatal(err)
		}
	}
}

// date returns the date of the repository's nth commit: a day apart,
// in a time zone east of UTC, so that the zone is seen to survive.
func date(n int) string {
	return time.Date(2025, 1, 1, 9, 30, 0, 0, time.FixedZone("", 2*3600)).AddDate(0, 0, n).Format(time.RFC3339)
}

// commit writes files, commits everything and returns the commit's id.
func (r *testRepo) commit(msg string, files map[string]string) string {
	r.tb.Helper()
	r.write(files)
	r.git("add", "-A")
	r.n++
	d := date(r.n)
	runGit(r.tb, r.dir, []string{"GIT_AUTHOR_DATE=" + d, "GIT_COMMITTER_DATE=" + d}, "commit", "-q", "--allow-empty", "-m", msg)
	return r.head()
}

// merge merges branch into the current branch with a merge commit.
func (r *testRepo) merge(branch string) string {
	r.tb.Helper()
	r.n++
	d := date(r.n)
	runGit(r.tb, r.dir, []string{"GIT_AUTHOR_DATE=" + d, "GIT_COMMITTER_DATE=" + d}, "merge", "-q", "--no-ff", "-m", "merge "+branch, branch)
	return r.head()
}

func (r *testRepo) head() string {
	r.tb.Helper()
	return strings.TrimSpace(r.git("rev-parse", "HEAD"))
}

// wantStates computes the states of the content folder at prefix
// ("site/content/", or "" for the repository's top) the slow way, as an
// oracle independent of git log's diffs: the page sources of each
// first-parent commit's tree, a state wherever they differ from the
// parent's.
func (r *testRepo) wantStates(prefix string) []versions.State {
	r.tb.Helper()
	var states []versions.State
	var prev map[string]versions.Blob
	for _, id := range strings.Fields(r.git("rev-list", "--first-parent", "--reverse", "HEAD")) {
		args := []string{"ls-tree", "-r", "-z", "--full-tree", id}
		if prefix != "" {
			args = append(args, "--", prefix)
		}
		files := map[string]versions.Blob{}
		for entry := range strings.SplitSeq(r.git(args...), "\x00") {
			meta, p, ok := strings.Cut(entry, "\t")
			f := strings.Fields(meta)
			if !ok || len(f) != 3 || f[1] != "blob" || f[0] == "120000" {
				continue
			}
			if rel := strings.TrimPrefix(p, prefix); isPage(rel) {
				files[rel] = versions.Blob{ID: f[2]}
			}
		}
		if !maps.Equal(files, prev) {
			t, err := time.Parse(time.RFC3339, strings.TrimSpace(r.git("show", "-s", "--format=%cI", id)))
			if err != nil {
				r.tb.Fatal(err)
			}
			states = append(states, versions.State{ID: id, Time: t, Files: files})
		}
		prev = files
	}
	return states
}

// checkStates reports how got differs from want.
func checkStates(tb testing.TB, got, want []versions.State) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("got %d states; want %d\ngot  %v\nwant %v", len(got), len(want), ids(got), ids(want))
		return
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.ID || !g.Time.Equal(w.Time) || !maps.Equal(g.Files, w.Files) {
			tb.Errorf("state %d = %s %v %v;\nwant        %s %v %v", i, g.ID, g.Time, g.Files, w.ID, w.Time, w.Files)
		}
		if _, off := g.Time.Zone(); off != 2*3600 {
			tb.Errorf("state %d time %v; want it in the commit's zone, +02:00", i, g.Time)
		}
	}
}

func ids(states []versions.State) string {
	var b strings.Builder
	for _, s := range states {
		fmt.Fprintf(&b, "%.7s(%d) ", s.ID, len(s.Files))
	}
	return b.String()
}
