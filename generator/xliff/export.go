package xliff

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/parser"

	"policysite/generator/review"
)

// Kinds of sections an export can select.
const (
	OnlyMissing    = "missing"
	OnlyStale      = "stale"
	OnlyUnreviewed = "unreviewed"
)

// ExportOptions select what Export writes.
type ExportOptions struct {
	Source, Target string
	// Pages limits the export to these translation keys. Default: every page.
	Pages []string
	// Only lists the kinds of sections to export. Default: missing and stale.
	Only []string
}

// ParseOnly parses a comma-separated --only list.
func ParseOnly(s string) ([]string, error) {
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		switch k {
		case OnlyMissing, OnlyStale, OnlyUnreviewed:
			out = append(out, k)
		case "":
		default:
			return nil, fmt.Errorf("--only %q: want a comma-separated list of %s, %s, %s", k, OnlyMissing, OnlyStale, OnlyUnreviewed)
		}
	}
	return out, nil
}

// Export collects the sections of opts.Target that need translating
// from opts.Source. A page the target does not have in its language at
// all is exported whole, with its title.
func Export(ctx context.Context, rv *review.Reviewer, opts ExportOptions) (*Document, error) {
	if len(opts.Only) == 0 {
		opts.Only = []string{OnlyMissing, OnlyStale}
	}
	diff, err := rv.Diff(ctx, opts.Source, opts.Target, opts.Pages)
	if err != nil {
		return nil, err
	}
	doc := &Document{Source: opts.Source, Target: opts.Target}
	p := newSegmenter()
	for _, pd := range diff.Pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		page, err := exportPage(rv, p, opts, pd)
		if err != nil {
			return nil, err
		}
		if len(page.Units) > 0 {
			doc.Pages = append(doc.Pages, page)
		}
	}
	return doc, nil
}

func exportPage(rv *review.Reviewer, p parser.Parser, opts ExportOptions, pd review.PageDiff) (Page, error) {
	page := Page{Key: pd.Page}
	if pd.State == review.StateSourceMissing || pd.State == review.StateSource {
		return page, nil
	}
	srcSecs, title, _, _, err := rv.Sections(opts.Source, pd.Page)
	if err != nil {
		return page, err
	}
	// A page readers of the target see in no translation of theirs has
	// no rows: every section is missing, and the page is exported whole.
	if len(pd.Sections) == 0 {
		if pd.Counts.Missing == 0 || !slices.Contains(opts.Only, OnlyMissing) {
			return page, nil
		}
		file := targetPath(srcSecs, opts.Source, opts.Target)
		page.Units = append(page.Units, Unit{Section: TitleUnit, Digest: review.Digest([]byte(title)), State: OnlyMissing, File: file,
			Segments: []Segment{{Source: []Inline{{Text: title}}}}})
		for _, s := range srcSecs {
			page.Units = append(page.Units, newUnit(p, s, OnlyMissing, "", file))
		}
		return page, nil
	}
	bySection := map[string]review.Section{}
	for _, s := range srcSecs {
		bySection[s.ID] = s
	}
	for _, sd := range pd.Sections {
		s, from, ok := sourceOf(rv, opts.Source, pd.Page, sd, bySection)
		if !ok {
			continue
		}
		var u Unit
		switch {
		case sd.Status == "missing" && slices.Contains(opts.Only, OnlyMissing):
			u = newUnit(p, s, OnlyMissing, "", "")
		case sd.Review == review.ReviewStale && slices.Contains(opts.Only, OnlyStale):
			u = newUnit(p, s, OnlyStale, sd.Target.Text, sd.Target.File)
		case sd.Review == review.ReviewUnreviewed && slices.Contains(opts.Only, OnlyUnreviewed):
			u = newUnit(p, s, OnlyUnreviewed, sd.Target.Text, sd.Target.File)
		default:
			continue
		}
		u.From = from
		page.Units = append(page.Units, u)
	}
	return page, nil
}

// sourceOf returns the section a row is translated from: the source
// locale's, or for a region's own section the same region's version in
// the source language when the site has one (de-DE's GDPR section is
// translated from en-DE's, not from the English text it replaces). from
// is that locale, or "" for the source.
func sourceOf(rv *review.Reviewer, source, page string, sd review.SectionDiff, bySection map[string]review.Section) (review.Section, string, bool) {
	if reg := sd.Regional; reg != nil && reg.SameRegion && reg.Counterpart != nil && reg.Counterpart.Locale != source {
		secs, _, _, _, err := rv.Sections(reg.Counterpart.Locale, page)
		if err == nil {
			for _, s := range secs {
				if s.ID == reg.Counterpart.ID {
					return s, reg.Counterpart.Locale, true
				}
			}
		}
	}
	if sd.Source == nil {
		return review.Section{}, "", false
	}
	s, ok := bySection[sd.Source.ID]
	return s, "", ok
}

// targetPath is where a new page of target goes: beside the source's
// file, in the target's folder.
func targetPath(secs []review.Section, source, target string) string {
	if len(secs) == 0 || secs[0].File == nil {
		return ""
	}
	f := secs[0].File
	dir := strings.TrimSuffix(filepath.ToSlash(f.Path), f.Locale+"/"+f.Rel)
	return filepath.FromSlash(dir + target + "/" + f.Rel)
}

// newUnit segments one source section. Codes are numbered through the
// unit, as XLIFF wants their ids unique within it.
func newUnit(p parser.Parser, s review.Section, state, previous, file string) Unit {
	u := Unit{Section: s.ID, Digest: s.Digest, State: state, Previous: previous, File: file}
	n := 0
	for _, sp := range segment(p, []byte(s.Text)) {
		var seg Segment
		for _, pc := range sp.Pieces {
			if !pc.isCode() {
				seg.Source = append(seg.Source, Inline{Text: pc.Text})
				continue
			}
			n++
			seg.Source = append(seg.Source, Inline{Code: "c" + strconv.Itoa(n), Data: pc.Code, Break: pc.Break})
		}
		u.Segments = append(u.Segments, seg)
	}
	return u
}
