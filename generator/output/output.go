// Package output writes a build into its output folder so that readers
// never see a half-written site: files go into a folder beside the
// output, which replaces the old one only once complete.
//
// The folder a build is written into is, when possible, the one the
// build before last was in (kept beside the output as the "spare"), so
// that a rebuild of a mostly unchanged site creates no folders and
// writes no unchanged files: every file found there is checked against
// the new bytes and the current output before it is kept, and a changed
// file that only the spare has is written over rather than replaced.
package output

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Staged is a build being written. Create it with Stage; finish it
// with Commit or Abort. WriteFile is safe for concurrent use.
type Staged struct {
	dir, tmp string
	// recycled is set when tmp is a spare holding an earlier build,
	// whose files and folders must be checked before they are kept and
	// whose leftovers Commit removes.
	recycled bool
	// previous is set when the output folder existed when the build
	// was staged: without it, there is no earlier file to reuse, and
	// looking for one cost a cold build a failed open per file.
	previous bool
	// perm is the mode of the files this build creates (0644 less the
	// umask), which a previous file must have to be reused.
	perm    fs.FileMode
	mu      sync.Mutex
	written map[string]Entry
	// dirs holds the folders already created, so each page's folder
	// costs one mkdir instead of MkdirAll's stat, stat and mkdir.
	dirs sync.Map
	// bufs recycles the buffers previous files are read into.
	bufs sync.Pool
	opts Options
	// owned is the lock Begin took, released by Commit and Abort.
	owned *Lock
	// exchange, when not nil, replaces the package's exchange (tests).
	exchange func(a, b string) error
	// noSpace is set when a write failed for lack of disk space: then
	// the partial build is removed, not kept as the next build's spare.
	noSpace atomic.Bool
}

// An Entry is one file of a staged build. It has no digest: the
// pipeline's CDN step hashes every file for the manifest, and hashing
// it here as well cost a cold build a second SHA-256 of all its output.
type Entry struct {
	// Name is slash-separated and relative to the output root.
	Name string
	Size int64
}

// stagePrefix names the temporary folders, so a later build can find
// and remove those of a build that was killed.
const stagePrefix = ".policysite-tmp-"

// CheckOptions say which existing output folders CheckContents accepts.
type CheckOptions struct {
	// Force accepts a non-empty output folder that policysite did not
	// make (one without its manifest); its files are replaced.
	Force bool
	// Keep lists names at the top of the output that each build carries
	// over untouched (output.keep in site.toml, such as ".git" and
	// "CNAME").
	Keep []string
	// Manifest is the name of the file every build writes at the top of
	// the output (generator/cdn's manifest); an output holding it was
	// made by policysite. "" accepts any folder.
	Manifest string
	// Static is the site's static/ folder. A file at the top of the
	// output that is an exact copy of the file of the same name there is
	// not someone else's: a build would write it just so (a fresh clone
	// of a site that keeps public/README.md in git holds only that).
	Static string
}

// Check refuses output folders a build must never replace: the file
// system root, the user's home, the site folder itself, a folder that
// contains the site, one inside the site's sources, and a .git folder or
// one inside it. It creates nothing, so it runs before Acquire, which
// creates the lock file beside the output.
func Check(out, siteDir string) error {
	absOut, err := resolveOutput(out)
	if err != nil {
		return err
	}
	absSite, err := filepath.Abs(siteDir)
	if err != nil {
		return err
	}
	absSite = realPath(absSite)
	if absOut == filepath.Dir(absOut) {
		return fmt.Errorf("output folder %s is the file system root; choose a folder such as %s", out, filepath.Join(siteDir, "public"))
	}
	if home, err := os.UserHomeDir(); err == nil && absOut == realPath(home) {
		return fmt.Errorf("output folder %s is your home folder; choose a folder such as %s", out, filepath.Join(siteDir, "public"))
	}
	if within(absSite, absOut) {
		return fmt.Errorf("output folder %s contains the site %s; every file in it would be replaced; choose a folder such as %s", out, siteDir, filepath.Join(siteDir, "public"))
	}
	for _, src := range []string{"content", "i18n", "themes", "assets", "static"} {
		if within(absOut, filepath.Join(absSite, src)) {
			return fmt.Errorf("output folder %s is inside the site's %s/ folder; choose a folder such as %s", out, src, filepath.Join(siteDir, "public"))
		}
	}
	if slices.Contains(strings.Split(filepath.ToSlash(absOut), "/"), ".git") {
		return fmt.Errorf("output folder %s is a git repository's .git folder or inside one; choose a folder such as %s", out, filepath.Join(siteDir, "public"))
	}
	st, err := os.Lstat(absOut)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a folder", out)
	}
	return nil
}

// CheckContents refuses to replace a non-empty output folder that
// policysite did not make, and a git checkout whose .git would be lost.
// It runs while the lock is held, so no other build changes the folder
// in between; out is the name to show in messages.
func CheckContents(lk *Lock, out string, opts CheckOptions) error {
	entries, err := os.ReadDir(lk.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	dir := lk.dir
	var foreign []string
	ours := opts.Manifest == ""
	for _, e := range entries {
		switch name := e.Name(); {
		case slices.Contains(opts.Keep, name):
		case name == ".git":
			return fmt.Errorf("output folder %s is a git checkout: a build replaces the whole folder and would delete its .git; build into another folder and copy the files, or add keep = [\".git\"] under [output] in site.toml to carry .git into every build", out)
		case name == opts.Manifest && e.Type().IsRegular():
			ours = ours || isManifest(filepath.Join(dir, name))
		case e.Type().IsRegular() && opts.Static != "" && sameFile(filepath.Join(dir, name), filepath.Join(opts.Static, name)):
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) == 0 || ours || opts.Force {
		return nil
	}
	example := strings.Join(foreign[:min(len(foreign), 3)], ", ")
	if len(foreign) > 3 {
		example += fmt.Sprintf(" and %d more", len(foreign)-3)
	}
	return fmt.Errorf("output folder %s holds files policysite did not write (%s) and a build replaces the whole folder; choose an empty or new folder, list the files to carry over in keep under [output] in site.toml, or pass --force to replace them", out, example)
}

// sameFile reports whether the regular files a and b hold the same
// bytes; only small files are compared.
func sameFile(a, b string) bool {
	sa, err1 := os.Lstat(a)
	sb, err2 := os.Lstat(b)
	if err1 != nil || err2 != nil || !sa.Mode().IsRegular() || !sb.Mode().IsRegular() || sa.Size() != sb.Size() || sa.Size() > 1<<20 {
		return false
	}
	da, err1 := os.ReadFile(a)
	db, err2 := os.ReadFile(b)
	return err1 == nil && err2 == nil && bytes.Equal(da, db)
}

// isManifest reports whether the file p starts the way every manifest
// policysite writes does. Only the start is read: a manifest lists every
// file of the build.
func isManifest(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [32]byte
	n, _ := io.ReadFull(f, b[:])
	return strings.HasPrefix(string(b[:n]), "{\n  \"version\": ")
}

// realPath resolves symbolic links in p as far as p exists.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	dir, base := filepath.Split(p)
	if dir == p || dir == "" {
		return p
	}
	return filepath.Join(realPath(filepath.Clean(dir)), base)
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// Options configure a staged build.
type Options struct {
	// Keep lists names at the top of the output folder that Commit moves
	// from the previous output into the new one untouched (output.keep
	// in site.toml). The build must not write them itself.
	Keep []string
	// Warn, when not nil, receives problems that do not fail the build,
	// such as a swap that could not be atomic.
	Warn func(msg string)
}

// Stage prepares a folder beside the locked output for a new build: the
// spare left by an earlier build when there is one, else a new folder.
// Holding lk proves that no other build of this output runs, so every
// temporary folder of the output found beside it is a leftover of a
// build that is gone; Stage removes them (moving kept files back first).
func Stage(lk *Lock, opts Options) (*Staged, error) {
	if lk == nil || lk.file == nil {
		return nil, errors.New("staging an output needs its lock")
	}
	out := lk.dir
	parent := filepath.Dir(out)
	if err := checkMount(out); err != nil {
		return nil, err
	}
	cleanStale(parent, filepath.Base(out), opts.Keep)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(parent, stagePrefix+filepath.Base(out)+"-"+hex.EncodeToString(rnd[:]))
	recycled := canRecycle && isOwnFolder(spareOf(out)) && os.Rename(spareOf(out), tmp) == nil
	if !recycled {
		if err := os.Mkdir(tmp, 0o755); err != nil {
			return nil, err
		}
	}
	// The umask takes the same bits from a new folder's 0755 as it will
	// from each new file's 0644; a probe folder tells them even when tmp
	// is an old one.
	probe := filepath.Join(tmp, ".policysite-umask")
	_ = os.RemoveAll(probe)
	if err := os.Mkdir(probe, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	st, err := os.Stat(probe)
	_ = os.Remove(probe)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	_, err = os.Lstat(out)
	s := &Staged{dir: out, tmp: tmp, recycled: recycled, previous: err == nil, perm: 0o644 & st.Mode().Perm(), written: map[string]Entry{}, opts: opts}
	s.dirs.Store(tmp, struct{}{})
	return s, nil
}

// Begin takes the lock of out without waiting and stages a build into
// it, for callers that need no more control (tests, tools); Commit and
// Abort release the lock.
func Begin(ctx context.Context, out string, opts Options) (*Staged, error) {
	lk, err := Acquire(ctx, out, LockOptions{})
	if err != nil {
		return nil, err
	}
	s, err := Stage(lk, opts)
	if err != nil {
		_ = lk.Unlock()
		return nil, err
	}
	s.owned = lk
	return s, nil
}

// spareOf names the folder where the build before last of out is kept
// for the next build to recycle.
func spareOf(out string) string {
	return filepath.Join(filepath.Dir(out), sparePrefix+filepath.Base(out))
}

const sparePrefix = ".policysite-spare-"

// isOwnFolder reports whether p is a folder (not a symbolic link to
// one) owned by the user running the build.
func isOwnFolder(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir() && owned(st)
}

// cleanStale removes leftovers of killed builds of the same output. A
// previous build moved aside by a Commit that never finished is moved
// back, not removed, and so are kept files (Options.Keep) found in a
// leftover, which a Commit killed half way may have left there.
func cleanStale(parent, base string, keep []string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	out := filepath.Join(parent, base)
	for _, e := range entries {
		p := filepath.Join(parent, e.Name())
		switch {
		case !e.IsDir():
		case isLeftover(e.Name(), stagePrefix, base):
			if rescueKept(p, out, keep) {
				_ = os.RemoveAll(p)
			}
		case isLeftover(e.Name(), oldPrefix, base):
			if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
				_ = os.Rename(p, out)
			} else if rescueKept(p, out, keep) {
				_ = os.RemoveAll(p)
			}
		case e.Name() == sparePrefix+base:
			if !rescueKept(p, out, keep) {
				// Never recycled, so never pruned, while it holds them.
				_ = os.Rename(p, filepath.Join(parent, oldPrefix+base+"-"+randomHex()))
			}
		}
	}
}

// rescueKept moves the kept names found in the leftover folder p into
// the output out, which lacks them, and reports whether p holds none of
// them any more and may be removed. A kept name the output has too stays
// where it is: which one is right is for a person to decide.
func rescueKept(p, out string, keep []string) bool {
	clean := true
	for _, name := range keep {
		src := filepath.Join(p, name)
		if _, err := os.Lstat(src); err != nil {
			continue
		}
		dst := filepath.Join(out, name)
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) && isDir(out) && os.Rename(src, dst) == nil {
			continue
		}
		clean = false
	}
	return clean
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func randomHex() string {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	return hex.EncodeToString(rnd[:])
}

// isLeftover reports whether name is prefix+base+"-"+12 hex digits,
// the exact form Stage and Commit create. A looser match would take the
// folders of another output in the same parent ("public-x" beside
// "public") for this one's.
func isLeftover(name, prefix, base string) bool {
	rest, ok := strings.CutPrefix(name, prefix+base+"-")
	if !ok || len(rest) != 12 {
		return false
	}
	_, err := hex.DecodeString(rest)
	return err == nil
}

// WriteFile writes one file, name being slash-separated and relative to
// the output root, and records its size for Entries.
//
// When the previous build has a file of that name with the same bytes,
// the new one is that file, hard-linked, instead of a copy: nothing is
// written to disk and the file keeps its modification time, so sync
// tools skip it. In a recycled spare, a file that already is a link to
// that one is kept as it is.
func (s *Staged) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || strings.Contains(name, `\`) || name == "." {
		return fmt.Errorf("output path %q is not a clean relative path", name)
	}
	if hasControl(name) {
		return fmt.Errorf("output path %q contains a control character; rename the source file or change the page's slug", name)
	}
	if top, _, _ := strings.Cut(name, "/"); slices.Contains(s.opts.Keep, top) {
		return fmt.Errorf("the build writes %s, but keep under [output] in site.toml lists %s, which is carried over from the previous output; remove one of them", name, top)
	}
	// The manifest's digests are the CDN step's (generator/cdn), which
	// sees every file before it is written here.
	e := Entry{Name: name, Size: int64(len(data))}
	s.mu.Lock()
	if _, dup := s.written[name]; dup {
		s.mu.Unlock()
		return fmt.Errorf("two outputs write %s; give one of the pages a different slug", name)
	}
	s.written[name] = e
	s.mu.Unlock()
	p := filepath.Join(s.tmp, filepath.FromSlash(name))
	if err := s.mkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	old := filepath.Join(s.dir, filepath.FromSlash(name))
	if s.recycled && s.keep(old, p, data) {
		return nil
	}
	if s.previous && s.reuse(old, p, data) {
		return nil
	}
	err := s.create(p, data)
	if errors.Is(err, syscall.ENOSPC) {
		s.noSpace.Store(true)
		return fmt.Errorf("the disk holding %s is full: %w; the partial build is removed, free some space and build again", s.dir, err)
	}
	return err
}

// create writes the file p of the staged folder. In a recycled spare,
// a file of the spare alone is written over (rewrite); anything else
// the spare has there goes: its files may be links to the current
// output's, which must not change.
func (s *Staged) create(p string, data []byte) error {
	if s.recycled {
		if ok, err := s.rewrite(p, data); ok {
			return err
		}
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return writeFile(p, data)
}

// hasControl reports whether name holds a control character (C0, DEL
// or C1), which no URL or file name of a site should carry.
func hasControl(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < 0x20 || c == 0x7f || c == 0xc2 && i+1 < len(name) && name[i+1] >= 0x80 && name[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

// mkdirAll is os.MkdirAll for folders inside the staged folder,
// remembering which exist.
func (s *Staged) mkdirAll(dir string) error {
	if dir == s.tmp {
		return nil
	}
	if _, ok := s.dirs.Load(dir); ok {
		return nil
	}
	if s.recycled {
		// The spare's folders are reused, but a symbolic link there
		// could lead writes out of the output: only real folders stay.
		st, err := os.Lstat(dir)
		switch {
		case err == nil && st.IsDir():
			s.dirs.Store(dir, struct{}{})
			return nil
		case err == nil:
			if err := os.Remove(dir); err != nil {
				return err
			}
		}
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.mkdirAll(filepath.Dir(dir)); err != nil {
			return err
		}
		err = os.Mkdir(dir, 0o755)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.dirs.Store(dir, struct{}{})
	return nil
}

// buffer returns a buffer of n bytes from the pool.
func (s *Staged) buffer(n int) *[]byte {
	if b, ok := s.bufs.Get().(*[]byte); ok && cap(*b) >= n {
		*b = (*b)[:n]
		return b
	}
	b := make([]byte, n, max(n, 64<<10))
	return &b
}

// Has reports whether the build has written name.
func (s *Staged) Has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.written[name]
	return ok
}

// Entries returns every file written so far, sorted by name.
func (s *Staged) Entries() []Entry {
	s.mu.Lock()
	out := make([]Entry, 0, len(s.written))
	for _, e := range s.written {
		out = append(out, e)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Dir returns the staged folder the build is written into.
func (s *Staged) Dir() string { return s.tmp }

const oldPrefix = ".policysite-old-"

// Commit replaces the output folder with the staged one and carries the
// kept names (Options.Keep) of the previous output over into it. On
// Linux the two folders are exchanged atomically; where that is not
// possible the old folder is moved aside first (with a warning), and a
// build killed in between is recovered by the next one.
func (s *Staged) Commit() error {
	defer s.owned.Unlock()
	if s.recycled {
		if err := s.prune(); err != nil {
			return s.fail(err)
		}
	}
	if _, err := os.Lstat(s.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(s.tmp, s.dir); err != nil {
			return s.fail(err)
		}
		return nil
	}
	err := s.swap(s.tmp, s.dir)
	if err == nil {
		// tmp now holds the previous build: the kept names move on, and
		// the rest is the next build's spare.
		if err := s.carryKept(s.tmp); err != nil {
			return err
		}
		return s.keepSpare(s.tmp)
	}
	if mountErr(err) {
		return s.fail(mountHint(s.dir, err))
	}
	if s.opts.Warn != nil && !errors.Is(err, errNoExchange) {
		s.opts.Warn(fmt.Sprintf("cannot swap %s in one step (%v); replaced it with two renames, so for a moment it did not exist", s.dir, unwrapLink(err)))
	}
	old := filepath.Join(filepath.Dir(s.dir), oldPrefix+filepath.Base(s.dir)+"-"+randomHex())
	if err := os.Rename(s.dir, old); err != nil {
		if mountErr(err) {
			err = mountHint(s.dir, err)
		}
		return s.fail(err)
	}
	if err := os.Rename(s.tmp, s.dir); err != nil {
		_ = os.Rename(old, s.dir)
		return s.fail(err)
	}
	if err := s.carryKept(old); err != nil {
		return err
	}
	return s.keepSpare(old)
}

// errNoExchange is exchange's error where the system has no atomic
// exchange of two folders.
var errNoExchange = errors.New("atomic exchange not supported")

// swap exchanges the folders a and b, as exchange does; tests replace
// it to see what happens where the exchange fails.
func (s *Staged) swap(a, b string) error {
	if s.exchange != nil {
		return s.exchange(a, b)
	}
	return exchange(a, b)
}

// carryKept moves the kept names from prev, the previous output, into
// the new one. A kept name that cannot be moved stays in prev, which is
// then left for the next build to recover (cleanStale).
func (s *Staged) carryKept(prev string) error {
	var errs []error
	for _, name := range s.opts.Keep {
		src := filepath.Join(prev, name)
		if _, err := os.Lstat(src); err != nil {
			continue
		}
		if err := os.Rename(src, filepath.Join(s.dir, name)); err != nil {
			errs = append(errs, fmt.Errorf("carrying %s over into the new output: %w; it is in %s, which the next build moves back", name, err, prev))
		}
	}
	return errors.Join(errs...)
}

// fail removes the staged folder after a Commit that could not finish
// and returns err.
func (s *Staged) fail(err error) error {
	_ = removeAll(s.tmp)
	return err
}

// mountHint explains a rename that failed because dir is a mount point.
func mountHint(dir string, err error) error {
	return fmt.Errorf("cannot replace %s: it is a mount point (%v), and a build replaces the output folder by renaming; build into a folder inside it (-o %s)", dir, unwrapLink(err), filepath.Join(dir, "site"))
}

// unwrapLink returns the system error inside a rename's error.
func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// keepSpare keeps dir, an earlier build, as the spare for the next build
// to recycle, or removes it where recycling is not supported or another
// build already left a spare.
func (s *Staged) keepSpare(dir string) error {
	if canRecycle && os.Rename(dir, spareOf(s.dir)) == nil {
		return nil
	}
	return removeAll(dir)
}

// prune removes from a recycled spare everything the build did not
// write, so the folder holds exactly this build.
func (s *Staged) prune() error {
	s.mu.Lock()
	keep := make(map[string]bool, 2*len(s.written))
	for name := range s.written {
		keep[name] = true
		for d := path.Dir(name); d != "." && !keep[d]; d = path.Dir(d) {
			keep[d] = true
		}
	}
	s.mu.Unlock()
	return fs.WalkDir(os.DirFS(s.tmp), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return err
		}
		if keep[name] {
			return nil
		}
		if err := os.RemoveAll(filepath.Join(s.tmp, filepath.FromSlash(name))); err != nil {
			return err
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}

// removeAll is os.RemoveAll for a build's folder, removing the
// top-level entries (one folder per locale) concurrently: removal waits
// on the file system more than on the CPU, and folders apart do not
// contend for a lock.
func removeAll(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	errs := make([]error, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(entries), 8) {
		wg.Go(func() {
			for i := range next {
				errs[i] = os.RemoveAll(filepath.Join(dir, entries[i].Name()))
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(append(errs, os.RemoveAll(dir))...)
}

// Abort leaves the output untouched and keeps what the build wrote as
// the next build's spare, which checks every file in it before keeping
// it; this is one rename, so an interrupted build stops at once. A build
// that wrote nothing is removed, so no empty spare is left, and so is
// one that filled the disk, so the disk does not stay full.
func (s *Staged) Abort() error {
	defer s.owned.Unlock()
	s.mu.Lock()
	empty := len(s.written) == 0
	s.mu.Unlock()
	if s.noSpace.Load() || empty && !s.recycled {
		return removeAll(s.tmp)
	}
	return s.keepSpare(s.tmp)
}
