package review

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordTokens splits s into words (runs of letters, digits and marks),
// runs of white space, and single other characters. Han, Kana and Thai
// characters are words of their own, as in countWords: those scripts do
// not separate words with spaces.
func wordTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isIdeo(r):
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

func isIdeo(r rune) bool {
	return r >= 0x0E00 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai)
}

// maxDiffCells bounds the dynamic-programming table of wordDiff; a
// larger change (after the common prefix and suffix are trimmed) is
// reported as one replacement.
const maxDiffCells = 4 << 20

// wordDiff returns the word-level diff of old and new: the longest
// common subsequence of their tokens, as equal, delete and insert spans.
func wordDiff(old, new string) []Span {
	a, b := wordTokens(old), wordTokens(new)
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
	var ops []op
	for _, t := range a[:pre] {
		ops = append(ops, op{'=', t})
	}
	if len(ma)*len(mb) <= maxDiffCells {
		n, m := len(ma), len(mb)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				ops = append(ops, op{'=', ma[i]})
				i++
				j++
			case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
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
	for _, t := range a[len(a)-suf:] {
		ops = append(ops, op{'=', t})
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
			spans = append(spans, Span{Op: "equal", Text: b.String(), Old: po, New: pn})
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
			spans = append(spans, Span{Op: "delete", Text: del.String(), Old: po, New: pn})
			po += del.Len()
		}
		if ins.Len() > 0 {
			spans = append(spans, Span{Op: "insert", Text: ins.String(), Old: po, New: pn})
			pn += ins.Len()
		}
	}
	return spans
}
