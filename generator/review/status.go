package review

import (
	"context"
	"fmt"
	"slices"
)

// Status is the locale × page matrix of a site.
type Status struct {
	Schema string `json:"schema"`
	// Source is the locale every other locale is measured against.
	Source  string         `json:"source"`
	Pages   []string       `json:"pages"`
	Locales []LocaleStatus `json:"locales"`
	Totals  Counts         `json:"totals"`
}

// LocaleStatus is one row of the matrix.
type LocaleStatus struct {
	Tag       string `json:"tag"`
	Published bool   `json:"published"`
	// Chain is the locale's fallback chain, itself first.
	Chain  []string     `json:"chain"`
	Pages  []PageStatus `json:"pages"`
	Counts Counts       `json:"counts"`
	Words  int          `json:"words"`
	// Shares divides the locale's source sections into current, stale,
	// missing and other (unreviewed, regional) percentages (v2).
	Shares Shares `json:"shares"`
}

// Shares are whole percentages of a locale's source sections that add
// up to 100 (or are all 0 for a locale without sections).
type Shares struct {
	// Current: reviewed and unchanged since, or the source's own text.
	Current int `json:"current"`
	// Stale: the source changed since the review.
	Stale int `json:"stale"`
	// Missing: readers do not see the section in their language.
	Missing int `json:"missing"`
	// Other: never reviewed, or a region's own section.
	Other int `json:"other"`
}

// sharesOf computes the Shares of c.
func sharesOf(c Counts) Shares {
	if c.Sections == 0 {
		return Shares{}
	}
	pct := func(n int) int { return min(100, n*100/c.Sections) }
	sh := Shares{Current: pct(c.Current + c.Same), Stale: pct(c.Stale), Missing: pct(c.Missing)}
	sh.Other = max(0, 100-sh.Current-sh.Stale-sh.Missing)
	return sh
}

// PageStatus is one cell of the matrix: PageDiff without its sections.
type PageStatus struct {
	Page        string `json:"page"`
	State       string `json:"state"`
	Shows       string `json:"shows,omitempty"`
	Source      string `json:"source"`
	Words       int    `json:"words"`
	SourceWords int    `json:"sourceWords"`
	Counts      Counts `json:"counts"`
	// Label says the cell in words: "translated, 2 stale" (v2).
	Label string `json:"label"`
}

// cellLabel says a matrix cell in words: the page's state, then the
// findings that need a reviewer.
func cellLabel(p PageStatus) string {
	s := p.State
	switch p.State {
	case StateOverridden:
		if p.Counts.Regional > 0 {
			s = "regional"
		}
	case StateInherited:
		s = "inherited from " + p.Shows
	case StateFallback:
		return "fallback to " + p.Shows
	case StateMissing, StateSourceMissing:
		return s
	}
	n := p.Counts
	for _, f := range []struct {
		v     int
		label string
	}{{n.Missing, "missing"}, {n.Extra, "extra"}, {n.Stale, "stale"}, {n.Structure + n.Moved + n.LevelChanged, "differ"}} {
		if f.v > 0 {
			s += fmt.Sprintf(", %d %s", f.v, f.label)
		}
	}
	return s
}

// Status compares every locale of the site with source, page by page.
func (r *Reviewer) Status(ctx context.Context, source string) (*Status, error) {
	if err := r.checkLocale(source); err != nil {
		return nil, err
	}
	keys, err := r.keys(source, nil)
	if err != nil {
		return nil, err
	}
	st := &Status{Schema: StatusSchema, Source: source, Pages: keys}
	locs := r.site.Locales.All
	st.Locales = make([]LocaleStatus, len(locs))
	// The source's documents are analysed first so that the workers
	// share them instead of racing to analyse each one.
	err = workers(ctx, len(keys), func(i int) {
		if l := r.locate(source, keys[i]); l.doc != nil {
			r.analysisOf(l.doc)
		}
	})
	if err != nil {
		return nil, err
	}
	err = workers(ctx, len(locs), func(i int) {
		l := locs[i]
		ls := LocaleStatus{Tag: l.Tag, Published: l.Published(), Chain: slices.Clone(l.Chain)}
		for _, key := range keys {
			p := r.comparePage(source, l.Tag, key, compareMode{})
			ls.Counts.add(p.Counts)
			ls.Words += p.Words
			ps := PageStatus{Page: key, State: p.State, Shows: p.Shows, Source: source, Words: p.Words, SourceWords: p.SourceWords, Counts: p.Counts}
			ps.Label = cellLabel(ps)
			ls.Pages = append(ls.Pages, ps)
		}
		ls.Shares = sharesOf(ls.Counts)
		st.Locales[i] = ls
	})
	if err != nil {
		return nil, err
	}
	for _, ls := range st.Locales {
		if ls.Tag != source {
			st.Totals.add(ls.Counts)
		}
	}
	return st, nil
}
