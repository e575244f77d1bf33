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

// Meta is a page's front matter. Keys follow Hugo's names and, as in
// Hugo, are matched without regard to case; keys.go lists every key
// and what policysite does with it. The zero value is a page with no
// front matter.
type Meta struct {
	Title string
	// TitleFrom says where Title came from when the front matter has
	// none: TitleHeading, TitleFileName, or "" (the front matter, or no
	// title at all).
	TitleFrom string
	// LinkTitle is the short label of the page in menus and on the
	// locale home. Default: Title.
	LinkTitle   string
	Description string
	// Summary is the description used when Description is empty.
	Summary string
	// Keywords are written to <meta name="keywords">.
	Keywords []string
	// Images are the page's images, the first one written as og:image;
	// a path without a scheme is relative to the site root.
	Images []string
	Slug   string
	// URL is the page's path below its locale's home, without leading
	// or trailing slashes ("legal/imprint"), from url, permalink or a
	// slug with a slash; "" keeps the path of the file.
	URL            string
	TranslationKey string
	Date           Date
	Lastmod        Date
	// PublishDate and ExpiryDate bound the time the page is published:
	// before PublishDate and from ExpiryDate on, it is left out of a
	// build like a draft.
	PublishDate Date
	ExpiryDate  Date
	// Effective is the date this version of the page takes effect
	// (docs/versions.md); zero for a page without versions.
	Effective Date
	// Changes summarises what changed in this version, as plain text
	// shown on top of its redline and in the feed.
	Changes string
	Weight  int
	Draft   bool
	// Aliases are old URL paths that redirect to this page.
	Aliases []string
	// Menus are the menus the page adds itself to.
	Menus []MenuEntry
	// Extends makes the file a section override of its base: "true" for
	// the next locale of the fallback chain that has the page, or a tag.
	Extends Extends
	// Remove lists the IDs of base sections an override removes.
	Remove []string
	// TOC and Numbered turn the table of contents and section numbers
	// off (false) or on (true). Default: on for pages with three or more
	// H2 sections.
	TOC      *bool
	Numbered *bool
	// Reviewed records, per source section ID, the digest of the source
	// text a translation was last reviewed against (policysite status
	// --mark-reviewed writes it).
	Reviewed map[string]string
	// Params holds the site's own keys, available to templates.
	Params map[string]any
}

// Where a title taken from the page itself came from.
const (
	TitleHeading  = "heading"   // the page's first heading
	TitleFileName = "file name" // the file's name: the page has no heading
)

// Label returns the page's short label: LinkTitle, else Title.
func (m *Meta) Label() string {
	if m.LinkTitle != "" {
		return m.LinkTitle
	}
	return m.Title
}

// Summarize returns Description, else Summary.
func (m *Meta) Summarize() string {
	if m.Description != "" {
		return m.Description
	}
	return m.Summary
}

// PublishedAt reports whether a page with this front matter is
// published at now: it is not a draft, its publishDate has come and
// its expiryDate has not.
func (m *Meta) PublishedAt(now time.Time) bool {
	if m.Draft {
		return false
	}
	if !m.PublishDate.IsZero() && m.PublishDate.After(now) {
		return false
	}
	return m.ExpiryDate.IsZero() || m.ExpiryDate.After(now)
}

// A MenuEntry adds a page to one of the site's menus, as Hugo's menu
// front matter does.
type MenuEntry struct {
	// Menu is "main", "footer" or "legal".
	Menu string
	// Name is the entry's label. Default: the page's LinkTitle or Title.
	Name string
	// Parent is the name (the i18n key) or page of the menu entry under
	// which this one goes; "" puts it at the top level.
	Parent string
	// Weight orders the entries a page adds, lower first, after the
	// entries configured in site.toml.
	Weight int
}

// Date is a front-matter date: a YAML/TOML date or a string in RFC 3339
// or YYYY-MM-DD form.
type Date struct{ time.Time }

// dateLayouts are the date forms accepted in strings: those Hugo,
// Jekyll and Docusaurus sites write.
var dateLayouts = []string{
	"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -07:00", "2006-01-02T15:04:05-0700",
	"2006-01-02 15:04", "2006/01/02",
}

func (d *Date) set(v any) error {
	switch v := v.(type) {
	case time.Time:
		d.Time = v
		return checkDate(v)
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				d.Time = t
				return checkDate(t)
			}
		}
		return fmt.Errorf("%s is not a date; use YYYY-MM-DD", quote(v))
	}
	return fmt.Errorf("%s is not a date; use YYYY-MM-DD", describe(v))
}

// setDay sets d to the calendar day of v, at midnight UTC: an
// effective date names a day, whatever time or zone it is written with.
func (d *Date) setDay(v any) error {
	if err := d.set(v); err != nil {
		return err
	}
	y, m, day := d.Date()
	d.Time = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return nil
}

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
	return fmt.Errorf("must be true or a locale tag, not %s", describe(v))
}

// lineErr is an error at a line relative to the front matter's start.
type lineErr struct {
	line int // 1-based, relative to the first line inside the delimiters
	err  error
}

func (e *lineErr) Error() string { return e.err.Error() }

// An entry is one top-level key of the front matter as written, with
// its decoded value and its line (1-based, inside the delimiters).
type entry struct {
	key   string
	value any
	line  int
}

var (
	yamlLine = regexp.MustCompile(`line (\d+): `)
	tomlLine = regexp.MustCompile(`^toml: line (\d+)[^:]*:`)
)

// decodeYAML decodes a YAML mapping into its entries, in order.
func decodeYAML(data []byte, v any) error {
	var ms yaml.MapSlice
	if err := yaml.Unmarshal(data, &ms); err != nil {
		return yamlError(err)
	}
	lines := keyLines(data, false)
	out := v.(*[]entry)
	for _, it := range ms {
		k := fmt.Sprint(it.Key)
		*out = append(*out, entry{key: k, value: normalize(it.Value), line: lineOr(lines, k)})
	}
	return nil
}

// yamlError turns a YAML error into a *lineErr in the user's terms.
func yamlError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	line := 1
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[:m[0]] + msg[m[1]:]
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	// "cannot unmarshal !!seq into yaml.MapSlice" is the one decoding
	// error a map target gives: the front matter is not key: value lines.
	if strings.Contains(msg, "cannot unmarshal") {
		msg = "must be key: value lines, such as \"title: Privacy policy\""
	}
	return &lineErr{line: line, err: errors.New(msg)}
}

// decodeTOML decodes a TOML document into its entries, in order.
func decodeTOML(data []byte, v any) error {
	var m map[string]any
	md, err := toml.Decode(string(data), &m)
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
		return &lineErr{line: 1, err: errors.New(strings.TrimPrefix(msg, "toml: "))}
	}
	lines := keyLines(data, true)
	out := v.(*[]entry)
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) == 0 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		*out = append(*out, entry{key: k[0], value: normalize(m[k[0]]), line: lineOr(lines, k[0])})
	}
	return nil
}

func lineOr(lines map[string]int, key string) int {
	if n, ok := lines[key]; ok {
		return n
	}
	return 1
}

// keyLines finds the line on which each top-level key first appears:
// "key:" at the start of a YAML line; "key =" before the first table,
// or a table header "[key]", "[key.sub]" or "[[key]]", in TOML.
func keyLines(data []byte, isTOML bool) map[string]int {
	lines := map[string]int{}
	inTable := false
	for i, raw := range strings.Split(string(data), "\n") {
		if raw == "" || raw[0] == ' ' || raw[0] == '\t' || raw[0] == '#' || raw[0] == '-' {
			continue
		}
		line := strings.TrimSpace(raw)
		var key string
		if isTOML {
			if strings.HasPrefix(line, "[") {
				inTable = true
				key = strings.Trim(line, "[] ")
				key, _, _ = strings.Cut(key, ".")
			} else if !inTable {
				key, _, _ = strings.Cut(line, "=")
				key, _, _ = strings.Cut(key, ".")
			}
		} else {
			var ok bool
			if key, _, ok = strings.Cut(line, ":"); !ok {
				continue
			}
		}
		key = strings.Trim(strings.TrimSpace(key), `"'`)
		if _, ok := lines[key]; !ok && key != "" {
			lines[key] = i + 1
		}
	}
	return lines
}

// normalize turns the decoders' maps into map[string]any, all the way
// down, so that templates and the key handlers see one form.
func normalize(v any) any {
	switch v := v.(type) {
	case yaml.MapSlice:
		m := make(map[string]any, len(v))
		for _, it := range v {
			m[fmt.Sprint(it.Key)] = normalize(it.Value)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = normalize(x)
		}
		return m
	case map[string]any:
		for k, x := range v {
			v[k] = normalize(x)
		}
		return v
	case []map[string]any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = normalize(x)
		}
		return v
	}
	return v
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", decodeYAML),
	frontmatter.NewFormat("+++", "+++", decodeTOML),
}

// parseFrontMatter splits src into its front matter's entries and the
// body. Front matter is YAML between lines "---" or TOML between lines
// "+++" (spaces around a delimiter are ignored); it opens on the first
// non-blank line and closes on the next delimiter line. bodyLine is the
// 1-based line of the body's first byte. Entry lines and errors (a
// *lineErr) count lines from the start of src.
//
// adrg/frontmatter decodes the front matter, but it is handed only the
// lines up to the closing delimiter: given the whole file it copies all
// of it to return the body, which is a slice of src here (that copy was
// 40 % of reading a page).
func parseFrontMatter(src []byte) (entries []entry, body []byte, bodyLine int, err error) {
	first, firstLine, dataStart := firstNonBlankLine(src)
	if first != "---" && first != "+++" {
		return nil, src, 1, nil
	}
	_, bodyStart, ok := closingLine(src, dataStart, first)
	if !ok {
		// A policy page that silently shows its YAML is worse than an
		// error.
		return nil, nil, 0, &lineErr{line: firstLine, err: fmt.Errorf("opened with %q but never closed; add a line %q after the last key", first, first)}
	}
	if _, err := frontmatter.Parse(bytes.NewReader(src[:bodyStart]), &entries, formats...); err != nil {
		var le *lineErr
		if errors.As(err, &le) {
			le.line += firstLine
			return nil, nil, 0, le
		}
		return nil, nil, 0, &lineErr{line: firstLine, err: err}
	}
	for i := range entries {
		entries[i].line += firstLine
	}
	return entries, src[bodyStart:], bytes.Count(src[:bodyStart], []byte("\n")) + 1, nil
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
