//go:build unix

package output

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// checkMount refuses an output folder that is a mount point (another
// file system than its parent's): it cannot be renamed, so the swap
// would fail after the whole build. Bind mounts of the same file system
// are not seen here; Commit explains the rename error they cause.
func checkMount(dir string) error {
	st, err := os.Lstat(dir)
	if err != nil || !st.IsDir() {
		return nil
	}
	pst, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return nil
	}
	a, ok1 := st.Sys().(*syscall.Stat_t)
	b, ok2 := pst.Sys().(*syscall.Stat_t)
	if ok1 && ok2 && a.Dev != b.Dev {
		return mountHint(dir, errors.New("a different file system from its parent's"))
	}
	return nil
}

// mountErr reports whether a rename failed because of a mount point.
func mountErr(err error) bool {
	return errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EBUSY)
}
