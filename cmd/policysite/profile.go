package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileFile takes the FILE that follows --profile cpu|mem from the
// arguments left after parsing and parses the flags after it, so
// "build --profile cpu cpu.pprof --strict" works.
func profileFile(fs *flag.FlagSet, kind string) (string, error) {
	if kind == "" {
		return "", nil
	}
	if kind != "cpu" && kind != "mem" {
		return "", fmt.Errorf("--profile %s: want cpu or mem, followed by the output file: %w", kind, errUsage)
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("--profile %s needs an output file, e.g. --profile %s %s.pprof: %w", kind, kind, kind, errUsage)
	}
	file := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", fmt.Errorf("build: %v: %w", err, errUsage)
	}
	return file, nil
}

// startProfile starts a CPU profile, or arranges a heap profile, of the
// build; the returned stop writes it. kind "" profiles nothing.
func startProfile(kind, file string) (stop func() error, err error) {
	switch kind {
	case "":
		return func() error { return nil }, nil
	case "cpu":
		f, err := os.Create(file)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			_ = f.Close()
			return nil, err
		}
		return func() error {
			pprof.StopCPUProfile()
			return f.Close()
		}, nil
	case "mem":
		// Sample every allocation so small sites give a useful profile.
		runtime.MemProfileRate = 4096
		return func() error {
			f, err := os.Create(file)
			if err != nil {
				return err
			}
			// allocs holds both what was allocated and what is in use.
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			return errors.Join(err, f.Close())
		}, nil
	}
	return nil, fmt.Errorf("--profile %s: want cpu or mem", kind)
}
