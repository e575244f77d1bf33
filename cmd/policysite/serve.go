package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"policysite/generator/devserver"
)

type serveOpts struct {
	site, bind     string
	port           int
	open, navigate bool
	drafts         bool
	hosts          []string // --host: names the server answers to besides localhost
}

func serveFlags(stderr io.Writer) (*flag.FlagSet, *serveOpts) {
	o := &serveOpts{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.site, "s", ".", "`SITE` folder (holds content/, i18n/, site.toml)")
	fs.StringVar(&o.bind, "bind", "127.0.0.1", "`ADDRESS` to listen on; anything but loopback is reachable from other machines")
	fs.IntVar(&o.port, "port", 1313, "TCP `PORT` (0 picks a free one)")
	fs.BoolVar(&o.open, "open", false, "open the site in the default browser")
	fs.BoolVar(&o.navigate, "navigate", false, "make open pages go to the page that was just edited")
	fs.BoolVar(&o.drafts, "drafts", false, "include pages marked draft")
	fs.Func("host", "a host name the server answers to besides localhost and IP addresses, such as preview.example.test (.example.test: every name below it); repeat for more", func(v string) error {
		return addHosts(&o.hosts, v)
	})
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite serve [-s SITE] [--bind 127.0.0.1] [--port 1313] [--open] [--navigate] [--drafts] [--host NAME]")
		fmt.Fprintln(fs.Output(), "\nBuilds the site into memory, serves every locale and rebuilds on every edit; open pages reload by themselves.")
		fmt.Fprintln(fs.Output(), "The translation review (policysite status and diff, live) is served at /_review/: the status of every")
		fmt.Fprintln(fs.Output(), "locale and page, each cell linking to that page's diff, e.g. http://127.0.0.1:1313/_review/")
		printFlags(fs)
	}
	return fs, o
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := serveFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("serve: %v: %w", err, errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	if o.port < 0 || o.port > 65535 {
		return fmt.Errorf("serve: --port %d is not a TCP port: %w", o.port, errUsage)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(devserver.MemoryLimit)
	}
	srv, err := devserver.New(devserver.Options{
		SiteDir: o.site, Bind: o.bind, Port: o.port, Drafts: o.drafts, Navigate: o.navigate, Log: stdout, Hosts: o.hosts,
	})
	if errors.Is(err, syscall.EADDRINUSE) {
		next := "--port 0 picks a free one"
		if o.port != 0 && o.port < 65535 {
			next = fmt.Sprintf("run with --port %d, or --port 0 to pick a free one", o.port+1)
		}
		return fmt.Errorf("serve: port %d on %s is already in use (is another policysite serve running?); %s", o.port, o.bind, next)
	}
	if err != nil {
		return err
	}
	if o.open {
		// The browser opens while the first build runs; the page waits
		// for it and reloads by itself.
		if err := openBrowser(srv.URL()); err != nil {
			fmt.Fprintln(stderr, "policysite: warning: cannot open a browser:", err)
		}
	}
	return srv.Run(ctx)
}

// openBrowser starts the system's default browser on url without
// waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// Reap the launcher; it exits once the browser has the URL.
	go func() { _ = cmd.Wait() }()
	return nil
}

// addHosts adds the comma-separated host names of one --host flag.
func addHosts(hosts *[]string, v string) error {
	for _, h := range strings.Split(v, ",") {
		h = strings.TrimSpace(h)
		if h == "" || strings.ContainsAny(h, "/: ") {
			return fmt.Errorf("%q is not a host name; give a name such as preview.example.test, without scheme or port", h)
		}
		*hosts = append(*hosts, h)
	}
	return nil
}
