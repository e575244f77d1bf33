package review

import (
	"slices"
)

// A pair is one row of an alignment: a source section, a target
// section, or both.
type pair struct {
	src, tgt *section
	byID     bool
	moved    bool
	key      float64 // position in source order, for sorting rows
}

// align pairs the sections of two versions of a page. Sections with the
// same ID pair first (explicit {#id}s are the same in every language);
// the longest run of them in the same order anchors the rest, and the
// sections between two anchors pair by position and heading level.
// Pairs outside that run are reported as moved.
func align(src, tgt []*section) []pair {
	tgtByID := map[string]int{}
	for j, t := range tgt {
		if _, dup := tgtByID[t.ID]; !dup && t.ID != "" {
			tgtByID[t.ID] = j
		}
	}
	srcMatch := make([]int, len(src))
	tgtMatch := make([]int, len(tgt))
	for i := range srcMatch {
		srcMatch[i] = -1
	}
	for j := range tgtMatch {
		tgtMatch[j] = -1
	}
	var idPairs [][2]int
	for i, s := range src {
		if j, ok := tgtByID[s.ID]; ok && s.ID != "" && tgtMatch[j] < 0 {
			srcMatch[i], tgtMatch[j] = j, i
			idPairs = append(idPairs, [2]int{i, j})
		}
	}
	inOrder := increasingRun(idPairs)
	moved := map[int]bool{}
	anchors := [][2]int{{-1, -1}}
	for k, p := range idPairs {
		if inOrder[k] {
			anchors = append(anchors, p)
		} else {
			moved[p[0]] = true
		}
	}
	anchors = append(anchors, [2]int{len(src), len(tgt)})
	for k := 1; k < len(anchors); k++ {
		a, b := anchors[k-1], anchors[k]
		var si, tj []int
		for i := a[0] + 1; i < b[0]; i++ {
			if srcMatch[i] < 0 {
				si = append(si, i)
			}
		}
		for j := a[1] + 1; j < b[1]; j++ {
			if tgtMatch[j] < 0 {
				tj = append(tj, j)
			}
		}
		for _, p := range alignGap(src, tgt, si, tj) {
			srcMatch[p[0]], tgtMatch[p[1]] = p[1], p[0]
		}
	}

	var rows []pair
	for i, s := range src {
		p := pair{src: s, key: float64(i)}
		if j := srcMatch[i]; j >= 0 {
			p.tgt = tgt[j]
			p.byID = s.ID != "" && s.ID == tgt[j].ID
			p.moved = moved[i]
		}
		rows = append(rows, p)
	}
	// An extra target section goes after the source row of the nearest
	// aligned target section before it.
	prev := -1.0
	for j, t := range tgt {
		if i := tgtMatch[j]; i >= 0 {
			if !moved[i] {
				prev = float64(i)
			}
			continue
		}
		rows = append(rows, pair{tgt: t, key: prev + 0.5 + float64(j)/float64(2*len(tgt)+2)})
	}
	slices.SortStableFunc(rows, func(a, b pair) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	return rows
}

// increasingRun marks the longest subsequence of pairs (in source order)
// whose target indices increase.
func increasingRun(pairs [][2]int) []bool {
	n := len(pairs)
	length := make([]int, n)
	prev := make([]int, n)
	best := -1
	for i := range pairs {
		length[i], prev[i] = 1, -1
		for j := 0; j < i; j++ {
			if pairs[j][1] < pairs[i][1] && length[j]+1 > length[i] {
				length[i], prev[i] = length[j]+1, j
			}
		}
		if best < 0 || length[i] > length[best] {
			best = i
		}
	}
	keep := make([]bool, n)
	for i := best; i >= 0; i = prev[i] {
		keep[i] = true
	}
	return keep
}

// alignGap pairs the unmatched sections between two anchors: first the
// longest common subsequence of heading levels, then, between those,
// runs of equal length position by position (a heading whose level
// changed). What is left is missing or extra.
func alignGap(src, tgt []*section, si, tj []int) [][2]int {
	if len(si) == 0 || len(tj) == 0 {
		return nil
	}
	n, m := len(si), len(tj)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if pairable(src[si[i]], tgt[tj[j]]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out [][2]int
	i, j := 0, 0
	li, lj := 0, 0 // start of the current unpaired run
	flush := func(ei, ej int) {
		if ei-li != ej-lj {
			return
		}
		for k := 0; k < ei-li; k++ {
			if s, t := src[si[li+k]], tgt[tj[lj+k]]; s.Explicit && t.Explicit {
				return
			}
		}
		for k := 0; k < ei-li; k++ {
			out = append(out, [2]int{si[li+k], tj[lj+k]})
		}
	}
	for i < n && j < m {
		switch {
		case pairable(src[si[i]], tgt[tj[j]]):
			flush(i, j)
			out = append(out, [2]int{si[i], tj[j]})
			i++
			j++
			li, lj = i, j
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	flush(n, m)
	return out
}

// pairable reports whether two sections may pair by position: at the
// same heading level, and not both with explicit IDs (two different
// explicit IDs are two different sections).
func pairable(s, t *section) bool {
	return s.Level == t.Level && !(s.Explicit && t.Explicit)
}
