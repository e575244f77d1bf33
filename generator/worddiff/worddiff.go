// Package worddiff computes the word-level difference of two texts in
// any script: the longest common subsequence of their words, white
// space and punctuation, where each character of a script written
// without spaces between words (Han, Kana, Thai) counts as a word.
package worddiff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The operations of a Span.
const (
	Equal  = "equal"
	Delete = "delete"
	Insert = "insert"
)

// A Span is a run of a diff: text in both texts (Equal), only in the old
// one (Delete) or only in the new one (Insert).
type Span struct {
	Op   string
	Text string
	// Old and New are the byte offsets of the span in the old and the
	// new text (where it would be, for an insert or a delete).
	Old, New int
}

// Tokens splits s into words (runs of letters, digits and marks), runs
// of white space, and single other characters. A Han, Kana or Thai
// character, with the combining marks that follow it (Thai vowel and
// tone marks, Japanese voicing marks, variation selectors), is a word of
// its own: those scripts do not separate words with spaces, and a mark
// split from its base character would show as a change on its own.
func Tokens(s string) []string {
	out := make([]string, 0, len(s)/4+1)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isIdeo(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsMark(r2) {
					break
				}
				j += n2
			}
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) || isIdeo(r2) {
					break
				}
				j += n2
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// isIdeo reports whether r is a character of a script that does not
// separate words, other than a combining mark (Thai vowel signs above
// and below are in the Thai script too).
func isIdeo(r rune) bool {
	return r >= 0x0E00 && !unicode.IsMark(r) && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai)
}

// maxDiffCells bounds the dynamic-programming table of Diff; a larger
// change (after the common prefix and suffix are trimmed) is reported
// as one replacement.
const maxDiffCells = 4 << 20

// Diff returns the word-level diff of old and new: the longest common
// subsequence of their tokens (see Tokens), as equal, delete and insert
// spans. The spans cover both texts in order; in each changed run the
// deletion comes before the insertion.
func Diff(old, new string) []Span {
	a, b := Tokens(old), Tokens(new)
	// The common prefix and suffix are most of a small edit and cost
	// nothing to find.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	type op struct {
		kind byte // '=', '-', '+'
		tok  string
	}
	// The common prefix and suffix are one equal op each: neither can
	// take part in the lone-space rule below, which looks at ops
	// between two changes.
	preLen, sufLen := 0, 0
	for _, t := range a[:pre] {
		preLen += len(t)
	}
	for _, t := range a[len(a)-suf:] {
		sufLen += len(t)
	}
	ops := make([]op, 0, len(ma)+len(mb)+2)
	if pre > 0 {
		ops = append(ops, op{'=', old[:preLen]})
	}
	if len(ma)*len(mb) <= maxDiffCells {
		n, m := len(ma), len(mb)
		// Tokens as numbers: the table compares n×m of them.
		ids := make(map[string]int32, n+m)
		num := func(toks []string) []int32 {
			out := make([]int32, len(toks))
			for k, t := range toks {
				id, ok := ids[t]
				if !ok {
					id = int32(len(ids))
					ids[t] = id
				}
				out[k] = id
			}
			return out
		}
		na, nb := num(ma), num(mb)
		// One backing array for the table: a row per token of ma.
		w := m + 1
		cells := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			row, next := cells[i*w:(i+1)*w], cells[(i+1)*w:(i+2)*w]
			x := na[i]
			for j := m - 1; j >= 0; j-- {
				if x == nb[j] {
					row[j] = next[j+1] + 1
				} else {
					row[j] = max(next[j], row[j+1])
				}
			}
		}
		at := func(i, j int) int32 { return cells[i*w+j] }
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && na[i] == nb[j]:
				ops = append(ops, op{'=', ma[i]})
				i++
				j++
			case j < m && (i == n || at(i, j+1) >= at(i+1, j)):
				ops = append(ops, op{'+', mb[j]})
				j++
			default:
				ops = append(ops, op{'-', ma[i]})
				i++
			}
		}
	} else {
		for _, t := range ma {
			ops = append(ops, op{'-', t})
		}
		for _, t := range mb {
			ops = append(ops, op{'+', t})
		}
	}
	if suf > 0 {
		ops = append(ops, op{'=', old[len(old)-sufLen:]})
	}
	// A lone space kept between two changes reads better as part of
	// them: "[-a b-]{+c d+}" rather than "[-a-]{+c+} [-b-]{+d+}".
	for k := 1; k+1 < len(ops); k++ {
		if ops[k].kind == '=' && strings.TrimSpace(ops[k].tok) == "" && ops[k-1].kind != '=' && ops[k+1].kind != '=' {
			ops = append(ops[:k], append([]op{{'-', ops[k].tok}, {'+', ops[k].tok}}, ops[k+1:]...)...)
			k++
		}
	}
	// Group the deletions and insertions of each changed run: all of
	// the run's deletions first, then its insertions.
	var spans []Span
	po, pn := 0, 0
	for k := 0; k < len(ops); {
		if ops[k].kind == '=' {
			var b strings.Builder
			for ; k < len(ops) && ops[k].kind == '='; k++ {
				b.WriteString(ops[k].tok)
			}
			spans = append(spans, Span{Op: Equal, Text: b.String(), Old: po, New: pn})
			po += b.Len()
			pn += b.Len()
			continue
		}
		var del, ins strings.Builder
		for ; k < len(ops) && ops[k].kind != '='; k++ {
			if ops[k].kind == '-' {
				del.WriteString(ops[k].tok)
			} else {
				ins.WriteString(ops[k].tok)
			}
		}
		if del.Len() > 0 {
			spans = append(spans, Span{Op: Delete, Text: del.String(), Old: po, New: pn})
			po += del.Len()
		}
		if ins.Len() > 0 {
			spans = append(spans, Span{Op: Insert, Text: ins.String(), Old: po, New: pn})
			pn += ins.Len()
		}
	}
	return spans
}
