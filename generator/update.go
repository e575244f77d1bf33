package generator

// Incremental rebuilds: Update continues a finished build after edits,
// re-rendering only the pages the edits can change, and writes exactly
// the files a new Build of the edited site would write differently.

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"policysite/generator/cdn"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/render"
	"policysite/generator/theme"
)

// A Change is what an edited path means for the build.
type Change int

const (
	ChangeNone     Change = iota // not part of the site: editor temp files, output
	ChangeContent                // re-render the pages whose text includes the file
	ChangeStrings                // re-render the pages of locales whose chain uses the file
	ChangeTemplate               // re-render every page, keep the loaded content
	ChangeAsset                  // fingerprint again; stylesheets can be swapped in the browser
	ChangeStatic                 // copy only
	ChangeConfig                 // full rebuild
)

func (c Change) String() string {
	return [...]string{"none", "content", "strings", "template", "asset", "static", "config"}[c]
}

// Changes are the edits an Update follows.
type Changes struct {
	// Paths maps each edited path (below the site folder, as the file
	// system names it) to what it means.
	Paths map[string]Change
	// Assets, when not nil, is called with the new theme assets before
	// the pages are re-rendered, when the edits changed the assets but
	// no template: the dev server serves them early and swaps the
	// stylesheets in the browser.
	Assets func(assets map[string][]byte, swaps []Swap)
}

// A Swap is a stylesheet whose fingerprinted URL changed.
type Swap struct {
	Old, New  string // root-relative URLs
	Integrity string // of the new stylesheet
}

// A Report says what an Update did.
type Report struct {
	// Full is set when every page was rendered again.
	Full bool
	// Rendered counts the pages rendered.
	Rendered int
	// Removed lists the files the previous build had and this one does
	// not; every other file of this build was written or is unchanged.
	Removed []string
	// Edited is the URL path of the page of the first edited content
	// file, or "".
	Edited string
	// Swaps lists the stylesheets whose URL changed.
	Swaps []Swap
}

// errStructural means an edit changed which pages exist, their keys or
// their URLs, so the content is loaded again from scratch.
var errStructural = errors.New("structural change")

// Update returns the build that follows b after changes, writing to sink
// every file that is new or whose bytes may have changed. It renders
// only the pages the edits may have changed. b is not modified.
func (b *Built) Update(ctx context.Context, changes Changes, sink Sink) (*Built, *Report, error) {
	kinds := map[Change]bool{}
	for _, k := range changes.Paths {
		kinds[k] = true
	}
	if kinds[ChangeConfig] || b.versionsEdited(changes.Paths) {
		n, err := Build(ctx, b.opts, sink)
		if err != nil {
			return nil, nil, err
		}
		rep := &Report{Full: true, Rendered: n.Pages, Removed: removed(b.cdn, n.cdn)}
		if !kinds[ChangeConfig] {
			files := map[string]*content.File{}
			for p := range changes.Paths {
				if f := n.byPath[p]; f != nil {
					files[p] = f
				}
			}
			rep.Edited = editedPage(n.Site, files)
		}
		return n, rep, nil
	}
	site := *b.Site
	// The warnings of this build: Load's, then those of its steps.
	site.Warnings = b.Site.loaded.Clone()
	var errs diag.List
	newRenderer, all := false, false
	var swaps []Swap
	assetsChanged := false

	if kinds[ChangeTemplate] || kinds[ChangeAsset] {
		th, err := loadTheme(ctx, site.Config, b.opts)
		errs.Add(err)
		if err == nil {
			site.Theme = th
			// The theme's strings may have changed with it.
			site.Catalog = site.Catalog.WithTheme(th.Strings())
			newRenderer = true
			all = all || kinds[ChangeTemplate]
			swaps, assetsChanged = diffAssets(b.Site.Theme, th)
		}
	}
	locales := map[string]bool{} // locales whose every page is re-rendered
	if kinds[ChangeStrings] {
		cat, err := loadStrings(ctx, site.Config)
		errs.Add(err)
		if err == nil {
			site.Catalog = cat.WithTheme(site.Theme.Strings())
			newRenderer = true
			var tags []string
			for p, k := range changes.Paths {
				if k == ChangeStrings {
					tags = append(tags, strings.TrimSuffix(filepath.Base(p), ".toml"))
				}
			}
			for _, l := range site.Locales.Published() {
				if chainUses(l.Chain, tags) {
					locales[l.Tag] = true
				}
			}
		}
	}

	var ids []PageID
	var edits map[string]*content.File
	edited := ""
	if kinds[ChangeContent] {
		files, err := b.readContent(changes.Paths)
		edits = files
		switch {
		case errors.Is(err, errStructural):
			if err := loadContent(ctx, &site, b.opts); err != nil {
				return nil, nil, err
			}
			newRenderer, all = true, true
		case err != nil:
			errs.Add(err)
		default:
			if err := errs.Err(); err != nil {
				return nil, nil, err
			}
			var ok bool
			ids, ok, err = b.applyContent(ctx, &site, files)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				if err := loadContent(ctx, &site, b.opts); err != nil {
					return nil, nil, err
				}
				newRenderer, all = true, true
			}
			edited = editedPage(&site, files)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}

	var r *render.Renderer
	if newRenderer {
		var err error
		if r, err = NewRenderer(&site, b.opts); err != nil {
			return nil, nil, err
		}
	} else {
		r = b.r.WithPages(site.Pages, site.Tree).WithWarnings(site.Warnings)
	}
	// The footer shows the latest date of any page, and a stylesheet or
	// script's fingerprinted name is in every page.
	if r.Year() != b.r.Year() || assetsChanged {
		all = true
	}
	special := all || locales[site.Locales.Default.Tag]
	if !all && len(locales) > 0 {
		for _, id := range AllPages(&site) {
			if locales[id.Locale] {
				ids = append(ids, id)
			}
		}
		slices.SortFunc(ids, func(a, b PageID) int { return strings.Compare(a.Locale+"\x00"+a.Key, b.Locale+"\x00"+b.Key) })
		ids = slices.Compact(ids)
	}

	if changes.Assets != nil && len(swaps) > 0 && !kinds[ChangeTemplate] {
		assets := map[string][]byte{}
		for _, a := range site.Theme.Assets() {
			assets[a.Path] = a.Data
		}
		changes.Assets(assets, swaps)
	}

	n := &Built{
		Summary: Summary{Locales: b.Locales, Pages: len(AllPages(&site)) + len(specialPages(r))},
		Site:    &site, opts: b.opts, r: r, byPath: b.byPath, static: b.static,
	}
	if all {
		n.cdn = newStep(b.opts, &site)
		n.pages = map[PageID]*pageRecord{}
		n.byPath = indexTree(site.Tree)
	} else {
		n.cdn = b.cdn.Clone()
		n.pages = maps.Clone(b.pages)
		if len(edits) > 0 {
			n.byPath = maps.Clone(b.byPath)
			maps.Copy(n.byPath, edits)
		}
	}
	out := n.sink(sink)
	var tail []func() error
	checkFrom := func() []PageID { return ids }
	switch {
	case all:
		ids = AllPages(&site)
		tail = n.otherFiles(ctx, out)
	default:
		if special {
			tail = n.specialPages(ctx, out)
		} else if len(locales) > 0 {
			// Each locale has a 404 page in its language.
			tail = n.localeNotFound(ctx, out, slices.Sorted(maps.Keys(locales)))
		}
		if kinds[ChangeStatic] {
			for _, name := range b.static {
				n.cdn.Remove(name)
			}
			tail = append(tail, func() error { return n.copyStatic(ctx, out) })
		}
		// The last good build had no broken fragment links, so only
		// links from the new pages, and links to them, can be broken now.
		checkFrom = func() []PageID { return linksToCheck(b, n, ids) }
	}
	if err := n.render(ctx, out, ids, tail, checkFrom); err != nil {
		return nil, nil, err
	}
	if err := n.checkStrings(); err != nil {
		return nil, nil, err
	}
	if err := n.finish(ctx, sink); err != nil {
		return nil, nil, err
	}
	rep := &Report{Full: all, Rendered: len(ids), Removed: removed(b.cdn, n.cdn), Edited: edited, Swaps: swaps}
	if special {
		rep.Rendered += len(specialPages(r))
	} else if !all && len(locales) > 0 {
		rep.Rendered += len(locales)
	}
	return n, rep, nil
}

// versionsEdited reports whether an edit may change a page's versions:
// an edit of a version file, or of a content file of a page that has
// versions or, once edited, an effective date. Versions are computed
// from every locale's files of a page and change the page itself (what
// it shows, its list of versions), its other versions' notices, its
// redlines and the locale's feed, so such an edit rebuilds the site: the
// simplest rule that is right, at the cost of a full build, which for
// the example takes about 150 ms.
func (b *Built) versionsEdited(paths map[string]Change) bool {
	for p, k := range paths {
		if k != ChangeContent {
			continue
		}
		if strings.Contains(filepath.ToSlash(p), content.VersionsSuffix+"/") || strings.HasSuffix(p, content.VersionsSuffix) {
			return true
		}
		if f := b.byPath[p]; f != nil {
			if b.hasVersions(f.Key) {
				return true
			}
		}
		if meta, ok := b.readMeta(p); ok && !meta.Effective.IsZero() {
			return true
		}
	}
	return false
}

// hasVersions reports whether page key has versions in any locale.
func (b *Built) hasVersions(key string) bool {
	for _, l := range b.Site.Locales.Published() {
		if b.Site.Versions.Get(l.Tag, key) != nil {
			return true
		}
	}
	return false
}

// readMeta reads the front matter of the content file p, if it can.
func (b *Built) readMeta(p string) (content.Meta, bool) {
	if !strings.HasSuffix(p, ".md") {
		return content.Meta{}, false
	}
	rel, err := filepath.Rel(filepath.Join(b.Site.Config.Dir, "content"), p)
	if err != nil {
		return content.Meta{}, false
	}
	tag, file, ok := strings.Cut(filepath.ToSlash(rel), "/")
	if !ok || b.Site.Locales.Get(tag) == nil {
		return content.Meta{}, false
	}
	f, err := content.ReadFile(p, tag, file, b.Site.Markdown)
	if err != nil {
		return content.Meta{}, false
	}
	return f.Meta, true
}

// removed lists the files old has and cur does not.
func removed(old, cur *cdn.Step) []string {
	now := cur.Names()
	var out []string
	for _, name := range old.Names() {
		if _, ok := slices.BinarySearch(now, name); !ok {
			out = append(out, name)
		}
	}
	return out
}

// linksToCheck returns the re-rendered pages ids and the pages that link
// to a fragment of one whose IDs changed.
func linksToCheck(old, cur *Built, ids []PageID) []PageID {
	changed := map[PageID]bool{}
	for _, id := range ids {
		if o := old.pages[id]; o == nil || !slices.Equal(o.ids, cur.pages[id].ids) {
			changed[id] = true
		}
	}
	from := slices.Clone(ids)
	if len(changed) == 0 {
		return from
	}
	for id, rec := range cur.pages {
		for _, ref := range rec.links {
			key := ref.Key
			if key == "" {
				key = id.Key
			}
			if changed[PageID{Locale: ref.Locale, Key: key}] {
				from = append(from, id)
				break
			}
		}
	}
	return from
}

// diffAssets lists the stylesheets whose fingerprinted URL changed and
// reports whether any asset was added, removed or changed.
func diffAssets(old, cur *theme.Theme) ([]Swap, bool) {
	var swaps []Swap
	changed := false
	seen := map[string]bool{}
	for _, a := range cur.Assets() {
		seen[a.Name] = true
		o := old.Asset(a.Name)
		if o != nil && o.Path == a.Path {
			continue
		}
		changed = true
		if o != nil && path.Ext(a.Name) == ".css" {
			swaps = append(swaps, Swap{Old: "/" + o.Path, New: "/" + a.Path, Integrity: a.Integrity})
		}
	}
	for _, a := range old.Assets() {
		if !seen[a.Name] {
			changed = true
		}
	}
	return swaps, changed
}

// chainUses reports whether a locale with this fallback chain looks up
// strings in any of the files named by tags: i18n.Catalog.Lookup reads
// each chain locale's file and its language's file.
func chainUses(chain, tags []string) bool {
	for _, c := range chain {
		lang, _, _ := strings.Cut(c, "-")
		if slices.Contains(tags, c) || slices.Contains(tags, lang) {
			return true
		}
	}
	return false
}

// readContent re-reads the edited content files. It returns
// errStructural when an edit adds, removes or renames a page, changes a
// translation key, a slug or draft status, or touches a folder: the
// cases that change more than the text of existing pages.
func (b *Built) readContent(dirty map[string]Change) (map[string]*content.File, error) {
	contentDir := filepath.Join(b.Site.Config.Dir, "content")
	files := map[string]*content.File{}
	var errs diag.List
	for _, p := range slices.Sorted(maps.Keys(dirty)) {
		if dirty[p] != ChangeContent {
			continue
		}
		rel, err := filepath.Rel(contentDir, p)
		if err != nil {
			return nil, errStructural
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		tag := parts[0]
		if b.Site.Locales.Get(tag) == nil {
			continue // content.Load reads only locale folders
		}
		if len(parts) == 1 || slices.ContainsFunc(parts[1:], Ignored) {
			if len(parts) == 1 {
				return nil, errStructural
			}
			continue
		}
		prev := b.byPath[p]
		st, err := os.Lstat(p)
		switch {
		case err != nil:
			if prev != nil || hasFileUnder(b.byPath, p) {
				return nil, errStructural
			}
			continue
		case st.IsDir() || st.Mode()&fs.ModeSymlink != 0:
			return nil, errStructural
		case !strings.HasSuffix(p, ".md"):
			continue
		case prev == nil:
			return nil, errStructural
		}
		f, err := content.ReadFile(p, tag, strings.Join(parts[1:], "/"), b.Site.Markdown)
		if err != nil {
			errs.Add(err)
			continue
		}
		if (f.Meta.Draft && !b.opts.Drafts) || f.Key != prev.Key || f.URLPath() != prev.URLPath() {
			return nil, errStructural
		}
		files[p] = f
	}
	return files, errs.Err()
}

// Ignored reports whether a file name is an editor's backup, swap, lock
// or temporary file, or hidden: the dev server ignores edits of such
// files, and Update does not read them.
func Ignored(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), strings.Contains(name, "___jb_"),
		name == "4913": // vim's probe that a folder is writable
		return true
	}
	return false
}

func hasFileUnder(byPath map[string]*content.File, dir string) bool {
	prefix := dir + string(filepath.Separator)
	for p := range byPath {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// applyContent puts the re-read files into site and returns the pages
// to re-render: every page whose merged text includes an edited file,
// in any locale, and the home of each locale where an edited page's
// listing (title, description, weight) changed. It reports false when
// the resolved pages differ in kind or existence, which readContent
// should have caught, so the caller falls back to a full reload.
func (b *Built) applyContent(ctx context.Context, site *Site, files map[string]*content.File) ([]PageID, bool, error) {
	if len(files) == 0 {
		return nil, true, nil
	}
	old := b.Site
	tree := &content.Tree{Files: maps.Clone(old.Tree.Files)}
	keys := map[string]bool{}
	for _, f := range files {
		if m := tree.Files[f.Locale]; m != nil && m[f.Key] == old.Tree.Files[f.Locale][f.Key] {
			tree.Files[f.Locale] = maps.Clone(m)
		}
		tree.Files[f.Locale][f.Key] = f
		keys[f.Key] = true
	}
	// Pages of different keys never share text, so resolving only the
	// edited keys gives the same pages as resolving everything.
	sub := &content.Tree{Files: map[string]map[string]*content.File{}}
	for tag, m := range tree.Files {
		sub.Files[tag] = map[string]*content.File{}
		for k := range keys {
			if f, ok := m[k]; ok {
				sub.Files[tag][k] = f
			}
		}
	}
	part, err := inherit.Resolve(ctx, site.Locales, sub, site.Markdown)
	if err != nil {
		return nil, false, err
	}
	pages := &inherit.Site{Pages: map[string]map[string]*inherit.Page{}, Keys: old.Pages.Keys}
	var ids []PageID
	for _, l := range site.Locales.Published() {
		prev := old.Pages.Pages[l.Tag]
		m := maps.Clone(prev)
		home := false
		for k := range keys {
			np, op := part.Pages[l.Tag][k], prev[k]
			if (np == nil) != (op == nil) {
				return nil, false, nil
			}
			if np == nil {
				continue
			}
			if np.Kind != op.Kind || np.Source != op.Source || menusChanged(op.Doc.Meta, np.Doc.Meta) {
				return nil, false, nil
			}
			m[k] = np
			if !usesAny(np.Doc, files) && !usesAny(op.Doc, files) {
				continue
			}
			ids = append(ids, PageID{Locale: l.Tag, Key: k})
			if k != content.HomeKey && listingChanged(op.Doc.Meta, np.Doc.Meta) {
				home = true
			}
		}
		if home && m[content.HomeKey] != nil && !keys[content.HomeKey] {
			ids = append(ids, PageID{Locale: l.Tag, Key: content.HomeKey})
		}
		pages.Pages[l.Tag] = m
	}
	site.Tree, site.Pages = tree, pages
	// The URLs are unchanged (readContent checked keys and slugs), so the
	// old Links still answers for the new pages.
	return ids, true, nil
}

func usesAny(d *inherit.Doc, files map[string]*content.File) bool {
	for _, f := range d.Files {
		if _, ok := files[f.Path]; ok {
			return true
		}
	}
	return false
}

// listingChanged reports whether a locale home lists the page
// differently: render.Renderer.policies reads these fields.
func listingChanged(a, b content.Meta) bool {
	return a.Title != b.Title || a.Description != b.Description || a.Weight != b.Weight ||
		a.LinkTitle != b.LinkTitle || a.Summary != b.Summary
}

// menusChanged reports whether a page's entries in the menus, which
// every page of its locale shows, changed: the whole site is rendered
// again.
func menusChanged(a, b content.Meta) bool {
	return !slices.Equal(a.Menus, b.Menus) || len(b.Menus) > 0 && a.Label() != b.Label()
}

// editedPage returns the URL of the page showing the first edited file:
// in the file's own locale when it is published, else the first locale
// that shows it.
func editedPage(site *Site, files map[string]*content.File) string {
	for _, p := range slices.Sorted(maps.Keys(files)) {
		f := files[p]
		if u, ok := site.Links.Page(f.Locale, f.Key); ok && site.Locales.Get(f.Locale).Published() {
			return u
		}
		for _, l := range site.Locales.Published() {
			if pg := site.Pages.Pages[l.Tag][f.Key]; pg != nil && slices.Contains(pg.Doc.Files, f) {
				u, _ := site.Links.Page(l.Tag, f.Key)
				return u
			}
		}
	}
	return ""
}
