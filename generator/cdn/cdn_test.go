package cdn

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"policysite/generator/config"
	"policysite/generator/locale"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCompressRoundTripAndDeterminism(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"html", bytes.Repeat([]byte("<p>Ein Absatz über Datenschutz – 個人情報.</p>\n"), 200)},
		{"binary", func() []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i * 7919 % 251)
			}
			return b
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gz1, err := Gzip(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			gz2, _ := Gzip(tt.data)
			if !bytes.Equal(gz1, gz2) {
				t.Error("Gzip is not deterministic")
			}
			// RFC 1952: byte 3 holds the flags (FNAME = 8), bytes 4-7 MTIME.
			if gz1[3] != 0 || !bytes.Equal(gz1[4:8], []byte{0, 0, 0, 0}) {
				t.Errorf("gzip header flags %#x mtime % x; want no name and zero mtime", gz1[3], gz1[4:8])
			}
			if got, err := Gunzip(gz1); err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("Gunzip(Gzip(data)) = %d bytes, %v; want the %d original bytes", len(got), err, len(tt.data))
			}
			br1, err := Brotli(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			br2, _ := Brotli(tt.data)
			if !bytes.Equal(br1, br2) {
				t.Error("Brotli is not deterministic")
			}
			if got, err := Unbrotli(br1); err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("Unbrotli(Brotli(data)) = %d bytes, %v; want the %d original bytes", len(got), err, len(tt.data))
			}
		})
	}
}

func TestCompressible(t *testing.T) {
	tests := map[string]bool{
		"index.html": true, "assets/css/site.0123456789.css": true, "sitemap.xml": true,
		"robots.txt": true, "img/logo.svg": true, "fonts/a.woff2": false, "img/a.png": false,
		HeadersFile: false, RedirectsFile: false, ManifestFile: false, "index.html.gz": false,
	}
	for name, want := range tests {
		if got := compressible(name); got != want {
			t.Errorf("compressible(%q) = %v; want %v", name, got, want)
		}
	}
}

func testOptions(base string) Options {
	h := config.Default(".").Headers
	return Options{BaseURL: base, Headers: h, Redirects: config.Redirects{Language: true}}
}

var testFiles = []string{
	"404.html", "404.html.br", "404.html.gz", "_redirects",
	"assets/css/site.0123456789.css", "assets/css/site.0123456789.css.br",
	"de-de/index.html", "de-de/privacy/index.html", "img/logo.svg",
	"index.html", "index.html.gz", "robots.txt", "sitemap.xml",
}

func TestHeadersGolden(t *testing.T) {
	tests := []struct {
		name   string
		base   string
		hsts   string
		origin []string
	}{
		{"headers-root.golden", "https://www.example.com/", "", nil},
		{"headers-subpath-hsts.golden", "https://example.com/legal/", "max-age=63072000; includeSubDomains", []string{"https://stats.example.net"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(tt.base)
			opts.Headers.HSTS = tt.hsts
			opts.ScriptOrigins = tt.origin
			golden(t, tt.name, Headers(opts, testFiles))
		})
	}
}

// TestHeadersApply parses the generated file as a CDN would and checks
// the headers each kind of URL gets: exactly one Cache-Control, the
// right one, and the security headers everywhere.
func TestHeadersApply(t *testing.T) {
	for _, base := range []string{"/", "/legal/"} {
		opts := testOptions("https://example.com" + base)
		rules, err := ParseHeaders(Headers(opts, testFiles))
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			path, cache string
		}{
			{"", opts.Headers.CacheControl},
			{"index.html", opts.Headers.CacheControl},
			{"404.html", opts.Headers.CacheControl},
			{"de-de/", opts.Headers.CacheControl},
			{"de-de/privacy/", opts.Headers.CacheControl},
			{"sitemap.xml", opts.Headers.CacheControl},
			{"robots.txt", opts.Headers.CacheControl},
			{"img/logo.svg", opts.Headers.CacheControl},
			{"assets/css/site.0123456789.css", ImmutableCacheControl},
		}
		for _, tt := range tests {
			h := Apply(rules, base+tt.path)
			if h["Cache-Control"] != tt.cache {
				t.Errorf("Cache-Control of %s = %q; want %q", base+tt.path, h["Cache-Control"], tt.cache)
			}
			if h["Content-Security-Policy"] != config.DefaultCSP {
				t.Errorf("Content-Security-Policy of %s = %q; want the default", base+tt.path, h["Content-Security-Policy"])
			}
			for _, name := range []string{"X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"} {
				if h[name] == "" || strings.Contains(h[name], ", "+h[name]) {
					t.Errorf("%s of %s = %q; want one value", name, base+tt.path, h[name])
				}
			}
			if _, ok := h["Strict-Transport-Security"]; ok {
				t.Errorf("%s has Strict-Transport-Security though hsts is not configured", base+tt.path)
			}
		}
		if h := Apply(rules, "/elsewhere/"); base != "/" && len(h) != 0 {
			t.Errorf("a URL outside %s got headers %v", base, h)
		}
	}
}

func TestHeadersOmitEmpty(t *testing.T) {
	opts := testOptions("https://example.com/")
	opts.Headers.ReferrerPolicy = ""
	opts.Headers.CacheControl = ""
	opts.Headers.HSTS = "max-age=300"
	rules, err := ParseHeaders(Headers(opts, testFiles))
	if err != nil {
		t.Fatal(err)
	}
	h := Apply(rules, "/de-de/")
	if _, ok := h["Referrer-Policy"]; ok {
		t.Error("Referrer-Policy sent though configured empty")
	}
	if _, ok := h["Cache-Control"]; ok {
		t.Error("Cache-Control sent for HTML though configured empty")
	}
	if h["Strict-Transport-Security"] != "max-age=300" {
		t.Errorf("Strict-Transport-Security = %q; want the configured value", h["Strict-Transport-Security"])
	}
}

func TestCSP(t *testing.T) {
	h := config.Default(".").Headers
	if got := CSP(h, nil); got != config.DefaultCSP {
		t.Errorf("CSP without origins = %q; want the default", got)
	}
	got := CSP(h, []string{"https://a.example", "https://b.example"})
	if !strings.Contains(got, "script-src 'self' https://a.example https://b.example;") || strings.Count(got, "script-src") != 1 {
		t.Errorf("CSP with origins = %q; want them in script-src", got)
	}
	h.ContentSecurityPolicy = "default-src 'none'"
	if got := CSP(h, []string{"https://a.example"}); got != "default-src 'none'" {
		t.Errorf("CSP with a configured policy = %q; want it unchanged", got)
	}
}

func TestParseHeadersErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  X-A: b\n", "_headers:1:"},
		{"/a\nnot a path\n", "_headers:2:"},
		{"/a\n  no colon\n", "_headers:2:"},
		{"/a\n  : empty name\n", "_headers:2:"},
	}
	for _, tt := range tests {
		_, err := ParseHeaders([]byte(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseHeaders(%q) = %v; want an error at %s", tt.in, err, tt.want)
		}
	}
	rules, err := ParseHeaders([]byte("# c\n/a/*\n  X-A: 1\n\n/a/b\n\tx-a: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := Apply(rules, "/a/b"); got["X-A"] != "1, 2" {
		t.Errorf("Apply joined X-A = %q; want \"1, 2\" as Netlify and Cloudflare join repeated headers", got["X-A"])
	}
}

func testLocales(t *testing.T, tags ...string) []*locale.Locale {
	t.Helper()
	s := config.Default(t.TempDir())
	for _, tag := range tags {
		s.Locales = append(s.Locales, config.Locale{Tag: tag})
	}
	if err := config.Finish(s); err != nil {
		t.Fatal(err)
	}
	set, err := locale.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return set.Published()
}

func TestLanguageRules(t *testing.T) {
	tests := []struct {
		tags []string
		want []LanguageRule
	}{
		{[]string{"en", "en-GB", "de-DE"}, []LanguageRule{
			{"en", "gb", "en-GB"}, {"en", "", "en"}, {"de", "", "de-DE"},
		}},
		// Without a region-neutral locale, the language's likely region
		// wins: Russian speakers elsewhere get ru-RU, not ru-BY.
		{[]string{"ru-BY", "ru-RU", "ru-KZ", "uz-UZ", "ru-UZ"}, []LanguageRule{
			{"ru", "by", "ru-BY"}, {"ru", "kz", "ru-KZ"}, {"ru", "uz", "ru-UZ"},
			{"ru", "", "ru-RU"}, {"uz", "", "uz-UZ"},
		}},
		// No locale in the likely region: the first one.
		{[]string{"pt-PT", "pt-AO"}, []LanguageRule{{"pt", "ao", "pt-AO"}, {"pt", "", "pt-PT"}}},
		{[]string{"zh-CN"}, []LanguageRule{{"zh", "", "zh-CN"}}},
	}
	for _, tt := range tests {
		got := LanguageRules(testLocales(t, tt.tags...))
		if !slices.Equal(got, tt.want) {
			t.Errorf("LanguageRules(%v) = %v; want %v", tt.tags, got, tt.want)
		}
	}
}

func TestAliasPath(t *testing.T) {
	tests := []struct {
		raw, from string
		abs       bool
		err       string
	}{
		{"/privacy.html", "privacy.html", true, ""},
		{"/old/privacy/", "old/privacy/", true, ""},
		{"privacy-policy", "en-gb/privacy-policy", false, ""},
		{"legal/privacy.html", "en-gb/legal/privacy.html", false, ""},
		{"/", "", false, "region selector"},
		{"", "", false, "without spaces"},
		{"https://example.com/x", "", false, "not a URL"},
		{"/a b", "", false, "without spaces"},
		{"/x?y=1", "", false, "without spaces"},
		{"/*", "", false, "without spaces"},
		{"/a/../b", "", false, ".. segments"},
		{"/a//b", "", false, ".. segments"},
	}
	for _, tt := range tests {
		from, abs, err := aliasPath(tt.raw, "en-gb")
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("aliasPath(%q) error = %v; want one mentioning %q", tt.raw, err, tt.err)
		case tt.err == "" && (err != nil || from != tt.from || abs != tt.abs):
			t.Errorf("aliasPath(%q) = %q, %v, %v; want %q, %v", tt.raw, from, abs, err, tt.from, tt.abs)
		}
	}
}

func TestAliasOutput(t *testing.T) {
	tests := map[string]string{
		"privacy.html":         "privacy.html",
		"old/privacy/":         "old/privacy/index.html",
		"en/privacy-policy":    "en/privacy-policy/index.html",
		"en/v1.2/privacy/":     "en/v1.2/privacy/index.html",
		"en/policy.v1.2":       "en/policy.v1.2",
		"en/old-privacy.htm":   "en/old-privacy.htm",
		"en/legal/index.html/": "en/legal/index.html/index.html",
	}
	for from, want := range tests {
		if got := (Alias{From: from}).Output(); got != want {
			t.Errorf("Alias{From: %q}.Output() = %q; want %q", from, got, want)
		}
	}
}

func TestAliasPage(t *testing.T) {
	page, err := aliasPage(Alias{From: "old.html", To: "/legal/en/privacy/", Canonical: "https://example.com/legal/en/privacy/", Lang: "en", Title: "Privacy & you"})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "alias.golden", page)
	if bytes.Contains(page, []byte("<script")) || bytes.Contains(page, []byte("style")) {
		t.Error("the alias page has script or style, which the strict CSP would block")
	}
}

func entry(path, sum string) Entry { return Entry{Path: path, Size: int64(len(sum)), SHA256: sum} }

func TestPlan(t *testing.T) {
	old := &Manifest{Version: 1, BaseURL: "https://example.com/legal/", Files: []Entry{
		entry("index.html", "a"), entry("index.html.gz", "a"),
		entry("en/privacy/index.html", "b"), entry("en/privacy/index.html.br", "b"),
		entry("en/terms/index.html", "c"),
		entry("assets/css/site.1111111111.css", "d"),
		entry("sitemap.xml", "e"), entry(HeadersFile, "f"),
	}}
	cur := &Manifest{Version: 1, BaseURL: "https://example.com/legal/", Files: []Entry{
		entry("index.html", "a"), entry("index.html.gz", "a"),
		entry("en/privacy/index.html", "B"), entry("en/privacy/index.html.br", "B"),
		entry("en/cookies/index.html", "g"),
		entry("assets/css/site.2222222222.css", "h"),
		entry("sitemap.xml", "E"), entry(HeadersFile, "f"),
	}}
	p := NewPlan(old, cur)
	var up []string
	for _, e := range p.Upload {
		up = append(up, e.Path)
	}
	wantUp := []string{"assets/css/site.2222222222.css", "en/privacy/index.html", "en/privacy/index.html.br", "en/cookies/index.html", "sitemap.xml"}
	if !slices.Equal(up, wantUp) {
		t.Errorf("Upload = %q; want %q (assets first)", up, wantUp)
	}
	wantDel := []string{"en/terms/index.html", "assets/css/site.1111111111.css"}
	if !slices.Equal(p.Delete, wantDel) {
		t.Errorf("Delete = %q; want %q", p.Delete, wantDel)
	}
	wantPaths := []string{
		"/legal/assets/css/site.1111111111.css",
		"/legal/en/cookies/", "/legal/en/cookies/index.html",
		"/legal/en/privacy/", "/legal/en/privacy/index.html",
		"/legal/en/terms/", "/legal/en/terms/index.html",
		"/legal/sitemap.xml",
	}
	if !slices.Equal(p.PurgePaths, wantPaths) {
		t.Errorf("PurgePaths = %q; want %q", p.PurgePaths, wantPaths)
	}
	if p.Purge[0] != "https://example.com/legal/assets/css/site.1111111111.css" || len(p.Purge) != len(wantPaths) {
		t.Errorf("Purge = %q; want absolute URLs of PurgePaths", p.Purge)
	}
	if p.Unchanged != 3 {
		t.Errorf("Unchanged = %d; want 3", p.Unchanged)
	}
	var b bytes.Buffer
	p.WriteText(&b)
	golden(t, "plan.golden", b.Bytes())

	same := NewPlan(cur, cur)
	if len(same.Upload)+len(same.Delete)+len(same.Purge) != 0 || same.Unchanged != len(cur.Files) {
		t.Errorf("plan of a build against itself = %+v; want nothing to do", same)
	}
}

func TestContentType(t *testing.T) {
	tests := []struct{ name, typ, enc string }{
		{"en/index.html", "text/html; charset=utf-8", ""},
		{"en/index.html.br", "text/html; charset=utf-8", "br"},
		{"assets/js/site.0123456789.js.gz", "text/javascript; charset=utf-8", "gzip"},
		{"sitemap.xml", "application/xml; charset=utf-8", ""},
		{"fonts/a.woff2", "font/woff2", ""},
		{"archive.tar.gz", "application/octet-stream", ""},
		{"data.bin", "application/octet-stream", ""},
		{HeadersFile, "text/plain; charset=utf-8", ""},
	}
	for _, tt := range tests {
		typ, enc := ContentType(tt.name)
		if typ != tt.typ || enc != tt.enc {
			t.Errorf("ContentType(%q) = %q, %q; want %q, %q", tt.name, typ, enc, tt.typ, tt.enc)
		}
	}
}

func TestCheckAssets(t *testing.T) {
	assets := []string{"assets/css/site.0123456789.css"}
	ok := []string{"assets/css/site.0123456789.css", "assets/css/site.0123456789.css.gz", "index.html"}
	if err := checkAssets(ok, assets); err != nil {
		t.Errorf("checkAssets(fingerprinted) = %v; want nil", err)
	}
	err := checkAssets(append(ok, "assets/img/logo.png"), assets)
	if err == nil || !strings.Contains(err.Error(), "static/assets/img/logo.png") {
		t.Errorf("checkAssets(unfingerprinted) = %v; want an error naming static/assets/img/logo.png", err)
	}
}
