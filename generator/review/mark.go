package review

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"policysite/generator/content"
	"policysite/generator/locale"
	"policysite/generator/markdown"
)

// MarkOptions are the options of MarkReviewed.
type MarkOptions struct {
	// Accept lists the differences the reviewer accepts: they are not
	// reported again until the source or the target section changes.
	// Only differences the section has now are recorded.
	Accept []Acceptance
	// KeepText stores each recorded source section's text in the
	// site's review record (SourcesDir), so that the word-level diff of
	// a section that becomes stale works without git history.
	KeepText bool
}

// MarkReviewed records in target's own file of page key that its
// sections now match source: the record of each source section the file
// translates goes into the file's front matter as reviewed: {id: record}
// (see Record). A regional section (see Regional) is recorded against
// the same region's version in the source language when there is one,
// else against the source section it replaces; an added one without the
// former is not recorded. Sections the target inherits from a base
// file are not recorded here; mark the base locale for those. It returns
// the file written and the records.
func (r *Reviewer) MarkReviewed(ctx context.Context, source, target, key string, opts MarkOptions) (string, []Record, error) {
	if err := r.checkLocale(source); err != nil {
		return "", nil, err
	}
	if err := r.checkLocale(target); err != nil {
		return "", nil, err
	}
	f := r.site.Tree.Get(target, key)
	if f == nil {
		loc := r.locate(target, key)
		if loc.doc == nil {
			return "", nil, fmt.Errorf("%s has no page %q", target, key)
		}
		return "", nil, fmt.Errorf("%s has no file for page %q: it shows the text of %s; mark that locale instead (policysite status --mark-reviewed %s %s)", target, key, loc.shows, loc.shows, key)
	}
	if target == source {
		return "", nil, fmt.Errorf("%s is the source locale; mark a translation", target)
	}
	if r.locate(source, key).doc == nil {
		return "", nil, fmt.Errorf("the source locale %s has no page %q", source, key)
	}
	for _, a := range opts.Accept {
		if a.Section != "" && slices.IndexFunc(r.analysisOf(r.locate(source, key).doc).Sections, func(s *section) bool { return s.ID == a.Section }) < 0 &&
			slices.IndexFunc(r.analysisOf(r.fileDoc(f)).Sections, func(s *section) bool { return s.ID == a.Section }) < 0 {
			return "", nil, fmt.Errorf("--accept %s:%s: page %q has no section #%s", a.Section, a.Kind, key, a.Section)
		}
	}
	// The comparison is made without the records the file holds now,
	// so that the differences to accept are all of them.
	pd := r.comparePage(source, target, key, compareMode{rows: true, ignoreAccepted: true})
	var recs []Record
	var texts []string
	for _, sd := range pd.Sections {
		against := sd.Source
		if sd.Status == "regional" && sd.Regional.SameRegion {
			against = sd.Regional.Counterpart
		}
		if sd.Target == nil || against == nil || sd.Target.File != f.Path {
			continue
		}
		rec := Record{ID: against.ID, Digest: against.Digest}
		for _, d := range sd.Differences {
			for _, a := range opts.Accept {
				if (a.Section == "" || a.Section == against.ID || a.Section == sd.Target.ID) && (a.Kind == "structure" || a.Kind == d.Kind) && !slices.Contains(rec.Accept, d.Kind) {
					rec.Accept = append(rec.Accept, d.Kind)
				}
			}
		}
		if len(rec.Accept) > 0 {
			rec.Target = sd.Target.Digest
		}
		recs = append(recs, rec)
		texts = append(texts, against.Text)
	}
	if len(recs) == 0 {
		if sl, tl := r.site.Locales.Get(source), r.site.Locales.Get(target); locale.SameLanguage(sl, tl) {
			return "", nil, fmt.Errorf("%s: %s is in the language of %s, so its own sections are regional versions with nothing to be reviewed against; nothing to mark", f.Path, target, source)
		}
		return "", nil, fmt.Errorf("%s: no section of this file translates a section of %s's page %q", f.Path, source, key)
	}
	if err := ctx.Err(); err != nil {
		return "", nil, err
	}
	if opts.KeepText {
		for _, t := range texts {
			if _, err := r.opts.History.Store(t); err != nil {
				return "", nil, fmt.Errorf("review record: %w", err)
			}
		}
	}
	if err := writeReviewed(f.Path, target, f.Rel, recs, r.site.Markdown); err != nil {
		return "", nil, err
	}
	return f.Path, recs, nil
}

// writeReviewed replaces the reviewed block of the file at path and
// checks that the result parses to the same page with the new records
// before replacing the file.
func writeReviewed(path, tag, rel string, recs []Record, md *markdown.Markdown) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := SetReviewed(old, recs)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	before, err := content.Parse(path, tag, rel, old, md)
	if err != nil {
		return err
	}
	after, err := content.Parse(path, tag, rel, out, md)
	if err != nil {
		return fmt.Errorf("%s: writing the reviewed block would break the front matter (%w); add the block by hand", path, err)
	}
	want := map[string]string{}
	for _, r := range recs {
		want[r.ID] = r.Value()
	}
	if !bytes.Equal(before.Body, after.Body) || !maps.Equal(after.Meta.Reviewed, want) {
		return fmt.Errorf("%s: could not rewrite the reviewed block safely; add it by hand", path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".review-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

var (
	yamlKeyRe     = regexp.MustCompile(`^reviewed\s*:`)
	tomlTableRe   = regexp.MustCompile(`^\[\s*reviewed\s*\]\s*(#.*)?$`)
	tomlInlineRe  = regexp.MustCompile(`^reviewed\s*=`)
	plainKeyRe    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)
	yamlReserved  = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}
	errUnclosedFM = errors.New("front matter is not closed")
)

// SetReviewed returns src with its front matter's reviewed block set to
// recs. Every other byte is kept: the BOM, line ends, comments, other
// keys and the body. A file without front matter gets a YAML block.
func SetReviewed(src []byte, recs []Record) ([]byte, error) {
	bom := []byte{}
	if rest, ok := bytes.CutPrefix(src, []byte("\uFEFF")); ok {
		bom, src = []byte("\uFEFF"), rest
	}
	eol := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := splitLines(src)
	open := -1
	for i, l := range lines {
		if t := strings.TrimSpace(string(l)); t != "" {
			if t == "---" || t == "+++" {
				open = i
			}
			break
		}
	}
	if open < 0 {
		block := "---" + eol + yamlBlock(recs, eol) + "---" + eol
		return join(bom, []byte(block), src), nil
	}
	delim := strings.TrimSpace(string(lines[open]))
	closing := -1
	for i := open + 1; i < len(lines); i++ {
		if strings.TrimSpace(string(lines[i])) == delim {
			closing = i
			break
		}
	}
	if closing < 0 {
		return nil, errUnclosedFM
	}
	start, end := -1, -1 // the lines of the old block
	var block string
	if delim == "---" {
		block = yamlBlock(recs, eol)
		for i := open + 1; i < closing; i++ {
			if yamlKeyRe.Match(lines[i]) {
				start, end = i, i+1
				for end < closing && (isBlank(lines[end]) || lines[end][0] == ' ' || lines[end][0] == '\t') {
					end++
				}
				break
			}
		}
	} else {
		block = tomlBlock(recs, eol)
		for i := open + 1; i < closing; i++ {
			switch {
			case tomlTableRe.Match(bytes.TrimSpace(lines[i])):
				start, end = i, i+1
				for end < closing && !bytes.HasPrefix(bytes.TrimSpace(lines[end]), []byte("[")) {
					end++
				}
			case tomlInlineRe.Match(lines[i]):
				start, end = i, i+1
			default:
				continue
			}
			break
		}
		if start < 0 || !tomlTableRe.Match(bytes.TrimSpace(lines[start])) {
			// A new table goes last, after every top-level key; an
			// inline table is replaced by one there too.
			if start >= 0 {
				lines = append(lines[:start:start], lines[start+1:]...)
				closing--
			}
			start, end = closing, closing
		}
	}
	if start < 0 {
		start, end = closing, closing
	}
	// Blank lines after the old block separate it from what follows;
	// keep them.
	for end > start && isBlank(lines[end-1]) {
		end--
	}
	var b bytes.Buffer
	b.Write(bom)
	for _, l := range lines[:start] {
		b.Write(l)
	}
	if start > 0 && !bytes.HasSuffix(lines[start-1], []byte("\n")) {
		b.WriteString(eol)
	}
	b.WriteString(block)
	for _, l := range lines[end:] {
		b.Write(l)
	}
	return b.Bytes(), nil
}

// splitLines splits src after each "\n", keeping line ends.
func splitLines(src []byte) [][]byte {
	var out [][]byte
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			out = append(out, src)
			break
		}
		out = append(out, src[:i+1])
		src = src[i+1:]
	}
	return out
}

func isBlank(l []byte) bool { return len(bytes.TrimSpace(l)) == 0 }

func join(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func yamlBlock(recs []Record, eol string) string {
	var b strings.Builder
	b.WriteString("reviewed:" + eol)
	for _, r := range recs {
		k := r.ID
		if !plainKeyRe.MatchString(k) || yamlReserved[strings.ToLower(k)] {
			k = quote(k)
		}
		fmt.Fprintf(&b, "  %s: %s%s", k, quote(r.Value()), eol)
	}
	return b.String()
}

func tomlBlock(recs []Record, eol string) string {
	var b strings.Builder
	b.WriteString("[reviewed]" + eol)
	for _, r := range recs {
		k := r.ID
		if !plainKeyRe.MatchString(k) {
			k = quote(k)
		}
		fmt.Fprintf(&b, "%s = %s%s", k, quote(r.Value()), eol)
	}
	return b.String()
}
