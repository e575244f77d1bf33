// Package srcfile reads a site's source files without ever blocking on
// one that is not a regular file. A named pipe (FIFO) left in a site
// would make a plain read wait forever for a writer, and a device could
// be read without end; both are reported as errors naming the file.
package srcfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Check returns an error describing mode when it is a special file (a
// named pipe, socket or device), and nil for regular files, folders and
// symbolic links, which callers check themselves.
func Check(mode fs.FileMode) error {
	var what string
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeCharDevice != 0:
		what = "a character device"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeIrregular != 0:
		what = "not a regular file"
	default:
		return nil
	}
	return fmt.Errorf("is %s, not a regular file, so it cannot be read as part of the site; remove it or move it out of the site", what)
}

// ErrSpecial is matched by the errors ReadFile returns for special files.
var ErrSpecial = errors.New("special file")

type specialError struct{ err error }

func (e specialError) Error() string        { return e.err.Error() }
func (e specialError) Is(target error) bool { return target == ErrSpecial }

// ReadFile reads the regular file name (following symbolic links). It
// opens the file without blocking, so a named pipe is refused rather
// than waited on, and refuses anything else but a regular file; the
// error then is errors.Is ErrSpecial and does not name the file (callers
// add it, usually as a diag.SourceError). limit, when positive, refuses
// files larger than it: a file that grows while read is cut there.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := Check(st.Mode()); err != nil {
		return nil, specialError{err}
	}
	if st.IsDir() {
		return nil, specialError{errors.New("is a folder, not a file")}
	}
	size := st.Size()
	if limit > 0 && size > limit {
		return nil, fmt.Errorf("file is %d bytes, more than the limit of %d", size, limit)
	}
	data := make([]byte, 0, size+1)
	r := io.Reader(f)
	if limit > 0 {
		r = io.LimitReader(f, limit)
	}
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
