package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"policysite/generator/cdn"
	"policysite/generator/config"
	"policysite/generator/output"
)

// lockOutput takes the lock of the output folder, waiting up to --wait
// for another build of it, and checks that the folder may be replaced.
// The lock is held from before the up-to-date check until the output is
// replaced, so two builds never stage, swap or clean up one output at
// the same time.
func lockOutput(ctx context.Context, o *buildOpts, stderr io.Writer) (*output.Lock, output.Options, error) {
	if err := output.Check(o.out, o.site); err != nil {
		return nil, output.Options{}, err
	}
	keep := outputKeep(o.site)
	lk, err := output.Acquire(ctx, o.out, output.LockOptions{
		Wait: o.wait,
		Waiting: func(holder string) {
			if holder != "" {
				holder = " (" + holder + ")"
			}
			fmt.Fprintf(stderr, "policysite: waiting for another build into %s to finish%s; at most %s (--wait)\n", o.out, holder, o.wait)
		},
	})
	var busy *output.BusyError
	if errors.As(err, &busy) {
		return nil, output.Options{}, fmt.Errorf("%w; wait for it to finish, or pass --wait %s to wait longer", err, max(2*o.wait, 5*time.Minute))
	}
	if err != nil {
		return nil, output.Options{}, err
	}
	if err := output.CheckContents(lk, o.out, output.CheckOptions{Force: o.force, Keep: keep, Manifest: cdn.ManifestFile, Static: filepath.Join(o.site, "static")}); err != nil {
		_ = lk.Unlock()
		return nil, output.Options{}, err
	}
	opts := output.Options{Keep: keep, Warn: func(msg string) { fmt.Fprintln(stderr, "policysite: warning:", msg) }}
	return lk, opts, nil
}

// outputKeep returns output.keep from site.toml. A site.toml that does
// not load keeps nothing here; the build then fails on it before the
// output is touched.
func outputKeep(site string) []string {
	cfg, err := config.Load(site)
	if err != nil {
		return nil
	}
	return cfg.Output.Keep
}
