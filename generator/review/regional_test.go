package review

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// regionalRows returns the regional rows of page key of d by section ID.
func regionalRows(d *Diff) map[string]SectionDiff {
	out := map[string]SectionDiff{}
	for _, p := range d.Pages {
		for _, s := range p.Sections {
			if s.Status != "regional" {
				continue
			}
			ref := s.Target
			if ref == nil {
				ref = s.Source
			}
			out[ref.ID] = s
		}
	}
	return out
}

func TestRegional(t *testing.T) {
	ctx := context.Background()
	site := load(t, fixtureSite(t))
	for _, tc := range []struct {
		name        string
		opts        Options
		target      string
		want        map[string]string // section → change
		counterpart map[string]string // section → counterpart locale ("" none)
	}{
		// de-AT removes #images, replaces #numbers and adds #austria over
		// the German base; en-AT, the same region in English, has
		// #austria; en-IE, the nearest English region after it (both
		// EU), has its own #numbers.
		{"de-AT", Options{}, "de-AT",
			map[string]string{"images": RegionalRemoved, "numbers": RegionalReplaced, "austria": RegionalAdded},
			map[string]string{"images": "", "numbers": "en-IE", "austria": "en-AT"}},
		// en-IE is itself in the source language: nothing to compare with.
		{"en-IE", Options{}, "en-IE",
			map[string]string{"images": RegionalRemoved, "numbers": RegionalReplaced, "ireland": RegionalAdded},
			map[string]string{"images": "", "numbers": "", "ireland": ""}},
		// A configured counterpart wins, even one without the section.
		{"configured", Options{Counterparts: map[string]string{"de-AT": "en"}}, "de-AT",
			map[string]string{"images": RegionalRemoved, "numbers": RegionalReplaced, "austria": RegionalAdded},
			map[string]string{"images": "", "numbers": "en", "austria": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewWithOptions(site, tc.opts).Diff(ctx, "en", tc.target, []string{"kinds"})
			if err != nil {
				t.Fatal(err)
			}
			rows := regionalRows(d)
			if len(rows) != len(tc.want) || d.Totals.Regional != len(tc.want) {
				t.Errorf("regional rows %v (total %d); want %v", rows, d.Totals.Regional, tc.want)
			}
			for id, change := range tc.want {
				r, ok := rows[id]
				if !ok || r.Regional.Change != change {
					t.Errorf("#%s: %+v; want regional %s", id, r.Regional, change)
					continue
				}
				cp := ""
				if r.Regional.Counterpart != nil {
					cp = r.Regional.Counterpart.Locale
				}
				if cp != tc.counterpart[id] {
					t.Errorf("#%s compared with %q; want %q", id, cp, tc.counterpart[id])
				}
				if !strings.Contains(r.Regional.Declared, filepath.Join("content", tc.target, "kinds.md")+":") {
					t.Errorf("#%s declared at %s; want the %s file", id, r.Regional.Declared, tc.target)
				}
			}
			if d.Totals.Missing != 0 || d.Totals.Extra != 0 {
				t.Errorf("totals %+v: regional changes counted as missing or extra", d.Totals)
			}
			if f := Failures(d.Totals, []string{"missing", "extra"}); f != nil {
				t.Errorf("Failures(missing,extra) = %v; want none", f)
			}
			if f := Failures(d.Totals, []string{"regional"}); !slices.Equal(f, []string{"3 regional"}) {
				t.Errorf("Failures(regional) = %v; want [3 regional]", f)
			}
		})
	}
	// The counterpart's differences are the section's findings; a
	// replaced section's own base is named.
	d, err := New(site).Diff(ctx, "en", "de-AT", []string{"kinds"})
	if err != nil {
		t.Fatal(err)
	}
	n := regionalRows(d)["numbers"]
	if n.Regional.Replaces == nil || !strings.HasSuffix(n.Regional.Replaces.File, filepath.Join("content", "de", "kinds.md")) {
		t.Errorf("#numbers replaces %+v; want the de file's section", n.Regional.Replaces)
	}
	if len(n.Differences) != 1 || n.Differences[0].Kind != "numbers" || !slices.Equal(n.Differences[0].Missing, []string{"90"}) {
		t.Errorf("#numbers differences against en-IE = %+v; want numbers 90 vs 180", n.Differences)
	}
}

// TestMarkRegional marks a region's file reviewed: a regional section
// is recorded against the same region's version in the source language
// (de-AT's #austria against en-AT's), else against the source section it
// replaces (#numbers against en's, not against en-IE's, another
// region's law), and goes stale when that changes.
func TestMarkRegional(t *testing.T) {
	ctx := context.Background()
	dir := fixtureSite(t)
	_, recs, err := New(load(t, dir)).MarkReviewed(ctx, "en", "de-AT", "kinds", MarkOptions{KeepText: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != "numbers" || recs[1].ID != "austria" {
		t.Fatalf("records %+v; want #numbers and #austria", recs)
	}
	diff := func() map[string]SectionDiff {
		t.Helper()
		d, err := New(load(t, dir)).Diff(ctx, "en", "de-AT", []string{"kinds"})
		if err != nil {
			t.Fatal(err)
		}
		return regionalRows(d)
	}
	rows := diff()
	if rows["numbers"].Review != ReviewCurrent || rows["austria"].Review != ReviewCurrent {
		t.Errorf("after marking: #numbers %s, #austria %s; want current", rows["numbers"].Review, rows["austria"].Review)
	}
	// Another region's text is only compared with.
	editFile(t, filepath.Join(dir, "content", "en-IE", "kinds.md"), "logs for 90 days", "logs for 60 days")
	if r := diff()["numbers"]; r.Review != ReviewCurrent {
		t.Errorf("#numbers after en-IE changed: %s; want current", r.Review)
	}
	for _, tc := range []struct{ id, file, old, new string }{
		{"numbers", "en", "We keep logs for 180 days", "We keep logs for 90 days"},
		{"austria", "en-AT", "in Vienna", "in Wien"},
	} {
		editFile(t, filepath.Join(dir, "content", tc.file, "kinds.md"), tc.old, tc.new)
		r := diff()[tc.id]
		if r.Review != ReviewStale || r.Change == nil || r.Change.From != FromRecord {
			t.Fatalf("#%s after %s changed: %s, change %+v; want stale, from the record", tc.id, tc.file, r.Review, r.Change)
		}
		if !strings.Contains(r.Change.Old, tc.old) || !strings.Contains(r.Change.New, tc.new) {
			t.Errorf("#%s change %q → %q", tc.id, r.Change.Old, r.Change.New)
		}
	}
}

func TestRegionAffinity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"DE", "DE", 4}, {"DE", "IE", 3}, {"DE", "CH", 2}, {"DE", "NO", 1}, {"DE", "US", 0}, {"", "DE", 0},
	} {
		if got := regionAffinity(tc.a, tc.b); got != tc.want {
			t.Errorf("regionAffinity(%s, %s) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
