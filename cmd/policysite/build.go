package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"policysite/generator"
	"policysite/generator/diag"
	"policysite/generator/output"
)

type buildOpts struct {
	site, out, baseURL   string
	strict, drafts       bool
	compress, noCompress bool
	minify               bool
	profile, profileTo   string // --profile cpu|mem FILE
	noCache              bool
	quiet, verbose       bool
	force                bool          // replace an output policysite did not make
	wait                 time.Duration // wait for another build of the output
}

func buildFlags(stderr io.Writer) (*flag.FlagSet, *buildOpts) {
	o := &buildOpts{}
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.site, "s", ".", "`SITE` folder (holds content/, i18n/, site.toml)")
	fs.StringVar(&o.out, "o", "", "folder `OUT` to write the site into (default SITE/public)")
	fs.StringVar(&o.baseURL, "base-url", "", "override baseURL with `URL`, e.g. https://example.com/legal/")
	fs.BoolVar(&o.strict, "strict", false, "treat every warning as an error")
	fs.BoolVar(&o.drafts, "drafts", false, "include pages marked draft")
	fs.BoolVar(&o.compress, "compress", false, "write precompressed .gz and .br files beside pages and assets, for nginx gzip_static/brotli_static or Caddy precompressed")
	fs.BoolVar(&o.noCompress, "no-compress", false, "write no .gz and .br files even when site.toml sets output.precompress = true (none is the default)")
	fs.BoolVar(&o.minify, "minify", false, "minify HTML, CSS and JavaScript")
	fs.BoolVar(&o.noCache, "no-cache", false, "build even when nothing changed since the last build")
	fs.BoolVar(&o.quiet, "q", false, "quiet: print only warnings and errors")
	fs.BoolVar(&o.verbose, "v", false, "verbose: print each step of the build as it starts")
	fs.BoolVar(&o.force, "force", false, "replace an output folder that holds files policysite did not write")
	fs.DurationVar(&o.wait, "wait", 2*time.Minute, "how long to wait for another build into the same output folder (0: refuse at once)")
	fs.StringVar(&o.profile, "profile", "", "write a pprof profile of the build: `cpu|mem` followed by the output FILE")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite build [-s SITE] [-o OUT] [--base-url URL] [--strict] [--drafts] [--compress | --no-compress] [--minify] [--no-cache] [--force] [--wait 2m] [-q|-v] [--profile cpu|mem FILE]")
		fmt.Fprintln(fs.Output(), "\nBuilds every page of every locale into OUT, replacing it only when the build succeeds.")
		fmt.Fprintln(fs.Output(), "On a terminal, a build that takes more than a second shows its progress.")
		printFlags(fs)
	}
	return fs, o
}

// options returns the build's generator options.
func (o *buildOpts) options() generator.Options {
	return generator.Options{
		SiteDir: o.site, BaseURL: o.baseURL, Strict: o.strict, Drafts: o.drafts,
		Compress: o.compress, NoCompress: o.noCompress, Minify: o.minify, Previous: o.out,
	}
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs, o := buildFlags(stderr)
	if err = fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("build: %v: %w", err, errUsage)
	}
	if o.profileTo, err = profileFile(fs, o.profile); err != nil {
		return err
	}
	if o.compress && o.noCompress {
		return fmt.Errorf("build: --compress and --no-compress contradict each other; give one: %w", errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("build: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	if o.quiet && o.verbose {
		return fmt.Errorf("build: -q and -v contradict each other; pass one: %w", errUsage)
	}
	if o.out == "" {
		o.out = filepath.Join(o.site, "public")
	}
	stopProfile, err := startProfile(o.profile, o.profileTo)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopProfile()) }()
	if os.Getenv("GOGC") == "" {
		tuneGC()
	}
	start := time.Now()
	lk, stageOpts, err := lockOutput(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer lk.Unlock()
	cacheKey, skip := skipBuild(ctx, o, stdout, stderr)
	if skip {
		return nil
	}
	staged, err := output.Stage(lk, stageOpts)
	if err != nil {
		return err
	}
	prog := newProgress(stderr, !o.quiet && isTerminal(stderr), o.verbose, progressDelay)
	opts := o.options()
	opts.Progress = prog.update
	sum, err := generator.Build(ctx, opts, staged)
	prog.finish()
	if err != nil {
		_ = staged.Abort()
		if ctx.Err() != nil {
			return &interruptedError{kept: o.out + " was left as it was"}
		}
		var fb *generator.FailedBuild
		if errors.As(err, &fb) {
			for _, w := range fb.Warnings {
				fmt.Fprintln(stderr, "policysite: warning:", w)
			}
		}
		return err
	}
	if err := staged.Commit(); err != nil {
		return fmt.Errorf("replacing %s: %w", o.out, err)
	}
	var report []string
	for _, w := range sum.Warnings {
		fmt.Fprintln(stderr, "policysite: warning:", w)
		report = append(report, "policysite: warning: "+w)
	}
	line := fmt.Sprintf("built %s in %s into %s (%s, %s)", diag.Plural(sum.Pages, "page", "pages"), diag.Plural(sum.Locales, "locale", "locales"),
		o.out, diag.Plural(sum.Files, "file", "files"), diag.Plural(sum.WarningCount, "warning", "warnings"))
	if !o.quiet {
		fmt.Fprintf(stdout, "%s in %s\n", line, time.Since(start).Round(time.Millisecond))
	}
	if sum.Until.IsZero() {
		// A page with a publishDate or expiryDate still to come makes
		// the output depend on the time: the next build must run.
		saveStamp(o, cacheKey(), staged.Entries(), stageOpts.Keep, append(report, line))
	}
	return nil
}
