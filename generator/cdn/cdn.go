// Package cdn makes a finished build ready to upload to a CDN or object
// store as it is: a _headers file with caching and security headers, a
// _redirects file with language negotiation and page aliases (plus static
// fallback pages for hosts without redirects), precompressed .gz and .br
// files, and a manifest of every file from which a deploy plan is made.
//
// It is the last step of the build pipeline, and works on finished files
// in memory: a Step sees every file of the build on its way to the
// output (Step.Sink), compressing it there, and Step.Finish then adds the
// files that describe the whole build. Optional minification (Minifier)
// runs before it, because fingerprints and Subresource Integrity values
// must be computed over the minified bytes.
package cdn

import (
	"context"
	"crypto/sha256"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"policysite/generator/config"
	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
)

// File names written at the root of the output.
const (
	HeadersFile   = "_headers"
	RedirectsFile = "_redirects"
	ManifestFile  = ".policysite-manifest.json"
)

// A Sink receives output files. WriteFile must be safe for concurrent
// use and must not keep data after it returns.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Options describe a built site to Finish.
type Options struct {
	// BaseURL is the site's absolute base URL, ending in "/". Its path is
	// the prefix of every URL in _headers and _redirects.
	BaseURL string
	// Headers and Redirects are the site's [headers] and [redirects].
	Headers   config.Headers
	Redirects config.Redirects
	// Locales are the published locales in site.toml order.
	Locales []*locale.Locale
	// Default is the x-default locale's tag.
	Default string
	// Pages and Links give the aliases of every page and its URL.
	Pages *inherit.Site
	Links *links.Links
	// Assets lists the output paths of the fingerprinted theme assets
	// ("assets/css/site.1a2b3c4d5e.css"); only they may live under assets/,
	// which is cached for a year.
	Assets []string
	// ScriptOrigins are origins of consent scripts loaded from other
	// hosts, added to the default policy's script-src.
	ScriptOrigins []string
}

// Result describes what Finish added.
type Result struct {
	// Compressed is the number of files that have .gz and .br variants.
	Compressed int
	// Aliases is the number of alias redirects.
	Aliases int
}

// A Step is the CDN step of one build. It records the name, size and
// SHA-256 of every file written through Sink, for the manifest, and
// writes the precompressed variants beside each. Its methods are safe
// for concurrent use. A finished Step can be cloned and continued after
// an edit (see Clone and Remove), which is how the dev server keeps its
// files equal to a full build's.
type Step struct {
	compress bool
	prev     fs.FS

	mu    sync.Mutex
	files map[string]record
}

// A record is one file of the build.
type record struct {
	size int64
	sum  [sha256.Size]byte
	kind kind
}

type kind int8

const (
	written  kind = iota // by the pipeline's earlier steps
	variant              // a .gz or .br written by Sink
	finished             // by Finish: alias pages, _redirects, _headers, the manifest
)

// New returns the CDN step of a build. When compress is set, every
// compressible file gets .gz and .br variants; prev, when not nil, is the
// previous build, whose variants are reused for originals that did not
// change.
func New(compress bool, prev fs.FS) *Step {
	return &Step{compress: compress, prev: prev, files: map[string]record{}}
}

// Clone returns a copy of s that records files independently.
func (s *Step) Clone() *Step {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Step{compress: s.compress, prev: s.prev, files: maps.Clone(s.files)}
}

// Remove forgets a file, and its variants, that the build no longer has.
func (s *Step) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(name)
}

func (s *Step) remove(name string) {
	delete(s.files, name)
	for _, e := range encodings {
		if s.files[name+e.ext].kind == variant {
			delete(s.files, name+e.ext)
		}
	}
}

// Names returns the names of every file of the build, sorted.
func (s *Step) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.files))
}

// Len returns the number of files of the build.
func (s *Step) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// Sink returns a sink that records each file and writes it to next,
// followed by its precompressed variants.
func (s *Step) Sink(next Sink) Sink { return stepSink{s, next} }

type stepSink struct {
	s    *Step
	next Sink
}

func (ss stepSink) WriteFile(name string, data []byte) error {
	return ss.s.write(ss.next, name, data, written)
}

// write records one file, writes it to next, and then its variants.
func (s *Step) write(next Sink, name string, data []byte, k kind) error {
	// Hashing here, on the caller's goroutine, spreads the work over the
	// cores that render pages.
	e := record{size: int64(len(data)), sum: sha256.Sum256(data), kind: k}
	s.mu.Lock()
	// A rewrite (after an edit) may leave a file too small to compress.
	s.remove(name)
	s.files[name] = e
	s.mu.Unlock()
	if err := next.WriteFile(name, data); err != nil {
		return err
	}
	if !s.compress || k == variant {
		return nil
	}
	variants, err := compress(s.prev, name, data)
	if err != nil {
		return err
	}
	for _, v := range variants {
		if err := s.write(next, v.name, v.data, variant); err != nil {
			return err
		}
	}
	return nil
}

// Finish adds the files that describe the whole build: alias fallback
// pages, _redirects, _headers and, last, the manifest that lists them
// all. The files Finish wrote for the same build before (after an edit)
// are replaced. Every output is a pure function of the files written and
// opts, so two builds of the same input write the same bytes.
func (s *Step) Finish(ctx context.Context, opts Options, sink Sink) (*Result, error) {
	s.mu.Lock()
	for name, e := range s.files {
		if e.kind == finished {
			s.remove(name)
		}
	}
	s.mu.Unlock()
	res := &Result{}
	aliases, err := Aliases(opts.Pages, opts.Links, opts.Locales)
	if err != nil {
		return nil, err
	}
	if err := s.checkAliases(aliases); err != nil {
		return nil, err
	}
	for _, a := range aliases {
		page, err := aliasPage(a)
		if err != nil {
			return nil, err
		}
		if err := s.write(sink, a.Output(), page, finished); err != nil {
			return nil, err
		}
	}
	res.Aliases = len(aliases)
	if err := s.write(sink, RedirectsFile, Redirects(opts, aliases), finished); err != nil {
		return nil, err
	}
	files := s.originals()
	if err := checkAssets(files, opts.Assets); err != nil {
		return nil, err
	}
	if err := s.write(sink, HeadersFile, Headers(opts, files), finished); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := s.manifest(opts).Marshal()
	if err != nil {
		return nil, err
	}
	if err := s.write(sink, ManifestFile, data, finished); err != nil {
		return nil, err
	}
	s.mu.Lock()
	for name, e := range s.files {
		if e.kind == variant && strings.HasSuffix(name, encodings[0].ext) {
			res.Compressed++
		}
	}
	s.mu.Unlock()
	return res, nil
}

// originals returns the names of the files other than the variants,
// sorted.
func (s *Step) originals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.files))
	for name, e := range s.files {
		if e.kind != variant {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// checkAliases refuses aliases whose fallback page would replace a file
// the build wrote.
func (s *Step) checkAliases(aliases []Alias) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list diag.List
	for _, a := range aliases {
		if _, ok := s.files[a.Output()]; ok {
			list.Add(diag.Errorf(a.File, a.Line, "alias %q is a URL the site already has (%s); remove the alias", "/"+a.From, a.Output()))
		}
	}
	return list.Err()
}

// checkAssets refuses files under assets/ that are not fingerprinted theme
// assets: that folder is cached as immutable for a year, so a file there
// without a content hash in its name could never be updated.
func checkAssets(files, assets []string) error {
	var list diag.List
	for _, f := range files {
		if !strings.HasPrefix(f, "assets/") || slices.Contains(assets, f) {
			continue
		}
		if orig, ok := precompressedOf(f); ok && slices.Contains(assets, orig) {
			continue
		}
		list.Add(&diag.SourceError{File: path.Join("static", f), Err: errNotFingerprinted})
	}
	return list.Err()
}
