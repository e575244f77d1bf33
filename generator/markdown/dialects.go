package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file reads other tools' syntax whose meaning is clear:
// admonitions, rendered as <aside> (or <details> for MkDocs' collapsible
// "???"); Hugo shortcodes, which policysite cannot run: their tags are
// removed with a warning and the text between an opening and a closing
// tag is kept; and the import lines of MDX, which Docusaurus allows in
// .md files, removed with a warning.
//
//	!!! note "Optional title"       MkDocs / Python-Markdown admonition:
//	    Indented content.           the content is indented four spaces
//
//	:::note Optional title          Docusaurus admonition: closed by a
//	Content.                        line of at least as many colons
//	:::
//
//	{{< figure src="x.png" >}}      Hugo shortcodes
//	{{% notice %}}text{{% /notice %}}

// Priorities of the admonition block parsers: before goldmark's
// paragraph parser (1000), which would otherwise take their first line.
const (
	prioMkDocsAdmonition     = 950
	prioDocusaurusAdmonition = 960
	// prioShortcode is before goldmark's link parser (200), though only
	// '{' triggers it.
	prioShortcode = 150
	// prioDialects runs after links and sections: it only removes
	// paragraphs left empty by removed shortcodes.
	prioDialects = 1100
)

// maxAdmonitionDepth is how deeply admonitions nest; an opening line
// deeper than that is text. Without it ":::note" repeated would nest as
// deep as the file is long, at a cost quadratic in the depth.
const maxAdmonitionDepth = 8

func admonitionDepth(parent ast.Node) int {
	d := 0
	for n := parent; n != nil; n = n.Parent() {
		if n.Kind() == KindAdmonition {
			d++
		}
	}
	return d
}

func dialectBlockParsers() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(mkdocsAdmonitionParser{}, prioMkDocsAdmonition),
		util.Prioritized(docusaurusAdmonitionParser{}, prioDocusaurusAdmonition),
	}
}

// dialects adds the renderers of admonitions and the shortcode parser.
type dialects struct{}

func (dialects) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithInlineParsers(util.Prioritized(shortcodeParser{}, prioShortcode)),
		parser.WithASTTransformers(util.Prioritized(shortcodeCleaner{}, prioDialects)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(dialectRenderer{}, prioDialects)))
}

// An Admonition is a note, warning or tip block of MkDocs or Docusaurus.
type Admonition struct {
	ast.BaseBlock
	// Name is the admonition's type as written ("note", "warning"),
	// lowercased.
	Name string
	// Title is the title as written, or "".
	Title []byte
	// Collapsible is set for MkDocs' "???" (closed) and "???+" (open).
	Collapsible, Open bool
	fence             int // colons of a Docusaurus opening line
}

// KindAdmonition is the ast.NodeKind of an Admonition.
var KindAdmonition = ast.NewNodeKind("Admonition")

func (n *Admonition) Kind() ast.NodeKind { return KindAdmonition }

func (n *Admonition) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Type": n.Name, "Title": string(n.Title)}, nil)
}

// admonitionType returns the leading word of s ([A-Za-z0-9_-]+) and the
// rest, or "" if s does not start with one.
func admonitionType(s []byte) (string, []byte) {
	i := 0
	for i < len(s) {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' {
			i++
			continue
		}
		break
	}
	return strings.ToLower(string(s[:i])), s[i:]
}

type mkdocsAdmonitionParser struct{}

func (mkdocsAdmonitionParser) Trigger() []byte { return []byte{'!', '?'} }

func (mkdocsAdmonitionParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos+4 > len(line) || admonitionDepth(parent) >= maxAdmonitionDepth {
		return nil, parser.NoChildren
	}
	rest := line[pos:]
	n := &Admonition{}
	switch {
	case bytes.HasPrefix(rest, []byte("!!! ")):
		rest = rest[4:]
	case bytes.HasPrefix(rest, []byte("???+ ")):
		n.Collapsible, n.Open = true, true
		rest = rest[5:]
	case bytes.HasPrefix(rest, []byte("??? ")):
		n.Collapsible = true
		rest = rest[4:]
	default:
		return nil, parser.NoChildren
	}
	typ, rest := admonitionType(util.TrimLeftSpace(rest))
	if typ == "" {
		return nil, parser.NoChildren
	}
	// MkDocs accepts more than one word ("!!! note inline end"); the
	// first is the type, the title is the quoted string that follows.
	rest = bytes.TrimSpace(rest)
	if i := bytes.IndexByte(rest, '"'); i >= 0 {
		if j := bytes.LastIndexByte(rest, '"'); j > i {
			n.Title = append([]byte(nil), rest[i+1:j]...)
		}
	}
	n.Name = typ
	reader.AdvanceToEOL()
	return n, parser.HasChildren
}

func (mkdocsAdmonitionParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		return parser.Continue | parser.HasChildren
	}
	indent, _ := util.IndentWidth(line, reader.LineOffset())
	if indent < 4 {
		return parser.Close
	}
	pos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

func (mkdocsAdmonitionParser) Close(ast.Node, text.Reader, parser.Context) {}
func (mkdocsAdmonitionParser) CanInterruptParagraph() bool                 { return true }
func (mkdocsAdmonitionParser) CanAcceptIndentedLine() bool                 { return false }

type docusaurusAdmonitionParser struct{}

func (docusaurusAdmonitionParser) Trigger() []byte { return []byte{':'} }

func (docusaurusAdmonitionParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || admonitionDepth(parent) >= maxAdmonitionDepth {
		return nil, parser.NoChildren
	}
	rest := line[pos:]
	fence := fenceRun(rest, ':')
	if fence < 3 {
		return nil, parser.NoChildren
	}
	typ, after := admonitionType(rest[fence:])
	if typ == "" {
		return nil, parser.NoChildren
	}
	n := &Admonition{Name: typ, fence: fence}
	after = bytes.TrimSpace(after)
	// ":::note[Title]" (Docusaurus 3), ":::note Title" (Docusaurus 2);
	// a directive's {attributes} are dropped.
	if bytes.HasPrefix(after, []byte("[")) {
		if j := bytes.LastIndexByte(after, ']'); j > 0 {
			after = after[1:j]
		}
	} else if i := bytes.IndexByte(after, '{'); i >= 0 {
		after = bytes.TrimSpace(after[:i])
	}
	if len(after) > 0 {
		n.Title = append([]byte(nil), after...)
	}
	reader.AdvanceToEOL()
	return n, parser.HasChildren
}

func (docusaurusAdmonitionParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	t := bytes.TrimSpace(line)
	if n := fenceRun(t, ':'); n >= node.(*Admonition).fence && n == len(t) {
		reader.AdvanceToEOL()
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (docusaurusAdmonitionParser) Close(ast.Node, text.Reader, parser.Context) {}
func (docusaurusAdmonitionParser) CanInterruptParagraph() bool                 { return true }
func (docusaurusAdmonitionParser) CanAcceptIndentedLine() bool                 { return false }

// A Shortcode is a Hugo shortcode tag. It renders nothing.
type Shortcode struct {
	ast.BaseInline
	// Name is the shortcode's name, with a leading '/' for a closing tag.
	Name string
}

// KindShortcode is the ast.NodeKind of a Shortcode.
var KindShortcode = ast.NewNodeKind("Shortcode")

func (n *Shortcode) Kind() ast.NodeKind { return KindShortcode }

func (n *Shortcode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name}, nil)
}

// maxShortcode bounds how far the shortcode parser looks for the end of
// a tag, so that "{{<" repeated costs linear time.
const maxShortcode = 2048

type shortcodeParser struct{}

func (shortcodeParser) Trigger() []byte { return []byte{'{'} }

func (shortcodeParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '{' || (line[2] != '<' && line[2] != '%') {
		return nil
	}
	closing := []byte(">}}")
	if line[2] == '%' {
		closing = []byte("%}}")
	}
	look := line[3:min(len(line), maxShortcode)]
	end := bytes.Index(look, closing)
	if end < 0 {
		return nil
	}
	inner := util.TrimLeftSpace(look[:end])
	name := ""
	if len(inner) > 0 && inner[0] == '/' {
		name = "/"
		inner = util.TrimLeftSpace(inner[1:])
	}
	typ, _ := admonitionType(inner)
	if typ == "" {
		return nil
	}
	name += typ
	block.Advance(3 + end + len(closing))
	if st, _ := pc.Get(docKey).(*docState); st != nil {
		st.warn(seg.Start, "Hugo shortcode removed", "{{"+string(line[2])+" "+name+" "+string(closing),
			"policysite cannot run shortcodes: the tag is removed and text between an opening and a closing tag is kept; write the content in Markdown")
	}
	return &Shortcode{Name: name}
}

// shortcodeCleaner removes paragraphs that held only shortcode tags, so
// a tag on a line of its own leaves no empty <p>.
type shortcodeCleaner struct{}

func (shortcodeCleaner) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var empty []ast.Node
	src := reader.Source()
	st, _ := pc.Get(docKey).(*docState)
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if p, ok := n.(*ast.Paragraph); ok && st != nil && isMDXImports(p, src) {
			empty = append(empty, p)
			first := p.Lines().At(0)
			st.warn(first.Start, "MDX import removed", string(bytes.TrimSpace(first.Value(src))),
				"Docusaurus reads .md files as MDX; policysite does not run its components")
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		p, ok := n.(*ast.Paragraph)
		if !ok || p.FirstChild() == nil {
			return ast.WalkContinue, nil
		}
		for c := p.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *Shortcode:
			case *ast.Text:
				if len(bytes.TrimSpace(c.Segment.Value(src))) != 0 {
					return ast.WalkSkipChildren, nil
				}
			default:
				return ast.WalkSkipChildren, nil
			}
		}
		empty = append(empty, p)
		return ast.WalkSkipChildren, nil
	})
	for _, p := range empty {
		p.Parent().RemoveChild(p.Parent(), p)
	}
}

// mdxImport matches an MDX ESM line: "import X from '@theme/Tabs';",
// "import './x.css';" or "export const x = …".
var mdxImport = regexp.MustCompile(`^(?:import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"]+['"];?|export\s+(?:const|default|function|let)\b.*)$`)

// isMDXImports reports whether every line of paragraph p, at the top
// level of a document, is an MDX import or export.
func isMDXImports(p *ast.Paragraph, src []byte) bool {
	lines := p.Lines()
	if lines.Len() == 0 {
		return false
	}
	for i := range lines.Len() {
		seg := lines.At(i)
		if !mdxImport.Match(bytes.TrimSpace(seg.Value(src))) {
			return false
		}
	}
	return true
}

type dialectRenderer struct{}

func (dialectRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindShortcode, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil
	})
	reg.Register(KindAdmonition, renderAdmonition)
}

func renderAdmonition(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Admonition)
	tag := "aside"
	if n.Collapsible {
		tag = "details"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag + ` class="admonition admonition-` + n.Name + `"`)
	if n.Open {
		_, _ = w.WriteString(" open")
	}
	_, _ = w.WriteString(">\n")
	title := n.Title
	if n.Collapsible && len(title) == 0 {
		// A <details> needs a summary to be opened by; MkDocs shows the
		// type.
		title = []byte(strings.ToUpper(n.Name[:1]) + n.Name[1:])
	}
	if len(title) > 0 {
		if n.Collapsible {
			_, _ = w.WriteString("<summary>")
		} else {
			_, _ = w.WriteString(`<p class="admonition-title">`)
		}
		_, _ = w.Write(util.EscapeHTML(title))
		if n.Collapsible {
			_, _ = w.WriteString("</summary>\n")
		} else {
			_, _ = w.WriteString("</p>\n")
		}
	}
	return ast.WalkContinue, nil
}
