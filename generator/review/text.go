package review

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// TextOptions control the text form of the reports.
type TextOptions struct {
	// Color adds ANSI colours. Use IsTerminal to decide.
	Color bool
	// All lists every section, not only those with findings.
	All bool
}

// IsTerminal reports whether w is a terminal (a character device), so
// that colour is used there and not when the output is piped.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type palette bool

func (p palette) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) red(s string) string     { return p.paint("31", s) }
func (p palette) green(s string) string   { return p.paint("32", s) }
func (p palette) yellow(s string) string  { return p.paint("33", s) }
func (p palette) magenta(s string) string { return p.paint("35", s) }
func (p palette) cyan(s string) string    { return p.paint("36", s) }
func (p palette) bold(s string) string    { return p.paint("1", s) }
func (p palette) dim(s string) string     { return p.paint("2", s) }

// WriteJSON writes v (a *Diff or *Status) as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(v)
}

// WriteDiffText writes d for a person to read.
func WriteDiffText(w io.Writer, d *Diff, opts TextOptions) error {
	c := palette(opts.Color)
	var b strings.Builder
	for _, p := range d.Pages {
		fmt.Fprintf(&b, "%s  %s → %s  %s\n", c.bold(p.Page), d.Source, d.Target, pageState(c, p.State, p.Shows, d.Target))
		switch p.State {
		case StateSourceMissing:
			fmt.Fprintf(&b, "  %s has no page %q; nothing to compare\n\n", d.Source, p.Page)
			continue
		case StateMissing:
			fmt.Fprintf(&b, "  %s\n\n", c.red(fmt.Sprintf("%d sections missing: %s has no such page", p.Counts.Missing, d.Target)))
			continue
		case StateFallback:
			if p.Shows != d.Source {
				fmt.Fprintf(&b, "  %s\n\n", c.red(fmt.Sprintf("not translated: readers see %s's text (%d sections)", p.Shows, p.Counts.Missing)))
				continue
			}
		}
		if len(p.TargetFiles) > 0 {
			fmt.Fprintf(&b, "  %s\n", c.dim("files: "+strings.Join(p.TargetFiles, ", ")+"  (source: "+p.SourceFile+")"))
		}
		fmt.Fprintf(&b, "  %s\n", countsLine(c, p.Counts, p.Words, p.SourceWords))
		hidden := 0
		for _, s := range p.Sections {
			if !opts.All && !notable(s) {
				hidden++
				continue
			}
			writeSectionText(&b, c, s, d)
		}
		if hidden > 0 && len(p.Sections) > hidden {
			fmt.Fprintf(&b, "  %s\n", c.dim(fmt.Sprintf("(%d more sections without findings; -v lists them)", hidden)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s %s\n", c.bold("total:"), countsLine(c, d.Totals, -1, -1))
	_, err := io.WriteString(w, b.String())
	return err
}

func pageState(c palette, state, shows, target string) string {
	switch state {
	case StateInherited:
		return c.cyan("inherited from " + shows)
	case StateFallback:
		return c.red("fallback to " + shows)
	case StateMissing, StateSourceMissing:
		return c.red(state)
	case StateOverridden:
		return c.green("overridden")
	}
	return c.green(state)
}

// notable reports whether a row has a finding worth a reviewer's time.
func notable(s SectionDiff) bool {
	return s.Status != "aligned" || s.Moved || s.LevelChanged || len(s.Differences) > 0 || s.Review == ReviewStale
}

func countsLine(c palette, n Counts, words, sourceWords int) string {
	parts := []string{fmt.Sprintf("%d sections", n.Sections)}
	add := func(v int, label string, paint func(string) string) {
		if v > 0 {
			parts = append(parts, paint(fmt.Sprintf("%d %s", v, label)))
		}
	}
	add(n.Missing, "missing", c.red)
	add(n.Extra, "extra", c.cyan)
	add(n.Regional, "regional", c.cyan)
	add(n.Moved, "moved", c.magenta)
	add(n.LevelChanged, "level changed", c.magenta)
	add(n.Structure, "with structural differences", c.magenta)
	add(n.Stale, "stale", c.yellow)
	add(n.Unreviewed, "unreviewed", c.dim)
	add(n.Current, "reviewed", c.green)
	add(n.Accepted, "with accepted differences", c.green)
	add(n.Same, "source text", c.dim)
	add(n.Overridden, "overridden", c.dim)
	s := strings.Join(parts, ", ")
	switch {
	case words >= 0 && sourceWords >= 0:
		s += c.dim(fmt.Sprintf("; %d words (source %d)", words, sourceWords))
	case words >= 0:
		s += c.dim(fmt.Sprintf("; %d words", words))
	}
	return s
}

func writeSectionText(b *strings.Builder, c palette, s SectionDiff, d *Diff) {
	var mark, id, where, state string
	switch s.Status {
	case "missing":
		mark, id, state = c.red("-"), s.Source.ID, c.red("missing")
		where = fmt.Sprintf("H%d “%s”  %s:%d", s.Source.Level, s.Source.Title, s.Source.File, s.Source.Line)
	case "extra":
		mark, id, state = c.cyan("+"), s.Target.ID, c.cyan("extra")
		where = fmt.Sprintf("H%d “%s”  %s:%d", s.Target.Level, s.Target.Title, s.Target.File, s.Target.Line)
	case "regional":
		writeRegionalText(b, c, s, d)
		return
	default:
		mark, id = "~", s.Source.ID
		if !notable(s) {
			mark = " "
		}
		switch s.Review {
		case ReviewStale:
			mark, state = c.yellow("!"), c.yellow("stale")
		case ReviewCurrent:
			state = c.green("reviewed")
		default:
			state = c.dim(s.Review)
		}
		where = fmt.Sprintf("%s:%d", s.Target.File, s.Target.Line)
		if s.Match == "position" {
			where += c.dim(fmt.Sprintf("  (aligned by position with #%s)", s.Target.ID))
		}
	}
	if id == IntroID {
		id = "(introduction)"
	}
	fmt.Fprintf(b, "  %s %-28s %-10s %s\n", mark, id, state, c.dim(where))
	if s.Moved {
		fmt.Fprintf(b, "      %s\n", c.magenta("in a different order than in "+d.Source))
	}
	if s.LevelChanged {
		fmt.Fprintf(b, "      %s\n", c.magenta(fmt.Sprintf("heading level H%d → H%d", s.Source.Level, s.Target.Level)))
	}
	for _, x := range s.Differences {
		fmt.Fprintf(b, "      %s\n", c.magenta(describe(x, d.Source, d.Target)))
	}
	if len(s.Accepted) > 0 {
		fmt.Fprintf(b, "      %s\n", c.green("accepted differences: "+strings.Join(s.Accepted, ", ")+" (until either side changes)"))
	}
	writeChangeText(b, c, s.Change)
}

// writeRegionalText writes a regional row: what the region does, where
// it says so, and how the section compares with its counterpart.
func writeRegionalText(b *strings.Builder, c palette, s SectionDiff, d *Diff) {
	g := s.Regional
	ref := s.Target
	if ref == nil {
		ref = s.Source
	}
	id := ref.ID
	if id == IntroID {
		id = "(introduction)"
	}
	what := g.Change
	switch {
	case g.Change == RegionalAdded:
		what += fmt.Sprintf("  H%d “%s”", ref.Level, ref.Title)
	case g.Replaces != nil && g.Replaces.File != "":
		what += fmt.Sprintf(" %s:%d", g.Replaces.File, g.Replaces.Line)
	}
	fmt.Fprintf(b, "  %s %-28s %-10s %s\n", c.cyan("r"), id, c.cyan("regional"), what+c.dim("  declared at "+g.Declared))
	if g.Change == RegionalRemoved {
		return
	}
	if g.Counterpart == nil {
		fmt.Fprintf(b, "      %s\n", c.dim("no version of this section in "+d.Source+"'s language for a region to compare with"))
		return
	}
	near := "the same region"
	if !g.SameRegion {
		near = "the nearest region with its own version"
	}
	fmt.Fprintf(b, "      %s\n", c.dim(fmt.Sprintf("compared with %s (%s): %s:%d", g.Counterpart.Locale, near, g.Counterpart.File, g.Counterpart.Line)))
	if s.Review == ReviewStale {
		fmt.Fprintf(b, "      %s\n", c.yellow("stale: "+g.Counterpart.Locale+"'s section changed since the review"))
	}
	for _, x := range s.Differences {
		fmt.Fprintf(b, "      %s\n", c.magenta(describe(x, g.Counterpart.Locale, d.Target)))
	}
	writeChangeText(b, c, s.Change)
}

// contextTokens is how many words of unchanged text a change shows on
// each side.
const contextTokens = 6

// writeChangeText writes the word-level diff of a stale section's
// source: each changed run with a few words around it, deletions as
// [-old-] and insertions as {+new+} (coloured on a terminal, but never
// by colour alone).
func writeChangeText(b *strings.Builder, c palette, ch *Change) {
	if ch == nil {
		return
	}
	switch ch.From {
	case FromUnavailable:
		fmt.Fprintf(b, "      %s\n", c.yellow("source changed since the review; "+ch.Note))
		return
	case FromGit:
		fmt.Fprintf(b, "      %s\n", c.dim(fmt.Sprintf("source changed since the review (reviewed text from git commit %s of %s):", ch.Commit, ch.Date)))
	default:
		fmt.Fprintf(b, "      %s\n", c.dim("source changed since the review (reviewed text from "+ch.Record+"):"))
	}
	changed := 0
	for _, sp := range ch.Spans {
		if sp.Op != "equal" {
			changed++
		}
	}
	if changed == 0 {
		fmt.Fprintf(b, "      %s\n", c.dim("(only white space changed)"))
		return
	}
	var line strings.Builder
	flush := func() {
		if t := strings.TrimSpace(line.String()); t != "" {
			fmt.Fprintf(b, "      %s\n", t)
		}
		line.Reset()
	}
	for i, sp := range ch.Spans {
		switch sp.Op {
		case "delete":
			line.WriteString(c.red("[-" + oneLine(sp.Text) + "-]"))
		case "insert":
			line.WriteString(c.green("{+" + oneLine(sp.Text) + "+}"))
		default:
			toks := wordTokens(oneLine(sp.Text))
			head, tail := i > 0, i+1 < len(ch.Spans)
			if head && tail && len(toks) <= 4*contextTokens {
				line.WriteString(strings.Join(toks, ""))
				continue
			}
			if head {
				line.WriteString(strings.Join(toks[:min(len(toks), 2*contextTokens)], ""))
				if len(toks) > 2*contextTokens {
					line.WriteString("…")
				}
			}
			if head && tail {
				flush()
			}
			if tail {
				if len(toks) > 2*contextTokens {
					line.WriteString("…")
				}
				line.WriteString(strings.Join(toks[max(0, len(toks)-2*contextTokens):], ""))
			}
		}
	}
	flush()
}

// oneLine puts text on one line for the terminal: each run of white
// space becomes one space.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// describe says what a Difference means in a sentence.
func describe(x Difference, source, target string) string {
	name := strings.ReplaceAll(x.Kind, "-", " ")
	if len(x.Missing) == 0 && len(x.Extra) == 0 {
		return fmt.Sprintf("%s: %s in %s, %s in %s", name, x.Source, source, x.Target, target)
	}
	var parts []string
	if len(x.Missing) > 0 {
		parts = append(parts, "not in "+target+": "+strings.Join(x.Missing, ", "))
	}
	if len(x.Extra) > 0 {
		parts = append(parts, "only in "+target+": "+strings.Join(x.Extra, ", "))
	}
	return name + ": " + strings.Join(parts, "; ")
}

// WriteStatusText writes st for a person to read: one line a locale,
// and a locale × page matrix when the site has few pages.
func WriteStatusText(w io.Writer, st *Status, opts TextOptions) error {
	c := palette(opts.Color)
	var b strings.Builder
	fmt.Fprintf(&b, "Measured against %s. %d pages, %d locales.\n\n", c.bold(st.Source), len(st.Pages), len(st.Locales))
	width := 8
	for _, l := range st.Locales {
		width = max(width, len(l.Tag)+2)
	}
	if len(st.Pages) <= 8 {
		widths := make([]int, len(st.Pages))
		for i, p := range st.Pages {
			widths[i] = len([]rune(p)) + 2
		}
		for _, l := range st.Locales {
			for i, p := range l.Pages {
				widths[i] = max(widths[i], len([]rune(cellText(p)))+2)
			}
		}
		fmt.Fprintf(&b, "%-*s", width, "locale")
		for i, p := range st.Pages {
			fmt.Fprintf(&b, "%-*s", widths[i], p)
		}
		b.WriteString("\n")
		for _, l := range st.Locales {
			fmt.Fprintf(&b, "%-*s", width, l.Tag)
			for i, p := range l.Pages {
				cell := cellText(p)
				fmt.Fprintf(&b, "%s%s", paintCell(c, p, cell), strings.Repeat(" ", widths[i]-len([]rune(cell))))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n" + legendText(c) + "\n\n")
	}
	for _, l := range st.Locales {
		states := map[string]int{}
		for _, p := range l.Pages {
			states[p.State]++
		}
		var parts []string
		for _, s := range []string{StateSource, StateTranslated, StateOverridden, StateInherited, StateFallback, StateMissing, StateSourceMissing} {
			if states[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", states[s], s))
			}
		}
		pub := ""
		if !l.Published {
			pub = c.dim(" (base, unpublished)")
		}
		fmt.Fprintf(&b, "%s%s  pages: %s\n  %s\n  %s\n", c.bold(l.Tag), pub, strings.Join(parts, ", "), shareBar(c, l.Shares), countsLine(c, l.Counts, l.Words, -1))
	}
	fmt.Fprintf(&b, "\n%s %s\n", c.bold("total:"), countsLine(c, st.Totals, -1, -1))
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func cellText(p PageStatus) string {
	if p.Label == "" {
		return cellLabel(p)
	}
	return p.Label
}

// legendText explains the words of the matrix.
func legendText(c palette) string {
	lines := []string{
		"legend:",
		"  translated        the locale has its own full translation",
		"  regional          a region's own sections over its language's base (see diff: added, replaced, removed)",
		"  overridden        the locale's file replaces some sections of a base in another language",
		"  inherited from X  the locale shows X's page, of the same language",
		"  fallback to X     the locale shows X's page in another language: not translated",
		"  missing           no locale of the fallback chain has the page",
		"  N stale           N sections changed in the source since their review",
		"  N missing/extra   N source sections readers do not see / N sections only in the translation",
		"  N differ          N sections with structural differences (lists, links, numbers, dates, …)",
		"  bar               # current  ! stale  - missing  . unreviewed or regional",
	}
	return c.dim(strings.Join(lines, "\n"))
}

// shareBar draws a locale's Shares as a 20-character bar with a
// different character for each part, and says the percentages.
func shareBar(c palette, sh Shares) string {
	const width = 20
	n := func(p int) int { return (p*width + 50) / 100 }
	cur, stale, miss := n(sh.Current), n(sh.Stale), n(sh.Missing)
	other := max(0, width-cur-stale-miss)
	bar := c.green(strings.Repeat("#", cur)) + c.yellow(strings.Repeat("!", stale)) + c.red(strings.Repeat("-", miss)) + strings.Repeat(".", other)
	return fmt.Sprintf("[%s] %d%% current, %d%% stale, %d%% missing, %d%% unreviewed or regional", bar, sh.Current, sh.Stale, sh.Missing, sh.Other)
}

func paintCell(c palette, p PageStatus, s string) string {
	switch {
	case p.State == StateMissing || p.State == StateFallback || p.Counts.Missing > 0:
		return c.red(s)
	case p.Counts.Stale > 0:
		return c.yellow(s)
	case p.State == StateInherited || p.State == StateSource:
		return c.dim(s)
	}
	return c.green(s)
}
