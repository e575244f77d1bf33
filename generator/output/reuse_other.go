//go:build !unix

package output

import (
	"bytes"
	"io/fs"
	"os"
)

// canRecycle reports whether a spare build folder can be recycled; here
// the previous build is removed after each build instead.
const canRecycle = false

// reuse writes p and, when old, the previous build's file of the same
// name, holds exactly data, gives p old's modification time, so sync
// tools skip it. (On Unix p is a hard link to old instead.)
func (s *Staged) reuse(old, p string, data []byte) bool {
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return false
	}
	if st, err := os.Stat(old); err == nil && st.Size() == int64(len(data)) {
		if prev, err := os.ReadFile(old); err == nil && bytes.Equal(prev, data) {
			_ = os.Chtimes(p, st.ModTime(), st.ModTime())
		}
	}
	return true
}

func (s *Staged) keep(old, p string, data []byte) bool { return false }

func (s *Staged) rewrite(p string, data []byte) (bool, error) { return false, nil }

func writeFile(p string, data []byte) error { return os.WriteFile(p, data, 0o644) }

func owned(fi fs.FileInfo) bool { return true }
