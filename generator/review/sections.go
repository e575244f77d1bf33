package review

import (
	"bytes"
	"fmt"

	"policysite/generator/content"
)

// A Section is one section of the page a locale shows, with the file
// and offset its text comes from, for tools that rewrite translations
// (package xliff).
type Section struct {
	ID     string
	Title  string
	Level  int
	Digest string
	// Text is the section's Markdown, with LF line ends: its heading
	// line and its own text, up to the next heading.
	Text string
	// File holds the text, at byte Offset of File.Body. A section a
	// region inherits from its base is in the base's file.
	File   *content.File
	Offset int
}

// Sections returns the sections of the page key as locale tag shows it,
// the page's title and state (one of the State constants), and the
// locale whose text readers see. A missing page has no sections.
func (r *Reviewer) Sections(tag, key string) (secs []Section, title, state, shows string, err error) {
	if err := r.checkLocale(tag); err != nil {
		return nil, "", "", "", err
	}
	loc := r.locate(tag, key)
	if loc.doc == nil {
		return nil, "", loc.state, "", nil
	}
	a := r.analysisOf(loc.doc)
	for _, s := range a.Sections {
		f, off := chunkOffset(loc.doc.Chunks, loc.doc.File, s.Start)
		sec := Section{ID: s.ID, Title: s.Title, Level: s.Level, Digest: s.Digest, Text: string(a.Body[s.Start:s.End]), File: f, Offset: off}
		if f == nil || off+len(sec.Text) > len(f.Body) || !bytes.Equal(f.Body[off:off+len(sec.Text)], a.Body[s.Start:s.End]) {
			return nil, "", "", "", fmt.Errorf("%s: section #%s of page %q does not map back to one file", tag, s.ID, key)
		}
		secs = append(secs, sec)
	}
	return secs, a.Title, loc.state, loc.shows, nil
}
