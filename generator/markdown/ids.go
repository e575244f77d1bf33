package markdown

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// HeadingIDs names an algorithm that turns heading text into an ID. The
// zero value is GitHub's.
type HeadingIDs string

// The heading-ID algorithms, as markdown.headingIDs in site.toml names
// them. Each produces the IDs the tool it is named after produces, so
// links written for that tool keep working.
const (
	// IDsGitHub is github-slugger's, which GitHub, Docusaurus and
	// GitLab use: lowercased letters, marks, digits and letter numbers
	// ("Ⅻ"), '_' and '-' kept,
	// each space a '-', everything else dropped ("kobold.cpp" →
	// "koboldcpp", "Données personnelles" → "données-personnelles").
	// Duplicates get "-1", "-2".
	IDsGitHub HeadingIDs = "github"
	// IDsHugo is Hugo's default ("github" in Hugo's configuration): as
	// IDsGitHub but combining marks and digits other than 0–9 in any
	// script are dropped too.
	IDsHugo HeadingIDs = "hugo"
	// IDsPython is Python-Markdown's toc slugify, which MkDocs uses:
	// letters reduced to ASCII (accents dropped, other scripts lost),
	// runs of spaces and '-' folded into one '-'. Duplicates get "_1",
	// "_2".
	IDsPython HeadingIDs = "python-markdown"
	// IDsPythonUnicode is Python-Markdown's slugify_unicode, which MkDocs
	// sites with non-Latin text configure: as IDsPython but NFKC and
	// letters and digits of every script kept (combining marks are
	// dropped, as Python's \w drops them).
	IDsPythonUnicode HeadingIDs = "python-markdown-unicode"
	// IDsCompact is policysite's algorithm before 2026-12: letters,
	// marks and digits of every script kept and lowercased, every run of
	// anything else folded into one '-' ("how-we-use-data-1-2").
	IDsCompact HeadingIDs = "compact"
)

// ParseHeadingIDs returns the algorithm named s: "" or "github",
// "hugo", "python-markdown" (or "mkdocs"), "python-markdown-unicode"
// (or "mkdocs-unicode"), or "compact".
func ParseHeadingIDs(s string) (HeadingIDs, error) {
	switch strings.ToLower(s) {
	case "", "github", "docusaurus":
		return IDsGitHub, nil
	case "hugo":
		return IDsHugo, nil
	case "python-markdown", "mkdocs":
		return IDsPython, nil
	case "python-markdown-unicode", "mkdocs-unicode":
		return IDsPythonUnicode, nil
	case "compact":
		return IDsCompact, nil
	}
	return "", fmt.Errorf("unknown heading-ID algorithm %q; use \"github\", \"hugo\", \"python-markdown\", \"python-markdown-unicode\" or \"compact\"", s)
}

// ids makes heading IDs unique within one page. A value is used for one
// document only; it is not safe for concurrent use.
//
// Generating n IDs takes time linear in n: next remembers, for each
// base, the suffix to try first, so a run of identical headings does
// not test every earlier suffix again.
type ids struct {
	algo HeadingIDs
	used map[string]bool
	next map[string]int
}

func newIDs(algo HeadingIDs) *ids {
	return &ids{algo: algo, used: map[string]bool{}, next: map[string]int{}}
}

// put records an ID taken by an explicit {#id} or an HTML id.
func (s *ids) put(id string) { s.used[id] = true }

// generate returns a unique ID for heading text.
func (s *ids) generate(value []byte) string {
	base := s.algo.Slug(value)
	sep := "-"
	python := s.algo == IDsPython || s.algo == IDsPythonUnicode
	if python {
		sep = "_"
	}
	if base == "" && !python {
		base = "section"
	}
	id := base
	if s.used[id] || id == "" {
		i := max(s.next[base], 1)
		for id = base + sep + strconv.Itoa(i); s.used[id]; id = base + sep + strconv.Itoa(i) {
			i++
		}
		s.next[base] = i + 1
	}
	s.used[id] = true
	return id
}

// Slug returns the ID form of a heading's text under algorithm a,
// before duplicates are numbered.
func (a HeadingIDs) Slug(value []byte) string {
	value = headingText(value)
	switch a {
	case IDsHugo:
		return slugHugo(value)
	case IDsPython:
		return slugPython(value, false)
	case IDsPythonUnicode:
		return slugPython(value, true)
	case IDsCompact:
		return Slug(value)
	}
	return slugGitHub(value)
}

// headingText removes from the source of a heading the parts that are
// not its text, so that an ID computed from the source is the one other
// tools compute from the rendered text: link destinations ("](url)"),
// HTML tags, footnote references ("[^1]") and backslashes of escapes.
// It returns value itself when there is nothing to remove.
func headingText(value []byte) []byte {
	if !bytes.ContainsAny(value, "]<\\[") {
		return value
	}
	out := make([]byte, 0, len(value))
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case c == '\\' && i+1 < len(value) && value[i+1] < utf8.RuneSelf && unicode.IsPunct(rune(value[i+1])):
			i++
			out = append(out, value[i])
			continue
		case c == ']' && i+1 < len(value) && value[i+1] == '(':
			if j := bytes.IndexByte(value[i:], ')'); j > 0 {
				i += j
				continue
			}
		case c == '<':
			if j := bytes.IndexByte(value[i:], '>'); j > 0 {
				i += j
				continue
			}
		case c == '[' && i+1 < len(value) && value[i+1] == '^':
			if j := bytes.IndexByte(value[i:], ']'); j > 0 {
				i += j
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func slugGitHub(value []byte) string {
	var b strings.Builder
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || unicode.Is(unicode.Nl, r):
			// github-slugger removes the other numbers (No: "²", "½")
			// with punctuation, symbols and separators.
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func slugHugo(value []byte) string {
	var b strings.Builder
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// slugPython is Python-Markdown's markdown.extensions.toc.slugify:
// NFKD, non-ASCII dropped, [^\w\s-] dropped, trimmed, lowercased,
// [-\s]+ replaced by '-'. With unicode set it is slugify_unicode: NFKC
// and \w of every script (letters, digits, '_').
func slugPython(value []byte, unicodeWords bool) string {
	var kept []rune
	form := norm.NFKD
	if unicodeWords {
		form = norm.NFKC
	}
	for _, r := range string(form.Bytes(value)) {
		switch {
		case r == '_' || r == '-' || unicode.IsSpace(r):
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'):
		case unicodeWords && (unicode.IsLetter(r) || unicode.IsNumber(r)):
		default:
			continue
		}
		kept = append(kept, r)
	}
	trimmed := strings.ToLower(strings.TrimSpace(string(kept)))
	var b strings.Builder
	sep := false
	for _, r := range trimmed {
		if r == '-' || unicode.IsSpace(r) {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// Slug returns the IDsCompact form of a heading's text: letters, marks
// and digits of every script lowercased, runs of anything else folded
// into one '-'.
func Slug(value []byte) string {
	var b bytes.Buffer
	dash := false
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}
