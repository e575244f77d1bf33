package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"policysite/generator"
)

// TestGolden builds testdata/golden/site with a minimal theme and
// compares every output file with testdata/golden/out. The site covers
// a section override (en-GB), a fallback to another language (de-DE
// showing en), inheritance within a language, a custom locale path,
// TOML front matter, duplicate heading texts with non-ASCII letters,
// footnotes, raw HTML and a javascript: link.
//
// Regenerate with: go test ./generator -run TestGolden -update
func TestGolden(t *testing.T) {
	out, _ := build(t, generator.Options{SiteDir: "testdata/golden/site", Theme: os.DirFS("testdata/golden/theme")})
	got := readTree(t, out)
	goldenDir := filepath.Join("testdata", "golden", "out")
	if *update {
		_ = os.RemoveAll(goldenDir)
		for name, data := range got {
			p := filepath.Join(goldenDir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, goldenDir)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	for n := range want {
		if _, ok := got[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		switch g, w := got[n], want[n]; {
		case g == nil:
			t.Errorf("%s: missing from output", n)
		case w == nil:
			t.Errorf("%s: not in golden files (run with -update)", n)
		case !bytes.Equal(g, w):
			t.Errorf("%s differs from the golden file (run with -update and review the diff):\n--- got\n%s", n, g)
		}
	}
}
