package review

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
)

// Regional changes, as reported in Regional.Change.
const (
	RegionalAdded    = "added"    // a section the region inserts ({#id after=…})
	RegionalReplaced = "replaced" // a base section the region rewrites ({#id})
	RegionalRemoved  = "removed"  // a base section the region drops (remove: […])
)

// Regional describes a section that a region's override file adds,
// replaces or removes on purpose. Such a section is not a translation of
// the source, so it is reported as regional instead of missing, extra or
// structurally different.
type Regional struct {
	Change string `json:"change"`
	// Declared is the file:line of the override: the heading, or the
	// remove: entry.
	Declared string `json:"declared"`
	// Replaces is the base section replaced or removed (the text readers
	// would see without the region's file).
	Replaces *SectionRef `json:"replaces,omitempty"`
	// Counterpart is the same section of the same region's (or the
	// nearest region's) version in the source language, which the
	// section's Differences are measured against; nil when the site has
	// none.
	Counterpart *SectionRef `json:"counterpart,omitempty"`
	// SameRegion reports whether Counterpart's locale has the target's
	// own region (en-DE for de-DE) rather than a neighbour's (en-IE).
	SameRegion bool `json:"sameRegion,omitempty"`
}

// A declaration is where a regional change is written.
type declaration struct {
	file *content.File
	line int
}

func (d declaration) String() string { return fmt.Sprintf("%s:%d", d.file.Path, d.line) }

// regionalOp is one top-level change of a regional override file.
type regionalOp struct {
	start, end int // range of the file's body
	id         string
	insert     bool
	line       int
}

// regionalEdits are the changes that region override files make to a
// merged document. The zero value (no regional file) is valid.
type regionalEdits struct {
	ops map[*content.File][]regionalOp
	// base maps a regional file to the file it extends.
	base map[*content.File]*content.File
	// removed and replaced map a base section ID to its declaration.
	removed, replaced map[string]declaration
}

// regionalOf finds the regional override files of d: files that change
// the text of their own language for a region (de-DE extending de,
// en-GB extending en). An override of another language's file (a
// partial translation) is not regional: its sections are translations.
func (r *Reviewer) regionalOf(d *inherit.Doc) *regionalEdits {
	rg := &regionalEdits{}
	for i := 0; i+1 < len(d.Files); i++ {
		f, base := d.Files[i], d.Files[i+1]
		fl, bl := r.site.Locales.Get(f.Locale), r.site.Locales.Get(base.Locale)
		if f.Meta.Extends == "" || fl == nil || bl == nil || !locale.SameLanguage(fl, bl) {
			continue
		}
		if rg.ops == nil {
			rg.ops, rg.base = map[*content.File][]regionalOp{}, map[*content.File]*content.File{}
			rg.removed, rg.replaced = map[string]declaration{}, map[string]declaration{}
		}
		rg.base[f] = base
		outline := f.Outline()
		introEnd := len(f.Body)
		if len(outline) > 0 {
			introEnd = outline[0].Offset
		}
		if len(bytes.TrimSpace(f.Body[:introEnd])) > 0 {
			rg.ops[f] = append(rg.ops[f], regionalOp{start: 0, end: introEnd, id: IntroID, line: f.Line(0)})
			rg.replaced[IntroID] = declaration{f, f.Line(0)}
		}
		// Top-level operations, as the merge reads them: a heading and
		// everything to the next heading of the same or a higher level.
		for k, h := range outline {
			if n := len(rg.ops[f]); n > 0 && h.Offset < rg.ops[f][n-1].end {
				continue
			}
			end := len(f.Body)
			for _, n := range outline[k+1:] {
				if n.Level <= h.Level {
					end = n.Offset
					break
				}
			}
			op := regionalOp{start: h.Offset, end: end, id: h.ID, insert: h.After != "" || h.Before != "", line: f.Line(h.Offset)}
			rg.ops[f] = append(rg.ops[f], op)
			if !op.insert {
				rg.replaced[h.ID] = declaration{f, op.line}
			}
		}
		for _, id := range f.Meta.Remove {
			rg.removed[id] = declaration{f, headLine(f, id)}
		}
	}
	return rg
}

// headLine finds the front-matter line that names id.
func headLine(f *content.File, id string) int {
	for i, l := range bytes.Split(f.Head, []byte("\n")) {
		if bytes.Contains(l, []byte(id)) {
			return i + 1
		}
	}
	return 1
}

// of returns where a target section from a regional file is declared.
func (rg *regionalEdits) of(s *section) (declaration, bool) {
	for _, op := range rg.ops[s.File] {
		if s.FileOff >= op.start && s.FileOff < op.end {
			return declaration{s.File, op.line}, true
		}
	}
	return declaration{}, false
}

// removal reports whether source section src[i], which the target
// lacks, was dropped by a region: removed by name, or inside a removed
// or replaced section (replacing a section replaces its sub-sections).
func (rg *regionalEdits) removal(src []*section, i int) (declaration, bool) {
	if rg.ops == nil {
		return declaration{}, false
	}
	level := src[i].Level + 1
	for k := i; k >= 0; k-- {
		s := src[k]
		if k != i && (s.Level >= level || s.ID == IntroID) {
			continue
		}
		level = s.Level
		if d, ok := rg.removed[s.ID]; ok {
			return d, true
		}
		if d, ok := rg.replaced[s.ID]; ok && k != i {
			return d, true
		}
		if s.Level <= 1 {
			break
		}
	}
	return declaration{}, false
}

// replacedRef names the base section that a regional file's section
// with the given ID replaces.
func (rg *regionalEdits) replacedRef(f *content.File, id string) *SectionRef {
	base := rg.base[f]
	if base == nil {
		return nil
	}
	if id == IntroID {
		return &SectionRef{ID: IntroID, Title: "(introduction)", File: base.Path, Line: base.BodyLine, Locale: base.Locale}
	}
	for _, h := range base.Outline() {
		if h.ID == id {
			return &SectionRef{ID: id, Level: h.Level, Title: h.Text, File: base.Path, Line: base.Line(h.Offset), Locale: base.Locale}
		}
	}
	return &SectionRef{ID: id, File: base.Path, Locale: base.Locale}
}

// counterparts returns the locales whose page key may hold the source
// language's version of target's regional sections, best first:
// Options.Counterparts when it names one, else the locales of the
// source language with their own regional override of the page,
// preferring target's region, then the nearest region (both in the EU,
// the same CLDR sub-region, the same continent), then the most regional
// section IDs in common, then tag order. It returns nil when target is
// itself in the source language.
func (r *Reviewer) counterparts(source, target, key string, tgtEdits *regionalEdits) []string {
	src, tgt := r.site.Locales.Get(source), r.site.Locales.Get(target)
	if src == nil || tgt == nil || locale.SameLanguage(src, tgt) {
		return nil
	}
	if c, ok := r.opts.Counterparts[target]; ok {
		return []string{c}
	}
	ids := map[string]bool{}
	for _, ops := range tgtEdits.ops {
		for _, op := range ops {
			ids[op.id] = true
		}
	}
	for id := range tgtEdits.removed {
		ids[id] = true
	}
	type cand struct {
		tag   string
		score int
	}
	var cands []cand
	for _, l := range r.site.Locales.All {
		if l.Tag == source || !locale.SameLanguage(l, src) {
			continue
		}
		f := r.site.Tree.Get(l.Tag, key)
		if f == nil || f.Meta.Extends == "" {
			continue
		}
		score := 100 * regionAffinity(tgt.Region, l.Region)
		for _, h := range f.Outline() {
			if ids[h.ID] {
				score++
			}
		}
		for _, id := range f.Meta.Remove {
			if ids[id] {
				score++
			}
		}
		cands = append(cands, cand{l.Tag, score})
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.tag, b.tag)
	})
	var out []string
	for _, c := range cands {
		out = append(out, c.tag)
	}
	return out
}

// sameRegion reports whether locales a and b name the same region.
func (r *Reviewer) sameRegion(a, b string) bool {
	la, lb := r.site.Locales.Get(a), r.site.Locales.Get(b)
	return la != nil && lb != nil && la.Region != "" && la.Region == lb.Region
}

// Region groups of CLDR's containment data, nearest first: UN M49
// sub-regions, the European Union, continents.
var (
	subRegions = []string{"155", "154", "039", "151", "021", "013", "029", "005", "011", "014", "015", "017", "018", "030", "034", "035", "143", "145", "053", "054", "057", "061"}
	continents = []string{"150", "019", "142", "002", "009"}
)

// regionAffinity scores how close two regions are: 4 the same, 3 both
// in the EU (whose members share data protection law), 2 the same
// sub-region, 1 the same continent, else 0.
func regionAffinity(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		return 4
	}
	ra, errA := language.ParseRegion(a)
	rb, errB := language.ParseRegion(b)
	if errA != nil || errB != nil {
		return 0
	}
	both := func(groups ...string) bool {
		return slices.ContainsFunc(groups, func(g string) bool {
			gr := language.MustParseRegion(g)
			return gr.Contains(ra) && gr.Contains(rb)
		})
	}
	switch {
	case both("EU"):
		return 3
	case both(subRegions...):
		return 2
	case both(continents...):
		return 1
	}
	return 0
}

// ParseCounterparts parses a comma-separated list of TARGET=LOCALE
// pairs (--counterpart de-DE=en-IE).
func ParseCounterparts(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		t, l, ok := strings.Cut(p, "=")
		if !ok || t == "" || l == "" {
			return nil, fmt.Errorf("--counterpart %q: use TARGET=LOCALE, e.g. de-DE=en-IE", p)
		}
		out[strings.TrimSpace(t)] = strings.TrimSpace(l)
	}
	return out, nil
}
