package review

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"slices"
	"strings"

	"policysite/generator/locale"
)

// Templates are the HTML report templates: review/*.html of a theme
// (the embedded default theme: themes.Default()).
type Templates struct {
	t *template.Template
}

// ParseTemplates parses the report templates of theme.
func ParseTemplates(theme fs.FS) (*Templates, error) {
	t, err := template.New("review").Funcs(template.FuncMap{
		"describe": describe,
		// step5 rounds a percentage to a multiple of 5 for the bar's
		// width classes (.w5 … .w100): the reports carry no style
		// attributes.
		"step5": func(p int) int { return (p + 2) / 5 * 5 },
		"pct": func(a, b int) int {
			if b == 0 {
				return 0
			}
			return a * 100 / b
		},
	}).ParseFS(theme, "review/*.html")
	if err != nil {
		return nil, fmt.Errorf("review templates: %w", err)
	}
	return &Templates{t: t}, nil
}

// HTMLOptions control the HTML reports.
type HTMLOptions struct {
	// Script is the URL of a script to include (the dev server's live
	// reload), or "". The reports themselves need no JavaScript.
	Script string
	// DiffURL, when set, links each status cell to a diff report:
	// it returns the URL of the diff of target for page.
	DiffURL func(target, page string) string
	// Locales gives text direction and names of locales; may be nil.
	Locales *locale.Set
	// ExportURL, when set, links each page of a diff to the XLIFF
	// export of its missing and stale sections (the dev server's
	// /_review/xliff/): it returns the URL for source, target and page.
	ExportURL func(source, target, page string) string
}

// A segment is a piece of section text, highlighted or not.
type segment struct {
	Text string
	Mark bool
}

type sideView struct {
	*SectionRef
	Lang, Dir string
	Segments  []segment
}

type rowView struct {
	SectionDiff
	Anchor string
	Label  string
	Class  string
	Src    *sideView
	Tgt    *sideView
}

type pageView struct {
	PageDiff
	Anchor string
	Rows   []rowView
}

type diffView struct {
	*Diff
	Opts      HTMLOptions
	SourceDir string
	TargetDir string
	Views     []pageView
}

// WriteDiffHTML writes d as a self-contained side-by-side report.
func (t *Templates) WriteDiffHTML(w io.Writer, d *Diff, opts HTMLOptions) error {
	v := diffView{Diff: d, Opts: opts, SourceDir: dir(opts.Locales, d.Source), TargetDir: dir(opts.Locales, d.Target)}
	for _, p := range d.Pages {
		pv := pageView{PageDiff: p, Anchor: "page-" + p.Page}
		for i, s := range p.Sections {
			rv := rowView{SectionDiff: s, Class: rowClass(s)}
			id := ""
			switch {
			case s.Source != nil:
				id, rv.Label = s.Source.ID, s.Source.Title
			default:
				id, rv.Label = s.Target.ID, s.Target.Title
			}
			rv.Anchor = fmt.Sprintf("%s-%d-%s", pv.Anchor, i, id)
			var miss, extra []string
			var missNum, extraNum []string
			for _, x := range s.Differences {
				if x.Kind == "numbers" {
					missNum, extraNum = append(missNum, x.Missing...), append(extraNum, x.Extra...)
					continue
				}
				miss, extra = append(miss, x.Missing...), append(extra, x.Extra...)
			}
			switch {
			case s.Regional != nil && s.Regional.Counterpart != nil:
				// A regional section stands beside the same region's
				// version in the source language, not the text it replaces.
				c := s.Regional.Counterpart
				rv.Src = &sideView{SectionRef: c, Lang: c.Locale, Dir: dir(opts.Locales, c.Locale), Segments: highlight(c.Text, miss, missNum)}
			case s.Regional != nil && s.Regional.Change == RegionalAdded:
			case s.Source != nil:
				rv.Src = &sideView{SectionRef: s.Source, Lang: d.Source, Dir: v.SourceDir, Segments: highlight(s.Source.Text, miss, missNum)}
			}
			if s.Target != nil {
				rv.Tgt = &sideView{SectionRef: s.Target, Lang: d.Target, Dir: v.TargetDir, Segments: highlight(s.Target.Text, extra, extraNum)}
			}
			pv.Rows = append(pv.Rows, rv)
		}
		v.Views = append(v.Views, pv)
	}
	return t.execute(w, "diff.html", v)
}

func (t *Templates) execute(w io.Writer, name string, data any) error {
	var b bytes.Buffer
	if err := t.t.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Errorf("review report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func dir(set *locale.Set, tag string) string {
	if set == nil {
		return "ltr"
	}
	if l := set.Get(tag); l != nil {
		return l.Dir()
	}
	return "ltr"
}

func rowClass(s SectionDiff) string {
	switch {
	case s.Status == "regional" && s.Review == ReviewStale:
		return "stale"
	case s.Status != "aligned":
		return s.Status
	case s.Review == ReviewStale:
		return "stale"
	case s.Moved || s.LevelChanged || len(s.Differences) > 0:
		return "structure"
	}
	return "ok"
}

// highlight splits text into segments, marking each occurrence of a
// literal in values and each number whose normalized form is in numbers.
func highlight(text string, values, numbers []string) []segment {
	type span struct{ start, end int }
	var spans []span
	for _, v := range values {
		if v == "" {
			continue
		}
		for off := 0; ; {
			i := strings.Index(text[off:], v)
			if i < 0 {
				break
			}
			spans = append(spans, span{off + i, off + i + len(v)})
			off += i + len(v)
		}
	}
	if len(numbers) > 0 {
		for _, loc := range findNumbers(text, true) {
			if slices.Contains(numbers, normalizeNumber(text[loc[0]:loc[1]])) {
				spans = append(spans, span{loc[0], loc[1]})
			}
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []segment
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		if s.start > pos {
			out = append(out, segment{Text: text[pos:s.start]})
		}
		out = append(out, segment{Text: text[s.start:s.end], Mark: true})
		pos = s.end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

type cellView struct {
	PageStatus
	Class string
	Text  string
	URL   string
}

type localeView struct {
	LocaleStatus
	Dir   string
	Cells []cellView
}

type statusView struct {
	*Status
	Opts HTMLOptions
	Rows []localeView
}

// WriteStatusHTML writes st as a self-contained locale × page matrix.
func (t *Templates) WriteStatusHTML(w io.Writer, st *Status, opts HTMLOptions) error {
	v := statusView{Status: st, Opts: opts}
	for _, l := range st.Locales {
		lv := localeView{LocaleStatus: l, Dir: dir(opts.Locales, l.Tag)}
		for _, p := range l.Pages {
			cv := cellView{PageStatus: p, Text: cellText(p), Class: cellClass(p)}
			if opts.DiffURL != nil && l.Tag != st.Source {
				cv.URL = opts.DiffURL(l.Tag, p.Page)
			}
			lv.Cells = append(lv.Cells, cv)
		}
		v.Rows = append(v.Rows, lv)
	}
	return t.execute(w, "status.html", v)
}

func cellClass(p PageStatus) string {
	switch {
	case p.State == StateMissing || p.State == StateFallback || p.Counts.Missing > 0:
		return "missing"
	case p.Counts.Stale > 0:
		return "stale"
	case p.Counts.Structure+p.Counts.Moved+p.Counts.LevelChanged > 0:
		return "structure"
	case p.State == StateOverridden && p.Counts.Regional > 0:
		return "regional"
	}
	return p.State
}

// diffPath is the handler's URL of the diff of one page of a locale.
func diffPath(prefix, target, page string) string {
	return prefix + "diff/" + url.PathEscape(target) + "/" + url.PathEscape(page)
}

// DiffFile is the name of a locale's diff report in a folder of
// reports (status --format html -o DIR/), and DiffFileURL the link to
// one page of it from the folder's index.html.
func DiffFile(target string) string { return "diff-" + target + ".html" }

// DiffFileURL is the HTMLOptions.DiffURL of a folder of reports.
func DiffFileURL(target, page string) string {
	return url.PathEscape(DiffFile(target)) + "#page-" + url.PathEscape(page)
}
