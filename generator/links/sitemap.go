package links

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"

	"policysite/generator/content"
)

// MaxSitemapURLs is the protocol's limit of URLs in one sitemap file.
const MaxSitemapURLs = 50000

// A File is an output file produced here.
type File struct {
	Path string
	Data []byte
}

type sitemapURL struct {
	loc string
	// lastmod is the page's lastmod (else date) as YYYY-MM-DD, or "".
	lastmod string
	// links are the <xhtml:link> elements of the URL's hreflang
	// cluster, written once per translation key and shared by every
	// locale's URL of that key.
	links []byte
}

// Sitemaps returns sitemap.xml: a urlset of every indexable page with
// its lastmod and xhtml:link alternates identical to the page's own
// hreflang links, or,
// past max URLs, a sitemap index over sitemap-1.xml, sitemap-2.xml, …
func (l *Links) Sitemaps(max int) []File {
	if max <= 0 {
		max = MaxSitemapURLs
	}
	var urls []sitemapURL
	urls = append(urls, sitemapURL{loc: l.Abs(l.Root()), links: linkElements(l.Alternates(content.HomeKey))})
	for _, key := range l.site.Keys {
		links := linkElements(l.Alternates(key))
		for _, loc := range l.locs.Published() {
			p, ok := l.site.Pages[loc.Tag][key]
			if !ok || !Indexable(p) {
				continue
			}
			urls = append(urls, sitemapURL{loc: l.Abs(l.paths[loc.Tag][key]), lastmod: lastmod(p.Doc.Meta), links: links})
		}
	}
	slices.SortStableFunc(urls, func(a, b sitemapURL) int {
		switch {
		case a.loc < b.loc:
			return -1
		case a.loc > b.loc:
			return 1
		}
		return 0
	})
	if len(urls) <= max {
		return []File{{Path: "sitemap.xml", Data: urlset(urls)}}
	}
	var files []File
	var index bytes.Buffer
	index.WriteString(xml.Header)
	index.WriteString(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 0; i*max < len(urls); i++ {
		part := urls[i*max : min((i+1)*max, len(urls))]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		files = append(files, File{Path: name, Data: urlset(part)})
		fmt.Fprintf(&index, "  <sitemap><loc>%s</loc></sitemap>\n", escape(l.Abs(l.Path(name))))
	}
	index.WriteString("</sitemapindex>\n")
	return append([]File{{Path: "sitemap.xml", Data: index.Bytes()}}, files...)
}

// lastmod returns the date a sitemap gives for a page: its lastmod,
// else its date, in the W3C form YYYY-MM-DD; "" when it has neither.
func lastmod(m content.Meta) string {
	t := m.Lastmod.Time
	if t.IsZero() {
		t = m.Date.Time
	}
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// linkElements returns the <xhtml:link> elements of an hreflang cluster.
func linkElements(alts []Alternate) []byte {
	var b bytes.Buffer
	for _, a := range alts {
		fmt.Fprintf(&b, "    <xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"%s\"/>\n", escape(a.Hreflang), escape(a.URL))
	}
	return b.Bytes()
}

func urlset(urls []sitemapURL) []byte {
	var b bytes.Buffer
	size := 0
	for _, u := range urls {
		size += len(u.loc) + len(u.links) + 40
	}
	b.Grow(size + 256)
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url>\n    <loc>")
		b.WriteString(escape(u.loc))
		b.WriteString("</loc>\n")
		if u.lastmod != "" {
			b.WriteString("    <lastmod>" + u.lastmod + "</lastmod>\n")
		}
		b.Write(u.links)
		b.WriteString("  </url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Robots returns robots.txt, which allows everything and names the sitemap.
func (l *Links) Robots() File {
	return File{Path: "robots.txt", Data: []byte("User-agent: *\nAllow: /\n\nSitemap: " + l.Abs(l.Path("sitemap.xml")) + "\n")}
}
