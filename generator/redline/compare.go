package redline

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"policysite/generator/markdown"
	"policysite/generator/worddiff"
)

// Similarity thresholds: two sections or blocks that no ID or heading
// pairs are the same one changed only when at least this share of their
// words is common (Dice's coefficient); otherwise one was removed and
// another added.
const (
	minSectionSimilarity = 0.4
	minBlockSimilarity   = 0.3
)

// Compare returns what changed from the sections old to new, in the
// order of new, each removed section where it was. Sections pair by ID,
// then by heading text, then, between paired sections, by position
// when their words are mostly the same (a renamed section with a
// generated ID). A pair out of the order of the others is Moved.
//
// Only what a reader sees counts: a change of white space, emphasis or
// a link's destination alone leaves a section Unchanged.
func Compare(old, new []Section) []Change {
	var md *markdown.Markdown
	ob, nb := make([][]markdown.TextBlock, len(old)), make([][]markdown.TextBlock, len(new))
	blocksOf := func(s *Section) []markdown.TextBlock {
		if s.hasBlocks {
			return s.blocks
		}
		if md == nil {
			md = markdown.New(markdown.Options{})
		}
		return md.TextBlocks([]byte(s.Text))
	}
	for i := range old {
		ob[i] = blocksOf(&old[i])
	}
	for j := range new {
		nb[j] = blocksOf(&new[j])
	}
	match, moved := alignSections(old, new, ob, nb)
	oldUsed := make([]bool, len(old))
	for _, i := range match {
		if i >= 0 {
			oldUsed[i] = true
		}
	}
	// anchor[j] is the old index of the first section from new[j] on
	// that pairs in order: the removed sections before it go before an
	// added section at j.
	anchor := make([]int, len(new)+1)
	anchor[len(new)] = len(old)
	for j := len(new) - 1; j >= 0; j-- {
		anchor[j] = anchor[j+1]
		if match[j] >= 0 && !moved[j] {
			anchor[j] = match[j]
		}
	}
	var out []Change
	next := 0 // the first old section not yet passed
	removedUpTo := func(end int) {
		for ; next < end; next++ {
			if !oldUsed[next] {
				out = append(out, Change{Kind: Removed, Old: &old[next], Blocks: whole(ob[next], Removed)})
			}
		}
	}
	for j := range new {
		i := match[j]
		if i < 0 {
			removedUpTo(anchor[j])
			out = append(out, Change{Kind: Added, New: &new[j], Blocks: whole(nb[j], Added)})
			continue
		}
		if !moved[j] {
			removedUpTo(i + 1)
		}
		c := Change{Kind: Unchanged, Old: &old[i], New: &new[j], Moved: moved[j]}
		var blocks []Block
		if old[i].Heading != new[j].Heading && normKey(old[i].Heading) != normKey(new[j].Heading) {
			blocks = append(blocks, changedBlock(markdown.TextBlock{Kind: markdown.BlockHeading, Level: old[i].Level, Text: old[i].Heading},
				markdown.TextBlock{Kind: markdown.BlockHeading, Level: new[j].Level, Text: new[j].Heading}))
		}
		blocks = append(blocks, diffBlocks(ob[i], nb[j])...)
		if c.Blocks = withContext(blocks); len(c.Blocks) > 0 || c.Moved {
			c.Kind = Changed
		}
		out = append(out, c)
	}
	removedUpTo(len(old))
	return out
}

// whole returns blocks as all added or all removed.
func whole(blocks []markdown.TextBlock, kind string) []Block {
	op := Insert
	if kind == Removed {
		op = Delete
	}
	out := make([]Block, len(blocks))
	for k, b := range blocks {
		out[k] = Block{Kind: kind, Type: b.Kind, Level: b.Level, Number: b.Number, Header: b.Header, Spans: []Span{{Op: op, Text: b.Text}}}
	}
	return out
}

// alignSections pairs new sections with old ones: match[j] is the old
// section new[j] pairs with, or -1; moved[j] is set for a pair out of
// the order of the longest run of pairs in the same order.
func alignSections(old, new []Section, ob, nb [][]markdown.TextBlock) (match []int, moved []bool) {
	match = make([]int, len(new))
	used := make([]bool, len(old))
	for j := range match {
		match[j] = -1
	}
	pairBy := func(key func(s *Section) string) {
		free := map[string][]int{}
		for i := range old {
			if k := key(&old[i]); !used[i] && k != "" {
				free[k] = append(free[k], i)
			}
		}
		for j := range new {
			if match[j] >= 0 {
				continue
			}
			k := key(&new[j])
			if q := free[k]; k != "" && len(q) > 0 {
				match[j], used[q[0]] = q[0], true
				free[k] = q[1:]
			}
		}
	}
	pairBy(func(s *Section) string { return s.ID })
	pairBy(func(s *Section) string {
		if s.Level == 0 {
			return ""
		}
		return normKey(s.Heading)
	})
	inOrder := increasingRun(match)
	moved = make([]bool, len(new))
	for j, i := range match {
		moved[j] = i >= 0 && !inOrder[j]
	}
	// Between two pairs in order, the sections left pair by position
	// where their words are mostly the same.
	oldWords, newWords := make([]map[string]int, len(old)), make([]map[string]int, len(new))
	lastOld, lastNew := -1, -1
	for j := 0; j <= len(new); j++ {
		endOld := len(old)
		if j < len(new) {
			if !inOrder[j] {
				continue
			}
			endOld = match[j]
		}
		var gapOld, gapNew []int
		for i := lastOld + 1; i < endOld; i++ {
			if !used[i] {
				gapOld = append(gapOld, i)
			}
		}
		for k := lastNew + 1; k < j; k++ {
			if match[k] < 0 {
				gapNew = append(gapNew, k)
			}
		}
		if len(gapOld) > 0 && len(gapNew) > 0 {
			sim := func(a, b int) float64 {
				i, k := gapOld[a], gapNew[b]
				if oldWords[i] == nil {
					oldWords[i] = sectionWords(&old[i], ob[i])
				}
				if newWords[k] == nil {
					newWords[k] = sectionWords(&new[k], nb[k])
				}
				return similarity(oldWords[i], newWords[k])
			}
			for _, p := range pairGap(len(gapOld), len(gapNew), sim, minSectionSimilarity) {
				match[gapNew[p[1]]], used[gapOld[p[0]]] = gapOld[p[0]], true
			}
		}
		if j < len(new) {
			lastOld, lastNew = match[j], j
		}
	}
	return match, moved
}

// increasingRun marks the longest run of paired entries of match whose
// old indices increase (patience sorting, O(n log n)).
func increasingRun(match []int) []bool {
	var tails []int // tails[l]: index into match ending the best run of length l+1
	prev := make([]int, len(match))
	for j, i := range match {
		if i < 0 {
			continue
		}
		l := sort.Search(len(tails), func(l int) bool { return match[tails[l]] >= i })
		if l > 0 {
			prev[j] = tails[l-1]
		} else {
			prev[j] = -1
		}
		if l == len(tails) {
			tails = append(tails, j)
		} else {
			tails[l] = j
		}
	}
	keep := make([]bool, len(match))
	if len(tails) > 0 {
		for j := tails[len(tails)-1]; j >= 0; j = prev[j] {
			keep[j] = true
		}
	}
	return keep
}

// pairGap pairs items 0..n-1 with items 0..m-1 in order, maximizing the
// sum of sim over pairs whose sim is at least least. It returns the
// pairs in order.
func pairGap(n, m int, sim func(a, b int) float64, least float64) [][2]int {
	// n and m are the sections or blocks between two anchors: few, but
	// a long rewrite must not take quadratic memory without bound.
	const maxCells = 1 << 16
	if n*m > maxCells {
		return nil
	}
	s := make([]float64, n*m)
	for a := range n {
		for b := range m {
			s[a*m+b] = sim(a, b)
		}
	}
	best := make([]float64, (n+1)*(m+1))
	at := func(a, b int) float64 { return best[a*(m+1)+b] }
	for a := n - 1; a >= 0; a-- {
		for b := m - 1; b >= 0; b-- {
			v := max(at(a+1, b), at(a, b+1))
			if x := s[a*m+b]; x >= least {
				v = max(v, at(a+1, b+1)+x)
			}
			best[a*(m+1)+b] = v
		}
	}
	var out [][2]int
	for a, b := 0, 0; a < n && b < m; {
		x := s[a*m+b]
		switch {
		case x >= least && at(a, b) == at(a+1, b+1)+x:
			out = append(out, [2]int{a, b})
			a++
			b++
		case at(a, b) == at(a+1, b):
			a++
		default:
			b++
		}
	}
	return out
}

// sectionWords returns the words of a section's heading and text.
func sectionWords(s *Section, blocks []markdown.TextBlock) map[string]int {
	w := map[string]int{}
	addWords(w, s.Heading)
	for _, b := range blocks {
		addWords(w, b.Text)
	}
	return w
}

func addWords(w map[string]int, s string) {
	for _, t := range worddiff.Tokens(s) {
		if r, _ := utf8.DecodeRuneInString(t); unicode.IsLetter(r) || unicode.IsDigit(r) {
			w[strings.ToLower(t)]++
		}
	}
}

// similarity is Dice's coefficient of two multisets of words: 1 for the
// same words, 0 for none in common. Two empty sets are the same.
func similarity(a, b map[string]int) float64 {
	na, nb := 0, 0
	for _, c := range a {
		na += c
	}
	for _, c := range b {
		nb += c
	}
	if na+nb == 0 {
		return 1
	}
	common := 0
	for t, c := range a {
		common += min(c, b[t])
	}
	return 2 * float64(common) / float64(na+nb)
}

// normKey returns s without white space, for comparing texts a change
// of white space alone leaves the same.
func normKey(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
