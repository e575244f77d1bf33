// Package redline compares two versions of a page in one language and
// says what changed, as a reader would: the sections of the two versions
// paired even when they were renamed or moved, and in each changed
// section the paragraphs, list items, table rows and headings that
// changed, word by word, as plain text.
package redline

import (
	"bytes"
	"slices"

	"policysite/generator/markdown"
)

// IntroID is the ID of a page's introduction: its text before the first
// heading (a leading H1, the title of a file without front matter,
// belongs to it). It is the ID package review gives it.
const IntroID = "_intro"

// The kinds of a Change and of a Block.
const (
	Added     = "added"
	Removed   = "removed"
	Changed   = "changed"
	Unchanged = "unchanged"
)

// The operations of a Span.
const (
	Equal  = "equal"
	Insert = "insert"
	Delete = "delete"
)

// A Section is a heading and its own text, up to the next heading of any
// level: sub-sections are sections of their own.
type Section struct {
	// ID is the heading's {#id} or generated ID, IntroID for the
	// introduction.
	ID string
	// Heading is the heading's text, "" for the introduction.
	Heading string
	// Level is the heading's level, 0 for the introduction.
	Level int
	// Text is the section's Markdown without its heading line.
	Text string

	// blocks is the text a reader sees, when Sections made the section
	// (with the rest of the document, so that reference links resolve);
	// Compare reads Text otherwise.
	blocks    []markdown.TextBlock
	hasBlocks bool
}

// A Change says how one section differs between the two versions.
type Change struct {
	Kind string // Added, Removed, Changed or Unchanged
	// Old and New are the section in each version; Old is nil for an
	// added section, New for a removed one.
	Old, New *Section
	// Moved is set for a section that changed places with others
	// (its Kind is Changed, even if its text did not change).
	Moved bool
	// Blocks are what to show of the section: for Added and Removed all
	// of its blocks, for Changed the changed blocks with one unchanged
	// block of context around each run of them, and a Heading block first
	// when the heading changed. Unchanged sections have none.
	Blocks []Block
}

// A Block is one paragraph, list item, table row, heading or code block
// of a section, as plain text.
type Block struct {
	Kind  string // Added, Removed, Changed or Unchanged
	Spans []Span
	// Type is the block's kind in the document: markdown.BlockParagraph,
	// BlockItem, BlockRow (cells separated by markdown.CellSeparator),
	// BlockHeading or BlockCode.
	Type string
	// Level is a heading's level or a list item's depth; Number an
	// ordered list item's number in the version it is shown from (the
	// new one, unless it was removed).
	Level, Number int
	// Header is set for a table's header row, which is shown as context
	// for a change in the table's other rows.
	Header bool
	// Skipped is how many unchanged blocks of the section were left out
	// before this one.
	Skipped int
}

// A Span is a run of a block's text: the same in both versions (Equal),
// only in the new one (Insert) or only in the old one (Delete).
type Span struct {
	Op   string
	Text string
}

// Sections splits a document body (after front matter, inheritance
// resolved) into its sections, in order: the introduction, when there is
// text before the first heading, then one per heading.
func Sections(md *markdown.Markdown, body []byte) []Section {
	// One parse gives the headings and the text between them.
	blocks := md.TextBlocks(body)
	var heads []int // indices of the section headings in blocks
	for k, b := range blocks {
		if b.Kind == markdown.BlockHeading {
			heads = append(heads, k)
		}
	}
	// A leading H1 is the page's title, not a section: it belongs to the
	// introduction.
	if len(heads) > 0 && blocks[heads[0]].Level == 1 && len(bytes.TrimSpace(body[:blocks[heads[0]].Offset])) == 0 {
		heads = heads[1:]
	}
	var secs []Section
	var starts []int // where each section starts in body
	introEnd := len(body)
	if len(heads) > 0 {
		introEnd = blocks[heads[0]].Offset
	}
	if len(bytes.TrimSpace(body[:introEnd])) > 0 {
		secs = append(secs, Section{ID: IntroID, Text: string(body[:introEnd]), hasBlocks: true})
		starts = append(starts, 0)
	}
	own := make(map[int]bool, len(heads))
	for i, k := range heads {
		h := blocks[k]
		own[k] = true
		end := len(body)
		if i+1 < len(heads) {
			end = blocks[heads[i+1]].Offset
		}
		textStart := min(headingEnd(body, h.Offset), end)
		secs = append(secs, Section{ID: h.ID, Heading: h.Text, Level: h.Level, Text: string(body[textStart:end]), hasBlocks: true})
		starts = append(starts, h.Offset)
	}
	// A block belongs to the section its offset is in: footnotes, which
	// goldmark moves to the end, to the section that defines them.
	for k, b := range blocks {
		if own[k] {
			continue
		}
		i, found := slices.BinarySearch(starts, b.Offset)
		if !found {
			i--
		}
		if i < 0 {
			i = 0 // text the intro check saw as blank: no section before it
			if len(secs) == 0 {
				continue
			}
		}
		secs[i].blocks = append(secs[i].blocks, b)
	}
	return secs
}

// headingEnd returns the offset after the heading whose first line
// starts at off: after its line for an ATX heading ("## Text"), after
// its underline for a setext one.
func headingEnd(body []byte, off int) int {
	line, next := lineAt(body, off)
	if t := bytes.TrimLeft(line, " "); len(t) > 0 && t[0] == '#' {
		return next
	}
	for next < len(body) {
		line, n := lineAt(body, next)
		next = n
		if t := bytes.TrimSpace(line); len(t) > 0 && (len(bytes.Trim(t, "=")) == 0 || len(bytes.Trim(t, "-")) == 0) {
			break
		}
	}
	return next
}

// lineAt returns the line starting at off, without its line end, and
// the offset of the next line.
func lineAt(body []byte, off int) ([]byte, int) {
	i := bytes.IndexByte(body[off:], '\n')
	if i < 0 {
		return body[off:], len(body)
	}
	return bytes.TrimSuffix(body[off:off+i], []byte("\r")), off + i + 1
}
