package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// prioTableAlign runs after goldmark's table transformer (0), which
// makes the cells whose alignment this reads.
const prioTableAlign = 50

// tables is GFM tables whose column alignment (|:--|, |--:|, |:-:|) is a
// class, align-left, align-center or align-right, that the theme's
// stylesheet aligns: goldmark's default, a style attribute, is inline
// style, which the pages' Content-Security-Policy forbids.
type tables struct{}

func (tables) Extend(m goldmark.Markdown) {
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)).Extend(m)
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(tableAlign{}, prioTableAlign)))
}

type tableAlign struct{}

func (tableAlign) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*extast.TableCell); ok && entering && c.Alignment != extast.AlignNone {
			c.SetAttributeString("class", []byte("align-"+c.Alignment.String()))
		}
		return ast.WalkContinue, nil
	})
}
