package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"policysite/generator"
	"policysite/generator/review"
	"policysite/generator/xliff"
)

type xliffOpts struct {
	site, out, only, version string
}

func xliffFlags(stderr io.Writer) (*flag.FlagSet, *xliffOpts) {
	o := &xliffOpts{}
	fs := flag.NewFlagSet("xliff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.site, "s", ".", "site folder")
	fs.StringVar(&o.out, "o", "", "export: the XLIFF file to write (default: standard output)")
	fs.StringVar(&o.only, "only", "missing,stale", "export: the sections to export: missing, stale, unreviewed")
	fs.StringVar(&o.version, "version", xliff.Version21, "export: XLIFF version, 2.1 or 1.2 (for tools that read only 1.2)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite xliff export [-s SITE] [--only missing,stale] [--version 2.1|1.2] [-o FILE.xlf] SOURCE TARGET [PAGE...]")
		fmt.Fprintln(fs.Output(), "       policysite xliff import [-s SITE] FILE.xlf")
		fmt.Fprintln(fs.Output(), "\nexport writes the sections TARGET lacks or that changed in SOURCE since their review, one unit per")
		fmt.Fprintln(fs.Output(), "section and one segment per heading, paragraph, list item and table cell, for a CAT tool.")
		fmt.Fprintln(fs.Output(), "import writes the translations back into TARGET's Markdown and marks them reviewed.")
		fs.PrintDefaults()
	}
	return fs, o
}

func cmdXliff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := xliffFlags(stderr)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("xliff: %v: %w", err, errUsage)
	}
	if len(pos) == 0 {
		return fmt.Errorf("xliff: want export or import: %w", errUsage)
	}
	switch pos[0] {
	case "export":
		if len(pos) < 3 {
			return fmt.Errorf("xliff export: want SOURCE and TARGET locales, e.g. xliff export en de-DE: %w", errUsage)
		}
		only, err := xliff.ParseOnly(o.only)
		if err != nil {
			return fmt.Errorf("xliff export: %v: %w", err, errUsage)
		}
		site, err := generator.Load(ctx, generator.Options{SiteDir: o.site})
		if err != nil {
			return err
		}
		doc, err := xliff.Export(ctx, review.New(site), xliff.ExportOptions{Source: pos[1], Target: pos[2], Pages: pos[3:], Only: only})
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := doc.Write(&b, o.version); err != nil {
			return fmt.Errorf("xliff export: %v: %w", err, errUsage)
		}
		units := 0
		for _, p := range doc.Pages {
			units += len(p.Units)
		}
		if o.out == "" {
			_, err := stdout.Write(b.Bytes())
			return err
		}
		if err := os.WriteFile(o.out, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s: %d units in %d pages, %s → %s\n", o.out, units, len(doc.Pages), pos[1], pos[2])
		return nil
	case "import":
		if len(pos) != 2 {
			return fmt.Errorf("xliff import: want one XLIFF file: %w", errUsage)
		}
		f, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := xliff.Read(f)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[1], err)
		}
		site, err := generator.Load(ctx, generator.Options{SiteDir: o.site})
		if err != nil {
			return err
		}
		res, err := xliff.Import(ctx, site, review.New(site), doc)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[1], err)
		}
		for _, s := range res.Skipped {
			fmt.Fprintln(stderr, "policysite: warning: not imported:", s)
		}
		for _, p := range res.Files {
			fmt.Fprintln(stdout, "wrote", p)
		}
		fmt.Fprintf(stdout, "imported %d sections into %d files (%d untranslated, %d skipped)\n", res.Imported, len(res.Files), res.Untranslated, len(res.Skipped))
		return nil
	}
	return fmt.Errorf("xliff: unknown subcommand %q; want export or import: %w", pos[0], errUsage)
}
