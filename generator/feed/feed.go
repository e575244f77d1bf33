// Package feed writes Atom 1.0 feeds (RFC 4287), for the feed of
// policy changes each locale publishes.
package feed

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"time"
)

// A Feed is one Atom feed. Every URL is absolute.
type Feed struct {
	// ID is the feed's permanent identifier: its own URL.
	ID    string
	Title string
	// Lang is the feed's language (xml:lang), a BCP 47 tag.
	Lang string
	// Self is the feed's URL, Alternate the page it is the feed of.
	Self, Alternate string
	// Author names who publishes the feed: the site.
	Author  string
	Entries []Entry
}

// An Entry is one entry of a feed.
type Entry struct {
	ID, Title string
	// Updated is when the entry's subject changed: a version's
	// effective date, so that the feed is the same in every build.
	Updated time.Time
	// Summary is plain text, or "" for none.
	Summary string
	Link    string
}

// Atom returns f as an Atom document: entries newest first, then by
// ID; the feed's updated is its newest entry's (or the Unix epoch for
// a feed without entries, so that the output never depends on the
// clock).
func Atom(f Feed) []byte {
	entries := slices.Clone(f.Entries)
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	updated := time.Unix(0, 0)
	if len(entries) > 0 {
		updated = entries[0].Updated
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"`)
	if f.Lang != "" {
		b.WriteString(` xml:lang="`)
		esc(&b, f.Lang)
		b.WriteString(`"`)
	}
	b.WriteString(">\n")
	elem(&b, "  ", "id", f.ID)
	elem(&b, "  ", "title", f.Title)
	elem(&b, "  ", "updated", stamp(updated))
	link(&b, "  ", "self", "application/atom+xml", f.Self)
	if f.Alternate != "" {
		link(&b, "  ", "alternate", "text/html", f.Alternate)
	}
	b.WriteString("  <author>\n")
	elem(&b, "    ", "name", f.Author)
	b.WriteString("  </author>\n")
	for _, e := range entries {
		b.WriteString("  <entry>\n")
		elem(&b, "    ", "id", e.ID)
		elem(&b, "    ", "title", e.Title)
		elem(&b, "    ", "updated", stamp(e.Updated))
		link(&b, "    ", "alternate", "text/html", e.Link)
		if e.Summary != "" {
			elem(&b, "    ", "summary", e.Summary)
		}
		b.WriteString("  </entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

// stamp writes t as an RFC 3339 date-time in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func elem(b *bytes.Buffer, indent, name, text string) {
	b.WriteString(indent + "<" + name + ">")
	esc(b, text)
	b.WriteString("</" + name + ">\n")
}

func link(b *bytes.Buffer, indent, rel, typ, href string) {
	b.WriteString(indent + `<link rel="` + rel + `" type="` + typ + `" href="`)
	esc(b, href)
	b.WriteString("\"/>\n")
}

// esc writes s escaped for XML text and attribute values.
func esc(b *bytes.Buffer, s string) { _ = xml.EscapeText(b, []byte(s)) }
