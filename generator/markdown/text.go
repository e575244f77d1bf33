package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
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
	// Offset is the byte offset of the block in the source: a heading's
	// is the start of its line. Blocks are in document order, which is
	// that of their offsets except for footnotes, which come last.
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
		// The start of the heading's line, as in Outline, unless the
		// line starts a list item or quote whose text came before.
		start := lineStart(w.src, w.last)
		if k := len(w.out) - 1; k >= 0 && w.out[k].Offset > start && w.out[k].Offset <= w.last {
			start = w.out[k].Offset
		}
		w.last = start
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
		for _, tb := range htmlBlocks(string(linesText(n, w.src))) {
			w.add(n, tb)
		}
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
			b.Write(readerText(c.Segment.Value(w.src)))
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

// readerText returns Markdown text as a reader sees it: backslash
// escapes and character references resolved, as goldmark writes text.
func readerText(src []byte) []byte {
	if bytes.IndexByte(src, '\\') < 0 && bytes.IndexByte(src, '&') < 0 {
		return src
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	html.DefaultWriter.Write(w, src)
	_ = w.Flush()
	return []byte(stdhtml.UnescapeString(b.String()))
}

// htmlBreaks are the elements that start a new block of an HTML
// block's text; td and th end a cell of a row, tr the row.
var htmlBreaks = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "br": true, "hr": true,
	"table": true, "thead": true, "tbody": true, "tfoot": true, "caption": true,
	"blockquote": true, "section": true, "article": true, "aside": true, "details": true, "summary": true,
	"figure": true, "figcaption": true, "pre": true,
}

// htmlBlocks returns the text of an HTML block as a reader sees it: a
// paragraph per block element, a row per table row, without tags,
// comments, scripts and styles, character references resolved.
func htmlBlocks(s string) []TextBlock {
	var out []TextBlock
	var text strings.Builder
	var cells []string
	header, inCell := false, false
	flush := func() {
		if t := collapseSpace(stdhtml.UnescapeString(text.String())); t != "" {
			out = append(out, TextBlock{Kind: BlockParagraph, Text: t})
		}
		text.Reset()
	}
	endRow := func() {
		if len(cells) > 0 {
			out = append(out, TextBlock{Kind: BlockRow, Header: header, Text: strings.Join(cells, CellSeparator)})
		}
		cells, header = nil, false
	}
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text.WriteString(s)
			break
		}
		text.WriteString(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			j := strings.Index(s, "-->")
			if j < 0 {
				break
			}
			s = s[j+3:]
			continue
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			break
		}
		tag := s[1:j]
		s = s[j+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/"))
		if k := strings.IndexFunc(name, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '/' }); k >= 0 {
			name = name[:k]
		}
		switch {
		case (name == "script" || name == "style") && !closing:
			// Their content is not text.
			if k := indexFold(s, "</"+name); k >= 0 {
				s = s[k:]
			} else {
				s = ""
			}
		case name == "td" || name == "th":
			if closing {
				cells = append(cells, collapseSpace(stdhtml.UnescapeString(text.String())))
				header = header || name == "th"
			}
			text.Reset()
			inCell = !closing
		case name == "tr":
			flush()
			endRow()
		case htmlBreaks[name] && inCell:
			// A cell's paragraphs and lines are one text.
			text.WriteByte(' ')
		case htmlBreaks[name]:
			flush()
		}
	}
	flush()
	endRow()
	return out
}

func linesText(n ast.Node, src []byte) []byte {
	var out []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		out = append(out, seg.Value(src)...)
	}
	return out
}
