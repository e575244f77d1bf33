package review

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// These patterns find the facts in a section's text that a translation
// must carry over unchanged: addresses, links, dates and figures. Spaces
// are any Unicode space (\p{Zs}: the no-break space of "18.\u00a0März",
// the narrow no-break space of French), and month slots take any word,
// which the language's lexicon then confirms or rejects.
const (
	dsp    = `[\s\p{Zs}]`
	dDay   = `(\d{1,2})(?:er|re|e|st|nd|rd|th|º|ª|°|o)?`
	dMonth = `(\p{L}[\p{L}\p{M}]*(?:[.॰׳][\p{L}\p{M}]+)*[.॰׳]?)`
	dConn  = `(?:(?:de|del|di|of|do|da|năm)` + dsp + `+|d[’'])?`
	dEra   = `(?:(ค\.` + dsp + `?ศ\.|พ\.` + dsp + `?ศ\.|คริสต์ศักราช|พุทธศักราช)` + dsp + `*)?`
	dSep   = `(?:[-/]|\.` + dsp + `?)`
)

var (
	// 2026年10月15日, 令和8年10月15日, 2026년 10월 15일.
	cjkDateRe = regexp.MustCompile(`(?:(令和|平成|昭和)` + dsp + `*(\d{1,2}|元)|(\d{4}))` + dsp + `*[年년]` + dsp + `*(\d{1,2})` + dsp + `*[月월]` + dsp + `*(\d{1,2})` + dsp + `*[日일]`)
	// Vietnamese: 15 tháng 10, 2026 or ngày 15 tháng 10 năm 2026.
	viDateRe = regexp.MustCompile(`(?i)\b(\d{1,2})` + dsp + `+(?:tháng|thg)` + dsp + `+(\d{1,2})(?:,` + dsp + `*|` + dsp + `+năm` + dsp + `+)(\d{4})\b`)
	// 2026-10-15, 2026/10/15, 2026. 10. 15. (Korean, Hungarian).
	ymdNumRe = regexp.MustCompile(`\b(\d{4})` + dSep + `(\d{1,2})` + dSep + `(\d{1,2})\b`)
	// 2026. október 15., 2026 m. spalio 15 d.
	ymdNameRe = regexp.MustCompile(`\b(\d{4})\.?` + dsp + `+(?:m\.` + dsp + `+)?` + dMonth + dsp + `+(\d{1,2})\b`)
	// 15 October 2026, 15. Oktober 2026, 15 de octubre de 2026, 1er
	// janvier 2026, 15-oktabr, 2026, 15 ตุลาคม พ.ศ. 2569.
	dmyNameRe = regexp.MustCompile(`(?i)\b` + dDay + `(?:\.|-)?` + dsp + `*` + dConn + dMonth + `,?` + dsp + `+` + dConn + dEra + `(\d{4})\b`)
	// Latvian: 2026. gada 15. oktobris.
	lvDateRe = regexp.MustCompile(`\b(\d{4})\.` + dsp + `+gada` + dsp + `+(\d{1,2})\.` + dsp + `+` + dMonth)
	// October 15, 2026, Oct. 15th 2026.
	mdyNameRe = regexp.MustCompile(dMonth + dsp + `+` + dDay + `,?` + dsp + `+(\d{4})\b`)
	// 15.10.2026, 10/15/2026, 15. 10. 2026: the order is the language's.
	dmyNumRe = regexp.MustCompile(`\b(\d{1,2})` + dSep + `(\d{1,2})` + dSep + `(\d{4})\b`)

	yearRe      = regexp.MustCompile(`\d{4}`)
	htmlTagRe   = regexp.MustCompile(`<[^>]*>`)
	htmlAttrRe  = regexp.MustCompile(`(?i)\s(href|src)\s*=\s*["']([^"']*)["']`)
	htmlRowRe   = regexp.MustCompile(`(?i)<tr[\s>]`)
	htmlItemRe  = regexp.MustCompile(`(?i)<li[\s>]`)
	htmlTableRe = regexp.MustCompile(`(?i)<table[\s>]`)
	htmlImgRe   = regexp.MustCompile(`(?i)<img\s`)
)

// extractText adds the e-mail addresses, URLs, dates and numbers of
// plain text s, written in the language of lx, to m. Each character is
// counted once: a number inside a date or a URL is not also a number.
func extractText(s string, m *Metrics, lx *lexicon) {
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
		m.URLs = append(m.URLs, normalizeURL(s[loc[0]:loc[1]]))
		blank(loc[:])
	}
	s = asciiDigits(s)
	if !strings.ContainsAny(s, "0123456789") {
		return
	}
	// Bidirectional marks (Arabic dates are "15\u200f/10\u200f/2026")
	// are invisible: they separate nothing.
	s = strings.NewReplacer("\u200e", "", "\u200f", "", "\u061c", "").Replace(s)
	for _, w := range lx.numeralWords {
		s = strings.ReplaceAll(s, w, strings.Repeat(" ", len(w)))
	}
	if yearRe.MatchString(s) {
		s = findDates(s, m, lx)
	}
	for _, loc := range findNumbers(s, lx.spaceGroup) {
		m.Numbers = append(m.Numbers, normalizeNumber(lx.dropZeroCents(s[loc[0]:loc[1]])))
	}
}

// findDates adds the dates of s to m and returns s with them blanked.
// A date is kept as year-month-day ("2026-10-15"), with "?" for a
// month written in a form the lexicon does not know ("2026-?-15"), which
// then matches any month.
func findDates(s string, m *Metrics, lx *lexicon) string {
	atoi := func(loc []int, g int) int {
		if loc[2*g] < 0 {
			return 0
		}
		n, _ := strconv.Atoi(s[loc[2*g]:loc[2*g+1]])
		return n
	}
	group := func(loc []int, g int) string {
		if loc[2*g] < 0 {
			return ""
		}
		return s[loc[2*g]:loc[2*g+1]]
	}
	add := func(loc []int, y, mo, d int) {
		if d < 1 || d > 31 || mo < 0 || mo > 12 || y < 1000 {
			return
		}
		month := "?"
		if mo > 0 {
			month = twoDigits(mo)
		}
		m.Dates = append(m.Dates, strconv.Itoa(y)+"-"+month+"-"+twoDigits(d))
		s = s[:loc[0]] + strings.Repeat(" ", loc[1]-loc[0]) + s[loc[1]:]
	}
	era := func(y int, eraWord string) int {
		buddhist := strings.HasPrefix(eraWord, "พ") || eraWord == "" && lx.buddhist
		if buddhist && y > 2400 {
			return y - 543
		}
		return y
	}
	for _, loc := range cjkDateRe.FindAllStringSubmatchIndex(s, -1) {
		y := atoi(loc, 3)
		if e := group(loc, 1); e != "" {
			n := atoi(loc, 2)
			if group(loc, 2) == "元" {
				n = 1
			}
			y = map[string]int{"令和": 2018, "平成": 1988, "昭和": 1925}[e] + n
		}
		add(loc, era(y, ""), atoi(loc, 4), atoi(loc, 5))
	}
	for _, loc := range viDateRe.FindAllStringSubmatchIndex(s, -1) {
		add(loc, atoi(loc, 3), atoi(loc, 2), atoi(loc, 1))
	}
	for _, loc := range ymdNumRe.FindAllStringSubmatchIndex(s, -1) {
		add(loc, era(atoi(loc, 1), ""), atoi(loc, 2), atoi(loc, 3))
	}
	for _, loc := range lvDateRe.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := lx.month(group(loc, 3)); ok {
			add(loc, atoi(loc, 1), mo, atoi(loc, 2))
		}
	}
	for _, loc := range ymdNameRe.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := lx.month(group(loc, 2)); ok {
			add(loc, era(atoi(loc, 1), ""), mo, atoi(loc, 3))
		}
	}
	for _, loc := range dmyNameRe.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := lx.month(group(loc, 2)); ok {
			add(loc, era(atoi(loc, 4), group(loc, 3)), mo, atoi(loc, 1))
		}
	}
	for _, loc := range mdyNameRe.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := lx.month(group(loc, 1)); ok {
			add(loc, era(atoi(loc, 3), ""), mo, atoi(loc, 2))
		}
	}
	for _, loc := range dmyNumRe.FindAllStringSubmatchIndex(s, -1) {
		a, b := atoi(loc, 1), atoi(loc, 2)
		d, mo := a, b
		// The language's order decides, unless a part above 12 says
		// which one is the day (10/15/2026 in a day-first language).
		if !lx.dayFirst && b <= 31 || a <= 12 && b > 12 {
			d, mo = b, a
		}
		if mo > 12 {
			d, mo = mo, d
		}
		add(loc, era(atoi(loc, 3), ""), mo, d)
	}
	return s
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

// normalizeURL makes the forms of one address compare equal:
// "https://www.example.com/" and "www.example.com" are the same site.
func normalizeURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(u, "/")
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

// findEmails returns the byte ranges of the e-mail addresses in s. An
// address ends where its script does: a Korean particle or a Japanese
// word glued to it (privacy@example.com으로, お問い合わせはinfo@example.jp)
// is not part of it, nor is CJK punctuation.
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
		var script *unicode.RangeTable
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._%+-", r)) || changesScript(&script, r) {
				break
			}
			start -= n
		}
		end := at + 1
		script = nil
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.') || changesScript(&script, r) {
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

// scripts are the scripts an address or URL can be written in; a
// change from one to another ends it.
var scripts = []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Arabic, unicode.Hebrew, unicode.Devanagari}

// changesScript reports whether letter r is in another script than the
// letters before it, remembering the first letter's script in *cur.
// Digits and punctuation belong to every script.
func changesScript(cur **unicode.RangeTable, r rune) bool {
	if !unicode.IsLetter(r) {
		return false
	}
	var sc *unicode.RangeTable
	for _, t := range scripts {
		if unicode.Is(t, r) {
			sc = t
			break
		}
	}
	// Han and Kana mix in Japanese words.
	if sc == unicode.Hiragana || sc == unicode.Katakana {
		sc = unicode.Han
	}
	if *cur == nil {
		*cur = sc
		return false
	}
	return sc != *cur
}

// isCJKPunct reports whether r is ideographic or full-width punctuation
// (。、，）「 …), which ends a URL as a space would.
func isCJKPunct(r rune) bool {
	return r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xff65 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// findURLs returns the byte ranges of the http(s):// and www. URLs in s,
// without trailing punctuation. A URL ends at a space, at CJK
// punctuation, and where a letter of another script follows a letter or
// digit directly (example.com으로); a path segment may still be in
// another script (/wiki/개인정보).
func findURLs(s string) [][2]int {
	var out [][2]int
	for off := 0; off < len(s); {
		i := indexURL(s[off:])
		if i < 0 {
			return out
		}
		start := off + i
		end := start
		var script *unicode.RangeTable
		for end < len(s) && !strings.ContainsRune(" \t\n<>\"'()[]", rune(s[end])) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || isCJKPunct(r) {
				break
			}
			if prev, _ := utf8.DecodeLastRuneInString(s[:end]); unicode.IsLetter(prev) || unicode.IsDigit(prev) {
				if changesScript(&script, r) {
					break
				}
			} else if unicode.IsLetter(r) {
				script = nil
				changesScript(&script, r)
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
				if unicode.IsLetter(r) && unicode.Is(unicode.Latin, r) || unicode.IsDigit(r) || r == '/' || r == '.' {
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
// with single grouping or decimal separators between them (. , ' and
// the no-break, narrow no-break and thin spaces). With spaceGroup (the
// language groups digits with a space) a plain space followed by exactly
// three digits also continues a number: "10 000".
func findNumbers(s string, spaceGroup bool) [][2]int {
	var out [][2]int
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; i < len(s); {
		if !isDigit(i) {
			i++
			continue
		}
		start := i
		for {
			groupStart := i
			for isDigit(i) {
				i++
			}
			sep := 0
			switch {
			case i < len(s) && (s[i] == '.' || s[i] == ',' || s[i] == '\''):
				sep = 1
			case strings.HasPrefix(s[i:], "\u00a0"):
				sep = len("\u00a0")
			case strings.HasPrefix(s[i:], "\u202f"), strings.HasPrefix(s[i:], "\u2009"):
				sep = len("\u202f")
			case spaceGroup && i < len(s) && s[i] == ' ' && i-groupStart <= 3 &&
				isDigit(i+1) && isDigit(i+2) && isDigit(i+3) && !isDigit(i+4) &&
				// Not a telephone number: +1 650-903-0800.
				(start == 0 || s[start-1] != '+') && !(i+4 < len(s) && s[i+4] == '-'):
				sep = 1
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
