// Package buildcache lets a build be skipped when nothing it reads has
// changed: a stamp records a content hash of every input (the site's
// files, the build's options and the policysite binary itself) and the
// state of the output folder the build left. A build whose inputs hash
// to the stamp's key, into an output folder still in the recorded
// state, would write the same bytes, so it can be skipped.
//
// The cache never changes what a build writes: on any difference, or
// any error reading the stamp, the build runs in full.
package buildcache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

	"policysite/generator/parallel"
)

// Dir is the cache folder inside a site.
const Dir = ".policysite-cache"

// A Stamp describes the last successful build into an output folder.
type Stamp struct {
	Key    string // hash of the inputs
	Output string // hash of the output folder's names, sizes and times
	// Report is what the build printed, repeated when it is skipped.
	Report []string
}

// Inputs are what a build reads besides the site's files.
type Inputs struct {
	SiteDir string
	OutDir  string
	// Options lists the build's settings that change its output, e.g.
	// flags as "name=value".
	Options []string
	// Executable is the program doing the build; its bytes are hashed,
	// so a new policysite version never reuses an old stamp.
	Executable string
}

// Key hashes in: every file below the site folder except the output
// folder, build leftovers and the cache itself, with the options and
// the executable (by its Go build ID when it has one). Files are hashed
// on all cores, large ones in pieces: a cold build of a large site reads
// hundreds of megabytes here before it starts.
func Key(ctx context.Context, in Inputs) (string, error) {
	exe := hashExecutable(in.Executable)
	files, err := hashSite(ctx, in)
	<-exe.done
	if err != nil {
		return "", err
	}
	return keyOf(in, append(files, exe))
}

// keyOf combines the digests of files, the site's files and the
// executable, into the key of in.
func keyOf(in Inputs, files []*input) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "policysite build v3\x00%q\x00", in.Options)
	for _, f := range files {
		if f.err != nil {
			return "", f.err
		}
		fmt.Fprintf(h, "\x00%s\x00%v\x00%d\x00%x", f.rel, f.typ, f.size, f.digest)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashSite hashes the site's files, and extra after them.
func hashSite(ctx context.Context, in Inputs, extra ...*input) ([]*input, error) {
	absOut, err := filepath.Abs(in.OutDir)
	if err != nil {
		return nil, err
	}
	var files []*input
	root := filepath.Clean(in.SiteDir)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if p != root && (name == Dir || name == ".git" || strings.HasPrefix(name, ".policysite-")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if abs, err := filepath.Abs(p); err == nil && abs == absOut {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, &input{rel: filepath.ToSlash(rel), typ: d.Type(), path: p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	files = append(files, extra...)
	return files, hashFiles(ctx, files)
}

// hashExecutable starts hashing the executable p on a goroutine of its
// own, which closes the returned input's done when it has finished; a Go
// binary's build ID stands for its bytes when it has one (goBuildID). The
// build does not read the executable, so it can be hashed while the
// build runs, on the core the build leaves idle while it loads the site.
func hashExecutable(p string) *input {
	exe := &input{rel: "\x00executable", path: p, done: make(chan struct{})}
	go func() {
		defer close(exe.done)
		if id := goBuildID(p); id != "" {
			fi, err := os.Stat(p)
			if exe.err = err; err == nil {
				exe.size = fi.Size()
				sum := sha256.Sum256([]byte("go build id\x00" + id))
				exe.digest = sum[:]
			}
			return
		}
		buf := new([bufSize]byte)
		if exe.err = exe.hashFirst(buf[:]); exe.err != nil {
			return
		}
		for i := 1; i < len(exe.sums) && exe.err == nil; i++ {
			exe.err = exe.hashPiece(i, buf[:])
		}
		exe.digest = digest(exe.sums)
	}()
	return exe
}

// An input is a file Key hashes.
type input struct {
	rel  string // the name the key records
	typ  fs.FileMode
	path string
	size int64
	// sums holds the SHA-256 of each piece of the file.
	sums [][]byte
	// digest is the SHA-256 of sums, or a symbolic link's target.
	digest []byte
	// For an executable hashed by hashExecutable: err is the error
	// hashing it, and done is closed when digest or err is set.
	err  error
	done chan struct{}
}

// pieceSize is the size of the pieces that files are hashed in, and
// bufSize that of the buffers they are read into (reused, because the
// kernel zeroes every new page a read fills).
const (
	pieceSize = 1 << 20
	bufSize   = 256 << 10
)

// hashFiles sets the size and digest of every file, on all cores: the
// files, then the other pieces of the files larger than one piece.
func hashFiles(ctx context.Context, files []*input) error {
	bufs := sync.Pool{New: func() any { return new([bufSize]byte) }}
	errs := make([]error, len(files))
	if err := parallel.For(ctx, len(files), func(i int) {
		f := files[i]
		if f.typ&fs.ModeSymlink != 0 {
			t, err := os.Readlink(f.path)
			f.digest, errs[i] = []byte(t), err
			return
		}
		if !f.typ.IsRegular() {
			// A named pipe would block the open; the key records only
			// that it is there, and the build reports it.
			f.digest = []byte(f.typ.String())
			return
		}
		buf := bufs.Get().(*[bufSize]byte)
		errs[i] = f.hashFirst(buf[:])
		bufs.Put(buf)
	}); err != nil {
		return err
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	type piece struct {
		f *input
		i int
	}
	var rest []piece
	for _, f := range files {
		for i := 1; i < len(f.sums); i++ {
			rest = append(rest, piece{f, i})
		}
	}
	errs = make([]error, len(rest))
	if err := parallel.For(ctx, len(rest), func(i int) {
		buf := bufs.Get().(*[bufSize]byte)
		errs[i] = rest[i].f.hashPiece(rest[i].i, buf[:])
		bufs.Put(buf)
	}); err != nil {
		return err
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, f := range files {
		if f.typ&fs.ModeSymlink == 0 {
			f.digest = digest(f.sums)
		}
	}
	return nil
}

// digest returns the SHA-256 of the pieces' SHA-256s, sums.
func digest(sums [][]byte) []byte {
	h := sha256.New()
	for _, s := range sums {
		h.Write(s)
	}
	return h.Sum(nil)
}

// hashFirst sets f's size and hashes its first piece, reading into buf.
func (f *input) hashFirst(buf []byte) error {
	file, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return err
	}
	f.size = st.Size()
	f.sums = make([][]byte, max(1, (f.size+pieceSize-1)/pieceSize))
	return f.hash(file, 0, buf)
}

// hashPiece hashes piece i of f, reading into buf.
func (f *input) hashPiece(i int, buf []byte) error {
	file, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer file.Close()
	return f.hash(file, i, buf)
}

// hash hashes piece i of f, read from file into buf.
func (f *input) hash(file *os.File, i int, buf []byte) error {
	h := sha256.New()
	off := int64(i) * pieceSize
	for end := min(off+pieceSize, f.size); off < end; {
		n, err := file.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
		if err == io.EOF {
			err = fmt.Errorf("%s: shorter than when it was opened", f.path)
		}
		if err != nil {
			return err
		}
		h.Write(buf[:n])
		off += int64(n)
	}
	f.sums[i] = h.Sum(nil)
	return nil
}

// OutputState hashes the names, sizes, modes and modification times of
// every file below out, so an edited, added or removed output file is
// noticed. A missing folder is an error.
func OutputState(out string) (string, error) {
	// An output that is a symbolic link is built into the folder it
	// points to (generator/output), so that folder's files are its state.
	if r, err := filepath.EvalSymlinks(out); err == nil {
		out = r
	}
	var rels []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rels = append(rels, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return "", err
	}
	return stateOf(out, rels)
}

// OutputStateOf returns what OutputState(out) returns when out holds
// exactly files (slash-separated and relative to out), the folders they
// are in, and the trees below the names in keep that exist, without
// listing any folder but those: the build that has just written out
// knows its files, and listing the 1,600 folders of a 1,600-page build
// again cost 13,000 system calls. Any other file in out makes the
// result differ from OutputState's, so the next build is not skipped.
func OutputStateOf(out string, files, keep []string) (string, error) {
	if r, err := filepath.EvalSymlinks(out); err == nil {
		out = r
	}
	seen := map[string]bool{".": true}
	rels := []string{"."}
	add := func(rel string) {
		for d := rel; d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			rels = append(rels, d)
		}
	}
	for _, f := range files {
		add(f)
	}
	for _, k := range keep {
		root := filepath.Join(out, filepath.FromSlash(k))
		if _, err := os.Lstat(root); err != nil {
			continue
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			add(filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	// The order filepath.WalkDir visits them in: each folder's names
	// sorted, each folder before what it holds.
	slices.SortFunc(rels, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == ".":
			return -1
		case b == ".":
			return 1
		}
		return slices.Compare(strings.Split(a, "/"), strings.Split(b, "/"))
	})
	return stateOf(out, rels)
}

// stateOf hashes the names rels below out, in that order, with the
// mode, size and modification time of each: one lstat per name, on all
// cores.
func stateOf(out string, rels []string) (string, error) {
	infos := make([]fs.FileInfo, len(rels))
	errs := make([]error, len(rels))
	_ = parallel.For(context.Background(), len(rels), func(i int) {
		infos[i], errs[i] = os.Lstat(filepath.Join(out, filepath.FromSlash(rels[i])))
	})
	h := sha256.New()
	for i, info := range infos {
		if errs[i] != nil {
			return "", errs[i]
		}
		fmt.Fprintf(h, "%s\x00%v\x00%d\x00%d\n", rels[i], info.Mode(), info.Size(), info.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Load reads the stamp of site folder siteDir for output out.
func Load(siteDir, out string) (*Stamp, error) {
	b, err := os.ReadFile(stampPath(siteDir, out))
	if err != nil {
		return nil, err
	}
	var s Stamp
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", stampPath(siteDir, out), err)
	}
	return &s, nil
}

// Save writes s as the stamp for output out.
func Save(siteDir, out string, s *Stamp) error {
	p := stampPath(siteDir, out)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// Remove deletes the stamp for out, before a build replaces out.
func Remove(siteDir, out string) error {
	err := os.Remove(stampPath(siteDir, out))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// stampPath names one stamp per output folder, so builds into two
// folders do not invalidate each other.
func stampPath(siteDir, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(siteDir, Dir, "build-"+hex.EncodeToString(sum[:8])+".json")
}

// Fresh reports whether a build with inputs in can be skipped. If not,
// key returns the key to save after the build. Without a stamp to
// compare with, Fresh returns as soon as the site's files are hashed,
// and key waits for the executable's digest: the build starts at once,
// and the executable is hashed while it runs.
func Fresh(ctx context.Context, in Inputs) (key func() (string, error), stamp *Stamp, fresh bool) {
	s, err := Load(in.SiteDir, in.OutDir)
	if err != nil {
		exe := hashExecutable(in.Executable)
		site, err := hashSite(ctx, in)
		return func() (string, error) {
			if err != nil {
				return "", err
			}
			<-exe.done
			return keyOf(in, append(site, exe))
		}, nil, false
	}
	k, err := Key(ctx, in)
	key = func() (string, error) { return k, err }
	if err != nil || s.Key != k {
		return key, nil, false
	}
	state, err := OutputState(in.OutDir)
	if err != nil || state != s.Output {
		return key, nil, false
	}
	return key, s, true
}
