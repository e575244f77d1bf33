package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"policysite/generator/content"
	"policysite/generator/markdown"
)

// SourcesDir is where --mark-reviewed keeps the source text of every
// section version it recorded, relative to the site folder: one file
// per digest, SourcesDir/DIGEST.md, holding the section's Markdown.
// Commit it with the site so that the word-level diff of a stale
// section works on any machine, with or without git history.
const SourcesDir = ".review/sources"

// Origins of a Change's old text.
const (
	FromRecord      = "record"      // the site's review record (SourcesDir)
	FromGit         = "git"         // the site's git history
	FromUnavailable = "unavailable" // neither has it
)

// A Change is the word-level diff of a stale section's source between
// the version that was reviewed and now.
type Change struct {
	// From says where the reviewed text was found: "record", "git" or
	// "unavailable" (then Old and Spans are empty and Note says why).
	From string `json:"from"`
	// Commit and Date name the git commit the text comes from.
	Commit string `json:"commit,omitempty"`
	Date   string `json:"date,omitempty"`
	// Record is the review record file the text comes from.
	Record string `json:"record,omitempty"`
	Note   string `json:"note,omitempty"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new"`
	// Spans cover Old and New in order: equal text, deleted (Old only)
	// and inserted (New only).
	Spans []Span `json:"spans,omitempty"`
}

// A Span is a run of the word-level diff.
type Span struct {
	Op   string `json:"op"` // "equal", "delete" or "insert"
	Text string `json:"text"`
	// Old and New are the byte offsets of the span in Change.Old and
	// Change.New (the position where it would be for an insert or a
	// delete).
	Old int `json:"old"`
	New int `json:"new"`
}

// History recovers the source text a section was reviewed against: from
// the site's review records, else from its git history. It caches what
// it reads and is safe for concurrent use. The zero value finds nothing.
type History struct {
	dir string
	md  *markdown.Markdown

	mu  sync.Mutex
	git map[string]*gitFile // by file path
	// isRepo is 0 unknown, 1 yes, 2 no.
	isRepo int
}

// NewHistory returns the History of the site in dir, whose Markdown md
// splits old versions of a file into sections.
func NewHistory(dir string, md *markdown.Markdown) *History {
	return &History{dir: dir, md: md, git: map[string]*gitFile{}}
}

// Store writes text into the review record as the source text of its
// digest, unless it is there already. It returns the file's path.
func (h *History) Store(text string) (string, error) {
	d := Digest([]byte(text))
	p := filepath.Join(h.dir, SourcesDir, d+".md")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return p, os.Rename(tmp.Name(), p)
}

// lookup finds the section text whose digest is digest, in the review
// record or in the history of the file at path.
func (h *History) lookup(ctx context.Context, path, digest string) (Change, string) {
	if digest == "" {
		return Change{From: FromUnavailable, Note: "the review recorded no digest for this section (it was added to the source after the review)"}, ""
	}
	if h.dir != "" {
		p := filepath.Join(h.dir, SourcesDir, digest+".md")
		if b, err := os.ReadFile(p); err == nil && Digest(b) == digest {
			rel, _ := filepath.Rel(h.dir, p)
			return Change{From: FromRecord, Record: filepath.ToSlash(rel)}, string(b)
		}
	}
	if c, text, ok := h.fromGit(ctx, path, digest); ok {
		return c, text
	}
	why := "nor in the site's git history (its last " + fmt.Sprint(maxCommits) + " commits of the file)"
	if _, err := exec.LookPath("git"); err != nil {
		why = "and git is not installed to look in the site's history"
	} else if !h.repo(ctx) {
		why = "and the site is not in a git repository"
	}
	return Change{From: FromUnavailable, Note: "the reviewed text is not in the review record (" + SourcesDir + ") " + why + "; mark the page reviewed again to see future changes"}, ""
}

// change returns the word-level diff of source section s since the
// review rec.
func (h *History) change(s *SectionRef, rec Record) *Change {
	if h == nil {
		return nil
	}
	path, text := s.File, s.Text
	// Finding a text in git history reads files, which a request can
	// not wait for forever.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, old := h.lookup(ctx, path, rec.Digest)
	c.New = text
	if c.From != FromUnavailable {
		c.Old = old
		c.Spans = wordDiff(old, text)
	}
	return &c
}

// gitFile is what the git history holds of one file: section digests
// to texts, filled commit by commit, newest first.
type gitFile struct {
	commits []gitCommit
	next    int
	texts   map[string]gitText
	err     error
}

type gitCommit struct{ hash, date string }

type gitText struct {
	commit gitCommit
	text   string
}

// maxCommits bounds how far back the history of one file is read.
const maxCommits = 200

// fromGit looks for the section with digest in the history of path.
func (h *History) fromGit(ctx context.Context, path, digest string) (Change, string, bool) {
	if path == "" || h.md == nil || !h.repo(ctx) {
		return Change{}, "", false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.git[path]
	if g == nil {
		g = &gitFile{texts: map[string]gitText{}}
		h.git[path] = g
		out, err := h.runGitIn(ctx, filepath.Dir(path), "log", "--format=%H %cs", "-n", fmt.Sprint(maxCommits), "--", filepath.Base(path))
		g.err = err
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if hash, date, ok := strings.Cut(l, " "); ok {
				g.commits = append(g.commits, gitCommit{hash, date})
			}
		}
	}
	for {
		if t, ok := g.texts[digest]; ok {
			return Change{From: FromGit, Commit: t.commit.hash[:min(12, len(t.commit.hash))], Date: t.commit.date}, t.text, true
		}
		if g.err != nil || g.next >= len(g.commits) {
			return Change{}, "", false
		}
		c := g.commits[g.next]
		g.next++
		// "HASH:./name" is the file relative to the folder git runs in.
		src, err := h.runGitIn(ctx, filepath.Dir(path), "show", c.hash+":./"+filepath.Base(path))
		if err != nil {
			continue // the file did not exist under this name then
		}
		f, err := content.Parse(path, "", "", src, h.md)
		if err != nil {
			continue
		}
		for _, t := range sectionTexts(f.Body, f.Outline()) {
			d := Digest([]byte(t))
			if _, seen := g.texts[d]; !seen {
				g.texts[d] = gitText{c, t}
			}
		}
	}
}

// sectionTexts splits a file body into section texts as analyse does.
func sectionTexts(body []byte, heads []markdown.Heading) []string {
	var out []string
	if len(heads) > 0 && heads[0].Level == 1 && len(bytes.TrimSpace(body[:heads[0].Offset])) == 0 {
		heads = heads[1:]
	}
	introEnd := len(body)
	if len(heads) > 0 {
		introEnd = heads[0].Offset
	}
	out = append(out, string(body[:introEnd]))
	for i, h := range heads {
		end := len(body)
		if i+1 < len(heads) {
			end = heads[i+1].Offset
		}
		out = append(out, string(body[h.Offset:end]))
	}
	return out
}

// repo reports whether the site is inside a git work tree with the
// git command available.
func (h *History) repo(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.isRepo == 0 {
		h.isRepo = 2
		if out, err := h.runGit(ctx, "rev-parse", "--is-inside-work-tree"); err == nil && strings.TrimSpace(string(out)) == "true" {
			h.isRepo = 1
		}
	}
	return h.isRepo == 1
}

func (h *History) runGit(ctx context.Context, args ...string) ([]byte, error) {
	return h.runGitIn(ctx, h.dir, args...)
}

// runGitIn runs a read-only git command in dir. Only plumbing-like
// commands that run no hooks are used (log, show, rev-parse); the
// options turn off what could run a program or write: the pager,
// fsmonitor, optional index locks and textconv filters.
func (h *History) runGitIn(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, err
	}
	full := []string{"-C", dir, "--no-pager", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", args[0]}
	if args[0] == "show" {
		full = append(full, "--no-textconv")
	}
	full = append(full, args[1:]...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git %s: %s", args[0], strings.TrimSpace(stderr.String()))
		}
		return nil, err
	}
	return out, nil
}
