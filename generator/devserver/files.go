package devserver

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// snapshotFS serves one build's files as an fs.FS. Folders exist only
// implicitly, as prefixes of file names; they cannot be listed.
type snapshotFS struct {
	files map[string][]byte
	gen   int
}

func (s snapshotFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := s.files[name]; ok {
		return &memFile{Reader: bytes.NewReader(data), info: fileInfo{name: path.Base(name), size: int64(len(data))}}, nil
	}
	if name == "." || s.isDir(name) {
		return &memFile{Reader: bytes.NewReader(nil), info: fileInfo{name: path.Base(name), dir: true}}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// isDir reports whether a folder holds an index page. Only such folders
// are served (as their index.html); others are not found.
func (s snapshotFS) isDir(name string) bool {
	_, ok := s.files[name+"/index.html"]
	return ok
}

type memFile struct {
	*bytes.Reader
	info fileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// ReadDir refuses to list: the server never shows folder listings.
func (f *memFile) ReadDir(int) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: f.info.name, Err: fs.ErrPermission}
}

var _ io.Seeker = (*memFile)(nil)

type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return i.size }

// ModTime is zero, so http.FileServerFS sends no Last-Modified and
// browsers never revalidate a page into a stale copy.
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// cleanRequestPath validates a request's path and returns the output
// file name it names ("" for the root), or ok false for a path that
// must be refused: not absolute, with "." or ".." segments (also when
// percent-encoded, which net/url has already decoded), empty segments,
// backslashes, NUL or other control characters, or an encoded slash.
func cleanRequestPath(r *http.Request) (name string, ok bool) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.Contains(strings.ToLower(r.URL.RawPath), "%2f") || strings.Contains(strings.ToLower(r.URL.RawPath), "%5c") {
		return "", false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	name = p[1:]
	for seg := range strings.SplitSeq(strings.TrimSuffix(name, "/"), "/") {
		if seg == "." || seg == ".." || (seg == "" && name != "") {
			return "", false
		}
	}
	return name, true
}
