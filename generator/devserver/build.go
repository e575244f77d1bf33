package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"policysite/generator"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/render"
	"policysite/generator/theme"
	"policysite/themes"
)

// A state is one successful build. It is never modified once built, so
// the HTTP handlers read it without locks while the next one is built.
type state struct {
	site  *generator.Site
	r     *render.Renderer
	pages map[generator.PageID]*generator.PageOutput
	// files maps an output path to its bytes: what the server serves.
	files map[string][]byte
	// gen holds the generated files and static the files copied from
	// static/; files is gen overlaid with static, as in a full build.
	gen, static map[string][]byte
	// byPath maps a content file's path to the file, for edits.
	byPath map[string]*content.File
}

// builder turns the site's files into states. Its methods are safe for
// concurrent use; the server runs one build at a time.
type builder struct {
	opts generator.Options
}

// A report says what a build did, for the terminal and the browser.
type report struct {
	full     bool
	rendered int      // pages rendered
	changed  []string // URL paths of pages whose bytes changed
	others   bool     // a file other than a page changed
	edited   string   // URL path of the page of the first edited content file
	css      []cssSwap
	reload   bool // a page, script or other file changed
}

// A cssSwap tells the browser to replace a stylesheet.
type cssSwap struct {
	Old       string `json:"old"`
	New       string `json:"new"`
	Integrity string `json:"integrity"`
}

func (b *builder) embedded() fs.FS {
	if b.opts.Theme != nil {
		return b.opts.Theme
	}
	return themes.Default()
}

// full loads and renders the whole site.
func (b *builder) full(ctx context.Context) (*state, *report, error) {
	site, err := generator.Load(ctx, b.opts)
	if err != nil {
		return nil, nil, err
	}
	r, err := generator.NewRenderer(site, b.opts)
	if err != nil {
		return nil, nil, err
	}
	st, rep, err := b.assemble(ctx, nil, site, r, nil, true)
	if err != nil {
		return nil, nil, err
	}
	st.overlay()
	return st, rep, nil
}

// assemble renders the pages ids (every page when all is set) of site
// and builds the new state on top of old.
func (b *builder) assemble(ctx context.Context, old *state, site *generator.Site, r *render.Renderer, ids []generator.PageID, all bool) (*state, *report, error) {
	if all {
		ids = generator.AllPages(site)
	}
	outs, err := generator.RenderPages(ctx, r, site, ids)
	if err != nil {
		return nil, nil, err
	}
	st := &state{site: site, r: r}
	if all || old == nil {
		st.pages = outs
		st.byPath = indexTree(site.Tree)
		if err := generator.CheckFragments(site, st.pages); err != nil {
			return nil, nil, err
		}
	} else {
		st.pages = maps.Clone(old.pages)
		maps.Copy(st.pages, outs)
		st.byPath = old.byPath
		// The last good build had no broken fragment links, so only links
		// from the new pages, and links to them, can be broken now.
		if err := generator.CheckFragmentsFrom(site, st.pages, linksToCheck(old, st, ids)); err != nil {
			return nil, nil, err
		}
	}
	rep := &report{full: all, rendered: len(ids)}
	if all || old == nil {
		st.gen = map[string][]byte{}
		for _, o := range st.pages {
			st.gen[o.Path] = o.HTML
		}
		special, err := generator.RenderSpecial(ctx, r)
		if err != nil {
			return nil, nil, err
		}
		for _, res := range special {
			st.gen[res.Path] = res.HTML
		}
		rep.rendered += len(special)
		for _, f := range generator.SiteFiles(site) {
			st.gen[f.Path] = f.Data
		}
		for _, a := range site.Theme.Assets() {
			st.gen[a.Path] = a.Data
		}
		st.static, err = b.readStatic(ctx, site)
		if err != nil {
			return nil, nil, err
		}
	} else {
		st.gen = maps.Clone(old.gen)
		for _, o := range outs {
			st.gen[o.Path] = o.HTML
		}
		st.static = old.static
	}
	return st, rep, nil
}

// overlay sets st.files to the generated files with the static ones
// laid over them.
func (st *state) overlay() {
	st.files = maps.Clone(st.gen)
	maps.Copy(st.files, st.static)
}

// linksToCheck returns the re-rendered pages ids and the pages that link
// to a fragment of one whose IDs changed.
func linksToCheck(old, st *state, ids []generator.PageID) []generator.PageID {
	changed := map[generator.PageID]bool{}
	for _, id := range ids {
		if o := old.pages[id]; o == nil || !slices.Equal(o.IDs, st.pages[id].IDs) {
			changed[id] = true
		}
	}
	from := slices.Clone(ids)
	if len(changed) == 0 {
		return from
	}
	for id, o := range st.pages {
		for _, ref := range o.Links {
			key := ref.Key
			if key == "" {
				key = id.Key
			}
			if changed[generator.PageID{Locale: ref.Locale, Key: key}] {
				from = append(from, id)
				break
			}
		}
	}
	return from
}

// urlOf maps an output file to the URL path a browser shows for it.
func urlOf(file string) string {
	if file == "index.html" {
		return "/"
	}
	if d, ok := strings.CutSuffix(file, "/index.html"); ok {
		return "/" + d + "/"
	}
	return "/" + file
}

// memSink collects files; it is safe for concurrent use.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memSink) WriteFile(name string, data []byte) error {
	data = bytes.Clone(data) // generator.Sink: the caller may reuse it
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = data
	return nil
}

func (b *builder) readStatic(ctx context.Context, site *generator.Site) (map[string][]byte, error) {
	sink := &memSink{files: map[string][]byte{}}
	if _, err := generator.CopyStatic(ctx, site, sink); err != nil {
		return nil, err
	}
	return sink.files, nil
}

func indexTree(t *content.Tree) map[string]*content.File {
	m := map[string]*content.File{}
	for _, files := range t.Files {
		for _, f := range files {
			m[f.Path] = f
		}
	}
	return m
}

// errStructural means an edit changed which pages exist, their keys or
// their URLs, so the content is loaded again from scratch.
var errStructural = errors.New("structural change")

// update builds the state that follows old after the changes in dirty
// (path → kind). It renders only the pages the dependency graph says
// may have changed. early, when not nil, receives the files to serve at
// once when only stylesheets changed, before pages are re-rendered.
func (b *builder) update(ctx context.Context, old *state, dirty map[string]change, early func(files map[string][]byte, css []cssSwap)) (*state, *report, error) {
	kinds := map[change]bool{}
	for _, k := range dirty {
		kinds[k] = true
	}
	if old == nil || kinds[changeConfig] {
		return b.full(ctx)
	}
	site := *old.site
	var errs diag.List
	newRenderer, all := false, false
	var css []cssSwap
	assetsChanged := false

	if kinds[changeTemplate] || kinds[changeAsset] {
		th, err := theme.Load(theme.Options{Embedded: b.embedded(), SiteDir: site.Config.Dir, Name: site.Config.Theme, Funcs: render.Funcs()})
		errs.Add(err)
		if err == nil {
			site.Theme = th
			newRenderer = true
			all = all || kinds[changeTemplate]
			css, assetsChanged = diffAssets(old.site.Theme, th)
		}
	}
	locales := map[string]bool{} // locales whose every page is re-rendered
	if kinds[changeStrings] {
		cat, err := i18n.Load(filepath.Join(site.Config.Dir, "i18n"))
		errs.Add(err)
		if err == nil {
			site.Catalog = cat
			newRenderer = true
			var tags []string
			for p, k := range dirty {
				if k == changeStrings {
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

	var ids []generator.PageID
	var edits map[string]*content.File
	edited := ""
	if kinds[changeContent] {
		files, err := b.readContent(old, dirty)
		edits = files
		switch {
		case errors.Is(err, errStructural):
			if err := b.reloadContent(ctx, &site); err != nil {
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
			ids, ok, err = b.applyContent(ctx, old, &site, files)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				if err := b.reloadContent(ctx, &site); err != nil {
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
		if r, err = generator.NewRenderer(&site, b.opts); err != nil {
			return nil, nil, err
		}
	} else {
		r = old.r.WithPages(site.Pages, site.Tree)
	}
	// The footer shows the latest date of any page, and a stylesheet or
	// script's fingerprinted name is in every page.
	if r.Year() != old.r.Year() || assetsChanged {
		all = true
	}
	special := all || locales[site.Locales.Default.Tag]
	if !all && len(locales) > 0 {
		for _, id := range generator.AllPages(&site) {
			if locales[id.Locale] {
				ids = append(ids, id)
			}
		}
		slices.SortFunc(ids, func(a, b generator.PageID) int { return strings.Compare(a.Locale+"\x00"+a.Key, b.Locale+"\x00"+b.Key) })
		ids = slices.Compact(ids)
	}

	if early != nil && len(css) > 0 && !kinds[changeTemplate] {
		files := maps.Clone(old.files)
		for _, a := range site.Theme.Assets() {
			files[a.Path] = a.Data
		}
		early(files, css)
	}

	st, rep, err := b.assemble(ctx, old, &site, r, ids, all)
	if err != nil {
		return nil, nil, err
	}
	if !all && len(edits) > 0 {
		st.byPath = maps.Clone(old.byPath)
		maps.Copy(st.byPath, edits)
	}
	if !all {
		var res []*render.Result
		var err error
		if special {
			res, err = generator.RenderSpecial(ctx, r)
		} else if len(locales) > 0 {
			// Each locale has a 404 page in its language.
			res, err = generator.RenderLocaleNotFound(ctx, r, slices.Sorted(maps.Keys(locales)))
		}
		if err != nil {
			return nil, nil, err
		}
		for _, x := range res {
			st.gen[x.Path] = x.HTML
		}
		rep.rendered += len(res)
		if kinds[changeStatic] {
			if st.static, err = b.readStatic(ctx, &site); err != nil {
				return nil, nil, err
			}
		}
	}
	st.overlay()
	rep.css, rep.edited = css, edited
	rep.changed, rep.others = diffFiles(old.files, st.files)
	rep.reload = (len(rep.changed) > 0 || rep.others) && !onlyCSS(dirty, css)
	return st, rep, nil
}

// diffFiles lists the URL paths of the HTML pages that differ between
// two outputs and reports whether any other file differs.
func diffFiles(old, cur map[string][]byte) (pages []string, others bool) {
	note := func(p string) {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, urlOf(p))
		} else {
			others = true
		}
	}
	for p, d := range cur {
		// Unchanged files share their bytes, which bytes.Equal compares
		// by pointer first.
		if o, ok := old[p]; !ok || !bytes.Equal(o, d) {
			note(p)
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			note(p)
		}
	}
	slices.Sort(pages)
	return pages, others
}

// onlyCSS reports whether the only edits were to stylesheets, which the
// browser swaps without a reload.
func onlyCSS(dirty map[string]change, css []cssSwap) bool {
	if len(css) == 0 {
		return false
	}
	for p, k := range dirty {
		if k != changeAsset || filepath.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

// diffAssets lists the stylesheets whose fingerprinted URL changed and
// reports whether any asset was added, removed or changed.
func diffAssets(old, cur *theme.Theme) ([]cssSwap, bool) {
	var css []cssSwap
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
			css = append(css, cssSwap{Old: "/" + o.Path, New: "/" + a.Path, Integrity: a.Integrity})
		}
	}
	for _, a := range old.Assets() {
		if !seen[a.Name] {
			changed = true
		}
	}
	return css, changed
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
func (b *builder) readContent(old *state, dirty map[string]change) (map[string]*content.File, error) {
	contentDir := filepath.Join(old.site.Config.Dir, "content")
	files := map[string]*content.File{}
	var errs diag.List
	for _, p := range slices.Sorted(maps.Keys(dirty)) {
		if dirty[p] != changeContent {
			continue
		}
		rel, err := filepath.Rel(contentDir, p)
		if err != nil {
			return nil, errStructural
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		tag := parts[0]
		if old.site.Locales.Get(tag) == nil {
			continue // content.Load reads only locale folders
		}
		if len(parts) == 1 || slices.ContainsFunc(parts[1:], ignoredName) {
			if len(parts) == 1 {
				return nil, errStructural
			}
			continue
		}
		prev := old.byPath[p]
		st, err := os.Lstat(p)
		switch {
		case err != nil:
			if prev != nil || hasFileUnder(old.byPath, p) {
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
		f, err := content.ReadFile(p, tag, strings.Join(parts[1:], "/"), old.site.Markdown)
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
func (b *builder) applyContent(ctx context.Context, old *state, site *generator.Site, files map[string]*content.File) ([]generator.PageID, bool, error) {
	if len(files) == 0 {
		return nil, true, nil
	}
	tree := &content.Tree{Files: maps.Clone(old.site.Tree.Files)}
	keys := map[string]bool{}
	for _, f := range files {
		if m := tree.Files[f.Locale]; m != nil && m[f.Key] == old.site.Tree.Files[f.Locale][f.Key] {
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
	pages := &inherit.Site{Pages: map[string]map[string]*inherit.Page{}, Keys: old.site.Pages.Keys}
	var ids []generator.PageID
	for _, l := range site.Locales.Published() {
		prev := old.site.Pages.Pages[l.Tag]
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
			ids = append(ids, generator.PageID{Locale: l.Tag, Key: k})
			if k != content.HomeKey && listingChanged(op.Doc.Meta, np.Doc.Meta) {
				home = true
			}
		}
		if home && m[content.HomeKey] != nil && !keys[content.HomeKey] {
			ids = append(ids, generator.PageID{Locale: l.Tag, Key: content.HomeKey})
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

// menusChanged reports whether a page's entries in the menus, which
// every page of its locale shows, changed.
func menusChanged(a, b content.Meta) bool {
	return !slices.Equal(a.Menus, b.Menus) || len(b.Menus) > 0 && a.Label() != b.Label()
}

// listingChanged reports whether a locale home lists the page
// differently: render.Renderer.policies reads these fields.
func listingChanged(a, b content.Meta) bool {
	return a.Title != b.Title || a.Description != b.Description || a.Weight != b.Weight ||
		a.LinkTitle != b.LinkTitle || a.Summary != b.Summary
}

// reloadContent loads every content file again and resolves pages and
// URLs, for edits that change the site's structure.
func (b *builder) reloadContent(ctx context.Context, site *generator.Site) error {
	var tags []string
	for _, l := range site.Locales.All {
		tags = append(tags, l.Tag)
	}
	contentDir := filepath.Join(site.Config.Dir, "content")
	tree, err := content.Load(ctx, content.Options{Dir: contentDir, Locales: tags, Drafts: b.opts.Drafts, Markdown: site.Markdown})
	if err != nil {
		return err
	}
	pages, err := inherit.Resolve(ctx, site.Locales, tree, site.Markdown)
	if err != nil {
		return err
	}
	if len(pages.Keys) == 0 {
		return fmt.Errorf("%s: no pages found; add Markdown files under content/<locale>/", contentDir)
	}
	site.Tree, site.Pages = tree, pages
	site.Links = links.New(site.Config.BaseURL, site.Locales, pages)
	return nil
}

// editedPage returns the URL of the page showing the first edited file:
// in the file's own locale when it is published, else the first locale
// that shows it.
func editedPage(site *generator.Site, files map[string]*content.File) string {
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
