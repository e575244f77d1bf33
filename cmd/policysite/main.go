// Command policysite builds multilingual policy sites: privacy, cookie
// and terms pages for many region/language pairs, with hreflang links,
// a sitemap, navigation and a cookie notice.
//
// Usage:
//
//	policysite build [-s SITE] [-o OUT] [--base-url URL] [--strict] [--drafts]
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
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return fmt.Errorf("no command given: %w", errUsage)
	}
	name, rest := args[0], args[1:]
	switch name {
	case "version":
		fmt.Fprintln(stdout, "policysite", version())
		return nil
	case "help", "-h", "--help":
		if len(rest) > 0 {
			return help(rest[0], stdout)
		}
		usage(stdout)
		return nil
	}
	if c, ok := commands()[name]; ok {
		return c.run(ctx, rest, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q: %w", name, errUsage)
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
	fmt.Fprintf(w, "  %-12s %s\n  %-12s %s\n\nRun 'policysite help <command>' for a command's flags.\n", "version", "print the version", "help", "show help for a command")
}

func help(name string, w io.Writer) error {
	c, ok := commands()[name]
	if !ok {
		return fmt.Errorf("unknown command %q: %w", name, errUsage)
	}
	fs := c.flags()
	fs.SetOutput(w)
	fs.Usage()
	return nil
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		v := info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
		return v
	}
	return "(unknown)"
}
