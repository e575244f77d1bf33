package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// stopGrace is how long a command has, after SIGINT or SIGTERM, to stop
// on its own (cancel its work, remove its temporary folder) before the
// process exits anyway. The output folder is safe either way: it is only
// ever replaced by one rename, and a folder left behind is removed by
// the next build, since no process holds its lock any more.
const stopGrace = time.Second

// A signals value cancels a context on SIGINT or SIGTERM and remembers
// which arrived, for the exit status (128 + the signal's number, as
// shells report it: 130 and 143). A second signal, or a command still
// running stopGrace after the first, ends the process at once.
type signals struct {
	got atomic.Value // the syscall.Signal received
}

// notify returns a context cancelled by the first SIGINT or SIGTERM and
// a function that stops watching for them.
func (s *signals) notify(parent context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	// The goroutine ends when stop is called.
	go func() {
		var grace <-chan time.Time
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				if s.got.Load() != nil {
					os.Exit(s.status())
				}
				s.got.Store(sig)
				cancel()
				grace = time.After(stopGrace)
			case <-grace:
				fmt.Fprintln(stderr, "policysite: still stopping a second after the signal; exiting now")
				os.Exit(s.status())
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}

// status returns the exit status for the signal received, or 0.
func (s *signals) status() int {
	sig, ok := s.got.Load().(os.Signal)
	if !ok {
		return 0
	}
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 130
}

// An interruptedError reports a command stopped by a signal, with what
// it left as it was.
type interruptedError struct {
	kept string // "public was left as it was", or ""
}

func (e *interruptedError) Error() string {
	if e.kept == "" {
		return "interrupted"
	}
	return "interrupted; " + e.kept
}

func (e *interruptedError) Unwrap() error { return context.Canceled }
