package git

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator/versions"
)

// benchTags are the example site's 32 locales.
var benchTags = strings.Fields("en en-AU en-CA en-CH en-GB en-IE en-KE en-MY en-NZ en-SG en-US en-ZA " +
	"de-DE es-ES es-MX fr-FR it-IT ja-JP ko-KR nl-NL pt-BR ro-RO ru-BY ru-KZ ru-RU ru-UZ th-TH tr-TR uk-UA uz-UZ vi-VN zh-CN")

// benchRepo makes a repository of commits commits over 32 locales × 3
// pages with git fast-import (a commit per git commit would take
// minutes): the first adds every page, each later one edits one to
// three pages, every tenth also moves an effective date, and every
// twenty-fifth changes only a file outside the content folder.
func benchRepo(b *testing.B, commits int) (dir string) {
	b.Helper()
	needGit(b)
	dir = b.TempDir()
	runGit(b, dir, nil, "init", "-q", "-b", "main")
	var stream bytes.Buffer
	data := func(s string) { fmt.Fprintf(&stream, "data %d\n%s\n", len(s), s) }
	pages := []string{"privacy", "cookies", "terms"}
	body := func(tag, pg string, version, effective int) string {
		return fmt.Sprintf("---\ntitle: %s %s\neffective: 2020-%02d-%02d\n---\n\n%s\n\nVersion %d of the %s page of %s.\n",
			pg, tag, 1+effective/28%12, 1+effective%28, strings.Repeat("A paragraph of policy text that stays the same. ", 40), version, pg, tag)
	}
	rnd := uint32(1)
	next := func(n int) int { rnd = rnd*1664525 + 1013904223; return int(rnd>>8) % n }
	for i := 1; i <= commits; i++ {
		fmt.Fprintf(&stream, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0200\n", i, 1735689600+i*3600)
		data(fmt.Sprint("commit ", i))
		if i > 1 {
			fmt.Fprintf(&stream, "from :%d\n", i-1)
		}
		edit := func(tag, pg string) {
			fmt.Fprintf(&stream, "M 100644 inline content/%s/%s.md\n", tag, pg)
			data(body(tag, pg, i, i/10))
		}
		switch {
		case i == 1:
			for _, tag := range benchTags {
				for _, pg := range pages {
					edit(tag, pg)
				}
			}
		case i%25 == 0:
			fmt.Fprintf(&stream, "M 100644 inline README.md\n")
			data(fmt.Sprint("readme ", i))
		default:
			for range 1 + next(3) {
				edit(benchTags[next(len(benchTags))], pages[next(len(pages))])
			}
		}
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &stream
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	runGit(b, dir, nil, "reset", "-q", "--hard")
	return dir
}

// BenchmarkStates measures reading the history of 500 commits, and of
// the repository in POLICYSITE_GIT_BENCH_REPO (a work tree whose top is
// the content folder, such as mozilla/legal-docs): cold (no cache),
// cached (HEAD unchanged), after one new commit, and reading every
// blob of every state.
func BenchmarkStates(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		dir := benchRepo(b, 500)
		benchStates(b, dir, filepath.Join(dir, "content"))
	})
	if repo := os.Getenv("POLICYSITE_GIT_BENCH_REPO"); repo != "" {
		b.Run("repo", func(b *testing.B) { benchStates(b, repo, repo) })
	}
}

func benchStates(b *testing.B, repo, content string) {
	ctx := context.Background()
	cache := filepath.Join(b.TempDir(), "versions-git.json")
	opts := Options{Dir: content, Cache: cache}
	states := func(b *testing.B) int {
		s := New(opts)
		defer s.Close()
		got, err := s.States(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return len(got)
	}
	b.Run("cold", func(b *testing.B) {
		var n int
		for b.Loop() {
			os.Remove(cache)
			n = states(b)
		}
		b.ReportMetric(float64(n), "states")
	})
	b.Run("cached", func(b *testing.B) {
		states(b)
		for b.Loop() {
			states(b)
		}
		if st, err := os.Stat(cache); err == nil {
			b.ReportMetric(float64(st.Size())/1024, "cache-KiB")
		}
	})
	b.Run("one-new-commit", func(b *testing.B) {
		// The cache of the history without HEAD's commit: made with HEAD
		// moved back by one, in a copy of the repository's refs.
		head := strings.TrimSpace(runGit(b, repo, nil, "rev-parse", "HEAD"))
		runGit(b, repo, nil, "update-ref", "--no-deref", "HEAD", head+"~1")
		os.Remove(cache)
		states(b)
		runGit(b, repo, nil, "update-ref", "--no-deref", "HEAD", head)
		old, err := os.ReadFile(cache)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			b.StopTimer()
			os.WriteFile(cache, old, 0o644)
			b.StartTimer()
			states(b)
		}
	})
	b.Run("read-all-blobs", func(b *testing.B) {
		s := New(opts)
		defer s.Close()
		got, err := s.States(ctx)
		if err != nil {
			b.Fatal(err)
		}
		seen := map[string]bool{}
		for _, st := range got {
			for _, blob := range st.Files {
				seen[blob.ID] = true
			}
		}
		var size int
		for b.Loop() {
			size = 0
			for id := range seen {
				data, err := s.Read(ctx, versions.Blob{ID: id})
				if err != nil {
					b.Fatal(err)
				}
				size += len(data)
			}
		}
		b.ReportMetric(float64(len(seen)), "blobs")
		b.ReportMetric(float64(size)/(1<<20), "MiB")
	})
}
