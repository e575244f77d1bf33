package devserver

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"policysite/generator"
)

// A change is what an edited path means for the build.
type change = generator.Change

const (
	changeNone     = generator.ChangeNone
	changeContent  = generator.ChangeContent
	changeStrings  = generator.ChangeStrings
	changeTemplate = generator.ChangeTemplate
	changeAsset    = generator.ChangeAsset
	changeStatic   = generator.ChangeStatic
	changeConfig   = generator.ChangeConfig
)

// watchedDirs are the folders below the site root that hold its
// sources, watched recursively.
var watchedDirs = []string{"content", "i18n", "themes", "assets", "static"}

// classify says what an edit of path (below siteDir, as fsnotify names
// it) means.
func classify(siteDir, path string) change {
	rel, err := filepath.Rel(siteDir, path)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return changeNone
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range parts {
		if ignoredName(p) {
			return changeNone
		}
	}
	switch parts[0] {
	case "site.toml":
		if len(parts) == 1 {
			return changeConfig
		}
	case "content":
		switch {
		case len(parts) <= 2:
			// The content folder or a locale folder appeared or went away:
			// without [[locales]] in site.toml, the folders are the locales.
			return changeConfig
		case strings.HasSuffix(path, ".md") || !strings.Contains(parts[len(parts)-1], "."):
			// A page, or what may be a folder of pages.
			return changeContent
		}
	case "i18n":
		switch {
		case len(parts) == 1:
			return changeStrings
		case len(parts) == 2 && strings.HasSuffix(parts[1], ".toml"):
			return changeStrings
		}
	case "themes":
		if len(parts) >= 3 && parts[2] == "assets" {
			return changeAsset
		}
		return changeTemplate
	case "assets":
		return changeAsset
	case "static":
		return changeStatic
	}
	return changeNone
}

// ignoredName reports whether a file name is an editor's backup, swap,
// lock or temporary file, or hidden; the build skips such files too.
func ignoredName(name string) bool { return generator.Ignored(name) }

// A watcher reports batches of edited site paths. Create it with
// newWatcher; run delivers batches until ctx is cancelled.
type watcher struct {
	w       *fsnotify.Watcher
	siteDir string
	window  time.Duration
	errs    func(error)
}

func newWatcher(siteDir string, window time.Duration, errs func(error)) (*watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	wt := &watcher{w: w, siteDir: siteDir, window: window, errs: errs}
	// The site folder itself, not recursively: site.toml, and source
	// folders created after start.
	if err := w.Add(siteDir); err != nil {
		w.Close()
		return nil, err
	}
	for _, d := range watchedDirs {
		wt.addTree(filepath.Join(siteDir, d), nil)
	}
	return wt, nil
}

// addTree watches dir and every folder below it. Files found are passed
// to found: a new folder may already hold files whose events came
// before the folder was watched.
func (wt *watcher) addTree(dir string, found func(string)) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != dir && ignoredName(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := wt.w.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				wt.errs(err)
			}
		} else if found != nil {
			found(p)
		}
		return nil
	})
}

// forget drops the watches of a folder that was renamed or removed, and
// of every folder below it. inotify watches a folder, not a name: after
// a rename the old watches still report events, under the old names,
// and adding the folder under its new name returns the same stale watch
// (which fsnotify then removes when the move reaches it), so edits in a
// renamed folder were lost. Dropped first, the new name gets fresh
// watches when its Create event arrives.
func (wt *watcher) forget(dir string) {
	prefix := dir + string(filepath.Separator)
	for _, p := range wt.w.WatchList() {
		if p == dir || strings.HasPrefix(p, prefix) {
			// The watch may be gone already (fsnotify removes a moved
			// folder's own watch); that is what we want.
			_ = wt.w.Remove(p)
		}
	}
}

// run sends batches of edits to out: a batch closes when no event came
// for the window, or at most 10 windows after its first event, so that a
// stream of events still rebuilds. It returns when ctx is cancelled and
// closes the fsnotify watcher.
func (wt *watcher) run(ctx context.Context, out chan<- batch) {
	defer wt.w.Close()
	var cur batch
	var quiet, limit <-chan time.Time
	flush := func() {
		quiet, limit = nil, nil
		if len(cur.paths) == 0 {
			cur = batch{}
			return
		}
		select {
		case out <- cur:
		case <-ctx.Done():
		}
		cur = batch{}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-wt.w.Errors:
			if !ok {
				return
			}
			wt.errs(err)
		case ev, ok := <-wt.w.Events:
			if !ok {
				return
			}
			// Chmod alone does not change content (editors and backup
			// tools touch modes and times).
			if ev.Op == fsnotify.Chmod {
				continue
			}
			if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
				wt.forget(ev.Name)
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
					wt.addTree(ev.Name, func(p string) { cur.add(wt.siteDir, p) })
				}
			}
			if !cur.add(wt.siteDir, ev.Name) && len(cur.paths) == 0 {
				continue
			}
			if cur.first.IsZero() {
				cur.first = time.Now()
				limit = time.After(10 * wt.window)
			}
			quiet = time.After(wt.window)
		case <-quiet:
			flush()
		case <-limit:
			flush()
		}
	}
}

// A batch is a set of edited paths and what each means.
type batch struct {
	paths map[string]change
	first time.Time // when the first event arrived
}

// add records p and reports whether it matters to the site.
func (b *batch) add(siteDir, p string) bool {
	c := classify(siteDir, p)
	if c == changeNone {
		return false
	}
	if b.paths == nil {
		b.paths = map[string]change{}
	}
	b.paths[p] = c
	return true
}
