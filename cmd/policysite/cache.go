package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"policysite/generator/buildcache"
	"policysite/generator/output"
	"policysite/generator/versions/git"
)

// cacheInputs lists what a build reads besides the site's files.
func cacheInputs(ctx context.Context, o *buildOpts) buildcache.Inputs {
	exe, _ := os.Executable()
	in := buildcache.Inputs{
		SiteDir: o.site, OutDir: o.out, Executable: exe,
		Options: []string{
			"base-url=" + o.baseURL,
			fmt.Sprintf("strict=%t", o.strict), fmt.Sprintf("drafts=%t", o.drafts),
			fmt.Sprintf("compress=%t", o.compress), fmt.Sprintf("no-compress=%t", o.noCompress), fmt.Sprintf("minify=%t", o.minify),
			// The time the build is for, which decides the pages
			// published and the versions in effect.
			"source-date-epoch=" + os.Getenv("SOURCE_DATE_EPOCH"),
		},
	}
	// A site in a git work tree takes its pages' earlier versions from
	// the history, which the site's files do not show: a new commit
	// changes the build even when it leaves every file as it was.
	if head, _ := git.Head(ctx, filepath.Join(o.site, "content")); head != "" {
		in.Options = append(in.Options, "git-head="+head)
	}
	return in
}

// skipBuild reports whether the last build into o.out had the same
// inputs and left the output untouched since; it then repeats that
// build's report. key returns the input hash to record after a build,
// or "" when there is none to record.
func skipBuild(ctx context.Context, o *buildOpts, stdout, stderr io.Writer) (key func() string, skip bool) {
	if o.noCache {
		_ = buildcache.Remove(o.site, o.out)
		return func() string { return "" }, false
	}
	inputKey, stamp, fresh := buildcache.Fresh(ctx, cacheInputs(ctx, o))
	key = func() string {
		k, err := inputKey()
		if err != nil {
			return ""
		}
		return k
	}
	if !fresh {
		// The build replaces the output; a stale stamp must not
		// survive a build that fails half way.
		_ = buildcache.Remove(o.site, o.out)
		return key, false
	}
	for _, line := range stamp.Report {
		if strings.HasPrefix(line, "built ") {
			if o.quiet {
				continue
			}
			fmt.Fprintf(stdout, "up to date: %s (nothing changed since: %s)\n", o.out, line)
		} else {
			fmt.Fprintln(stderr, line)
		}
	}
	return key, true
}

// saveStamp records a finished build, which wrote files into o.out and
// carried keep over, so an identical next one is skipped.
func saveStamp(o *buildOpts, key string, files []output.Entry, keep []string, report []string) {
	if key == "" {
		return
	}
	names := make([]string, len(files))
	for i, e := range files {
		names[i] = e.Name
	}
	state, err := buildcache.OutputStateOf(o.out, names, keep)
	if err != nil {
		return
	}
	_ = buildcache.Save(o.site, o.out, &buildcache.Stamp{Key: key, Output: state, Report: report})
}
