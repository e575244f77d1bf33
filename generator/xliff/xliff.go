// Package xliff exchanges a site's untranslated and stale sections with
// translators as XLIFF, the format CAT tools (Weblate, Pontoon, Crowdin,
// Phrase, memoQ, Trados, OmegaT) read and write, and writes their
// translations back into the target locale's Markdown.
//
// One unit is one section of a page; one segment is one heading,
// paragraph, list item or table cell. Markdown syntax inside a segment
// (emphasis, links, inline code, raw HTML) travels as placeholders that
// translators move but cannot change, and the Markdown around the
// segments (list markers, table pipes, heading IDs, code blocks) never
// travels at all: an import rebuilds it from the source section, whose
// digest the file records, so a section whose source changed since the
// export is reported instead of imported.
package xliff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Versions of XLIFF this package writes and reads.
const (
	Version21 = "2.1"
	Version12 = "1.2"
)

// Namespaces of the versions.
const (
	ns2  = "urn:oasis:names:tc:xliff:document:2.0"
	ns12 = "urn:oasis:names:tc:xliff:document:1.2"
)

// Note categories that carry what an import needs. Tools keep notes;
// an import refuses a unit whose digest is gone.
const (
	noteDigest   = "policysite:source-digest"
	noteState    = "policysite:state"
	notePrevious = "policysite:previous-translation"
	noteFile     = "policysite:target-file"
	noteFrom     = "policysite:source-locale"
)

// MaxFileSize bounds the XLIFF files Read accepts.
const MaxFileSize = 32 << 20

// A Document is an XLIFF file: the sections of some pages of one
// target locale, translated from one source locale.
type Document struct {
	Source, Target string
	Pages          []Page
}

// A Page is the units of one page (an XLIFF <file>).
type Page struct {
	Key   string
	Units []Unit
}

// A Unit is one section to translate.
type Unit struct {
	// Section is the section's ID, or TitleUnit for the page title.
	Section string
	// Digest is the review digest of the source section the unit was
	// made from.
	Digest string
	// State is "missing" or "stale" (or "unreviewed").
	State string
	// Previous is the section's current translation, for stale units.
	Previous string
	// File is where an import will write the translation.
	File string
	// From is the locale whose text the unit was made from when it is
	// not the document's source: for a region's own section, the same
	// region's version in the source language (en-DE for de-DE).
	From     string
	Segments []Segment
}

// TitleUnit is the Section of the unit that holds a page's title.
const TitleUnit = "_title"

// ID returns the unit's XLIFF id: an NMTOKEN made of the page key and
// the section ID.
func (u Unit) id(page string) string {
	return nmtoken(page + ":" + u.Section)
}

// A Segment is one translatable block: its source pieces and, once
// translated, its target pieces.
type Segment struct {
	Source []Inline
	Target []Inline
	// Translated reports whether the file has a target for it.
	Translated bool
}

// An Inline is text or a placeholder. Code is the placeholder's id
// within the unit (c1, c2, …), Data the Markdown it stands for.
type Inline struct {
	Text  string
	Code  string
	Data  string
	Break bool
}

func nmtoken(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == '_' || r == '.' || r == ':' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && r != 0xfffd:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "_%x_", r)
		}
	}
	return b.String()
}

// notes returns the unit's notes that are set, as category and text, in
// the order both versions write them.
func (u Unit) notes() [][2]string {
	var out [][2]string
	for _, n := range [][2]string{{noteDigest, u.Digest}, {noteState, u.State}, {noteFile, u.File}, {noteFrom, u.From}, {notePrevious, u.Previous}} {
		if n[1] != "" {
			out = append(out, n)
		}
	}
	return out
}

// Write writes d as XLIFF of the given version.
func (d *Document) Write(w io.Writer, version string) error {
	var b bytes.Buffer
	switch version {
	case Version21, "":
		d.write2(&b)
	case Version12:
		d.write12(&b)
	default:
		return fmt.Errorf("XLIFF version %q: want %s or %s", version, Version21, Version12)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string { return strings.ReplaceAll(esc(s), `"`, "&quot;") }

// disp is how a placeholder shows in a CAT tool: the Markdown it
// stands for, shortened.
func disp(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	if utf8.RuneCountInString(code) > 40 {
		r := []rune(code)
		code = string(r[:39]) + "…"
	}
	return code
}

func (d *Document) write2(b *bytes.Buffer) {
	fmt.Fprintf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"%s\" version=\"2.1\" srcLang=\"%s\" trgLang=\"%s\">\n", ns2, attr(d.Source), attr(d.Target))
	for fi, p := range d.Pages {
		fmt.Fprintf(b, "  <file id=\"f%d\" original=\"%s\">\n", fi+1, attr(p.Key))
		for _, u := range p.Units {
			fmt.Fprintf(b, "    <unit id=\"%s\" name=\"%s\" xml:space=\"preserve\">\n", u.id(p.Key), attr(p.Key+"#"+u.Section))
			b.WriteString("      <notes>\n")
			for _, n := range u.notes() {
				fmt.Fprintf(b, "        <note category=\"%s\">%s</note>\n", n[0], esc(n[1]))
			}
			b.WriteString("      </notes>\n")
			var data []string
			for _, s := range u.Segments {
				for _, in := range s.Source {
					if in.Code != "" {
						data = append(data, fmt.Sprintf("        <data id=\"d%s\">%s</data>\n", in.Code[1:], esc(in.Data)))
					}
				}
			}
			if len(data) > 0 {
				b.WriteString("      <originalData>\n")
				for _, l := range data {
					b.WriteString(l)
				}
				b.WriteString("      </originalData>\n")
			}
			for si, s := range u.Segments {
				fmt.Fprintf(b, "      <segment id=\"s%d\">\n        <source>", si+1)
				write2Inline(b, s.Source)
				b.WriteString("</source>\n")
				if s.Translated {
					b.WriteString("        <target>")
					write2Inline(b, s.Target)
					b.WriteString("</target>\n")
				}
				b.WriteString("      </segment>\n")
			}
			b.WriteString("    </unit>\n")
		}
		b.WriteString("  </file>\n")
	}
	b.WriteString("</xliff>\n")
}

func write2Inline(b *bytes.Buffer, ins []Inline) {
	for _, in := range ins {
		switch {
		case in.Code == "":
			b.WriteString(esc(in.Text))
		case in.Break:
			fmt.Fprintf(b, "<ph id=\"%s\" dataRef=\"d%s\" type=\"fmt\" subType=\"xlf:lb\" disp=\"↵\"/>", in.Code[1:], in.Code[1:])
		default:
			fmt.Fprintf(b, "<ph id=\"%s\" dataRef=\"d%s\" canDelete=\"no\" disp=\"%s\"/>", in.Code[1:], in.Code[1:], attr(disp(in.Data)))
		}
	}
}

func (d *Document) write12(b *bytes.Buffer) {
	fmt.Fprintf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"%s\" version=\"1.2\">\n", ns12)
	for _, p := range d.Pages {
		fmt.Fprintf(b, "  <file original=\"%s\" source-language=\"%s\" target-language=\"%s\" datatype=\"x-policysite-markdown\">\n    <body>\n",
			attr(p.Key), attr(d.Source), attr(d.Target))
		for _, u := range p.Units {
			id := u.id(p.Key)
			fmt.Fprintf(b, "      <group id=\"%s\" resname=\"%s\" xml:space=\"preserve\">\n", id, attr(p.Key+"#"+u.Section))
			for _, n := range u.notes() {
				fmt.Fprintf(b, "        <note from=\"%s\">%s</note>\n", n[0], esc(n[1]))
			}
			for si, s := range u.Segments {
				fmt.Fprintf(b, "        <trans-unit id=\"%s.s%d\">\n          <source>", id, si+1)
				write12Inline(b, s.Source)
				b.WriteString("</source>\n")
				if s.Translated {
					b.WriteString("          <target>")
					write12Inline(b, s.Target)
					b.WriteString("</target>\n")
				}
				b.WriteString("        </trans-unit>\n")
			}
			b.WriteString("      </group>\n")
		}
		b.WriteString("    </body>\n  </file>\n")
	}
	b.WriteString("</xliff>\n")
}

func write12Inline(b *bytes.Buffer, ins []Inline) {
	for _, in := range ins {
		switch {
		case in.Code == "":
			b.WriteString(esc(in.Text))
		case in.Break:
			fmt.Fprintf(b, "<x id=\"%s\" ctype=\"lb\" equiv-text=\" \"/>", in.Code[1:])
		default:
			fmt.Fprintf(b, "<x id=\"%s\" ctype=\"x-markdown\" equiv-text=\"%s\"/>", in.Code[1:], attr(disp(in.Data)))
		}
	}
}

// Read parses an XLIFF 2.x or 1.2 file written by Write and translated
// by a CAT tool. It refuses document type declarations, so no entity is
// ever expanded and no external resource is read, and files larger than
// MaxFileSize.
func Read(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MB; split the export by page", MaxFileSize>>20)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	p := &reader{dec: dec}
	doc, err := p.document()
	if err != nil {
		line, _ := dec.InputPos()
		return nil, fmt.Errorf("line %d: %w", line, err)
	}
	return doc, nil
}

type reader struct {
	dec *xml.Decoder
	doc *Document
	v2  bool
	// page and unit being read
	page *Page
	unit *Unit
}

func (p *reader) token() (xml.Token, error) {
	t, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := t.(xml.Directive); ok && bytes.HasPrefix(bytes.TrimSpace(d), []byte("DOCTYPE")) {
		return nil, errors.New("a document type declaration (<!DOCTYPE …>) is not allowed in XLIFF: it could define entities")
	}
	return t, nil
}

func attrOf(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name && (a.Name.Space == "" || a.Name.Space == e.Name.Space) {
			return a.Value
		}
	}
	return ""
}

func (p *reader) document() (*Document, error) {
	p.doc = &Document{}
	var units1 map[string]*Unit // 1.2: group id → unit
	for {
		t, err := p.token()
		if err == io.EOF {
			if p.doc.Target == "" {
				return nil, errors.New("no <xliff> element with a target language")
			}
			return p.doc, nil
		}
		if err != nil {
			return nil, err
		}
		e, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "xliff":
			switch e.Name.Space {
			case ns2:
				p.v2 = true
				p.doc.Source, p.doc.Target = attrOf(e, "srcLang"), attrOf(e, "trgLang")
			case ns12:
			default:
				return nil, fmt.Errorf("not XLIFF 2 or 1.2 (namespace %q)", e.Name.Space)
			}
		case "file":
			if !p.v2 {
				p.doc.Source, p.doc.Target = attrOf(e, "source-language"), attrOf(e, "target-language")
			}
			p.doc.Pages = append(p.doc.Pages, Page{Key: attrOf(e, "original")})
			p.page = &p.doc.Pages[len(p.doc.Pages)-1]
			units1 = map[string]*Unit{}
		case "unit", "group":
			if p.page == nil {
				return nil, fmt.Errorf("<%s> outside <file>", e.Name.Local)
			}
			name := attrOf(e, "name")
			if !p.v2 {
				name = attrOf(e, "resname")
			}
			_, sec, ok := strings.Cut(name, "#")
			if !ok {
				return nil, fmt.Errorf("%s %q has no name page#section (was it written by policysite xliff export?)", e.Name.Local, attrOf(e, "id"))
			}
			p.page.Units = append(p.page.Units, Unit{Section: sec})
			p.unit = &p.page.Units[len(p.page.Units)-1]
			units1[attrOf(e, "id")] = p.unit
		case "note":
			if p.unit == nil {
				continue
			}
			cat := attrOf(e, "category")
			if !p.v2 {
				cat = attrOf(e, "from")
			}
			var text string
			if err := p.dec.DecodeElement(&text, &e); err != nil {
				return nil, err
			}
			switch cat {
			case noteDigest:
				p.unit.Digest = strings.TrimSpace(text)
			case noteState:
				p.unit.State = text
			case noteFile:
				p.unit.File = text
			case noteFrom:
				p.unit.From = strings.TrimSpace(text)
			case notePrevious:
				p.unit.Previous = text
			}
		case "segment", "trans-unit":
			if p.unit == nil {
				return nil, fmt.Errorf("<%s> outside a unit", e.Name.Local)
			}
			p.unit.Segments = append(p.unit.Segments, Segment{})
		case "source", "target":
			if p.unit == nil || len(p.unit.Segments) == 0 {
				return nil, fmt.Errorf("<%s> outside a segment", e.Name.Local)
			}
			ins, err := p.inline(e.Name.Local)
			if err != nil {
				return nil, err
			}
			s := &p.unit.Segments[len(p.unit.Segments)-1]
			if e.Name.Local == "source" {
				s.Source = ins
			} else {
				s.Target, s.Translated = ins, true
			}
		}
	}
}

// inline reads mixed content up to the end of element name: text, and
// placeholders (<ph>, <x>) by id. Other inline markup a tool may add
// (<mrk> for comments or terms, <pc>) is read through to its text.
func (p *reader) inline(name string) ([]Inline, error) {
	var out []Inline
	depth := 0
	for {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.CharData:
			if n := len(out); n > 0 && out[n-1].Code == "" {
				out[n-1].Text += string(t)
			} else {
				out = append(out, Inline{Text: string(t)})
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "ph", "x":
				id := attrOf(t, "id")
				if id == "" {
					return nil, fmt.Errorf("<%s> without an id", t.Name.Local)
				}
				out = append(out, Inline{Code: "c" + id, Break: attrOf(t, "subType") == "xlf:lb" || attrOf(t, "ctype") == "lb"})
				if err := p.dec.Skip(); err != nil {
					return nil, err
				}
			case "cp":
				v, err := strconv.ParseUint(attrOf(t, "hex"), 16, 32)
				if err != nil {
					return nil, fmt.Errorf("<cp hex=%q>: %v", attrOf(t, "hex"), err)
				}
				out = append(out, Inline{Text: string(rune(v))})
				if err := p.dec.Skip(); err != nil {
					return nil, err
				}
			default:
				depth++
			}
		case xml.EndElement:
			if depth == 0 && t.Name.Local == name {
				return out, nil
			}
			depth--
		}
	}
}
