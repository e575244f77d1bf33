package review

import (
	"regexp"
	"strconv"
	"strings"
)

// These patterns find the facts in a section's text that a translation
// must carry over unchanged: addresses, links, dates and figures.
var (
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)
	urlRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]]*[^\s<>"'()\[\].,;:!?]`)
	// Dates: ISO, day-month-year with . or /, CJK and Korean, and day or
	// month names in any language next to a four-digit year.
	isoDateRe   = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numDateRe   = regexp.MustCompile(`\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b`)
	cjkDateRe   = regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]`)
	dayNameRe   = regexp.MustCompile(`\b(\d{1,2})\.?\s+(?:de\s+)?\p{L}+\.?,?\s+(?:de\s+)?(\d{4})\b`)
	nameDayRe   = regexp.MustCompile(`\p{L}{3,}\.?\s+(\d{1,2}),?\s+(\d{4})\b`)
	yearRe      = regexp.MustCompile(`\d{4}`)
	numberRe    = regexp.MustCompile(`\d+(?:[.,'\x{00A0}\x{202F}]\d+)*`)
	htmlTagRe   = regexp.MustCompile(`<[^>]*>`)
	htmlAttrRe  = regexp.MustCompile(`(?i)\s(href|src)\s*=\s*["']([^"']*)["']`)
	htmlRowRe   = regexp.MustCompile(`(?i)<tr[\s>]`)
	htmlItemRe  = regexp.MustCompile(`(?i)<li[\s>]`)
	htmlTableRe = regexp.MustCompile(`(?i)<table[\s>]`)
	htmlImgRe   = regexp.MustCompile(`(?i)<img\s`)
)

// extractText adds the e-mail addresses, URLs, dates and numbers of
// plain text s to m. Each character is counted once: a number inside a
// date or a URL is not also a number.
func extractText(s string, m *Metrics) {
	blank := func(loc []int) {
		s = s[:loc[0]] + strings.Repeat(" ", loc[1]-loc[0]) + s[loc[1]:]
	}
	// Cheap tests first: most sections have no address, URL or digit,
	// and the patterns are the bulk of a comparison's time.
	if strings.Contains(s, "@") {
		for _, loc := range emailRe.FindAllStringIndex(s, -1) {
			m.Emails = append(m.Emails, strings.ToLower(s[loc[0]:loc[1]]))
		}
		for _, loc := range emailRe.FindAllStringIndex(s, -1) {
			blank(loc)
		}
	}
	if strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.Contains(s, "WWW.") {
		for _, loc := range urlRe.FindAllStringIndex(s, -1) {
			m.URLs = append(m.URLs, s[loc[0]:loc[1]])
			blank(loc)
		}
	}
	if !strings.ContainsAny(s, "0123456789") {
		return
	}
	hasYear := yearRe.MatchString(s)
	type datePattern struct {
		re        *regexp.Regexp
		year, day int // submatch numbers
	}
	// Dates are compared by year and day of the month ("2026-?-15"):
	// month names are translated, so "15 October 2026" and
	// "15. Oktober 2026" match.
	for _, p := range []datePattern{{isoDateRe, 1, 3}, {cjkDateRe, 1, 3}, {numDateRe, 3, 1}, {dayNameRe, 2, 1}, {nameDayRe, 2, 1}} {
		if !hasYear {
			break
		}
		for _, loc := range p.re.FindAllStringSubmatchIndex(s, -1) {
			year := s[loc[2*p.year]:loc[2*p.year+1]]
			day, _ := strconv.Atoi(s[loc[2*p.day]:loc[2*p.day+1]])
			if p.re == numDateRe {
				// 10/15/2026 is month first; the day is the part above 12.
				if other, _ := strconv.Atoi(s[loc[4]:loc[5]]); day <= 12 && other > 12 {
					day = other
				}
			}
			if day < 1 || day > 31 {
				continue
			}
			m.Dates = append(m.Dates, year+"-?-"+twoDigits(day))
			blank(loc[:2])
		}
	}
	for _, n := range numberRe.FindAllString(s, -1) {
		m.Numbers = append(m.Numbers, normalizeNumber(n))
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// normalizeNumber drops grouping and decimal separators, which differ
// between languages (1,000.5 / 1.000,5 / 1 000,5), and leading zeros.
func normalizeNumber(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	out := strings.TrimLeft(b.String(), "0")
	if out == "" {
		return "0"
	}
	return out
}

// measureHTML counts the structure of a raw HTML block: authors paste
// tables and lists from word processors, and a translation that drops a
// row is as wrong there as in Markdown.
func measureHTML(h string, m *Metrics, b *strings.Builder) {
	hasImg := htmlImgRe.MatchString(h)
	for _, a := range htmlAttrRe.FindAllStringSubmatch(h, -1) {
		switch {
		case strings.EqualFold(a[1], "href"):
			m.Links = append(m.Links, a[2])
		case hasImg:
			m.Images = append(m.Images, a[2])
		}
	}
	m.ListItems += len(htmlItemRe.FindAllStringIndex(h, -1))
	// Raw HTML tables are compared by their row count only; column
	// counts would need a real HTML parser for colspan. A table split by
	// blank lines continues in the next HTML block.
	rows := len(htmlRowRe.FindAllStringIndex(h, -1))
	switch {
	case htmlTableRe.MatchString(h):
		m.Tables = append(m.Tables, Table{Rows: rows})
	case rows > 0 && len(m.Tables) > 0:
		m.Tables[len(m.Tables)-1].Rows += rows
	case rows > 0:
		m.Tables = append(m.Tables, Table{Rows: rows})
	}
	b.WriteString(htmlTagRe.ReplaceAllString(h, " "))
	b.WriteByte('\n')
}
