package devserver

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/sitetest"
	"policysite/themes"
)

var (
	steps = flag.Int("steps", 12, "edits in each randomized edit-sequence test")
	seeds = flag.Int("seeds", 1, "randomized edit sequences to run")
)

// copySite copies the example site into a temporary folder.
func copySite(t testing.TB) string { return sitetest.Copy(t, filepath.Join("..", "..")).Dir }

// editor makes random edits of every kind to a site and records which
// paths it touched.
type editor struct {
	t      testing.TB
	dir    string
	rng    *rand.Rand
	n      int
	broken map[string]bool // content files with broken front matter
	added  []string        // pages created, to delete later
	log    []string
}

func (e *editor) files(sub, ext string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(e.dir, sub), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ext) {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (e *editor) pick(list []string) string { return list[e.rng.IntN(len(list))] }

func (e *editor) rewrite(p string, f func(string) string) {
	data, err := os.ReadFile(p)
	if err != nil {
		e.t.Fatal(err)
	}
	e.write(p, f(string(data)))
}

func (e *editor) write(p, s string) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

var (
	titleLine = regexp.MustCompile(`(?m)^title: .*$`)
	h2Line    = regexp.MustCompile(`(?m)^## `)
	i18nValue = regexp.MustCompile(`(?m)^(\w+ = ")`)
	aliasLine = regexp.MustCompile(`(?m)^aliases: .*\n`)
)

// edit makes one random edit and returns the paths it touched.
func (e *editor) edit() []string {
	e.n++
	content := e.files("content", ".md")
	var touched []string
	op := e.rng.IntN(15)
	switch {
	case len(e.broken) > 0 && e.rng.IntN(2) == 0:
		for p := range e.broken {
			e.rewrite(p, func(s string) string { return strings.Replace(s, "bad: [unclosed\n", "", 1) })
			delete(e.broken, p)
			touched = append(touched, p)
			e.log = append(e.log, "fix "+p)
			break
		}
	case op < 4:
		p := e.pick(content)
		e.rewrite(p, func(s string) string { return s + fmt.Sprintf("\nEdited paragraph %d.\n", e.n) })
		touched, e.log = append(touched, p), append(e.log, "append "+p)
	case op == 4:
		p := e.pick(content)
		e.rewrite(p, func(s string) string { return h2Line.ReplaceAllLiteralString(s, fmt.Sprintf("## E%d ", e.n)) })
		touched, e.log = append(touched, p), append(e.log, "headings "+p)
	case op == 5:
		p := e.pick(content)
		e.rewrite(p, func(s string) string {
			return titleLine.ReplaceAllLiteralString(s, fmt.Sprintf("title: Edited title %d", e.n))
		})
		touched, e.log = append(touched, p), append(e.log, "title "+p)
	case op == 6:
		p := e.pick(content)
		e.rewrite(p, func(s string) string { return strings.Replace(s, "---\n", "---\nbad: [unclosed\n", 1) })
		e.broken[p] = true
		touched, e.log = append(touched, p), append(e.log, "break "+p)
	case op == 7:
		p := e.pick(e.files("i18n", ".toml"))
		e.rewrite(p, func(s string) string {
			locs := i18nValue.FindAllStringIndex(s, -1)
			at := locs[e.rng.IntN(len(locs))][1]
			return s[:at] + fmt.Sprintf("E%d ", e.n) + s[at:]
		})
		touched, e.log = append(touched, p), append(e.log, "string "+p)
	case op == 8:
		bases := []string{"en", "de", "ru", "es", "en-GB", "uz"}
		tag := bases[e.rng.IntN(len(bases))]
		p := filepath.Join(e.dir, "content", tag, fmt.Sprintf("extra-%d.md", e.n))
		e.write(p, fmt.Sprintf("---\ntitle: Extra %d\nweight: %d\n---\n\nAn extra page, see the [privacy policy](privacy.md).\n\n## Details {#details}\n\nMore.\n", e.n, e.n))
		e.added = append(e.added, p)
		touched, e.log = append(touched, p), append(e.log, "add "+p)
	case op == 9 && len(e.added) > 0:
		p := e.added[0]
		e.added = e.added[1:]
		if err := os.Remove(p); err != nil {
			e.t.Fatal(err)
		}
		touched, e.log = append(touched, p), append(e.log, "remove "+p)
	case op == 10:
		p := filepath.Join(e.dir, "themes", "default", "assets", "css", "site.css")
		orig, _ := fs.ReadFile(themes.Default(), "assets/css/site.css")
		e.write(p, string(orig)+fmt.Sprintf("\n/* edit %d */\n", e.n))
		touched, e.log = append(touched, p), append(e.log, "css")
	case op == 11:
		p := filepath.Join(e.dir, "themes", "default", "partials", "footer.html")
		orig, _ := fs.ReadFile(themes.Default(), "partials/footer.html")
		e.write(p, string(orig)+fmt.Sprintf("\n<!-- edit %d -->\n", e.n))
		touched, e.log = append(touched, p), append(e.log, "template")
	case op == 12:
		p := filepath.Join(e.dir, "static", fmt.Sprintf("file-%d.txt", e.n%3))
		e.write(p, fmt.Sprintf("static %d\n", e.n))
		touched, e.log = append(touched, p), append(e.log, "static "+p)
	case op == 13:
		// An old URL for a page: absolute or relative to the locale, and
		// now and then one the site already has, which fails the build.
		p := e.pick(content)
		alias := fmt.Sprintf("old-%d/", e.n)
		switch e.rng.IntN(3) {
		case 0:
			alias = fmt.Sprintf("/old-%d.html", e.n)
		case 1:
			alias = "/en/privacy/"
		}
		e.rewrite(p, func(s string) string {
			s = aliasLine.ReplaceAllLiteralString(s, "")
			return strings.Replace(s, "---\n", "---\naliases: [\""+alias+"\"]\n", 1)
		})
		touched, e.log = append(touched, p), append(e.log, "alias "+alias+" "+p)
	default:
		p := filepath.Join(e.dir, "site.toml")
		e.rewrite(p, func(s string) string {
			return regexp.MustCompile(`(?m)^title = .*$`).ReplaceAllLiteralString(s, fmt.Sprintf("title = \"Example Group %d\"", e.n))
		})
		touched, e.log = append(touched, p), append(e.log, "config")
	}
	return touched
}

// TestEditSequences checks that after every step of random edit
// sequences the incremental build serves exactly what a fresh full
// build of the same files produces, and fails exactly when it fails.
func TestEditSequences(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example site dozens of times")
	}
	for seed := range *seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			ctx := context.Background()
			dir := copySite(t)
			opts := buildOptions(Options{SiteDir: dir}, "http://127.0.0.1:1313/")
			b := &builder{opts: opts}
			good, _, err := b.full(ctx)
			if err != nil {
				t.Fatal(err)
			}
			e := &editor{t: t, dir: dir, rng: rand.New(rand.NewPCG(uint64(seed), 7)), broken: map[string]bool{}}
			dirty := map[string]change{}
			for step := range *steps {
				for range 1 + e.rng.IntN(2) {
					for _, p := range e.edit() {
						dirty[p] = classify(dir, p)
					}
				}
				st, _, gotErr := b.update(ctx, good, dirty, nil)
				want, wantErr := buildToDisk(t, opts)
				switch {
				case (gotErr == nil) != (wantErr == nil):
					t.Fatalf("step %d (%s): incremental error %v; full build error %v", step, strings.Join(e.log, ", "), gotErr, wantErr)
				case gotErr != nil:
					if gotErr.Error() != wantErr.Error() {
						t.Errorf("step %d: incremental error\n%v\nfull build error\n%v", step, gotErr, wantErr)
					}
					continue
				}
				compareFiles(t, fmt.Sprintf("step %d (%s)", step, strings.Join(e.log, ", ")), st.files, want)
				good, dirty = st, map[string]change{}
			}
			t.Logf("edits: %s", strings.Join(e.log, ", "))
		})
	}
}

// buildToDisk builds the site as policysite build does, into a folder
// staged and committed on disk, and returns every file written there.
func buildToDisk(t *testing.T, opts generator.Options) (map[string][]byte, error) {
	out, err := sitetest.BuildErr(t, opts, filepath.Join(t.TempDir(), "public"))
	if err != nil {
		return nil, err
	}
	return out.Files, nil
}

func compareFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	var diffs []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+p)
		case !bytes.Equal(g, w):
			diffs = append(diffs, "differs "+p+": "+firstDiff(g, w))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 0 {
		t.Fatalf("%s: served output differs from a full build in %d files:\n%s", what, len(diffs), strings.Join(diffs[:min(len(diffs), 8)], "\n"))
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	return fmt.Sprintf("at byte %d: got %q, want %q", i, a[lo:min(len(a), i+60)], b[lo:min(len(b), i+60)])
}
