package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A Lock is the right to replace one output folder: while a build holds
// it, no other build stages, commits or cleans up that output, so a
// temporary folder found beside the output can only be the leftover of
// a build that is gone. Create it with Acquire; release it with Unlock. The
// lock is advisory (flock on a file beside the output, as Hugo's
// .hugo_build.lock); the operating system releases it when the process
// ends, however it ends.
type Lock struct {
	dir  string // the output folder, symbolic links resolved
	file *os.File
}

// LockOptions say how long Acquire waits for another build.
type LockOptions struct {
	// Wait is how long to wait for another build of the same output to
	// finish. Zero refuses at once.
	Wait time.Duration
	// Waiting, when not nil, is called once when another build holds the
	// lock and Acquire starts waiting, with what is known of the holder
	// ("process 1234").
	Waiting func(holder string)
}

// A BusyError reports that another build holds an output's lock.
type BusyError struct {
	Dir    string
	Holder string // "process 1234", or "" when unknown
	Waited time.Duration
}

func (e *BusyError) Error() string {
	msg := "another policysite build into " + e.Dir + " is running"
	if e.Holder != "" {
		msg += " (" + e.Holder + ")"
	}
	if e.Waited > 0 {
		msg += fmt.Sprintf("; waited %s", e.Waited)
	}
	return msg
}

// lockName is the lock file of an output folder, beside it. It is never
// removed: removing a lock file lets two builds hold locks on two
// different files.
func lockName(dir string) string {
	return filepath.Join(filepath.Dir(dir), ".policysite-"+filepath.Base(dir)+".lock")
}

// pollLock is how often a waiting build tries the lock again.
const pollLock = 100 * time.Millisecond

// Acquire takes the lock of the output folder out, creating the folder's
// parent if needed. A symbolic link as out is followed: the lock, the
// staged folder and the swap are beside the folder it points to, and
// the link itself stays. Acquire returns ctx's error when ctx ends first,
// and a *BusyError when another build still holds the lock after
// opts.Wait.
func Acquire(ctx context.Context, out string, opts LockOptions) (*Lock, error) {
	dir, err := resolveOutput(out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(lockName(dir), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", out, err)
	}
	start := time.Now()
	var tick *time.Ticker
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", out, err)
		}
		if ok {
			break
		}
		waited := time.Since(start)
		if waited >= opts.Wait {
			h := holder(f)
			f.Close()
			return nil, &BusyError{Dir: out, Holder: h, Waited: waited.Round(time.Second)}
		}
		if tick == nil {
			if opts.Waiting != nil {
				opts.Waiting(holder(f))
			}
			tick = time.NewTicker(pollLock)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
	// Who holds the lock, for the message of a build that waits.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("process %d\n", os.Getpid())), 0)
	return &Lock{dir: dir, file: f}, nil
}

// holder reads who holds the lock from the lock file.
func holder(f *os.File) string {
	var b [64]byte
	n, _ := f.ReadAt(b[:], 0)
	s, _, _ := strings.Cut(string(b[:n]), "\n")
	if !strings.HasPrefix(s, "process ") {
		return ""
	}
	return s
}

// Dir returns the output folder the lock is for, symbolic links
// resolved.
func (l *Lock) Dir() string { return l.dir }

// Unlock releases the lock. The lock file stays.
func (l *Lock) Unlock() error {
	if l == nil || l.file == nil {
		return nil
	}
	_ = l.file.Truncate(0)
	err := l.file.Close() // closing releases the flock
	l.file = nil
	return err
}

// resolveOutput returns the absolute output folder with symbolic links
// resolved: an output that is a link to a folder is built beside that
// folder, so the link keeps pointing at the new build.
func resolveOutput(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	st, err := os.Lstat(abs)
	if err == nil && st.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("output %s is a symbolic link that cannot be resolved (%v); point it at a folder or remove it", out, unwrapPath(err))
		}
		if st, err := os.Stat(target); err != nil || !st.IsDir() {
			return "", fmt.Errorf("output %s is a symbolic link to %s, which is not a folder", out, target)
		}
		return target, nil
	}
	return realPath(abs), nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
