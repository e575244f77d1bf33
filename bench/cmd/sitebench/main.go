// Command sitebench is policysite's benchmark tool: it generates
// benchmark sites, times policysite against Hugo on them side by side in
// one run, and times policysite serve's rebuilds after edits.
//
//	sitebench gen -locales 32 -pages 300 -o /tmp/site [-hugo /tmp/hugo-site]
//	sitebench compare -locales 32 -pages 300 -runs 5 -work /tmp/bench -policysite ./policysite [-hugo hugo] [-cold-delete]
//	sitebench serve [-s SITE] [-site example|generated] [-edits 40] [-pages 300]
//
// compare alternates policysite and Hugo builds of the same content,
// cold (into an empty folder) and then into the output the previous
// build left, then times no-op rebuilds and rebuilds after an edit of
// one page, and prints medians of wall time, CPU time and peak RSS as a
// Markdown table.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"policysite/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sitebench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: sitebench gen|compare|serve [flags]")
	}
	if args[0] == "serve" {
		return serveBench(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	locales := fs.Int("locales", 32, "published locales (at most 32)")
	pages := fs.Int("pages", 50, "pages per locale")
	i18nDir := fs.String("i18n", "i18n", "folder whose *.toml UI strings are copied into the site")
	switch args[0] {
	case "gen":
		out := fs.String("o", "", "policysite site folder to write")
		hugo := fs.String("hugo", "", "also write the Hugo site here")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		o := bench.Options{Locales: *locales, Pages: *pages}
		return generate(o, *out, *hugo, *i18nDir, stdout)
	case "compare":
		work := fs.String("work", "", "folder for the generated sites (reused when present)")
		runs := fs.Int("runs", 5, "timed builds of each tool")
		ps := fs.String("policysite", "policysite", "policysite binary")
		hugo := fs.String("hugo", "hugo", "hugo binary; empty to skip Hugo")
		extra := fs.String("args", "", "extra policysite build flags, space-separated (the default build writes no precompressed files, like Hugo; --compress times them)")
		coldDelete := fs.Bool("cold-delete", false, "delete the previous outputs just before each cold build instead of moving them aside until the end (see docs/performance.md: on ext4 without a journal this makes both tools' cold builds slower)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *work == "" {
			return errors.New("compare: -work is required")
		}
		o := bench.Options{Locales: *locales, Pages: *pages}
		name := fmt.Sprintf("%dx%d", o.Locales, o.Pages)
		site, hsite := filepath.Join(*work, name, "policysite"), filepath.Join(*work, name, "hugo")
		if _, err := os.Stat(filepath.Join(site, "site.toml")); err != nil {
			if err := generate(o, site, hsite, *i18nDir, stderr); err != nil {
				return err
			}
		}
		c := comparison{o: o, site: site, hsite: hsite, ps: *ps, psArgs: strings.Fields(*extra), hugo: *hugo, runs: *runs, coldDelete: *coldDelete,
			trash: filepath.Join(*work, name, "trash")}
		return c.run(ctx, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q; want gen, compare or serve", args[0])
}

func generate(o bench.Options, out, hugo, i18nDir string, w io.Writer) error {
	if out == "" {
		return errors.New("gen: -o is required")
	}
	var ui = os.DirFS(i18nDir)
	if _, err := os.Stat(i18nDir); err != nil {
		ui = nil
	}
	st, err := bench.Write(out, o, ui)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: %d pages from %d files, %.1f MB\n", out, st.Pages, st.Files, float64(st.Bytes)/1e6)
	if hugo != "" {
		st, err := bench.WriteHugo(hugo, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s: %d pages from %d files, %.1f MB\n", hugo, st.Pages, st.Files, float64(st.Bytes)/1e6)
	}
	return nil
}

// A sample is one timed build.
type sample struct {
	wall, cpu time.Duration
	rssKB     int64
}

// measure runs a command and returns its wall time, CPU time and peak RSS.
func measure(ctx context.Context, stderr io.Writer, name string, args ...string) (sample, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = io.Discard
	cmd.Stderr = stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %v: %w", name, args, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rssKB: ru.Maxrss}, nil
}

func median(s []sample) sample {
	pick := func(f func(sample) int64) int64 {
		v := make([]int64, len(s))
		for i, x := range s {
			v[i] = f(x)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return sample{
		wall:  time.Duration(pick(func(x sample) int64 { return int64(x.wall) })),
		cpu:   time.Duration(pick(func(x sample) int64 { return int64(x.cpu) })),
		rssKB: pick(func(x sample) int64 { return x.rssKB }),
	}
}

// A comparison is one run of sitebench compare.
type comparison struct {
	o           bench.Options
	site, hsite string // the policysite and Hugo sites
	ps          string // policysite binary
	psArgs      []string
	hugo        string // Hugo binary, or "" to time policysite alone
	runs        int
	// coldDelete deletes the previous outputs just before each cold
	// build; by default they are moved into trash, which is deleted
	// once every series has run.
	coldDelete bool
	trash      string
}

func (c *comparison) run(ctx context.Context, stdout, stderr io.Writer) (err error) {
	o, site, hsite, ps, psArgs, hugo, runs := c.o, c.site, c.hsite, c.ps, c.psArgs, c.hugo, c.runs
	pages := o.Locales * o.Pages
	out, hout := filepath.Join(site, "public"), filepath.Join(hsite, "public")
	cache := filepath.Join(site, ".policysite-cache")
	loadBefore := loadAverage()
	if err := os.RemoveAll(c.trash); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(c.trash)) }()
	psBuild := func(cold bool) (sample, error) {
		// Every timed build really builds: the build cache goes. A cold
		// build also starts from an empty folder, as a first build and
		// CI on a fresh machine do: no output, no spare to recycle.
		if err := os.RemoveAll(cache); err != nil {
			return sample{}, err
		}
		if cold {
			if err := c.clear(policysiteOutputs(out)...); err != nil {
				return sample{}, err
			}
		}
		return measure(ctx, stderr, ps, append([]string{"build", "-s", site, "-o", out}, psArgs...)...)
	}
	hugoBuild := func(cold bool) (sample, error) {
		if cold {
			if err := c.clear(hout); err != nil {
				return sample{}, err
			}
		}
		return measure(ctx, stderr, hugo, "--quiet", "-s", hsite, "-d", hout)
	}
	// One untimed build of each warms the page cache.
	if _, err := psBuild(true); err != nil {
		return err
	}
	if hugo != "" {
		if _, err := hugoBuild(true); err != nil {
			return err
		}
	}
	series := func(cold bool) (ps, hs []sample, err error) {
		for i := range runs {
			fmt.Fprintf(stderr, "%s run %d/%d\n", map[bool]string{true: "cold", false: "warm"}[cold], i+1, runs)
			s, err := psBuild(cold)
			if err != nil {
				return nil, nil, err
			}
			ps = append(ps, s)
			if hugo != "" {
				s, err := hugoBuild(cold)
				if err != nil {
					return nil, nil, err
				}
				hs = append(hs, s)
			}
		}
		return ps, hs, nil
	}
	coldPS, coldHugo, err := series(true)
	if err != nil {
		return err
	}
	warmPS, warmHugo, err := series(false)
	if err != nil {
		return err
	}
	// No-op rebuilds: the cache of the last build is in place.
	var noop []sample
	for range runs {
		s, err := measure(ctx, stderr, ps, append([]string{"build", "-s", site, "-o", out}, psArgs...)...)
		if err != nil {
			return err
		}
		noop = append(noop, s)
	}
	edit, err := incremental(ctx, site, ps, append([]string{"-o", out}, psArgs...), runs, stderr)
	if err != nil {
		return err
	}
	row := func(name string, s sample) {
		fmt.Fprintf(stdout, "| %s | %d | %.2f s | %.2f s | %.0f µs | %.0f | %.0f MiB |\n", name, pages,
			s.wall.Seconds(), s.cpu.Seconds(), float64(s.cpu.Microseconds())/float64(pages), float64(pages)/s.wall.Seconds(), float64(s.rssKB)/1024)
	}
	flags := strings.Join(psArgs, " ")
	if flags == "" {
		flags = "(default flags)"
	}
	fmt.Fprintf(stdout, "\n%d locales × %d pages, median of %d alternating runs, policysite build %s", o.Locales, o.Pages, runs, flags)
	if before, after := loadBefore, loadAverage(); before != "" && after != "" {
		// The machine's other work changes wall times more than
		// anything measured here: say how busy it was.
		fmt.Fprintf(stdout, "; load average %s before, %s after", before, after)
	}
	fmt.Fprint(stdout, "\n\n")
	fmt.Fprintln(stdout, "| build | pages | wall | CPU | CPU/page | pages/s | peak RSS |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|")
	pc, pw, n := median(coldPS), median(warmPS), median(noop)
	row("policysite cold (empty folder)", pc)
	row("policysite rebuild, same input (output kept, cache removed)", pw)
	row("policysite no-op", n)
	row("policysite one edit", median(edit))
	if hugo != "" {
		hc, hw := median(coldHugo), median(warmHugo)
		row("hugo cold (empty folder)", hc)
		row("hugo rebuild, same input (output kept)", hw)
		fmt.Fprintf(stdout, "\ncold: policysite/hugo wall %.3f, CPU %.3f, peak RSS %.3f; rebuild: wall %.3f, CPU %.3f, peak RSS %.3f; no-op/cold: %.3f\n",
			pc.wall.Seconds()/hc.wall.Seconds(), pc.cpu.Seconds()/hc.cpu.Seconds(), float64(pc.rssKB)/float64(hc.rssKB),
			pw.wall.Seconds()/hw.wall.Seconds(), pw.cpu.Seconds()/hw.cpu.Seconds(), float64(pw.rssKB)/float64(hw.rssKB), n.wall.Seconds()/pc.wall.Seconds())
	} else {
		fmt.Fprintf(stdout, "\nno-op/cold: %.3f\n", n.wall.Seconds()/pc.wall.Seconds())
	}
	return nil
}

// loadAverage returns the system's one-minute load average, or "" where
// it cannot be read (only Linux has /proc/loadavg).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(string(b), " ")
	return first
}

// policysiteOutputs lists the output folder out and the folders
// policysite keeps beside it (the spare build it recycles, stale
// temporary folders).
func policysiteOutputs(out string) []string {
	extra, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".policysite-*"+filepath.Base(out)+"*"))
	return append(extra, out)
}

// clear makes the folders paths disappear before a cold build, so that
// it starts from nothing. They are moved into c.trash, deleted after
// the last series, rather than deleted now: ext4 without a journal
// (the project's machine) skips, for every inode it allocates, the
// free inodes deleted in the last minute or more, so creating an
// output just after deleting one costs each tool's cold build seconds
// of system time that a first build, or CI on a fresh machine, does not
// pay (docs/performance.md). -cold-delete deletes them now, as earlier
// series did.
func (c *comparison) clear(paths ...string) error {
	for _, p := range paths {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if c.coldDelete {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(c.trash, 0o755); err != nil {
			return err
		}
		dst, err := os.MkdirTemp(c.trash, "")
		if err != nil {
			return err
		}
		if err := os.Rename(p, filepath.Join(dst, filepath.Base(p))); err != nil {
			return err
		}
	}
	return nil
}

// incremental times runs builds that each follow an edit of one page
// of the default language, which every region inheriting it shows: the
// usual change of an author. The page is restored afterwards (and the
// output rebuilt, untimed).
func incremental(ctx context.Context, site, ps string, psArgs []string, runs int, stderr io.Writer) ([]sample, error) {
	pages, err := filepath.Glob(filepath.Join(site, "content", "en", "*.md"))
	if err != nil || len(pages) == 0 {
		return nil, fmt.Errorf("incremental: no page in %s: %v", filepath.Join(site, "content", "en"), err)
	}
	slices.Sort(pages)
	page := pages[len(pages)/2]
	orig, err := os.ReadFile(page)
	if err != nil {
		return nil, err
	}
	build := func() (sample, error) {
		return measure(ctx, stderr, ps, append([]string{"build", "-s", site}, psArgs...)...)
	}
	var out []sample
	for i := range runs {
		edited := fmt.Appendf(slices.Clip(orig), "\nEdited for timing run %d.\n", i+1)
		if err := os.WriteFile(page, edited, 0o644); err != nil {
			return nil, err
		}
		s, err := build()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := os.WriteFile(page, orig, 0o644); err != nil {
		return nil, err
	}
	_, err = build()
	return out, err
}
