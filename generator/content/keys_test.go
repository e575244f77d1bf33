package content

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"policysite/generator/diag"
	"policysite/generator/markdown"
)

// TestKeys gives every front-matter key, in YAML and in TOML, and checks
// the field it sets, the warnings and the errors.
func TestKeys(t *testing.T) {
	tests := []struct {
		name, yaml string
		toml       string // "" when the case is YAML only
		rel        string // default "privacy.md"
		check      func(*File) any
		want       any
		warn       string // kind of the one warning expected
		err        string
	}{
		{name: "title", yaml: "title: T", toml: `title = "T"`, check: func(f *File) any { return f.Meta.Title }, want: "T"},
		{name: "Title case", yaml: "Title: T", toml: `Title = "T"`, check: func(f *File) any { return f.Meta.Title }, want: "T"},
		{name: "number title", yaml: "title: 2024", toml: "title = 2024", check: func(f *File) any { return f.Meta.Title }, want: "2024"},
		{name: "linkTitle", yaml: "LinkTitle: Short", toml: `linkTitle = "Short"`, check: func(f *File) any { return f.Meta.Label() }, want: "Short"},
		{name: "linktitle", yaml: "linktitle: Short", check: func(f *File) any { return f.Meta.LinkTitle }, want: "Short"},
		{name: "description", yaml: "description: D", toml: `description = "D"`, check: func(f *File) any { return f.Meta.Summarize() }, want: "D"},
		{name: "summary", yaml: "summary: S", toml: `summary = "S"`, check: func(f *File) any { return f.Meta.Summarize() }, want: "S"},
		{name: "description wins", yaml: "summary: S\ndescription: D", check: func(f *File) any { return f.Meta.Summarize() }, want: "D"},
		{name: "keywords", yaml: "keywords: [a, b]", toml: `keywords = ["a", "b"]`, check: func(f *File) any { return f.Meta.Keywords }, want: []string{"a", "b"}},
		{name: "keywords text", yaml: "keywords: privacy", check: func(f *File) any { return f.Meta.Keywords }, want: []string{"privacy"}},
		{name: "images", yaml: "images: [/img/a.png]", toml: `images = ["/img/a.png"]`, check: func(f *File) any { return f.Meta.Images }, want: []string{"/img/a.png"}},
		{name: "slug", yaml: "slug: datenschutz", toml: `slug = "datenschutz"`, check: func(f *File) any { return f.URLPath() }, want: "datenschutz"},
		{name: "slug path", yaml: "slug: /legal/privacy", check: func(f *File) any { return f.URLPath() }, want: "legal/privacy"},
		{name: "slug relative", yaml: "slug: b/c", rel: "a/p.md", check: func(f *File) any { return f.URLPath() }, want: "a/b/c"},
		{name: "slug root is home", yaml: "slug: /", check: func(f *File) any { return f.Key + "|" + f.URLPath() }, want: "_index|"},
		{name: "url", yaml: "url: /privacy-notice/", toml: `url = "/privacy-notice/"`, check: func(f *File) any { return f.URLPath() }, want: "privacy-notice"},
		{name: "url with locale", yaml: "url: /en/legal/privacy/", check: func(f *File) any { return f.URLPath() }, want: "legal/privacy"},
		{name: "url full", yaml: "url: https://example.com/x", err: "p.md:2: front matter: url \"https://example.com/x\" must be a path"},
		{name: "url dots", yaml: "url: /a/../b/", err: "p.md:2: front matter: url \"/a/../b/\" must be a path of plain segments"},
		{name: "translationKey", yaml: "translationKey: data", toml: `translationKey = "data"`, check: func(f *File) any { return f.Key }, want: "data"},
		{name: "translationkey", yaml: "translationkey: data", check: func(f *File) any { return f.Key }, want: "data"},
		{name: "date", yaml: "date: 2026-01-02", toml: "date = 2026-01-02", check: func(f *File) any { return f.Meta.Date.Format("2006-01-02") }, want: "2026-01-02"},
		{name: "Date time", yaml: "Date: 2026-01-02T10:00:00Z", check: func(f *File) any { return f.Meta.Date.Format(time.RFC3339) }, want: "2026-01-02T10:00:00Z"},
		{name: "jekyll date", yaml: "date: 2026-01-02 10:00:00 +0000", check: func(f *File) any { return f.Meta.Date.Format("2006-01-02") }, want: "2026-01-02"},
		{name: "lastmod", yaml: "lastmod: 2026-01-03", toml: "lastmod = 2026-01-03", check: func(f *File) any { return f.Meta.Lastmod.Format("2006-01-02") }, want: "2026-01-03"},
		{name: "modified", yaml: "modified: 2026-01-03", check: func(f *File) any { return f.Meta.Lastmod.Format("2006-01-02") }, want: "2026-01-03"},
		{name: "lastmod wins", yaml: "modified: 2026-01-03\nlastmod: 2026-01-04", check: func(f *File) any { return f.Meta.Lastmod.Format("2006-01-02") }, want: "2026-01-04"},
		{name: "publishDate", yaml: "publishDate: 2026-01-05", toml: "publishDate = 2026-01-05", check: func(f *File) any { return f.Meta.PublishDate.Format("2006-01-02") }, want: "2026-01-05"},
		{name: "pubdate", yaml: "pubdate: 2026-01-05", check: func(f *File) any { return f.Meta.PublishDate.Format("2006-01-02") }, want: "2026-01-05"},
		{name: "published date", yaml: "published: 2026-01-05", check: func(f *File) any { return f.Meta.PublishDate.Format("2006-01-02") }, want: "2026-01-05"},
		{name: "published false", yaml: "published: false", check: func(f *File) any { return f.Meta.Draft }, want: true},
		{name: "expiryDate", yaml: "expiryDate: 2026-02-01", toml: "expiryDate = 2026-02-01", check: func(f *File) any { return f.Meta.ExpiryDate.Format("2006-01-02") }, want: "2026-02-01"},
		{name: "unpublishdate", yaml: "unpublishdate: 2026-02-01", check: func(f *File) any { return f.Meta.ExpiryDate.Format("2006-01-02") }, want: "2026-02-01"},
		{name: "bad date", yaml: "expiryDate: soon", err: `p.md:2: front matter: expiryDate: "soon" is not a date; use YYYY-MM-DD`},
		{name: "weight", yaml: "weight: 3", toml: "weight = 3", check: func(f *File) any { return f.Meta.Weight }, want: 3},
		{name: "weight text", yaml: "weight: heavy", toml: `weight = "heavy"`, err: `p.md:2: front matter: weight: must be a whole number, not "heavy"`},
		{name: "draft", yaml: "draft: true", toml: "draft = true", check: func(f *File) any { return f.Meta.Draft }, want: true},
		{name: "draft text", yaml: "draft: sometimes", err: `p.md:2: front matter: draft: must be true or false, not "sometimes"`},
		{name: "aliases", yaml: "aliases: [/old/]", toml: `aliases = ["/old/"]`, check: func(f *File) any { return f.Meta.Aliases }, want: []string{"/old/"}},
		{name: "menu name", yaml: "menu: main", toml: `menu = "main"`, check: func(f *File) any { return f.Meta.Menus }, want: []MenuEntry{{Menu: "main"}}},
		{name: "menus list", yaml: "menus: [main, footer]", check: func(f *File) any { return f.Meta.Menus }, want: []MenuEntry{{Menu: "main"}, {Menu: "footer"}}},
		{name: "menu map", yaml: "menu:\n  main:\n    parent: nav_about\n    weight: 5\n    name: Privacy\n    identifier: p", toml: "[menu.main]\nparent = \"nav_about\"\nweight = 5\nname = \"Privacy\"\nidentifier = \"p\"",
			check: func(f *File) any { return f.Meta.Menus }, want: []MenuEntry{{Menu: "main", Name: "Privacy", Parent: "nav_about", Weight: 5}}},
		{name: "menu unknown", yaml: "menu:\n  docs:\n    parent: x", warn: `front-matter menu "docs" does not exist`},
		{name: "menu bad key", yaml: "menu:\n  main:\n    colour: red", err: "p.md:2: front matter: menu: main.colour: unknown key"},
		{name: "extends", yaml: "extends: true", toml: "extends = true", check: func(f *File) any { return string(f.Meta.Extends) }, want: "true"},
		{name: "extends own", yaml: "extends: en", err: `p.md:2: a page cannot extend its own locale "en"`},
		{name: "remove", yaml: "remove: [a, b]", toml: `remove = ["a", "b"]`, check: func(f *File) any { return f.Meta.Remove }, want: []string{"a", "b"}},
		{name: "toc", yaml: "toc: false", toml: "toc = false", check: func(f *File) any { return *f.Meta.TOC }, want: false},
		{name: "numbered", yaml: "numbered: true", toml: "numbered = true", check: func(f *File) any { return *f.Meta.Numbered }, want: true},
		{name: "reviewed", yaml: "reviewed:\n  intro: abc", toml: "[reviewed]\nintro = \"abc\"", check: func(f *File) any { return f.Meta.Reviewed["intro"] }, want: "abc"},
		{name: "params", yaml: "params:\n  owner:\n    team: legal", toml: "[params.owner]\nteam = \"legal\"", check: func(f *File) any { return fmt.Sprint(f.Meta.Params) }, want: "map[owner:map[team:legal]]"},
		{name: "params text", yaml: "params: x", err: `p.md:2: front matter: params: must be key: value pairs, not "x"`},
		// Hugo's keys without a meaning here.
		{name: "tags", yaml: "tags: [a]", toml: `tags = ["a"]`, warn: "front-matter key tags (Hugo) has no meaning in policysite"},
		{name: "categories", yaml: "categories: [a]", warn: "front-matter key categories (Hugo) has no meaning in policysite"},
		{name: "layout", yaml: "layout: single", warn: "front-matter key layout (Hugo) has no meaning in policysite"},
		{name: "type", yaml: "type: docs", warn: "front-matter key type (Hugo) has no meaning in policysite"},
		{name: "cascade", yaml: "cascade:\n  x: 1", warn: "front-matter key cascade (Hugo) has no meaning in policysite"},
		{name: "isCJKLanguage", yaml: "isCJKLanguage: true", warn: "front-matter key isCJKLanguage (Hugo) has no meaning in policysite"},
		{name: "build", yaml: "build:\n  list: never", warn: "front-matter key build (Hugo) has no meaning in policysite"},
		{name: "sitemap", yaml: "sitemap:\n  priority: 0.5", warn: "front-matter key sitemap (Hugo) has no meaning in policysite"},
		// Other tools' keys with an equivalent.
		{name: "id", yaml: "id: intro", rel: "guide/01-intro.md", check: func(f *File) any { return f.URLPath() }, want: "guide/intro"},
		{name: "id with slug", yaml: "id: intro\nslug: start", check: func(f *File) any { return f.URLPath() }, want: "start"},
		{name: "id path", yaml: "id: a/b", warn: "unknown front-matter key id"},
		{name: "sidebar_label", yaml: "sidebar_label: Short", check: func(f *File) any { return f.Meta.LinkTitle }, want: "Short"},
		{name: "linkTitle wins", yaml: "sidebar_label: A\nlinkTitle: B", check: func(f *File) any { return f.Meta.LinkTitle }, want: "B"},
		{name: "sidebar_position", yaml: "sidebar_position: 2", check: func(f *File) any { return f.Meta.Weight }, want: 2},
		{name: "sidebar_position fraction", yaml: "sidebar_position: 2.5", warn: "unknown front-matter key sidebar_position"},
		{name: "image", yaml: "image: /img/card.png", check: func(f *File) any { return f.Meta.Images }, want: []string{"/img/card.png"}},
		{name: "hide_table_of_contents", yaml: "hide_table_of_contents: true", check: func(f *File) any { return *f.Meta.TOC }, want: false},
		{name: "hide toc", yaml: "hide:\n  - navigation\n  - toc", check: func(f *File) any { return *f.Meta.TOC }, want: false},
		{name: "permalink", yaml: "permalink: /legal/privacy/", check: func(f *File) any { return f.URLPath() }, want: "legal/privacy"},
		{name: "redirect_from", yaml: "redirect_from: [/old/]", check: func(f *File) any { return f.Meta.Aliases }, want: []string{"/old/"}},
		{name: "excerpt", yaml: "excerpt: E", check: func(f *File) any { return f.Meta.Summary }, want: "E"},
		// Unknown keys and near misses.
		{name: "unknown", yaml: "sidebar_class_name: x", toml: `sidebar_class_name = "x"`, warn: "unknown front-matter key sidebar_class_name"},
		{name: "status", yaml: "status: new", warn: "unknown front-matter key status"},
		{name: "tilte", yaml: "tilte: T", toml: `tilte = "T"`, err: "p.md:2: front matter: unknown key tilte; did you mean title?"},
		{name: "link_title", yaml: "link_title: T", err: "did you mean linkTitle?"},
		{name: "descripton", yaml: "descripton: T", err: "did you mean description?"},
		{name: "twice", yaml: "title: A\nTitle: B", err: "p.md:3: front matter: Title is set twice (also on line 2)"},
	}
	md := markdown.New(markdown.Options{})
	for _, tt := range tests {
		for _, format := range []string{"yaml", "toml"} {
			fm := tt.yaml
			src := "---\n" + fm + "\n---\n# Page\n"
			if format == "toml" {
				if tt.toml == "" {
					continue
				}
				src = "+++\n" + tt.toml + "\n+++\n# Page\n"
			}
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				rel := tt.rel
				if rel == "" {
					rel = "privacy.md"
				}
				f, err := Parse("p.md", "en", rel, []byte(src), md)
				if tt.err != "" {
					if err == nil || !strings.Contains(err.Error(), tt.err) {
						t.Fatalf("Parse(%q) error = %v; want %q", src, err, tt.err)
					}
					assertUserTerms(t, err)
					return
				}
				if err != nil {
					t.Fatalf("Parse(%q): %v", src, err)
				}
				var kinds []string
				for _, w := range f.Warnings {
					kinds = append(kinds, w.Kind)
				}
				if tt.warn == "" && len(kinds) > 0 || tt.warn != "" && !slices.Equal(kinds, []string{tt.warn}) {
					t.Errorf("Parse(%q) warnings = %q; want [%q]", src, kinds, tt.warn)
				}
				if tt.check != nil {
					if got := tt.check(f); fmt.Sprint(got) != fmt.Sprint(tt.want) {
						t.Errorf("Parse(%q): got %v; want %v", src, got, tt.want)
					}
				}
			})
		}
	}
}

// TestAllProblems checks that one file's every problem is reported.
func TestAllProblems(t *testing.T) {
	src := "---\ntilte: T\ndraft: maybe\nweight: [1]\nsidebar_position: 3\ncustom: x\ntags: [a]\n---\n# P\n"
	f, err := Parse("p.md", "en", "p.md", []byte(src), nil)
	if f != nil {
		t.Fatalf("Parse returned a file with errors")
	}
	var lines []int
	for _, e := range diag.Errors(err) {
		var se *diag.SourceError
		if errors.As(e, &se) {
			lines = append(lines, se.Line)
		}
	}
	if want := []int{2, 3, 4}; !slices.Equal(lines, want) {
		t.Errorf("error lines = %v; want %v (%v)", lines, want, err)
	}
}

// assertUserTerms fails if a message names a Go type or decoder.
func assertUserTerms(t *testing.T, err error) {
	t.Helper()
	for _, bad := range []string{"content.", "map[", "[]interface", "!!", "unmarshal", "yaml.", "int64", "float64"} {
		if strings.Contains(err.Error(), bad) {
			t.Errorf("message %q contains %q", err, bad)
		}
	}
}

func TestMessagesUserTerms(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: {en: Terms}\n---\n",
		"---\n- a\n- b\n---\n",
		"---\ntitle: [a\n---\n",
		"---\ntitle: Données personnelles: collecte\n---\n",
		"---\nweight: Données personnelles très longues à couper quelque part ici\n---\n",
		"+++\nweight = \"x\"\n+++\n",
		"+++\ntitle = [1, 2]\n+++\n",
		"---\nparams: [a]\n---\n",
	} {
		_, err := Parse("p.md", "en", "p.md", []byte(src), nil)
		if err == nil {
			t.Errorf("Parse(%q) = nil error", src)
			continue
		}
		assertUserTerms(t, err)
		if !utf8Valid(err.Error()) {
			t.Errorf("Parse(%q) error %q is not valid UTF-8", src, err)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestTitles(t *testing.T) {
	md := markdown.New(markdown.Options{})
	for _, tc := range []struct {
		rel, src, title, from, warn string
	}{
		{"privacy.md", "---\ntitle: T\n---\n## A\n", "T", "", ""},
		{"privacy.md", "# Privacy *policy*\n\nText.\n", "Privacy policy", TitleHeading, ""},
		{"privacy.md", "Intro.\n\n## First <em>part</em>\n", "First part", TitleHeading, "page without a title"},
		{"privacy.md", "### Deep\n", "Deep", TitleHeading, "page without a title"},
		{"legal/cookie-notice.md", "Only text.\n", "cookie-notice", TitleFileName, "page without a title or heading"},
		{"_index.md", "", "", "", ""},
		{"_index.md", "# Willkommen\n", "Willkommen", TitleHeading, ""},
		{"index.md", "Intro.\n\n## Later\n", "", "", ""},
		{"legal/_index.md", "Text.\n", "legal", TitleFileName, "page without a title or heading"},
		{"legal/_index.md", "", "", "", "page without a title or text"},
		{"_index.md", "---\ndescription: D\n---\n", "", "", ""},
		{"de.md", "---\nextends: true\n---\n## Rechte {#rights}\n", "", "", ""},
	} {
		f, err := Parse("p.md", "en", tc.rel, []byte(tc.src), md)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.src, err)
		}
		var warn string
		if len(f.Warnings) > 0 {
			warn = f.Warnings[0].Kind
		}
		if f.Meta.Title != tc.title || f.Meta.TitleFrom != tc.from || warn != tc.warn {
			t.Errorf("Parse(%q) title %q from %q warning %q; want %q, %q, %q", tc.src, f.Meta.Title, f.Meta.TitleFrom, warn, tc.title, tc.from, tc.warn)
		}
	}
}

func TestPublishedAt(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	d := func(s string) Date { t, _ := time.Parse("2006-01-02", s); return Date{t} }
	for _, tc := range []struct {
		m    Meta
		want bool
	}{
		{Meta{}, true},
		{Meta{Draft: true}, false},
		{Meta{PublishDate: d("2026-05-31")}, true},
		{Meta{PublishDate: d("2026-06-02")}, false},
		{Meta{ExpiryDate: d("2026-06-01")}, false},
		{Meta{ExpiryDate: d("2026-06-02")}, true},
	} {
		if got := tc.m.PublishedAt(now); got != tc.want {
			t.Errorf("PublishedAt(%+v) = %v; want %v", tc.m, got, tc.want)
		}
	}
}
