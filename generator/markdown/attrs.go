package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file reads kramdown and Python-Markdown attribute lists, "{: #id
// .class key=value }": at the end of a heading's line, and on a line of
// their own after a block (the last line of a paragraph, or alone after
// a heading, list, table or code block). goldmark's own "{#id}" on
// headings is read by goldmark. Nothing of either syntax is printed.

// prioIAL runs before goldmark's link-reference (100) and table (200)
// paragraph transformers, so an attribute list under a table is not
// read as one of its rows.
const prioIAL = 50

// prioInlineIALs runs before idTransformer, so that an id set on a
// paragraph is reserved too.
const prioInlineIALs = 5

// prioIDs runs before every other AST transformer: the IDs it sets are
// read by sections (TOC) and by Outline.
const prioIDs = 10

// blockAttrs are the attributes an author may set with an attribute
// list. Others ({style=…}, {onclick=…}, {datetime=…}) are dropped:
// style would break a strict Content-Security-Policy, handlers are
// unsafe, and the rest are not valid on the elements Markdown makes.
var blockAttrs = map[string]bool{"id": true, "class": true, "lang": true, "dir": true, "title": true}

// headingParser wraps goldmark's ATX or setext heading parser and reads
// an attribute list at the end of the heading's last line, which
// goldmark leaves as text because of its ':'.
type headingParser struct {
	parser.BlockParser
}

// headingParsers returns goldmark's block parsers with the two heading
// parsers wrapped.
func headingParsers() []util.PrioritizedValue {
	ps := parser.DefaultBlockParsers()
	for i, p := range ps {
		switch p.Priority {
		case 100, 600: // setext, ATX
			ps[i].Value = headingParser{p.Value.(parser.BlockParser)}
		}
	}
	return ps
}

func (p headingParser) SetOption(name parser.OptionName, value any) {
	if s, ok := p.BlockParser.(parser.SetOptioner); ok {
		s.SetOption(name, value)
	}
}

func (p headingParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	p.BlockParser.Close(node, reader, pc)
	lines := node.Lines()
	if lines.Len() == 0 {
		return
	}
	last := lines.At(lines.Len() - 1)
	attrs, start, ok := trailingIAL(last.Value(reader.Source()))
	if !ok {
		return
	}
	setAttrs(node, attrs)
	last.Stop = last.Start + start
	lines.Set(lines.Len()-1, last.TrimRightSpace(reader.Source()))
}

// trailingIAL finds an attribute list "{: … }" that ends line (trailing
// spaces aside), after a space, and returns its attributes and its
// start in line.
func trailingIAL(line []byte) (parser.Attributes, int, bool) {
	trimmed := util.TrimRightSpace(line)
	if len(trimmed) < 3 || trimmed[len(trimmed)-1] != '}' {
		return nil, 0, false
	}
	start := bytes.LastIndex(trimmed, []byte("{:"))
	if start < 0 || bytes.IndexByte(trimmed[start+2:len(trimmed)-1], '}') >= 0 {
		return nil, 0, false
	}
	if start > 0 && trimmed[start-1] != ' ' && trimmed[start-1] != '\t' {
		// "`code`{: .c }" belongs to the element before it.
		return nil, 0, false
	}
	attrs, ok := parseIAL(trimmed[start:])
	return attrs, start, ok
}

// parseIAL parses "{: … }" with goldmark's attribute syntax once the
// colon is removed; a bare word ("{: .a b}") is not an attribute and
// makes it not an attribute list.
func parseIAL(s []byte) (parser.Attributes, bool) {
	buf := make([]byte, 0, len(s))
	buf = append(buf, '{')
	buf = append(buf, s[2:]...)
	r := text.NewReader(buf)
	attrs, ok := parser.ParseAttributes(r)
	if !ok {
		return nil, false
	}
	if rest, _ := r.PeekLine(); len(util.TrimRightSpace(rest)) != 0 {
		return nil, false
	}
	return attrs, true
}

// setAttrs sets the allowed attributes of attrs on n; classes add to
// those n has.
func setAttrs(n ast.Node, attrs parser.Attributes) {
	for _, a := range attrs {
		name := string(a.Name)
		if !blockAttrs[name] {
			continue
		}
		if name == "class" {
			if old, ok := n.AttributeString("class"); ok {
				n.SetAttribute(a.Name, []byte(attrString(old)+" "+attrString(a.Value)))
				continue
			}
		}
		n.SetAttribute(a.Name, a.Value)
	}
}

// ialParagraphs reads an attribute list on the last line of a
// paragraph. A paragraph that holds only the list gives its attributes
// to the block before it and is removed; otherwise the list applies to
// the paragraph, or to the table goldmark makes of it, and is recorded
// in pendingIALs until idTransformer applies it.
type ialParagraphs struct{}

var pendingIALKey = parser.NewContextKey()

// pendingIALs maps the offset of a paragraph's first line to the
// attributes of the attribute list that ended it.
type pendingIALs map[int]parser.Attributes

func (ialParagraphs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	n := lines.Len()
	if n == 0 {
		return
	}
	src := reader.Source()
	last := lines.At(n - 1)
	line := bytes.TrimSpace(last.Value(src))
	if len(line) == 0 || line[len(line)-1] != '}' {
		return
	}
	var attrs parser.Attributes
	ok := false
	if bytes.HasPrefix(line, []byte("{:")) {
		attrs, ok = parseIAL(line)
	}
	if !ok {
		// "Effective 1 May {: datetime=… }": a list at the end of the
		// paragraph's last line applies to the paragraph.
		if attrs, start, ok := trailingIAL(last.Value(src)); ok && start > 0 {
			last.Stop = last.Start + start
			lines.Set(n-1, last.TrimRightSpace(src))
			setAttrs(node, attrs)
		}
		return
	}
	if n == 1 {
		parent := node.Parent()
		if prev := node.PreviousSibling(); prev != nil {
			setAttrs(prev, attrs)
		} else if parent != nil && parent.Kind() != ast.KindDocument {
			setAttrs(parent, attrs)
		}
		if parent != nil {
			parent.RemoveChild(parent, node)
		}
		return
	}
	lines.SetSliced(0, n-1)
	// The line before the list ends with the line break that now ends
	// the paragraph.
	prev := lines.At(n - 2)
	lines.Set(n-2, prev.TrimRightSpace(src))
	first := lineStart(src, lines.At(0).Start)
	pending, _ := pc.Get(pendingIALKey).(pendingIALs)
	if pending == nil {
		pending = pendingIALs{}
		pc.Set(pendingIALKey, pending)
	}
	pending[first] = attrs
}

// rendersAttributes are the kinds of block whose goldmark renderer
// writes their attributes; an id set on another (a code block) is not a
// link target.
var rendersAttributes = map[ast.NodeKind]bool{
	ast.KindParagraph: true, ast.KindBlockquote: true, ast.KindList: true, ast.KindListItem: true,
	ast.KindThematicBreak: true, east.KindTable: true,
}

// idTransformer applies pending paragraph attribute lists and gives
// every heading without an explicit ID a generated one, after the
// explicit IDs of the whole page are known so that no generated ID
// takes one.
type idTransformer struct {
	algo HeadingIDs
}

func (t idTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if pending, _ := pc.Get(pendingIALKey).(pendingIALs); len(pending) > 0 {
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering || n.Type() != ast.TypeBlock || n == ast.Node(doc) {
				return ast.WalkContinue, nil
			}
			switch n.Kind().String() {
			case "TableRow", "TableHeader", "TableCell", "ListItem":
				return ast.WalkContinue, nil
			}
			key := lineStart(src, nodeOffset(n))
			if attrs, ok := pending[key]; ok {
				if n.Kind() == ast.KindTextBlock {
					// The paragraph of a tight list item is not rendered
					// as an element of its own: the item gets the list.
					n = n.Parent()
				}
				setAttrs(n, attrs)
				delete(pending, key)
			}
			return ast.WalkContinue, nil
		})
	}
	gen := newIDs(t.algo)
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		if v, ok := n.AttributeString("id"); ok {
			gen.put(attrString(v))
		}
		if h, ok := n.(*ast.Heading); ok {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		if _, ok := h.AttributeString("id"); ok {
			continue
		}
		var line []byte
		if l := h.Lines(); l.Len() > 0 {
			seg := l.At(l.Len() - 1)
			line = seg.Value(src)
		}
		h.SetAttribute([]byte("id"), []byte(gen.generate(line)))
	}
	if st, _ := pc.Get(docKey).(*docState); st != nil {
		// IDs of blocks other than headings, set by attribute lists, are
		// link targets too; sections lists those of headings.
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if n == ast.Node(doc) {
				return ast.WalkContinue, nil
			}
			if !entering || n.Type() != ast.TypeBlock {
				return ast.WalkSkipChildren, nil
			}
			if _, ok := n.(*ast.Heading); ok {
				return ast.WalkSkipChildren, nil
			}
			if v, ok := n.AttributeString("id"); ok && rendersAttributes[n.Kind()] {
				st.res.IDs = append(st.res.IDs, attrString(v))
			}
			return ast.WalkContinue, nil
		})
	}
}

// inlineIALs reads an attribute list right after an inline element
// ("*Hola*{: lang=es }"), as Python-Markdown does: the element gets the
// attributes and the list is removed from the text. goldmark splits text
// at spaces, so the list may span several Text nodes.
type inlineIALs struct{}

// maxInlineIAL bounds how far an inline attribute list is looked for.
const maxInlineIAL = 256

func (inlineIALs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	type edit struct {
		first  *ast.Text
		target ast.Node
		attrs  parser.Attributes
		end    int // source offset just after the list's '}'
	}
	var edits []edit
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !bytes.HasPrefix(t.Segment.Value(src), []byte("{:")) {
			return ast.WalkContinue, nil
		}
		prev := t.PreviousSibling()
		if prev == nil {
			return ast.WalkContinue, nil
		}
		if _, isText := prev.(*ast.Text); isText {
			return ast.WalkContinue, nil
		}
		// The list must lie in t and the Text nodes that follow it.
		stop := t.Segment.Stop
		for c := t.NextSibling(); c != nil; c = c.NextSibling() {
			ct, ok := c.(*ast.Text)
			if !ok || ct.Segment.Start != stop || ct.Segment.Stop-t.Segment.Start > maxInlineIAL {
				break
			}
			stop = ct.Segment.Stop
		}
		v := src[t.Segment.Start:stop]
		end := bytes.IndexByte(v, '}')
		if end < 0 {
			return ast.WalkContinue, nil
		}
		if attrs, ok := parseIAL(v[:end+1]); ok {
			edits = append(edits, edit{first: t, target: prev, attrs: attrs, end: t.Segment.Start + end + 1})
		}
		return ast.WalkContinue, nil
	})
	for _, e := range edits {
		setAttrs(e.target, e.attrs)
		for c := ast.Node(e.first); c != nil; {
			t, ok := c.(*ast.Text)
			if !ok || t.Segment.Start >= e.end {
				break
			}
			next := c.NextSibling()
			if t.Segment.Stop <= e.end {
				if prev, ok := t.PreviousSibling().(*ast.Text); ok && (t.SoftLineBreak() || t.HardLineBreak()) {
					prev.SetSoftLineBreak(t.SoftLineBreak())
					prev.SetHardLineBreak(t.HardLineBreak())
				}
				t.Parent().RemoveChild(t.Parent(), t)
			} else {
				t.Segment = t.Segment.WithStart(e.end)
			}
			c = next
		}
	}
}
