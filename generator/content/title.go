package content

import (
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gmtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// inline parses the Markdown of one heading's text. It is used only for
// pages whose front matter has no title.
var inline = goldmark.New().Parser()

// headingText returns the text a reader sees of a heading written as
// Markdown: without emphasis marks, link targets, code ticks or raw
// HTML tags, with escapes and character references resolved.
func headingText(src string) string {
	b := []byte(src)
	doc := inline.Parse(gmtext.NewReader(b))
	var out strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			out.WriteString(html.UnescapeString(string(util.UnescapePunctuations(n.Segment.Value(b)))))
			if n.SoftLineBreak() || n.HardLineBreak() {
				out.WriteByte(' ')
			}
		case *ast.String:
			out.Write(n.Value)
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(out.String()), " ")
}
