package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles policysite once for tests that must run it as a
// separate process (to kill it).
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the policysite binary; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; cannot build policysite")
	}
	bin := filepath.Join(t.TempDir(), "policysite")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// genSite writes a site of three locales with 15 pages each, big
// enough that a build takes a while and small enough for a loaded CI
// machine.
func genSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var body strings.Builder
	for s := range 10 {
		fmt.Fprintf(&body, "## Section %d {#s%d}\n\n%s\n\n", s, s, strings.Repeat("Policy text with *emphasis* and a [link](page-0.md). ", 20))
	}
	for _, tag := range []string{"en", "de-DE", "fr-FR"} {
		for i := range 15 {
			p := filepath.Join(dir, "content", tag, fmt.Sprintf("page-%d.md", i))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			page := fmt.Sprintf("---\ntitle: Page %d (%s)\n---\n%s", i, tag, body.String())
			if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// digest lists every file below dir with its SHA-256, sorted.
func digest(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%x %s", sha256.Sum256(data), filepath.ToSlash(rel)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// leftovers returns the names in dir that a build creates temporarily.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		// The lock file stays by design: removing it would let two
		// builds lock two different files.
		if strings.HasPrefix(e.Name(), ".policysite-") && !strings.HasSuffix(e.Name(), ".lock") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestKilledBuild kills builds of a generated site at random moments
// with SIGKILL. After each kill, public/ must be exactly the previous
// complete build, and the next build must remove the leftover folders.
func TestKilledBuild(t *testing.T) {
	bin := buildBinary(t)
	site := genSite(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	build := func() *exec.Cmd {
		cmd := exec.Command(bin, "build", "-s", site, "-o", out)
		cmd.Stdout, cmd.Stderr = new(bytes.Buffer), new(bytes.Buffer)
		return cmd
	}
	first := build()
	start := time.Now()
	if err := first.Run(); err != nil {
		t.Fatalf("first build: %v\n%s", err, first.Stderr)
	}
	full := time.Since(start)
	want := digest(t, out)

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; a full build takes %s", seed, full)
	rng := rand.New(rand.NewPCG(seed, 0))
	killed := 0
	for i := range 10 {
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Spread the kills over the whole build, including its last
		// moments when the staged folder replaces the output.
		time.Sleep(time.Duration(rng.Int64N(int64(full) * 11 / 10)))
		if cmd.Process.Kill() == nil {
			killed++
		}
		_ = cmd.Wait()
		if got := digest(t, out); got != want {
			t.Fatalf("kill %d: public/ differs from the previous complete build", i)
		}
	}
	t.Logf("%d of 10 builds killed before they finished", killed)

	final := build()
	if err := final.Run(); err != nil {
		t.Fatalf("build after kills: %v\n%s", err, final.Stderr)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("leftover folders after a complete build: %v", l)
	}
	if got := digest(t, out); got != want {
		t.Error("public/ after a complete build differs from the first build")
	}
}

// TestBuildStaysInOutput builds into a folder that holds other files,
// including folders whose names resemble the build's temporary ones,
// and checks that only the output folder changed.
func TestBuildStaysInOutput(t *testing.T) {
	bin := buildBinary(t)
	site := genSite(t)
	parent := t.TempDir()
	others := map[string]string{
		"keep.txt":              "keep",
		"docs/index.html":       "<p>not ours</p>",
		"public-old/index.html": "an older copy the operator keeps",
		"publicity/index.html":  "another output",
		".policysite-tmp-public-x-0123456789ab/a.html": "the staged build of output public-x",
		".policysite-old-public-x-0123456789ab/a.html": "the previous build of output public-x",
		".policysite-tmp-publicity/a.html":             "not a staged folder at all",
		".policysite-spare-public-x/a.html":            "the spare of output public-x",
	}
	for name, data := range others {
		p := filepath.Join(parent, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A stale staged folder of this output, as a killed build leaves it.
	stale := filepath.Join(parent, ".policysite-tmp-public-00112233aabb")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	for _, name := range []string{"keep.txt", "docs/index.html"} {
		_ = os.Chtimes(filepath.Join(parent, name), before, before)
	}
	out := filepath.Join(parent, "public")
	for i := range 2 { // the second build replaces an existing output
		cmd := exec.Command(bin, "build", "--no-cache", "-s", site, "-o", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %d: %v\n%s", i, err, b)
		}
	}
	for name, data := range others {
		got, err := os.ReadFile(filepath.Join(parent, filepath.FromSlash(name)))
		if err != nil || string(got) != data {
			t.Errorf("%s changed: %q, %v", name, got, err)
		}
	}
	for _, name := range []string{"keep.txt", "docs/index.html"} {
		st, err := os.Stat(filepath.Join(parent, name))
		if err != nil || !st.ModTime().Equal(before.Truncate(0)) && st.ModTime().After(before.Add(time.Millisecond)) {
			t.Errorf("%s was touched", name)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("stale staged folder %s was not removed", stale)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// The second build keeps the first as the spare that the next one
	// recycles.
	want := []string{".policysite-old-public-x-0123456789ab", ".policysite-public.lock", ".policysite-spare-public", ".policysite-spare-public-x", ".policysite-tmp-public-x-0123456789ab", ".policysite-tmp-publicity", "docs", "keep.txt", "public", "public-old", "publicity"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("folder holds %v; want %v", names, want)
	}
}

// TestConcurrentBuilds starts several builds into one output at once.
// They take turns on the output's lock: every one must exit 0 with the
// complete site in place, or (with --wait 0) refuse with a message, and
// the output must never be left empty or partial.
func TestConcurrentBuilds(t *testing.T) {
	bin := buildBinary(t)
	site := genSite(t)
	ref := filepath.Join(t.TempDir(), "public")
	if b, err := exec.Command(bin, "build", "-s", site, "-o", ref).CombinedOutput(); err != nil {
		t.Fatalf("reference build: %v\n%s", err, b)
	}
	want := digest(t, ref)
	for _, wait := range []string{"2m", "0"} {
		out := filepath.Join(t.TempDir(), "public")
		const n = 4
		cmds := make([]*exec.Cmd, n)
		for i := range cmds {
			cmds[i] = exec.Command(bin, "build", "--no-cache", "--wait", wait, "-s", site, "-o", out)
			cmds[i].Stdout, cmds[i].Stderr = new(bytes.Buffer), new(bytes.Buffer)
			if err := cmds[i].Start(); err != nil {
				t.Fatal(err)
			}
		}
		// While they run, the output is either absent (before the first
		// swap) or a complete build: its manifest and region selector
		// are the last files a build writes and among the first it
		// would lose.
		stop := make(chan struct{})
		sampled := make(chan int)
		// The sampler ends when stop is closed.
		go func() {
			n := 0
			defer func() { sampled <- n }()
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := os.Stat(out); err != nil {
					continue
				}
				n++
				for _, f := range []string{".policysite-manifest.json", "index.html", "en/page-9/index.html"} {
					if _, err := os.Stat(filepath.Join(out, f)); err != nil {
						t.Errorf("--wait %s: while builds ran, the output lacked %s", wait, f)
						return
					}
				}
			}
		}()
		ok := 0
		for i, cmd := range cmds {
			err := cmd.Wait()
			stderr := cmd.Stderr.(*bytes.Buffer).String()
			switch {
			case err == nil:
				ok++
				if !strings.Contains(cmd.Stdout.(*bytes.Buffer).String(), "built ") {
					t.Errorf("--wait %s, build %d: exit 0 without a report", wait, i)
				}
			case wait == "0" && strings.Contains(stderr, "another policysite build into"):
			default:
				t.Errorf("--wait %s, build %d: %v\n%s", wait, i, err, stderr)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Errorf("build %d printed a stack trace:\n%s", i, stderr)
			}
		}
		close(stop)
		t.Logf("--wait %s: %d of %d builds succeeded; the output was checked %d times while they ran", wait, ok, n, <-sampled)
		if wait == "2m" && ok != n || ok == 0 {
			t.Errorf("--wait %s: %d of %d builds succeeded", wait, ok, n)
		}
		if got := digest(t, out); got != want {
			t.Errorf("--wait %s: the output differs from a single build's", wait)
		}
		if l := leftovers(t, filepath.Dir(out)); len(l) > 1 || len(l) == 1 && l[0] != ".policysite-spare-public" {
			t.Errorf("--wait %s: left %v", wait, l)
		}
	}
}

// TestInterruptedBuild sends SIGINT and SIGTERM to builds of a large
// generated site at moments spread over loading and rendering: each must
// exit within a second with status 130 or 143, say so, leave the
// output as it was and leave no temporary folder.
func TestInterruptedBuild(t *testing.T) {
	bin := buildBinary(t)
	site := genSite(t)
	// More pages than genSite's, so that loading alone takes a while.
	for i := range 400 {
		p := filepath.Join(site, "content", "en", "more", fmt.Sprintf("p%d.md", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		fmt.Fprintf(&body, "---\ntitle: More %d\n---\n", i)
		for s := range 10 {
			fmt.Fprintf(&body, "## Part %d\n\n%s\n\n", s, strings.Repeat("Some *policy* text [link](../page-0.md). ", 10))
		}
		if err := os.WriteFile(p, []byte(body.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	var full time.Duration
	for range 2 { // the second build is timed: it recycles the first's folders as the later ones do
		start := time.Now()
		if b, err := exec.Command(bin, "build", "--no-cache", "-s", site, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("first build: %v\n%s", err, b)
		}
		full = time.Since(start)
	}
	want := digest(t, out)
	t.Logf("a full build takes %s", full)
	for i, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGINT, syscall.SIGTERM} {
		// The first lands while the content loads, the later ones in
		// rendering. A build that finishes before its signal (a loaded
		// machine is slower to start than to build) is tried again with
		// half the delay.
		delay := min(full/2, []time.Duration{100, 300, 700, 1200}[i]*time.Millisecond)
		var (
			err    error
			took   time.Duration
			stderr bytes.Buffer
		)
		for try := 0; try < 4; try++ {
			cmd := exec.Command(bin, "build", "--no-cache", "-s", site, "-o", out)
			stderr.Reset()
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			took = time.Since(sent)
			if err != nil {
				break
			}
			delay /= 2
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Errorf("%v %d: finished before the signal (%v); the site is too small for this machine", sig, i, err)
			continue
		}
		// A signal that lands before main has installed its handler
		// kills the process the default way, which a shell reports as
		// the same 128+n; the output must still be untouched.
		ws, _ := ee.Sys().(syscall.WaitStatus)
		early := ws.Signaled() && ws.Signal() == sig
		if early {
			t.Logf("%v %d: arrived before the handler was installed", sig, i)
		} else if want := 128 + int(sig); ee.ExitCode() != want {
			t.Errorf("%v %d: exit status %d; want %d\n%s", sig, i, ee.ExitCode(), want, stderr.String())
		}
		if took > 1500*time.Millisecond { // a second, and some slack for a loaded machine
			t.Errorf("%v %d: exited %s after the signal", sig, i, took)
		}
		if !early && !strings.Contains(stderr.String(), "policysite: interrupted; "+out+" was left as it was") || strings.Contains(stderr.String(), "goroutine ") {
			t.Errorf("%v %d: stderr %q", sig, i, stderr.String())
		}
		if got := digest(t, out); got != want {
			t.Fatalf("%v %d: the output changed", sig, i)
		}
		for _, l := range leftovers(t, filepath.Dir(out)) {
			if strings.HasPrefix(l, ".policysite-tmp-") {
				t.Errorf("%v %d: temporary folder %s left", sig, i, l)
			}
		}
	}
}
