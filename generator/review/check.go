package review

import (
	"fmt"
	"strings"
)

// FailOn names the finding categories --fail-on accepts.
var failOnNames = []string{"missing", "extra", "stale", "structure", "unreviewed", "regional"}

// ParseFailOn parses a comma-separated list of categories: missing,
// extra, stale, structure (structural differences, moved sections and
// changed heading levels), unreviewed and regional (sections a region
// adds, replaces or removes on purpose).
func ParseFailOn(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		ok := false
		for _, n := range failOnNames {
			ok = ok || n == f
		}
		if !ok {
			return nil, fmt.Errorf("--fail-on: unknown category %q; use %s", f, strings.Join(failOnNames, ","))
		}
		out = append(out, f)
	}
	return out, nil
}

// Failures returns a description of each category of categories that c
// has findings in, or nil.
func Failures(c Counts, categories []string) []string {
	var out []string
	for _, cat := range categories {
		n := 0
		switch cat {
		case "missing":
			n = c.Missing
		case "extra":
			n = c.Extra
		case "stale":
			n = c.Stale
		case "structure":
			n = c.Structure + c.Moved + c.LevelChanged
		case "unreviewed":
			n = c.Unreviewed
		case "regional":
			n = c.Regional
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, cat))
		}
	}
	return out
}
