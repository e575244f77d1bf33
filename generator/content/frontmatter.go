package content

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v2"
)

// Meta is a page's front matter. Keys follow Hugo's names where they
// overlap. The zero value is a page with no front matter.
type Meta struct {
	Title          string `yaml:"title" toml:"title"`
	Description    string `yaml:"description" toml:"description"`
	Slug           string `yaml:"slug" toml:"slug"`
	TranslationKey string `yaml:"translationKey" toml:"translationKey"`
	Date           Date   `yaml:"date" toml:"date"`
	Lastmod        Date   `yaml:"lastmod" toml:"lastmod"`
	Weight         int    `yaml:"weight" toml:"weight"`
	Draft          bool   `yaml:"draft" toml:"draft"`
	// Aliases are old URL paths that redirect to this page.
	Aliases []string `yaml:"aliases" toml:"aliases"`
	// Extends makes the file a section override of its base: "true" for
	// the next locale of the fallback chain that has the page, or a tag.
	Extends Extends `yaml:"extends" toml:"extends"`
	// Remove lists the IDs of base sections an override removes.
	Remove []string `yaml:"remove" toml:"remove"`
	// TOC and Numbered turn the table of contents and section numbers
	// off (false) or on (true). Default: on for pages with three or more
	// H2 sections.
	TOC      *bool `yaml:"toc" toml:"toc"`
	Numbered *bool `yaml:"numbered" toml:"numbered"`
	// Reviewed records, per source section ID, the digest of the source
	// text a translation was last reviewed against (policysite status
	// --mark-reviewed writes it).
	Reviewed map[string]string `yaml:"reviewed" toml:"reviewed"`
	// Params holds the site's own keys, available to templates.
	Params map[string]any `yaml:"params" toml:"params"`
}

// Date is a front-matter date: a YAML/TOML date or a string in RFC 3339
// or YYYY-MM-DD form.
type Date struct{ time.Time }

func (d *Date) set(v any) error {
	switch v := v.(type) {
	case time.Time:
		d.Time = v
		return checkDate(v)
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, v); err == nil {
				d.Time = t
				return checkDate(t)
			}
		}
		return fmt.Errorf("date %q: use YYYY-MM-DD", v)
	}
	return fmt.Errorf("date %v: use YYYY-MM-DD", v)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Date) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	return d.set(v)
}

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Date) UnmarshalTOML(v any) error { return d.set(v) }

// Extends is the value of the extends key: "" (not an override),
// "true" (the next locale of the chain) or a locale tag.
type Extends string

func (e *Extends) set(v any) error {
	switch v := v.(type) {
	case bool:
		if v {
			*e = "true"
		} else {
			*e = ""
		}
		return nil
	case string:
		*e = Extends(v)
		return nil
	}
	return fmt.Errorf("extends must be true or a locale tag, not %v", v)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (e *Extends) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	return e.set(v)
}

// UnmarshalTOML implements toml.Unmarshaler.
func (e *Extends) UnmarshalTOML(v any) error { return e.set(v) }

// lineErr is an error at a line relative to the front matter's start.
type lineErr struct {
	line int // 1-based, relative to the first line inside the delimiters
	err  error
}

func (e *lineErr) Error() string { return e.err.Error() }

var (
	yamlLine = regexp.MustCompile(`line (\d+): `)
	tomlLine = regexp.MustCompile(`^toml: line (\d+)[^:]*:`)
)

func unmarshalYAML(data []byte, v any) error {
	err := yaml.UnmarshalStrict(data, v)
	if err == nil {
		return nil
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		n, _ := strconv.Atoi(msg[m[2]:m[3]])
		rest := msg[:m[0]] + msg[m[1]:]
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		if strings.Contains(rest, "not found in type") {
			rest = strings.Replace(rest, "not found in type content.Meta", "is not a known front-matter key (put your own keys under params:)", 1)
		}
		return &lineErr{line: n, err: errors.New(rest)}
	}
	return &lineErr{line: 1, err: errors.New(msg)}
}

func unmarshalTOML(data []byte, v any) error {
	md, err := toml.Decode(string(data), v)
	var pe toml.ParseError
	var ppe *toml.ParseError
	switch {
	case errors.As(err, &pe):
		return &lineErr{line: pe.Position.Line, err: errors.New(pe.Message)}
	case errors.As(err, &ppe):
		return &lineErr{line: ppe.Position.Line, err: errors.New(ppe.Message)}
	case err != nil:
		msg := err.Error()
		if m := tomlLine.FindStringSubmatchIndex(msg); m != nil {
			n, _ := strconv.Atoi(msg[m[2]:m[3]])
			return &lineErr{line: n, err: errors.New(strings.TrimSpace(msg[m[1]:]))}
		}
		return &lineErr{line: 1, err: err}
	}
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "params" || len(k) > 0 && k[0] == "reviewed" {
			continue
		}
		return &lineErr{line: keyLine(data, k[len(k)-1]), err: fmt.Errorf("%q is not a known front-matter key (put your own keys under [params])", k.String())}
	}
	return nil
}

func keyLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte(key)) {
			return i + 1
		}
	}
	return 1
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", unmarshalYAML),
	frontmatter.NewFormat("+++", "+++", unmarshalTOML),
}

// parseFrontMatter splits src into its front matter, decoded into m, and
// the body. Front matter is YAML between lines "---" or TOML between
// lines "+++" (spaces around a delimiter are ignored); it opens on the
// first non-blank line and closes on the next delimiter line. bodyLine
// is the 1-based line of the body's first byte. Errors are *lineErr with
// lines counted from the start of src.
//
// adrg/frontmatter decodes the front matter, but it is handed only the
// lines up to the closing delimiter: given the whole file it copies all
// of it to return the body, which is a slice of src here (that copy was
// 40 % of reading a page).
func parseFrontMatter(src []byte, m *Meta) (body []byte, bodyLine int, err error) {
	first, firstLine, dataStart := firstNonBlankLine(src)
	if first != "---" && first != "+++" {
		return src, 1, nil
	}
	_, bodyStart, ok := closingLine(src, dataStart, first)
	if !ok {
		// A policy page that silently shows its YAML is worse than an
		// error.
		return nil, 0, &lineErr{line: firstLine, err: fmt.Errorf("opened with %q but never closed; add a line %q after the last key", first, first)}
	}
	if _, err := frontmatter.Parse(bytes.NewReader(src[:bodyStart]), m, formats...); err != nil {
		var le *lineErr
		if errors.As(err, &le) {
			le.line += firstLine
			return nil, 0, le
		}
		return nil, 0, &lineErr{line: firstLine, err: err}
	}
	return src[bodyStart:], bytes.Count(src[:bodyStart], []byte("\n")) + 1, nil
}

// closingLine finds the first line at or after src[from:] that is delim
// alone. It returns where that line starts and where the line after it
// starts.
func closingLine(src []byte, from int, delim string) (start, next int, ok bool) {
	for start = from; start < len(src); start = next {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end, next = len(src), len(src)
		} else {
			end, next = start+end, start+end+1
		}
		if string(bytes.TrimSpace(src[start:end])) == delim {
			return start, next, true
		}
	}
	return 0, 0, false
}

// firstNonBlankLine returns the first line of src that is not blank,
// without surrounding spaces, its 1-based number and the offset of the
// line after it.
func firstNonBlankLine(src []byte) (line string, n, next int) {
	for n = 1; next < len(src); n++ {
		start := next
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end, next = len(src), len(src)
		} else {
			end, next = start+end, start+end+1
		}
		if t := bytes.TrimSpace(src[start:end]); len(t) > 0 {
			return string(t), n, next
		}
	}
	return "", 0, len(src)
}
