package markdown

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
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
}

type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(docKey).(*docState)
	if st == nil {
		return
	}
	var autolinks []*ast.AutoLink
	defer func() {
		// An autolink with a script URL becomes its plain text; replacing
		// nodes waits until the walk is done.
		for _, n := range autolinks {
			n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(reader.Source())))
		}
	}()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch n := n.(type) {
		case *ast.Link:
			dest = &n.Destination
		case *ast.Image:
			dest = &n.Destination
		case *ast.AutoLink:
			if Dangerous(string(n.URL(reader.Source()))) {
				autolinks = append(autolinks, n)
			}
			return ast.WalkContinue, nil
		case *ast.RawHTML, *ast.HTMLBlock:
			// Raw HTML reaches the page only when the site allows it;
			// even then a script URL in it is refused.
			if st.unsafe {
				if u := dangerousHTML(rawText(n, reader.Source())); u != "" {
					st.res.Problems = append(st.res.Problems, Problem{Offset: nodeOffset(n), Err: fmt.Errorf("raw HTML links to %q, which runs script; remove it", u)})
				}
			}
			return ast.WalkContinue, nil
		default:
			return ast.WalkContinue, nil
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
	switch {
	case strings.HasPrefix(d, "javascript:"), strings.HasPrefix(d, "vbscript:"):
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

// dangerousHTML returns the first script URL in an attribute of raw
// HTML, or "".
func dangerousHTML(raw string) string {
	z := html.NewTokenizer(strings.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite", "ping":
					if Dangerous(string(v)) {
						return string(v)
					}
				}
				if !more {
					break
				}
			}
		}
	}
}
