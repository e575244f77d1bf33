package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"policysite/generator"
	"policysite/generator/sitetest"
)

// hostileSite is a site whose every authored input tries to get script
// into the output: Markdown, front matter, UI strings and site.toml.
var hostileSite = map[string]string{
	"site.toml": `baseURL = "https://example.com/"
title = "<script>alert('site')</script>Example"
[markdown]
unsafe = UNSAFE
[[locales]]
tag = "en"
[[locales]]
tag = "de-DE"
`,
	"i18n/en.toml": `site_name = "<script>alert('ui')</script>"
skip_link = "\" onfocus=\"alert('ui')"
back_to_top = "javascript:alert('ui')"
selector_title = "</title><script>alert('ui')</script>"
`,
	"content/en/privacy.md": `---
title: "<script>alert('title')</script><img src=x onerror=alert('title')>"
description: "\" onmouseover=\"alert('description')"
params:
  x: "<script>alert('params')</script>"
---
# Privacy <script>alert('h1')</script>

<script>alert('block')</script>

<img src="x" onerror="alert('img')">

<a href="javascript:alert('raw')">raw link</a>

<div onclick="alert('div')">click</div>

<iframe src="javascript:alert('frame')"></iframe>

<svg onload="alert('svg')"><script>alert('svg')</script></svg>

Inline <span onmouseover="alert('span')">span</span> and <script>alert('inline')</script>.

## Links {#links}

[js](javascript:alert('md')) [JS](JAVASCRIPT:alert('md')) [tab](java	script:alert('md'))
[space]( javascript:alert('md')) [entity](jav&#x61;script:alert('md')) [vb](vbscript:msgbox('md'))
[data](data:text/html,<script>alert('md')</script>) [data64](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<javascript:alert('autolink')> [ref][r] ![img](javascript:alert('img'))

[r]: javascript:alert('ref')

## Attributes {#x onclick="alert('attr')"}

Text.
`,
	"content/de-DE/privacy.md": `# Datenschutz

[js](javascript:alert('de'))
`,
}

// TestHostileMarkdown builds hostileSite and asserts that the output
// holds no executable script: every script element is one of the
// theme's own external scripts, no element has an on* attribute, and
// no URL attribute uses javascript:, vbscript: or data:. With raw HTML
// allowed, javascript: URLs are still refused.
func TestHostileMarkdown(t *testing.T) {
	for _, unsafe := range []string{"false", "true"} {
		t.Run("unsafe="+unsafe, func(t *testing.T) {
			site := sitetest.New(t, "")
			for name, data := range hostileSite {
				site.Write(name, strings.ReplaceAll(data, "UNSAFE", unsafe))
			}
			dir := site.Dir
			out, err := sitetest.BuildErr(t, generator.Options{SiteDir: dir}, filepath.Join(t.TempDir(), "public"))
			if unsafe == "true" {
				// Raw HTML is allowed, but raw HTML with a script URL is
				// refused, naming the file and line.
				page := filepath.Join(dir, "content", "en", "privacy.md")
				for _, want := range []string{page + ":13: raw HTML links to \"javascript:alert('raw')\"", page + ":17: raw HTML links to \"javascript:alert('frame')\""} {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("Build with script URLs in raw HTML: error %v; want %s", err, want)
					}
				}
				src, _ := os.ReadFile(page)
				src = bytes.ReplaceAll(src, []byte(`="javascript:`), []byte(`="https://example.com/?`))
				if err := os.WriteFile(page, src, 0o644); err != nil {
					t.Fatal(err)
				}
				out, err = sitetest.BuildErr(t, generator.Options{SiteDir: dir}, filepath.Join(t.TempDir(), "public"))
			}
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			files := out.Files
			pages := 0
			for name, data := range files {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				pages++
				for _, p := range executable(t, data, files, unsafe == "true") {
					t.Errorf("%s: %s", name, p)
				}
			}
			if pages == 0 {
				t.Fatal("no HTML pages built")
			}
		})
	}
}

// executable returns the problems of one HTML page. With rawHTML, only
// script URLs are problems: the site opted into raw HTML elements.
func executable(t *testing.T, page []byte, files map[string][]byte, rawHTML bool) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			problems = append(problems, checkElement(n, files, rawHTML)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	return problems
}

func checkElement(n *html.Node, files map[string][]byte, rawHTML bool) []string {
	var problems []string
	attr := func(key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Namespace == "" && a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if isURLAttr(key) && badScheme(a.Val) {
			problems = append(problems, "<"+n.Data+" "+a.Key+"="+a.Val+">: script URL")
		}
		if !rawHTML && strings.HasPrefix(key, "on") {
			problems = append(problems, "<"+n.Data+" "+a.Key+">: event handler attribute")
		}
	}
	if rawHTML {
		return problems
	}
	switch n.Data {
	case "script":
		typ, _ := attr("type")
		if typ == "application/ld+json" || typ == "application/json" {
			break
		}
		src, ok := attr("src")
		if !ok {
			problems = append(problems, "inline <script>")
			break
		}
		if _, own := files[strings.TrimPrefix(src, "/")]; !own || !strings.HasPrefix(strings.TrimPrefix(src, "/"), "assets/") {
			problems = append(problems, "<script src="+src+">: not one of the theme's assets")
		}
	case "iframe", "object", "embed", "frame", "base":
		problems = append(problems, "<"+n.Data+"> element")
	case "meta":
		if v, _ := attr("http-equiv"); strings.EqualFold(v, "refresh") {
			problems = append(problems, "<meta http-equiv=refresh>")
		}
	}
	return problems
}

func isURLAttr(key string) bool {
	switch key {
	case "href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite", "ping":
		return true
	}
	return false
}

// badScheme reports whether a URL runs code when followed. Browsers
// ignore ASCII whitespace and control characters inside the scheme.
func badScheme(u string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(u) {
		if r > ' ' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	return strings.HasPrefix(s, "javascript:") || strings.HasPrefix(s, "vbscript:") || strings.HasPrefix(s, "data:")
}
