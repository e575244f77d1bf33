package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/markdown"
)

// IntroID is the section ID of a page's introduction: the text before
// its first heading (after a leading H1 title). Generated heading IDs
// never start with an underscore followed by "intro" unless the heading
// says so, which no policy heading does.
const IntroID = "_intro"

// A section is one heading and its own text, up to the next heading of
// any level; sub-sections are sections of their own.
type section struct {
	ID       string
	Explicit bool
	Level    int // 0 for the introduction
	Title    string
	Index    int
	// Start and End delimit the section in the document body.
	Start, End int
	// File is the content file the section's text comes from, and
	// FileOff the offset of Start in File.Body.
	File    *content.File
	FileOff int
	Line    int
	Words   int
	Digest  string
	Metrics Metrics
}

// An analysis is one merged document split into sections.
type analysis struct {
	Body     []byte
	Title    string
	Sections []*section
	Words    int
	// regional are the changes region override files make to the
	// document.
	regional *regionalEdits
}

// Metrics are the countable features of a section's text that a
// translation must keep.
type Metrics struct {
	ListItems int
	Tables    []Table
	Links     []string
	Images    []string
	Numbers   []string
	Dates     []string
	Emails    []string
	URLs      []string
	Code      []string
}

// A Table is the shape of one table: rows including the header row.
type Table struct {
	Rows    int `json:"rows"`
	Columns int `json:"columns"`
}

// newParser returns the goldmark parser used for counting. It has the
// block syntax of markdown.New (tables, footnotes, heading attributes)
// so that it sees the same headings and tables. Bare URLs and addresses
// are found in the text by extractText instead of goldmark's linkify,
// which costs a third of the parse.
func newParser() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Footnote),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	).Parser()
}

// analyse splits a merged document into sections and measures each.
//
// lex returns the lexicon of a locale, for the dates and numbers of the
// sections that come from its files.
func analyse(p parser.Parser, md *markdown.Markdown, d *inherit.Doc, lex func(tag string) *lexicon) *analysis {
	body := d.Body
	var outline []markdown.Heading
	if len(d.Files) == 1 && d.File != nil && bytes.Equal(d.File.Body, body) {
		outline = d.File.Outline()
	} else {
		outline = md.Outline(body)
	}
	a := &analysis{Body: body, Title: d.Meta.Title}
	heads := outline
	introEnd := len(body)
	// A leading H1 is the page title (files without front matter), not
	// a section: it belongs to the introduction.
	if len(heads) > 0 && heads[0].Level == 1 && len(bytes.TrimSpace(body[:heads[0].Offset])) == 0 {
		if a.Title == "" {
			a.Title = heads[0].Text
		}
		heads = heads[1:]
	}
	if len(heads) > 0 {
		introEnd = heads[0].Offset
	}
	if len(bytes.TrimSpace(body[:introEnd])) > 0 {
		a.Sections = append(a.Sections, &section{ID: IntroID, Explicit: true, Title: "(introduction)", End: introEnd})
	}
	for i, h := range heads {
		end := len(body)
		if i+1 < len(heads) {
			end = heads[i+1].Offset
		}
		a.Sections = append(a.Sections, &section{ID: h.ID, Explicit: h.Explicit, Level: h.Level, Title: h.Text, Start: h.Offset, End: end})
	}
	for i, s := range a.Sections {
		s.Index = i
		s.File, s.FileOff, s.Line = chunkFile(d, s.Start)
		s.Digest = Digest(body[s.Start:s.End])
	}
	texts := make([]strings.Builder, len(a.Sections))
	doc := p.Parse(text.NewReader(body))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		i := a.sectionAt(blockOffset(n))
		if i < 0 {
			continue
		}
		measure(n, body, &a.Sections[i].Metrics, &texts[i])
	}
	for i, s := range a.Sections {
		tag := ""
		if s.File != nil {
			tag = s.File.Locale
		}
		extractText(texts[i].String(), &s.Metrics, lex(tag))
		s.Words = countWords(texts[i].String())
		a.Words += s.Words
	}
	return a
}

// sectionAt returns the index of the section holding body offset off.
func (a *analysis) sectionAt(off int) int {
	i, found := slices.BinarySearchFunc(a.Sections, off, func(s *section, off int) int { return s.Start - off })
	if !found {
		i--
	}
	return i
}

// chunkFile returns the file, offset in its body and line that
// Body[off] comes from.
func chunkFile(d *inherit.Doc, off int) (*content.File, int, int) {
	f, fileOff := chunkOffset(d.Chunks, d.File, off)
	if f == nil {
		return nil, 0, 0
	}
	return f, fileOff, f.Line(fileOff)
}

// chunkOffset returns the file and the offset in its Body that the
// merged body's byte off comes from.
func chunkOffset(chunks []inherit.Chunk, f *content.File, off int) (*content.File, int) {
	fileOff := off
	for _, c := range chunks {
		if c.Off > off {
			break
		}
		f, fileOff = c.File, c.FileOff+off-c.Off
	}
	return f, fileOff
}

// Digest returns the short digest of a section's Markdown that
// --mark-reviewed records: whitespace changes (re-wrapping, CRLF) do
// not change it, any other edit does.
func Digest(src []byte) string {
	h := sha256.New()
	first := true
	for _, w := range bytes.Fields(src) {
		if !first {
			h.Write([]byte{' '})
		}
		first = false
		h.Write(w)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// blockOffset returns the source offset where block n starts.
func blockOffset(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off := blockOffset(c); off >= 0 {
			return off
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	return -1
}

// measure adds the features of block n to m and its plain text to b.
func measure(n ast.Node, src []byte, m *Metrics, b *strings.Builder) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if c.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.ListItem:
			m.ListItems++
			// A lone "5. November 2025" or "2020. szeptember 9." line is
			// an ordered list in Markdown; its number belongs to the
			// text, or the date would not be read.
			if l, ok := c.Parent().(*ast.List); ok && l.IsOrdered() && l.ChildCount() == 1 {
				b.WriteString(strconv.Itoa(l.Start) + ". ")
			}
		case *east.Table:
			t := Table{Columns: len(c.Alignments)}
			for r := c.FirstChild(); r != nil; r = r.NextSibling() {
				t.Rows++
			}
			m.Tables = append(m.Tables, t)
		case *ast.Link:
			// A mail link's text is normally the address itself; it is
			// counted once, as an address.
			if addr, ok := strings.CutPrefix(string(c.Destination), "mailto:"); ok {
				m.Emails = append(m.Emails, strings.ToLower(addr))
				return ast.WalkSkipChildren, nil
			}
			m.Links = append(m.Links, string(c.Destination))
			// A link whose text is an address ([www.example.com](…))
			// names its target once, as a link: its text is kept for
			// the word count only.
			if t := nodeText(c, src); t != "" && (len(findURLs(t)) > 0 || strings.Contains(t, "@")) {
				b.WriteString(strings.Map(func(r rune) rune {
					if strings.ContainsRune(".:/@", r) {
						return ' '
					}
					return r
				}, t))
				return ast.WalkSkipChildren, nil
			}
		case *ast.Image:
			m.Images = append(m.Images, string(c.Destination))
		case *ast.AutoLink:
			u := string(c.URL(src))
			if c.AutoLinkType == ast.AutoLinkEmail {
				m.Emails = append(m.Emails, strings.ToLower(u))
			} else {
				m.URLs = append(m.URLs, u)
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			var code strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					code.Write(s.Segment.Value(src))
				}
			}
			m.Code = append(m.Code, code.String())
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			m.Code = append(m.Code, string(linesOf(c, src)))
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			measureHTML(string(linesOf(c, src)), m, b)
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				measureHTML(string(seg.Value(src)), m, b)
			}
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
}

// nodeText returns the text of the Text children of inline n.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		}
	}
	return b.String()
}

func linesOf(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.Bytes()
}

// countWords counts words the way translation tools do: runs of letters
// and digits, and each Han, Kana or Thai character on its own, since
// those scripts do not separate words with spaces.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		switch {
		case r >= 0x0E00 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai):
			n++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\'' || r == '’' || r == '-' && in:
			if !in {
				n++
			}
			in = true
		default:
			in = false
		}
	}
	return n
}
