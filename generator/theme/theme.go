// Package theme loads a site's theme: the embedded default theme with
// the site's own themes/<name>/ files laid over it, its templates parsed
// once, and its assets fingerprinted.
package theme

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"policysite/generator/diag"
	"policysite/generator/i18n"
	"policysite/generator/srcfile"
)

// Layouts are the page templates every theme provides, under layouts/.
var Layouts = []string{"page", "home", "selector", "404", "changes"}

// An Asset is a theme file served under a content-hashed name.
type Asset struct {
	// Name is the logical path below assets/: "css/site.css".
	Name string
	// Path is the output path: "assets/css/site.1a2b3c4d5e.css".
	Path string
	Data []byte
	// Integrity is the Subresource Integrity value (sha384-…).
	Integrity string
}

// Theme is a loaded theme. It is immutable and safe for concurrent use;
// Layout returns templates that callers clone before adding functions.
type Theme struct {
	layouts   map[string]*template.Template
	assets    map[string]*Asset
	names     []string
	brand     *Asset
	uiStrings i18n.Table
	// Sources lists the files the theme was read from, for the dev
	// server's dependency graph: logical name → file path on disk, or
	// "embedded:<name>".
	Sources map[string]string
}

// Options name where a theme's files come from.
type Options struct {
	// Embedded is the default theme.
	Embedded fs.FS
	// SiteDir is the site root; its themes/<Name>/ overrides Embedded
	// file by file, and its assets/ folder adds site assets.
	SiteDir string
	Name    string
	// Funcs are placeholders for the template functions, so templates
	// parse; callers replace them per locale with Clone and Funcs.
	Funcs template.FuncMap
	// Brand, when its Light colour is set, is checked for contrast
	// against the colours css/site.css declares and published as the
	// stylesheet BrandStylesheet returns.
	Brand Brand
	// Transform, when set, rewrites each asset (name is its logical path,
	// "css/site.css") before its fingerprint and integrity value are
	// computed, so both match the bytes served.
	Transform func(name string, data []byte) ([]byte, error)
}

// Load reads and parses a theme.
func Load(ctx context.Context, opts Options) (*Theme, error) {
	layers := []layer{{fsys: opts.Embedded, label: "embedded:"}}
	if opts.SiteDir != "" {
		dir := filepath.Join(opts.SiteDir, "themes", opts.Name)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			layers = append(layers, layer{fsys: os.DirFS(dir), label: dir + string(filepath.Separator)})
		} else if opts.Name != "default" {
			return nil, fmt.Errorf("theme %q: folder %s not found", opts.Name, dir)
		}
		if st, err := os.Stat(filepath.Join(opts.SiteDir, "assets")); err == nil && st.IsDir() {
			layers = append(layers, layer{fsys: os.DirFS(opts.SiteDir), label: opts.SiteDir + string(filepath.Separator), only: "assets"})
		}
	}
	files, err := collect(ctx, layers)
	if err != nil {
		return nil, err
	}
	t := &Theme{layouts: map[string]*template.Template{}, assets: map[string]*Asset{}, Sources: map[string]string{}}
	for name, f := range files {
		t.Sources[name] = f.source
	}
	if err := t.loadAssets(files, opts.Transform); err != nil {
		return nil, err
	}
	if opts.Brand.Light != "" {
		if err := t.addBrand(files, opts.Brand, opts.Transform); err != nil {
			return nil, err
		}
	}
	if err := t.parse(files, opts.Funcs); err != nil {
		return nil, err
	}
	if err := t.loadStrings(files); err != nil {
		return nil, err
	}
	return t, nil
}

type layer struct {
	fsys  fs.FS
	label string
	only  string // if set, only files below this folder
}

type file struct {
	data   []byte
	source string
}

// collect reads every file of every layer; later layers win.
func collect(ctx context.Context, layers []layer) (map[string]file, error) {
	files := map[string]file{}
	var errs diag.List
	for _, l := range layers {
		root := "."
		if l.only != "" {
			root = l.only
		}
		err := fs.WalkDir(l.fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs.Add(fmt.Errorf("%s%s: %w", l.label, p, err))
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "~") {
				return nil
			}
			if err := special(l.fsys, p, d); err != nil {
				errs.Add(fmt.Errorf("%s%s: %w", l.label, filepath.FromSlash(p), err))
				return nil
			}
			data, err := fs.ReadFile(l.fsys, p)
			if err != nil {
				errs.Add(fmt.Errorf("%s%s: %w", l.label, p, err))
				return nil
			}
			files[p] = file{data: data, source: l.label + filepath.FromSlash(p)}
			return nil
		})
		if err != nil {
			errs.Add(err)
		}
	}
	return files, errs.Err()
}

func (t *Theme) loadAssets(files map[string]file, transform func(string, []byte) ([]byte, error)) error {
	var errs diag.List
	for name, f := range files {
		logical, ok := strings.CutPrefix(name, "assets/")
		if !ok {
			continue
		}
		data := f.data
		if transform != nil {
			var err error
			if data, err = transform(logical, data); err != nil {
				errs.Add(&diag.SourceError{File: f.source, Err: err})
				continue
			}
		}
		t.assets[logical] = newAsset(logical, data)
		t.names = append(t.names, logical)
	}
	slices.Sort(t.names)
	return errs.Err()
}

// addBrand adds the stylesheet that sets the site's brand colour.
func (t *Theme) addBrand(files map[string]file, b Brand, transform func(string, []byte) ([]byte, error)) error {
	if f, ok := files["assets/"+brandName]; ok {
		return fmt.Errorf("%s: %s: the theme's file has the name of the stylesheet generated for theme.brandColor; rename it", b.LightAt, f.source)
	}
	css, err := brandCSS(files["assets/css/site.css"].data, b)
	if err != nil {
		return err
	}
	if transform != nil {
		if css, err = transform(brandName, css); err != nil {
			return err
		}
	}
	t.brand = newAsset(brandName, css)
	t.assets[brandName] = t.brand
	t.names = append(t.names, brandName)
	slices.Sort(t.names)
	return nil
}

// BrandStylesheet returns the stylesheet that sets the site's brand
// colour, or nil when the site keeps the theme's.
func (t *Theme) BrandStylesheet() *Asset { return t.brand }

func newAsset(logical string, data []byte) *Asset {
	sum := sha256.Sum256(data)
	ext := path.Ext(logical)
	hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	sri := sha512.Sum384(data)
	return &Asset{
		Name:      logical,
		Path:      "assets/" + hashed,
		Data:      data,
		Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:]),
	}
}

var tmplLine = regexp.MustCompile(`template: ([^:]+):(\d+):(?:\d+:)? ?(.*)`)

// parse parses partials/*.html and layouts/base.html together with each
// layout in turn, so every layout can define the blocks base.html uses.
func (t *Theme) parse(files map[string]file, funcs template.FuncMap) error {
	var shared []string
	for name := range files {
		if strings.HasPrefix(name, "partials/") && strings.HasSuffix(name, ".html") || name == "layouts/base.html" {
			shared = append(shared, name)
		}
	}
	slices.Sort(shared)
	if _, ok := files["layouts/base.html"]; !ok {
		return errors.New("theme: layouts/base.html is missing")
	}
	var errs diag.List
	base := template.New("").Funcs(funcs)
	for _, name := range shared {
		if _, err := base.New(name).Parse(string(files[name].data)); err != nil {
			errs.Add(templateError(files[name].source, err))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for _, layout := range Layouts {
		name := "layouts/" + layout + ".html"
		f, ok := files[name]
		if !ok {
			errs.Add(fmt.Errorf("theme: %s is missing", name))
			continue
		}
		tmpl, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := tmpl.New(name).Parse(string(f.data)); err != nil {
			errs.Add(templateError(f.source, err))
			continue
		}
		// html/template only notices a missing {{define}} when the page
		// is rendered, and then blames base.html; name the layout now.
		if missing := undefined(tmpl); len(missing) > 0 {
			for _, m := range missing {
				errs.Add(&diag.SourceError{File: f.source, Err: fmt.Errorf("does not define template %q, which %s calls; add {{define %q}}…{{end}}", m.name, m.caller, m.name)})
			}
			continue
		}
		t.layouts[layout] = tmpl
	}
	return errs.Err()
}

type call struct{ name, caller string }

// undefined lists the templates that set calls with {{template}} but
// does not define.
func undefined(set *template.Template) []call {
	var out []call
	seen := map[string]bool{}
	for _, t := range set.Templates() {
		if t.Tree == nil || t.Tree.Root == nil {
			continue
		}
		walk(t.Tree.Root, func(name string) {
			if set.Lookup(name) == nil && !seen[name] {
				seen[name] = true
				out = append(out, call{name, t.Tree.ParseName})
			}
		})
	}
	slices.SortFunc(out, func(a, b call) int { return strings.Compare(a.name, b.name) })
	return out
}

// walk calls fn with the name of every {{template}} call below n.
func walk(n parse.Node, fn func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, fn)
			}
		}
	case *parse.TemplateNode:
		fn(n.Name)
	case *parse.IfNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	}
}

// templateError turns "template: name:12: message" into file:line: message.
func templateError(source string, err error) error {
	if m := tmplLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[2])
		return diag.Errorf(source, n, "%s", m[3])
	}
	return &diag.SourceError{File: source, Err: err}
}

// TemplateError maps an execution error to the template file and line.
// An error of a template executed by a template function (partialCached)
// is wrapped in the caller's; the innermost position is where it is.
func (t *Theme) TemplateError(err error) error {
	if m := innermost(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[2])
		src := t.Sources[m[1]]
		if src == "" {
			src = m[1]
		}
		return diag.Errorf(src, n, "%s", m[3])
	}
	return err
}

// innermost matches tmplLine at the last place in msg where it matches.
func innermost(msg string) []string {
	end := len(msg)
	for {
		i := strings.LastIndex(msg[:end], "template: ")
		if i < 0 {
			return nil
		}
		if m := tmplLine.FindStringSubmatch(msg[i:]); m != nil {
			return m
		}
		end = i
	}
}

// Layout returns the template set for a layout, to be cloned by the caller.
func (t *Theme) Layout(name string) *template.Template { return t.layouts[name] }

// Asset returns the asset with a logical name, or nil.
func (t *Theme) Asset(name string) *Asset { return t.assets[name] }

// Assets returns every asset, sorted by logical name.
func (t *Theme) Assets() []*Asset {
	out := make([]*Asset, 0, len(t.names))
	for _, n := range t.names {
		out = append(out, t.assets[n])
	}
	return out
}

// special returns an error for a special file (or a link to one) in a
// theme: reading a named pipe would block the build forever.
func special(fsys fs.FS, p string, d fs.DirEntry) error {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return err
		}
		mode = st.Mode()
	}
	return srcfile.Check(mode)
}
