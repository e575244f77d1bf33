package generator_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

// outputPage is one parsed HTML file of a build.
type outputPage struct {
	file       string
	url        string // absolute
	lang       string
	canonical  string
	robots     string
	title      string
	charset    bool
	viewport   bool
	alternates map[string]string // hreflang → href
	hrefs      []string          // a[href], link[href] except alternates, script/img[src]
	ids        map[string]bool
}

// readOutput parses every HTML file below dir, served at baseURL.
func readOutput(t *testing.T, dir, baseURL string) map[string]*outputPage {
	t.Helper()
	pages := map[string]*outputPage{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		u := baseURL + strings.TrimSuffix(rel, "index.html")
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pg, err := parsePage(data)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		pg.file, pg.url = rel, u
		pages[u] = pg
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func parsePage(data []byte) (*outputPage, error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	pg := &outputPage{alternates: map[string]string{}, ids: map[string]bool{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			if id, ok := a["id"]; ok {
				pg.ids[id] = true
			}
			switch n.Data {
			case "html":
				pg.lang = a["lang"]
			case "meta":
				if _, ok := a["charset"]; ok {
					pg.charset = true
				}
				switch a["name"] {
				case "viewport":
					pg.viewport = true
				case "robots":
					pg.robots = a["content"]
				}
			case "title":
				if n.FirstChild != nil {
					pg.title = n.FirstChild.Data
				}
			case "link":
				switch a["rel"] {
				case "canonical":
					pg.canonical = a["href"]
				case "alternate":
					if h, ok := a["hreflang"]; ok {
						if _, dup := pg.alternates[h]; dup {
							pg.alternates[h] = "DUPLICATE"
						} else {
							pg.alternates[h] = a["href"]
						}
					}
				default:
					pg.hrefs = append(pg.hrefs, a["href"])
				}
			case "a":
				if h, ok := a["href"]; ok {
					pg.hrefs = append(pg.hrefs, h)
				}
			case "script", "img":
				if s, ok := a["src"]; ok {
					pg.hrefs = append(pg.hrefs, s)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return pg, nil
}

// checkSite runs an hreflang validator and an internal link checker over
// a build, the checks search engines and operators care about.
func checkSite(t *testing.T, dir, baseURL string) {
	t.Helper()
	pages := readOutput(t, dir, baseURL)
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	base, _ := url.Parse(baseURL)
	xDefault := ""
	for u, pg := range pages {
		if !pg.charset || !pg.viewport || strings.TrimSpace(pg.title) == "" {
			bad("%s: missing charset, viewport or title", pg.file)
		}
		if pg.lang == "" {
			bad("%s: <html> has no lang", pg.file)
		}
		indexable := !strings.Contains(pg.robots, "noindex")
		if strings.Contains(u, "/versions/") && (indexable || pg.canonical != u) {
			bad("%s: a version's page must be noindex with a canonical link to itself", pg.file)
		}
		if indexable && pg.canonical != u {
			bad("%s: canonical %q, want self %q", pg.file, pg.canonical, u)
		}
		if len(pg.alternates) > 0 {
			if !indexable {
				bad("%s: noindex page has hreflang links", pg.file)
			}
			self := false
			for h, href := range pg.alternates {
				if href == "DUPLICATE" {
					bad("%s: hreflang %s appears twice", pg.file, h)
					continue
				}
				if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
					bad("%s: hreflang %s href %q is not absolute", pg.file, h, href)
				}
				if h == "x-default" {
					if xDefault == "" && strings.HasSuffix(pg.file, "privacy/index.html") {
						xDefault = href
					}
				} else if _, err := language.Parse(h); err != nil {
					bad("%s: invalid hreflang %q", pg.file, h)
				}
				if href == u {
					self = true
					if h != "x-default" && h != pg.lang {
						bad("%s: hreflang %q for itself but html lang %q", pg.file, h, pg.lang)
					}
				}
				target, ok := pages[href]
				if !ok {
					bad("%s: hreflang %s → %s: no such page", pg.file, h, href)
					continue
				}
				if !mapsEqual(target.alternates, pg.alternates) {
					bad("%s: hreflang cluster differs from that of %s (no return links)", pg.file, target.file)
				}
			}
			if !self {
				bad("%s: hreflang cluster has no self-reference", pg.file)
			}
			if _, ok := pg.alternates["x-default"]; !ok {
				bad("%s: hreflang cluster has no x-default", pg.file)
			}
		}
		for _, h := range pg.hrefs {
			checkLink(pages, base, pg, h, dir, bad)
		}
	}
	checkSitemap(t, dir, pages, bad)
	feeds, _ := filepath.Glob(filepath.Join(dir, "*", "changes.atom"))
	for _, f := range feeds {
		validateAtom(t, f)
	}
	slices.Sort(problems)
	if len(problems) > 20 {
		problems = append(problems[:20], fmt.Sprintf("… and %d more", len(problems)-20))
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func checkLink(pages map[string]*outputPage, base *url.URL, pg *outputPage, href, dir string, bad func(string, ...any)) {
	from, _ := url.Parse(pg.url)
	u, err := from.Parse(href)
	if err != nil {
		bad("%s: bad link %q", pg.file, href)
		return
	}
	if u.Host != base.Host || !strings.HasPrefix(u.Path, base.Path) {
		return // external
	}
	frag := u.Fragment
	u.Fragment = ""
	target := pages[u.String()]
	if target == nil {
		rel := strings.TrimPrefix(u.Path, base.Path)
		if rel == "" || strings.HasSuffix(rel, "/") {
			bad("%s: link %q: no page", pg.file, href)
			return
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path.Clean(rel)))); err != nil {
			bad("%s: link %q: no file", pg.file, href)
		}
		return
	}
	if frag != "" && !target.ids[frag] {
		bad("%s: link %q: target has no #%s", pg.file, href, frag)
	}
}

type sitemapDoc struct {
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

func checkSitemap(t *testing.T, dir string, pages map[string]*outputPage, bad func(string, ...any)) {
	data, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var sm sitemapDoc
	if err := xml.Unmarshal(data, &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	inSitemap := map[string]bool{}
	for _, u := range sm.URLs {
		inSitemap[u.Loc] = true
		pg, ok := pages[u.Loc]
		if !ok {
			bad("sitemap: %s: no such page", u.Loc)
			continue
		}
		if strings.Contains(pg.robots, "noindex") {
			bad("sitemap: %s is noindex", u.Loc)
		}
		alts := map[string]string{}
		for _, l := range u.Links {
			alts[l.Hreflang] = l.Href
		}
		if !mapsEqual(alts, pg.alternates) {
			bad("sitemap: %s: alternates differ from the page's", u.Loc)
		}
	}
	for u, pg := range pages {
		if !strings.Contains(pg.robots, "noindex") && !inSitemap[u] {
			bad("sitemap: indexable page %s is missing", pg.file)
		}
	}
}
