// Package config loads a site's configuration: site.toml when present,
// otherwise defaults plus the locales discovered from content/.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"policysite/generator/diag"
	"policysite/generator/markdown"
	"policysite/generator/srcfile"
)

// FileName is the name of the optional configuration file at the site root.
const FileName = "site.toml"

// Consent modes a locale can use for its cookie notice.
const (
	ConsentOptIn  = "opt-in" // accept / reject / settings; nothing optional before consent
	ConsentNotice = "notice" // informational notice with a dismiss button
)

// Site is a site's configuration. Field comments state each default;
// Default returns them.
type Site struct {
	// Dir is the site root folder. It is not read from site.toml.
	Dir string `toml:"-"`
	// File is the path of site.toml, or "" when the site has none.
	File string `toml:"-"`

	// BaseURL is the absolute URL the site is served from, ending in "/".
	// It may contain a path ("https://example.com/legal/"). Default
	// "http://localhost/".
	BaseURL string `toml:"baseURL"`
	// Title is the site's name, used in page titles when the i18n string
	// site_name is missing. Default "policysite".
	Title string `toml:"title"`
	// DefaultLocale is the tag of the x-default locale. Default "en" if
	// the site has it, else the first locale in sorted order.
	DefaultLocale string `toml:"defaultLocale"`
	// Theme holds the theme's settings: its folder, logo, favicon, brand
	// colour and copyright holder. theme = "name" is short for [theme]
	// name = "name".
	Theme Theme `toml:"theme"`
	// Locales lists the site's locales. Default: one per folder of content/.
	Locales []Locale `toml:"locales"`
	// Markdown holds Markdown rendering options.
	Markdown Markdown `toml:"markdown"`
	// Menus holds the header navigation ("main"), the footer link columns
	// ("footer") and the legal links ("legal"). Default: no main and
	// footer menus; legal links to the terms, privacy and cookies pages
	// that exist.
	Menus Menus `toml:"menus"`
	// Consent configures the cookie notice.
	Consent Consent `toml:"consent"`
	// Headers configures the HTTP headers written to _headers for CDNs.
	Headers Headers `toml:"headers"`
	// Redirects configures the _redirects file for CDNs.
	Redirects Redirects `toml:"redirects"`
	// Links says how broken links in content are reported.
	Links Links `toml:"links"`
	// Output configures the output folder and what `policysite build`
	// writes into it.
	Output Output `toml:"output"`
	// Deploy lists where `policysite deploy` publishes the output.
	// Default: no targets.
	Deploy Deploy `toml:"deploy"`
	// Versions says where the earlier versions of pages come from
	// (docs/versions.md).
	Versions Versions `toml:"versions"`
}

// Versions configures where earlier versions of pages come from.
// Explicit version files (content/<tag>/<page>.versions/<date>.md) are
// always read.
type Versions struct {
	// Git reads earlier versions from the site's git history when the
	// site is in a git work tree. Default true.
	Git bool `toml:"git"`
}

// Theme holds the [theme] settings. Images are files below the site's
// assets/ folder, published under fingerprinted names.
type Theme struct {
	// Name names the theme folder under themes/ whose files override the
	// embedded default theme. Default "default".
	Name string `toml:"name"`
	// Logo is an image below assets/ ("img/logo.svg") shown in the header
	// as a link to the locale's home. Default "": no image.
	Logo string `toml:"logo"`
	// LogoText is the text shown in the header. Default: the site's name
	// (the site_name UI string, else title) when there is no Logo, and no
	// text beside a Logo, whose alternative text is the site's name.
	LogoText string `toml:"logoText"`
	// Favicon is an image below assets/ used as the pages' icon. Default
	// "": none.
	Favicon string `toml:"favicon"`
	// BrandColor is the accent colour ("#rrggbb" or "#rgb") of buttons,
	// section numbers and accent lines. It must reach WCAG AA contrast
	// (4.5:1) as text on each of the theme's backgrounds and as the
	// background of its button text. Default "": the theme's own.
	BrandColor string `toml:"brandColor"`
	// BrandColorDark is the accent colour in the dark colour scheme,
	// checked against the dark backgrounds. Default: BrandColor mixed
	// with white until it reaches 4.5:1.
	BrandColorDark string `toml:"brandColorDark"`
	// Copyright is the holder the footer's copyright line names (the
	// {holder} of the copyright UI string). Default: the site's name.
	Copyright string `toml:"copyright"`

	lines map[string]int // line of each key in site.toml
}

// UnmarshalText accepts theme = "name", the short form of [theme] name.
func (t *Theme) UnmarshalText(b []byte) error {
	t.Name = string(b)
	return nil
}

// Line returns the line of key ("brandColor") in site.toml, or 0.
func (t Theme) Line(key string) int { return t.lines[key] }

// How a kind of broken link is reported: LinkError fails the build,
// LinkWarn prints a warning (an error under --strict), LinkIgnore says
// nothing.
const (
	LinkError  = "error"
	LinkWarn   = "warn"
	LinkIgnore = "ignore"
)

// Links says how broken links in content are reported, as Docusaurus'
// onBrokenLinks and onBrokenAnchors do.
type Links struct {
	// Broken is how a link to a page, file or URL of the site that does
	// not exist is reported: "error" or "warn". Default "error".
	Broken string `toml:"broken"`
	// BrokenFragments is how a link to a #fragment that the target page
	// does not have is reported: "warn", "error" or "ignore". Default
	// "warn".
	BrokenFragments string `toml:"brokenFragments"`
	// ContentPrefix is the URL path the content was served at by the
	// tool it was written for: a root-relative link starting with it
	// ("/docs/install") that is no URL of the site is read as a link to
	// the locale's page without it (install.md). Default "/docs/",
	// Docusaurus' routeBasePath; "/" turns it off.
	ContentPrefix string `toml:"contentPrefix"`
}

// Output configures the output folder.
type Output struct {
	// Keep lists names at the top of the output folder that every build
	// carries over from the previous output untouched, such as ".git"
	// and "CNAME" when the output is a GitHub Pages checkout. Default:
	// none.
	Keep []string `toml:"keep"`

	// Precompress writes .gz and .br variants beside every compressible
	// file of 1 KB or more, for servers that send them as they are
	// (nginx gzip_static/brotli_static, Caddy precompressed). Hosts that
	// compress at the edge (Netlify, Cloudflare Pages, CloudFront) do not
	// need them. --compress turns it on for one build, --no-compress off.
	// Default false.
	Precompress bool `toml:"precompress"`
}

// Deploy configures `policysite deploy`.
type Deploy struct {
	Targets []DeployTarget `toml:"targets"`
}

// A DeployTarget is a bucket or folder the output is published to.
// Credentials never appear here: each provider reads its own
// environment and shared configuration.
type DeployTarget struct {
	// Name is what --target selects. Required, unique.
	Name string `toml:"name"`
	// URL is a gocloud.dev bucket URL: s3://BUCKET?region=…&endpoint=…,
	// gs://BUCKET, azblob://CONTAINER or file:///PATH. Required.
	URL string `toml:"url"`
	// Encoding is "identity" (store files as built) or "gzip" (store
	// text files gzip-compressed with Content-Encoding: gzip, for
	// hosts that cannot negotiate). Default "identity".
	Encoding string `toml:"encoding"`
	// CloudFrontDistributionID names the CloudFront distribution that
	// --invalidate purges. Default "": none.
	CloudFrontDistributionID string `toml:"cloudFrontDistributionID"`

	line int
}

// Line returns the line of the target's entry in site.toml, or 0.
func (t DeployTarget) Line() int { return t.line }

// DefaultCSP is the default Content-Security-Policy: the pages load only
// their own fingerprinted scripts and stylesheets, with no inline code.
const DefaultCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Headers are the response headers the build's _headers file sets. A
// header set to "" is not sent. Fingerprinted assets are always cached
// for a year as immutable.
type Headers struct {
	// HSTS is the Strict-Transport-Security value, such as
	// "max-age=63072000; includeSubDomains". Default "": not sent, since
	// it commits the whole host to HTTPS.
	HSTS string `toml:"hsts"`
	// ContentSecurityPolicy defaults to DefaultCSP, with the origins of
	// consent scripts from other hosts added to script-src.
	ContentSecurityPolicy string `toml:"contentSecurityPolicy"`
	// ReferrerPolicy defaults to "strict-origin-when-cross-origin".
	ReferrerPolicy string `toml:"referrerPolicy"`
	// PermissionsPolicy defaults to denying the powerful features the
	// pages never use: "accelerometer=(), camera=(), geolocation=(),
	// gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()".
	PermissionsPolicy string `toml:"permissionsPolicy"`
	// CacheControl is sent for HTML pages, the sitemap, robots.txt and
	// every other file that is not a fingerprinted asset. Default
	// "public, max-age=0, must-revalidate": caches keep the file but ask
	// the server whether it changed (a cheap 304) before using it.
	CacheControl string `toml:"cacheControl"`
}

// Redirects configures the _redirects file. Aliases from front matter
// are always written.
type Redirects struct {
	// Language sends visitors of the root to the best locale home by
	// Accept-Language and country, on hosts that support those conditions
	// (Netlify). Default true. Set it to false for Cloudflare Pages, which
	// does not.
	Language bool `toml:"language"`
}

// Locale is one region/language pair of the site.
type Locale struct {
	// Tag is the BCP 47 tag, language[-Script][-REGION], in canonical
	// form ("en-GB", "zh-CN", "uz-UZ").
	Tag string `toml:"tag"`
	// Path is the URL path segment. Default: the lowercase tag.
	Path string `toml:"path"`
	// Fallback lists the locales whose pages this one inherits, in order.
	// Default: its language-only locale if the site has one (en-GB → en),
	// else the default locale.
	Fallback []string `toml:"fallback"`
	// Consent is the cookie notice mode, "opt-in" or "notice". Default
	// "opt-in" for EU/EEA, UK, Swiss and Brazilian regions and for locales
	// without a region, else "notice".
	Consent string `toml:"consent"`
	// Publish reports whether the locale is rendered. An unpublished
	// locale is a base text that others extend. Default true.
	Publish *bool `toml:"publish"`

	line int // line of the [[locales]] entry in site.toml, 0 if discovered
}

// Published reports whether the locale is rendered.
func (l Locale) Published() bool { return l.Publish == nil || *l.Publish }

// Line returns the line of the locale's entry in site.toml, or 0.
func (l Locale) Line() int { return l.line }

// Markdown holds Markdown options.
type Markdown struct {
	// Unsafe passes raw HTML in Markdown through to the page. Default
	// false: raw HTML is replaced by an HTML comment. Even when true,
	// javascript: links are refused.
	Unsafe bool `toml:"unsafe"`
	// HeadingIDs is the algorithm of generated heading IDs: "github"
	// (default; also Docusaurus', GitLab's and Hugo's for most text),
	// "hugo", "python-markdown" (MkDocs), "python-markdown-unicode" or
	// "compact" (policysite's before 2026-12). Explicit {#id}s are never changed.
	HeadingIDs string `toml:"headingIDs"`
}

// MaxLocales is the most locales a site may have. Every page links to
// its translation in every locale, so the output grows with the square
// of the number of locales; CLDR knows about 700.
const MaxLocales = 1000

// Menus holds the site's navigation.
type Menus struct {
	Main   []MenuItem `toml:"main"`
	Footer []MenuItem `toml:"footer"`
	Legal  []MenuItem `toml:"legal"`
}

// MenuItem is one entry of a menu. Its label is the i18n string Name.
// It links to URL, or to the page with translation key Page in the
// current locale; an item with Children is a group.
type MenuItem struct {
	Name     string     `toml:"name"`
	URL      string     `toml:"url"`
	Page     string     `toml:"page"`
	Children []MenuItem `toml:"children"`
	// Label, set for the entries pages add with menu front matter, is
	// the entry's text as written, used instead of the string Name.
	Label string `toml:"-"`
}

// Consent configures the cookie notice.
type Consent struct {
	// Revision identifies the cookie policy's version. Visitors are asked
	// again when it changes. Default "1".
	Revision string `toml:"revision"`
	// CookieName is the first-party cookie that stores the choice.
	// Default "ps_consent".
	CookieName string `toml:"cookieName"`
	// Scripts are loaded only after their category is accepted.
	Scripts []Script `toml:"scripts"`
}

// Script is a script that needs consent before it runs.
type Script struct {
	// Category is "preferences", "analytics" or "marketing".
	Category string `toml:"category"`
	// Src is a theme asset path ("js/analytics.js") or an absolute URL.
	Src string `toml:"src"`
}

// Categories lists the consent categories in display order.
var Categories = []string{"necessary", "preferences", "analytics", "marketing"}

// Default returns the defaults for a site at dir, before locales are known.
func Default(dir string) *Site {
	return &Site{
		Dir:     dir,
		BaseURL: "http://localhost/",
		Title:   "policysite",
		Theme:   Theme{Name: "default"},
		Consent: Consent{Revision: "1", CookieName: "ps_consent"},
		Headers: Headers{
			ContentSecurityPolicy: DefaultCSP,
			ReferrerPolicy:        "strict-origin-when-cross-origin",
			PermissionsPolicy:     "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
			CacheControl:          "public, max-age=0, must-revalidate",
		},
		Redirects: Redirects{Language: true},
		Versions:  Versions{Git: true},
		Links:     Links{Broken: LinkError, BrokenFragments: LinkWarn, ContentPrefix: "/docs/"},
	}
}

// Load reads dir/site.toml if it exists, applies defaults and validates
// the result. Without site.toml, locales are discovered from the folders
// of dir/content.
func Load(dir string) (*Site, error) {
	s := Default(dir)
	path := filepath.Join(dir, FileName)
	data, err := srcfile.ReadFile(path, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// No site.toml: defaults and discovery only.
	case errors.Is(err, srcfile.ErrSpecial):
		return nil, &diag.SourceError{File: path, Err: err}
	case err != nil:
		return nil, err
	default:
		s.File = path
		if err := decode(path, data, s); err != nil {
			return nil, err
		}
	}
	listed := len(s.Locales) > 0
	if !listed {
		locs, err := Discover(filepath.Join(dir, "content"))
		if err != nil {
			return nil, err
		}
		s.Locales = locs
	}
	var errs diag.List
	errs.Add(Finish(s))
	if listed {
		errs.Add(checkFolders(s, filepath.Join(dir, "content")))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkFolders reports every locale folder of contentDir that site.toml
// does not list: its pages would otherwise never be built, without a
// word.
func checkFolders(s *Site, contentDir string) error {
	entries, err := os.ReadDir(contentDir)
	if err != nil {
		return nil // a missing content folder is reported when pages are read
	}
	listed := map[string]bool{}
	for _, l := range s.Locales {
		listed[l.Tag] = true
	}
	var errs diag.List
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || listed[name] {
			continue
		}
		dir := filepath.Join(contentDir, name)
		if _, err := CheckTag(name); err != nil {
			errs.Add(&diag.SourceError{File: dir, Err: fmt.Errorf("folder is not a locale of %s: %w; rename the folder, or list it under [[locales]]", FileName, err)})
			continue
		}
		errs.Add(&diag.SourceError{File: dir, Err: fmt.Errorf("folder is not a locale of %s, so its pages are not built; add [[locales]] tag = %q to %s, or move the folder out of content/", FileName, name, FileName)})
	}
	return errs.Err()
}

func decode(path string, data []byte, s *Site) error {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	err := dec.Decode(s)
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case err == nil:
	case errors.As(err, &strict):
		var l diag.List
		for _, e := range strict.Errors {
			row, _ := e.Position()
			l.Add(diag.Errorf(path, row, "unknown key %q; see the configuration reference in docs/configuration.md", strings.Join(e.Key(), ".")))
		}
		return l.Err()
	case errors.As(err, &de):
		row, _ := de.Position()
		return &diag.SourceError{File: path, Line: row, Err: errors.New(strings.TrimPrefix(de.Error(), "toml: "))}
	default:
		return &diag.SourceError{File: path, Err: err}
	}
	// Record each [[locales]] entry's line so later errors can point at it.
	lines := tableLines(data, "[[locales]]")
	for i := range s.Locales {
		if i < len(lines) {
			s.Locales[i].line = lines[i]
		}
	}
	s.Theme.lines = keyLines(data, "theme")

	lines = tableLines(data, "[[deploy.targets]]")
	for i := range s.Deploy.Targets {
		if i < len(lines) {
			s.Deploy.Targets[i].line = lines[i]
		}
	}
	return nil
}

// keyLines returns the lines of the keys of a table, written as a
// [table] section or as table.key = … at the top level.
func keyLines(data []byte, table string) map[string]int {
	out := map[string]int{}
	in := false
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			in = t == "["+table+"]"
			continue
		}
		key, _, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		key = strings.Trim(strings.TrimSpace(key), `"`)
		if k, dotted := strings.CutPrefix(key, table+"."); dotted && !in {
			out[k] = i + 1
		} else if in {
			out[key] = i + 1
		} else if key == table {
			out["name"] = i + 1
		}
	}
	return out
}

// tableLines returns the 1-based lines on which header appears.
func tableLines(data []byte, header string) []int {
	var out []int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == header {
			out = append(out, i+1)
		}
	}
	return out
}

// Discover returns one locale per folder of contentDir, sorted by tag.
// A folder whose name is not a canonical BCP 47 tag is an error that
// names the folder and suggests the right tag.
func Discover(contentDir string) ([]Locale, error) {
	entries, err := os.ReadDir(contentDir)
	if err != nil {
		return nil, fmt.Errorf("discovering locales: %w", err)
	}
	var locs []Locale
	var errs diag.List
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		// A linked locale folder would otherwise be skipped without a
		// word, dropping its pages; content never follows folder links.
		if e.Type()&fs.ModeSymlink != 0 {
			errs.Add(&diag.SourceError{File: filepath.Join(contentDir, e.Name()), Err: errors.New("is a symbolic link, which is not followed; move the locale's folder into content/ instead")})
			continue
		}
		if !e.IsDir() {
			continue
		}
		tag, err := CheckTag(e.Name())
		if err != nil {
			errs.Add(&diag.SourceError{File: filepath.Join(contentDir, e.Name()), Err: err})
			if len(errs) >= 100 {
				break
			}
			continue
		}
		locs = append(locs, Locale{Tag: tag})
		if len(locs) > MaxLocales {
			return nil, &diag.SourceError{File: contentDir, Err: fmt.Errorf("more than %s locale folders; a site may have at most %s locales", diag.Count(MaxLocales), diag.Count(MaxLocales))}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(locs) == 0 {
		return nil, fmt.Errorf("%s: no locale folders found; create content/en/ (or another BCP 47 tag) with Markdown pages, or list locales in %s", contentDir, FileName)
	}
	slices.SortFunc(locs, func(a, b Locale) int { return strings.Compare(a.Tag, b.Tag) })
	return locs, nil
}

// Finish applies the defaults that depend on other fields and validates
// s. Load calls it; callers that change s afterwards call it again.
func Finish(s *Site) error {
	var errs diag.List
	where := func(l Locale) string {
		if s.File != "" && l.line > 0 {
			return fmt.Sprintf("%s:%d", s.File, l.line)
		}
		if s.File != "" {
			return s.File
		}
		return filepath.Join(s.Dir, "content", l.Tag)
	}
	if s.Theme.Name == "" {
		s.Theme.Name = "default"
	}
	errs.Add(s.finishTheme())
	if s.Consent.Revision == "" {
		s.Consent.Revision = "1"
	}
	if s.Consent.CookieName == "" {
		s.Consent.CookieName = "ps_consent"
	}
	if base, err := BaseURL(s.BaseURL); err != nil {
		errs.Add(fmt.Errorf("%s: %w", s.fileOrDir(), err))
	} else {
		s.BaseURL = base
	}
	if len(s.Locales) > MaxLocales {
		return fmt.Errorf("%s: %s locales; a site may have at most %s", s.fileOrDir(), diag.Count(len(s.Locales)), diag.Count(MaxLocales))
	}
	if _, err := markdown.ParseHeadingIDs(s.Markdown.HeadingIDs); err != nil {
		errs.Add(fmt.Errorf("%s: markdown.headingIDs: %w", s.fileOrDir(), err))
	}
	seenTag := map[string]bool{}
	seenPath := map[string]string{}
	for i := range s.Locales {
		l := &s.Locales[i]
		tag, err := CheckTag(l.Tag)
		if err != nil {
			errs.Add(fmt.Errorf("%s: locale %q: %w", where(*l), l.Tag, err))
			continue
		}
		l.Tag = tag
		if seenTag[tag] {
			errs.Add(fmt.Errorf("%s: locale %q is listed twice", where(*l), tag))
		}
		seenTag[tag] = true
		if l.Path == "" {
			l.Path = strings.ToLower(tag)
		}
		if !validPath(l.Path) {
			errs.Add(fmt.Errorf("%s: locale %q: path %q must be one URL segment of letters, digits, '-' or '_'", where(*l), tag, l.Path))
		}
		if other, ok := seenPath[l.Path]; ok {
			errs.Add(fmt.Errorf("%s: locales %q and %q share the URL path %q; give one a different path", where(*l), other, tag, l.Path))
		}
		seenPath[l.Path] = tag
		switch l.Consent {
		case "":
			l.Consent = defaultConsent(tag)
		case ConsentOptIn, ConsentNotice:
		default:
			errs.Add(fmt.Errorf("%s: locale %q: consent %q must be %q or %q", where(*l), tag, l.Consent, ConsentOptIn, ConsentNotice))
		}
	}
	for name, v := range map[string]string{"hsts": s.Headers.HSTS, "contentSecurityPolicy": s.Headers.ContentSecurityPolicy,
		"referrerPolicy": s.Headers.ReferrerPolicy, "permissionsPolicy": s.Headers.PermissionsPolicy, "cacheControl": s.Headers.CacheControl} {
		if strings.ContainsAny(v, "\r\n") {
			errs.Add(fmt.Errorf("%s: headers.%s must be one line", s.fileOrDir(), name))
		}
	}
	if h := s.Headers.HSTS; h != "" && !strings.HasPrefix(strings.ToLower(h), "max-age=") {
		errs.Add(fmt.Errorf("%s: headers.hsts %q must start with max-age=, such as \"max-age=63072000; includeSubDomains\"", s.fileOrDir(), h))
	}
	if s.Links.Broken == "" {
		s.Links.Broken = LinkError
	}
	if s.Links.BrokenFragments == "" {
		s.Links.BrokenFragments = LinkWarn
	}
	if b := s.Links.Broken; b != LinkError && b != LinkWarn {
		errs.Add(fmt.Errorf("%s: links.broken %q must be %q or %q", s.fileOrDir(), b, LinkError, LinkWarn))
	}
	if b := s.Links.BrokenFragments; b != LinkError && b != LinkWarn && b != LinkIgnore {
		errs.Add(fmt.Errorf("%s: links.brokenFragments %q must be %q, %q or %q", s.fileOrDir(), b, LinkWarn, LinkError, LinkIgnore))
	}
	if err := checkCookieName(s.Consent.CookieName); err != nil {
		errs.Add(fmt.Errorf("%s: consent.cookieName: %w", s.fileOrDir(), err))
	}
	for _, k := range s.Output.Keep {
		if err := checkKeep(k); err != nil {
			errs.Add(fmt.Errorf("%s: output.keep: %w", s.fileOrDir(), err))
		}
	}
	for _, sc := range s.Consent.Scripts {
		if !slices.Contains(Categories[1:], sc.Category) {
			errs.Add(fmt.Errorf("%s: consent script %q: category %q must be one of %s", s.fileOrDir(), sc.Src, sc.Category, strings.Join(Categories[1:], ", ")))
		}
	}
	errs.Add(checkDeploy(s))
	if err := errs.Err(); err != nil {
		return err
	}
	if s.DefaultLocale == "" {
		s.DefaultLocale = s.Locales[0].Tag
		for _, l := range s.Locales {
			if l.Tag == "en" {
				s.DefaultLocale = "en"
			}
		}
	} else {
		tag, err := CheckTag(s.DefaultLocale)
		if err != nil || !seenTag[tag] {
			return fmt.Errorf("%s: defaultLocale %q is not one of the site's locales", s.fileOrDir(), s.DefaultLocale)
		}
		s.DefaultLocale = tag
	}
	if l, _ := s.Locale(s.DefaultLocale); !l.Published() {
		return fmt.Errorf("%s: defaultLocale %q must be published", s.fileOrDir(), s.DefaultLocale)
	}
	return nil
}

// BaseURL checks a base URL and returns it normalised: ending in "/",
// without query or fragment.
func BaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("baseURL %q must be an absolute http(s) URL such as \"https://www.example.com/\"", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// finishTheme checks the [theme] settings that need no theme files:
// colours must parse and images must be paths below assets/. Contrast
// and whether the images exist are checked when the theme is loaded.
func (s *Site) finishTheme() error {
	var errs diag.List
	t := &s.Theme
	at := s.ThemeAt
	for _, c := range []struct {
		key string
		v   *string
	}{{"brandColor", &t.BrandColor}, {"brandColorDark", &t.BrandColorDark}} {
		if *c.v == "" {
			continue
		}
		col, err := parseColor(*c.v)
		if err != nil {
			errs.Add(fmt.Errorf("%s: theme.%s: %w", at(c.key), c.key, err))
			continue
		}
		*c.v = col
	}
	if t.BrandColorDark != "" && t.BrandColor == "" {
		errs.Add(fmt.Errorf("%s: theme.brandColorDark needs theme.brandColor, the colour of the light scheme", at("brandColorDark")))
	}
	for _, c := range []struct {
		key string
		v   *string
	}{{"logo", &t.Logo}, {"favicon", &t.Favicon}} {
		if *c.v == "" {
			continue
		}
		p := strings.TrimPrefix(filepath.ToSlash(*c.v), "assets/")
		if path.IsAbs(p) || !fs.ValidPath(p) {
			errs.Add(fmt.Errorf("%s: theme.%s %q must be a path below the site's assets/ folder, such as \"img/%s.svg\"", at(c.key), c.key, *c.v, c.key))
			continue
		}
		if _, ok := ImageTypes[strings.ToLower(path.Ext(p))]; !ok {
			errs.Add(fmt.Errorf("%s: theme.%s %q is not an image the theme can show; use .svg, .png, .webp, .jpg, .gif, .avif or .ico", at(c.key), c.key, *c.v))
			continue
		}
		*c.v = p
	}
	return errs.Err()
}

// ImageTypes are the media types of the image files [theme] accepts, by
// extension.
var ImageTypes = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".webp": "image/webp", ".jpg": "image/jpeg",
	".jpeg": "image/jpeg", ".gif": "image/gif", ".avif": "image/avif", ".ico": "image/x-icon",
}

// parseColor parses "#rgb" or "#rrggbb" and returns lowercase "#rrggbb".
func parseColor(s string) (string, error) {
	h, ok := strings.CutPrefix(s, "#")
	if ok && len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if _, err := strconv.ParseUint(h, 16, 32); !ok || len(h) != 6 || err != nil {
		return "", fmt.Errorf("%q is not a colour: use #rrggbb or #rgb, such as \"#0a4a9e\"", s)
	}
	return "#" + strings.ToLower(h), nil
}

// ThemeAt returns where key of [theme] is set, "site.toml:12", for
// errors found once the theme is loaded.
func (s *Site) ThemeAt(key string) string {
	if l := s.Theme.Line(key); l > 0 {
		return fmt.Sprintf("%s:%d", s.fileOrDir(), l)
	}
	return s.fileOrDir()
}

func (s *Site) fileOrDir() string {
	if s.File != "" {
		return s.File
	}
	return s.Dir
}

// Locale returns the locale with the given canonical tag.
func (s *Site) Locale(tag string) (Locale, bool) {
	for _, l := range s.Locales {
		if l.Tag == tag {
			return l, true
		}
	}
	return Locale{}, false
}

func validPath(p string) bool {
	if p == "" || p == "." || p == ".." {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// checkDeploy validates the deploy targets: each has a unique name, a
// URL and a known encoding. The URL's scheme and credentials are checked
// by package deploy when it opens the target.
func checkDeploy(s *Site) error {
	var errs diag.List
	seen := map[string]bool{}
	for i := range s.Deploy.Targets {
		t := &s.Deploy.Targets[i]
		at := func(format string, args ...any) {
			if s.File != "" {
				errs.Add(diag.Errorf(s.File, t.line, format, args...))
			} else {
				errs.Add(fmt.Errorf(format, args...))
			}
		}
		switch {
		case t.Name == "":
			at("deploy target %d has no name; add name = \"production\" (what --target selects)", i+1)
		case seen[t.Name]:
			at("deploy target %q is listed twice; give each target its own name", t.Name)
		}
		seen[t.Name] = true
		if t.URL == "" {
			at("deploy target %q has no url; add url = \"s3://BUCKET?region=REGION\" (or gs://, azblob://, file:///)", t.Name)
		}
		switch t.Encoding {
		case "":
			t.Encoding = "identity"
		case "identity", "gzip":
		default:
			at("deploy target %q: encoding %q must be \"identity\" or \"gzip\"", t.Name, t.Encoding)
		}
	}
	return errs.Err()
}
