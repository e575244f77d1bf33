package xliff

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// A piece is one run of a segment: text a translator translates, or a
// code (Markdown syntax, a link target, inline code, raw HTML, a line
// break) that stands in the segment as a placeholder.
type piece struct {
	Text string
	// Code is the Markdown the placeholder stands for, when the piece is
	// a code.
	Code string
	// Break marks a code that is only a line break: translators may
	// drop it, and the text reflows.
	Break bool
}

func (p piece) isCode() bool { return p.Code != "" }

// A span is one translatable block of a section's Markdown: a heading,
// a paragraph, a list item's text, a table cell. Start and End delimit
// the bytes it replaces; everything outside the spans (list markers,
// table pipes, heading attributes, code blocks) is the skeleton, which
// never reaches the translator.
type span struct {
	Start, End int
	Pieces     []piece
}

// source returns the span's bytes as written.
func (s span) source() string {
	var b strings.Builder
	for _, p := range s.Pieces {
		b.WriteString(p.Text)
		b.WriteString(p.Code)
	}
	return b.String()
}

// newSegmenter returns the Markdown parser segmenting uses: CommonMark
// with the GFM tables and strikethrough policysite renders, and heading
// attributes ({#id}).
func newSegmenter() parser.Parser {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithAttribute()))
	return md.Parser()
}

// segment splits a section's Markdown into its translatable spans, in
// document order. The same bytes always give the same spans, so an
// import can rebuild the skeleton from the source the XLIFF file was
// made from (its digest is recorded) instead of carrying it.
func segment(p parser.Parser, src []byte) []span {
	doc := p.Parse(text.NewReader(src))
	var spans []span
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading, *ast.Paragraph, *ast.TextBlock, *extast.TableCell:
			if s, ok := inlineSpan(n, src); ok {
				spans = append(spans, s)
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return spans
}

// inlineSpan turns the inline content of block n into a span: the text
// of its Text nodes, and the bytes between them as codes. Leading and
// trailing codes stay in the skeleton.
func inlineSpan(n ast.Node, src []byte) (span, bool) {
	var leaves []text.Segment
	var walk func(c ast.Node)
	walk = func(c ast.Node) {
		for ; c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				if c.Segment.Len() > 0 {
					leaves = append(leaves, c.Segment)
				}
			case *ast.CodeSpan, *ast.RawHTML, *ast.AutoLink:
				// Code, markup and bare URLs are not translated: their
				// bytes fall between leaves and become codes.
			default:
				walk(c.FirstChild())
			}
		}
	}
	walk(n.FirstChild())
	if len(leaves) == 0 {
		return span{}, false
	}
	// The span covers the block's inline content: markup before the
	// first text or after the last (a link's "](url)", closing "**")
	// belongs to the segment, so a translator can move it with the text.
	// Leading and trailing spaces stay in the skeleton.
	s := span{Start: leaves[0].Start, End: leaves[len(leaves)-1].Stop}
	if lines := n.Lines(); lines.Len() > 0 {
		first, last := lines.At(0), lines.At(lines.Len()-1)
		s.Start = min(s.Start, first.Start)
		s.End = max(s.End, last.Stop)
		for s.Start < s.End && (src[s.Start] == ' ' || src[s.Start] == '\t') {
			s.Start++
		}
		for s.End > s.Start && strings.ContainsRune(" \t\r\n", rune(src[s.End-1])) {
			s.End--
		}
	}
	if s.Start < leaves[0].Start {
		s.Pieces = append(s.Pieces, gapPiece(string(src[s.Start:leaves[0].Start])))
	}
	for i, l := range leaves {
		if i > 0 {
			gap := string(src[leaves[i-1].Stop:l.Start])
			s.Pieces = append(s.Pieces, gapPiece(gap))
		}
		s.Pieces = append(s.Pieces, piece{Text: string(src[l.Start:l.Stop])})
	}
	if last := leaves[len(leaves)-1].Stop; s.End > last {
		s.Pieces = append(s.Pieces, gapPiece(string(src[last:s.End])))
	}
	s.Pieces = mergeText(s.Pieces)
	return s, true
}

// gapPiece classifies the bytes between two text runs. A backslash
// escape is text (the translator sees the character it escapes); a
// line break and its indentation is a break; anything else is a code.
func gapPiece(gap string) piece {
	switch {
	case gap == "\\":
		return piece{Text: gap}
	case strings.TrimLeft(gap, " \t\r\n") == "" && strings.Contains(gap, "\n"):
		return piece{Code: gap, Break: true}
	case strings.TrimSpace(gap) == "":
		return piece{Text: gap}
	}
	return piece{Code: gap}
}

func mergeText(ps []piece) []piece {
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && !p.isCode() && !out[n-1].isCode() {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	return out
}

// rebuild returns src with each span replaced by its translation, in
// the same order; a nil translation keeps the span's own bytes.
func rebuild(src []byte, spans []span, translations []*string) []byte {
	var b bytes.Buffer
	at := 0
	for i, s := range spans {
		b.Write(src[at:s.Start])
		if t := translations[i]; t != nil {
			b.WriteString(*t)
		} else {
			b.Write(src[s.Start:s.End])
		}
		at = s.End
	}
	b.Write(src[at:])
	return b.Bytes()
}
