//go:build unix

package output

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// canRecycle reports whether a spare build folder can be recycled: it
// takes hard links and the file identities (device and inode) this file
// compares.
const canRecycle = true

// The files of a build are written and compared through file
// descriptors rather than *os.File: os.OpenFile registers every file
// with the runtime's poller (two fcntl calls, an epoll_ctl that fails
// for a regular file, two fcntl calls to undo the first), so writing a
// file took eight system calls instead of three.

// reuse makes p a hard link to old, the previous build's file of the
// same name, when old holds exactly data and is safe to share; in a
// recycled spare, whatever p was is removed first. It reports whether p
// now exists.
func (s *Staged) reuse(old, p string, data []byte) bool {
	fd, err := open(old, unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || !s.shareable(&st, len(data)) || !s.holds(fd, data) {
		return false
	}
	if s.recycled && os.RemoveAll(p) != nil {
		return false
	}
	if err := os.Link(old, p); err != nil {
		return false
	}
	// old may have been replaced between the comparison and the link
	// (another build committing into the same output): keep the link
	// only if it is the file that was compared.
	var lt unix.Stat_t
	if unix.Lstat(p, &lt) == nil && sameInode(&st, &lt) {
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
	fd, err := open(p, unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	var st, ot unix.Stat_t
	if unix.Fstat(fd, &st) != nil || !s.shareable(&st, len(data)) {
		return false
	}
	return unix.Lstat(old, &ot) == nil && sameInode(&st, &ot) && s.holds(fd, data)
}

// rewrite writes data over p when p is a file of the recycled spare
// that nothing else links to (not the current output, which shares
// the files that did not change), instead of removing it and creating
// a new file. It reports whether it did, and the error writing.
//
// Writing in place allocates no inode and frees none. On ext4 without
// a journal, each inode allocated skips every free inode deleted in the
// last minute or more, so removing and creating the files of a rebuild
// whose every page changed (a template edit, another --base-url) made
// the build quadratic in its files: at 1,600 pages, creating them took
// 0.6 s of system time, writing over them 0.17 s (both under strace).
func (s *Staged) rewrite(p string, data []byte) (bool, error) {
	fd, err := open(p, unix.O_WRONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return false, nil
	}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 ||
		int(st.Uid) != os.Geteuid() || fs.FileMode(st.Mode&0o777) != s.perm {
		_ = unix.Close(fd)
		return false, nil
	}
	// Truncating after the write, not before, keeps the file's blocks
	// that the new bytes fill again.
	err = writeAll(fd, p, data)
	if err == nil {
		if e := unix.Ftruncate(fd, int64(len(data))); e != nil {
			err = &fs.PathError{Op: "truncate", Path: p, Err: e}
		}
	}
	if e := unix.Close(fd); e != nil && err == nil {
		err = &fs.PathError{Op: "close", Path: p, Err: e}
	}
	return true, err
}

// sameInode reports whether a and b describe the same file, as
// os.SameFile does.
func sameInode(a, b *unix.Stat_t) bool { return a.Dev == b.Dev && a.Ino == b.Ino }

// shareable reports whether a file of the previous build may become a
// file of this one: a regular file (not a symlink to somewhere else) of
// size bytes, owned by us, with the mode a new file gets, and linked
// from at most one other place (the spare). A file also linked from
// elsewhere (an operator's `cp -al` snapshot) is written anew, so
// editing the snapshot cannot change the output.
func (s *Staged) shareable(st *unix.Stat_t, size int) bool {
	return st.Mode&unix.S_IFMT == unix.S_IFREG && st.Size == int64(size) && fs.FileMode(st.Mode&0o777) == s.perm &&
		st.Nlink <= 2 && int(st.Uid) == os.Geteuid()
}

// holds reports whether the file open as fd holds data, whose length
// the file has.
func (s *Staged) holds(fd int, data []byte) bool {
	buf := s.buffer(len(data))
	defer s.bufs.Put(buf)
	for b := *buf; len(b) > 0; {
		n, err := unix.Read(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return false
		}
		b = b[n:]
	}
	return bytes.Equal(*buf, data)
}

// writeFile writes data to the new file p, as os.WriteFile(p, data,
// 0o644) does.
func writeFile(p string, data []byte) error {
	fd, err := open(p, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	if err := writeAll(fd, p, data); err != nil {
		_ = unix.Close(fd)
		return err
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: p, Err: err}
	}
	return nil
}

// writeAll writes data to fd, the file p.
func writeAll(fd int, p string, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			return &fs.PathError{Op: "write", Path: p, Err: err}
		}
		data = data[n:]
	}
	return nil
}

// open opens p with flags, O_CLOEXEC and O_NONBLOCK, retrying when
// interrupted. O_NONBLOCK changes nothing for a regular file, and makes
// opening a named pipe found where a file was expected fail instead of
// waiting for the other end.
func open(p string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(p, flags|unix.O_CLOEXEC|unix.O_NONBLOCK, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// owned reports whether fi belongs to the user running the build.
func owned(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
