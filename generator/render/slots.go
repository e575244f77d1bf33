package render

import (
	"html/template"
	"strings"
	"sync"
)

// Slots marks the entries of a list whose URLs partialCached fills in
// for each page: {{partialCached NAME . VARIANTS... (slots .Switcher)}}
// executes NAME once for each distinct list of the other variants and
// of the entries' other fields, with a placeholder for each entry's URL,
// and each page puts its own URLs in. The partial must print those URLs
// as they are, in HTML text or an attribute value, and read nothing of
// them otherwise (no eq, no query strings, no scripts); a test renders
// the default theme both ways (TestPartialCachedMatchesDirect).
type Slots struct{ items []SwitchItem }

func slots(items []SwitchItem) Slots { return Slots{items} }

// A slotted is a partial's output with a gap for each URL.
type slotted struct {
	// parts are the text between the gaps; entry[i] is the entry whose
	// URL goes between parts[i] and parts[i+1].
	parts []string
	entry []int
	size  int
}

// slotList is the placeholder list letter of the switcher's URLs.
const slotList = 's'

// hasSlots reports whether variants mark d's switcher as slots.
func hasSlots(variants []any, d *Data) bool {
	for _, v := range variants {
		if s, ok := v.(Slots); ok {
			if len(s.items) == 0 || len(d.Switcher) == 0 || &s.items[0] != &d.Switcher[0] {
				return false
			}
			return true
		}
	}
	return false
}

// executeSlotted executes partial name of t for d with d.Switcher's URLs
// left as gaps, or reuses the output cached under key, and fills in d's
// URLs. It reports false when a URL is one that html/template's
// escapers would change, which the gaps cannot reproduce: the caller
// then executes the partial for d.
func executeSlotted(cache *sync.Map, ph placeholders, t *template.Template, key, name string, d *Data) (template.HTML, bool, error) {
	for _, e := range d.Switcher {
		if !plainURL(e.URL) {
			return "", false, nil
		}
	}
	v, ok := cache.Load(key)
	if !ok {
		dd := *d
		dd.Switcher = make([]SwitchItem, len(d.Switcher))
		for i, e := range d.Switcher {
			e.URL = ph.make(slotList, i)
			dd.Switcher[i] = e
		}
		out, err := executePartial(t, name, &dd)
		if err != nil {
			return "", false, err
		}
		parts, refs := ph.split(string(out), string(rune(slotList)))
		s := &slotted{parts: parts}
		for _, r := range refs {
			s.entry = append(s.entry, r.i)
		}
		for _, p := range parts {
			s.size += len(p)
		}
		v, _ = cache.LoadOrStore(key, s)
	}
	s := v.(*slotted)
	var b strings.Builder
	b.Grow(s.size + 64*len(s.entry))
	for i, p := range s.parts {
		b.WriteString(p)
		if i < len(s.entry) {
			b.WriteString(d.Switcher[s.entry[i]].URL)
		}
	}
	return templateOutput(b.String()), true, nil
}

// writeSlotsKey writes every field of the entries except their URLs.
func writeSlotsKey(b *strings.Builder, items []SwitchItem) {
	for _, it := range items {
		b.WriteByte(1)
		b.WriteString(it.Tag)
		b.WriteByte(2)
		b.WriteString(it.Region)
		b.WriteByte(2)
		b.WriteString(it.Language)
		b.WriteByte(2)
		b.WriteString(it.LangDir)
		if it.Current {
			b.WriteByte(3)
		}
	}
}

// plainURL reports whether html/template prints u unchanged in HTML text
// and in a URL attribute, so that a gap can stand for it.
func plainURL(u string) bool {
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("/._~%:#-", c) >= 0:
		default:
			return false
		}
	}
	// html/template's URL filter replaces a URL whose scheme is not
	// http, https or mailto.
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
	}
	return true
}
