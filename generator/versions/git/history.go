package git

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"policysite/generator/versions"
)

// A history is what the content folder's page sources were, as the
// changes each commit made to them, oldest first. It is also the cache
// file's contents.
type history struct {
	Format int    `json:"format"` // cacheFormat
	Prefix string `json:"prefix"` // repo.prefix
	// Head is the newest commit read, whether or not it changed the
	// content folder.
	Head string `json:"head"`
	// Commits are the commits that changed a page source.
	Commits []commit `json:"commits"`
}

// A commit is what one commit changed in the page sources.
type commit struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Set maps each file the commit added or changed to its blob.
	Set map[string]string `json:"set,omitempty"`
	// Del lists the files the commit removed.
	Del []string `json:"del,omitempty"`
}

// states replays h into one state per commit, each with its own map.
func (h *history) states() []versions.State {
	states := make([]versions.State, 0, len(h.Commits))
	files := map[string]versions.Blob{}
	for _, c := range h.Commits {
		for p, id := range c.Set {
			files[p] = versions.Blob{ID: id}
		}
		for _, p := range c.Del {
			delete(files, p)
		}
		states = append(states, versions.State{ID: c.ID, Time: c.Time, Files: maps.Clone(files)})
	}
	return states
}

// history returns the history up to r.head: cached's, and the commits
// made since it, or all of it read anew when cached is nil or no longer
// an ancestor of HEAD's first-parent history (rewritten history). It
// also returns how many commits it read from git.
func (s *Source) history(ctx context.Context, r *repo, cached *history) (*history, int, error) {
	if cached != nil && cached.Head == r.head {
		return cached, 0, nil
	}
	if cached != nil {
		commits, err := s.log(ctx, r, cached.Head+".."+r.head)
		if err == nil && len(commits) > 0 && commits[len(commits)-1].parent == cached.Head {
			h := &history{Format: cacheFormat, Prefix: r.prefix, Head: r.head, Commits: slices.Clip(cached.Commits)}
			h.add(commits)
			return h, len(commits), nil
		}
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		// Anything else (the cached head rebased away, or gone) means
		// the cache does not describe this history: read all of it.
	}
	commits, err := s.log(ctx, r, r.head)
	if err != nil {
		return nil, 0, err
	}
	h := &history{Format: cacheFormat, Prefix: r.prefix, Head: r.head}
	h.add(commits)
	return h, len(commits), nil
}

// add appends the commits that changed a page source, given newest
// first as git log prints them.
func (h *history) add(commits []logCommit) {
	for i := len(commits) - 1; i >= 0; i-- {
		if c := commits[i]; len(c.change.Set) > 0 || len(c.change.Del) > 0 {
			h.Commits = append(h.Commits, c.change)
		}
	}
}

// A logCommit is one commit of git log's output.
type logCommit struct {
	change commit
	parent string // first parent, "" for a root commit or a shallow clone's first
}

// log reads the first-parent history of rev (a commit, or a range
// old..new), newest first, with every commit's changes to the page
// sources of the content folder against its first parent.
func (s *Source) log(ctx context.Context, r *repo, rev string) ([]logCommit, error) {
	out, err := s.output(ctx, "log",
		// A merge is compared with its first parent only.
		"--first-parent", "-m",
		// The first commit, or a shallow clone's, shows its files as added.
		"--root",
		// Every commit is listed, changes or not, so that the chain of
		// first parents can be checked against the cache.
		"--sparse",
		"--raw", "--no-renames", "--no-abbrev", "-z",
		"--no-color", "--no-ext-diff", "--no-textconv",
		"--format=commit %H %cI %P",
		rev, "--", ".")
	if err != nil {
		return nil, err
	}
	return parseLog(out, r.prefix)
}

// parseLog parses the output of log: for each commit "commit ID TIME
// PARENTS" and its raw diff lines (":old-mode new-mode old-id new-id
// status" and the path), NUL-terminated.
func parseLog(out []byte, prefix string) ([]logCommit, error) {
	var commits []logCommit
	var cur *logCommit
	bad := func(what string, tok []byte) error {
		return fmt.Errorf("reading the git history: unexpected git log output (%s): %.80q", what, tok)
	}
	for len(out) > 0 {
		tok, rest, _ := bytes.Cut(out, []byte{0})
		out = rest
		tok = bytes.TrimLeft(tok, "\n")
		switch {
		case len(tok) == 0:
		case bytes.HasPrefix(tok, []byte("commit ")):
			f := strings.Fields(string(tok[len("commit "):]))
			if len(f) < 2 || !isObjectID(f[0]) {
				return nil, bad("commit", tok)
			}
			t, err := time.Parse(time.RFC3339, f[1])
			if err != nil {
				return nil, bad("commit time", tok)
			}
			commits = append(commits, logCommit{change: commit{ID: f[0], Time: t}})
			cur = &commits[len(commits)-1]
			if len(f) > 2 {
				cur.parent = f[2]
			}
		case tok[0] == ':':
			// The path follows in the next field, which may hold any
			// byte but NUL.
			path, rest, ok := bytes.Cut(out, []byte{0})
			out = rest
			f := strings.Fields(string(tok[1:]))
			if cur == nil || !ok || len(f) != 5 {
				return nil, bad("diff", tok)
			}
			rel, ok := strings.CutPrefix(string(path), prefix)
			if !ok || !isPage(rel) {
				continue
			}
			cur.change.apply(rel, f[0], f[1], f[2], f[3])
		default:
			return nil, bad("line", tok)
		}
	}
	return commits, nil
}

// apply records in c that file rel went from mode oldMode and blob oldID
// to newMode and newID. Only regular files are pages: a file that
// becomes a symbolic link or a submodule is removed as a page.
func (c *commit) apply(rel, oldMode, newMode, oldID, newID string) {
	regular := func(mode string) bool { return mode == "100644" || mode == "100755" }
	switch {
	case regular(newMode) && isObjectID(newID):
		if regular(oldMode) && oldID == newID {
			return // only its mode changed
		}
		if c.Set == nil {
			c.Set = map[string]string{}
		}
		c.Set[rel] = newID
	case regular(oldMode):
		c.Del = append(c.Del, rel)
	}
}
