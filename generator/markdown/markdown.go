// Package markdown converts policy Markdown to HTML with goldmark: GFM
// tables, footnotes, heading IDs compatible with GitHub, Hugo or
// Python-Markdown (ids.go), numbered sections, a table of contents and
// links between pages written as relative .md paths. It reads other
// tools' syntax: kramdown / Python-Markdown attribute lists (attrs.go),
// MkDocs and Docusaurus admonitions, Hugo shortcodes and MDX imports
// (dialects.go); sanitizes raw HTML (sanitize.go); and refuses, before
// parsing, documents over the limits that keep its work linear in their
// size (limits.go).
package markdown

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"policysite/generator/diag"
)

// Options configure a Markdown converter.
type Options struct {
	// Unsafe passes raw HTML through as written. Default false: raw HTML
	// is sanitized, keeping safe elements and attributes (tables, <a
	// id>, <span>, <details>, …) and removing scripts, event handlers
	// and script URLs.
	Unsafe bool
	// HeadingIDs is the algorithm of generated heading IDs. Default
	// (""): IDsGitHub.
	HeadingIDs HeadingIDs
	// Limits bound the work of one document. Zero fields take the
	// values of DefaultLimits.
	Limits Limits
}

// Markdown converts Markdown documents. It is safe for concurrent use.
type Markdown struct {
	md goldmark.Markdown
	// outline parses blocks, and the inline content of headings only:
	// headings, their IDs and positions need no inline parsing, which is
	// most of the cost of a parse.
	outline parser.Parser
	// text parses documents for TextBlocks.
	text   parser.Parser
	unsafe bool
	limits Limits
	policy *bluemonday.Policy
}

// New returns a converter configured by opts.
func New(opts Options) *Markdown { return newMarkdown(opts, false) }

// newMarkdown returns a converter configured by opts. All goldmark
// options are chosen here and nowhere else. With reference set it uses
// goldmark's own autolink parser and HTML writer instead of the faster
// linkify and textWriter, for tests that require the same output.
func newMarkdown(opts Options, reference bool) *Markdown {
	var autolinks goldmark.Extender = linkify{}
	var writer html.Writer = textWriter{html.DefaultWriter}
	if reference {
		autolinks, writer = extension.Linkify, html.DefaultWriter
	}
	rendererOpts := []renderer.Option{html.WithWriter(writer)}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	ids := idTransformer{algo: opts.HeadingIDs}
	// withExtensions is a converter with the block and inline syntax of
	// every document and the given extensions.
	withExtensions := func(exts ...goldmark.Extender) goldmark.Markdown {
		blockParsers := append(headingParsers(), dialectBlockParsers()...)
		return goldmark.New(
			goldmark.WithParser(parser.NewParser(
				parser.WithBlockParsers(blockParsers...),
				parser.WithInlineParsers(parser.DefaultInlineParsers()...),
				parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
			)),
			goldmark.WithExtensions(exts...),
			goldmark.WithParserOptions(
				parser.WithHeadingAttribute(),
				parser.WithParagraphTransformers(util.Prioritized(ialParagraphs{}, prioIAL)),
				parser.WithASTTransformers(util.Prioritized(ids, prioIDs), util.Prioritized(inlineIALs{}, prioInlineIALs)),
			),
			goldmark.WithRendererOptions(rendererOpts...),
		)
	}
	md := withExtensions(tables{}, extension.Strikethrough, autolinks, extension.Footnote, sections{}, pageLinks{}, dialects{})
	// TextBlocks needs neither autolinks (a bare URL reads the same as
	// text as it does as a link, and finding them is a third of a parse)
	// nor the extensions that only fill a Result.
	textParser := withExtensions(tables{}, extension.Strikethrough, extension.Footnote, dialects{}).Parser()
	outline := newOutlineParser(opts, util.Prioritized(skipText{}, 0))
	return &Markdown{md: md, outline: outline, text: textParser, unsafe: opts.Unsafe, limits: opts.Limits.withDefaults(), policy: newPolicy()}
}

// newOutlineParser returns the block parser of Outline with the given
// inline parsers.
func newOutlineParser(opts Options, inline ...util.PrioritizedValue) parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(append(headingParsers(), dialectBlockParsers()...)...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		parser.WithParagraphTransformers(util.Prioritized(ialParagraphs{}, prioIAL)),
		parser.WithInlineParsers(inline...),
		parser.WithASTTransformers(util.Prioritized(idTransformer{algo: opts.HeadingIDs}, prioIDs)),
		parser.WithHeadingAttribute(),
	)
}

// A Heading is one heading of a document's outline.
type Heading struct {
	Level int
	// ID is the explicit {#id} or the generated one.
	ID       string
	Explicit bool
	Text     string
	// Offset is the byte offset of the heading's first line in the source.
	Offset int
	// After and Before are the anchors of an inserted section
	// ({#id after="other"}), or "".
	After, Before string
}

// Outline returns the headings of src in document order. IDs are
// generated exactly as Render generates them. It returns nil for a
// document over one of the limits, which Check and Render report.
func (m *Markdown) Outline(src []byte) []Heading {
	if m.Check(src) != nil {
		return nil
	}
	doc := m.outline.Parse(text.NewReader(src))
	var out []Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		hd := Heading{Level: h.Level, Text: plainText(h, src), Offset: lineStart(src, nodeOffset(h))}
		if v, ok := h.AttributeString("id"); ok {
			hd.ID = attrString(v)
		}
		hd.Explicit = hasExplicitID(src, h)
		if v, ok := h.AttributeString("after"); ok {
			hd.After = attrString(v)
		}
		if v, ok := h.AttributeString("before"); ok {
			hd.Before = attrString(v)
		}
		out = append(out, hd)
		return ast.WalkSkipChildren, nil
	})
	return out
}

// skipText is the outline parser's only inline parser. Goldmark scans
// the inline content of every block byte by byte, but an outline reads
// only the text of headings; skipText passes over the rest of each line
// of any other block in one step. Headings are parsed as without it: it
// declines them, and goldmark then only splits a heading's text at spaces
// into adjacent Text nodes, which plainText joins to the same string.
type skipText struct{}

// Trigger returns ' ', which goldmark also uses for the start of a line.
func (skipText) Trigger() []byte { return []byte{' '} }

func (skipText) Parse(parent ast.Node, block text.Reader, _ parser.Context) ast.Node {
	if parent.Kind() == ast.KindHeading {
		return nil
	}
	_, seg := block.PeekLine()
	block.AdvanceLine()
	return ast.NewTextSegment(seg)
}

// hasExplicitID reports whether the heading's source line carries {#id}.
func hasExplicitID(src []byte, h *ast.Heading) bool {
	off := nodeOffset(h)
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src) - off
	}
	line := src[off : off+end]
	i := bytes.LastIndexByte(line, '{')
	return i >= 0 && bytes.Contains(line[i:], []byte("#"))
}

// A TOCEntry is one H2 or H3 of a rendered page.
type TOCEntry struct {
	Level  int
	ID     string
	Text   string
	Number string // "2.1", or "" when sections are not numbered
}

// A Problem is something wrong in the source at a byte offset.
type Problem struct {
	Offset int
	Err    error
}

// RenderOptions control one conversion.
type RenderOptions struct {
	// Resolve maps the destination of a link or image that stays on the
	// site (neither IsExternal nor only a #fragment), such as
	// "cookies.md#analytics", "/privacy/" or "img/diagram.png", to the
	// URL written into the page. An error is recorded as a Problem and
	// the destination left as written. When nil, every destination is
	// left as written.
	Resolve func(dest string) (string, error)
	// Number prefixes H2 and H3 headings with their section numbers:
	// always (true), never (false) or, when nil, for documents with at
	// least AutoNumberMin H2 sections.
	Number *bool
}

// Result is a converted document.
type Result struct {
	HTML []byte
	// Title is the text of a leading H1, which is removed from HTML.
	Title string
	TOC   []TOCEntry
	// IDs lists every id attribute of the rendered headings: every ID
	// here is a target of #fragment links.
	IDs []string
	// Links lists the links to fragments and the rewritten links and
	// images, in document order, for link checks.
	Links    []Link
	Problems []Problem
	// Warnings lists what was accepted but changed: another tool's
	// syntax, unsafe raw HTML removed.
	Warnings []Warning
	// Numbered reports whether headings were numbered.
	Numbered bool
}

// A Warning is something in the source, at a byte offset, that was
// rendered differently from what its author's tool would do, or
// removed. Kind names it in the user's terms and groups warnings in a
// build's summary; see diag.Warning, which Diag converts it to.
type Warning struct {
	Offset int
	Kind   string
	Detail string
	Hint   string
}

// Diag returns w as a diag.Warning at file:line, seen in the given
// locales.
func (w Warning) Diag(file string, line int, locales ...string) diag.Warning {
	return diag.Warning{Kind: w.Kind, File: file, Line: line, Detail: w.Detail, Hint: w.Hint, Locales: locales}
}

// AutoNumberMin is how many H2 sections make a document numbered and
// give it a table of contents when its front matter does not say.
const AutoNumberMin = 3

// A Link is a link to a #fragment of the page, or a link or image
// rewritten by RenderOptions.Resolve.
type Link struct {
	Offset int
	Dest   string // as written
	URL    string // rewritten
	Image  bool
}

var docKey = parser.NewContextKey()

// docState carries one conversion's options and findings between the
// AST transformers and the caller.
type docState struct {
	opts   RenderOptions
	unsafe bool
	limits Limits
	policy *bluemonday.Policy
	res    *Result
	src    []byte
	// stop, when set by a transformer, is a limit the document is over;
	// it is not rendered.
	stop *LimitError
	// open counts, per paragraph, the inline HTML tags kept open by
	// sanitizing (see balance).
	open map[ast.Node]map[string]int
	// sanitized caches sanitize's results by fragment.
	sanitized map[string]sanitized
}

// warn records a warning at offset.
func (st *docState) warn(offset int, kind, detail, hint string) {
	st.res.Warnings = append(st.res.Warnings, Warning{Offset: offset, Kind: kind, Detail: detail, Hint: hint})
}

// Render converts src. A document over one of the limits is not parsed:
// its Result holds only the Problem that says which limit.
func (m *Markdown) Render(src []byte, opts RenderOptions) (Result, error) {
	var res Result
	if err := m.Check(src); err != nil {
		res.Problems = []Problem{{Offset: err.Offset, Err: err}}
		return res, nil
	}
	st := &docState{opts: opts, unsafe: m.unsafe, limits: m.limits, policy: m.policy, res: &res, src: src}
	pc := parser.NewContext()
	pc.Set(docKey, st)
	doc := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if st.stop != nil {
		res = Result{Problems: []Problem{{Offset: st.stop.Offset, Err: st.stop}}}
		return res, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(src) * 5 / 4)
	if err := m.md.Renderer().Render(&buf, src, doc); err != nil {
		return Result{}, fmt.Errorf("rendering markdown: %w", err)
	}
	res.HTML = buf.Bytes()
	slices.SortStableFunc(res.Warnings, func(a, b Warning) int { return cmp.Compare(a.Offset, b.Offset) })
	return res, nil
}

func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// nodeOffset returns the source offset where n starts.
func nodeOffset(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if off := nodeOffset(c); off > 0 {
			return off
		}
	}
	if p := n.Parent(); p != nil && p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
		return p.Lines().At(0).Start
	}
	return 0
}

func lineStart(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// plainText returns the text of n's inline children, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *sectionNumber:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
