// Package i18n loads the UI strings of i18n/<tag>.toml and looks them up
// along a locale's fallback chain.
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
	"sync"

	"github.com/pelletier/go-toml/v2"

	"policysite/generator/config"
	"policysite/generator/diag"
	"policysite/generator/srcfile"
)

// Catalog holds the strings of every locale file. Lookups are safe for
// concurrent use; missing keys are recorded for the end-of-build report.
type Catalog struct {
	// strings maps a tag to its key/value table.
	strings map[string]map[string]string
	// files maps a tag to the file it was read from.
	files map[string]string

	mu      sync.Mutex
	missing map[string]map[string]bool // locale → key
}

// Load reads every i18n/<tag>.toml in dir. A missing folder is an empty
// catalog. A file that is not valid TOML, or holds a value that is not a
// string, is an error naming file and line. Load stops with ctx's error
// when ctx is cancelled.
func Load(ctx context.Context, dir string) (*Catalog, error) {
	c := &Catalog{strings: map[string]map[string]string{}, files: map[string]string{}, missing: map[string]map[string]bool{}}
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
		tag := strings.TrimSuffix(name, ".toml")
		// A misnamed file (en_GB.toml, en-UK.toml) would otherwise be
		// ignored without a word, and its locale would show fallbacks.
		if _, err := config.CheckTag(tag); err != nil {
			errs.Add(&diag.SourceError{File: p, Err: fmt.Errorf("file name is not a locale tag: %w", err)})
			continue
		}
		table, err := ReadFile(p)
		if err != nil {
			errs.Add(err)
			continue
		}
		c.strings[tag] = table
		c.files[tag] = p
	}
	return c, errs.Err()
}

// ReadFile reads one strings file.
func ReadFile(p string) (map[string]string, error) {
	data, err := srcfile.ReadFile(p, 0)
	if errors.Is(err, srcfile.ErrSpecial) {
		return nil, &diag.SourceError{File: p, Err: err}
	}
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, diag.Errorf(p, row, "%s", strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, &diag.SourceError{File: p, Err: err}
	}
	table := map[string]string{}
	var errs diag.List
	flatten("", raw, table, func(key string, v any) {
		errs.Add(diag.Errorf(p, keyLine(data, key), "%s: value must be a string, not %T", key, v))
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

// Lookup returns the string for key along chain, and whether a locale of
// the chain has it. A key missing in chain[0]'s whole chain is recorded
// as missing for chain[0].
func (c *Catalog) Lookup(chain []string, key string) (string, bool) {
	for _, tag := range chain {
		if v, ok := c.strings[tag][key]; ok {
			return v, true
		}
		// Language-only files serve their regions even when the site has
		// no language-only locale (de.toml serves de-DE).
		if i := strings.IndexByte(tag, '-'); i > 0 {
			if v, ok := c.strings[tag[:i]][key]; ok {
				return v, true
			}
		}
	}
	if len(chain) > 0 {
		c.mu.Lock()
		if c.missing[chain[0]] == nil {
			c.missing[chain[0]] = map[string]bool{}
		}
		c.missing[chain[0]][key] = true
		c.mu.Unlock()
	}
	return "", false
}

// Has reports whether the catalog holds key for exactly tag.
func (c *Catalog) Has(tag, key string) bool {
	_, ok := c.strings[tag][key]
	return ok
}

// Tags returns the tags that have a strings file, sorted.
func (c *Catalog) Tags() []string {
	var out []string
	for t := range c.strings {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// File returns the file a tag's strings were read from.
func (c *Catalog) File(tag string) string { return c.files[tag] }

// Missing lists the keys that lookups could not find, as
// "locale: key" lines, sorted.
func (c *Catalog) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for tag, keys := range c.missing {
		for k := range keys {
			out = append(out, fmt.Sprintf("%s: %s", tag, k))
		}
	}
	slices.Sort(out)
	return out
}

// Format replaces {name} placeholders in s with args given as
// name, value pairs.
func Format(s string, args ...any) string {
	if len(args) < 2 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
