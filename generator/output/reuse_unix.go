//go:build unix

package output

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// canRecycle reports whether a spare build folder can be recycled: it
// takes hard links and the file identities os.SameFile compares.
const canRecycle = true

// reuse makes p a hard link to old, the previous build's file of the
// same name, when old holds exactly data and is safe to share. It
// reports whether p now exists.
func (s *Staged) reuse(old, p string, data []byte) bool {
	f, err := os.OpenFile(old, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !s.shareable(fi, len(data)) || !s.holds(f, data) {
		return false
	}
	if err := os.Link(old, p); err != nil {
		return false
	}
	// old may have been replaced between the comparison and the link
	// (another build committing into the same output): keep the link
	// only if it is the file that was compared.
	if lt, err := os.Lstat(p); err == nil && os.SameFile(fi, lt) {
		return true
	}
	_ = os.Remove(p)
	return false
}

// keep reports whether p, in a recycled spare, already is the current
// output's file old (a hard link to it, left by the build that made the
// current output) and holds exactly data. Then p is kept as it is, with
// the current output's modification time, which is right because the
// file did not change.
func (s *Staged) keep(old, p string, data []byte) bool {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !s.shareable(fi, len(data)) {
		return false
	}
	oi, err := os.Lstat(old)
	return err == nil && os.SameFile(fi, oi) && s.holds(f, data)
}

// shareable reports whether a file of the previous build may become a
// file of this one: a regular file (not a symlink to somewhere else) of
// size bytes, owned by us, with the mode a new file gets, and linked
// from at most one other place (the spare). A file also linked from
// elsewhere (an operator's `cp -al` snapshot) is written anew, so
// editing the snapshot cannot change the output.
func (s *Staged) shareable(fi fs.FileInfo, size int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fi.Mode().IsRegular() && fi.Size() == int64(size) && fi.Mode().Perm() == s.perm &&
		st.Nlink <= 2 && int(st.Uid) == os.Geteuid()
}

// holds reports whether f's content is data, whose length f has.
func (s *Staged) holds(f *os.File, data []byte) bool {
	buf := s.buffer(len(data))
	defer s.bufs.Put(buf)
	_, err := io.ReadFull(f, *buf)
	return err == nil && bytes.Equal(*buf, data)
}

// owned reports whether fi belongs to the user running the build.
func owned(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
