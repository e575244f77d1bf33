// Package cdn makes a finished build ready to upload to a CDN or object
// store as it is: a _headers file with caching and security headers, a
// _redirects file with language negotiation and page aliases (plus static
// fallback pages for hosts without redirects), precompressed .gz and .br
// files, and a manifest of every file from which a deploy plan is made.
//
// It runs after the generator has written every page and asset into the
// staged output folder and only adds files; optional minification is the
// one step that runs earlier (see Minifier), because fingerprints and
// Subresource Integrity values must be computed over the minified bytes.
package cdn

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"

	"policysite/generator"
	"policysite/generator/config"
	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/links"
	"policysite/generator/locale"
	"policysite/generator/output"
)

// File names written at the root of the output.
const (
	HeadersFile   = "_headers"
	RedirectsFile = "_redirects"
	ManifestFile  = ".policysite-manifest.json"
)

// Options describe a built site to Finish. SiteOptions fills them from a
// loaded site.
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
	// Compress writes .gz and .br files beside compressible files.
	Compress bool
	// Previous is the folder of the previous build, if any; its
	// precompressed files are reused for originals that did not change.
	Previous string
}

// SiteOptions returns the options for a loaded site.
func SiteOptions(s *generator.Site, compress bool) Options {
	o := Options{
		BaseURL:   s.Config.BaseURL,
		Headers:   s.Config.Headers,
		Redirects: s.Config.Redirects,
		Locales:   s.Locales.Published(),
		Default:   s.Config.DefaultLocale,
		Pages:     s.Pages,
		Links:     s.Links,
		Compress:  compress,
	}
	for _, a := range s.Theme.Assets() {
		o.Assets = append(o.Assets, a.Path)
	}
	for _, sc := range s.Config.Consent.Scripts {
		if u, err := url.Parse(sc.Src); err == nil && u.IsAbs() && u.Host != "" {
			o.ScriptOrigins = append(o.ScriptOrigins, u.Scheme+"://"+u.Host)
		}
	}
	slices.Sort(o.ScriptOrigins)
	o.ScriptOrigins = slices.Compact(o.ScriptOrigins)
	return o
}

// Result describes what Finish added.
type Result struct {
	// Files is the number of files written, the manifest included.
	Files int
	// Compressed is the number of files that got .gz and .br variants.
	Compressed int
	// Aliases is the number of alias redirects.
	Aliases int
}

// Finish adds the CDN files to the staged build: alias fallback pages,
// _redirects, _headers, the precompressed variants and, last, the
// manifest that lists them all. Every output is a pure function of the
// files staged and opts, so two builds of the same input write the same
// bytes.
func Finish(ctx context.Context, staged *output.Staged, opts Options) (*Result, error) {
	res := &Result{}
	aliases, err := Aliases(opts.Pages, opts.Links, opts.Locales)
	if err != nil {
		return nil, err
	}
	if err := checkAliases(staged, aliases); err != nil {
		return nil, err
	}
	for _, a := range aliases {
		page, err := aliasPage(a)
		if err != nil {
			return nil, err
		}
		if err := staged.WriteFile(a.Output(), page); err != nil {
			return nil, err
		}
		res.Files++
	}
	res.Aliases = len(aliases)
	redirects := Redirects(opts, aliases)
	if err := staged.WriteFile(RedirectsFile, redirects); err != nil {
		return nil, err
	}
	files := names(staged.Entries())
	if err := checkAssets(files, opts.Assets); err != nil {
		return nil, err
	}
	if err := staged.WriteFile(HeadersFile, Headers(opts, files)); err != nil {
		return nil, err
	}
	res.Files += 2
	if opts.Compress {
		var prev fs.FS
		if opts.Previous != "" {
			prev = os.DirFS(opts.Previous)
		}
		n, err := compressAll(ctx, os.DirFS(staged.Dir()), prev, files, staged)
		if err != nil {
			return nil, err
		}
		res.Compressed = n
		res.Files += 2 * n
	}
	data, err := NewManifest(staged.Entries(), opts).Marshal()
	if err != nil {
		return nil, err
	}
	if err := staged.WriteFile(ManifestFile, data); err != nil {
		return nil, err
	}
	res.Files++
	return res, nil
}

// names returns the names of entries, which are sorted, except the
// manifest's.
func names(entries []output.Entry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Name != ManifestFile {
			out = append(out, e.Name)
		}
	}
	return out
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
