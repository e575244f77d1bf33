package devserver

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"policysite/generator"
	"policysite/generator/output"
)

// A state is one successful build. It is never modified once built, so
// the HTTP handlers read it without locks while the next one is built.
type state struct {
	built *generator.Built
	// files maps an output path to its bytes: what the server serves,
	// which is what policysite build writes with the same options.
	files map[string][]byte
}

// builder turns the site's files into states with generator.Build and
// generator.Built.Update. Its methods are safe for concurrent use; the
// server runs one build at a time.
type builder struct {
	opts generator.Options
}

// A report says what a build did, for the terminal and the browser.
type report struct {
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

// full builds the whole site into memory.
func (b *builder) full(ctx context.Context) (*state, *report, error) {
	mem := output.NewMemory()
	built, err := generator.Build(ctx, b.opts, mem)
	if err != nil {
		return nil, nil, err
	}
	return &state{built: built, files: mem.Files()}, &report{rendered: built.Pages}, nil
}

// update builds the state that follows old after the changes in dirty
// (path → kind). early, when not nil, receives the files to serve at
// once when only stylesheets changed, before pages are re-rendered.
func (b *builder) update(ctx context.Context, old *state, dirty map[string]change, early func(files map[string][]byte, css []cssSwap)) (*state, *report, error) {
	if old == nil {
		return b.full(ctx)
	}
	changes := generator.Changes{Paths: dirty}
	if early != nil {
		changes.Assets = func(assets map[string][]byte, swaps []generator.Swap) {
			files := maps.Clone(old.files)
			maps.Copy(files, assets)
			early(files, cssSwaps(swaps))
		}
	}
	mem := output.NewMemory()
	built, up, err := old.built.Update(ctx, changes, mem)
	if err != nil {
		return nil, nil, err
	}
	st := &state{built: built, files: maps.Clone(old.files)}
	maps.Copy(st.files, mem.Files())
	for _, name := range up.Removed {
		delete(st.files, name)
	}
	rep := &report{rendered: up.Rendered, edited: up.Edited, css: cssSwaps(up.Swaps)}
	rep.changed, rep.others = diffFiles(old.files, st.files)
	rep.reload = (len(rep.changed) > 0 || rep.others) && !onlyCSS(dirty, rep.css)
	return st, rep, nil
}

func cssSwaps(swaps []generator.Swap) []cssSwap {
	var out []cssSwap
	for _, s := range swaps {
		out = append(out, cssSwap{Old: s.Old, New: s.New, Integrity: s.Integrity})
	}
	return out
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
