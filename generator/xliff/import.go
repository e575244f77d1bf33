package xliff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/parser"
	"gopkg.in/yaml.v2"

	"policysite/generator"
	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/review"
)

// ImportResult says what Import did.
type ImportResult struct {
	// Files lists the files written, sorted.
	Files []string
	// Imported counts the units written.
	Imported int
	// Untranslated counts units with no target at all, left alone.
	Untranslated int
	// Skipped lists units that were not imported because their source
	// changed since the export; export them again.
	Skipped []string
}

// A unitError names the unit a problem is in.
func unitError(page string, u Unit, format string, args ...any) error {
	return fmt.Errorf("unit %s#%s: %s", page, u.Section, fmt.Sprintf(format, args...))
}

// Import writes the translations of doc into the target locale's
// Markdown and records each imported section as reviewed against the
// source digest the unit was made from. It writes every file or none:
// any error leaves the site unchanged. Units whose source changed since
// the export are skipped and listed in the result.
func Import(ctx context.Context, site *generator.Site, rv *review.Reviewer, doc *Document) (*ImportResult, error) {
	res := &ImportResult{}
	if site.Locales.Get(doc.Target) == nil || site.Locales.Get(doc.Source) == nil {
		return nil, fmt.Errorf("the file translates %s into %s; the site has no such locale", doc.Source, doc.Target)
	}
	im := &importer{site: site, rv: rv, doc: doc, p: newSegmenter(), files: map[string]*fileEdit{}}
	var errs diag.List
	for _, page := range doc.Pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		errs.Add(im.page(ctx, page, res))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for path, fe := range im.files {
		data, err := fe.render()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// The result must still be a page policysite reads.
		if _, err := content.Parse(path, fe.tag, fe.rel, data, site.Markdown); err != nil {
			return nil, fmt.Errorf("the import would make %s unreadable, so nothing was written: %w", path, err)
		}
		if bytes.Equal(data, fe.orig) && fe.exists {
			continue
		}
		out[path] = data
	}
	if err := writeAll(out); err != nil {
		return nil, err
	}
	for p := range out {
		res.Files = append(res.Files, p)
	}
	slices.Sort(res.Files)
	return res, nil
}

type importer struct {
	site  *generator.Site
	rv    *review.Reviewer
	doc   *Document
	p     parser.Parser
	files map[string]*fileEdit
}

func (im *importer) page(ctx context.Context, page Page, res *ImportResult) error {
	src, _, _, _, err := im.rv.Sections(im.doc.Source, page.Key)
	if err != nil {
		return err
	}
	if src == nil {
		return fmt.Errorf("page %q: the source locale %s has no such page any more", page.Key, im.doc.Source)
	}
	bySection := map[string]review.Section{}
	for _, s := range src {
		bySection[s.ID] = s
	}
	var errs diag.List
	type ready struct {
		u    Unit
		src  review.Section
		text string
	}
	var units []ready
	title := ""
	for _, u := range page.Units {
		translated := 0
		for _, s := range u.Segments {
			if s.Translated && !emptyTarget(s.Target) {
				translated++
			}
		}
		switch {
		case translated == 0:
			res.Untranslated++
			continue
		case translated < len(u.Segments):
			errs.Add(unitError(page.Key, u, "%d of %d segments are translated; translate all of them or none", translated, len(u.Segments)))
			continue
		case u.Digest == "":
			errs.Add(unitError(page.Key, u, "has no %s note; the tool that wrote the file dropped it, so what it translates is unknown: export again and keep the notes", noteDigest))
			continue
		}
		if u.Section == TitleUnit {
			t, err := plainTarget(u.Segments[0].Target)
			if err != nil {
				errs.Add(unitError(page.Key, u, "%v", err))
			}
			title = t
			continue
		}
		s, ok := bySection[u.Section]
		if u.From != "" {
			s, ok = im.section(u.From, page.Key, u.Section)
		}
		if !ok || s.Digest != u.Digest {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s#%s: the source section changed since the export; export it again", page.Key, u.Section))
			continue
		}
		text, err := im.translate(page.Key, u, s)
		if err != nil {
			errs.Add(err)
			continue
		}
		units = append(units, ready{u, s, text})
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if len(units) == 0 {
		return nil
	}
	tgt, _, _, shows, err := im.rv.Sections(im.doc.Target, page.Key)
	if err != nil {
		return err
	}
	sameLanguage := shows != "" && sameLang(shows, im.doc.Target)
	if tgt == nil || !sameLanguage {
		// No text in the target's language: a new page, whole.
		if len(units) != len(src) || title == "" {
			return fmt.Errorf("page %q: %s has no page of its own, so the import creates it and needs its title and all %d sections translated; the file has %d (export the page again)", page.Key, im.doc.Target, len(src), len(units))
		}
		var body strings.Builder
		for _, r := range units {
			body.WriteString(withID(r.text, r.src, ""))
			if !strings.HasSuffix(body.String(), "\n\n") {
				body.WriteString("\n")
			}
		}
		fe, err := im.newFile(page.Key, src[0].File, false, title)
		if err != nil {
			return err
		}
		fe.body = []byte(strings.TrimRight(body.String(), "\n") + "\n")
		for _, r := range units {
			fe.reviewed[r.u.Section] = r.u.Digest
			fe.order = append(fe.order, r.u.Section)
		}
		res.Imported += len(units)
		return nil
	}
	diff, err := im.rv.Diff(ctx, im.doc.Source, im.doc.Target, []string{page.Key})
	if err != nil {
		return err
	}
	rows := diff.Pages[0].Sections
	tgtByID := map[string]review.Section{}
	for _, s := range tgt {
		tgtByID[s.ID] = s
	}
	for _, r := range units {
		i := slices.IndexFunc(rows, func(sd review.SectionDiff) bool {
			if reg := sd.Regional; r.u.From != "" && reg != nil && reg.Counterpart != nil {
				return reg.Counterpart.Locale == r.u.From && reg.Counterpart.ID == r.u.Section
			}
			return sd.Source != nil && sd.Source.ID == r.u.Section
		})
		if i < 0 {
			return unitError(page.Key, r.u, "the section is no longer compared with the target; export again")
		}
		sd := rows[i]
		if sd.Target != nil {
			ts, ok := tgtByID[sd.Target.ID]
			if !ok || !sameLang(ts.File.Locale, im.doc.Target) {
				return unitError(page.Key, r.u, "the target's text of this section is not in its language; export again")
			}
			fe, err := im.edit(ts.File)
			if err != nil {
				return err
			}
			fe.replace(ts.Offset, len(ts.Text), withID(r.text, r.src, ""))
			fe.reviewed[r.u.Section] = r.u.Digest
			res.Imported++
			continue
		}
		// A section the target lacks goes after the one before it.
		prev := ""
		for j := i - 1; j >= 0; j-- {
			if rows[j].Target != nil {
				prev = rows[j].Target.ID
				break
			}
		}
		own := im.site.Tree.Get(im.doc.Target, page.Key)
		if own != nil && own.Meta.Extends == "" && prev != "" {
			ps := tgtByID[prev]
			if ps.File == own {
				fe, err := im.edit(own)
				if err != nil {
					return err
				}
				fe.insert(ps.Offset+len(ps.Text), ensureBlank(withID(r.text, r.src, "")))
				fe.reviewed[r.u.Section] = r.u.Digest
				res.Imported++
				continue
			}
		}
		// Otherwise the target inherits the page: an override section
		// in the target's own file, placed after its predecessor.
		var fe *fileEdit
		if own != nil {
			fe, err = im.edit(own)
		} else {
			fe, err = im.newFile(page.Key, src[0].File, true, "")
		}
		if err != nil {
			return err
		}
		place := ""
		if prev != "" {
			place = fmt.Sprintf(" after=%q", prev)
		} else if len(tgt) > 0 {
			place = fmt.Sprintf(" before=%q", tgt[0].ID)
		}
		fe.appendText(ensureBlank(withID(r.text, r.src, place)))
		fe.reviewed[r.u.Section] = r.u.Digest
		res.Imported++
	}
	return nil
}

// section returns section id of page as locale tag shows it.
func (im *importer) section(tag, page, id string) (review.Section, bool) {
	secs, _, _, _, err := im.rv.Sections(tag, page)
	if err != nil {
		return review.Section{}, false
	}
	for _, s := range secs {
		if s.ID == id {
			return s, true
		}
	}
	return review.Section{}, false
}

func emptyTarget(ins []Inline) bool {
	for _, in := range ins {
		if in.Code != "" || strings.TrimSpace(in.Text) != "" {
			return false
		}
	}
	return true
}

func sameLang(a, b string) bool {
	la, _, _ := strings.Cut(a, "-")
	lb, _, _ := strings.Cut(b, "-")
	return strings.EqualFold(la, lb)
}

// translate rebuilds a source section with the unit's translations. The
// unit must have been made from exactly this text: its digest matches,
// and each segment's source text is the text of the same span.
func (im *importer) translate(page string, u Unit, s review.Section) (string, error) {
	spans := segment(im.p, []byte(s.Text))
	if len(spans) != len(u.Segments) {
		return "", unitError(page, u, "has %d segments; the source section has %d: export again", len(u.Segments), len(spans))
	}
	out := make([]*string, len(spans))
	for i, sp := range spans {
		seg := u.Segments[i]
		codes := map[string]piece{}
		var want strings.Builder
		for _, pc := range sp.Pieces {
			if !pc.isCode() {
				want.WriteString(pc.Text)
			}
		}
		var have strings.Builder
		for _, in := range seg.Source {
			if in.Code == "" {
				have.WriteString(in.Text)
			}
		}
		if have.String() != want.String() {
			return "", unitError(page, u, "segment %d's source is not the section's text any more: export again", i+1)
		}
		// The codes of a segment are numbered in order through the unit;
		// find this segment's.
		k := 0
		for _, in := range seg.Source {
			if in.Code != "" {
				for k < len(sp.Pieces) && !sp.Pieces[k].isCode() {
					k++
				}
				if k < len(sp.Pieces) {
					codes[in.Code] = sp.Pieces[k]
					k++
				}
			}
		}
		t, err := targetText(seg.Target, codes, sp, i == 0 && s.Level > 0)
		if err != nil {
			return "", unitError(page, u, "segment %d: %v", i+1, err)
		}
		if t != sp.source() {
			out[i] = &t
		}
	}
	return string(rebuild([]byte(s.Text), spans, out)), nil
}

// targetText turns a translated segment into Markdown: its text made
// safe, each placeholder replaced by the Markdown it stands for. Every
// placeholder but line breaks must be used exactly once.
func targetText(target []Inline, codes map[string]piece, sp span, heading bool) (string, error) {
	used := map[string]int{}
	var b strings.Builder
	for _, in := range target {
		if in.Code == "" {
			b.WriteString(safeText(in.Text, heading))
			continue
		}
		pc, ok := codes[in.Code]
		if !ok {
			return "", fmt.Errorf("placeholder %s is not one of the source's", in.Code[1:])
		}
		used[in.Code]++
		b.WriteString(pc.Code)
	}
	for id, pc := range codes {
		switch {
		case pc.Break:
		case used[id] == 0:
			return "", fmt.Errorf("placeholder %s (%s) is missing; keep every placeholder", id[1:], disp(pc.Code))
		case used[id] > 1:
			return "", fmt.Errorf("placeholder %s (%s) is used %d times; use it once", id[1:], disp(pc.Code), used[id])
		}
	}
	out := b.String()
	// Markdown that starts a block (a heading, a list, a quote) at the
	// start of the translation would change the document's structure.
	if strings.HasPrefix(sp.source(), out[:min(len(out), 1)]) {
		return out, nil
	}
	if blockStart.MatchString(out) {
		out = `\` + out
	}
	return out, nil
}

var blockStart = regexp.MustCompile(`^(#|>|[-+*=] |\d+[.)] )`)

// safeText neutralises what a translator's text could do as Markdown
// beyond text: line breaks (a new block, front matter), raw HTML, and in
// headings an attribute block.
func safeText(s string, heading bool) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;").Replace(s)
	if heading {
		s = strings.ReplaceAll(s, "{", `\{`)
	}
	return s
}

func plainTarget(ins []Inline) (string, error) {
	var b strings.Builder
	for _, in := range ins {
		if in.Code != "" {
			return "", errors.New("a title has no placeholders")
		}
		b.WriteString(in.Text)
	}
	t := strings.Join(strings.Fields(b.String()), " ")
	if t == "" {
		return "", errors.New("the title is empty")
	}
	return t, nil
}

var headingAttr = regexp.MustCompile(`\s*\{#[^}]*\}\s*$`)

// withID gives a translated section's heading the source section's ID
// explicitly, so the translated heading keeps the anchor links and the
// review alignment use; place adds after= or before= for an override.
func withID(text string, s review.Section, place string) string {
	if s.Level == 0 {
		return text
	}
	line, rest, _ := strings.Cut(text, "\n")
	line = headingAttr.ReplaceAllString(line, "")
	return line + " {#" + s.ID + place + "}\n" + rest
}

func ensureBlank(s string) string {
	return strings.TrimRight(s, "\n") + "\n"
}

// A fileEdit is the new content of one file: edits of its body at
// offsets of the original body, text appended, and the reviewed
// records to set.
type fileEdit struct {
	path, tag, rel string
	exists         bool
	orig           []byte // the file as read
	bom, crlf      bool
	head           []byte // the front matter, LF
	body           []byte // the original body, LF
	edits          []edit
	tail           []string
	reviewed       map[string]string
	order          []string
}

type edit struct {
	off, n int
	text   string
}

func (fe *fileEdit) replace(off, n int, text string) { fe.edits = append(fe.edits, edit{off, n, text}) }
func (fe *fileEdit) insert(off int, text string)     { fe.edits = append(fe.edits, edit{off, 0, text}) }
func (fe *fileEdit) appendText(text string)          { fe.tail = append(fe.tail, text) }

func (im *importer) edit(f *content.File) (*fileEdit, error) {
	if fe, ok := im.files[f.Path]; ok {
		return fe, nil
	}
	raw, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, err
	}
	fe := &fileEdit{path: f.Path, tag: f.Locale, rel: f.Rel, exists: true, orig: raw, reviewed: map[string]string{}}
	data := raw
	if rest, ok := bytes.CutPrefix(data, []byte("\uFEFF")); ok {
		fe.bom, data = true, rest
	}
	fe.crlf = bytes.Contains(data, []byte("\r\n"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasSuffix(data, f.Body) {
		return nil, fmt.Errorf("%s changed since the site was loaded; run the import again", f.Path)
	}
	fe.head, fe.body = data[:len(data)-len(f.Body)], data[len(data)-len(f.Body):]
	for id, d := range f.Meta.Reviewed {
		fe.reviewed[id] = d
	}
	if f.Meta.Reviewed == nil {
		// The import reviews only the sections it writes; the file's
		// others stay unreviewed rather than turning stale.
		fe.reviewed[review.PartialReviewKey] = "true"
	}
	fe.order = append(fe.order, review.PartialReviewKey, review.IntroID)
	for _, o := range f.Outline() {
		fe.order = append(fe.order, o.ID)
	}
	im.files[f.Path] = fe
	return fe, nil
}

// newFile starts a file of the target locale for page key, beside the
// source file's place: an override (extends: true) or a whole page.
func (im *importer) newFile(key string, srcFile *content.File, extends bool, title string) (*fileEdit, error) {
	path := targetPath([]review.Section{{File: srcFile}}, im.doc.Source, im.doc.Target)
	if fe, ok := im.files[path]; ok {
		return fe, nil
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%s exists but is not %s's page %q; move it away or fix its translationKey", path, im.doc.Target, key)
	}
	meta := yaml.MapSlice{}
	if title != "" {
		meta = append(meta, yaml.MapItem{Key: "title", Value: title})
	}
	if extends {
		meta = append(meta, yaml.MapItem{Key: "extends", Value: true})
	}
	if srcFile.Key != strings.TrimSuffix(srcFile.Rel, ".md") {
		meta = append(meta, yaml.MapItem{Key: "translationKey", Value: srcFile.Key})
	}
	fm, err := yaml.Marshal(meta)
	if err != nil {
		return nil, err
	}
	fe := &fileEdit{path: path, tag: im.doc.Target, rel: srcFile.Rel, head: []byte("---\n" + string(fm) + "---\n"), reviewed: map[string]string{}}
	im.files[path] = fe
	return fe, nil
}

// render returns the file's new bytes: edits applied from the end so
// offsets stay valid, appended text, the reviewed records, and the
// original BOM and line ends.
func (fe *fileEdit) render() ([]byte, error) {
	body := slices.Clone(fe.body)
	edits := slices.Clone(fe.edits)
	slices.SortStableFunc(edits, func(a, b edit) int { return b.off - a.off })
	for _, e := range edits {
		body = slices.Concat(body[:e.off], []byte(e.text), body[e.off+e.n:])
	}
	for _, t := range fe.tail {
		if len(body) > 0 && !bytes.HasSuffix(body, []byte("\n\n")) {
			body = append(body, '\n')
		}
		body = append(body, t...)
	}
	data := slices.Concat(fe.head, body)
	var recs []review.Record
	seen := map[string]bool{}
	for _, id := range fe.order {
		if d, ok := fe.reviewed[id]; ok && !seen[id] {
			recs = append(recs, review.Record{ID: id, Digest: d})
			seen[id] = true
		}
	}
	var rest []string
	for id := range fe.reviewed {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		recs = append(recs, review.Record{ID: id, Digest: fe.reviewed[id]})
	}
	if len(recs) > 0 {
		var err error
		if data, err = review.SetReviewed(data, recs); err != nil {
			return nil, err
		}
	}
	if fe.crlf {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if fe.bom {
		data = append([]byte("\uFEFF"), data...)
	}
	return data, nil
}

// writeAll writes every file or none: each goes to a temporary file
// beside it first, and only when all are written are they renamed into
// place.
func writeAll(files map[string][]byte) error {
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range files {
			if !yield(p) {
				return
			}
		}
	})
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			cleanup()
			return err
		}
		f, err := os.CreateTemp(filepath.Dir(p), ".policysite-xliff-*")
		if err != nil {
			cleanup()
			return err
		}
		temps = append(temps, f.Name())
		mode := os.FileMode(0o644)
		if st, err := os.Stat(p); err == nil {
			mode = st.Mode().Perm()
		}
		_, err = f.Write(files[p])
		err = errors.Join(err, f.Chmod(mode), f.Close())
		if err != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w; nothing was changed", p, err)
		}
	}
	for i, p := range paths {
		if err := os.Rename(temps[i], p); err != nil {
			cleanup()
			return fmt.Errorf("replacing %s: %w", p, err)
		}
	}
	return nil
}
