// Package i18n holds the UI strings of a site and its theme and looks
// them up along a locale's fallback chain.
//
// Two layers are searched: the site's i18n/<tag>.toml files, which
// override, and the theme's i18n/<tag>.toml files, which provide the
// defaults. A locale is served first by strings in its own language
// (the site's, then the theme's), then by the other locales of its
// chain, then by English. A string found only in another language is a
// gap: visitors see it in that language, and the build reports it.
package i18n

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"policysite/generator/config"
	"policysite/generator/diag"
	"policysite/generator/srcfile"
)

// A Table maps a tag ("de", "zh-Hans", "de-AT") to its key/value strings.
type Table map[string]map[string]string

// Catalog holds the strings of a site and of its theme. It is immutable
// once built and safe for concurrent use.
type Catalog struct {
	site, theme Table
	// dir is the site's i18n folder; files maps a tag to the file its
	// site strings were read from.
	dir   string
	files map[string]string
}

// Load reads every i18n/<tag>.toml in dir, the site's strings. A missing
// folder is an empty catalog. A file that is not valid TOML, or holds a
// value that is not a string, is an error naming file and line. Load
// stops with ctx's error when ctx is cancelled.
func Load(ctx context.Context, dir string) (*Catalog, error) {
	c := &Catalog{site: Table{}, theme: Table{}, dir: dir, files: map[string]string{}}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	var errs diag.List
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".toml") || strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		tag, err := FileTag(name)
		if err != nil {
			errs.Add(&diag.SourceError{File: p, Err: err})
			continue
		}
		table, err := ReadFile(p)
		if err != nil {
			errs.Add(err)
			continue
		}
		c.site[tag] = table
		c.files[tag] = p
	}
	return c, errs.Err()
}

// MaxFileSize is the largest strings file accepted. A theme's strings
// are a few kilobytes; a file near this size is a mistake, and the TOML
// decoder's time grows faster than the file.
const MaxFileSize = 256 << 10

// FileTag returns the locale tag a strings file is named for:
// "de.toml" → "de". A misnamed file (en_GB.toml, en-UK.toml) is an
// error, because it would otherwise be ignored without a word and its
// locale would show fallbacks.
func FileTag(name string) (string, error) {
	tag := strings.TrimSuffix(name, ".toml")
	if _, err := config.CheckTag(tag); err != nil {
		return "", fmt.Errorf("file name is not a locale tag: %w", err)
	}
	return tag, nil
}

// WithTheme returns a catalog with c's site strings over the theme's
// strings theme.
func (c *Catalog) WithTheme(theme Table) *Catalog {
	out := *c
	out.theme = theme
	if out.theme == nil {
		out.theme = Table{}
	}
	return &out
}

// ReadFile reads one strings file.
func ReadFile(p string) (map[string]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, &diag.SourceError{File: p, Err: fmt.Errorf("file is %s KB; strings files are limited to %s KB; remove what is not a UI string", diag.Count(int(st.Size()>>10)), diag.Count(MaxFileSize>>10))}
	}
	data, err := srcfile.ReadFile(p, 0)
	if errors.Is(err, srcfile.ErrSpecial) {
		return nil, &diag.SourceError{File: p, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return Parse(p, data)
}

// Parse decodes the strings file data; name is its path, for errors.
func Parse(name string, data []byte) (map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, diag.Errorf(name, row, "%s", strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, &diag.SourceError{File: name, Err: err}
	}
	table := map[string]string{}
	var errs diag.List
	flatten("", raw, table, func(key string, v any) {
		errs.Add(diag.Errorf(name, keyLine(data, key), "%s: value must be a string, not %T", key, v))
	})
	return table, errs.Err()
}

// flatten turns nested tables into dotted keys ("nav.about").
func flatten(prefix string, m map[string]any, out map[string]string, bad func(string, any)) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			flatten(key, v, out, bad)
		default:
			bad(key, v)
		}
	}
}

func keyLine(data []byte, key string) int {
	last := key[strings.LastIndexByte(key, '.')+1:]
	for i, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(t, []byte(last)) && bytes.Contains(t, []byte("=")) {
			return i + 1
		}
	}
	return 0
}

// A Match says where a lookup found its string.
type Match int

const (
	// None: neither the site nor the theme has the key in any language
	// of the chain or in English.
	None Match = iota
	// Fallback: found only in another language (a locale of the chain
	// in another language, or English); visitors see that language.
	Fallback
	// Native: found in the locale's own language, in the site's
	// strings or the theme's.
	Native
)

// English is the language every chain ends with.
const English = "en"

// Lookup returns the string for key in the locale whose fallback chain
// is chain (the locale itself first); see Strings.Lookup. Render once
// per locale with For instead: it resolves the chain once.
func (c *Catalog) Lookup(chain []string, key string) (string, Match, string) {
	return c.For(chain).Lookup(key)
}

// Strings are the strings of one locale: the files of its chain in
// lookup order. They are immutable and safe for concurrent use.
type Strings struct {
	steps []step
}

type step struct {
	table map[string]string
	from  string
	match Match
}

// For resolves the files that serve the locale whose fallback chain is
// chain, in the order Lookup searches them:
//
//  1. the site's strings for each locale of the chain in the first
//     locale's language, then the theme's for the same locales;
//  2. for each remaining locale of the chain, the site's and the
//     theme's;
//  3. the site's and the theme's English.
//
// A file named by language alone (de.toml) or by language and script
// (zh-Hans.toml) serves each locale of that language and script (de-AT,
// zh-CN); see Candidates.
func (c *Catalog) For(chain []string) *Strings {
	if len(chain) == 0 {
		chain = []string{English}
	}
	s := &Strings{}
	seen := map[string]bool{}
	add := func(layer Table, label, tag string, m Match) {
		for _, name := range Candidates(tag) {
			if t, ok := layer[name]; ok && !seen[label+name] {
				seen[label+name] = true
				s.steps = append(s.steps, step{table: t, from: name, match: m})
			}
		}
	}
	first := language.Make(chain[0])
	var native, other []string
	for _, tag := range chain {
		if SameLanguage(language.Make(tag), first) {
			native = append(native, tag)
		} else {
			other = append(other, tag)
		}
	}
	if !SameLanguage(first, language.English) && !slices.Contains(other, English) {
		other = append(other, English)
	}
	for _, tag := range native {
		add(c.site, "site:", tag, Native)
	}
	for _, tag := range native {
		add(c.theme, "theme:", tag, Native)
	}
	for _, tag := range other {
		add(c.site, "site:", tag, Fallback)
		add(c.theme, "theme:", tag, Fallback)
	}
	return s
}

// Lookup returns the string for key, where it was found, and the tag of
// the file that had it ("" for None).
func (s *Strings) Lookup(key string) (string, Match, string) {
	for _, st := range s.steps {
		if v, ok := st.table[key]; ok {
			return v, st.match, st.from
		}
	}
	return "", None, ""
}

// Candidates lists the file names (without .toml) that serve tag, most
// specific first: "zh-CN" → zh-CN, zh-Hans-CN, zh-Hans, zh. The
// language-only name serves only the language's usual script, so
// zh.toml (Simplified Chinese) does not serve zh-TW.
func Candidates(tag string) []string {
	t, err := language.Parse(tag)
	if err != nil {
		return []string{tag}
	}
	base, _ := t.Base()
	script, _ := t.Script()
	region, rconf := t.Region()
	out := []string{tag}
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if rconf == language.Exact {
		add(base.String() + "-" + script.String() + "-" + region.String())
	}
	add(base.String() + "-" + script.String())
	if usual, _ := language.Make(base.String()).Script(); usual == script {
		add(base.String())
	}
	return out
}

// SameLanguage reports whether a and b are the same language in the
// same script (en-GB and en; not zh-CN and zh-TW).
func SameLanguage(a, b language.Tag) bool {
	ba, _ := a.Base()
	bb, _ := b.Base()
	sa, _ := a.Script()
	sb, _ := b.Script()
	return ba == bb && sa == sb
}

// Has reports whether the site's strings hold key for exactly tag.
func (c *Catalog) Has(tag, key string) bool {
	_, ok := c.site[tag][key]
	return ok
}

// Tags returns the tags that have a site strings file, sorted.
func (c *Catalog) Tags() []string {
	var out []string
	for t := range c.site {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// File returns the file a tag's site strings were read from.
func (c *Catalog) File(tag string) string { return c.files[tag] }

// A Gap is a UI string that a locale does not have in its language.
type Gap struct {
	Locale string `json:"locale"`
	Key    string `json:"key"`
	// From is the tag of the file visitors see the string from, or ""
	// when no file has it and the page shows Shown.
	From string `json:"from,omitempty"`
	// Shown is what the page shows: the fallback string, or the key.
	Shown string `json:"shown"`
}

// Gaps returns, for the locale with fallback chain chain, the keys of
// keys it lacks in its own language, in the order of keys.
func (c *Catalog) Gaps(chain []string, keys []string) []Gap {
	var out []Gap
	strs := c.For(chain)
	for _, k := range keys {
		v, m, from := strs.Lookup(k)
		switch m {
		case Native:
			continue
		case None:
			v = k
		}
		out = append(out, Gap{Locale: chain[0], Key: k, From: from, Shown: v})
	}
	return out
}

// SiteFile returns the site strings file where the strings of the
// locale with chain belong: the most specific existing file of the
// locale's language, or, when there is none, i18n/<language>.toml.
func (c *Catalog) SiteFile(chain []string) string {
	first := language.Make(chain[0])
	for _, tag := range chain {
		if !SameLanguage(language.Make(tag), first) {
			continue
		}
		for _, name := range Candidates(tag) {
			if p, ok := c.files[name]; ok {
				return p
			}
		}
	}
	return filepath.Join(c.dir, languageFile(chain[0])+".toml")
}

// languageFile names the file that serves every locale of tag's
// language and script: "de" for de-AT, "zh-Hant" for zh-TW.
func languageFile(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	script, _ := t.Script()
	if usual, _ := language.Make(base.String()).Script(); usual == script {
		return base.String()
	}
	return base.String() + "-" + script.String()
}

// Format replaces {name} placeholders in s with args given as
// name, value pairs. A value that ends in a full stop absorbs the one
// after its placeholder, as a typesetter would: "{holder}." with
// "Acme Inc." gives "Acme Inc.", and a Hungarian date ("2026. március
// 1.") ends a sentence once.
func Format(s string, args ...any) string {
	if len(args) < 2 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i := 0; i+1 < len(args); i += 2 {
		name, value := "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1])
		if strings.HasSuffix(value, ".") {
			// Replacer compares in argument order, so this is tried first.
			pairs = append(pairs, name+".", value)
		}
		pairs = append(pairs, name, value)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
