package markdown

import (
	"bytes"
	"fmt"

	"policysite/generator/diag"
)

// Limits bound the work of converting one document, so that a small
// hostile file cannot take a build's time or memory: goldmark's parser
// is superlinear in a few shapes of input (wide tables, deep nesting,
// many footnotes, unclosed links), and a link reference used many times
// multiplies its size in the output. Check tests them in one pass over
// the source before anything is parsed. The zero value of a field means
// its DefaultLimits value. See docs/hardening.md.
type Limits struct {
	// TableColumns is the most columns of a table. Default 1,000.
	TableColumns int
	// TableCells is the most cells (rows × columns) of one table; goldmark
	// makes every row as wide as the header. Default 100,000.
	TableCells int
	// Nesting is the deepest nesting of lists and block quotes,
	// estimated from the markers and indentation in front of a line.
	// Default 100.
	Nesting int
	// Footnotes is the most footnote definitions of a page. Default 2,000.
	Footnotes int
	// FootnoteRefs is the most footnote references ("[^…]") of a page.
	// Default 20,000.
	FootnoteRefs int
	// Headings is the most headings of a page. Default 10,000.
	Headings int
	// LinkScan is how many bytes the parser may read ahead looking for
	// the end of link destinations ("[a](" never closed) before the
	// document is refused. Default 16 MiB plus twice the document's size.
	LinkScan int
	// LinkExpansion is how many bytes of link destinations and titles
	// the rendered links may hold beyond the document's own size (a
	// reference definition is copied into every link that uses it).
	// Default 16 MiB.
	LinkExpansion int
	// LinkDefinitions is the most link reference definitions ("[x]:
	// /url") of a page; goldmark's work grows with the square of the
	// number of them in one paragraph. Default 5,000.
	LinkDefinitions int
	// Brackets is the deepest nesting of "[" in a paragraph; goldmark
	// reads the text of every enclosing bracket again at each "]".
	// Default 100.
	Brackets int
	// RawHTML is the most distinct fragments of raw HTML (tags with
	// attributes, HTML blocks) a page may have sanitized. Default 5,000.
	RawHTML int
}

// DefaultLimits are the limits of a Markdown zero Limits value means.
var DefaultLimits = Limits{
	TableColumns:    1000,
	TableCells:      100_000,
	Nesting:         100,
	Footnotes:       2000,
	FootnoteRefs:    20_000,
	Headings:        10_000,
	LinkScan:        16 << 20,
	LinkExpansion:   16 << 20,
	RawHTML:         5000,
	LinkDefinitions: 5000,
	Brackets:        100,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&l.TableColumns, d.TableColumns)
	set(&l.TableCells, d.TableCells)
	set(&l.Nesting, d.Nesting)
	set(&l.Footnotes, d.Footnotes)
	set(&l.FootnoteRefs, d.FootnoteRefs)
	set(&l.Headings, d.Headings)
	set(&l.LinkScan, d.LinkScan)
	set(&l.LinkExpansion, d.LinkExpansion)
	set(&l.RawHTML, d.RawHTML)
	set(&l.LinkDefinitions, d.LinkDefinitions)
	set(&l.Brackets, d.Brackets)
	return l
}

// A LimitError says which limit a document is over, where, and what to
// do.
type LimitError struct {
	Offset int    // byte offset of the line where the limit was passed
	What   string // "a table with 20,000 columns"
	Limit  string // "1,000 columns"
	Fix    string // "split the table"
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s is over policysite's limit of %s; %s", e.What, e.Limit, e.Fix)
}

// Check reports whether src is within m's limits, in time linear in its
// size. Outline returns nil and Render returns only this problem for a
// document that is not.
func (m *Markdown) Check(src []byte) *LimitError {
	return m.limits.check(src)
}

func (l Limits) check(src []byte) *LimitError {
	var (
		fence     byte // '`' or '~' while in a fenced code block
		fenceLen  int
		headings  int
		footnotes int
		linkDefs  int
		brackets  int // depth of '[' in the current paragraph
		// table: columns of the table being read, its first line, and
		// its rows so far.
		tableCols, tableRows, tableAt int
		// at and prevAt are the offsets of the line being read and of
		// the one before: a table's header row.
		at, prevAt int
	)
	refs := bytes.Count(src, []byte("[^"))
	if refs > l.FootnoteRefs {
		off := 0
		for range l.FootnoteRefs + 1 {
			off += bytes.Index(src[off:], []byte("[^")) + 2
		}
		return &LimitError{Offset: lineStart(src, off), What: fmt.Sprintf("a page with %s footnote references", diag.Count(refs)),
			Limit: diag.Count(l.FootnoteRefs), Fix: "split the page"}
	}
	if err := l.checkLinkScan(src); err != nil {
		return err
	}
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		prevAt, at = at, off
		off = end + 1

		depth, rest := containerPrefix(line)
		if fence != 0 {
			if n := fenceRun(rest, fence); n >= fenceLen && len(bytes.TrimSpace(rest[n:])) == 0 {
				fence = 0
			}
			continue
		}
		if c := firstByte(rest); c == '`' || c == '~' {
			if n := fenceRun(rest, c); n >= 3 && (c == '~' || bytes.IndexByte(rest[n:], '`') < 0) {
				fence, fenceLen = c, n
				continue
			}
		}
		if depth > l.Nesting {
			return &LimitError{Offset: at, What: fmt.Sprintf("a line nested about %s lists or quotes deep", diag.Count(depth)),
				Limit: diag.Count(l.Nesting) + " levels", Fix: "indent it less or flatten the list"}
		}
		blank := len(bytes.TrimSpace(rest)) == 0
		if blank {
			brackets = 0
		} else if bytes.IndexByte(rest, '[') >= 0 {
			for i, c := range rest {
				switch {
				case c == '[' && (i == 0 || rest[i-1] != '\\'):
					brackets++
					if brackets > l.Brackets {
						return &LimitError{Offset: at, What: fmt.Sprintf("a paragraph with \"[\" nested more than %s deep", diag.Count(l.Brackets)),
							Limit: diag.Count(l.Brackets) + " levels", Fix: "close the brackets or escape them as \"\\[\""}
					}
				case c == ']' && brackets > 0:
					brackets--
				}
			}
		}
		switch {
		case blank:
			tableCols = 0
		case tableCols > 0:
			tableRows++
			if cells := tableRows * tableCols; cells > l.TableCells {
				return &LimitError{Offset: tableAt, What: fmt.Sprintf("a table of %s columns and more than %s rows", diag.Count(tableCols), diag.Count(tableRows)),
					Limit: diag.Count(l.TableCells) + " cells", Fix: "split the table"}
			}
		default:
			if cols := delimiterRow(rest); cols > 0 {
				if cols > l.TableColumns {
					return &LimitError{Offset: prevAt, What: fmt.Sprintf("a table with %s columns", diag.Count(cols)),
						Limit: diag.Count(l.TableColumns) + " columns", Fix: "split the table"}
				}
				tableCols, tableRows, tableAt = cols, 1, prevAt
			}
		}
		if isHeadingLine(rest) {
			headings++
			if headings > l.Headings {
				return &LimitError{Offset: at, What: fmt.Sprintf("a page with more than %s headings", diag.Count(l.Headings)),
					Limit: diag.Count(l.Headings), Fix: "split the page"}
			}
		}
		if bytes.HasPrefix(rest, []byte("[")) && !bytes.HasPrefix(rest, []byte("[^")) && bytes.Contains(rest, []byte("]:")) {
			linkDefs++
			if linkDefs > l.LinkDefinitions {
				return &LimitError{Offset: at, What: fmt.Sprintf("a page with more than %s link reference definitions", diag.Count(l.LinkDefinitions)),
					Limit: diag.Count(l.LinkDefinitions), Fix: "split the page"}
			}
		}
		if bytes.HasPrefix(rest, []byte("[^")) && bytes.Contains(rest, []byte("]:")) {
			footnotes++
			if footnotes > l.Footnotes {
				return &LimitError{Offset: at, What: fmt.Sprintf("a page with more than %s footnotes", diag.Count(l.Footnotes)),
					Limit: diag.Count(l.Footnotes), Fix: "split the page"}
			}
		}
	}
	return nil
}

// checkLinkScan bounds goldmark's search for the end of link
// destinations. After every "](" the parser reads a destination up to
// a space or the end of the line (or to '>' after "<"); when these
// reads overlap, as in "[a](" repeated, the work is quadratic. Their
// total length is that work, and it is small for any real document:
// destinations do not overlap.
func (l Limits) checkLinkScan(src []byte) *LimitError {
	budget := l.LinkScan + 2*len(src)
	total := 0
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("]("))
		if j < 0 {
			return nil
		}
		start := i + j + 2
		i = start
		rest := src[start:]
		var n int
		if len(rest) > 0 && rest[0] == '<' {
			n = bytes.IndexAny(rest, ">\n")
		} else {
			n = bytes.IndexAny(rest, " \t\n")
		}
		if n < 0 {
			n = len(rest)
		}
		total += n
		if total > budget {
			return &LimitError{Offset: lineStart(src, start), What: "a paragraph with many unclosed links (\"[text](\" without its \")\")",
				Limit: diag.Count(l.LinkScan>>20) + " MiB of link look-ahead", Fix: "close each link with \")\" or escape its \"[\" as \"\\[\""}
		}
	}
}

// containerPrefix estimates how deeply line is nested: one level per
// block-quote marker or list marker in front of its text, and one per
// two columns of indentation (a nested list item is indented by at
// least two). A line without markers is given 0: it is at most one
// level deeper than the marker line that opened its container, which
// was estimated itself, and indented text alone (a preformatted
// drawing) nests nothing. It returns the estimate and the text after
// the prefix.
func containerPrefix(line []byte) (int, []byte) {
	depth, rest, markers := prefix(line)
	if markers == 0 {
		return 0, rest
	}
	return depth, rest
}

func prefix(line []byte) (depth int, rest []byte, markers int) {
	cols, markers := 0, 0
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			markers++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			if c != '+' && isThematicBreak(line[i:]) {
				return markers + cols/2, line[i:], markers
			}
			markers++
			i += 2
		case '0' <= c && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && '0' <= line[j] && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				markers++
				i = j + 2
				continue
			}
			return markers + cols/2, line[i:], markers
		default:
			return markers + cols/2, line[i:], markers
		}
	}
	return markers + cols/2, line[i:], markers
}

func isThematicBreak(line []byte) bool {
	c, n := line[0], 0
	for _, b := range line {
		switch b {
		case c:
			n++
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return n >= 3
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func fenceRun(b []byte, c byte) int {
	n := 0
	for n < len(b) && b[n] == c {
		n++
	}
	return n
}

// isHeadingLine reports whether line is an ATX heading or a setext
// "===" underline.
func isHeadingLine(line []byte) bool {
	switch firstByte(line) {
	case '#':
		n := fenceRun(line, '#')
		return n <= 6 && (n == len(line) || line[n] == ' ' || line[n] == '\t')
	case '=':
		return len(bytes.TrimRight(line, "= \t\r")) == 0
	}
	return false
}

// delimiterRow returns the number of columns of a GFM table delimiter
// row ("|---|:--:|"), or 0 if line is not one.
func delimiterRow(line []byte) int {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || bytes.IndexByte(line, '-') < 0 {
		return 0
	}
	pipes := 0
	for _, c := range line {
		switch c {
		case '|':
			pipes++
		case '-', ':', ' ', '\t':
		default:
			return 0
		}
	}
	if pipes == 0 {
		return 0
	}
	cols := pipes + 1
	if line[0] == '|' {
		cols--
	}
	if len(line) > 1 && line[len(line)-1] == '|' {
		cols--
	}
	return cols
}
