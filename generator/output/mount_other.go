//go:build !unix

package output

import (
	"errors"
	"syscall"
)

func checkMount(dir string) error { return nil }

func mountErr(err error) bool { return errors.Is(err, syscall.EXDEV) }
