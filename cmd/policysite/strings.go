package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"policysite/generator"
	"policysite/generator/diag"
)

// writeStringGaps prints status --strings: for each published locale
// that lacks UI strings in its language, the file they belong in and
// each key with what visitors see instead.
func writeStringGaps(w io.Writer, site *generator.Site, gaps []generator.LocaleGaps) error {
	if len(gaps) == 0 {
		n := len(site.Locales.Published())
		_, err := fmt.Fprintf(w, "every published locale (%s) has all %s in its language\n",
			diag.Count(n), diag.Plural(len(generator.StringKeys(site)), "UI string", "UI strings"))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, lg := range gaps {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s: %s missing; add them to %s\n", lg.Locale, diag.Plural(len(lg.Gaps), "UI string", "UI strings"), lg.File)
		for _, g := range lg.Gaps {
			shown := "shown as the key"
			if g.From != "" {
				shown = "shown in " + generator.LanguageName(g.From) + ": " + strconv.Quote(g.Shown)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", g.Key, shown)
		}
	}
	return tw.Flush()
}
