package markdown

import (
	"errors"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// prioLinks runs before sections; the order between the two does not
// matter, but a fixed one keeps output stable.
const prioLinks = 900

// pageLinks rewrites links to other pages, written as relative .md
// paths, to their URLs, and removes script-bearing link schemes even
// when raw HTML is allowed.
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
		default:
			return ast.WalkContinue, nil
		}
		d := string(*dest)
		if Dangerous(d) {
			*dest = nil
			return ast.WalkContinue, nil
		}
		if _, isLink := n.(*ast.Link); !isLink {
			return ast.WalkContinue, nil
		}
		off := nodeOffset(n)
		switch {
		case strings.HasPrefix(d, "#"):
			st.res.Links = append(st.res.Links, Link{Offset: off, Dest: d, URL: d})
		case IsPageLink(d) && st.opts.Resolve != nil:
			u, err := st.opts.Resolve(d)
			if err != nil {
				st.res.Problems = append(st.res.Problems, Problem{Offset: off, Err: err})
				return ast.WalkContinue, nil
			}
			*dest = []byte(u)
			st.res.Links = append(st.res.Links, Link{Offset: off, Dest: d, URL: u})
		}
		return ast.WalkContinue, nil
	})
}

// IsPageLink reports whether dest is a relative link to a Markdown page.
func IsPageLink(dest string) bool {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return false
	}
	return strings.HasSuffix(u.Path, ".md")
}

// SplitPageLink splits a page link into its .md path and fragment.
func SplitPageLink(dest string) (path, fragment string, err error) {
	u, err := url.Parse(dest)
	if err != nil {
		return "", "", err
	}
	if u.RawQuery != "" {
		return "", "", errors.New("a link to a page cannot carry a query string")
	}
	return u.Path, u.Fragment, nil
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
	// Character references can hide a scheme (&#106;avascript:).
	if u, err := url.PathUnescape(d); err == nil && u != d {
		return Dangerous(u)
	}
	return false
}
