package review

import (
	"context"
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
			ls.Pages = append(ls.Pages, PageStatus{Page: key, State: p.State, Shows: p.Shows, Source: source, Words: p.Words, SourceWords: p.SourceWords, Counts: p.Counts})
		}
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
