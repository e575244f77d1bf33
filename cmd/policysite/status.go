package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"policysite/generator"
	"policysite/generator/review"
)

func statusFlags(stderr io.Writer) (*flag.FlagSet, *reviewOpts) {
	o := &reviewOpts{}
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reviewFlags(fs, o)
	fs.StringVar(&o.source, "source", "", "locale to measure against (default: the site's default locale)")
	fs.BoolVar(&o.mark, "mark-reviewed", false, "record in TARGET's file of each PAGE that it matches the source now")
	fs.BoolVar(&o.strings, "strings", false, "list the UI strings each published locale lacks in its language, and what visitors see instead")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite status [-s SITE] [--source TAG] [--format text|json|html] [-o FILE] [--fail-on LIST]")
		fmt.Fprintln(fs.Output(), "       policysite status [-s SITE] [--source TAG] --mark-reviewed TARGET PAGE...")
		fmt.Fprintln(fs.Output(), "       policysite status [-s SITE] --strings [--format text|json] [-o FILE]")
		fmt.Fprintln(fs.Output(), "\nShows every locale × page: translated, overridden, inherited, fallback or missing, with")
		fmt.Fprintln(fs.Output(), "stale and structurally different sections and word counts. --mark-reviewed writes the")
		fmt.Fprintln(fs.Output(), "digest of each source section into the target file's front matter (reviewed:).")
		fs.PrintDefaults()
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
	rv := review.New(site)
	source := o.source
	if source == "" {
		source = rv.DefaultSource()
	}
	if o.mark {
		for _, page := range pos[1:] {
			path, recs, err := rv.MarkReviewed(ctx, source, pos[0], page)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: marked %d sections reviewed against %s\n", path, len(recs), source)
		}
		return nil
	}
	st, err := rv.Status(ctx, source)
	if err != nil {
		return err
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
