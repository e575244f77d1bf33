package worddiff

import (
	"strings"
	"unicode/utf8"
)

// Readable returns spans with the short equal runs between two changes
// folded into them, as a person reads a rewritten phrase: "[-We keep
// the data-]{+You give the information+}" rather than "[-We keep-]{+You
// give+} the [-data-]{+information+}". An equal run folds when it is no
// longer than the larger side of the change on each side of it (the
// rule of diff-match-patch's semantic clean-up). In scripts diffed
// character by character this keeps a particle that two different
// sentences share (Japanese の, を) from cutting a change in pieces.
// Offsets are those of the returned spans.
func Readable(spans []Span) []Span {
	type group struct {
		eq       string // an equal run, when del and ins are empty
		del, ins strings.Builder
		change   bool
	}
	var gs []*group
	for _, sp := range spans {
		switch sp.Op {
		case Equal:
			gs = append(gs, &group{eq: sp.Text})
		default:
			if len(gs) == 0 || !gs[len(gs)-1].change {
				gs = append(gs, &group{change: true})
			}
			g := gs[len(gs)-1]
			if sp.Op == Delete {
				g.del.WriteString(sp.Text)
			} else {
				g.ins.WriteString(sp.Text)
			}
		}
	}
	size := func(g *group) int {
		return max(utf8.RuneCountInString(g.del.String()), utf8.RuneCountInString(g.ins.String()))
	}
	out := gs[:0]
	for k := 0; k < len(gs); k++ {
		g := gs[k]
		n := len(out)
		if !g.change && n > 0 && out[n-1].change && k+1 < len(gs) && gs[k+1].change {
			if l := utf8.RuneCountInString(g.eq); l <= size(out[n-1]) && l <= size(gs[k+1]) {
				prev, next := out[n-1], gs[k+1]
				prev.del.WriteString(g.eq)
				prev.del.WriteString(next.del.String())
				prev.ins.WriteString(g.eq)
				prev.ins.WriteString(next.ins.String())
				k++
				continue
			}
		}
		out = append(out, g)
	}
	res := make([]Span, 0, len(spans))
	po, pn := 0, 0
	for _, g := range out {
		if !g.change {
			res = append(res, Span{Op: Equal, Text: g.eq, Old: po, New: pn})
			po += len(g.eq)
			pn += len(g.eq)
			continue
		}
		if d := g.del.String(); d != "" {
			res = append(res, Span{Op: Delete, Text: d, Old: po, New: pn})
			po += len(d)
		}
		if i := g.ins.String(); i != "" {
			res = append(res, Span{Op: Insert, Text: i, Old: po, New: pn})
			pn += len(i)
		}
	}
	return res
}
