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

// Schema versions of the JSON forms. A version only ever gains fields:
// v2 keeps every field of v1 and adds regional rows and counts,
// accepted differences, the word-level change of stale sections and the
// status matrix's shares. A change that removed or renamed a field would
// need a new name, not a new number.
const (
	DiffSchema   = "policysite.review.diff/v2"
	StatusSchema = "policysite.review.status/v2"
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
	opts   Options
	parser parser.Parser

	mu    sync.Mutex
	cache map[*inherit.Doc]*analysis
	docs  map[*content.File]*inherit.Doc
	lex   map[string]*lexicon // by locale tag
}

// Options configure a Reviewer. The zero value is the default.
type Options struct {
	// Counterparts maps a target locale to the locale of the source
	// language whose regional sections its own regional sections are
	// compared with (de-DE → en-IE). Without an entry the nearest one
	// is inferred; see Regional.
	Counterparts map[string]string
	// History recovers the source text that a section was reviewed
	// against, for the word-level diff of stale sections. Default: the
	// site's review records, then its git history (NewHistory).
	History *History
}

// New returns a Reviewer of site with default options.
func New(site *generator.Site) *Reviewer { return NewWithOptions(site, Options{}) }

// NewWithOptions returns a Reviewer of site.
func NewWithOptions(site *generator.Site, opts Options) *Reviewer {
	if opts.History == nil {
		opts.History = NewHistory(site.Config.Dir, site.Markdown)
	}
	return &Reviewer{site: site, opts: opts, parser: newParser(), cache: map[*inherit.Doc]*analysis{}, docs: map[*content.File]*inherit.Doc{}, lex: map[string]*lexicon{}}
}

// lexicon returns the lexicon of locale tag, made once per Reviewer.
func (r *Reviewer) lexicon(tag string) *lexicon {
	r.mu.Lock()
	defer r.mu.Unlock()
	lx, ok := r.lex[tag]
	if !ok {
		lx = newLexicon(tag)
		r.lex[tag] = lx
	}
	return lx
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
	// Regional counts sections a region adds, replaces or removes on
	// purpose (schema v2). They are not counted as missing, extra or
	// structure.
	Regional int `json:"regional"`
	// Accepted counts aligned sections whose differences a reviewer
	// accepted with --accept and that have not changed since (v2).
	Accepted int `json:"accepted"`
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
	c.Regional += o.Regional
	c.Accepted += o.Accepted
}

// A SectionDiff is one row of a page comparison.
type SectionDiff struct {
	// Status is "aligned", "missing" (source only), "extra" (target
	// only) or "regional" (a region's deliberate change; see Regional).
	Status string `json:"status"`
	// Match says how an aligned pair was found: "id" or "position".
	Match        string       `json:"match,omitempty"`
	Source       *SectionRef  `json:"source,omitempty"`
	Target       *SectionRef  `json:"target,omitempty"`
	Moved        bool         `json:"moved,omitempty"`
	LevelChanged bool         `json:"levelChanged,omitempty"`
	Review       string       `json:"review,omitempty"`
	Differences  []Difference `json:"differences,omitempty"`
	// Regional describes a regional row (schema v2).
	Regional *Regional `json:"regional,omitempty"`
	// Accepted lists the difference kinds a reviewer accepted for this
	// section; they are left out of Differences until either side
	// changes (v2).
	Accepted []string `json:"accepted,omitempty"`
	// Change is the word-level diff of a stale section's source since
	// its review (v2).
	Change *Change `json:"change,omitempty"`
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
		p := r.comparePage(source, target, key, compareMode{rows: true, changes: true})
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
	a = analyse(r.parser, r.site.Markdown, d, r.lexicon)
	a.regional = r.regionalOf(d)
	r.mu.Lock()
	r.cache[d] = a
	r.mu.Unlock()
	return a
}

// compareMode says what comparePage reports.
type compareMode struct {
	rows           bool // keep the section rows, not only Counts
	changes        bool // find what changed in stale sections (reads history)
	ignoreAccepted bool // report accepted differences too
}

// comparePage compares one page.
func (r *Reviewer) comparePage(source, target, key string, mode compareMode) PageDiff {
	rows := mode.rows
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
		sd := r.compareSection(p, source, sa, ta, mode)
		r.regionalRow(&sd, p, source, target, key, sa, ta, mode)
		c := &pd.Counts
		switch sd.Status {
		case "missing":
			c.Missing++
		case "extra":
			c.Extra++
		default:
			if sd.Status == "regional" {
				c.Regional++
			}
			if sd.Moved {
				c.Moved++
			}
			if sd.LevelChanged {
				c.LevelChanged++
			}
			if len(sd.Differences) > 0 && sd.Status == "aligned" {
				c.Structure++
			}
			if len(sd.Accepted) > 0 {
				c.Accepted++
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
		if mode.changes && sd.Review == ReviewStale {
			against := sd.Source
			if sd.Regional != nil && sd.Regional.SameRegion {
				against = sd.Regional.Counterpart
			}
			sd.Change = r.opts.History.change(against, ParseRecord(against.ID, sd.Target.Recorded))
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

func (r *Reviewer) compareSection(p pair, source string, sa, ta *analysis, mode compareMode) SectionDiff {
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
	r.review(&sd, p.src, p.tgt, source)
	r.differences(&sd, &p.src.Metrics, &p.tgt.Metrics, p.tgt, mode)
	return sd
}

// review sets the review state of target section t measured against
// source section s, and for a stale one what changed in s since.
func (r *Reviewer) review(sd *SectionDiff, s, t *section, source string) {
	f := t.File
	switch {
	case f == nil || f.Locale == source:
		sd.Review = ReviewSame
	case f.Meta.Reviewed == nil:
		sd.Review = ReviewUnreviewed
	case f.Meta.Reviewed[s.ID] == "" && f.Meta.Reviewed[t.ID] == "" && partialReview(f):
		// A file whose review records only some sections (an XLIFF
		// import records the sections it wrote) has not reviewed the
		// others yet.
		sd.Review = ReviewUnreviewed
	default:
		// A file that was marked reviewed recorded every section it
		// provides; a source section it lacks is new or renamed since.
		sd.Target.Recorded = f.Meta.Reviewed[s.ID]
		if ParseRecord(s.ID, sd.Target.Recorded).Digest == s.Digest {
			sd.Review = ReviewCurrent
		} else {
			sd.Review = ReviewStale
		}
	}
}

// differences sets the structural differences of t measured against
// s's metrics, leaving out the kinds a reviewer accepted for exactly
// this pair of texts.
func (r *Reviewer) differences(sd *SectionDiff, s, t *Metrics, tgt *section, mode compareMode) {
	diffs := compareMetrics(s, t)
	if tgt.File == nil || sd.Review != ReviewCurrent || mode.ignoreAccepted {
		sd.Differences = diffs
		return
	}
	rec := ParseRecord(sd.Target.ID, sd.Target.Recorded)
	if len(rec.Accept) == 0 || rec.Target != tgt.Digest {
		sd.Differences = diffs
		return
	}
	for _, d := range diffs {
		if rec.accepts(d.Kind) {
			if !slices.Contains(sd.Accepted, d.Kind) {
				sd.Accepted = append(sd.Accepted, d.Kind)
			}
			continue
		}
		sd.Differences = append(sd.Differences, d)
	}
}

// regionalRow turns a row about a section that a region adds, replaces
// or removes on purpose into a regional row, compared with the
// counterpart locale's version of the section when there is one.
func (r *Reviewer) regionalRow(sd *SectionDiff, p pair, source, target, key string, sa, ta *analysis, mode compareMode) {
	rg := ta.regional
	switch {
	case p.tgt != nil:
		decl, ok := rg.of(p.tgt)
		if !ok {
			return
		}
		reg := &Regional{Change: RegionalAdded, Declared: decl.String()}
		if p.src != nil {
			reg.Change, reg.Replaces = RegionalReplaced, rg.replacedRef(p.tgt.File, p.tgt.ID)
		}
		*sd = SectionDiff{Status: "regional", Source: sd.Source, Target: sd.Target, Regional: reg}
		// A replaced section is reviewed against the source section it
		// replaces, as a translation would be (when the source's version
		// changes, the region's may need to follow), unless the same
		// region's version in the source language exists: it is the
		// text this one translates.
		if p.src != nil {
			r.review(sd, p.src, p.tgt, source)
		}
		// The counterpart is the first candidate's section of this ID
		// that the candidate's own regional file provides, else the
		// first candidate's section of this ID at all (its base's):
		// regions differ in which sections they change.
		var cs *section
		var ca *analysis
		tag := ""
		cands := r.counterparts(source, target, key, rg)
		for pass := 0; pass < 2 && cs == nil; pass++ {
			for _, t := range cands {
				loc := r.locate(t, key)
				if loc.doc == nil {
					continue
				}
				a := r.analysisOf(loc.doc)
				i := slices.IndexFunc(a.Sections, func(s *section) bool { return s.ID == p.tgt.ID })
				if i < 0 {
					continue
				}
				if _, own := a.regional.of(a.Sections[i]); own || pass == 1 {
					cs, ca, tag = a.Sections[i], a, t
					break
				}
			}
		}
		if cs == nil {
			return
		}
		reg.Counterpart, reg.SameRegion = ref(cs, ca), r.sameRegion(tag, target)
		reg.Counterpart.Locale = tag
		if reg.SameRegion {
			sd.Review, sd.Target.Recorded = "", ""
			r.review(sd, cs, p.tgt, source)
		}
		r.differences(sd, &cs.Metrics, &p.tgt.Metrics, p.tgt, mode)
	case p.src != nil:
		decl, ok := rg.removal(sa.Sections, p.src.Index)
		if !ok {
			return
		}
		*sd = SectionDiff{Status: "regional", Source: sd.Source, Regional: &Regional{
			Change: RegionalRemoved, Declared: decl.String(), Replaces: rg.replacedRef(decl.file, p.src.ID)}}
	}
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
	if missing, extra := smallNumbers(multisetDiff(s.Numbers, t.Numbers)); len(missing) > 0 || len(extra) > 0 {
		out = append(out, Difference{Kind: "numbers", Source: strconv.Itoa(len(s.Numbers)), Target: strconv.Itoa(len(t.Numbers)), Missing: missing, Extra: extra})
	}
	if missing, extra := datesDiff(s.Dates, t.Dates); len(missing) > 0 || len(extra) > 0 {
		out = append(out, Difference{Kind: "dates", Source: strconv.Itoa(len(s.Dates)), Target: strconv.Itoa(len(t.Dates)), Missing: missing, Extra: extra})
	}
	set("emails", s.Emails, t.Emails)
	set("urls", s.URLs, t.URLs)
	set("code", s.Code, t.Code)
	return out
}

// smallNumbers drops the figures up to ten that only one side has when
// the other side has no figure up to ten in their place: style guides
// of most languages write small numbers as words ("six months", "seis
// meses", "Zwei-Faktor"), so a translation may carry the number without
// its digit. A figure up to ten that replaces another ("6 months" →
// "3 meses") is still reported.
func smallNumbers(missing, extra []string) ([]string, []string) {
	small := func(n string) bool { v, err := strconv.Atoi(n); return err == nil && v <= 10 }
	smallMissing, smallExtra := slices.ContainsFunc(missing, small), slices.ContainsFunc(extra, small)
	if !smallExtra {
		missing = slices.DeleteFunc(missing, small)
	}
	if !smallMissing {
		extra = slices.DeleteFunc(extra, small)
	}
	if len(missing) == 0 {
		missing = nil
	}
	if len(extra) == 0 {
		extra = nil
	}
	return missing, extra
}

// datesDiff is multisetDiff for dates: a date whose month is unknown
// ("2026-?-15") matches a date of the same year and day in any month.
func datesDiff(a, b []string) (missing, extra []string) {
	missing, extra = multisetDiff(a, b)
	open := func(d string) string {
		y, rest, _ := strings.Cut(d, "-")
		_, day, _ := strings.Cut(rest, "-")
		return y + "-?-" + day
	}
	for i := 0; i < len(missing); i++ {
		for j := 0; j < len(extra); j++ {
			if (strings.Contains(missing[i], "?") || strings.Contains(extra[j], "?")) && open(missing[i]) == open(extra[j]) {
				missing = slices.Delete(missing, i, i+1)
				extra = slices.Delete(extra, j, j+1)
				i--
				break
			}
		}
	}
	if len(missing) == 0 {
		missing = nil
	}
	if len(extra) == 0 {
		extra = nil
	}
	return missing, extra
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
