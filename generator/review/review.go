// Package review compares the translations of a site with their source
// language for localization reviewers: section by section alignment,
// structural differences (lists, tables, links, figures, dates,
// addresses, code), staleness against digests recorded in front
// matter, and a locale × page status matrix, as text, JSON or HTML.
package review

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"

	"policysite/generator"
	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
)

// Schema versions of the JSON forms. A change that removes or renames a
// field gets a new version; new fields may be added within a version.
const (
	DiffSchema   = "policysite.review.diff/v1"
	StatusSchema = "policysite.review.status/v1"
)

// Page states, as reported in PageDiff.State.
const (
	StateSource        = "source"         // the page of the source locale itself
	StateTranslated    = "translated"     // the target has its own full file
	StateOverridden    = "overridden"     // the target's file overrides sections of a base
	StateInherited     = "inherited"      // the target shows another locale of its language
	StateFallback      = "fallback"       // the target shows another language: not translated
	StateMissing       = "missing"        // the target has no such page at all
	StateSourceMissing = "source-missing" // the source locale has no such page
)

// Section review states, as reported in SectionDiff.Review.
const (
	ReviewCurrent    = "current"    // recorded digest equals the source's
	ReviewStale      = "stale"      // the source section changed since the review
	ReviewUnreviewed = "unreviewed" // the target file records no review
	ReviewSame       = "same"       // the target shows the source locale's own text
)

// A Reviewer compares the locales of one loaded site. It caches the
// analysis of each merged document, so one Reviewer should serve many
// comparisons of the same site. It is safe for concurrent use.
type Reviewer struct {
	site   *generator.Site
	parser parser.Parser

	mu    sync.Mutex
	cache map[*inherit.Doc]*analysis
	docs  map[*content.File]*inherit.Doc
}

// New returns a Reviewer of site.
func New(site *generator.Site) *Reviewer {
	return &Reviewer{site: site, parser: newParser(), cache: map[*inherit.Doc]*analysis{}, docs: map[*content.File]*inherit.Doc{}}
}

// DefaultSource returns the locale translations are measured against:
// the site's default (x-default) locale. Region locales that extend a
// base language are translated from it too, through their base.
func (r *Reviewer) DefaultSource() string { return r.site.Locales.Default.Tag }

// Diff is the comparison of every requested page of two locales.
type Diff struct {
	Schema string     `json:"schema"`
	Source string     `json:"source"`
	Target string     `json:"target"`
	Pages  []PageDiff `json:"pages"`
	Totals Counts     `json:"totals"`
}

// A PageDiff compares one page of the source and target locales.
type PageDiff struct {
	Page  string `json:"page"`
	State string `json:"state"`
	// Shows is the locale whose text readers of the target see.
	Shows       string        `json:"shows,omitempty"`
	Title       string        `json:"title,omitempty"`
	SourceTitle string        `json:"sourceTitle,omitempty"`
	SourceFile  string        `json:"sourceFile,omitempty"`
	TargetFiles []string      `json:"targetFiles,omitempty"`
	SourceWords int           `json:"sourceWords"`
	Words       int           `json:"words"`
	Counts      Counts        `json:"counts"`
	Sections    []SectionDiff `json:"sections,omitempty"`
}

// Counts sum a page's or a report's findings.
type Counts struct {
	Sections     int `json:"sections"`     // source sections
	Missing      int `json:"missing"`      // source sections readers of the target do not see in their language
	Extra        int `json:"extra"`        // target sections without a source section
	Moved        int `json:"moved"`        // sections in a different order
	LevelChanged int `json:"levelChanged"` // aligned sections with another heading level
	Structure    int `json:"structure"`    // aligned sections with structural differences
	Stale        int `json:"stale"`
	Unreviewed   int `json:"unreviewed"`
	Current      int `json:"current"`
	Same         int `json:"same"`       // sections showing the source locale's own text
	Overridden   int `json:"overridden"` // sections from the target's own override file
}

func (c *Counts) add(o Counts) {
	c.Sections += o.Sections
	c.Missing += o.Missing
	c.Extra += o.Extra
	c.Moved += o.Moved
	c.LevelChanged += o.LevelChanged
	c.Structure += o.Structure
	c.Stale += o.Stale
	c.Unreviewed += o.Unreviewed
	c.Current += o.Current
	c.Same += o.Same
	c.Overridden += o.Overridden
}

// A SectionDiff is one row of a page comparison.
type SectionDiff struct {
	// Status is "aligned", "missing" (source only) or "extra" (target only).
	Status string `json:"status"`
	// Match says how an aligned pair was found: "id" or "position".
	Match        string       `json:"match,omitempty"`
	Source       *SectionRef  `json:"source,omitempty"`
	Target       *SectionRef  `json:"target,omitempty"`
	Moved        bool         `json:"moved,omitempty"`
	LevelChanged bool         `json:"levelChanged,omitempty"`
	Review       string       `json:"review,omitempty"`
	Differences  []Difference `json:"differences,omitempty"`
}

// A SectionRef names one side of a SectionDiff.
type SectionRef struct {
	ID    string `json:"id"`
	Level int    `json:"level"`
	Title string `json:"title"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	// Locale is the locale folder the section's text comes from.
	Locale string `json:"locale,omitempty"`
	Words  int    `json:"words"`
	Digest string `json:"digest"`
	// Recorded is the digest the target file recorded for this source
	// section (target side only), or "".
	Recorded string `json:"recorded,omitempty"`
	// Text is the section's Markdown, for the HTML report.
	Text string `json:"-"`
}

// A Difference is one structural mismatch of an aligned section.
type Difference struct {
	// Kind is one of list-items, tables, table-rows, table-columns,
	// links, images, numbers, dates, emails, urls, code.
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Target string `json:"target"`
	// Missing are values of the source absent from the target; Extra
	// the reverse. Both are empty for pure counts.
	Missing []string `json:"missing,omitempty"`
	Extra   []string `json:"extra,omitempty"`
}

// Diff compares the pages of target with source. With no pages, every
// page of the site is compared.
func (r *Reviewer) Diff(ctx context.Context, source, target string, pages []string) (*Diff, error) {
	if err := r.checkLocale(source); err != nil {
		return nil, err
	}
	if err := r.checkLocale(target); err != nil {
		return nil, err
	}
	keys, err := r.keys(source, pages)
	if err != nil {
		return nil, err
	}
	d := &Diff{Schema: DiffSchema, Source: source, Target: target}
	for _, key := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := r.comparePage(source, target, key, true)
		d.Totals.add(p.Counts)
		d.Pages = append(d.Pages, p)
	}
	return d, nil
}

func (r *Reviewer) checkLocale(tag string) error {
	if r.site.Locales.Get(tag) == nil {
		var tags []string
		for _, l := range r.site.Locales.All {
			tags = append(tags, l.Tag)
		}
		return fmt.Errorf("%q is not a locale of the site; use one of: %s", tag, strings.Join(tags, ", "))
	}
	return nil
}

// keys returns the requested pages, or every page of the site.
func (r *Reviewer) keys(source string, pages []string) ([]string, error) {
	// Generated locale homes (a site without _index.md) have no text to
	// review.
	all := slices.DeleteFunc(slices.Clone(r.site.Pages.Keys), func(k string) bool {
		for _, l := range r.site.Locales.All {
			if r.site.Tree.Get(l.Tag, k) != nil {
				return false
			}
		}
		return true
	})
	for _, k := range r.site.Tree.Keys(source) {
		if !slices.Contains(all, k) {
			all = append(all, k)
		}
	}
	slices.Sort(all)
	if len(pages) == 0 {
		return all, nil
	}
	for _, p := range pages {
		if !slices.Contains(all, p) {
			return nil, fmt.Errorf("no page %q in the site; pages are: %s", p, strings.Join(all, ", "))
		}
	}
	return pages, nil
}

// A located document is the merged document a locale shows for a page.
type located struct {
	state string
	shows string
	doc   *inherit.Doc
}

// locate finds the document readers of locale tag see for key. For an
// unpublished base locale it follows the fallback chain itself.
func (r *Reviewer) locate(tag, key string) located {
	if pages, ok := r.site.Pages.Pages[tag]; ok {
		p := pages[key]
		if p == nil || p.Doc == nil {
			return located{state: StateMissing}
		}
		switch p.Kind {
		case inherit.Inherited:
			return located{state: StateInherited, shows: p.Source.Tag, doc: p.Doc}
		case inherit.Fallback:
			return located{state: StateFallback, shows: p.Source.Tag, doc: p.Doc}
		}
		return located{state: ownState(p.Doc), shows: tag, doc: p.Doc}
	}
	l := r.site.Locales.Get(tag)
	for i, t := range l.Chain {
		f := r.site.Tree.Get(t, key)
		if f == nil {
			continue
		}
		doc := r.fileDoc(f)
		switch {
		case i == 0:
			return located{state: ownState(doc), shows: tag, doc: doc}
		case locale.SameLanguage(l, r.site.Locales.Get(t)):
			return located{state: StateInherited, shows: t, doc: doc}
		default:
			return located{state: StateFallback, shows: t, doc: doc}
		}
	}
	return located{state: StateMissing}
}

func ownState(d *inherit.Doc) string {
	if len(d.Files) > 1 {
		return StateOverridden
	}
	return StateTranslated
}

// fileDoc returns the merged document whose most derived file is f. The
// pipeline merges documents only for published locales, so the document
// of a published locale that shows f is used when there is one: its
// analysis is then shared. Otherwise f is read as it is (an unpublished
// base that itself extends another is not merged).
func (r *Reviewer) fileDoc(f *content.File) *inherit.Doc {
	r.mu.Lock()
	d, ok := r.docs[f]
	r.mu.Unlock()
	if ok {
		return d
	}
	for _, l := range r.site.Locales.Published() {
		if p := r.site.Pages.Pages[l.Tag][f.Key]; p != nil && p.Doc != nil && p.Doc.File == f {
			d = p.Doc
			break
		}
	}
	if d == nil {
		d = &inherit.Doc{Meta: f.Meta, Body: f.Body, Chunks: []inherit.Chunk{{File: f}}, Files: []*content.File{f}, File: f}
	}
	r.mu.Lock()
	r.docs[f] = d
	r.mu.Unlock()
	return d
}

// analysisOf analyses d once per Reviewer.
func (r *Reviewer) analysisOf(d *inherit.Doc) *analysis {
	r.mu.Lock()
	a, ok := r.cache[d]
	r.mu.Unlock()
	if ok {
		return a
	}
	a = analyse(r.parser, r.site.Markdown, d)
	r.mu.Lock()
	r.cache[d] = a
	r.mu.Unlock()
	return a
}

// comparePage compares one page. Without rows, only Counts are kept.
func (r *Reviewer) comparePage(source, target, key string, rows bool) PageDiff {
	pd := PageDiff{Page: key}
	src := r.locate(source, key)
	if src.doc == nil {
		pd.State = StateSourceMissing
		if tgt := r.locate(target, key); tgt.doc != nil {
			pd.Shows = tgt.shows
		}
		return pd
	}
	sa := r.analysisOf(src.doc)
	pd.SourceTitle, pd.SourceFile, pd.SourceWords = sa.Title, src.doc.File.Path, sa.Words
	pd.Counts.Sections = len(sa.Sections)
	if source == target {
		pd.State, pd.Shows, pd.Title, pd.Words = StateSource, source, sa.Title, sa.Words
		pd.TargetFiles = filePaths(src.doc)
		pd.Counts.Same = len(sa.Sections)
		return pd
	}
	tgt := r.locate(target, key)
	pd.State, pd.Shows = tgt.state, tgt.shows
	switch {
	case tgt.doc == nil:
		pd.Counts.Missing = len(sa.Sections)
		return pd
	case tgt.state == StateFallback && tgt.shows != source:
		// Readers see another language's text: nothing here is a
		// translation of the source yet.
		ta := r.analysisOf(tgt.doc)
		pd.Title, pd.Words, pd.TargetFiles = ta.Title, ta.Words, filePaths(tgt.doc)
		pd.Counts.Missing = len(sa.Sections)
		return pd
	case tgt.doc == src.doc || tgt.shows == source:
		pd.Title, pd.Words, pd.TargetFiles = sa.Title, sa.Words, filePaths(tgt.doc)
		if tgt.state == StateFallback {
			pd.Counts.Missing = len(sa.Sections)
		} else {
			pd.Counts.Same = len(sa.Sections)
		}
		return pd
	}
	ta := r.analysisOf(tgt.doc)
	pd.Title, pd.Words, pd.TargetFiles = ta.Title, ta.Words, filePaths(tgt.doc)
	multi := len(tgt.doc.Files) > 1 && tgt.state != StateInherited
	for _, p := range align(sa.Sections, ta.Sections) {
		sd := r.compareSection(p, source, sa, ta)
		c := &pd.Counts
		switch sd.Status {
		case "missing":
			c.Missing++
		case "extra":
			c.Extra++
		default:
			if sd.Moved {
				c.Moved++
			}
			if sd.LevelChanged {
				c.LevelChanged++
			}
			if len(sd.Differences) > 0 {
				c.Structure++
			}
			switch sd.Review {
			case ReviewStale:
				c.Stale++
			case ReviewUnreviewed:
				c.Unreviewed++
			case ReviewCurrent:
				c.Current++
			case ReviewSame:
				c.Same++
			}
		}
		if multi && p.tgt != nil && p.tgt.File == tgt.doc.File {
			c.Overridden++
		}
		if rows {
			pd.Sections = append(pd.Sections, sd)
		}
	}
	return pd
}

func filePaths(d *inherit.Doc) []string {
	var out []string
	for _, f := range d.Files {
		out = append(out, f.Path)
	}
	return out
}

func (r *Reviewer) compareSection(p pair, source string, sa, ta *analysis) SectionDiff {
	var sd SectionDiff
	if p.src != nil {
		sd.Source = ref(p.src, sa)
	}
	if p.tgt != nil {
		sd.Target = ref(p.tgt, ta)
	}
	switch {
	case p.tgt == nil:
		sd.Status = "missing"
		return sd
	case p.src == nil:
		sd.Status = "extra"
		return sd
	}
	sd.Status = "aligned"
	sd.Match = "position"
	if p.byID {
		sd.Match = "id"
	}
	sd.Moved = p.moved
	sd.LevelChanged = p.src.Level != p.tgt.Level
	sd.Differences = compareMetrics(&p.src.Metrics, &p.tgt.Metrics)
	f := p.tgt.File
	switch {
	case f == nil || f.Locale == source:
		sd.Review = ReviewSame
	case f.Meta.Reviewed == nil:
		sd.Review = ReviewUnreviewed
	case f.Meta.Reviewed[p.src.ID] == "" && f.Meta.Reviewed[p.tgt.ID] == "" && partialReview(f):
		// A file whose review records only some sections (an XLIFF
		// import records the sections it wrote) has not reviewed the
		// others yet.
		sd.Review = ReviewUnreviewed
	default:
		// A file that was marked reviewed recorded every section it
		// provides; a source section it lacks is new or renamed since.
		sd.Target.Recorded = f.Meta.Reviewed[p.src.ID]
		if sd.Target.Recorded == p.src.Digest {
			sd.Review = ReviewCurrent
		} else {
			sd.Review = ReviewStale
		}
	}
	return sd
}

func ref(s *section, a *analysis) *SectionRef {
	r := &SectionRef{ID: s.ID, Level: s.Level, Title: s.Title, Line: s.Line, Words: s.Words, Digest: s.Digest, Text: string(a.Body[s.Start:s.End])}
	if s.File != nil {
		r.File, r.Locale = s.File.Path, s.File.Locale
	}
	return r
}

// compareMetrics lists the structural differences of two sections.
func compareMetrics(s, t *Metrics) []Difference {
	var out []Difference
	count := func(kind string, a, b int) {
		if a != b {
			out = append(out, Difference{Kind: kind, Source: strconv.Itoa(a), Target: strconv.Itoa(b)})
		}
	}
	count("list-items", s.ListItems, t.ListItems)
	count("tables", len(s.Tables), len(t.Tables))
	if len(s.Tables) == len(t.Tables) {
		for i := range s.Tables {
			count("table-rows", s.Tables[i].Rows, t.Tables[i].Rows)
			if s.Tables[i].Columns != 0 && t.Tables[i].Columns != 0 {
				count("table-columns", s.Tables[i].Columns, t.Tables[i].Columns)
			}
		}
	}
	set := func(kind string, a, b []string) {
		missing, extra := multisetDiff(a, b)
		if len(missing) > 0 || len(extra) > 0 {
			out = append(out, Difference{Kind: kind, Source: strconv.Itoa(len(a)), Target: strconv.Itoa(len(b)), Missing: missing, Extra: extra})
		}
	}
	set("links", s.Links, t.Links)
	set("images", s.Images, t.Images)
	set("numbers", s.Numbers, t.Numbers)
	set("dates", s.Dates, t.Dates)
	set("emails", s.Emails, t.Emails)
	set("urls", s.URLs, t.URLs)
	set("code", s.Code, t.Code)
	return out
}

// multisetDiff returns the values of a not in b and of b not in a,
// counting repeats, in first-seen order.
func multisetDiff(a, b []string) (missing, extra []string) {
	n := map[string]int{}
	for _, v := range b {
		n[v]++
	}
	for _, v := range a {
		if n[v] > 0 {
			n[v]--
		} else {
			missing = append(missing, v)
		}
	}
	m := map[string]int{}
	for _, v := range a {
		m[v]++
	}
	for _, v := range b {
		if m[v] > 0 {
			m[v]--
		} else {
			extra = append(extra, v)
		}
	}
	return missing, extra
}

// workers runs f(i) for i in [0, n) on GOMAXPROCS goroutines.
func workers(ctx context.Context, n int, f func(i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		// Each worker stops when next is closed.
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}

// partialReview reports whether f's reviewed block says it records only
// some of the file's sections: it holds the key PartialReviewKey.
func partialReview(f *content.File) bool {
	_, ok := f.Meta.Reviewed[PartialReviewKey]
	return ok
}

// PartialReviewKey, present in a reviewed block, marks it as recording
// only the sections named: the file's other sections are unreviewed, not
// stale. An XLIFF import writes it into a file that had no review.
const PartialReviewKey = "_partial"
