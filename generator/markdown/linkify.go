package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// prioLinkify is the priority extension.Linkify gives goldmark's
// linkify parser, so autolinks are tried in the same order among the
// inline parsers.
const prioLinkify = 999

// linkify is GFM's autolink extension, extension.Linkify, with a cheap
// test in front of goldmark's parser: the HTML is the same.
type linkify struct{}

func (linkify) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(linkifyParser{extension.NewLinkifyParser()}, prioLinkify)))
}

// linkifyParser wraps goldmark's linkify parser. Goldmark calls that
// parser at the start of every line and after every space, '*', '_', '~'
// and '(', so before nearly every word, and each call tries the URL
// prefixes and scans the word for an e-mail address. A link can start
// only where what follows the trigger begins with "www.", has a ':'
// within its first 6 bytes ("ftp:", "http:", "https:") or an '@' within
// its first 65 (the local part of an address is at most 64 bytes).
// linkifyParser remembers where the next ':' and '@' of the line are, so
// for most words it declines after two comparisons, and otherwise asks
// goldmark's parser. TestRenderMatchesReference, FuzzRenderMatchesReference
// and testdata/linkify.txt hold it to goldmark's output.
//
// Goldmark's parser reads only linkify options in SetOption, and the
// Markdown parser sets none; its CloseBlock does nothing. So neither is
// passed on.
type linkifyParser struct {
	parser.InlineParser
}

// Largest distances, from where goldmark's parser looks for a link, to
// the ':' of a URL scheme and to the '@' of an e-mail address.
const (
	maxSchemeColon = len("https")
	maxLocalPart   = 64
)

var www = []byte("www.")

// linkifyMarksKey stores a *lineMarks in a parser.Context.
var linkifyMarksKey = parser.NewContextKey()

// lineMarks records, for the source line that ends at stop, the offsets
// of the first ':' and the first '@' at or after from (stop if there is
// none). It belongs to one parse.
type lineMarks struct {
	from, stop int
	colon, at  int
}

func (p linkifyParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if seg.Padding != 0 || len(line) == 0 {
		// With padding, the line starts with spaces expanded from a tab
		// and its bytes are not the source's. Rare enough to leave to
		// goldmark, like an empty line.
		return p.InlineParser.Parse(parent, block, pc)
	}
	// Goldmark's parser steps over the trigger character first.
	start := seg.Start
	switch line[0] {
	case ' ', '*', '_', '~', '(':
		start++
	}
	src := block.Source()
	if start < seg.Stop && src[start] == 'w' && bytes.HasPrefix(src[start:seg.Stop], www) {
		return p.InlineParser.Parse(parent, block, pc)
	}
	m, _ := pc.Get(linkifyMarksKey).(*lineMarks)
	if m == nil {
		m = &lineMarks{}
		pc.Set(linkifyMarksKey, m)
	}
	if m.stop != seg.Stop || start < m.from || m.colon < start || m.at < start {
		m.update(src, start, seg.Stop)
	}
	if m.colon-start <= maxSchemeColon || m.at-start <= maxLocalPart {
		return p.InlineParser.Parse(parent, block, pc)
	}
	return nil
}

// update makes m describe src[from:stop], scanning again only for a mark
// that lies before from.
func (m *lineMarks) update(src []byte, from, stop int) {
	if m.stop != stop || from < m.from {
		// Another line, or back to an earlier position of this one.
		m.colon, m.at = -1, -1
	}
	m.from, m.stop = from, stop
	if m.colon < from {
		m.colon = next(src, from, stop, ':')
	}
	if m.at < from {
		m.at = next(src, from, stop, '@')
	}
}

// next returns the offset of the first c in src[from:stop], or stop.
func next(src []byte, from, stop int, c byte) int {
	if from >= stop {
		return stop
	}
	if i := bytes.IndexByte(src[from:stop], c); i >= 0 {
		return from + i
	}
	return stop
}
