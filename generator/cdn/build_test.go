package cdn_test

// Tests of whole builds: the fixture under testdata/site (five locales,
// aliases, a static folder) and, for the base path, the example site.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"policysite/generator"
	"policysite/generator/cdn"
	"policysite/generator/sitetest"
)

const fixture = "testdata/site"

// build builds site into out as policysite build does, reusing the
// precompressed files of the build it replaces.
func build(t *testing.T, site, out, baseURL string, opts generator.Options) *generator.Built {
	t.Helper()
	opts.SiteDir, opts.BaseURL, opts.Previous = site, baseURL, out
	return sitetest.Build(t, opts, out).Built
}

func tree(t *testing.T, dir string) map[string][]byte { return sitetest.ReadTree(t, dir) }

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// copyDir copies a folder (a site or a build) so a test can edit it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := sitetest.New(t, "")
	for name, data := range tree(t, src) {
		dst.Write(name, string(data))
	}
	return dst.Dir
}

// TestFixture builds the fixture twice from scratch, each compressing
// every file (the slow part), and runs its checks on those builds.
func TestFixture(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	res := build(t, fixture, a, "", generator.Options{Compress: true})
	if res.Aliases != 5 {
		t.Errorf("Result.Aliases = %d; want 5", res.Aliases)
	}
	build(t, fixture, b, "", generator.Options{Compress: true})
	t.Run("output", func(t *testing.T) { checkOutput(t, a) })
	t.Run("deterministic", func(t *testing.T) { checkSameTrees(t, tree(t, a), tree(t, b)) })
	// Run before "rebuild", which rewrites a.
	t.Run("deploy-plan", func(t *testing.T) { checkPlanOfOneChange(t, a) })
	t.Run("rebuild", func(t *testing.T) { checkRebuildKeepsTimes(t, a) })
}

// checkOutput checks the CDN files of the build in out.
func checkOutput(t *testing.T, out string) {
	files := tree(t, out)

	// Every variant decompresses to its original, and every compressible
	// original of at least MinCompressSize bytes has both variants.
	variants := 0
	for name, data := range files {
		var orig string
		var dec func([]byte) ([]byte, error)
		switch {
		case strings.HasSuffix(name, ".gz"):
			orig, dec = strings.TrimSuffix(name, ".gz"), cdn.Gunzip
		case strings.HasSuffix(name, ".br"):
			orig, dec = strings.TrimSuffix(name, ".br"), cdn.Unbrotli
		default:
			continue
		}
		variants++
		got, err := dec(data)
		if err != nil || !bytes.Equal(got, files[orig]) {
			t.Errorf("%s does not decompress to %s (%v)", name, orig, err)
		}
		if len(data) >= len(files[orig]) {
			t.Errorf("%s is %d bytes, not smaller than its original's %d", name, len(data), len(files[orig]))
		}
	}
	for name, data := range files {
		_, hasGz := files[name+".gz"]
		_, hasBr := files[name+".br"]
		want := len(data) >= cdn.MinCompressSize && regexp.MustCompile(`\.(html|css|js|xml|svg)$`).MatchString(name)
		if hasGz != want || hasBr != want {
			t.Errorf("%s (%d bytes): .gz %v, .br %v; want both %v", name, len(data), hasGz, hasBr, want)
		}
	}
	if variants == 0 {
		t.Error("no precompressed files written")
	}

	// The headers file parses and covers every top-level path.
	rules, err := cdn.ParseHeaders(files[cdn.HeadersFile])
	if err != nil {
		t.Fatal(err)
	}
	for name := range files {
		h := cdn.Apply(rules, "/"+name)
		if h["Cache-Control"] == "" && name != cdn.HeadersFile && name != cdn.RedirectsFile && name != cdn.ManifestFile && !strings.HasSuffix(name, ".gz") && !strings.HasSuffix(name, ".br") {
			t.Errorf("/%s has no Cache-Control", name)
		}
		if strings.Contains(h["Cache-Control"], ", public") {
			t.Errorf("/%s gets Cache-Control from two rules: %q", name, h["Cache-Control"])
		}
	}

	cdn.Golden(t, "fixture-redirects.golden", files[cdn.RedirectsFile])
	for _, alias := range []string{"privacy.html", "datenschutz.html", "en/privacy-policy/index.html", "en-gb/privacy-policy/index.html", "en-us/privacy-policy/index.html"} {
		page, ok := files[alias]
		if !ok {
			t.Errorf("alias fallback page %s is missing", alias)
			continue
		}
		for _, want := range []string{`<meta name="robots" content="noindex">`, `<link rel="canonical" href="https://policies.example.org/`, `<meta http-equiv="refresh" content="0; url=/`} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("%s lacks %s", alias, want)
			}
		}
	}
	if !bytes.Contains(files["datenschutz.html"], []byte("url=/de-de/privacy/")) {
		t.Errorf("/datenschutz.html (declared in the unpublished de base) should lead to de-DE, the first locale showing it:\n%s", files["datenschutz.html"])
	}

	// The manifest lists every other file with its size and hash.
	m, err := cdn.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != len(files)-1 {
		t.Errorf("manifest lists %d files; the build has %d besides it", len(m.Files), len(files)-1)
	}
	for _, e := range m.Files {
		data, ok := files[e.Path]
		if !ok || int64(len(data)) != e.Size {
			t.Errorf("manifest entry %s (%d bytes) does not match the file (%d bytes, exists %v)", e.Path, e.Size, len(data), ok)
		}
		if sum := sha256.Sum256(data); e.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("manifest entry %s has SHA-256 %s; the file's is %x", e.Path, e.SHA256, sum)
		}
	}
}

func checkSameTrees(t *testing.T, ta, tb map[string][]byte) {
	if len(ta) != len(tb) {
		t.Fatalf("two builds wrote %d and %d files", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two builds of the same input", name)
		}
	}
}

// checkRebuildKeepsTimes ages every file of the build in out, rebuilds it
// in place and checks that no file was rewritten.
func checkRebuildKeepsTimes(t *testing.T, out string) {
	before := tree(t, out)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for name := range before {
		if err := os.Chtimes(filepath.Join(out, filepath.FromSlash(name)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	build(t, fixture, out, "", generator.Options{Compress: true})
	checkSameTrees(t, before, tree(t, out))
	for name := range before {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !st.ModTime().Equal(old) {
			t.Errorf("%s: mtime %v after a rebuild of unchanged input; want %v kept", name, st.ModTime(), old)
		}
	}
}

// checkPlanOfOneChange edits one page's Markdown, rebuilds over a copy of
// the build in prev, and checks that the plan uploads and purges only
// that page in the locales that show it.
func checkPlanOfOneChange(t *testing.T, prev string) {
	site := copyDir(t, fixture)
	out := filepath.Join(t.TempDir(), "public")
	if err := os.Rename(copyDir(t, prev), out); err != nil {
		t.Fatal(err)
	}
	before, err := cdn.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(site, "content", "en", "cookies.md")
	src := read(t, page)
	if err := os.WriteFile(page, bytes.Replace(src, []byte("one strictly necessary cookie"), []byte("a single strictly necessary cookie"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, site, out, "", generator.Options{Compress: true})
	after, err := cdn.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	plan := cdn.NewPlan(before, after)
	var up []string
	for _, e := range plan.Upload {
		up = append(up, e.Path)
	}
	slices.Sort(up)
	var want []string
	for _, loc := range []string{"en", "en-gb", "en-us"} {
		for _, ext := range []string{"", ".br", ".gz"} {
			want = append(want, loc+"/cookies/index.html"+ext)
		}
	}
	slices.Sort(want)
	if !slices.Equal(up, want) {
		t.Errorf("upload = %q\nwant %q", up, want)
	}
	if len(plan.Delete) != 0 {
		t.Errorf("delete = %q; want none", plan.Delete)
	}
	wantPurge := []string{
		"https://policies.example.org/en-gb/cookies/", "https://policies.example.org/en-gb/cookies/index.html",
		"https://policies.example.org/en-us/cookies/", "https://policies.example.org/en-us/cookies/index.html",
		"https://policies.example.org/en/cookies/", "https://policies.example.org/en/cookies/index.html",
	}
	if !slices.Equal(plan.Purge, wantPurge) {
		t.Errorf("purge = %q\nwant %q", plan.Purge, wantPurge)
	}
}

func TestAliasErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string // below content/
		front string // replaces the aliases line of the file
		want  string
	}{
		{"two files", "en/cookies.md", `aliases: ["/privacy.html"]`, `en/privacy.md:4: alias "/privacy.html" is also claimed by`},
		{"existing page", "en/cookies.md", `aliases: ["/en/privacy/"]`, `alias "/en/privacy/" is a URL the site already has`},
		{"own URL", "en/cookies.md", `aliases: ["cookies/"]`, `en/cookies.md:3: alias "cookies/" is the page's own URL`},
		{"query", "en/cookies.md", `aliases: ["/old?page=1"]`, `en/cookies.md:3: alias "/old?page=1": must be a URL path`},
		{"root", "en/cookies.md", `aliases: ["/"]`, `region selector`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := copyDir(t, fixture)
			p := filepath.Join(site, "content", filepath.FromSlash(tt.file))
			src := read(t, p)
			src = bytes.Replace(src, []byte("description:"), []byte(tt.front+"\ndescription:"), 1)
			if err := os.WriteFile(p, src, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := sitetest.BuildErr(t, generator.Options{SiteDir: site}, filepath.Join(t.TempDir(), "public"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("build error = %v; want one containing %q", err, tt.want)
			}
		})
	}
}

func TestStaticAssetsRefused(t *testing.T) {
	site := copyDir(t, fixture)
	p := filepath.Join(site, "static", "assets", "logo.png")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := sitetest.BuildErr(t, generator.Options{SiteDir: site}, filepath.Join(t.TempDir(), "public"))
	if err == nil || !strings.Contains(err.Error(), "static/assets/logo.png") {
		t.Errorf("build error = %v; want one naming static/assets/logo.png", err)
	}
}

// urlAttr finds the URL-valued attributes of HTML.
var urlAttr = regexp.MustCompile(`\s(href|src|action|content)="([^"]*)"`)

// TestBasePath builds the example site for a sub-path and checks that
// every link, asset, sitemap entry, hreflang link, header rule and
// redirect stays below it.
func TestBasePath(t *testing.T) {
	const base = "https://example.com/legal/"
	out := filepath.Join(t.TempDir(), "public")
	build(t, "../..", out, base, generator.Options{})
	files := tree(t, out)
	checked := 0
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".html"):
			for _, m := range urlAttr.FindAllSubmatch(data, -1) {
				attr, u := string(m[1]), string(m[2])
				if attr == "content" {
					// Only the refresh of alias pages and og:url carry URLs.
					if i := strings.Index(u, "url="); i >= 0 {
						u = u[i+4:]
					} else if !strings.HasPrefix(u, "http") {
						continue
					}
				}
				checked++
				if msg := outsideBase(u, base); msg != "" {
					t.Errorf("%s: %s=%q %s", name, attr, u, msg)
				}
			}
		case name == "sitemap.xml":
			for _, m := range regexp.MustCompile(`(?:<loc>|href=")([^<"]+)`).FindAllSubmatch(data, -1) {
				checked++
				if !strings.HasPrefix(string(m[1]), base) {
					t.Errorf("sitemap URL %s is not below %s", m[1], base)
				}
			}
		case name == "robots.txt":
			if !bytes.Contains(data, []byte("Sitemap: "+base+"sitemap.xml")) {
				t.Errorf("robots.txt does not name %ssitemap.xml:\n%s", base, data)
			}
		case name == cdn.HeadersFile:
			rules, err := cdn.ParseHeaders(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rules {
				if !strings.HasPrefix(r.Path, "/legal/") {
					t.Errorf("_headers rule %s is not below /legal/", r.Path)
				}
			}
		case name == cdn.RedirectsFile:
			for _, line := range strings.Split(string(data), "\n") {
				if line == "" || line[0] == '#' {
					continue
				}
				f := strings.Fields(line)
				if !strings.HasPrefix(f[0], "/legal/") || !strings.HasPrefix(f[1], "/legal/") {
					t.Errorf("_redirects line %q leaves /legal/", line)
				}
			}
		case strings.HasSuffix(name, ".css"):
			for _, m := range regexp.MustCompile(`url\(\s*['"]?([^'")]+)`).FindAllSubmatch(data, -1) {
				if u := string(m[1]); strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "/legal/") {
					t.Errorf("%s: url(%s) is not below /legal/", name, u)
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("checked only %d URLs; the example site has thousands", checked)
	}
}

// outsideBase explains why a URL found in a page escapes the base path,
// or returns "". Links to other hosts, mailto: and fragments are fine.
func outsideBase(u, base string) string {
	switch {
	case strings.HasPrefix(u, "#"), strings.HasPrefix(u, "mailto:"), strings.HasPrefix(u, "tel:"), strings.HasPrefix(u, "data:"):
		return ""
	case strings.HasPrefix(u, "//"):
		return "is protocol-relative"
	case strings.HasPrefix(u, "/"):
		if !strings.HasPrefix(u, "/legal/") {
			return "is not below /legal/"
		}
	case strings.HasPrefix(u, "https://example.com/"), strings.HasPrefix(u, "http://example.com/"):
		if !strings.HasPrefix(u, base) {
			return "is on the site's host but not below " + base
		}
	case strings.Contains(u, "://"):
		return ""
	default:
		return "is relative; pages at different depths would resolve it differently"
	}
	return ""
}

// TestPrecompressOptIn checks who decides whether a build writes .gz
// and .br variants: nobody by default, output.precompress in site.toml,
// --compress (Options.Compress) and --no-compress (Options.NoCompress),
// which overrides site.toml.
func TestPrecompressOptIn(t *testing.T) {
	plain := fixture
	configured := copyDir(t, fixture)
	toml := read(t, filepath.Join(configured, "site.toml"))
	if err := os.WriteFile(filepath.Join(configured, "site.toml"), append(toml, "\n[output]\nprecompress = true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		site string
		opts generator.Options
		want bool
	}{
		{"default", plain, generator.Options{}, false},
		{"--compress", plain, generator.Options{Compress: true}, true},
		{"--no-compress", plain, generator.Options{NoCompress: true}, false},
		{"output.precompress", configured, generator.Options{}, true},
		{"output.precompress with --no-compress", configured, generator.Options{NoCompress: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			res := build(t, tc.site, out, "", tc.opts)
			var variants int
			for name := range tree(t, out) {
				if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
					variants++
				}
			}
			if got := variants > 0; got != tc.want || (res.Compressed > 0) != tc.want {
				t.Errorf("%d variants, Compressed = %d; want variants: %t", variants, res.Compressed, tc.want)
			}
		})
	}
}
