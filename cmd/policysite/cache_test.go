package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"policysite/bench"
)

// TestBuildCacheMatchesCleanBuild checks that a build the cache skips or
// redoes leaves exactly the bytes a clean build writes.
func TestBuildCacheMatchesCleanBuild(t *testing.T) {
	ctx := context.Background()
	site := t.TempDir()
	if _, err := bench.Write(site, bench.Options{Locales: 4, Pages: 5}, os.DirFS("../../i18n")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(site, "public")
	build := func(extra ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := append([]string{"build", "-s", site, "--no-compress"}, extra...)
		if code := run(ctx, args, &stdout, &stderr); code != 0 {
			t.Fatalf("policysite %v: exit %d\n%s", args, code, stderr.String())
		}
		return stdout.String()
	}
	clean := func() map[string]string {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "clean")
		build("-o", dir, "--no-cache")
		return readTree(t, dir)
	}

	build()
	if got := build(); !strings.HasPrefix(got, "up to date") {
		t.Fatalf("second build printed %q; want it skipped as up to date", got)
	}
	compareTrees(t, "unchanged", readTree(t, out), clean())

	steps := []struct {
		name string
		edit func() error
	}{
		{"content edited", func() error {
			p := filepath.Join(site, "content", "en", "terms.md")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, append(b, "\nOne more sentence.\n"...), 0o644)
		}},
		{"output file edited", func() error {
			return os.WriteFile(filepath.Join(out, "robots.txt"), []byte("changed"), 0o644)
		}},
		{"output file removed", func() error { return os.Remove(filepath.Join(out, "404.html")) }},
		{"config edited", func() error {
			p := filepath.Join(site, "site.toml")
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, bytes.Replace(b, []byte(`title = "Example Group"`), []byte(`title = "Other Group"`), 1), 0o644)
		}},
	}
	for _, s := range steps {
		if err := s.edit(); err != nil {
			t.Fatal(err)
		}
		if got := build(); !strings.HasPrefix(got, "built ") {
			t.Errorf("%s: build printed %q; want a full build", s.name, got)
		}
		compareTrees(t, s.name, readTree(t, out), clean())
	}
	if got := build("--base-url", "https://example.org/legal/"); !strings.HasPrefix(got, "built ") {
		t.Errorf("new --base-url: build printed %q; want a full build", got)
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func compareTrees(t *testing.T, step string, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s missing from the cached build", step, name)
		} else if g != w {
			t.Errorf("%s: %s differs from a clean build", step, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: cached build has %s, which a clean build does not", step, name)
		}
	}
}

// TestBuildCacheGitHistory checks that a site in a git work tree is
// built again after a commit, even one that changes no file: its pages'
// earlier versions come from the history.
func TestBuildCacheGitHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for k, v := range map[string]string{"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com"} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	site := t.TempDir()
	if _, err := bench.Write(site, bench.Options{Locales: 2, Pages: 4}, os.DirFS("../../i18n")); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("git", append([]string{"-C", site}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	build := func() string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"build", "-s", site, "--no-compress"}, &stdout, &stderr); code != 0 {
			t.Fatalf("policysite build: exit %d\n%s", code, stderr.String())
		}
		return stdout.String()
	}
	git("init", "-q")
	os.WriteFile(filepath.Join(site, ".gitignore"), []byte("/public/\n/.policysite-*\n"), 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "first")
	build()
	if got := build(); !strings.HasPrefix(got, "up to date") {
		t.Fatalf("second build printed %q; want it skipped as up to date", got)
	}
	git("commit", "-q", "--allow-empty", "-m", "a commit that changes no file")
	if got := build(); !strings.HasPrefix(got, "built ") {
		t.Errorf("build after a commit printed %q; want a full build", got)
	}
	if got := build(); !strings.HasPrefix(got, "up to date") {
		t.Errorf("build after that printed %q; want it skipped as up to date", got)
	}
}
