package main

// The serve subcommand: how long policysite serve takes from saving a
// file to the browser being told to reload, over many edits, on the
// example site or on a generated site of 32 locales × -pages pages. It
// prints the median and 95th percentile and the process's peak memory.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"policysite/bench"
	"policysite/generator/devserver"
)

// serveBench measures policysite serve: see the comment at the top of
// usage in run).
func serveBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("s", ".", "example site to copy (site.toml, content/, i18n/, assets/)")
	which := fl.String("site", "example", "site to measure: example, or generated (32 locales × -pages pages)")
	edits := fl.Int("edits", 40, "edits to time")
	pages := fl.Int("pages", 300, "pages per locale of the generated site")
	keep := fl.Bool("keep", false, "keep the temporary site folder")
	cpuprofile := fl.String("cpuprofile", "", "write a CPU profile of the timed edits to this file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sitebench-serve-")
	if err != nil {
		return err
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	var targets []target
	switch *which {
	case "example":
		if err := copySite(*src, dir); err != nil {
			return err
		}
		targets = []target{
			{"regional page (de-DE/privacy.md)", "content/de-DE/privacy.md", "/de-de/privacy/"},
			{"language base (ru/terms.md, 4 locales)", "content/ru/terms.md", "/ru-ru/terms/"},
		}
	case "generated":
		start := time.Now()
		st, err := bench.Write(dir, bench.Options{Locales: 32, Pages: *pages}, os.DirFS(filepath.Join(*src, "i18n")))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %d Markdown files in %s\n", st.Files, time.Since(start).Round(time.Millisecond))
		regional, err := firstPage(dir, "de-DE")
		if err != nil {
			return err
		}
		base, err := firstPage(dir, "ja")
		if err != nil {
			return err
		}
		targets = []target{
			{"regional override (de-DE/" + regional + ".md)", "content/de-DE/" + regional + ".md", "/de-de/" + regional + "/"},
			{"language base (ja/" + base + ".md)", "content/ja/" + base + ".md", "/ja-jp/" + base + "/"},
		}
	default:
		return fmt.Errorf("-site %q: want example or generated", *which)
	}

	// The same memory limit as policysite serve.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(devserver.MemoryLimit)
	}
	srv, err := devserver.New(devserver.Options{SiteDir: dir, Port: 0, Log: io.Discard})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	// The server stops when ctx is cancelled on return.
	go func() { done <- srv.Run(ctx) }()
	if err := waitReady(ctx, srv.URL()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s site: first build and serve in %s, %s\n", *which, time.Since(start).Round(time.Millisecond), srv.URL())
	events, err := subscribe(ctx, srv.URL())
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, t := range targets {
		lat, err := measureEdits(ctx, filepath.Join(dir, filepath.FromSlash(t.file)), t.url, *edits, events)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		slices.Sort(lat)
		fmt.Fprintf(stdout, "%-42s edit → SSE reload event: median %6.1f ms, p95 %6.1f ms, max %6.1f ms (%d edits; includes the 30 ms batching window)\n",
			t.name, ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(lat[len(lat)-1]), len(lat))
	}
	fmt.Fprintf(stdout, "peak memory (VmHWM) %s\n", peakRSS())
	cancel()
	return <-done
}

type target struct{ name, file, url string }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

// measureEdits appends a line to file edits times and waits each time for a
// reload event naming url.
func measureEdits(ctx context.Context, file, url string, edits int, events <-chan reload) ([]time.Duration, error) {
	orig, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	defer os.WriteFile(file, orig, 0o644)
	var lat []time.Duration
	for i := range edits {
		// Let the previous rebuild settle so each edit is its own batch.
		time.Sleep(120 * time.Millisecond)
		drain(events)
		data := fmt.Appendf(slices.Clip(orig), "\nBenchmark edit %d.\n", i)
		t0 := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return nil, err
		}
		timeout := time.After(60 * time.Second)
	wait:
		for {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-timeout:
				return nil, fmt.Errorf("edit %d: no reload event for %s within 60s", i, url)
			case ev, ok := <-events:
				if !ok {
					return nil, errors.New("event stream closed")
				}
				if ev.Type == "build-error" {
					return nil, fmt.Errorf("edit %d: build failed: %s", i, ev.raw)
				}
				if ev.Type == "reload" && (ev.All || slices.Contains(ev.Paths, url)) {
					lat = append(lat, time.Since(t0))
					break wait
				}
			}
		}
	}
	return lat, nil
}

func drain(ch <-chan reload) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

type reload struct {
	Type  string   `json:"type"`
	Paths []string `json:"paths"`
	All   bool     `json:"all"`
	raw   string
}

// subscribe reads the server's event stream like a browser would.
func subscribe(ctx context.Context, base string) (<-chan reload, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"_policysite/events", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	out := make(chan reload, 64)
	// The reader stops when ctx ends the request.
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var ev reload
			if json.Unmarshal([]byte(data), &ev) == nil {
				ev.raw = data
				out <- ev
			}
		}
	}()
	return out, nil
}

func waitReady(ctx context.Context, url string) error {
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			if resp.StatusCode == http.StatusServiceUnavailable {
				return errors.New("the first build failed")
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// peakRSS reads the process's peak resident memory from Linux's
// /proc/self/status.
func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (no /proc)"
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// firstPage returns the name, without .md, of the first generated page
// in the content folder of tag.
func firstPage(dir, tag string) (string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "content", tag))
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok && strings.HasPrefix(name, "page-") {
			return name, nil
		}
	}
	return "", fmt.Errorf("no generated page in content/%s", tag)
}

// copySite copies the example site.
func copySite(src, dst string) error {
	for _, name := range []string{"site.toml", "content", "i18n", "assets", "static"} {
		root := filepath.Join(src, name)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
