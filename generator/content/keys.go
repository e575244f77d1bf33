package content

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// This file gives every front-matter key its meaning. Keys are matched
// without regard to case, as Hugo matches them. A key is one of:
//
//   - a key of policysite or Hugo that means something here (keys);
//   - another tool's key with the same meaning as one of those (mapped:
//     Docusaurus' sidebar_label is a linkTitle), applied only when the
//     page does not set the key itself;
//   - a key Hugo documents that means nothing here (hugoIgnored), and a
//     key of no tool policysite knows: both ignored with a warning;
//   - a near miss of a meaningful key (tilte, link_title): an error,
//     because a misspelt title or draft would publish the wrong thing.

// A key sets one field of Meta from a decoded value.
type key struct {
	// name is the key as the documentation spells it.
	name string
	set  func(m *Meta, v any) error
}

// keys are the meaningful keys by lower-case name.
var keys = indexKeys([]key{
	{"title", text(func(m *Meta) *string { return &m.Title })},
	{"linkTitle", text(func(m *Meta) *string { return &m.LinkTitle })},
	{"description", text(func(m *Meta) *string { return &m.Description })},
	{"summary", text(func(m *Meta) *string { return &m.Summary })},
	{"keywords", texts(func(m *Meta) *[]string { return &m.Keywords })},
	{"images", texts(func(m *Meta) *[]string { return &m.Images })},
	{"slug", text(func(m *Meta) *string { return &m.Slug })},
	{"url", text(func(m *Meta) *string { return &m.URL })},
	{"translationKey", text(func(m *Meta) *string { return &m.TranslationKey })},
	{"date", date(func(m *Meta) *Date { return &m.Date })},
	{"lastmod", date(func(m *Meta) *Date { return &m.Lastmod })},
	{"publishDate", date(func(m *Meta) *Date { return &m.PublishDate })},
	{"expiryDate", date(func(m *Meta) *Date { return &m.ExpiryDate })},
	{"effective", func(m *Meta, v any) error { return m.Effective.setDay(v) }},
	{"changes", text(func(m *Meta) *string { return &m.Changes })},
	{"weight", whole(func(m *Meta) *int { return &m.Weight })},
	{"draft", boolean(func(m *Meta) *bool { return &m.Draft })},
	{"aliases", texts(func(m *Meta) *[]string { return &m.Aliases })},
	{"menus", setMenus},
	{"menu", setMenus},
	{"extends", func(m *Meta, v any) error { return m.Extends.set(v) }},
	{"remove", texts(func(m *Meta) *[]string { return &m.Remove })},
	{"toc", optBool(func(m *Meta) **bool { return &m.TOC })},
	{"numbered", optBool(func(m *Meta) **bool { return &m.Numbered })},
	{"reviewed", setReviewed},
	{"params", setParams},
})

func indexKeys(list []key) map[string]key {
	m := make(map[string]key, len(list))
	for _, k := range list {
		m[strings.ToLower(k.name)] = k
	}
	return m
}

// A mapping gives another tool's key the meaning of one of keys.
type mapping struct {
	tool string // for the documentation's table
	// set applies the value; it returns false when the page sets the
	// equivalent key itself or the value has no equivalent.
	set func(m *Meta, v any) (bool, error)
}

// mapped are the other tools' keys with an equivalent here, by
// lower-case name. Hugo's own date aliases (pubdate, published,
// modified, unpublishdate) are among them.
var mapped = map[string]mapping{
	"pubdate":       {"Hugo", ifUnset(func(m *Meta) bool { return m.PublishDate.IsZero() }, keys["publishdate"].set)},
	"modified":      {"Hugo", ifUnset(func(m *Meta) bool { return m.Lastmod.IsZero() }, keys["lastmod"].set)},
	"unpublishdate": {"Hugo", ifUnset(func(m *Meta) bool { return m.ExpiryDate.IsZero() }, keys["expirydate"].set)},
	// published is a date in Hugo and, as false, a draft in Jekyll.
	"published": {"Hugo, Jekyll", func(m *Meta, v any) (bool, error) {
		if b, ok := v.(bool); ok {
			m.Draft = m.Draft || !b
			return true, nil
		}
		if !m.PublishDate.IsZero() {
			return true, nil
		}
		return true, m.PublishDate.set(v)
	}},
	// A Docusaurus doc's id is the last segment of its URL unless a
	// slug says otherwise.
	"id": {"Docusaurus", func(m *Meta, v any) (bool, error) {
		id, err := asText(v)
		if err != nil || strings.ContainsAny(id, "/\\?#% ") || id == "" || id == "." || id == ".." {
			return false, nil
		}
		if m.Slug == "" && m.URL == "" {
			m.Slug = id
		}
		return true, nil
	}},
	"sidebar_label":    {"Docusaurus", ifUnset(func(m *Meta) bool { return m.LinkTitle == "" }, keys["linktitle"].set)},
	"sidebar_position": {"Docusaurus", sidebarPosition},
	"image":            {"Docusaurus", ifUnset(func(m *Meta) bool { return len(m.Images) == 0 }, keys["images"].set)},
	"hide_table_of_contents": {"Docusaurus", func(m *Meta, v any) (bool, error) {
		b, ok := v.(bool)
		if !ok {
			return false, fmt.Errorf("must be true or false, not %s", describe(v))
		}
		if m.TOC == nil {
			off := !b
			m.TOC = &off
		}
		return true, nil
	}},
	"permalink":     {"Jekyll", ifUnset(func(m *Meta) bool { return m.URL == "" }, keys["url"].set)},
	"redirect_from": {"Jekyll", ifUnset(func(m *Meta) bool { return len(m.Aliases) == 0 }, keys["aliases"].set)},
	"excerpt":       {"Jekyll", ifUnset(func(m *Meta) bool { return m.Summary == "" }, keys["summary"].set)},
	// MkDocs Material's hide: [toc] hides the table of contents; its
	// other values concern navigation policysite does not have.
	"hide": {"MkDocs", func(m *Meta, v any) (bool, error) {
		list, err := asTexts(v)
		if err != nil {
			return false, nil // not MkDocs' hide: an unknown key
		}
		if slices.Contains(list, "toc") && m.TOC == nil {
			off := false
			m.TOC = &off
		}
		return true, nil
	}},
}

// hugoIgnored are the page keys Hugo documents that have no meaning in
// policysite, by lower-case name.
var hugoIgnored = map[string]bool{
	"audio": true, "build": true, "cascade": true, "categories": true, "headless": true,
	"iscjklanguage": true, "layout": true, "markup": true, "outputs": true,
	"resources": true, "series": true, "sitemap": true, "tags": true, "type": true,
	"videos": true,
}

func ifUnset(unset func(*Meta) bool, set func(*Meta, any) error) func(*Meta, any) (bool, error) {
	return func(m *Meta, v any) (bool, error) {
		if !unset(m) {
			return true, nil
		}
		return true, set(m, v)
	}
}

// sidebarPosition orders pages as weight does when it is a whole
// number; Docusaurus also allows fractions, which have no equivalent.
func sidebarPosition(m *Meta, v any) (bool, error) {
	n, err := asInt(v)
	if err != nil {
		return false, nil
	}
	if m.Weight == 0 {
		m.Weight = n
	}
	return true, nil
}

// A problem is one front-matter key's error or warning, at a line
// counted from the start of the file.
type problem struct {
	line int
	err  error
	// kind and hint make the problem a warning (err is nil).
	kind, hint string
}

// applyEntries sets m from the front matter's entries and returns every
// problem found, in the order of the entries.
func applyEntries(entries []entry, m *Meta) []problem {
	var probs []problem
	seen := map[string]int{}
	var later []entry
	for _, e := range entries {
		lk := strings.ToLower(e.key)
		if prev, ok := seen[lk]; ok {
			probs = append(probs, problem{line: e.line, err: fmt.Errorf("%s is set twice (also on line %d); keep one", e.key, prev)})
			continue
		}
		seen[lk] = e.line
		if k, ok := keys[lk]; ok {
			if err := k.set(m, e.value); err != nil {
				probs = append(probs, problem{line: e.line, err: fmt.Errorf("%s: %w", e.key, err)})
			}
			continue
		}
		later = append(later, e)
	}
	// Other tools' keys come second, so that a page's own key wins
	// whichever comes first.
	for _, e := range later {
		lk := strings.ToLower(e.key)
		if mp, ok := mapped[lk]; ok {
			used, err := mp.set(m, e.value)
			if err != nil {
				probs = append(probs, problem{line: e.line, err: fmt.Errorf("%s: %w", e.key, err)})
			}
			if used || err != nil {
				continue
			}
		}
		switch {
		case hugoIgnored[lk]:
			probs = append(probs, problem{line: e.line, kind: fmt.Sprintf("front-matter key %s (Hugo) has no meaning in policysite", e.key), hint: "ignored"})
		case nearMiss(lk) != "":
			probs = append(probs, problem{line: e.line, err: fmt.Errorf("unknown key %s; did you mean %s? (put your own keys under params:)", e.key, nearMiss(lk))})
		default:
			probs = append(probs, problem{line: e.line, kind: "unknown front-matter key " + e.key, hint: "ignored"})
		}
	}
	return probs
}

// nearMiss returns the meaningful key that lk, an unknown lower-case
// key, is probably a misspelling of, or "". Keys of three letters or
// fewer are too close to too many words to guess.
func nearMiss(lk string) string {
	flat := strings.NewReplacer("_", "", "-", "", " ", "").Replace(lk)
	best, bestD := "", 3
	for name, k := range keys {
		if flat == name {
			return k.name
		}
		if utf8.RuneCountInString(lk) <= 3 {
			continue
		}
		limit := 1
		if len(name) >= 9 {
			limit = 2
		}
		if d := distance(flat, name); d <= limit && (d < bestD || d == bestD && k.name < best) {
			best, bestD = k.name, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent letters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func text(field func(*Meta) *string) func(*Meta, any) error {
	return func(m *Meta, v any) error {
		s, err := asText(v)
		*field(m) = s
		return err
	}
}

func texts(field func(*Meta) *[]string) func(*Meta, any) error {
	return func(m *Meta, v any) error {
		list, err := asTexts(v)
		*field(m) = list
		return err
	}
}

func date(field func(*Meta) *Date) func(*Meta, any) error {
	return func(m *Meta, v any) error { return field(m).set(v) }
}

func whole(field func(*Meta) *int) func(*Meta, any) error {
	return func(m *Meta, v any) error {
		n, err := asInt(v)
		*field(m) = n
		return err
	}
}

func boolean(field func(*Meta) *bool) func(*Meta, any) error {
	return func(m *Meta, v any) error {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("must be true or false, not %s", describe(v))
		}
		*field(m) = b
		return nil
	}
}

func optBool(field func(*Meta) **bool) func(*Meta, any) error {
	return func(m *Meta, v any) error {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("must be true or false, not %s", describe(v))
		}
		*field(m) = &b
		return nil
	}
}

func setReviewed(m *Meta, v any) error {
	mv, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("must map section IDs to digests, not %s; let policysite status --mark-reviewed write it", describe(v))
	}
	m.Reviewed = make(map[string]string, len(mv))
	for id, d := range mv {
		s, ok := d.(string)
		if !ok {
			return fmt.Errorf("%s: must be a digest written by policysite status --mark-reviewed, not %s", id, describe(d))
		}
		m.Reviewed[id] = s
	}
	return nil
}

func setParams(m *Meta, v any) error {
	mv, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("must be key: value pairs, not %s", describe(v))
	}
	m.Params = mv
	return nil
}

// menuKeys are the keys of a Hugo menu entry; those without a meaning
// here (identifier, pre, post, params, url, title) are accepted and
// ignored, since they only style or identify the entry.
var menuKeys = map[string]bool{"name": true, "parent": true, "weight": true,
	"identifier": true, "pre": true, "post": true, "params": true, "url": true, "title": true}

// setMenus reads Hugo's three forms of menu front matter: a menu name,
// a list of names, or a map from menu name to the entry's settings.
func setMenus(m *Meta, v any) error {
	switch v := v.(type) {
	case string:
		m.Menus = append(m.Menus, MenuEntry{Menu: v})
		return nil
	case []any:
		names, err := asTexts(v)
		for _, n := range names {
			m.Menus = append(m.Menus, MenuEntry{Menu: n})
		}
		return err
	case map[string]any:
		for _, name := range sortedKeys(v) {
			e := MenuEntry{Menu: name}
			switch s := v[name].(type) {
			case nil:
			case map[string]any:
				for _, k := range sortedKeys(s) {
					var err error
					switch strings.ToLower(k) {
					case "name":
						e.Name, err = asText(s[k])
					case "parent":
						e.Parent, err = asText(s[k])
					case "weight":
						e.Weight, err = asInt(s[k])
					default:
						if !menuKeys[strings.ToLower(k)] {
							err = fmt.Errorf("unknown key; a menu entry has name, parent and weight")
						}
					}
					if err != nil {
						return fmt.Errorf("%s.%s: %w", name, k, err)
					}
				}
			default:
				return fmt.Errorf("%s: must be the entry's name, parent and weight, not %s", name, describe(s))
			}
			m.Menus = append(m.Menus, e)
		}
		return nil
	}
	return fmt.Errorf("must be a menu name, a list of names or a map of menus, not %s", describe(v))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// asText accepts text, and numbers and true/false written where text
// was meant (title: 2024), as Hugo does.
func asText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v), nil
	}
	return "", fmt.Errorf("must be text, not %s", describe(v))
}

// asTexts accepts a list of texts, or one text as a list of one.
func asTexts(v any) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, 0, len(v))
		for i, x := range v {
			s, err := asText(x)
			if err != nil {
				return nil, fmt.Errorf("item %d %w", i+1, err)
			}
			out = append(out, s)
		}
		return out, nil
	case []string:
		return v, nil
	}
	s, err := asText(v)
	if err != nil {
		return nil, fmt.Errorf("must be a list of texts, not %s", describe(v))
	}
	return []string{s}, nil
}

func asInt(v any) (int, error) {
	switch v := v.(type) {
	case int:
		return v, nil
	case int64:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return int(v), nil
		}
	case uint64:
		if v <= math.MaxInt32 {
			return int(v), nil
		}
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= math.MaxInt32 {
			return int(v), nil
		}
	}
	return 0, fmt.Errorf("must be a whole number, not %s", describe(v))
}

// describe names a value in the user's terms, for messages. Text is
// quoted and cut at a character boundary.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "empty"
	case string:
		return quote(v)
	case bool:
		return fmt.Sprint(v)
	case int, int64, uint64:
		return fmt.Sprintf("the number %v", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case time.Time:
		return "a date"
	case []any, []string, []map[string]any:
		return "a list"
	case map[string]any:
		return "a map of keys"
	}
	return "a value of another kind"
}

// quote quotes s, cut to 40 characters (not bytes, so a multi-byte
// character is never split).
func quote(s string) string {
	const most = 40
	if utf8.RuneCountInString(s) > most {
		r := []rune(s)
		s = string(r[:most]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// cleanPath checks the path of a url, permalink or slug with a slash
// and returns it without leading or trailing slashes; dir is the
// folder of the file, against which a path without a leading slash is
// resolved, and locPath is the locale's default URL segment, dropped
// when the path starts with it (Hugo sites write url: /de/privacy/).
func cleanPath(key, raw, dir, locPath string) (string, error) {
	s := strings.TrimSpace(raw)
	if strings.Contains(s, "://") || strings.HasPrefix(s, "//") {
		return "", fmt.Errorf("%s %s must be a path such as /legal/imprint/, not a full URL; for a page elsewhere, link to it instead", key, quote(raw))
	}
	abs := strings.HasPrefix(s, "/")
	s = strings.Trim(s, "/")
	s = strings.TrimSuffix(s, ".html")
	s = strings.TrimSuffix(s, "/index")
	if s == "index" {
		s = ""
	}
	for _, seg := range strings.Split(s, "/") {
		if s == "" {
			break
		}
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\?#% \t") {
			return "", fmt.Errorf("%s %s must be a path of plain segments such as /legal/imprint/ (no empty, . or .. segments, no \\ ? # %% or spaces)", key, quote(raw))
		}
	}
	if abs {
		if first, rest, _ := strings.Cut(s, "/"); strings.EqualFold(first, locPath) {
			s = rest
		}
		return s, nil
	}
	return path.Join(dir, s), nil
}
