// Package git reads the states of a site's content folder from the git
// history of the work tree it is in: one state for each commit of HEAD's
// first-parent history that changed a page source (.md, .markdown) of
// the content folder, oldest first.
//
// It runs the git command (2.15 or later), and only commands that read:
// rev-parse, log and cat-file --batch, with hooks, optional locks and
// every setting that would start another program turned off. A build
// never runs a hook or writes to the repository. The history read is
// kept in a cache file of the site, so that a build reads only the
// commits made since the last one.
package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"policysite/generator/diag"
	"policysite/generator/versions"
)

// CacheName is the name of the cache file in the site's cache folder:
// Options.Cache is filepath.Join(site, buildcache.Dir, CacheName).
const CacheName = "versions-git.json"

// Options configure a Source.
type Options struct {
	// Dir is the content folder. It may be anywhere in a work tree:
	// the states' paths are relative to it.
	Dir string
	// Cache is the file the history is kept in between builds,
	// SITE/.policysite-cache/versions-git.json (see CacheName); "" keeps
	// none. It is never inside the repository's .git folder.
	Cache string
	// Warnings, if set, receives the warning that the history is a
	// shallow clone's and so misses the older versions. Set it only
	// when the site has pages with an effective date: a shallow clone
	// of a site without versions misses nothing.
	Warnings *diag.Warnings
	// Program is the git command to run. Default "": "git" in PATH.
	Program string
}

// A Source is the git history of a content folder, as a
// versions.Source. Make one with New; the zero value is not usable.
// Its methods are safe for concurrent use. Read starts one git process,
// which Close ends: close a Source when the build that uses it ends.
type Source struct {
	opts  Options
	batch batch

	mu   sync.Mutex
	note string
	read int // commits read from git log by the last States, for tests
}

var _ versions.Source = (*Source)(nil)

// New returns the history of the content folder opts.Dir. It runs
// nothing until States or Read is called.
func New(opts Options) *Source {
	if opts.Program == "" {
		opts.Program = "git"
	}
	s := &Source{opts: opts}
	s.batch.sem = make(chan struct{}, 1)
	return s
}

// Note says in one line what the last call of States found, for the
// build's verbose output: how many commits it read, or why the site has
// no versions from git history.
func (s *Source) Note() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.note
}

func (s *Source) setNote(read int, format string, args ...any) {
	s.mu.Lock()
	s.note, s.read = fmt.Sprintf(format, args...), read
	s.mu.Unlock()
}

// States returns a state for each commit of HEAD's first-parent history
// that changed a page source of the content folder, oldest first; a
// merge is compared with its first parent. Outside a git work tree,
// without the git command, or before the first commit, there are no
// states and no error; Note says why. In a shallow clone, States returns
// the states the clone has and warns that older ones are missing.
func (s *Source) States(ctx context.Context) ([]versions.State, error) {
	r, why, err := s.probe(ctx)
	if err != nil {
		return nil, err
	}
	if r == nil {
		s.setNote(0, "no versions from git history: %s", why)
		return nil, nil
	}
	// A shallow clone's history grows when it is deepened while HEAD
	// stays, so its history is never cached. It is short anyway.
	var cached *history
	if !r.shallow {
		cached = loadCache(s.opts.Cache, r.prefix)
	}
	h, read, err := s.history(ctx, r, cached)
	if err != nil {
		return nil, err
	}
	states := h.states()
	note := fmt.Sprintf("git history: %s changed the content folder; %s read",
		diag.Plural(len(h.Commits), "commit", "commits"), diag.Plural(read, "commit", "commits"))
	if cached != nil && read > 0 {
		note += ", the others came from the cache"
	} else if cached != nil {
		note += ", the cache was up to date"
	}
	if r.shallow {
		note += " (a shallow clone: not cached)"
		if s.opts.Warnings != nil {
			s.opts.Warnings.Add(shallowWarning(h))
		}
	} else if s.opts.Cache != "" && (cached == nil || read > 0) {
		if err := saveCache(s.opts.Cache, h); err != nil {
			note += fmt.Sprintf(" (not cached: %v)", err)
		}
	}
	s.setNote(read, "%s", note)
	return states, nil
}

// shallowWarning tells that a shallow clone's history h misses the
// versions older than its first commit.
func shallowWarning(h *history) diag.Warning {
	w := diag.Warning{
		Kind: "incomplete git history (a shallow clone)",
		Hint: "run git fetch --unshallow before the build; with GitHub's actions/checkout, set fetch-depth: 0",
	}
	if len(h.Commits) > 0 {
		first := h.Commits[0]
		w.Detail = fmt.Sprintf("the versions of the content before %s (commit %.12s) are missing", first.Time.Format(time.DateOnly), first.ID)
	} else {
		w.Detail = "the versions of the content before the clone's first commit are missing"
	}
	return w
}

// Head returns the id of HEAD's commit in the work tree holding dir,
// or "" when dir is not in a git work tree, git is not installed, or
// there is no commit yet. A build whose versions come from git history
// depends on it: the build cache records it among the build's inputs.
func Head(ctx context.Context, dir string) (string, error) {
	r, _, err := New(Options{Dir: dir}).probe(ctx)
	if r == nil || err != nil {
		return "", err
	}
	return r.head, nil
}

// A repo is what probe found out about the repository of the content
// folder.
type repo struct {
	prefix  string // the content folder's path in the work tree, "site/content/", or "" at its top
	head    string // HEAD's commit id
	shallow bool
}

// probe finds the repository of the content folder. Where there is no
// history to read, it returns nil and says why.
func (s *Source) probe(ctx context.Context) (r *repo, why string, err error) {
	if _, err := exec.LookPath(s.opts.Program); err != nil {
		return nil, "git is not installed", nil
	}
	if st, err := os.Stat(s.opts.Dir); err != nil || !st.IsDir() {
		return nil, s.opts.Dir + " is not a folder", nil
	}
	// One process for all four answers: each costs milliseconds.
	out, err := s.output(ctx, "rev-parse", "--is-inside-work-tree", "--show-prefix", "--is-shallow-repository", "HEAD^{commit}", "--")
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if err != nil {
		var ge *gitError
		// "(or any of the parent directories)", "(or any parent up to
		// mount point /x)": no repository found. A .git file naming a
		// folder that is gone says "not a git repository: PATH", which
		// is an error to report, not a site outside git.
		if errors.As(err, &ge) && strings.Contains(ge.stderr, "not a git repository (or any") {
			return nil, "the site is not in a git work tree", nil
		}
		// rev-parse answers in order, so the first three lines were
		// printed if it failed at HEAD: no commit yet, if --verify says
		// so (without an error message to read).
		if len(lines) == 3 && lines[0] == "false" {
			return nil, "the content folder is not in a git work tree", nil
		}
		if len(lines) == 3 && lines[0] == "true" {
			_, verr := s.output(ctx, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
			var ee *exec.ExitError
			if errors.As(verr, &ee) && ee.ExitCode() == 1 {
				return nil, "the repository has no commit yet", nil
			}
		}
		return nil, "", err
	}
	if len(lines) != 5 || (lines[2] != "true" && lines[2] != "false") {
		// git before 2.15 prints the unknown option back.
		return nil, "", fmt.Errorf("reading the git history of %s: git rev-parse printed %q; policysite needs git 2.15 or later", s.opts.Dir, out)
	}
	if lines[0] != "true" {
		return nil, "the content folder is not in a git work tree", nil
	}
	r = &repo{prefix: lines[1], shallow: lines[2] == "true", head: lines[3]}
	if !isObjectID(r.head) {
		return nil, "", fmt.Errorf("reading the git history of %s: git rev-parse printed %q for HEAD, not a commit id", s.opts.Dir, out)
	}
	return r, "", nil
}

// command returns git running args in the content folder, with every
// setting that could make a read command start another program, ask a
// question, or write to the repository turned off.
func (s *Source) command(ctx context.Context, args ...string) *exec.Cmd {
	full := []string{
		"--no-pager", "--no-optional-locks",
		"-c", "core.hooksPath=" + os.DevNull,
		"-c", "core.fsmonitor=false",
		"-c", "diff.external=",
		"-c", "log.showSignature=false",
		"-c", "log.follow=false",
		"-c", "diff.relative=false",
		"-c", "gc.auto=0",
		"-c", "maintenance.auto=false",
		"-C", s.opts.Dir,
	}
	cmd := exec.CommandContext(ctx, s.opts.Program, append(full, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_TERMINAL_PROMPT=0",
		// A partial clone would fetch missing objects from its remote
		// (git 2.44 and later honour this).
		"GIT_NO_LAZY_FETCH=1",
		// git's messages in English, which probe and gitError read.
		"LC_ALL=C", "LANGUAGE=C",
	)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// output runs git with args and returns what it printed.
func (s *Source) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := s.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return out, s.gitError(args[0], stderr.String(), err)
	}
	return out, nil
}

// A gitError is a git command that failed.
type gitError struct {
	msg    string
	stderr string
	err    error
}

func (e *gitError) Error() string { return e.msg }
func (e *gitError) Unwrap() error { return e.err }

// gitError describes the failure err of git command, which printed
// stderr, in the user's terms.
func (s *Source) gitError(command, stderr string, err error) error {
	if strings.Contains(stderr, "dubious ownership") {
		// git refuses a repository another user owns (CVE-2022-24765):
		// common in CI containers, which check out as another user.
		return &gitError{stderr: stderr, err: err, msg: fmt.Sprintf(
			"reading the git history of %s: git refuses the repository because another user owns it; "+
				"build as its owner, or mark it safe with: git config --global --add safe.directory %s", s.opts.Dir, ownedRepo(stderr, s.opts.Dir))}
	}
	first := strings.TrimSpace(stderr)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if first == "" {
		first = err.Error()
	}
	return &gitError{stderr: stderr, err: err, msg: fmt.Sprintf("reading the git history of %s: git %s: %s", s.opts.Dir, command, strings.TrimPrefix(first, "fatal: "))}
}

// ownedRepo returns the folder git's safe.directory refusal names
// ("detected dubious ownership in repository at '/src'"), or dir.
func ownedRepo(stderr, dir string) string {
	_, rest, ok := strings.Cut(stderr, "repository at '")
	if p, _, ok2 := strings.Cut(rest, "'"); ok && ok2 && p != "" {
		return p
	}
	return dir
}

// isObjectID reports whether id is a full SHA-1 or SHA-256 object id.
func isObjectID(id string) bool {
	if len(id) != 40 && len(id) != 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isPage reports whether rel, a slash path in the content folder, is a
// page source that content.Load reads: a .md or .markdown file in no
// hidden folder, not hidden, and not an editor's backup.
func isPage(rel string) bool {
	if !fs.ValidPath(rel) || rel == "." {
		return false
	}
	if !strings.HasSuffix(rel, ".md") && !strings.HasSuffix(rel, ".markdown") {
		return false
	}
	for part := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, "~") {
			return false
		}
	}
	return true
}
