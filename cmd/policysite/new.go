package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"policysite/generator/diag"
	"policysite/generator/scaffold"
)

type newSiteOpts struct {
	locales, name string
	force         bool
}

func newSiteFlags(stderr io.Writer) (*flag.FlagSet, *newSiteOpts) {
	o := &newSiteOpts{}
	fs := flag.NewFlagSet("new site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.locales, "locales", "en", "comma-separated BCP 47 `TAGS` of the published locales, e.g. en,de-DE,ja-JP")
	fs.StringVar(&o.name, "name", "", "the organisation's `NAME`: site title and copyright holder (default: DIR's name)")
	fs.BoolVar(&o.force, "force", false, "write into a non-empty DIR, replacing the files a new site has")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite new site DIR [--locales en,de-DE,ja-JP] [--name NAME] [--force]")
		fmt.Fprintln(fs.Output(), "\nCreates a site in DIR: site.toml, and a privacy policy, cookie policy, terms of use and home page")
		fmt.Fprintln(fs.Output(), "for each language, with headings in that language and placeholder text to replace.")
		printFlags(fs)
	}
	return fs, o
}

type newPageOpts struct {
	site, title string
}

func newPageFlags(stderr io.Writer) (*flag.FlagSet, *newPageOpts) {
	o := &newPageOpts{}
	fs := flag.NewFlagSet("new page", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.site, "s", ".", "`SITE` folder (holds content/, i18n/, site.toml)")
	fs.StringVar(&o.title, "title", "", "the page's `TITLE` (default: from PATH, \"legal/imprint\" → \"Imprint\")")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite new page PATH [-s SITE] [--title TITLE]")
		fmt.Fprintln(fs.Output(), "\nAdds content/<tag>/PATH.md to every language base of the site: each locale that")
		fmt.Fprintln(fs.Output(), "does not inherit its text from another locale of its language.")
		printFlags(fs)
	}
	return fs, o
}

// newFlags is the help of "new" itself: its two forms.
func newFlags(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintln(w, "Usage:\n  policysite new site DIR [--locales en,de-DE,ja-JP] [--name NAME] [--force]\n  policysite new page PATH [-s SITE] [--title TITLE]")
		fmt.Fprintln(w, "\nRun 'policysite help new site' or 'policysite help new page' for their flags.")
	}
	return fs
}

func cmdNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("new: say what to create: 'new site DIR' or 'new page PATH': %w", errUsage)
	}
	switch args[0] {
	case "site":
		return cmdNewSite(args[1:], stdout, stderr)
	case "page":
		return cmdNewPage(args[1:], stdout, stderr)
	case "-h", "--help", "-help":
		newFlags(stdout).Usage()
		return flag.ErrHelp
	}
	return fmt.Errorf("new: unknown kind %q; use 'new site DIR' or 'new page PATH': %w", args[0], errUsage)
}

func cmdNewSite(args []string, stdout, stderr io.Writer) error {
	fs, o := newSiteFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr("new site", err)
	}
	if len(pos) != 1 {
		return fmt.Errorf("new site: give one folder, as in 'policysite new site my-site': %w", errUsage)
	}
	dir := pos[0]
	var tags []string
	for _, t := range strings.Split(o.locales, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	written, err := scaffold.Site(scaffold.Options{Dir: dir, Locales: tags, Name: o.name, Force: o.force})
	if err != nil {
		return err
	}
	pages := 0
	for _, f := range written {
		if strings.HasSuffix(f, ".md") {
			pages++
		}
	}
	fmt.Fprintf(stdout, "created a site in %s: site.toml and %s for %s\n", dir, diag.Plural(pages, "page", "pages"), diag.Plural(len(tags), "locale", "locales"))
	cd := ""
	if filepath.Clean(dir) != "." {
		cd = "cd " + shellQuote(dir) + " && "
	}
	fmt.Fprintf(stdout, "\nNext:\n  %spolicysite serve      # preview with live reload at http://127.0.0.1:1313/\n  policysite build --strict   # write the site into %s\n",
		cd, filepath.Join(dir, "public"))
	fmt.Fprintln(stdout, "\nReplace each paragraph marked as a placeholder with your own text.")
	return nil
}

func cmdNewPage(args []string, stdout, stderr io.Writer) error {
	fs, o := newPageFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr("new page", err)
	}
	if len(pos) != 1 {
		return fmt.Errorf("new page: give one page path, as in 'policysite new page accessibility': %w", errUsage)
	}
	written, err := scaffold.Page(scaffold.PageOptions{SiteDir: o.site, Path: pos[0], Title: o.title})
	if err != nil {
		return err
	}
	for _, f := range written {
		fmt.Fprintln(stdout, "created", filepath.Join(o.site, filepath.FromSlash(f)))
	}
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("new site DIR --locales en"), which flag.Parse
// alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
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

// usageErr turns a flag parsing error into a usage error, keeping -h.
func usageErr(cmd string, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%s: %v: %w", cmd, err, errUsage)
}

// shellQuote quotes dir for the "Next" hint when it needs quoting.
func shellQuote(s string) string {
	if !strings.ContainsAny(s, " \t'\"$`\\!*?[]{}()&|;<>~#") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
