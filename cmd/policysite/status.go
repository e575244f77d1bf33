package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"policysite/generator"
	"policysite/generator/diag"
	"policysite/generator/review"
	"policysite/themes"
)

func statusFlags(stderr io.Writer) (*flag.FlagSet, *reviewOpts) {
	o := &reviewOpts{}
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reviewFlags(fs, o)
	fs.StringVar(&o.source, "source", "", "locale to measure against (default: the site's default locale)")
	fs.BoolVar(&o.mark, "mark-reviewed", false, "record in TARGET's file of each PAGE that it matches the source now")
	fs.BoolVar(&o.strings, "strings", false, "list the UI strings each published locale lacks in its language, and what visitors see instead")
	fs.StringVar(&o.accept, "accept", "", "with --mark-reviewed: accept these differences until either side changes: KIND or SECTION:KIND, comma-separated (structure = every kind)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite status [-s SITE] [--source TAG] [--format text|json|html] [-o FILE|DIR/] [--fail-on LIST]")
		fmt.Fprintln(fs.Output(), "       policysite status [-s SITE] [--source TAG] --mark-reviewed [--accept LIST] TARGET PAGE...")
		fmt.Fprintln(fs.Output(), "       policysite status [-s SITE] --strings [--format text|json] [-o FILE]")
		fmt.Fprintln(fs.Output(), "\nShows every locale × page: translated, overridden, inherited, fallback or missing, with")
		fmt.Fprintln(fs.Output(), "stale and structurally different sections and word counts. --mark-reviewed writes the")
		fmt.Fprintln(fs.Output(), "digest of each source section into the target file's front matter (reviewed:) and its text")
		fmt.Fprintln(fs.Output(), "into the site's review record (.review/sources/), for the word-level diff once it changes.")
		fmt.Fprintln(fs.Output(), "The live report is served by policysite serve at /_review/.")
		printFlags(fs)
	}
	return fs, o
}

func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := statusFlags(stderr)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("status: %v: %w", err, errUsage)
	}
	switch {
	case o.mark && len(pos) < 2:
		return fmt.Errorf("status: --mark-reviewed needs a TARGET locale and a PAGE, e.g. --mark-reviewed de-DE privacy: %w", errUsage)
	case o.strings && o.mark:
		return fmt.Errorf("status: --strings and --mark-reviewed cannot be combined: %w", errUsage)
	case o.strings && o.format == "html":
		return fmt.Errorf("status: --strings supports --format text or json, not html: %w", errUsage)
	case !o.mark && len(pos) > 0:
		return fmt.Errorf("status: unexpected argument %q: %w", pos[0], errUsage)
	case !o.mark && o.accept != "":
		return fmt.Errorf("status: --accept goes with --mark-reviewed: %w", errUsage)
	}
	accept, err := review.ParseAccept(o.accept)
	if err != nil {
		return fmt.Errorf("status: %v: %w", err, errUsage)
	}
	failOn, err := checkReviewOpts(o)
	if err != nil {
		return err
	}
	site, err := generator.Load(ctx, generator.Options{SiteDir: o.site})
	if err != nil {
		return err
	}
	if o.strings {
		gaps := generator.StringGaps(site)
		return writeReport(stdout, o, gaps, nil, func(w io.Writer, _ bool) error {
			return writeStringGaps(w, site, gaps)
		})
	}
	rv, err := reviewer(site, o)
	if err != nil {
		return err
	}
	source := o.source
	if source == "" {
		source = rv.DefaultSource()
	}
	if o.mark {
		for _, page := range pos[1:] {
			path, recs, err := rv.MarkReviewed(ctx, source, pos[0], page, review.MarkOptions{Accept: accept, KeepText: true})
			if err != nil {
				return err
			}
			accepted := 0
			for _, r := range recs {
				if len(r.Accept) > 0 {
					accepted++
				}
			}
			msg := fmt.Sprintf("%s: marked %s reviewed against %s", path, diag.Plural(len(recs), "section", "sections"), source)
			if accepted > 0 {
				msg += fmt.Sprintf(", accepted the differences of %d", accepted)
			}
			fmt.Fprintln(stdout, msg)
		}
		return nil
	}
	st, err := rv.Status(ctx, source)
	if err != nil {
		return err
	}
	if o.format == "html" && isFolder(o.out) {
		if err := writeReportFolder(ctx, o.out, rv, st, site); err != nil {
			return err
		}
		if f := review.Failures(st.Totals, failOn); len(f) > 0 {
			return fmt.Errorf("status: %s (--fail-on %s)", strings.Join(f, ", "), o.failOn)
		}
		return nil
	}
	err = writeReport(stdout, o, st,
		func(t *review.Templates, w io.Writer) error {
			return t.WriteStatusHTML(w, st, review.HTMLOptions{Locales: site.Locales})
		},
		func(w io.Writer, color bool) error {
			return review.WriteStatusText(w, st, review.TextOptions{Color: color})
		})
	if err != nil {
		return err
	}
	if f := review.Failures(st.Totals, failOn); len(f) > 0 {
		return fmt.Errorf("status: %s (--fail-on %s)", strings.Join(f, ", "), o.failOn)
	}
	return nil
}

// isFolder reports whether -o names a folder: it ends with a slash or
// is an existing directory.
func isFolder(out string) bool {
	if out == "" {
		return false
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(out)
	return err == nil && fi.IsDir()
}

// writeReportFolder writes the status matrix as DIR/index.html and the
// diff of every other locale beside it, linked from each cell.
func writeReportFolder(ctx context.Context, dir string, rv *review.Reviewer, st *review.Status, site *generator.Site) error {
	t, err := review.ParseTemplates(themes.Default())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, f func(w io.Writer) error) error {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	err = write("index.html", func(w io.Writer) error {
		return t.WriteStatusHTML(w, st, review.HTMLOptions{Locales: site.Locales, DiffURL: review.DiffFileURL})
	})
	if err != nil {
		return err
	}
	for _, l := range st.Locales {
		if l.Tag == st.Source {
			continue
		}
		d, err := rv.Diff(ctx, st.Source, l.Tag, nil)
		if err != nil {
			return err
		}
		if err := write(review.DiffFile(l.Tag), func(w io.Writer) error {
			return t.WriteDiffHTML(w, d, review.HTMLOptions{Locales: site.Locales})
		}); err != nil {
			return err
		}
	}
	return nil
}
