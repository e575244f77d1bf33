// Package redline compares two versions of one page section by section,
// for the "what changed" pages of policy versions: sections are aligned
// by ID, and the blocks of a changed section are marked added, removed
// or unchanged.
package redline

import (
	"bytes"
	"strings"

	"policysite/generator/markdown"
)

// A Section is one heading of a page and its text up to the next
// heading; the text before the first heading is a section without ID,
// heading or level.
type Section struct {
	ID, Heading string
	Level       int
	Text        string // the section's Markdown without its heading line
}

// A Change is how one section differs between two versions.
type Change struct {
	Kind     string // "added", "removed", "changed", "unchanged"
	Old, New *Section
	Blocks   []Block // for "changed": aligned blocks (paragraphs, list items, table rows) as plain text; for "added" and "removed", the section's blocks
}

// A Block is one block of a changed section.
type Block struct {
	Kind  string // "added", "removed", "changed", "unchanged"
	Spans []Span
}

// A Span is a run of a block's text.
type Span struct {
	Op   string // "equal", "insert", "delete"
	Text string
}

// Sections splits body, a resolved page's Markdown, at its headings.
func Sections(md *markdown.Markdown, body []byte) []Section {
	hs := md.Outline(body)
	var out []Section
	start := 0
	if len(hs) == 0 || len(bytes.TrimSpace(body[:hs[0].Offset])) > 0 {
		end := len(body)
		if len(hs) > 0 {
			end = hs[0].Offset
		}
		out = append(out, Section{Text: string(body[:end])})
	}
	for i, h := range hs {
		start = h.Offset
		// The heading is the first line (ATX) or the first two (setext).
		textStart := lineEnd(body, start)
		if textStart < len(body) && (h.Level <= 2) && isUnderline(body[textStart:lineEnd(body, textStart)]) {
			textStart = lineEnd(body, textStart)
		}
		end := len(body)
		if i+1 < len(hs) {
			end = hs[i+1].Offset
		}
		textStart = min(textStart, end)
		out = append(out, Section{ID: h.ID, Heading: h.Text, Level: h.Level, Text: string(body[textStart:end])})
	}
	return out
}

func lineEnd(b []byte, i int) int {
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(b)
}

func isUnderline(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) > 0 && (len(bytes.Trim(t, "=")) == 0 || len(bytes.Trim(t, "-")) == 0)
}

// Compare aligns the sections of two versions by ID, in the new
// version's order, with the removed sections where they stood.
func Compare(old, new []Section) []Change {
	oldByID := map[string]int{}
	for i, s := range old {
		oldByID[s.ID] = i
	}
	used := make([]bool, len(old))
	var out []Change
	next := 0 // the next old section not yet placed
	flushRemoved := func(upTo int) {
		for ; next < upTo; next++ {
			if !used[next] {
				used[next] = true
				out = append(out, Change{Kind: "removed", Old: &old[next], Blocks: compareBlocks(blocks(old[next].Text), nil)})
			}
		}
	}
	for i := range new {
		n := &new[i]
		j, ok := oldByID[n.ID]
		if !ok || used[j] {
			out = append(out, Change{Kind: "added", New: n, Blocks: compareBlocks(nil, blocks(n.Text))})
			continue
		}
		if j >= next {
			flushRemoved(j)
			next = j + 1
		}
		used[j] = true
		o := &old[j]
		if normalize(o.Text) == normalize(n.Text) && o.Heading == n.Heading {
			out = append(out, Change{Kind: "unchanged", Old: o, New: n})
			continue
		}
		out = append(out, Change{Kind: "changed", Old: o, New: n, Blocks: compareBlocks(blocks(o.Text), blocks(n.Text))})
	}
	flushRemoved(len(old))
	return out
}

// blocks splits Markdown into its blocks: paragraphs, list items and
// table rows, as plain lines of text.
func blocks(md string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "|"):
			flush()
			if strings.Trim(t, "|-: ") != "" {
				out = append(out, t)
			}
		case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "), strings.HasPrefix(t, "+ "), isOrdered(t):
			flush()
			cur = append(cur, t)
		default:
			cur = append(cur, t)
		}
	}
	flush()
	return out
}

func isOrdered(t string) bool {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t)-1 && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

// normalize makes text that differs only in spacing compare equal.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// compareBlocks aligns two lists of blocks by their longest common
// subsequence and marks the others added or removed.
func compareBlocks(a, b []string) []Block {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if normalize(a[i]) == normalize(b[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Block
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && normalize(a[i]) == normalize(b[j]):
			out = append(out, Block{Kind: "unchanged", Spans: []Span{{Op: "equal", Text: b[j]}}})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			// Removed text comes before the text that replaced it.
			out = append(out, Block{Kind: "removed", Spans: []Span{{Op: "delete", Text: a[i]}}})
			i++
		default:
			out = append(out, Block{Kind: "added", Spans: []Span{{Op: "insert", Text: b[j]}}})
			j++
		}
	}
	return out
}
