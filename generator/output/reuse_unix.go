//go:build unix

package output

import (
	"bytes"
	"io"
	"os"
	"syscall"
)

// reuse makes p a hard link to old, the previous build's file of the
// same name, when old holds exactly data and nothing but this build's
// output would notice the sharing: a regular file (not a symlink to
// somewhere else), owned by us, with the mode a new file gets and no
// other links. It reports whether p now exists.
func (s *Staged) reuse(old, p string, data []byte) bool {
	f, err := os.OpenFile(old, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) || fi.Mode().Perm() != s.perm {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Nlink != 1 || int(st.Uid) != os.Geteuid() {
		return false
	}
	buf := s.buffer(len(data))
	defer s.bufs.Put(buf)
	if _, err := io.ReadFull(f, *buf); err != nil || !bytes.Equal(*buf, data) {
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
