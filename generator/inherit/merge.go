package inherit

import (
	"bytes"
	"fmt"
	"slices"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/markdown"
)

// A section is a heading and everything up to the next heading of the
// same or a higher level.
type section struct {
	markdown.Heading
	start, end int
}

func sectionsOf(body []byte, outline []markdown.Heading) []section {
	out := make([]section, len(outline))
	for i, h := range outline {
		end := len(body)
		for _, n := range outline[i+1:] {
			if n.Level <= h.Level {
				end = n.Offset
				break
			}
		}
		out[i] = section{Heading: h, start: h.Offset, end: end}
	}
	return out
}

// An edit replaces base[start:end] with text from the override file;
// start == end inserts.
type edit struct {
	start, end int
	insert     bool
	from, to   int // range of the override body; from == to removes
	order      int
}

// merge applies the section override f to base. The syntax:
//
//   - "## Title {#id}" replaces base section #id;
//   - "## Title {#new after=\"id\"}" (or before=) inserts a section;
//   - front matter "remove: [id, …]" removes sections;
//   - text before the first heading replaces the base's introduction.
//
// baseOutline is the outline of base.Body. An ID the base does not have
// is an error naming the file and line.
func merge(base *Doc, baseOutline []markdown.Heading, f *content.File) (*Doc, error) {
	baseSecs := sectionsOf(base.Body, baseOutline)
	byID := map[string]section{}
	for _, s := range baseSecs {
		if s.ID != "" {
			if _, dup := byID[s.ID]; !dup {
				byID[s.ID] = s
			}
		}
	}
	var edits []edit
	var errs diag.List
	line := func(off int) int { return f.Line(off) }

	// The introduction: text before the first heading.
	introEnd := len(f.Body)
	if o := f.Outline(); len(o) > 0 {
		introEnd = o[0].Offset
	}
	if len(bytes.TrimSpace(f.Body[:introEnd])) > 0 {
		baseIntroEnd := len(base.Body)
		if len(baseSecs) > 0 {
			baseIntroEnd = baseSecs[0].start
		}
		edits = append(edits, edit{start: 0, end: baseIntroEnd, from: 0, to: introEnd})
	}

	// Top-level operations: headings not nested inside the previous one.
	var ops []section
	for _, s := range sectionsOf(f.Body, f.Outline()) {
		if n := len(ops); n > 0 && s.start < ops[n-1].end {
			continue
		}
		ops = append(ops, s)
	}
	for i, op := range ops {
		anchor, pos := op.After, "after"
		if op.Before != "" {
			anchor, pos = op.Before, "before"
		}
		switch {
		case op.After != "" && op.Before != "":
			errs.Add(diag.Errorf(f.Path, line(op.start), "section #%s has both after= and before=; keep one", op.ID))
		case anchor != "":
			a, ok := byID[anchor]
			if !ok {
				errs.Add(diag.Errorf(f.Path, line(op.start), "section #%s is inserted %s #%s, but the base (%s) has no section #%s; use one of: %s", op.ID, pos, anchor, base.File.Path, anchor, idList(baseSecs)))
				continue
			}
			if _, exists := byID[op.ID]; exists {
				errs.Add(diag.Errorf(f.Path, line(op.start), "section #%s is inserted, but the base already has #%s; to replace it, remove %s=%q", op.ID, op.ID, pos, anchor))
				continue
			}
			at := a.end
			if pos == "before" {
				at = a.start
			}
			edits = append(edits, edit{start: at, end: at, insert: true, from: op.start, to: op.end, order: i})
		default:
			b, ok := byID[op.ID]
			if !ok {
				errs.Add(diag.Errorf(f.Path, line(op.start), "section #%s is not in the base (%s), so it cannot replace anything; fix the ID (the base has: %s) or insert it with {#%s after=\"ID\"}", op.ID, base.File.Path, idList(baseSecs), op.ID))
				continue
			}
			edits = append(edits, edit{start: b.start, end: b.end, from: op.start, to: op.end, order: i})
		}
	}
	for _, id := range f.Meta.Remove {
		b, ok := byID[id]
		if !ok {
			errs.Add(diag.Errorf(f.Path, removeLine(f, id), "remove: the base (%s) has no section #%s; the base has: %s", base.File.Path, id, idList(baseSecs)))
			continue
		}
		edits = append(edits, edit{start: b.start, end: b.end, order: len(ops)})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	// Insertions at a point go before a replacement that starts there,
	// so "after X" lands before the (possibly replaced) next section.
	slices.SortStableFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.insert != b.insert {
			if a.insert {
				return -1
			}
			return 1
		}
		return a.order - b.order
	})
	lastEnd := 0
	for _, e := range edits {
		if e.start < lastEnd {
			return nil, diag.Errorf(f.Path, line(e.from), "this change falls inside a base section that is already replaced or removed (for example replacing a section and also one of its sub-sections); change the section once")
		}
		if !e.insert {
			lastEnd = e.end
		}
	}

	var b builder
	// The result is at most both texts plus a newline per piece; growing
	// once avoids doubling slack kept alive for the whole build.
	b.buf.Grow(len(base.Body) + len(f.Body) + 2*len(edits) + 2)
	pos := 0
	for _, e := range edits {
		b.appendRange(base, pos, e.start)
		if e.to > e.from {
			b.add(f.Body[e.from:e.to], f, e.from)
		}
		pos = max(pos, e.end)
	}
	b.appendRange(base, pos, len(base.Body))

	meta := mergeMeta(base.Meta, f.Meta)
	files := append([]*content.File{f}, base.Files...)
	return &Doc{Meta: meta, Body: b.buf.Bytes(), Chunks: b.chunks, Files: files, File: f}, nil
}

// removeLine finds the front-matter line that names id in remove:.
func removeLine(f *content.File, id string) int {
	for i, l := range bytes.Split(f.Head, []byte("\n")) {
		if bytes.Contains(l, []byte(id)) {
			return i + 1
		}
	}
	return 1
}

func idList(secs []section) string {
	var b bytes.Buffer
	for i, s := range secs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "#%s", s.ID)
		if i == 11 && len(secs) > 12 {
			fmt.Fprintf(&b, " and %d more", len(secs)-12)
			break
		}
	}
	return b.String()
}

// mergeMeta overlays the override's front matter on the base's. Keys
// that only steer the merge are not inherited.
func mergeMeta(base, over content.Meta) content.Meta {
	m := base
	if over.Title != "" {
		m.Title, m.TitleFrom = over.Title, over.TitleFrom
	}
	for _, f := range []struct{ to, from *string }{
		{&m.LinkTitle, &over.LinkTitle}, {&m.Description, &over.Description},
		{&m.Summary, &over.Summary}, {&m.Slug, &over.Slug}, {&m.URL, &over.URL},
	} {
		if *f.from != "" {
			*f.to = *f.from
		}
	}
	if over.Keywords != nil {
		m.Keywords = over.Keywords
	}
	if over.Images != nil {
		m.Images = over.Images
	}
	if over.Menus != nil {
		m.Menus = over.Menus
	}
	for _, d := range []struct{ to, from *content.Date }{
		{&m.Date, &over.Date}, {&m.Lastmod, &over.Lastmod},
		{&m.PublishDate, &over.PublishDate}, {&m.ExpiryDate, &over.ExpiryDate},
	} {
		if !d.from.IsZero() {
			*d.to = *d.from
		}
	}
	// The merged text changed when either part last did, so its
	// effective date is the later of the two, and its summary of
	// changes is that version's.
	switch {
	case over.Effective.After(base.Effective.Time):
		m.Effective, m.Changes = over.Effective, over.Changes
	case over.Effective.Equal(base.Effective.Time) && over.Changes != "":
		m.Changes = over.Changes
	}
	if over.Weight != 0 {
		m.Weight = over.Weight
	}
	if over.TOC != nil {
		m.TOC = over.TOC
	}
	if over.Numbered != nil {
		m.Numbered = over.Numbered
	}
	m.TranslationKey = over.TranslationKey
	m.Aliases = over.Aliases
	m.Draft = over.Draft
	m.Extends = over.Extends
	m.Remove = over.Remove
	m.Reviewed = over.Reviewed
	if over.Params != nil {
		m.Params = over.Params
	}
	return m
}
