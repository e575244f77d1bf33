package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// The kinds of a TextBlock.
const (
	BlockHeading   = "heading"
	BlockParagraph = "paragraph"
	BlockItem      = "item" // a list item's own text, without its marker or sub-lists
	BlockRow       = "row"  // a table row, its cells separated by CellSeparator
	BlockCode      = "code"
)

// CellSeparator separates the cells of a BlockRow's text.
const CellSeparator = " | "

// A TextBlock is one block of a document as a reader sees it: its text
// without Markdown syntax, link destinations or list markers.
type TextBlock struct {
	Kind string
	// Level is a heading's level, or the depth of a list item (1 in a
	// list that is not inside another).
	Level int
	// Number is the number an ordered list shows for an item; 0 for
	// other blocks.
	Number int
	// Header is set for a table's header row.
	Header bool
	// ID is a heading's ID, explicit or generated as Render generates
	// it.
	ID string
	// Text is the block's plain text, with runs of white space as one
	// space (code keeps its lines; no-break spaces stay). A line break between two Han or
	// Kana characters is no space, as browsers show it.
	Text string
	// Offset is the byte offset of the block in the source.
	Offset int
}

// TextBlocks returns the blocks of src in document order: headings,
// paragraphs, list items, table rows and code blocks, with the text of
// block quotes, notes and footnotes as their paragraphs. Raw HTML shows
// its text, images nothing. It returns nil for a document over one of
// the limits.
func (m *Markdown) TextBlocks(src []byte) []TextBlock {
	if m.Check(src) != nil {
		return nil
	}
	doc := m.text.Parse(text.NewReader(src))
	w := textWalker{src: src}
	w.blocks(doc, 0)
	return w.out
}

type textWalker struct {
	src  []byte
	out  []TextBlock
	last int // offset of the last block, for blocks with no text of their own
	b    strings.Builder
}

func (w *textWalker) add(n ast.Node, tb TextBlock) {
	if tb.Kind != BlockCode && tb.Kind != BlockRow {
		tb.Text = collapseSpace(tb.Text)
	}
	if tb.Text == "" {
		return
	}
	if off := nodeOffset(n); off > 0 || len(w.out) == 0 {
		w.last = off
	}
	if tb.Kind == BlockHeading {
		w.last = lineStart(w.src, w.last)
	}
	tb.Offset = w.last
	w.out = append(w.out, tb)
}

// blocks adds the blocks below n; depth is the list nesting.
func (w *textWalker) blocks(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, depth)
	}
}

// block adds block n and the blocks below it.
func (w *textWalker) block(n ast.Node, depth int) {
	switch n := n.(type) {
	case *ast.Heading:
		tb := TextBlock{Kind: BlockHeading, Level: n.Level, Text: w.inline(n)}
		if v, ok := n.AttributeString("id"); ok {
			tb.ID = attrString(v)
		}
		w.add(n, tb)
	case *ast.Paragraph, *ast.TextBlock:
		w.add(n, TextBlock{Kind: BlockParagraph, Text: w.inline(n)})
	case *ast.List:
		num := 0
		if n.IsOrdered() {
			num = n.Start
		}
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			w.item(it, depth+1, num)
			if num > 0 {
				num++
			}
		}
	case *east.Table:
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			var cells []string
			empty := true
			for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
				c := collapseSpace(w.inline(cell))
				cells = append(cells, c)
				empty = empty && c == ""
			}
			if !empty {
				_, header := r.(*east.TableHeader)
				w.add(r, TextBlock{Kind: BlockRow, Header: header, Text: strings.Join(cells, CellSeparator)})
			}
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.add(n, TextBlock{Kind: BlockCode, Text: strings.TrimRight(string(linesText(n, w.src)), "\n")})
	case *ast.HTMLBlock:
		w.add(n, TextBlock{Kind: BlockParagraph, Text: stripTags(string(linesText(n, w.src)))})
	case *ast.ThematicBreak:
	case *Admonition:
		if len(n.Title) > 0 {
			w.add(n, TextBlock{Kind: BlockParagraph, Text: string(n.Title)})
		}
		w.blocks(n, depth)
	default:
		w.blocks(n, depth)
	}
}

// item adds a list item: the text of its paragraphs as one block, then
// its other blocks (sub-lists, code, quotes).
func (w *textWalker) item(it ast.Node, depth, num int) {
	var parts []string
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			parts = append(parts, w.inline(c))
		}
	}
	w.add(it, TextBlock{Kind: BlockItem, Level: depth, Number: num, Text: strings.Join(parts, " ")})
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
		default:
			w.block(c, depth)
		}
	}
}

// inline returns the text of the inline content of block n.
func (w *textWalker) inline(n ast.Node) string {
	b := &w.b
	b.Reset()
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(w.src))
			switch {
			case c.HardLineBreak():
				b.WriteByte(' ')
			case c.SoftLineBreak():
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(w.src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(w.src))
			return ast.WalkSkipChildren, nil
		case *ast.Image, *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// collapseSpace trims s and turns each run of white space in it other
// than no-break spaces into one space, or into nothing for a line break between two characters of
// scripts written without spaces (CSS Text 3, segment break
// transformation).
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	fields := strings.FieldsFunc(s, breakingSpace)
	pos := 0
	for i, f := range fields {
		start := pos + strings.Index(s[pos:], f)
		if i > 0 {
			gap := s[pos:start]
			prev, _ := utf8.DecodeLastRuneInString(fields[i-1])
			next, _ := utf8.DecodeRuneInString(f)
			if !(strings.ContainsRune(gap, '\n') && !strings.ContainsFunc(gap, func(r rune) bool { return r == ' ' || r == '\t' }) && wide(prev) && wide(next)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(f)
		pos = start + len(f)
	}
	return b.String()
}

// breakingSpace reports whether r is white space a line may break at:
// no-break spaces (French « », figures) are text.
func breakingSpace(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2007'
}

// wide reports whether r is a Han, Kana or full-width character, which
// lines break between without a space.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xff60 || r == 0x30fc
}

// stripTags returns the text of an HTML fragment without its tags and
// comments. Character references are left as written.
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := ">"
		if strings.HasPrefix(s, "<!--") {
			end = "-->"
		}
		j := strings.Index(s, end)
		if j < 0 {
			return b.String()
		}
		b.WriteByte(' ')
		s = s[j+len(end):]
	}
}

func linesText(n ast.Node, src []byte) []byte {
	var out []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		out = append(out, seg.Value(src)...)
	}
	return out
}
