package cdn

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
)

// An Alias is an old URL that redirects to a page.
type Alias struct {
	// From is the old URL's path below the base URL, without a leading
	// slash: "privacy.html", "en-gb/privacy-policy/".
	From string
	// To is the page's root-relative URL; Canonical its absolute URL.
	To, Canonical string
	// Lang and Title describe the page, for the fallback page.
	Lang, Title string
	// File and Line locate the front matter that declared the alias.
	File string
	Line int
}

// URL returns the root-relative URL of the alias.
func (a Alias) URL(baseURL string) string { return BasePath(baseURL) + a.From }

// Output returns the output file of the alias's fallback page: the path
// itself when its last segment has an extension ("old/privacy.html"),
// else index.html inside it.
func (a Alias) Output() string {
	p := strings.TrimSuffix(a.From, "/")
	if strings.HasSuffix(a.From, "/") || path.Ext(p) == "" {
		return p + "/index.html"
	}
	return p
}

// Aliases collects the aliases front-matter key of every published page.
//
// Aliases come with the text: a page has the aliases of every file it is
// made of, so regional locales that show or extend a language's file get
// its aliases. An alias that starts with "/" is a path below the base URL
// and leads to one page: the page in the declaring file's own locale or,
// when that locale is not published (a language base such as
// content/ru/), the first published locale in site.toml order that shows
// the file. Any other alias is relative to the locale's folder, so every
// locale showing the page gets its own redirect: "privacy-policy" in
// content/en/ gives /en/privacy-policy and /en-gb/privacy-policy. Two
// files claiming the same old URL is an error.
func Aliases(pages *inherit.Site, l *links.Links, locs []*locale.Locale) ([]Alias, error) {
	if pages == nil || l == nil {
		return nil, nil
	}
	type claim struct {
		alias  Alias
		page   *inherit.Page
		locale string // of the declaring file
	}
	claims := map[string][]claim{}
	var list diag.List
	for _, loc := range locs {
		for _, key := range pages.Keys {
			p, ok := pages.Pages[loc.Tag][key]
			if !ok {
				continue
			}
			own, _ := l.Page(loc.Tag, key)
			// Aliases come with the text: a locale that extends or shows
			// another's file gets that file's aliases too.
			for _, f := range p.Doc.Files {
				line := keyLine(f.Head, "aliases")
				for _, raw := range f.Meta.Aliases {
					from, _, err := aliasPath(raw, loc.Path)
					if err != nil {
						list.Add(diag.Errorf(f.Path, line, "alias %q: %v", raw, err))
						continue
					}
					if l.Path(from) == own || l.Path(from) == strings.TrimSuffix(own, "/") {
						list.Add(diag.Errorf(f.Path, line, "alias %q is the page's own URL; remove it", raw))
						continue
					}
					a := Alias{From: from, To: own, Canonical: l.Abs(own), Lang: loc.Tag, Title: p.Doc.Meta.Title, File: f.Path, Line: line}
					claims[from] = append(claims[from], claim{alias: a, page: p, locale: f.Locale})
				}
			}
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	froms := make([]string, 0, len(claims))
	for from := range claims {
		froms = append(froms, from)
	}
	slices.Sort(froms)
	var out []Alias
	taken := map[string]string{}
	for _, from := range froms {
		cs := claims[from]
		first := cs[0]
		conflict := false
		for _, c := range cs[1:] {
			if c.alias.File != first.alias.File {
				list.Add(diag.Errorf(c.alias.File, c.alias.Line, "alias %q is also claimed by %s:%d; an old URL can redirect to one page only", "/"+from, first.alias.File, first.alias.Line))
				conflict = true
				break
			}
		}
		if conflict {
			continue
		}
		pick := first
		for _, c := range cs {
			if c.page.Locale.Tag == c.locale {
				pick = c
				break
			}
		}
		// "old" and "old/" are one URL to most hosts and one output file.
		file := pick.alias.Output()
		if prev, ok := taken[file]; ok {
			list.Add(diag.Errorf(pick.alias.File, pick.alias.Line, "alias %q and alias %q are the same URL", "/"+from, "/"+prev))
			continue
		}
		taken[file] = from
		out = append(out, pick.alias)
	}
	return out, list.Err()
}

// aliasPath checks an alias and returns its path below the base URL.
func aliasPath(raw, locPath string) (from string, abs bool, err error) {
	a := strings.TrimSpace(raw)
	if strings.Contains(a, "://") {
		return "", false, fmt.Errorf("must be a path, not a URL")
	}
	if a == "" || strings.ContainsAny(a, "?#*:\\ \t%") {
		return "", false, fmt.Errorf("must be a URL path without spaces, ?, #, *, :, %% or \\")
	}
	abs = strings.HasPrefix(a, "/")
	from = strings.TrimPrefix(a, "/")
	if !abs {
		from = locPath + "/" + from
	}
	clean := strings.TrimSuffix(from, "/")
	if clean == "" {
		return "", false, fmt.Errorf("the site root is the region selector and cannot be an alias")
	}
	if !fs.ValidPath(clean) {
		return "", false, fmt.Errorf("must not contain empty, . or .. segments")
	}
	return from, abs, nil
}

// keyLine returns the line of the front matter in head on which key is
// set, or 1.
func keyLine(head []byte, key string) int {
	for i, line := range bytes.Split(head, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(t, []byte(key)) && len(t) > len(key) && bytes.ContainsRune([]byte(":= "), rune(t[len(key)])) {
			return i + 1
		}
	}
	return 1
}

//go:embed alias.html
var aliasHTML string

var aliasTmpl = template.Must(template.New("alias").Parse(aliasHTML))

// aliasPage returns the fallback page of an alias for hosts that do not
// read _redirects: a meta refresh, which needs no script and so passes
// the strict Content-Security-Policy, with a canonical link and noindex
// so search engines keep only the page itself.
func aliasPage(a Alias) ([]byte, error) {
	var b bytes.Buffer
	if err := aliasTmpl.Execute(&b, a); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
