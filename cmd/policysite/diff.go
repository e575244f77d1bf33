package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"policysite/generator"
	"policysite/generator/review"
	"policysite/themes"
)

// reviewOpts are the flags diff and status share.
type reviewOpts struct {
	site, format, out, failOn, source string
	counterparts, accept              string
	verbose, mark, color, strings     bool
}

func diffFlags(stderr io.Writer) (*flag.FlagSet, *reviewOpts) {
	o := &reviewOpts{}
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reviewFlags(fs, o)
	fs.BoolVar(&o.verbose, "v", false, "list every section, not only those with findings (text format)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite diff [-s SITE] [--format text|json|html] [-o FILE] [--fail-on LIST] [-v] SOURCE TARGET [PAGE...]")
		fmt.Fprintln(fs.Output(), "\nCompares the pages readers of TARGET see with those of SOURCE, section by section:")
		fmt.Fprintln(fs.Output(), "missing, extra, moved and stale sections, and structural differences (lists, tables,")
		fmt.Fprintln(fs.Output(), "links, images, numbers, dates, e-mail addresses, URLs, code). Sections a region adds,")
		fmt.Fprintln(fs.Output(), "replaces or removes on purpose are listed as regional. Stale sections show what changed")
		fmt.Fprintln(fs.Output(), "in the source since the review, word by word. Example:")
		fmt.Fprintln(fs.Output(), "  policysite diff en de-DE privacy")
		printFlags(fs)
	}
	return fs, o
}

func reviewFlags(fs *flag.FlagSet, o *reviewOpts) {
	fs.StringVar(&o.site, "s", ".", "site folder (holds content/, i18n/, site.toml)")
	fs.StringVar(&o.format, "format", "text", "output format: text, json or html")
	fs.StringVar(&o.out, "o", "", "write the report to this file instead of standard output")
	fs.StringVar(&o.failOn, "fail-on", "", "exit with status 1 when any of these are found: missing,extra,stale,structure,unreviewed,regional")
	fs.StringVar(&o.counterparts, "counterpart", "", "compare a region's own sections with this locale's: TARGET=LOCALE[,...], e.g. de-DE=en-IE (default: inferred)")
	fs.BoolVar(&o.color, "color", false, "colour the text report even when standard output is not a terminal")
}

// reviewer returns the Reviewer of site with the options of o.
func reviewer(site *generator.Site, o *reviewOpts) (*review.Reviewer, error) {
	cp, err := review.ParseCounterparts(o.counterparts)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, errUsage)
	}
	return review.NewWithOptions(site, review.Options{Counterparts: cp}), nil
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments ("diff en de-DE privacy --format json").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func cmdDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := diffFlags(stderr)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("diff: %v: %w", err, errUsage)
	}
	if len(pos) < 2 {
		return fmt.Errorf("diff: give a SOURCE and a TARGET locale, e.g. policysite diff en de-DE: %w", errUsage)
	}
	failOn, err := checkReviewOpts(o)
	if err != nil {
		return err
	}
	site, err := generator.Load(ctx, generator.Options{SiteDir: o.site})
	if err != nil {
		return err
	}
	rv, err := reviewer(site, o)
	if err != nil {
		return err
	}
	d, err := rv.Diff(ctx, pos[0], pos[1], pos[2:])
	if err != nil {
		return err
	}
	err = writeReport(stdout, o, d,
		func(t *review.Templates, w io.Writer) error {
			return t.WriteDiffHTML(w, d, review.HTMLOptions{Locales: site.Locales})
		},
		func(w io.Writer, color bool) error {
			return review.WriteDiffText(w, d, review.TextOptions{Color: color, All: o.verbose})
		})
	if err != nil {
		return err
	}
	if f := review.Failures(d.Totals, failOn); len(f) > 0 {
		return fmt.Errorf("diff %s %s: %s (--fail-on %s)", pos[0], pos[1], strings.Join(f, ", "), o.failOn)
	}
	return nil
}

func checkReviewOpts(o *reviewOpts) ([]string, error) {
	switch o.format {
	case "text", "json", "html":
	default:
		return nil, fmt.Errorf("--format %q: use text, json or html: %w", o.format, errUsage)
	}
	failOn, err := review.ParseFailOn(o.failOn)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, errUsage)
	}
	return failOn, nil
}

// writeReport writes report v in o.format to o.out, or to stdout, with
// colour when stdout is a terminal.
func writeReport(stdout io.Writer, o *reviewOpts, v any, html func(*review.Templates, io.Writer) error, text func(w io.Writer, color bool) error) error {
	write := func(w io.Writer, color bool) error {
		switch o.format {
		case "json":
			return review.WriteJSON(w, v)
		case "html":
			t, err := review.ParseTemplates(themes.Default())
			if err != nil {
				return err
			}
			return html(t, w)
		}
		return text(w, color)
	}
	if o.out == "" {
		return write(stdout, o.color || review.IsTerminal(stdout))
	}
	f, err := os.Create(o.out)
	if err != nil {
		return err
	}
	if err := write(f, o.color); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
