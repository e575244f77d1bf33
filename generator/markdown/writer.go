package markdown

import (
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// textWriter writes text nodes as goldmark's html.DefaultWriter does,
// with a fast path for text in which that writer changes nothing.
//
// The default writer copies text in two passes, byte by byte: one that
// resolves backslash escapes, character references and NUL bytes, and
// one that escapes '"', '&', '<' and '>'. Most runs of text contain none
// of those bytes and come out as they went in; textWriter finds that in
// one pass and writes them in one call. Anything else is left to the
// default writer. TestTextWriter holds it to the default writer's output.
type textWriter struct {
	html.Writer
}

// Bytes that html.DefaultWriter's RawWrite replaces (NUL and the four
// HTML specials), and those its Write also treats specially (the
// backslash of an escape).
var (
	rawSpecial  = specialBytes("\x00\"&<>")
	textSpecial = specialBytes("\x00\"&<>\\")
)

func specialBytes(s string) (set [256]bool) {
	for i := range len(s) {
		set[s[i]] = true
	}
	return set
}

func plain(p []byte, special *[256]bool) bool {
	for _, c := range p {
		if special[c] {
			return false
		}
	}
	return true
}

// Write writes source with escapes and references resolved and HTML
// escaped.
func (w textWriter) Write(out util.BufWriter, source []byte) {
	if plain(source, &textSpecial) {
		_, _ = out.Write(source)
		return
	}
	w.Writer.Write(out, source)
}

// RawWrite writes source HTML-escaped.
func (w textWriter) RawWrite(out util.BufWriter, source []byte) {
	if plain(source, &rawSpecial) {
		_, _ = out.Write(source)
		return
	}
	w.Writer.RawWrite(out, source)
}
