package versions

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/srcfile"
)

// dateLayout is how version files and version URLs write a date.
const dateLayout = "2006-01-02"

// Files is the source of explicit version files:
// content/<tag>/<path>.versions/<YYYY-MM-DD>.md holds the file
// content/<tag>/<path>.md as it was in the version effective that day.
// It is safe for concurrent use.
type Files struct {
	dir  string
	tree *content.Tree
}

// NewFiles returns the source of the version files beside the pages of
// tree, which content.Load read from the content folder dir (it lists
// the version folders it finds, so that this source walks nothing else).
func NewFiles(dir string, tree *content.Tree) *Files {
	return &Files{dir: dir, tree: tree}
}

// An entry is one known text of a content file: a version file, or the
// current file at its own effective date (zero when it has none).
type entry struct {
	date time.Time
	blob Blob
}

// States returns one state per distinct date of a version file or of a
// current file's effective date. In the state of day D each file is its
// text with the latest date on or before D, or its earliest known text
// when D is before them all; a current file without an effective date of
// its own counts as later than all its version files.
func (s *Files) States(ctx context.Context) ([]State, error) {
	if len(s.tree.VersionDirs) == 0 {
		return nil, nil
	}
	history := map[string][]entry{} // slash path below the content folder
	current := map[string]bool{}    // the paths of current files
	var errs diag.List
	for _, files := range s.tree.Files {
		for _, f := range files {
			if f.Generated {
				continue
			}
			p := f.Locale + "/" + f.Rel
			current[p] = true
			history[p] = append(history[p], entry{date: f.Meta.Effective.Time, blob: Blob{ID: f.Path}})
		}
	}
	for _, vdir := range s.tree.VersionDirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(s.dir, vdir)
		if err != nil {
			return nil, err
		}
		page := strings.TrimSuffix(filepath.ToSlash(rel), content.VersionsSuffix)
		p := page + ".md"
		if _, ok := history[page+".markdown"]; ok {
			p = page + ".markdown"
		}
		des, err := os.ReadDir(vdir)
		if err != nil {
			errs.Add(&diag.SourceError{File: vdir, Err: fmt.Errorf("cannot read: %w", err)})
			continue
		}
		for _, de := range des {
			name := de.Name()
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
				continue
			}
			file := filepath.Join(vdir, name)
			day, err := time.Parse(dateLayout, strings.TrimSuffix(name, path.Ext(name)))
			if err != nil || de.IsDir() || path.Ext(name) != ".md" {
				errs.Add(&diag.SourceError{File: file, Err: fmt.Errorf("a version file is named after the day its version took effect, YYYY-MM-DD.md; rename or move it")})
				continue
			}
			if err := srcfile.Check(de.Type()); err != nil {
				errs.Add(&diag.SourceError{File: file, Err: err})
				continue
			}
			history[p] = append(history[p], entry{date: day, blob: Blob{ID: file}})
		}
	}
	days := map[time.Time]bool{}
	for p, es := range history {
		cur, vs := es[0], es[1:]
		if !current[p] {
			cur, vs = entry{}, es
		}
		slices.SortStableFunc(vs, func(a, b entry) int { return a.date.Compare(b.date) })
		for _, e := range vs {
			if !cur.date.IsZero() && !e.date.Before(cur.date) {
				errs.Add(&diag.SourceError{File: e.blob.ID, Err: fmt.Errorf("is dated on or after the page's effective date %s; a version file holds an earlier version (rename it, or change the page's effective date)", cur.date.Format(dateLayout))})
			}
			days[e.date] = true
		}
		if !cur.date.IsZero() {
			days[cur.date] = true
		}
		// Oldest first, the current file (if any) last.
		if current[p] {
			vs = append(slices.Clip(vs), cur)
		}
		history[p] = vs
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var states []State
	for _, day := range slices.SortedFunc(maps.Keys(days), time.Time.Compare) {
		st := State{ID: "files:" + day.Format(dateLayout), Time: day, Files: make(map[string]Blob, len(history))}
		for p, es := range history {
			st.Files[p] = at(es, day).blob
		}
		states = append(states, st)
	}
	return states, nil
}

// at returns the entry of es (oldest first, a current file without a
// date last) in force on day.
func at(es []entry, day time.Time) entry {
	best := es[0]
	for _, e := range es {
		if !e.date.IsZero() && !e.date.After(day) {
			best = e
		}
	}
	return best
}

// Read returns the bytes of a file of a state.
func (s *Files) Read(ctx context.Context, b Blob) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := srcfile.ReadFile(b.ID, content.MaxFileSize)
	if errors.Is(err, srcfile.ErrSpecial) {
		return nil, &diag.SourceError{File: b.ID, Err: err}
	}
	return data, err
}

// nameDate returns the date a version file is named after.
func nameDate(p string) (time.Time, bool) {
	base := filepath.Base(p)
	if filepath.Base(filepath.Dir(p)) == "." || !strings.HasSuffix(filepath.Dir(p), content.VersionsSuffix) {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, strings.TrimSuffix(base, ".md"))
	return t, err == nil
}
