// Package content reads a site's Markdown pages: content/<tag>/<path>.md,
// with optional YAML or TOML front matter, into per-locale files.
package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"policysite/generator/diag"
	"policysite/generator/markdown"
	"policysite/generator/parallel"
	"policysite/generator/srcfile"
)

// MaxFileSize is the largest Markdown file accepted. Policy pages are
// tens of kilobytes; anything near this is a mistake, such as a binary
// file saved with a .md name.
const MaxFileSize = 8 << 20

// VersionsSuffix ends the name of the folder beside a page that holds
// its earlier versions: content/en/privacy.versions/2025-01-31.md is
// content/en/privacy.md as it was in the version effective that day.
// Load publishes nothing from such folders.
const VersionsSuffix = ".versions"

// HomeKey is the translation key of a locale's home page (_index.md).
const HomeKey = "_index"

// A File is one Markdown file of one locale.
type File struct {
	// Path is the file's path as shown in messages.
	Path string
	// Locale is the tag of the locale folder.
	Locale string
	// Rel is the slash-separated path inside the locale folder.
	Rel string
	// Key is the translation key: front matter translationKey, or Rel
	// without ".md".
	Key  string
	Meta Meta
	// Body is the Markdown after the front matter, without a BOM and with
	// LF line ends.
	Body []byte
	// BodyLine is the line of the file on which Body starts.
	BodyLine int
	// Head is the source before Body: the front matter.
	Head []byte
	// Warnings lists the file's problems that do not fail a build;
	// Load adds them to Options.Warnings.
	Warnings []diag.Warning
	md       *markdown.Markdown
	// root is set for a page whose url or slug is the locale's root.
	root bool
	// Generated is set for a locale home made because the locale has
	// no _index.md (see GeneratedHome).
	Generated bool
	// Placeholder is set for a page with front matter but neither a
	// title nor text, which Load leaves out.
	Placeholder bool
	outlineOnce sync.Once
	outline     []markdown.Heading
}

// Outline lists Body's headings. It is computed on first use: only
// section overrides and reviews need it, and parsing is most of the
// cost of reading a file. Safe for concurrent use.
func (f *File) Outline() []markdown.Heading {
	f.outlineOnce.Do(func() {
		if f.md != nil {
			f.outline = f.md.Outline(f.Body)
		}
	})
	return f.outline
}

// Line returns the line of the file that holds Body[off].
func (f *File) Line(off int) int {
	if off > len(f.Body) {
		off = len(f.Body)
	}
	return f.BodyLine + bytes.Count(f.Body[:off], []byte("\n"))
}

// Tree holds every locale's files. It is not modified after Load.
type Tree struct {
	// Dir is the content folder the tree was loaded from.
	Dir string
	// Files maps a locale tag and a translation key to its file.
	Files map[string]map[string]*File
	// Until, when not zero, is the earliest publishDate or expiryDate
	// still to come: a build after it publishes a different set of
	// pages from the same files.
	Until time.Time
	// Broken maps a locale tag to the keys (paths without ".md") of files
	// that could not be read, so later steps can keep checking the rest
	// without reporting consequences of those errors.
	Broken map[string]map[string]bool
	// Resources maps a locale tag and a slash-separated path inside the
	// locale folder to a file that is not a page (an image, a PDF, a
	// page bundle's files), which the build copies to the output.
	Resources map[string]map[string]string
	// VersionDirs lists the folders of earlier versions of pages
	// (VersionsSuffix) found beside the pages, in walk order.
	VersionDirs []string
}

// IsSource reports whether a file name is the source of a page, for
// policysite or another tool (.md, .mdx, .markdown), which is never
// copied to the output as it is.
func IsSource(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".mdx", ".markdown":
		return true
	}
	return false
}

// IsBroken reports whether locale tag has an unreadable file for key.
func (t *Tree) IsBroken(tag, key string) bool { return t.Broken[tag][key] }

// Get returns the file of locale tag with translation key key, or nil.
func (t *Tree) Get(tag, key string) *File { return t.Files[tag][key] }

// Options control Load.
type Options struct {
	// Dir is the content folder.
	Dir string
	// Locales are the tags whose folders are read.
	Locales []string
	// Drafts includes pages marked draft and pages outside their
	// publishDate–expiryDate window.
	Drafts bool
	// Now is the time the publishing window is checked against.
	// Default: the time Load is called.
	Now time.Time
	// Markdown parses outlines.
	Markdown *markdown.Markdown
	// Warnings receives the problems that do not fail the build, such
	// as another tool's front-matter keys. Nil discards them.
	Warnings *diag.Warnings
}

// Load reads the Markdown files of every locale. Every problem is
// reported, sorted by file and line. Unless ctx is cancelled, the tree of
// the files that could be read is returned even with an error, so that
// one run can report the problems of later steps too.
func Load(ctx context.Context, opts Options) (*Tree, error) {
	tree := &Tree{Dir: opts.Dir, Files: map[string]map[string]*File{}, Broken: map[string]map[string]bool{}, Resources: map[string]map[string]string{}}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var errs diag.List
	root, err := filepath.Abs(filepath.Dir(opts.Dir))
	if err != nil {
		return nil, err
	}
	var jobs []job
	for _, tag := range opts.Locales {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		js, res, vdirs, err := findFiles(ctx, root, opts.Dir, tag, opts.Warnings)
		tree.VersionDirs = append(tree.VersionDirs, vdirs...)
		errs.Add(err)
		warnMDX(opts.Warnings, filepath.Join(opts.Dir, tag))
		jobs = append(jobs, js...)
		tree.Resources[tag] = res
	}
	results := parseAll(ctx, jobs, opts.Markdown)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, tag := range opts.Locales {
		tree.Files[tag] = map[string]*File{}
		tree.Broken[tag] = map[string]bool{}
	}
	// Jobs are in walk order (sorted by path), so which of two files
	// sharing a key or a URL is reported does not depend on scheduling.
	urls := map[string]map[string]*File{}
	for i, j := range jobs {
		f, err := results[i].f, results[i].err
		if f != nil && opts.Warnings != nil {
			for _, w := range f.Warnings {
				opts.Warnings.Add(w)
			}
		}
		if err != nil {
			errs.Add(err)
			tree.Broken[j.tag][KeyOf(j.rel)] = true
			continue
		}
		for _, d := range []Date{f.Meta.PublishDate, f.Meta.ExpiryDate} {
			if d.After(now) && (tree.Until.IsZero() || d.Before(tree.Until)) {
				tree.Until = d.Time
			}
		}
		if f.Placeholder || !opts.Drafts && !f.Meta.PublishedAt(now) {
			continue
		}
		files := tree.Files[j.tag]
		if prev, ok := files[f.Key]; ok && f.Key == HomeKey {
			errs.Add(diag.Errorf(f.Path, 1, "is published at the locale's root, like %s; give it another url or slug, or make it the locale's _index.md", prev.Path))
			continue
		} else if ok {
			errs.Add(diag.Errorf(f.Path, 1, "translation key %q is also used by %s in the same locale; give one of them a different translationKey", f.Key, prev.Path))
			continue
		}
		if prev, ok := urls[j.tag][f.URLPath()]; ok {
			errs.Add(diag.Errorf(f.Path, 1, "page has the same URL as %s (/%s/); rename one of them or give it a different slug", prev.Path, f.URLPath()))
			continue
		}
		if urls[j.tag] == nil {
			urls[j.tag] = map[string]*File{}
		}
		urls[j.tag][f.URLPath()] = f
		files[f.Key] = f
	}
	errs.Add(checkNames(tree))
	return tree, errs.Err()
}

// A job is one Markdown file to read.
type job struct {
	tag, path, rel string
}

type result struct {
	f   *File
	err error
}

// parseAll reads and parses files on all cores; results[i] is jobs[i]'s.
func parseAll(ctx context.Context, jobs []job, md *markdown.Markdown) []result {
	results := make([]result, len(jobs))
	_ = parallel.For(ctx, len(jobs), func(i int) {
		j := jobs[i]
		f, err := ReadFile(j.path, j.tag, j.rel, md)
		results[i] = result{f, err}
	})
	return results
}

// findFiles lists the Markdown files of one locale's folder and its
// resources (see Tree.Resources), checking symbolic links, and warns of
// pages in formats policysite does not read; root is the site folder,
// which links must not leave.
func findFiles(ctx context.Context, root, contentDir, tag string, warnings *diag.Warnings) ([]job, map[string]string, []string, error) {
	dir := filepath.Join(contentDir, tag)
	var jobs []job
	var vdirs []string
	resources := map[string]string{}
	var errs diag.List
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir
			}
			errs.Add(&diag.SourceError{File: p, Err: fmt.Errorf("cannot read: %w; check its permissions", unwrapPath(err))})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editor backups and hidden files
		}
		if d.IsDir() && strings.HasSuffix(name, VersionsSuffix) {
			// Earlier versions of a page (package versions reads them).
			vdirs = append(vdirs, p)
			return fs.SkipDir
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := checkSymlink(root, p)
			if err != nil {
				errs.Add(&diag.SourceError{File: p, Err: err})
				return nil
			}
			st, err := os.Stat(target)
			if err != nil {
				errs.Add(&diag.SourceError{File: p, Err: err})
				return nil
			}
			if st.IsDir() {
				errs.Add(&diag.SourceError{File: p, Err: errors.New("is a symbolic link to a folder, which is not followed; move the folder into content/ instead")})
				return nil
			}
		} else if d.IsDir() {
			return nil
		} else if err := srcfile.Check(d.Type()); err != nil {
			// Whatever its name: nothing may wait on it later.
			errs.Add(&diag.SourceError{File: p, Err: err})
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !isMarkdown(name) {
			if ext := path.Ext(name); otherPages[strings.ToLower(ext)] && warnings != nil {
				warnings.Add(diag.Warning{Kind: "content file in a format policysite does not read (" + strings.ToLower(ext) + ")", File: p,
					Hint: "not published; convert it to Markdown (.md) or move it to static/"})
			} else if !IsSource(name) {
				resources[filepath.ToSlash(rel)] = p
			}
			return nil
		}
		jobs = append(jobs, job{tag: tag, path: p, rel: filepath.ToSlash(rel)})
		return nil
	})
	if err != nil {
		errs.Add(err)
	}
	return jobs, resources, vdirs, errs.Err()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkSymlink resolves the link at p and requires it to stay inside root.
func checkSymlink(root, p string) (string, error) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", fmt.Errorf("symbolic link cannot be resolved (%v); remove it or point it at a file inside the site", unwrapPath(err))
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	if r, err := filepath.Rel(realRoot, target); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("symbolic link points outside the site, to %s; copy the file into the site instead", target)
	}
	return target, nil
}

// ReadFile reads and parses one Markdown file.
func ReadFile(p, tag, rel string, md *markdown.Markdown) (*File, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, &diag.SourceError{File: p, Err: fmt.Errorf("cannot read: %w", unwrapPath(err))}
	}
	if err := srcfile.Check(st.Mode()); err != nil {
		return nil, &diag.SourceError{File: p, Err: err}
	}
	if st.Size() > MaxFileSize {
		return nil, &diag.SourceError{File: p, Err: fmt.Errorf("file is %d MB; pages are limited to %d MB; split it into several pages", st.Size()>>20, MaxFileSize>>20)}
	}
	src, err := srcfile.ReadFile(p, MaxFileSize)
	if errors.Is(err, srcfile.ErrSpecial) {
		return nil, &diag.SourceError{File: p, Err: err}
	}
	if err != nil {
		return nil, &diag.SourceError{File: p, Err: fmt.Errorf("cannot read: %w; check its permissions", unwrapPath(err))}
	}
	return Parse(p, tag, rel, src, md)
}

// Parse parses the source of one Markdown file. Every problem of the
// file is reported at once: the errors joined, sorted by line, with the
// warnings in File.Warnings. With an error the file is nil.
func Parse(p, tag, rel string, src []byte, md *markdown.Markdown) (*File, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	// The locale's home needs neither title nor text; a folder's
	// _index.md without them is left out like any placeholder (below).
	isIndex := rel == HomeKey+".md" || rel == "index.md"
	if len(bytes.TrimSpace(src)) == 0 && !isIndex && trimExt(path.Base(rel)) != HomeKey {
		return nil, &diag.SourceError{File: p, Err: errors.New("file is empty; write the page or delete the file")}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, &diag.SourceError{File: p, Line: lineOf(src, i), Err: fmt.Errorf("NUL byte at byte %d; is this a binary file? save it as UTF-8 text", i)}
	}
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		return nil, &diag.SourceError{File: p, Line: lineOf(src, off), Err: fmt.Errorf("invalid UTF-8 at byte %d; save the file as UTF-8", off)}
	}
	src = normalizeNewlines(src)
	f := &File{Path: p, Locale: tag, Rel: rel}
	entries, body, bodyLine, err := parseFrontMatter(src)
	if err != nil {
		var le *lineErr
		if errors.As(err, &le) {
			return nil, &diag.SourceError{File: p, Line: le.line, Err: fmt.Errorf("front matter: %w", le.err)}
		}
		return nil, &diag.SourceError{File: p, Err: err}
	}
	var errs diag.List
	for _, pr := range applyEntries(entries, &f.Meta) {
		if pr.err != nil {
			errs.Add(&diag.SourceError{File: p, Line: pr.line, Err: fmt.Errorf("front matter: %w", pr.err)})
			continue
		}
		f.Warnings = append(f.Warnings, diag.Warning{Kind: pr.kind, File: p, Line: pr.line, Hint: pr.hint})
	}
	// The body is the tail of src; slicing src instead of keeping the
	// front-matter parser's copy halves the memory a site's text needs.
	f.Body, f.BodyLine = src[len(src)-len(body):], bodyLine
	f.Head = src[:len(src)-len(body)]
	f.md = md
	f.Key = KeyOf(rel)
	if f.Meta.TranslationKey != "" {
		f.Key = f.Meta.TranslationKey
	}
	line := func(key string) int {
		for _, e := range entries {
			if strings.EqualFold(e.key, key) {
				return e.line
			}
		}
		return 1
	}
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	locPath := strings.ToLower(tag)
	if f.Meta.URL != "" {
		u, err := cleanPath("url", f.Meta.URL, "", locPath)
		if err != nil {
			errs.Add(diag.Errorf(p, line("url"), "front matter: %v", err))
		}
		f.Meta.URL = u
		if u == "" && !isIndex {
			f.Meta.URL = ""
			f.root = true
		}
	}
	if s := f.Meta.Slug; s != "" && f.Meta.URL == "" && !f.root {
		switch {
		case strings.ContainsAny(s, "/"):
			// A slug with a slash is a path, as in Docusaurus: from the
			// locale's root when it starts with one, else from the file's
			// folder.
			u, err := cleanPath("slug", s, dir, locPath)
			if err != nil {
				errs.Add(diag.Errorf(p, line("slug"), "front matter: %v", err))
			}
			f.Meta.URL = u
			f.root = u == "" && !isIndex
		case strings.ContainsAny(s, "\\?#%") || s == "." || s == "..":
			errs.Add(diag.Errorf(p, line("slug"), "slug %q must be one URL segment without / \\ ? # or %%, or a path such as /legal/imprint", s))
		}
	}
	if rel == "index.md" && f.Meta.URL == "" && f.Meta.Slug == "" {
		// MkDocs' and Docusaurus' front page; Hugo's home is _index.md.
		f.root = true
	}
	if f.root && f.Meta.TranslationKey == "" {
		// A page published at the locale's root is its home, as a
		// Docusaurus doc with slug: / is the docs' front page.
		f.Key = HomeKey
	}
	if f.Meta.Extends != "" && f.Meta.Extends != "true" && f.Meta.Extends == Extends(tag) {
		errs.Add(diag.Errorf(p, line("extends"), "a page cannot extend its own locale %q", tag))
	}
	menuLine := min(line("menu"), line("menus"))
	if menuLine == 1 {
		menuLine = max(line("menu"), line("menus"))
	}
	for _, m := range f.Meta.Menus {
		if !slices.Contains(MenuNames, m.Menu) {
			f.Warnings = append(f.Warnings, diag.Warning{Kind: fmt.Sprintf("front-matter menu %q does not exist", m.Menu), File: p, Line: menuLine,
				Hint: "the page is not added to it; the menus are " + strings.Join(MenuNames, ", ")})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !isIndex && f.Meta.Extends == "" && f.Meta.Title == "" && len(bytes.TrimSpace(f.Body)) == 0 {
		// Front matter and no text: a placeholder for a translation not
		// yet written (Hugo sites mark them untranslated). The locale
		// shows the page of its fallback chain instead.
		f.Placeholder = true
		f.Warnings = append(f.Warnings, diag.Warning{Kind: "page without a title or text", File: p, Line: 1,
			Hint: "ignored; the locale shows the page from its fallback chain"})
		return f, nil
	}
	f.findTitle(isIndex)
	return f, nil
}

// KeyOf returns the translation key of the file rel of a locale folder
// that sets none: rel without ".md", and for a page bundle's index.md
// its folder, as Hugo matches translations: "about/index.md" and
// "about.md" are the same page in two locales.
func KeyOf(rel string) string {
	key := trimExt(rel)
	if key == "index" {
		return HomeKey
	}
	if dir, ok := strings.CutSuffix(key, "/index"); ok {
		return dir
	}
	return key
}

// isMarkdown reports whether a file name is a Markdown page's: .md, or
// .markdown as Hugo and Jekyll also read.
func isMarkdown(name string) bool {
	return strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".markdown")
}

// trimExt removes a Markdown extension from a path.
func trimExt(p string) string {
	if s, ok := strings.CutSuffix(p, ".md"); ok {
		return s
	}
	return strings.TrimSuffix(p, ".markdown")
}

// otherPages are the extensions of pages other tools read that
// policysite does not: such a file is not skipped without a word.
var otherPages = map[string]bool{".html": true, ".htm": true, ".rst": true, ".adoc": true, ".asciidoc": true, ".org": true, ".pandoc": true, ".ipynb": true}

// GeneratedHome returns the home of locale tag for a site whose
// content folder dir has no _index.md on the locale's chain: an empty
// page, which the theme shows with the site's name and the list of the
// locale's pages, so that the logo, the region selector and _redirects
// never lead to a missing page.
func GeneratedHome(dir, tag string) *File {
	return &File{Path: filepath.Join(dir, tag, HomeKey+".md"), Locale: tag, Rel: HomeKey + ".md", Key: HomeKey, BodyLine: 1, Generated: true}
}

// MenuNames are the menus a page can add itself to.
var MenuNames = []string{"main", "footer", "legal"}

// findTitle gives a page without a title in its front matter the text
// of its first heading, else its file name. A leading H1 is the title
// of a page as Markdown writes it (the theme shows it as the page's
// heading); any other heading, or the file name, is a guess and a
// warning. Overrides take their base's title, and homes without one
// take the site's name, so neither needs one.
func (f *File) findTitle(isIndex bool) {
	if f.Meta.Title != "" || f.Meta.Extends != "" {
		return
	}
	for _, h := range f.Outline() {
		title := headingText(h.Text)
		if title == "" {
			continue
		}
		leading := h.Level == 1 && len(bytes.TrimSpace(f.Body[:h.Offset])) == 0
		if isIndex && !leading {
			return // the home is shown with the site's name
		}
		f.Meta.Title, f.Meta.TitleFrom = title, TitleHeading
		if leading {
			return
		}
		f.Warnings = append(f.Warnings, diag.Warning{Kind: "page without a title", File: f.Path, Line: f.Line(h.Offset),
			Hint: "its first heading is its title; add title: to the front matter or start the page with a # heading"})
		return
	}
	if isIndex {
		return
	}
	name := trimExt(path.Base(f.Rel))
	if (name == "index" || name == HomeKey) && path.Dir(f.Rel) != "." {
		name = path.Base(path.Dir(f.Rel))
	}
	f.Meta.Title, f.Meta.TitleFrom = name, TitleFileName
	f.Warnings = append(f.Warnings, diag.Warning{Kind: "page without a title or heading", File: f.Path, Line: 1,
		Hint: "its file name is its title; add title: to the front matter"})
}

// URLPath returns the page's path below its locale's URL, without
// leading or trailing slashes: "privacy", "legal/imprint", or "" for a
// home page. A folder's _index.md, or index.md (a Hugo page bundle,
// whose images sit beside it), has the folder's path.
func (f *File) URLPath() string {
	if f.root || f.Key == HomeKey && f.Meta.URL == "" {
		return ""
	}
	if f.Meta.URL != "" {
		return f.Meta.URL
	}
	dir, name := path.Split(f.Rel)
	dir = strings.TrimSuffix(dir, "/")
	name = trimExt(name)
	if name == HomeKey || name == "index" {
		return dir
	}
	if f.Meta.Slug != "" {
		name = f.Meta.Slug
	} else if name == "index" {
		// A folder's index.md is the folder's page, as in MkDocs,
		// Docusaurus and Hugo's page bundles.
		return dir
	}
	return path.Join(dir, name)
}

func lineOf(src []byte, off int) int { return bytes.Count(src[:off], []byte("\n")) + 1 }

func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(src)
}

func normalizeNewlines(src []byte) []byte {
	if !bytes.Contains(src, []byte("\r")) {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

// Keys returns the translation keys of a locale's files, sorted.
func (t *Tree) Keys(tag string) []string {
	var keys []string
	for k := range t.Files[tag] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
