package markdown

import (
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// newPolicy returns the bluemonday policy that raw HTML in Markdown is
// sanitized with unless the site sets markdown.unsafe: the elements and
// attributes of document text (tables, lists, <details>, <sup>, <a id>,
// <span class>, …), http, https, mailto and tel URLs and relative ones.
// Scripts, styles, frames, forms, event handlers, style attributes
// (which a strict Content-Security-Policy would refuse) and other URL
// schemes are removed. A policy is safe for concurrent use.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
		"caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div",
		"dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "picture",
		"pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong",
		"sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
		"u", "ul", "var", "wbr",
	)
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[^\s"'<>&]+$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[\pL\pN\s_-]+$`)).Globally()
	p.AllowAttrs("title", "lang", "dir").Globally()
	p.AllowAttrs("href", "name", "hreflang", "rel").OnElements("a")
	p.AllowAttrs("src", "alt", "width", "height", "loading").OnElements("img")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowAttrs("open").OnElements("details")
	p.AllowAttrs("start", "reversed", "type").OnElements("ol")
	p.AllowAttrs("value").OnElements("li")
	p.AllowAttrs("colspan", "rowspan", "headers", "scope", "abbr").OnElements("td", "th")
	p.AllowAttrs("span").OnElements("col", "colgroup")
	p.AllowAttrs("align").OnElements("td", "th", "tr", "p", "div", "table")
	p.AllowDataAttributes()
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.RequireNoFollowOnLinks(false)
	return p
}

// sanitizedHTML is raw HTML after sanitizing, written as it is.
type sanitizedHTML struct {
	ast.BaseInline
	html []byte
}

var kindSanitizedHTML = ast.NewNodeKind("SanitizedHTML")

func (n *sanitizedHTML) Kind() ast.NodeKind { return kindSanitizedHTML }

func (n *sanitizedHTML) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": string(n.html)}, nil)
}

// sanitizedBlock is an HTML block after sanitizing.
type sanitizedBlock struct {
	ast.BaseBlock
	html []byte
}

func (n *sanitizedBlock) Kind() ast.NodeKind { return kindSanitizedHTML }

func (n *sanitizedBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": string(n.html)}, nil)
}

type sanitizedRenderer struct{}

func (sanitizedRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindSanitizedHTML, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *sanitizedHTML:
			_, _ = w.Write(n.html)
		case *sanitizedBlock:
			_, _ = w.Write(n.html)
			if len(n.html) > 0 && n.html[len(n.html)-1] != '\n' {
				_ = w.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
}

// htmlItems lists the start tags ("<script>") and attributes
// ("onclick on <div>") of a fragment of HTML, and its id attributes and
// <a name>s.
func htmlItems(raw string) (items, ids []string) {
	z := html.NewTokenizer(strings.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return items, ids
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			items = append(items, "<"+tag+">")
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				items = append(items, string(k)+" on <"+tag+">")
				if string(k) == "id" || tag == "a" && string(k) == "name" {
					ids = append(ids, string(v))
				}
			}
		}
	}
}

// removed returns the items of before that after lacks, each once, in
// the order of before.
func removed(before, after []string) []string {
	left := map[string]int{}
	for _, s := range after {
		left[s]++
	}
	var out []string
	for _, s := range before {
		if left[s] > 0 {
			left[s]--
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// plainTags are the elements whose tags the sanitizer keeps as they
// are when they have no attributes: "<b>", "</td>" and "<br/>" are
// most of the raw HTML in Markdown, and need no sanitizer.
var plainTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`abbr b bdi blockquote br caption cite code col colgroup dd del details dfn div dl dt em
		figcaption figure hr i ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead
		time tr u ul var wbr`) {
		plainTags[t] = true
	}
}

// plainTag reports whether raw is one tag of a plainTags element
// without attributes: "<b>", "</b>", "<br>" or "<br/>".
func plainTag(raw string) bool {
	s, ok := strings.CutPrefix(raw, "<")
	if !ok {
		return false
	}
	s = strings.TrimPrefix(s, "/")
	s, ok = strings.CutSuffix(s, ">")
	if !ok {
		return false
	}
	s = strings.TrimSuffix(s, "/")
	return plainTags[s]
}

// sanitize sanitizes one fragment of raw HTML. It returns the HTML to
// write, what was removed and the link targets (ids) that remain.
func sanitize(p *bluemonday.Policy, raw string) (out string, gone, ids []string) {
	if plainTag(raw) {
		return raw, nil, nil
	}
	out = p.Sanitize(raw)
	before, _ := htmlItems(raw)
	// Python-Markdown's md_in_html "markdown" attribute is an
	// instruction to the converter, not content: removing it is not
	// worth a warning.
	before = slices.DeleteFunc(before, func(s string) bool { return strings.HasPrefix(s, "markdown on <") })
	after, ids := htmlItems(out)
	return out, removed(before, after), ids
}
