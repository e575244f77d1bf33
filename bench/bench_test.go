package bench_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/bench"
	"policysite/generator"
	"policysite/generator/output"
)

func readAll(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	o := bench.Options{Locales: 8, Pages: 6}
	for _, dir := range []string{a, b} {
		if _, err := bench.Write(filepath.Join(dir, "ps"), o, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := bench.WriteHugo(filepath.Join(dir, "hugo"), o); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb := readAll(t, a), readAll(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("two runs wrote %d and %d files", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}
}

func TestWriteRejectsBadOptions(t *testing.T) {
	for _, o := range []bench.Options{{Locales: 0, Pages: 5}, {Locales: 33, Pages: 5}, {Locales: 2, Pages: 3}} {
		if _, err := bench.Write(t.TempDir(), o, nil); err == nil {
			t.Errorf("Write(%+v) = nil error; want an error", o)
		}
	}
}

// TestGeneratedSiteBuilds builds a small generated site, so the
// generator and the benchmarks built on it cannot rot in CI.
func TestGeneratedSiteBuilds(t *testing.T) {
	dir := t.TempDir()
	o := bench.Options{Locales: 12, Pages: 6}
	st, err := bench.Write(dir, o, os.DirFS("../i18n"))
	if err != nil {
		t.Fatal(err)
	}
	mem := output.NewMemory()
	sum, err := generator.Build(context.Background(), generator.Options{SiteDir: dir}, mem)
	if err != nil {
		t.Fatal(err)
	}
	// Every page of every locale, each locale's 404 page, the region
	// selector and 404.html.
	if want := st.Pages + o.Locales + 2; sum.Pages != want {
		t.Errorf("built %d pages; want %d", sum.Pages, want)
	}
	files := mem.Files()
	page := files["de-de/page-0005/index.html"]
	if len(page) < 20<<10 {
		t.Errorf("de-de/page-0005 is %d bytes; want a realistic page of at least 20 KB", len(page))
	}
	for _, want := range []string{`hreflang="en-AU"`, `href="/de-de/page-`, "<table>", "<li>"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("de-de/page-0005 lacks %q", want)
		}
	}
	fallbacks := 0
	for name, data := range files {
		if strings.HasSuffix(name, ".html") && bytes.Contains(data, []byte(`class="fallback-notice"`)) {
			fallbacks++
		}
	}
	if fallbacks == 0 {
		t.Error("no page shows another language's text; the generator should produce fallbacks")
	}
}

// BenchmarkBuild times a whole build of a small site into memory.
func BenchmarkBuild(b *testing.B) {
	dir := b.TempDir()
	o := bench.Options{Locales: 32, Pages: 8}
	st, err := bench.Write(dir, o, os.DirFS("../i18n"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := generator.Build(context.Background(), generator.Options{SiteDir: dir}, output.NewMemory()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*st.Pages), "µs/page")
}

// BenchmarkLoad times loading a site up to rendering: reading and
// parsing every file, resolving inheritance and merging the regional
// overrides, URLs, theme and UI strings.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	o := bench.Options{Locales: 32, Pages: 24}
	st, err := bench.Write(dir, o, os.DirFS("../i18n"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := generator.Load(context.Background(), generator.Options{SiteDir: dir}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*st.Pages), "µs/page")
}
