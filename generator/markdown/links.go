package markdown

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"

	"policysite/generator/diag"
)

// prioLinks runs before sections; the order between the two does not
// matter, but a fixed one keeps output stable.
const prioLinks = 900

// pageLinks rewrites the links and images of a document that stay on
// the site (.md paths, URLs of pages, files beside the page) to the URLs
// RenderOptions.Resolve gives, and removes script-bearing link schemes
// even when raw HTML is allowed.
type pageLinks struct{}

func (pageLinks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(linkTransformer{}, prioLinks)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(sanitizedRenderer{}, prioLinks)))
}

type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(docKey).(*docState)
	if st == nil {
		return
	}
	src := reader.Source()
	var autolinks []*ast.AutoLink
	var raws, unsafeLinks []ast.Node
	defer func() {
		// An autolink with a script URL becomes its plain text, and raw
		// HTML its sanitized form; replacing nodes waits until the walk
		// is done.
		for _, n := range autolinks {
			n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(src)))
		}
		for _, n := range raws {
			if n.Parent() != nil { // not removed with a script's text
				st.sanitize(n)
			}
		}
		for _, n := range unsafeLinks {
			raw := rawText(n, src)
			if out := st.pageLinks(raw, rawOffset(n)); out != raw {
				replaceRaw(n, out)
			}
		}
	}()
	// expanded counts the bytes of link destinations and titles, which
	// exceed the source's size only through link references.
	expanded, budget := 0, st.limits.LinkExpansion+len(src)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch n := n.(type) {
		case *ast.Link:
			dest = &n.Destination
			expanded += len(n.Destination) + len(n.Title)
		case *ast.Image:
			dest = &n.Destination
			expanded += len(n.Destination) + len(n.Title)
		case *ast.AutoLink:
			if Dangerous(string(n.URL(src))) {
				autolinks = append(autolinks, n)
			}
			return ast.WalkContinue, nil
		case *ast.RawHTML, *ast.HTMLBlock:
			// Raw HTML reaches the page as written only when the site
			// allows it; even then a script URL in it is refused.
			// Otherwise it is sanitized.
			if st.unsafe {
				raw := rawText(n, src)
				if u := dangerousHTML(raw); u != "" {
					st.res.Problems = append(st.res.Problems, Problem{Offset: rawOffset(n), Err: fmt.Errorf("raw HTML %s, which runs script; remove it", u)})
				}
				_, ids := htmlItems(raw)
				st.res.IDs = append(st.res.IDs, ids...)
				if strings.Contains(raw, ".md") {
					unsafeLinks = append(unsafeLinks, n)
				}
			} else {
				raws = append(raws, n)
			}
			return ast.WalkContinue, nil
		default:
			return ast.WalkContinue, nil
		}
		if expanded > budget {
			st.stop = &LimitError{Offset: lineStart(src, nodeOffset(n)), What: "a page whose link references expand to more than " + diag.Count(budget>>20) + " MiB of URLs and titles",
				Limit: diag.Count(st.limits.LinkExpansion>>20) + " MiB beyond the page's own size", Fix: "use each long reference definition less often, or shorten it"}
			return ast.WalkStop, nil
		}
		d := string(*dest)
		if Dangerous(d) {
			*dest = nil
			return ast.WalkContinue, nil
		}
		_, image := n.(*ast.Image)
		off := nodeOffset(n)
		switch {
		case d == "" || IsExternal(d):
		case strings.HasPrefix(d, "#"):
			if !image {
				st.res.Links = append(st.res.Links, Link{Offset: off, Dest: d, URL: d})
			}
		case st.opts.Resolve != nil:
			u, err := st.opts.Resolve(d)
			if err != nil {
				st.res.Problems = append(st.res.Problems, Problem{Offset: off, Err: err})
				return ast.WalkContinue, nil
			}
			*dest = []byte(u)
			st.res.Links = append(st.res.Links, Link{Offset: off, Dest: d, URL: u, Image: image})
		}
		return ast.WalkContinue, nil
	})
}

// IsExternal reports whether dest leaves the site: it has a scheme
// (https:, mailto:) or a host (//cdn.example.com/x).
func IsExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	for i := 0; i < len(dest); i++ {
		switch c := dest[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0:
			return true
		default:
			return false
		}
	}
	return false
}

// IsPageLink reports whether dest is a relative link to a Markdown page.
func IsPageLink(dest string) bool {
	if path, _, ok := splitPlain(dest); ok {
		return !strings.HasPrefix(path, "/") && strings.HasSuffix(path, ".md")
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return false
	}
	return strings.HasSuffix(u.Path, ".md")
}

// SplitPageLink splits a page link into its .md path and fragment.
func SplitPageLink(dest string) (path, fragment string, err error) {
	if path, fragment, ok := splitPlain(dest); ok {
		return path, fragment, nil
	}
	u, err := url.Parse(dest)
	if err != nil {
		return "", "", err
	}
	if u.RawQuery != "" {
		return "", "", errors.New("a link to a page cannot carry a query string")
	}
	return u.Path, u.Fragment, nil
}

// splitPlain splits dest as url.Parse would, without its allocations,
// when dest is a plain relative path with at most a fragment: only
// letters, digits and "-._~/" before one '#' (no scheme, host, query or
// escapes). Every page link is resolved once per locale showing it, so
// this is on the path of every page. ok is false for anything else.
func splitPlain(dest string) (path, fragment string, ok bool) {
	if strings.HasPrefix(dest, "//") {
		return "", "", false
	}
	path, fragment, _ = strings.Cut(dest, "#")
	for _, s := range []string{path, fragment} {
		for i := range len(s) {
			switch c := s[i]; {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
				c == '-', c == '.', c == '_', c == '~', c == '/':
			default:
				return "", "", false
			}
		}
	}
	return path, fragment, true
}

// Dangerous reports whether a link destination can run script:
// javascript:, vbscript:, and data: other than raster images.
func Dangerous(dest string) bool {
	d := strings.ToLower(strings.Map(func(r rune) rune {
		// Browsers ignore ASCII whitespace and control characters
		// inside a scheme ("java\tscript:").
		if r <= ' ' {
			return -1
		}
		return r
	}, dest))
	scheme, _, hasScheme := strings.Cut(d, ":")
	switch {
	case hasScheme && isScheme(scheme) && (strings.Contains(scheme, "script") || scheme == "mocha"):
		// javascript:, vbscript:, and the schemes old browsers ran
		// scripts with (livescript:, mocha:); a link to any other
		// scheme named like one is refused too rather than guessed at.
		return true
	case strings.HasPrefix(d, "data:"):
		for _, ok := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if strings.HasPrefix(d, ok) {
				return false
			}
		}
		return true
	}
	// Character references and percent escapes can hide a scheme
	// (&#106;avascript:).
	if u := html.UnescapeString(d); u != d {
		return Dangerous(u)
	}
	if u, err := url.PathUnescape(d); err == nil && u != d {
		return Dangerous(u)
	}
	return false
}

// replaceRaw replaces raw HTML node n by html, written as it is.
func replaceRaw(n ast.Node, html string) {
	if n.Type() == ast.TypeBlock {
		n.Parent().ReplaceChild(n.Parent(), n, &sanitizedBlock{html: []byte(html)})
		return
	}
	n.Parent().ReplaceChild(n.Parent(), n, &sanitizedHTML{html: []byte(html)})
}

// pageLinks rewrites the href of each <a> in a fragment of raw HTML that
// links to a page as a relative .md path, as Markdown links are, and
// records it for fragment checks; a link to a missing page is a
// problem at offset at. The attribute is found as the sanitizer and
// authors write it, href="…" with the value HTML-escaped.
func (st *docState) pageLinks(frag string, at int) string {
	if st.opts.Resolve == nil {
		return frag
	}
	z := html.NewTokenizer(strings.NewReader(frag))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return frag
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) != "a" {
				continue
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				d := string(v)
				if string(k) != "href" || !IsPageLink(d) {
					continue
				}
				u, err := st.opts.Resolve(d)
				if err != nil {
					st.res.Problems = append(st.res.Problems, Problem{Offset: at, Err: err})
					continue
				}
				st.res.Links = append(st.res.Links, Link{Offset: at, Dest: d, URL: u})
				old := `href="` + html.EscapeString(d) + `"`
				frag = strings.Replace(frag, old, `href="`+html.EscapeString(u)+`"`, 1)
			}
		}
	}
}

// dropScriptText removes the text of an inline <script> or <style>
// element, which goldmark parses as Markdown text between two raw tags,
// up to its closing tag; without that the sanitizer would drop the tags
// and leave the code on the page as text. Nothing is removed when the
// closing tag is not in the same paragraph.
func dropScriptText(n ast.Node, src []byte) {
	name, closing := tagName(rawText(n, src))
	if closing || (name != "script" && name != "style") {
		return
	}
	var between []ast.Node
	for c := n.NextSibling(); c != nil; c = c.NextSibling() {
		between = append(between, c)
		if r, ok := c.(*ast.RawHTML); ok {
			if cn, cl := tagName(rawText(r, src)); cn == name && cl {
				for _, b := range between {
					b.Parent().RemoveChild(b.Parent(), b)
				}
				return
			}
		}
	}
}

// sanitized is the result of sanitize for one fragment.
type sanitized struct {
	out       string
	gone, ids []string
}

// balance keeps a lone closing tag of inline raw HTML ("</a>") only
// when the same paragraph kept its opening tag: the sanitizer sees one
// tag at a time, and would keep the "</a>" of an "<a href=javascript:…>"
// it removed.
func (st *docState) balance(parent ast.Node, raw, out string) string {
	if st.open == nil {
		st.open = map[ast.Node]map[string]int{}
	}
	open := st.open[parent]
	if open == nil {
		open = map[string]int{}
		st.open[parent] = open
	}
	// Inline raw HTML is one tag; a comment or declaration is left as
	// it is.
	name, closing := tagName(out)
	switch {
	case name == "":
	case !closing:
		open[name]++
	case open[name] == 0:
		return ""
	default:
		open[name]--
	}
	return out
}

// tagName returns the lowercased name of the tag that s starts with,
// and whether it is a closing tag, or "".
func tagName(s string) (name string, closing bool) {
	s, ok := strings.CutPrefix(s, "<")
	if !ok {
		return "", false
	}
	s, closing = strings.CutPrefix(s, "/")
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return strings.ToLower(s[:i]), closing
}

// rawOffset returns where raw HTML node n starts in the source.
func rawOffset(n ast.Node) int {
	if r, ok := n.(*ast.RawHTML); ok && r.Segments.Len() > 0 {
		return r.Segments.At(0).Start
	}
	return nodeOffset(n)
}

// rawText returns the source of a raw HTML node.
func rawText(n ast.Node, src []byte) string {
	var b strings.Builder
	switch n := n.(type) {
	case *ast.RawHTML:
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			b.Write(seg.Value(src))
		}
	case *ast.HTMLBlock:
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			b.Write(seg.Value(src))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(src))
		}
	}
	return b.String()
}

// dangerousHTML describes the first script URL in raw HTML ("links to
// \"javascript:x\""), or returns "". It looks in URL attributes, in
// srcset lists, in the HTML of an iframe's srcdoc, in a meta refresh's
// target and in the values an SVG <animate> or <set> gives an
// attribute.
func dangerousHTML(raw string) string {
	return dangerousHTMLDepth(raw, 0)
}

func dangerousHTMLDepth(raw string, depth int) string {
	z := html.NewTokenizer(strings.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := strings.ToLower(string(name))
			attrs := map[string]string{}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			if u := dangerousAttrs(tag, attrs, depth); u != "" {
				return u
			}
		}
	}
}

func dangerousAttrs(tag string, attrs map[string]string, depth int) string {
	for k, v := range attrs {
		switch k {
		case "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "ping", "codebase", "dynsrc", "lowsrc":
			if Dangerous(v) {
				return fmt.Sprintf("links to %q", v)
			}
		case "srcset", "imagesrcset":
			for c := range strings.SplitSeq(v, ",") {
				if Dangerous(strings.TrimSpace(c)) {
					return fmt.Sprintf("links to %q", v)
				}
			}
		case "srcdoc":
			// srcdoc is a document of its own: any script in it runs.
			if depth > 4 {
				return "nests srcdoc documents too deeply"
			}
			if u := dangerousHTMLDepth(v, depth+1); u != "" {
				return "has a srcdoc that " + u
			}
			if scriptInHTML(v) {
				return "has a srcdoc with a script or an event handler"
			}
		}
	}
	switch tag {
	case "meta":
		if strings.EqualFold(strings.TrimSpace(attrs["http-equiv"]), "refresh") {
			c := attrs["content"]
			if i := indexFold(c, "url"); i >= 0 {
				u := strings.TrimLeft(c[i+3:], " \t\n=")
				u = strings.Trim(u, "'\" ")
				if Dangerous(u) {
					return fmt.Sprintf("refreshes to %q", u)
				}
			}
		}
	case "animate", "set", "animatemotion", "animatetransform":
		for _, k := range []string{"to", "from", "by", "values"} {
			for part := range strings.SplitSeq(attrs[k], ";") {
				if Dangerous(strings.TrimSpace(part)) {
					return fmt.Sprintf("animates an attribute to %q", attrs[k])
				}
			}
		}
	}
	return ""
}

// scriptInHTML reports whether raw has a script element or an on*
// event handler attribute.
func scriptInHTML(raw string) bool {
	z := html.NewTokenizer(strings.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if strings.EqualFold(string(name), "script") {
				return true
			}
			for more {
				var k []byte
				k, _, more = z.TagAttr()
				if len(k) > 2 && strings.EqualFold(string(k[:2]), "on") {
					return true
				}
			}
		}
	}
}

// sanitize replaces raw HTML node n with its sanitized form, records
// the ids it keeps as link targets and warns about what was removed.
func (st *docState) sanitize(n ast.Node) {
	raw := rawText(n, st.src)
	at := rawOffset(n)
	// A page repeats the same tags; each distinct one is sanitized once.
	if st.sanitized == nil {
		st.sanitized = map[string]sanitized{}
	}
	s, ok := st.sanitized[raw]
	if !ok && len(st.sanitized) >= st.limits.RawHTML {
		if st.stop == nil {
			st.stop = &LimitError{Offset: lineStart(st.src, at), What: "a page with more than " + diag.Count(st.limits.RawHTML) + " different raw HTML tags",
				Limit: diag.Count(st.limits.RawHTML), Fix: "write the page in Markdown, split it, or set markdown.unsafe = true in site.toml"}
		}
		return
	}
	if !ok {
		s.out, s.gone, s.ids = sanitize(st.policy, raw)
		st.sanitized[raw] = s
	}
	out, gone, ids := s.out, s.gone, s.ids
	if strings.Contains(out, ".md") {
		out = st.pageLinks(out, at)
	}
	if n.Type() != ast.TypeBlock {
		dropScriptText(n, st.src)
	}
	if n.Type() != ast.TypeBlock {
		out = st.balance(n.Parent(), raw, out)
	}
	st.res.IDs = append(st.res.IDs, ids...)
	if n.Type() == ast.TypeBlock && strings.TrimSpace(out) == "" {
		n.Parent().RemoveChild(n.Parent(), n)
	} else {
		replaceRaw(n, out)
	}
	var what []string
	for _, g := range gone {
		// An attribute of a removed element is not named again.
		if _, tag, ok := strings.Cut(g, " on "); ok && slices.Contains(gone, tag) {
			continue
		}
		what = append(what, g)
	}
	if len(what) > 0 {
		st.warn(at, "unsafe raw HTML removed", strings.Join(what, ", "),
			"scripts, event handlers, styles, frames, forms and script URLs are removed; set markdown.unsafe = true to keep raw HTML as written")
	}
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}
