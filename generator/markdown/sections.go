package markdown

import (
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// prioSections runs after goldmark's own transformers (tables at 0,
// footnotes at 999) so it sees the final heading list.
const prioSections = 1000

// headingAttrs are the attributes an author may set on a heading.
// Others ({style=…}, {onclick=…}, {after=…}) are dropped: style would
// break a strict Content-Security-Policy, handlers are unsafe, and
// after/before only steer section overrides.
var headingAttrs = map[string]bool{"id": true, "class": true, "lang": true, "dir": true}

// sections extracts the title H1, numbers H2/H3 headings, builds the
// table of contents and cleans heading attributes.
type sections struct{}

func (sections) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(sectionTransformer{}, prioSections)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(sectionNumberRenderer{}, prioSections)))
}

type sectionTransformer struct{}

func (sectionTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(docKey).(*docState)
	if st == nil {
		return
	}
	src := reader.Source()
	if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
		st.res.Title = plainText(h, src)
		doc.RemoveChild(doc, h)
		// The title is shown by the layout, at the top of the page,
		// where a link to the heading's ID leads (authors of other
		// tools' content link to it in tables of contents).
		if v, ok := h.AttributeString("id"); ok {
			st.res.IDs = append(st.res.IDs, attrString(v))
		}
	}
	number := st.opts.Number != nil && *st.opts.Number
	if st.opts.Number == nil {
		count := 0
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
				count++
			}
		}
		number = count >= AutoNumberMin
	}
	st.res.Numbered = number
	var h2, h3 int
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		var keep []ast.Attribute
		for _, a := range h.Attributes() {
			if headingAttrs[string(a.Name)] {
				keep = append(keep, a)
			}
		}
		h.RemoveAttributes()
		for _, a := range keep {
			h.SetAttribute(a.Name, a.Value)
		}
		var id string
		if v, ok := h.AttributeString("id"); ok {
			id = attrString(v)
			st.res.IDs = append(st.res.IDs, id)
		}
		var num string
		switch h.Level {
		case 2:
			h2++
			h3 = 0
			num = strconv.Itoa(h2)
		case 3:
			h3++
			if h2 > 0 {
				num = strconv.Itoa(h2) + "." + strconv.Itoa(h3)
			}
		default:
			continue
		}
		text := plainText(h, src)
		if !number {
			num = ""
		} else if num != "" {
			h.InsertBefore(h, h.FirstChild(), &sectionNumber{Number: num})
		}
		st.res.TOC = append(st.res.TOC, TOCEntry{Level: h.Level, ID: id, Text: text, Number: num})
	}
}

// sectionNumber is an inline node holding a heading's section number.
type sectionNumber struct {
	ast.BaseInline
	Number string
}

var kindSectionNumber = ast.NewNodeKind("SectionNumber")

func (n *sectionNumber) Kind() ast.NodeKind { return kindSectionNumber }

func (n *sectionNumber) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Number": n.Number}, nil)
}

type sectionNumberRenderer struct{}

func (sectionNumberRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindSectionNumber, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<span class="secnum">`)
			_, _ = w.WriteString(n.(*sectionNumber).Number)
			_, _ = w.WriteString(`</span> `)
		}
		return ast.WalkContinue, nil
	})
}
