// Package output writes a build into its output folder so that readers
// never see a half-written site: files go into a folder beside the
// output, which replaces the old one only once complete.
//
// The folder a build is written into is, when possible, the one the
// build before last was in (kept beside the output as the "spare"), so
// that a rebuild of a mostly unchanged site creates no folders and
// writes no unchanged files: every file found there is checked against
// the new bytes and the current output before it is kept.
package output

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Staged is a build being written. Create it with Stage; finish it
// with Commit or Abort. WriteFile is safe for concurrent use.
type Staged struct {
	dir, tmp string
	// recycled is set when tmp is a spare holding an earlier build,
	// whose files and folders must be checked before they are kept and
	// whose leftovers Commit removes.
	recycled bool
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
}

// An Entry is one file of a staged build.
type Entry struct {
	// Name is slash-separated and relative to the output root.
	Name   string
	Size   int64
	SHA256 [sha256.Size]byte
}

// stagePrefix names the temporary folders, so a later build can find
// and remove those of a build that was killed.
const stagePrefix = ".policysite-tmp-"

// Check refuses output folders a build must never replace: the file
// system root, the user's home, the site folder itself, a folder that
// contains the site, or one inside the site's sources.
func Check(out, siteDir string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	absSite, err := filepath.Abs(siteDir)
	if err != nil {
		return err
	}
	absOut, absSite = realPath(absOut), realPath(absSite)
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
	if st, err := os.Lstat(absOut); err == nil && !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a folder", out)
	}
	return nil
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

// Stage prepares a folder beside out for a new build: the spare left by
// an earlier build when there is one, else a new folder. It removes the
// temporary folders of builds that were killed.
func Stage(out string) (*Staged, error) {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	cleanStale(parent, filepath.Base(out))
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(parent, stagePrefix+filepath.Base(out)+"-"+hex.EncodeToString(rnd[:]))
	// Renaming the spare claims it: a build running at the same time
	// finds it gone and starts from an empty folder.
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
		return nil, err
	}
	st, err := os.Stat(probe)
	_ = os.Remove(probe)
	if err != nil {
		return nil, err
	}
	s := &Staged{dir: out, tmp: tmp, recycled: recycled, perm: 0o644 & st.Mode().Perm(), written: map[string]Entry{}}
	s.dirs.Store(tmp, struct{}{})
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
// back, not removed.
func cleanStale(parent, base string) {
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
			_ = os.RemoveAll(p)
		case isLeftover(e.Name(), oldPrefix, base):
			if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
				_ = os.Rename(p, out)
			} else {
				_ = os.RemoveAll(p)
			}
		}
	}
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
// the output root, and records its size and SHA-256 for Entries.
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
	// Hashing here, on the caller's goroutine, spreads the work over the
	// cores that render pages; the manifest needs every file's digest.
	e := Entry{Name: name, Size: int64(len(data)), SHA256: sha256.Sum256(data)}
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
	if s.recycled {
		if s.keep(old, p, data) {
			return nil
		}
		// Whatever the spare has there goes; files in it may be links
		// to the current output's, so none is ever written in place.
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	if s.reuse(old, p, data) {
		return nil
	}
	return os.WriteFile(p, data, 0o644)
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

// Commit replaces the output folder with the staged one. On Linux the
// two are exchanged atomically; elsewhere the old folder is moved aside
// first, and a build killed in between is recovered by the next one.
func (s *Staged) Commit() error {
	if s.recycled {
		if err := s.prune(); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(s.dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.tmp, s.dir)
	}
	if err := exchange(s.tmp, s.dir); err == nil {
		// tmp now holds the previous build: the next build's spare.
		return s.keepSpare(s.tmp)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	old := filepath.Join(filepath.Dir(s.dir), oldPrefix+filepath.Base(s.dir)+"-"+hex.EncodeToString(rnd[:]))
	if err := os.Rename(s.dir, old); err != nil {
		_ = os.RemoveAll(s.tmp)
		return err
	}
	if err := os.Rename(s.tmp, s.dir); err != nil {
		_ = os.Rename(old, s.dir)
		return err
	}
	return s.keepSpare(old)
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

// Abort leaves the output untouched and keeps the staged folder as the
// next build's spare (or removes it).
func (s *Staged) Abort() error { return s.keepSpare(s.tmp) }
