package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policysite/generator"
)

func TestClassify(t *testing.T) {
	site := filepath.Join("work", "site")
	tests := []struct {
		path string
		want change
	}{
		{"site.toml", changeConfig},
		{"content", changeConfig},
		{"content/de-DE", changeConfig},
		{"content/de-DE/privacy.md", changeContent},
		{"content/de-DE/legal/imprint.md", changeContent},
		{"content/de-DE/legal", changeContent},    // a folder of pages
		{"content/de-DE/image.png", changeConfig}, // a file links may name
		{"content/de-DE/page.mdx", changeNone},
		{"content/de-DE/.privacy.md.swp", changeNone},
		{"content/de-DE/privacy.md~", changeNone},
		{"content/de-DE/4913", changeNone},
		{"content/de-DE/#privacy.md#", changeNone},
		{"content/de-DE/privacy.md___jb_tmp___", changeNone},
		{"content/de-DE/privacy.md.tmp", changeNone},
		{"content/.git/HEAD", changeNone},
		{"i18n/de.toml", changeStrings},
		{"i18n", changeStrings},
		{"i18n/notes.txt", changeNone},
		{"themes/default/layouts/page.html", changeTemplate},
		{"themes/default/partials/footer.html", changeTemplate},
		{"themes/default/assets/css/site.css", changeAsset},
		{"assets/js/analytics-demo.js", changeAsset},
		{"static/favicon.ico", changeStatic},
		{"public/index.html", changeNone},
		{"README.md", changeNone},
		{"../elsewhere/site.toml", changeNone},
	}
	for _, tt := range tests {
		if got := classify(site, filepath.Join(site, filepath.FromSlash(tt.path))); got != tt.want {
			t.Errorf("classify(%q) = %v; want %v", tt.path, got, tt.want)
		}
	}
}

// TestDependencies checks which pages an edit re-renders on the example
// site. The equivalence test checks that nothing else changes.
func TestDependencies(t *testing.T) {
	ctx := context.Background()
	dir := copySite(t)
	// Pages with versions are rebuilt whole (TestVersionEdits): these
	// cases are of the finer rules.
	withoutVersions(t, dir)
	b := &builder{opts: generator.Options{SiteDir: dir, BaseURL: "http://127.0.0.1:1313/", DevScript: scriptPath}}
	base, _, err := b.full(ctx)
	if err != nil {
		t.Fatal(err)
	}
	english := 0
	for _, l := range base.built.Site.Locales.Published() {
		if l.Base == "en" {
			english++
		}
	}
	tests := []struct {
		name   string
		file   string
		edit   func(string) string
		wantFn func(st *state, rep *report) error
	}{
		{"regional override: that page only", "content/en-GB/privacy.md", appendText, wantRendered(1, "/en-gb/privacy/")},
		{"language base: every locale that inherits it", "content/de/terms.md", appendText, wantRendered(1, "/de-de/terms/")},
		{"title: the page and its locale's home", "content/en-GB/privacy.md", func(s string) string {
			return strings.Replace(s, "extends: true\n", "extends: true\ntitle: UK privacy\n", 1)
		}, wantRendered(2, "/en-gb/", "/en-gb/privacy/")},
		{"i18n file: pages of locales using it", "i18n/de.toml", func(s string) string {
			return strings.Replace(s, "skip_link = \"", "skip_link = \"X ", 1)
		}, wantRendered(len(base.built.Site.Pages.Pages["de-DE"])+1, "/de-de/", "/de-de/404.html", "/de-de/cookies/", "/de-de/privacy/", "/de-de/terms/")},
		{"menu front matter: every page of the locale", "content/en-GB/privacy.md", func(s string) string {
			return strings.Replace(s, "extends: true\n", "extends: true\nmenu: footer\n", 1)
		}, func(st *state, rep *report) error {
			if n := len(base.built.Site.Pages.Pages["en-GB"]); rep.rendered < n {
				return fmt.Errorf("rendered %d pages; want at least en-GB's %d, which all show the menu", rep.rendered, n)
			}
			if !slices.Contains(rep.changed, "/en-gb/terms/") {
				return fmt.Errorf("changed %v; want /en-gb/terms/ among them", rep.changed)
			}
			return nil
		}},
		{"global base: all English pages", "content/en/cookies.md", appendText, func(st *state, rep *report) error {
			if rep.rendered < english {
				return fmt.Errorf("rendered %d pages; want at least the %d English locales", rep.rendered, english)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, filepath.FromSlash(tt.file))
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.WriteFile(p, orig, 0o644) })
			if err := os.WriteFile(p, []byte(tt.edit(string(orig))), 0o644); err != nil {
				t.Fatal(err)
			}
			st, rep, err := b.update(ctx, base, map[string]change{p: classify(dir, p)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.wantFn(st, rep); err != nil {
				t.Errorf("edit %s: %v (changed %v)", tt.file, err, rep.changed)
			}
		})
	}
}

func appendText(s string) string { return s + "\nA new paragraph.\n" }

// withoutVersions removes the effective dates and the version files of
// the site in dir.
func withoutVersions(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasSuffix(p, ".versions") {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
			return fs.SkipDir
		}
		if !strings.HasSuffix(p, ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.SplitAfter(string(data), "\n")
		lines = slices.DeleteFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "effective:") || strings.HasPrefix(l, "changes:")
		})
		return os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestVersionEdits checks that an edit of a page with versions, or of a
// version file, re-renders the page's versions, redlines and feed.
func TestVersionEdits(t *testing.T) {
	ctx := context.Background()
	dir := copySite(t)
	b := &builder{opts: generator.Options{SiteDir: dir, BaseURL: "http://127.0.0.1:1313/", DevScript: scriptPath}}
	base, _, err := b.full(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, old, new string
		want           []string // among the changed paths
	}{
		{"content/en/privacy.md", "Up to 180 days", "Up to 200 days",
			[]string{"/en/privacy/", "/en/privacy/changes/", "/en-gb/privacy/", "/en-gb/privacy/changes/"}},
		{"content/en/privacy.versions/2025-06-01.md", "Up to 12 months", "Up to 13 months",
			[]string{"/en/privacy/versions/2025-06-01/", "/en/privacy/changes/", "/en-us/privacy/versions/2025-06-01/"}},
		{"content/de/privacy.md", "effective: 2026-11-01", "effective: 2026-11-02",
			[]string{"/de-de/privacy/", "/de-de/privacy/versions/2025-06-01/", "/de-de/privacy/changes/"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, filepath.FromSlash(tt.file))
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.WriteFile(p, orig, 0o644) })
			if !strings.Contains(string(orig), tt.old) {
				t.Fatalf("%s lacks %q", tt.file, tt.old)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(orig), tt.old, tt.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, rep, err := b.update(ctx, base, map[string]change{p: classify(dir, p)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !slices.Contains(rep.changed, w) {
					t.Errorf("edit %s: changed %v; want %s among them", tt.file, rep.changed, w)
				}
			}
		})
	}
}

func wantRendered(n int, changed ...string) func(*state, *report) error {
	return func(st *state, rep *report) error {
		if rep.rendered != n || !slices.Equal(rep.changed, changed) {
			return fmt.Errorf("rendered %d pages, changed %v; want %d, %v", rep.rendered, rep.changed, n, changed)
		}
		return nil
	}
}

// startServer runs a Server on the example site copied to a temporary
// folder, and stops it when the test ends.
func startServer(t *testing.T) (*Server, string) {
	t.Helper()
	dir := copySite(t)
	s, err := New(Options{SiteDir: dir, Port: 0, Window: 20 * time.Millisecond, Log: &testLog{t: t}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// Run stops when the test's cleanup cancels ctx.
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	// The listener exists already; wait for the first build.
	for {
		resp, err := http.Get(s.URL())
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, dir
}

// testLog sends the server's terminal output to the test log.
type testLog struct {
	mu sync.Mutex
	t  *testing.T
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// rawGet sends a request line exactly as given, bypassing the URL
// cleaning of net/http's client.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeFiles(t *testing.T) {
	s, dir := startServer(t)
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/")
	// A secret next to the site, which no request may reach.
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target      string
		status      int
		contentType string
		contains    string
	}{
		{"/", 200, "text/html; charset=utf-8", "<html"},
		{"/de-de/privacy/", 200, "text/html; charset=utf-8", `lang="de-DE"`},
		{"/de-de/privacy/", 200, "text/html; charset=utf-8", s.URL() + "de-de/privacy/"},
		{"/de-de/privacy/", 200, "text/html; charset=utf-8", scriptPath},
		{"/uz-uz/privacy/", 200, "text/html; charset=utf-8", `lang="uz-UZ"`},
		{"/de-de/privacy", 301, "", ""},
		{"/sitemap.xml", 200, "application/xml; charset=utf-8", "<urlset"},
		{"/robots.txt", 200, "text/plain; charset=utf-8", "Sitemap: " + s.URL()},
		{"/no/such/page/", 404, "text/html; charset=utf-8", "<html"},
		{"/assets/", 404, "text/html; charset=utf-8", ""},
		{"/assets/css", 404, "text/html; charset=utf-8", ""},
		{"/de-de", 301, "", ""},
		// The localization review, computed from the live build.
		{"/_review/", 200, "text/html; charset=utf-8", "de-DE"},
		{"/_review/status.json", 200, "application/json; charset=utf-8", `"policysite.review.status/v2"`},
		// Diff pages link to the XLIFF export of each page.
		{"/_review/diff/de-DE/", 200, "text/html; charset=utf-8", `href="/_review/xliff/en/de-DE.xlf?page=privacy" download`},
		// XLIFF exports of the reviewed locale and page.
		{"/_review/xliff/en/de-DE.xlf?page=privacy", 200, "application/xliff+xml; charset=utf-8", `trgLang="de-DE"`},
		{"/_review/xliff/en/xx.xlf", 404, "text/plain; charset=utf-8", "not a locale"},
		{"/_review/xliff/en/de-DE.xlf?only=everything", 400, "text/plain; charset=utf-8", "--only"},
		{scriptPath, 200, "text/javascript; charset=utf-8", "EventSource"},
		// Traversal and malformed paths: never a file.
		{"/../secret.txt", 400, "", ""},
		{"/..", 400, "", ""},
		{"/de-de/../../secret.txt", 400, "", ""},
		{"/%2e%2e/secret.txt", 400, "", ""},
		{"/%2E%2E/%2e%2e/secret.txt", 400, "", ""},
		{"/de-de/%2e%2e%2f%2e%2e%2fsecret.txt", 400, "", ""},
		{"/..%2fsecret.txt", 400, "", ""},
		{"/%2fetc/passwd", 400, "", ""},
		{"/..\\secret.txt", 400, "", ""},
		{"/%5c..%5csecret.txt", 400, "", ""},
		{"/de-de/privacy/%00", 400, "", ""},
		{"//etc/passwd", 400, "", ""},
		{"/./index.html", 400, "", ""},
		{"/etc/passwd", 404, "text/html; charset=utf-8", ""},
		{secret, 404, "text/html; charset=utf-8", ""},
		{"../secret.txt", 400, "", ""},
		{"http://" + addr + "/../secret.txt", 400, "", ""},
	}
	for _, tt := range tests {
		status, body := rawGet(t, addr, tt.target)
		if strings.Contains(body, "TOP-SECRET") {
			t.Errorf("GET %q served the secret file", tt.target)
		}
		if status != tt.status {
			t.Errorf("GET %q: status %d; want %d", tt.target, status, tt.status)
			continue
		}
		if tt.contains != "" && !strings.Contains(body, tt.contains) {
			t.Errorf("GET %q: body lacks %q", tt.target, tt.contains)
		}
		if tt.contentType == "" {
			continue
		}
		resp, err := http.Get("http://" + addr + tt.target)
		if strings.Contains(tt.target, "..") || strings.HasPrefix(tt.target, "/etc") || tt.status == 301 {
			if err == nil {
				resp.Body.Close()
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("GET %q: Content-Type %q; want %q", tt.target, got, tt.contentType)
		}
	}
	resp, err := http.Post(s.URL(), "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d; want 405", resp.StatusCode)
	}
}

// sseClient reads events from the server's stream.
type sseClient struct {
	events chan event
	resp   *http.Response
}

func connect(t *testing.T, url string) *sseClient {
	t.Helper()
	resp, err := http.Get(url + strings.TrimPrefix(eventsPath, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: Content-Type %q", ct)
	}
	c := &sseClient{events: make(chan event, 64), resp: resp}
	// The reader stops when the response body is closed at cleanup.
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var e event
			if json.Unmarshal([]byte(data), &e) == nil {
				c.events <- e
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return c
}

// next waits for the next event of one of the types.
func (c *sseClient) next(t *testing.T, types ...string) event {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e, ok := <-c.events:
			if !ok {
				t.Fatalf("event stream closed while waiting for %v", types)
			}
			if slices.Contains(types, e.Type) {
				return e
			}
		case <-timeout:
			t.Fatalf("no %v event within 30s", types)
		}
	}
}

func TestWatchAndNotify(t *testing.T) {
	s, dir := startServer(t)
	c := connect(t, s.URL())
	if e := c.next(t, "hello"); e.Server == "" {
		t.Fatalf("hello event without a server ID: %+v", e)
	}
	page := filepath.Join(dir, "content", "de-DE", "privacy.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}

	// An editor's atomic save: write a temporary file, rename it over
	// the page, leave a backup behind.
	tmp := filepath.Join(dir, "content", "de-DE", ".privacy.md.swp")
	if err := os.WriteFile(tmp, append(orig, "\nNeuer Absatz aus dem Test.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, page); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(page+"~", orig, 0o644)
	e := c.next(t, "reload", "build-error")
	if e.Type != "reload" || !slices.Contains(e.Paths, "/de-de/privacy/") || e.Edited != "/de-de/privacy/" {
		t.Fatalf("after editing de-DE/privacy.md: %+v", e)
	}
	body := get(t, s.URL()+"de-de/privacy/")
	if !strings.Contains(body, "Neuer Absatz aus dem Test.") {
		t.Error("served page lacks the new paragraph")
	}

	// Break the front matter: an error event with file and line, and
	// the last good page is still served.
	broken := strings.Replace(string(orig), "---\n", "---\ntitle: [unclosed\n", 1)
	if err := os.WriteFile(page, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	e = c.next(t, "build-error", "reload")
	if e.Type != "build-error" || len(e.Errors) != 1 || e.Errors[0].File != page || e.Errors[0].Line != 2 {
		t.Fatalf("after breaking the front matter: %+v", e)
	}
	if body := get(t, s.URL()+"de-de/privacy/"); !strings.Contains(body, "Neuer Absatz aus dem Test.") {
		t.Error("the last good version is not served while the build fails")
	}
	// A page opened now gets the error too.
	c2 := connect(t, s.URL())
	c2.next(t, "hello")
	if e := c2.next(t, "build-error"); len(e.Errors) != 1 {
		t.Fatalf("new page: %+v", e)
	}

	// Fix it: the overlay goes and pages reload.
	if err := os.WriteFile(page, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	c.next(t, "build-ok")
	c.next(t, "reload")

	// A stylesheet: swapped, not reloaded.
	css := filepath.Join(dir, "themes", "default", "assets", "css", "site.css")
	if err := os.MkdirAll(filepath.Dir(css), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, []byte("body { color: rebeccapurple }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e = c.next(t, "css", "reload")
	if e.Type != "css" || len(e.CSS) != 1 || !strings.HasPrefix(e.CSS[0].New, "/assets/css/site.") {
		t.Fatalf("after editing site.css: %+v", e)
	}
	if body := get(t, s.URL()+strings.TrimPrefix(e.CSS[0].New, "/")); !strings.Contains(body, "rebeccapurple") {
		t.Errorf("new stylesheet %s not served", e.CSS[0].New)
	}

	// A new locale folder of pages below a new folder.
	sub := filepath.Join(dir, "content", "de-DE", "legal")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "imprint.md"), []byte("---\ntitle: Impressum\n---\n\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		e = c.next(t, "reload", "build-error")
		if e.Type == "build-error" {
			t.Fatalf("new page: %+v", e)
		}
		if strings.Contains(get(t, s.URL()+"de-de/legal/imprint/"), "Impressum") {
			break
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestHubSlowClient checks that a browser that does not read its events
// never holds up the others.
func TestHubSlowClient(t *testing.T) {
	var h hub
	slow := h.subscribe()
	fast := h.subscribe()
	for i := range clientBuffer * 3 {
		h.broadcast(event{Type: "reload", Edited: fmt.Sprint(i)})
		if e := <-fast; e.Edited != fmt.Sprint(i) {
			t.Fatalf("fast client got %+v; want event %d", e, i)
		}
	}
	if n := h.count(); n != 1 {
		t.Errorf("%d clients after the slow one overflowed; want 1", n)
	}
	n := 0
	for range slow {
		n++
	}
	if n != clientBuffer {
		t.Errorf("slow client got %d events before being dropped; want %d", n, clientBuffer)
	}
	h.unsubscribe(fast)
	h.unsubscribe(slow) // already dropped: no double close
}

// TestManyClients connects 200 live-reload streams while pages load, and
// checks that one edit reaches every stream and that goroutines and
// memory stay bounded.
func TestManyClients(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 200 connections")
	}
	s, dir := startServer(t)
	const n = 200
	clients := make([]*sseClient, n)
	for i := range clients {
		clients[i] = connect(t, s.URL())
		clients[i].next(t, "hello")
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		// Each loader stops after four pages.
		go func() {
			defer wg.Done()
			for range 4 {
				resp, err := http.Get(s.URL() + "de-de/privacy/")
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	page := filepath.Join(dir, "content", "de-DE", "privacy.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, append(orig, "\nFür viele Leser.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		if e := c.next(t, "reload", "build-error"); e.Type != "reload" {
			t.Fatalf("client %d: %+v", i, e)
		}
	}
	wg.Wait()
	// Each stream costs five goroutines: two in the server (the handler
	// and net/http's background read) and three in this test (the
	// transport's read and write loops and the event reader). Far more
	// would mean a leak per event or per page load.
	if g := runtime.NumGoroutine(); g > 5*n+100 {
		t.Errorf("%d goroutines with %d streams open", g, n)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > 512<<20 {
		t.Errorf("heap in use %d MB with %d streams open", ms.HeapInuse>>20, n)
	}
	if got := s.hub.count(); got != n {
		t.Errorf("hub has %d clients; want %d", got, n)
	}
}

// TestHostHeader checks that only requests naming this server in their
// Host header are answered (DNS rebinding), with a message saying how
// to allow another name.
func TestHostHeader(t *testing.T) {
	s := &Server{opts: Options{Bind: "127.0.0.1", Hosts: []string{"preview.example.test", ".dev.example.test"}}}
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1:1313", true},
		{"localhost:1313", true},
		{"LOCALHOST.", true},
		{"app.localhost:1313", true},
		{"[::1]:1313", true},
		{"192.168.1.20:1313", true},
		{"preview.example.test:1313", true},
		{"a.dev.example.test", true},
		{"dev.example.test", true},
		{"evil.example:1313", false},
		{"localhost.evil.example", false},
		{"preview.example.test.evil.example", false},
		{"xdev.example.test", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := s.allowedHost(tt.host); got != tt.want {
			t.Errorf("allowedHost(%q) = %t; want %t", tt.host, got, tt.want)
		}
	}
	srv, _ := startServer(t)
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.URL(), "http://"), "/")
	for _, target := range []string{"/", "/_review/", eventsPath} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: attacker.example:%s\r\nConnection: close\r\n\r\n", target, strings.Split(addr, ":")[1])
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `host "attacker.example:`) || !strings.Contains(string(body), "--host attacker.example") {
			t.Errorf("GET %s with a foreign Host: %d %q; want 403 saying how to allow it", target, resp.StatusCode, body)
		}
	}
	if code, _ := rawGet(t, addr, "/"); code != http.StatusOK {
		t.Errorf("GET / with Host %s: %d", addr, code)
	}
}

// TestStalledStream checks that an event stream whose client stops
// reading is closed once a write cannot finish within the timeout,
// instead of holding its connection and goroutine for ever.
func TestStalledStream(t *testing.T) {
	h := &hub{timeout: 300 * time.Millisecond}
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		h.serveEvents(w, r, event{Type: "hello"}, func() *event { return nil })
	}))
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	for h.count() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	// Large events fill the socket buffers of a client that never reads.
	big := event{Type: "build-error", Errors: []problem{{Message: strings.Repeat("x", 256<<10)}}}
	deadline := time.After(20 * time.Second)
	for {
		select {
		case <-returned:
			return
		case <-deadline:
			t.Fatal("the stream of a client that stopped reading is still open after 20s")
		case <-time.After(20 * time.Millisecond):
			h.broadcast(big)
		}
	}
}

// TestReloadAfterFullRebuild checks that an edit of site.toml, which
// rebuilds from scratch, reloads the open pages it changed.
func TestReloadAfterFullRebuild(t *testing.T) {
	s, dir := startServer(t)
	c := connect(t, s.URL())
	c.next(t, "hello")
	cfg := filepath.Join(dir, "site.toml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `revision = "2026-10"`, `revision = "2099-01"`, 1)
	if edited == string(data) {
		t.Fatal("site.toml has no consent revision to edit")
	}
	if err := os.WriteFile(cfg, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	e := c.next(t, "reload", "build-error")
	if e.Type != "reload" || !e.All && !slices.Contains(e.Paths, "/de-de/privacy/") {
		t.Fatalf("after editing site.toml: %+v; want a reload of the pages", e)
	}
	if body := get(t, s.URL()+"de-de/privacy/"); !strings.Contains(body, "2099-01") {
		t.Error("the served page lacks the new consent revision")
	}
}

// TestRenamedFolders renames a folder of pages back and forth while the
// server runs, editing a page in it (and in a folder below it) after
// every rename: no edit may be lost. fsnotify keeps watching a renamed
// folder under its old name, and re-adding it under the new one returns
// that same stale watch, so the watcher must drop the old watches first.
func TestRenamedFolders(t *testing.T) {
	if testing.Short() {
		t.Skip("renames folders 12 times")
	}
	s, dir := startServer(t)
	base := filepath.Join(dir, "content", "de-DE")
	name := "legal"
	for _, f := range []string{"imprint.md", "sub/notice.md"} {
		p := filepath.Join(base, name, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("---\ntitle: Start\n---\n\nStart.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	waitFor := func(url, want string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(get(t, url), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s never showed %q", url, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(s.URL()+"de-de/legal/sub/notice/", "Start.")
	for i := range 12 {
		next := []string{"legal", "legal2"}[(i+1)%2]
		if err := os.Rename(filepath.Join(base, name), filepath.Join(base, next)); err != nil {
			t.Fatal(err)
		}
		name = next
		for _, f := range []string{"imprint", "sub/notice"} {
			marker := fmt.Sprintf("Edit %d of %s.", i, f)
			p := filepath.Join(base, name, filepath.FromSlash(f)+".md")
			if err := os.WriteFile(p, []byte("---\ntitle: Page\n---\n\n"+marker+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			waitFor(s.URL()+"de-de/"+name+"/"+f+"/", marker)
		}
	}
}
