// Package devserver is policysite's live preview: it builds a site into
// memory, serves it over HTTP, watches the sources, re-renders only the
// pages an edit affects and tells open browsers, over Server-Sent Events
// on the same port, to reload, swap a stylesheet or show a build error.
package devserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"policysite/generator"
	"policysite/generator/cdn"
	"policysite/generator/diag"
	"policysite/generator/review"
	"policysite/generator/xliff"
	"policysite/themes"
)

// Paths of the server's own endpoints. They cannot clash with a page: no
// locale path starts with an underscore.
const (
	eventsPath = "/_policysite/events"
	scriptPath = "/_policysite/livereload.js"
)

// MemoryLimit is the soft memory limit commands running a Server set
// (runtime/debug.SetMemoryLimit) unless GOMEMLIMIT is set: a server
// keeps every page in memory, and without a limit the garbage of a full
// build of a large site lets the heap grow to twice what it keeps.
const MemoryLimit = 768 << 20

// Options configure a Server.
type Options struct {
	// SiteDir is the site root. Default ".".
	SiteDir string
	// Bind is the address to listen on. Default "127.0.0.1".
	Bind string
	// Port is the TCP port; 0 picks a free one.
	Port int
	// Drafts includes pages marked draft.
	Drafts bool
	// Navigate makes browsers open the page that was just edited.
	Navigate bool
	// Hosts lists the host names, besides localhost, IP addresses and
	// Bind, that requests may name in their Host header (serve --host);
	// a name starting with "." allows every name below it.
	Hosts []string
	// Window is how long the watcher waits for more events before it
	// rebuilds. Default 30ms.
	Window time.Duration
	// Log receives the terminal output. Default io.Discard.
	Log io.Writer
	// Theme overrides the embedded default theme (tests).
	Theme fs.FS
}

// Server is a running preview. Create it with New, start it with Run.
// Its methods are safe for concurrent use.
type Server struct {
	opts   Options
	ln     net.Listener
	url    string
	b      *builder
	hub    hub
	id     string
	script []byte
	wait   []byte // the page shown before the first build succeeds

	mu     sync.RWMutex
	cur    *state     // last good build; nil before the first one
	files  snapshotFS // what is served
	gen    int        // counts the snapshots served
	failed *event     // the current build error, sent to new pages
	warned *event     // the current build's warnings, sent to new pages
	// hidWarnings is set when a build error replaced the warnings in
	// the pages, so the next good build shows them again.
	hidWarnings bool

	review http.Handler // the localization review reports at /_review/
	xliff  http.Handler // XLIFF exports at /_review/xliff/
}

// reviewPrefix is where the localization review reports are served; they
// are computed from the last good build on every request.
const reviewPrefix = "/_review/"

// xliffPrefix serves XLIFF exports of the reviewed locales.
const xliffPrefix = reviewPrefix + "xliff/"

// New listens on the configured address. Pages are built for the
// address the server listens on, which replaces the site's baseURL.
func New(opts Options) (*Server, error) {
	if opts.SiteDir == "" {
		opts.SiteDir = "."
	}
	opts.SiteDir = filepath.Clean(opts.SiteDir)
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Window <= 0 {
		opts.Window = 30 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	embedded := opts.Theme
	if embedded == nil {
		embedded = themes.Default()
	}
	script, err := fs.ReadFile(embedded, "dev/livereload.js")
	if err != nil {
		return nil, fmt.Errorf("theme: live-reload script: %w", err)
	}
	wait, err := fs.ReadFile(embedded, "dev/building.html")
	if err != nil {
		return nil, fmt.Errorf("theme: placeholder page: %w", err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, err
	}
	host := opts.Bind
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	port := ln.Addr().(*net.TCPAddr).Port
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/"
	var id [6]byte
	_, _ = rand.Read(id[:])
	s := &Server{
		opts: opts, ln: ln, url: url, id: hex.EncodeToString(id[:]), script: script, wait: wait,
		b: &builder{opts: buildOptions(opts, url)},
	}
	current := func() *generator.Site {
		s.mu.RLock()
		defer s.mu.RUnlock()
		if s.cur == nil {
			return nil
		}
		return s.cur.built.Site
	}
	s.xliff = xliff.Handler(xliffPrefix, current)
	s.review = review.Handler(review.HandlerOptions{
		Prefix: reviewPrefix,
		Script: scriptPath,
		Site:   current,
		// Diff pages link to the XLIFF export of what they show.
		ExportPrefix: xliffPrefix,
		OnError:      func(err error) { fmt.Fprintln(opts.Log, "policysite: review:", err) },
	})
	return s, nil
}

// buildOptions returns the options of the server's builds: those of
// policysite build --no-compress --base-url URL, with the live-reload
// script in every page.
func buildOptions(opts Options, url string) generator.Options {
	return generator.Options{SiteDir: opts.SiteDir, BaseURL: url, Drafts: opts.Drafts, DevScript: scriptPath, Theme: opts.Theme, NoCompress: true}
}

// URL returns the address to open, such as "http://127.0.0.1:1313/".
func (s *Server) URL() string { return s.url }

// Loopback reports whether the server only accepts local connections.
func (s *Server) Loopback() bool {
	ip := net.ParseIP(s.opts.Bind)
	if ip == nil {
		return s.opts.Bind == "localhost"
	}
	return ip.IsLoopback()
}

// Run builds the site, serves it and rebuilds on every edit until ctx
// is cancelled. A failed first build is reported like any other: the
// server keeps running and shows the error until the files are fixed.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := newWatcher(s.opts.SiteDir, s.opts.Window, func(err error) {
		fmt.Fprintf(s.opts.Log, "%s watch: %v\n", stamp(), err)
	})
	if err != nil {
		s.ln.Close()
		return fmt.Errorf("watching %s: %w", s.opts.SiteDir, err)
	}
	start := time.Now()
	st, _, err := s.b.full(ctx)
	if err != nil {
		s.fail(err)
	} else {
		s.publish(st)
		fmt.Fprintf(s.opts.Log, "built %s in %s in %s\n", diag.Plural(st.built.Pages, "page", "pages"), diag.Plural(st.built.Locales, "locale", "locales"), since(start))
		s.warn(st.built.Warnings)
	}
	if !s.Loopback() {
		fmt.Fprintf(s.opts.Log, "warning: listening on %s, reachable from other machines; drafts and unpublished pages are visible to them (open it by IP address, or allow a host name with --host)\n", s.opts.Bind)
	}
	fmt.Fprintf(s.opts.Log, "serving %s at %s (press Ctrl+C to stop)\n", s.opts.SiteDir, s.url)
	fmt.Fprintf(s.opts.Log, "translation review: %s%s (status of every locale, with a diff per page)\n", strings.TrimSuffix(s.url, "/"), reviewPrefix)

	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second, // the event stream lifts it for itself
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		// Requests end with ctx, so open event streams do not hold up
		// Shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	batches := make(chan batch)
	var wg sync.WaitGroup
	wg.Add(2)
	// The watcher stops when ctx is cancelled.
	go func() { defer wg.Done(); w.run(ctx, batches) }()
	// The build loop stops when ctx is cancelled.
	go func() { defer wg.Done(); s.loop(ctx, batches) }()
	serveErr := make(chan error, 1)
	// Serve returns when Shutdown is called below.
	go func() { serveErr <- srv.Serve(s.ln) }()
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		cancel()
	}
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer scancel()
	_ = srv.Shutdown(sctx)
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// loop runs one rebuild at a time. A batch that arrives during a
// rebuild cancels it; the next rebuild starts from the last good build
// with every edit since, so no edit is lost.
func (s *Server) loop(ctx context.Context, batches <-chan batch) {
	type result struct {
		st      *state
		rep     *report
		err     error
		dirty   map[string]change
		first   time.Time
		start   time.Time
		sentCSS bool
	}
	dirty := map[string]change{}
	var first time.Time
	var cancel context.CancelFunc
	done := make(chan result, 1)
	running := false
	start := func() {
		bctx, c := context.WithCancel(ctx)
		cancel = c
		running = true
		snap := maps.Clone(dirty)
		s.mu.RLock()
		old := s.cur
		s.mu.RUnlock()
		res := result{dirty: snap, first: first, start: time.Now()}
		// The rebuild ends when it finishes or bctx is cancelled.
		go func() {
			res.st, res.rep, res.err = s.b.update(bctx, old, snap, func(files map[string][]byte, css []cssSwap) {
				s.setFiles(files)
				s.hub.broadcast(event{Type: "css", CSS: css})
				res.sentCSS = true
			})
			done <- res
		}()
	}
	finish := func(res result) {
		running = false
		cancel()
		if errors.Is(res.err, context.Canceled) {
			return
		}
		// Edits that arrived while this build ran stay dirty.
		for p, c := range res.dirty {
			if dirty[p] == c {
				delete(dirty, p)
			}
		}
		if res.err != nil {
			maps.Copy(dirty, res.dirty)
			s.fail(res.err)
			return
		}
		s.succeed(res.st, res.rep, res.dirty, res.first, res.start, res.sentCSS)
	}
	for {
		select {
		case <-ctx.Done():
			if running {
				cancel()
				<-done
			}
			return
		case b := <-batches:
			if !running {
				first = b.first
			}
			maps.Copy(dirty, b.paths)
			if running {
				cancel()
				finish(<-done)
			}
			start()
		case res := <-done:
			finish(res)
			if len(dirty) > 0 && !errorsOnly(res.err) {
				start()
			}
		}
	}
}

// errorsOnly reports whether a build failed on the site's files: then
// nothing is retried until the next edit.
func errorsOnly(err error) bool { return err != nil && !errors.Is(err, context.Canceled) }

func (s *Server) setFiles(files map[string][]byte) {
	s.mu.Lock()
	s.gen++
	s.files = snapshotFS{files: files, gen: s.gen}
	s.mu.Unlock()
}

func (s *Server) publish(st *state) {
	s.mu.Lock()
	s.cur, s.failed = st, nil
	s.gen++
	s.files = snapshotFS{files: st.files, gen: s.gen}
	s.mu.Unlock()
}

// succeed serves a new build and tells the browsers and the terminal.
func (s *Server) succeed(st *state, rep *report, dirty map[string]change, first, start time.Time, sentCSS bool) {
	s.mu.RLock()
	wasFailed := s.failed != nil
	s.mu.RUnlock()
	s.publish(st)
	if wasFailed {
		s.hub.broadcast(event{Type: "build-ok"})
	}
	if len(rep.css) > 0 && !sentCSS {
		s.hub.broadcast(event{Type: "css", CSS: rep.css})
	}
	if rep.reload || wasFailed {
		e := event{Type: "reload", Paths: rep.changed, Edited: rep.edited, All: rep.others || wasFailed}
		if len(e.Paths) > 500 {
			e.Paths, e.All = nil, true
		}
		s.hub.broadcast(e)
	}
	what := s.describe(dirty)
	fmt.Fprintf(s.opts.Log, "%s %s: %s re-rendered, %s changed, in %s (%s after the first event)\n",
		stamp(), what, diag.Plural(rep.rendered, "page", "pages"), diag.Count(len(rep.changed)), since(start), since(first))
	s.warn(st.built.Warnings)
}

// warn shows a build's warnings in the terminal and in every open page,
// as build prints them, when they differ from the last build's (or the
// last build failed, which hid them).
func (s *Server) warn(lines []string) {
	s.mu.Lock()
	var old []string
	if s.warned != nil {
		for _, p := range s.warned.Errors {
			old = append(old, p.Message)
		}
	}
	if slices.Equal(old, lines) && !s.hidWarnings {
		s.mu.Unlock()
		return
	}
	s.hidWarnings = false
	ev := &event{Type: "build-warnings"}
	for _, l := range lines {
		ev.Errors = append(ev.Errors, problem{Message: l})
	}
	s.warned = nil
	if len(lines) > 0 {
		s.warned = ev
	}
	s.mu.Unlock()
	for _, l := range lines {
		fmt.Fprintf(s.opts.Log, "%s warning: %s\n", stamp(), l)
	}
	s.hub.broadcast(*ev)
}

// fail keeps serving the last good build, and shows the error in every
// open page and in the terminal, one line per problem.
func (s *Server) fail(err error) {
	var probs []problem
	for _, e := range diag.Errors(err) {
		p := problem{Message: e.Error()}
		var se *diag.SourceError
		if errors.As(e, &se) {
			p = problem{File: se.File, Line: se.Line, Message: se.Err.Error()}
		}
		probs = append(probs, p)
		fmt.Fprintf(s.opts.Log, "%s error: %v\n", stamp(), e)
	}
	ev := &event{Type: "build-error", Errors: probs}
	s.mu.Lock()
	s.failed = ev
	// The error overlay replaces the warnings; the next good build
	// shows them again.
	s.hidWarnings = true
	s.mu.Unlock()
	s.hub.broadcast(*ev)
}

// describe names the edited files for the terminal.
func (s *Server) describe(dirty map[string]change) string {
	var paths []string
	for _, p := range slices.Sorted(maps.Keys(dirty)) {
		// Editors' temporary files show up as content paths without .md.
		if dirty[p] == changeContent && !strings.HasSuffix(p, ".md") && !exists(p) {
			continue
		}
		if r, err := filepath.Rel(s.opts.SiteDir, p); err == nil {
			p = filepath.ToSlash(r)
		}
		paths = append(paths, p)
	}
	switch len(paths) {
	case 0:
		return "rebuilt"
	case 1:
		return paths[0] + " changed"
	}
	return fmt.Sprintf("%s and %d more changed", paths[0], len(paths)-1)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func stamp() string { return time.Now().Format("15:04:05") }

func since(t time.Time) time.Duration {
	d := time.Since(t)
	if d < time.Second {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

// ServeHTTP serves the built files, the live-reload script and the event
// stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.allowedHost(r.Host) {
		refuseHost(w, r.Host)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, xliffPrefix) {
		w.Header().Set("Cache-Control", "no-store")
		s.xliff.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, reviewPrefix) {
		w.Header().Set("Cache-Control", "no-store")
		s.review.ServeHTTP(w, r)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.mu.RLock()
		gen := s.gen
		s.mu.RUnlock()
		s.hub.serveEvents(w, r, event{Type: "hello", Server: s.id, Navigate: s.opts.Navigate, Build: gen}, func() *event {
			s.mu.RLock()
			defer s.mu.RUnlock()
			if s.failed != nil {
				return s.failed
			}
			return s.warned
		})
		return
	case scriptPath:
		w.Header().Set("Content-Type", mustMediaType(".js"))
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(s.script)
		return
	}
	name, ok := cleanRequestPath(r)
	if !ok {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.RLock()
	snap := s.files
	s.mu.RUnlock()
	// Never cached: a page must show the latest build at once, and
	// modification times of one second would let two builds look alike.
	w.Header().Set("Cache-Control", "no-store")
	// The live-reload script compares this with the build current when
	// it connects: an edit saved while the page loaded is not missed.
	w.Header().Set("Server-Timing", fmt.Sprintf(`build;desc="%d"`, snap.gen))
	if snap.files == nil {
		w.Header().Set("Content-Type", mustMediaType(".html"))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(s.wait)
		return
	}
	file := name
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	if _, ok := snap.files[file]; !ok {
		if snap.isDir(name) {
			// Pretty URLs: /de-de/privacy → /de-de/privacy/.
			u := *r.URL
			u.Path += "/"
			http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", mustMediaType(".html"))
		w.WriteHeader(http.StatusNotFound)
		if r.Method != http.MethodHead {
			_, _ = w.Write(snap.files["404.html"])
		}
		return
	}
	if ct, ok := cdn.MediaType(file); ok {
		w.Header().Set("Content-Type", ct)
	}
	http.FileServerFS(snap).ServeHTTP(w, r)
}

// mustMediaType returns the media type of a file extension the table
// always has.
func mustMediaType(ext string) string {
	t, _ := cdn.MediaType(ext)
	return t
}
