package review

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// These patterns find the facts in a section's text that a translation
// must carry over unchanged: addresses, links, dates and figures.
var (
	// Dates: ISO, day-month-year with . or /, CJK and Korean, and day or
	// month names in any language next to a four-digit year.
	isoDateRe   = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numDateRe   = regexp.MustCompile(`\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b`)
	cjkDateRe   = regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]`)
	dayNameRe   = regexp.MustCompile(`\b(\d{1,2})\.?\s+(?:de\s+)?\p{L}+\.?,?\s+(?:de\s+)?(\d{4})\b`)
	nameDayRe   = regexp.MustCompile(`\p{L}{3,}\.?\s+(\d{1,2}),?\s+(\d{4})\b`)
	yearRe      = regexp.MustCompile(`\d{4}`)
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
	// Addresses, URLs and numbers are found by hand-written scanners:
	// regular expressions that must try every position of every section
	// were most of a status report's time.
	for _, loc := range findEmails(s) {
		m.Emails = append(m.Emails, strings.ToLower(s[loc[0]:loc[1]]))
		blank(loc[:])
	}
	for _, loc := range findURLs(s) {
		m.URLs = append(m.URLs, s[loc[0]:loc[1]])
		blank(loc[:])
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
	for _, loc := range findNumbers(s) {
		m.Numbers = append(m.Numbers, normalizeNumber(s[loc[0]:loc[1]]))
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

// findEmails returns the byte ranges of the e-mail addresses in s.
func findEmails(s string) [][2]int {
	var out [][2]int
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '@')
		if i < 0 {
			return out
		}
		at := off + i
		off = at + 1
		start := at
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._%+-", r)) {
				break
			}
			start -= n
		}
		end := at + 1
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.') {
				break
			}
			end += n
		}
		for end > at+1 && s[end-1] == '.' {
			end--
		}
		for start < at && s[start] == '.' {
			start++
		}
		if start < at && strings.Contains(s[at+1:end], ".") {
			out = append(out, [2]int{start, end})
			off = end
		}
	}
}

// findURLs returns the byte ranges of the http(s):// and www. URLs in s,
// without trailing punctuation.
func findURLs(s string) [][2]int {
	var out [][2]int
	for off := 0; off < len(s); {
		i := indexURL(s[off:])
		if i < 0 {
			return out
		}
		start := off + i
		end := start
		for end < len(s) && !strings.ContainsRune(" \t\n<>\"'()[]", rune(s[end])) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += n
		}
		for end > start && strings.ContainsRune(".,;:!?", rune(s[end-1])) {
			end--
		}
		out = append(out, [2]int{start, end})
		off = max(end, start+1)
	}
	return out
}

// indexURL returns the index of the first URL start in s, or -1.
func indexURL(s string) int {
	best := -1
	for _, p := range []string{"https://", "http://", "www."} {
		for off := 0; ; {
			i := strings.Index(s[off:], p)
			if i < 0 {
				break
			}
			i += off
			// "www." must start a word; "http" inside a word is no URL.
			if i > 0 {
				r, _ := utf8.DecodeLastRuneInString(s[:i])
				if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' || r == '.' {
					off = i + len(p)
					continue
				}
			}
			if best < 0 || i < best {
				best = i
			}
			break
		}
	}
	return best
}

// findNumbers returns the byte ranges of the numbers in s: ASCII digits
// with single grouping or decimal separators between them.
func findNumbers(s string) [][2]int {
	var out [][2]int
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; i < len(s); {
		if !isDigit(i) {
			i++
			continue
		}
		start := i
		for {
			for isDigit(i) {
				i++
			}
			sep := 0
			switch {
			case i < len(s) && (s[i] == '.' || s[i] == ',' || s[i] == '\''):
				sep = 1
			case strings.HasPrefix(s[i:], "\u00a0"):
				sep = len("\u00a0")
			case strings.HasPrefix(s[i:], "\u202f"):
				sep = len("\u202f")
			}
			if sep == 0 || !isDigit(i+sep) {
				break
			}
			i += sep
		}
		out = append(out, [2]int{start, i})
	}
	return out
}
