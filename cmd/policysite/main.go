// Command policysite builds multilingual policy sites: privacy, cookie
// and terms pages for many region/language pairs, with hreflang links,
// a sitemap, navigation and a cookie notice.
//
// Usage:
//
//	policysite new site DIR [--locales en,de-DE,ja-JP] [--name NAME]
//	policysite new page PATH
//	policysite build [-s SITE] [-o OUT] [--base-url URL] [--strict] [-q|-v]
//	policysite serve [-s SITE] [--port 1313]
//	policysite version
//	policysite help [command]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"policysite/generator/diag"
)

// errUsage marks errors in how the command was called (exit status 2).
var errUsage = errors.New("usage")

func main() {
	var sigs signals
	ctx, stop := sigs.notify(context.Background(), os.Stderr)
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if st := sigs.status(); st != 0 && status != 0 {
		// Interrupted: the command stopped because of the signal, and
		// says so in the status, as shells expect (130 for Ctrl+C).
		status = st
	}
	stop()
	os.Exit(status)
}

// run executes one command and returns the exit status: 0 on success,
// 1 on build errors, 2 on usage errors.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "policysite:", strings.TrimSuffix(err.Error(), ": usage"))
		fmt.Fprintln(stderr, "Run 'policysite help' for usage.")
		return 2
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		var ie *interruptedError
		if !errors.As(err, &ie) {
			ie = &interruptedError{}
		}
		fmt.Fprintln(stderr, "policysite:", ie)
		return 1
	default:
		errs := diag.Errors(err)
		for _, e := range errs {
			fmt.Fprintln(stderr, "policysite:", e)
		}
		if len(errs) > 1 {
			fmt.Fprintf(stderr, "policysite: %d errors\n", len(errs))
		}
		return 1
	}
}

// A command is one subcommand of policysite.
type command struct {
	summary string
	// flags returns the command's flag set, for help output.
	flags func() *flag.FlagSet
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands. Each lives in its own file.
func commands() map[string]command {
	return map[string]command{
		"build":       {"build the site into public/", func() *flag.FlagSet { f, _ := buildFlags(io.Discard); return f }, cmdBuild},
		"diff":        {"compare a translation with its source, section by section", func() *flag.FlagSet { f, _ := diffFlags(io.Discard); return f }, cmdDiff},
		"status":      {"show the translation status of every locale and page", func() *flag.FlagSet { f, _ := statusFlags(io.Discard); return f }, cmdStatus},
		"deploy":      {"publish the built output to S3, Google Cloud Storage, Azure Blob or a folder", func() *flag.FlagSet { f, _ := deployFlags(io.Discard); return f }, cmdDeploy},
		"deploy-plan": {"list the uploads, deletions and CDN purges between two builds", func() *flag.FlagSet { f, _ := deployPlanFlags(io.Discard); return f }, cmdDeployPlan},
		"xliff":       {"exchange missing and stale sections with translators as XLIFF", func() *flag.FlagSet { f, _ := xliffFlags(io.Discard); return f }, cmdXliff},
		"serve":       {"preview the site with live reload while you edit", func() *flag.FlagSet { f, _ := serveFlags(io.Discard); return f }, cmdServe},
		"new":         {"create a new site, or add a page to every language", func() *flag.FlagSet { return newFlags(io.Discard) }, cmdNew},
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return fmt.Errorf("no command given: %w", errUsage)
	}
	name, rest := args[0], args[1:]
	switch name {
	case "version", "--version", "-version":
		if len(rest) > 0 {
			return fmt.Errorf("version: unexpected argument %q: %w", rest[0], errUsage)
		}
		fmt.Fprintln(stdout, "policysite", version())
		return nil
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			return help(rest, stdout)
		}
		usage(stdout)
		return nil
	}
	if c, ok := commands()[name]; ok {
		return c.run(ctx, rest, stdout, stderr)
	}
	return unknownCommand(name)
}

// unknownCommand reports a command that does not exist, suggesting the
// nearest one when it is a likely typo.
func unknownCommand(name string) error {
	names := []string{"version", "help"}
	for n := range commands() {
		names = append(names, n)
	}
	if strings.HasPrefix(name, "-") {
		return fmt.Errorf("unknown flag %s: flags follow the command, as in 'policysite build --strict': %w", name, errUsage)
	}
	if s := nearest(name, names); s != "" {
		return fmt.Errorf("unknown command %q; did you mean %s?: %w", name, s, errUsage)
	}
	return fmt.Errorf("unknown command %q: %w", name, errUsage)
}

// nearest returns the name closest to s, if s looks like a typo of it:
// a prefix of it, or at most one edit in three letters away. Ties go to
// the first in sorted order, so the suggestion is deterministic.
func nearest(s string, names []string) string {
	slices.Sort(names)
	s = strings.ToLower(s)
	best, bestD := "", max(1, len(s)/3)+1
	for _, n := range names {
		if len(s) >= 2 && strings.HasPrefix(n, s) {
			return n
		}
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counting
// an adjacent transposition ("biuld") as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func usage(w io.Writer) {
	fmt.Fprint(w, "policysite builds multilingual policy sites.\n\nUsage:\n  policysite <command> [flags]\n\nCommands:\n")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, "  %-12s %s\n  %-12s %s\n\nRun 'policysite help <command>' for a command's flags.\nNew here? 'policysite new site my-site' creates a site to start from.\n", "version", "print the version", "help", "show help for a command")
}

// help prints the help of the command named by args ("build", "new
// site").
func help(args []string, w io.Writer) error {
	name := args[0]
	switch name {
	case "version":
		fmt.Fprintln(w, "Usage: policysite version\n       policysite --version\n\nPrints the module version and the VCS revision policysite was built from.")
		return nil
	case "help":
		fmt.Fprintln(w, "Usage: policysite help [command]\n\nShows the commands, or a command's flags.")
		return nil
	}
	c, ok := commands()[name]
	if !ok {
		return unknownCommand(name)
	}
	fs := c.flags()
	if name == "new" && len(args) > 1 {
		switch args[1] {
		case "site":
			fs, _ = newSiteFlags(io.Discard)
		case "page":
			fs, _ = newPageFlags(io.Discard)
		}
	}
	fs.SetOutput(w)
	fs.Usage()
	return nil
}

// printFlags prints fs's flags as the README writes them: one-letter
// flags with one dash (-s), the others with two (--base-url).
func printFlags(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  " + dash + f.Name
		if name != "" {
			line += " " + name
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && !strings.Contains(usage, "(default") {
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		fmt.Fprintf(w, "%s\n    \t%s%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"), def)
	})
}

// version describes the build: the module version ("v1.2.0", or
// "(devel)" for a build from a checkout) and the VCS revision, its time
// and whether the tree had uncommitted changes, as the go command
// records them in the binary.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version: built without module information)"
	}
	return describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v + " (no VCS revision recorded)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += "+modified"
	}
	v += " " + rev
	if at != "" {
		v += " " + at
	}
	return v + " " + info.GoVersion
}
