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
	"policysite/generator/inherit"
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
		page, err := pageOf(s.dir, vdir)
		if err != nil {
			return nil, err
		}
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
		if !current[p] {
			// Versions of no page publish nothing (CheckDirs warns).
			delete(history, p)
			continue
		}
		cur, vs := es[0], es[1:]
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
		// Oldest first, the current file last.
		history[p] = append(slices.Clip(vs), cur)
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

// CheckDirs warns of the version folders of tree, which content.Load
// read from dir, that publish nothing: a folder beside no page (left
// behind when the page was moved or deleted), and one beside a file
// that no page with an effective date shows, whose earlier versions are
// not built because the page has no date for them to come before. A
// regional override without an effective date of its own is not one of
// those: its page takes the date of its base.
func CheckDirs(dir string, tree *content.Tree, current *inherit.Site, ws *diag.Warnings) {
	if len(tree.VersionDirs) == 0 {
		return
	}
	dated := map[*content.File]bool{}
	for _, pages := range current.Pages {
		for _, p := range pages {
			for _, f := range p.Doc.Files {
				dated[f] = dated[f] || !p.Doc.Meta.Effective.IsZero()
			}
		}
	}
	for _, vdir := range tree.VersionDirs {
		p, err := pageOf(dir, vdir)
		if err != nil {
			continue
		}
		tag, page, _ := strings.Cut(p, "/")
		var file *content.File
		for _, f := range tree.Files[tag] {
			if f.Rel == page+".md" || f.Rel == page+".markdown" {
				file = f
				break
			}
		}
		switch {
		case file == nil:
			ws.Add(diag.Warning{Kind: "version files beside no page", File: vdir,
				Detail: "no " + filepath.Join(filepath.Dir(vdir), path.Base(page)+".md"),
				Hint:   "not published; put the folder beside its page (privacy.md and privacy.versions/), or delete it"})
		case !dated[file]:
			ws.Add(diag.Warning{Kind: "version files of a page without an effective date", File: file.Path,
				Detail: "beside it: " + vdir,
				Hint:   "its earlier versions are not published; add effective: YYYY-MM-DD to its front matter"})
		}
	}
}

// pageOf returns the slash path below the content folder dir, without
// extension, of the page whose version folder is vdir ("en/privacy" for
// content/en/privacy.versions).
func pageOf(dir, vdir string) (string, error) {
	rel, err := filepath.Rel(dir, vdir)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(filepath.ToSlash(rel), content.VersionsSuffix), nil
}
