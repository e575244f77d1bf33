package redline

import (
	"strings"

	"policysite/generator/markdown"
	"policysite/generator/worddiff"
)

// maxBlockCells bounds the table that aligns the blocks of two versions
// of a section; a section rewritten past it shows as removed and added.
const maxBlockCells = 1 << 20

// diffBlocks aligns the blocks of two versions of a section: the
// longest common subsequence of blocks with the same text, and between
// those, blocks of the same type whose words are mostly the same paired
// as changed, the others removed or added.
func diffBlocks(a, b []markdown.TextBlock) []Block {
	same := func(x, y *markdown.TextBlock) bool { return x.Kind == y.Kind && x.Text == y.Text }
	pre := 0
	for pre < len(a) && pre < len(b) && same(&a[pre], &b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && same(&a[len(a)-1-suf], &b[len(b)-1-suf]) {
		suf++
	}
	out := make([]Block, 0, max(len(a), len(b)))
	for k := range pre {
		out = append(out, unchangedBlock(b[k]))
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	// Between the blocks with the same text, blocks are also the same
	// when their kind and text without white space are; the keys are
	// made once, not once per cell of the table.
	ka, kb := make([]string, len(ma)), make([]string, len(mb))
	for k := range ma {
		ka[k] = blockKey(&ma[k])
	}
	for k := range mb {
		kb[k] = blockKey(&mb[k])
	}
	n, m := len(ma), len(mb)
	if n > 0 && m > 0 && n*m <= maxBlockCells {
		lcs := make([]int32, (n+1)*(m+1))
		at := func(i, j int) int32 { return lcs[i*(m+1)+j] }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ka[i] == kb[j] {
					lcs[i*(m+1)+j] = at(i+1, j+1) + 1
				} else {
					lcs[i*(m+1)+j] = max(at(i+1, j), at(i, j+1))
				}
			}
		}
		i, j := 0, 0
		gi, gj := 0, 0 // start of the current gap
		for i < n || j < m {
			if i < n && j < m && ka[i] == kb[j] {
				out = append(out, gapBlocks(ma[gi:i], mb[gj:j])...)
				out = append(out, unchangedBlock(mb[j]))
				i++
				j++
				gi, gj = i, j
				continue
			}
			if j < m && (i == n || at(i, j+1) >= at(i+1, j)) {
				j++
			} else {
				i++
			}
		}
		out = append(out, gapBlocks(ma[gi:], mb[gj:])...)
	} else {
		out = append(out, whole(ma, Removed)...)
		out = append(out, whole(mb, Added)...)
	}
	for k := len(b) - suf; k < len(b); k++ {
		out = append(out, unchangedBlock(b[k]))
	}
	return out
}

// gapBlocks returns the blocks between two unchanged ones: pairs of the
// same type with enough words in common as changed, the rest as removed
// (first) and added.
func gapBlocks(a, b []markdown.TextBlock) []Block {
	if len(a) == 0 || len(b) == 0 {
		return append(whole(a, Removed), whole(b, Added)...)
	}
	// One block replaced by one: the word diff that shows the change
	// also says how much of the text is the same.
	// For long blocks, the word counts, linear in the texts, rule out
	// most rewritten ones before the diff, quadratic, is tried.
	if len(a) == 1 && len(b) == 1 {
		if a[0].Kind == b[0].Kind {
			likely := true
			if len(a[0].Text)+len(b[0].Text) > 2000 {
				wa, wb := map[string]int{}, map[string]int{}
				addWords(wa, a[0].Text)
				addWords(wb, b[0].Text)
				likely = similarity(wa, wb) >= minBlockSimilarity
			}
			if likely {
				if blk, sim := diffedBlock(a[0], b[0]); sim >= minBlockSimilarity {
					return []Block{blk}
				}
			}
		}
		return append(whole(a, Removed), whole(b, Added)...)
	}
	wa, wb := make([]map[string]int, len(a)), make([]map[string]int, len(b))
	words := func(ws []map[string]int, bs []markdown.TextBlock, k int) map[string]int {
		if ws[k] == nil {
			ws[k] = map[string]int{}
			addWords(ws[k], bs[k].Text)
		}
		return ws[k]
	}
	pairs := pairGap(len(a), len(b), func(x, y int) float64 {
		if a[x].Kind != b[y].Kind {
			return 0
		}
		return similarity(words(wa, a, x), words(wb, b, y))
	}, minBlockSimilarity)
	var out []Block
	i, j := 0, 0
	for _, p := range append(pairs, [2]int{len(a), len(b)}) {
		out = append(out, whole(a[i:p[0]], Removed)...)
		out = append(out, whole(b[j:p[1]], Added)...)
		if p[0] < len(a) {
			out = append(out, changedBlock(a[p[0]], b[p[1]]))
		}
		i, j = p[0]+1, p[1]+1
	}
	return out
}

// blockKey returns the kind and text of b without white space.
func blockKey(b *markdown.TextBlock) string { return b.Kind + "\x00" + normKey(b.Text) }

func unchangedBlock(b markdown.TextBlock) Block {
	return Block{Kind: Unchanged, Type: b.Kind, Level: b.Level, Number: b.Number, Header: b.Header, Spans: []Span{{Op: Equal, Text: b.Text}}}
}

// changedBlock returns the word diff of two versions of a block. A
// change of white space alone is shown as the new text, unchanged.
func changedBlock(a, b markdown.TextBlock) Block {
	blk, _ := diffedBlock(a, b)
	return blk
}

// diffedBlock returns changedBlock(a, b) and the share of the two texts
// the diff found the same, by length.
func diffedBlock(a, b markdown.TextBlock) (Block, float64) {
	blk := Block{Kind: Changed, Type: b.Kind, Level: b.Level, Number: b.Number, Header: b.Header}
	spans := worddiff.Diff(a.Text, b.Text)
	same := 0
	for _, sp := range spans {
		if sp.Op == worddiff.Equal {
			same += len(strings.TrimSpace(sp.Text))
		}
	}
	sim := 1.0
	if n := len(a.Text) + len(b.Text); n > 0 {
		sim = 2 * float64(same) / float64(n)
	}
	for _, sp := range worddiff.Readable(spans) {
		op := sp.Op
		if op != worddiff.Equal && strings.TrimSpace(sp.Text) == "" {
			if op == worddiff.Delete {
				continue
			}
			op = Equal
		}
		if k := len(blk.Spans) - 1; k >= 0 && blk.Spans[k].Op == op {
			blk.Spans[k].Text += sp.Text
			continue
		}
		blk.Spans = append(blk.Spans, Span{Op: op, Text: sp.Text})
	}
	if len(blk.Spans) <= 1 {
		blk.Kind = Unchanged
	}
	return blk, sim
}

// withContext returns the changed blocks of blocks with one unchanged
// block before and after each run of them, and the header row of a
// table with a row shown, or nil when none changed.
func withContext(blocks []Block) []Block {
	show := make([]bool, len(blocks))
	changed := false
	for k, b := range blocks {
		if b.Kind != Unchanged {
			changed = true
			for d := max(0, k-1); d <= min(len(blocks)-1, k+1); d++ {
				show[d] = true
			}
		}
	}
	if !changed {
		return nil
	}
	for k, b := range blocks {
		if !show[k] || b.Type != markdown.BlockRow || b.Header {
			continue
		}
		h := k - 1
		for h >= 0 && blocks[h].Type == markdown.BlockRow && !blocks[h].Header {
			h--
		}
		if h >= 0 && blocks[h].Type == markdown.BlockRow {
			show[h] = true
		}
	}
	var out []Block
	skipped := 0
	for k, b := range blocks {
		if !show[k] {
			skipped++
			continue
		}
		b.Skipped = skipped
		skipped = 0
		out = append(out, b)
	}
	return out
}
