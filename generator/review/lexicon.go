package review

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/bg"
	"github.com/go-playground/locales/ca"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/da"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/el"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/et"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/he"
	"github.com/go-playground/locales/hi"
	"github.com/go-playground/locales/hr"
	"github.com/go-playground/locales/hu"
	"github.com/go-playground/locales/id"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/ja"
	"github.com/go-playground/locales/ko"
	"github.com/go-playground/locales/lt"
	"github.com/go-playground/locales/lv"
	"github.com/go-playground/locales/ms"
	"github.com/go-playground/locales/nb"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/sk"
	"github.com/go-playground/locales/sl"
	"github.com/go-playground/locales/sr"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/th"
	"github.com/go-playground/locales/tr"
	"github.com/go-playground/locales/uk"
	"github.com/go-playground/locales/uz"
	"github.com/go-playground/locales/vi"
	"github.com/go-playground/locales/zh"
)

// cldr lists the languages whose CLDR data (month names, separators,
// date order) the comparison knows, by base language subtag. Other
// languages are read with English data and the language-neutral forms
// (ISO dates, digits in any script, no-break spaces).
var cldr = map[string]func() locales.Translator{
	"ar": ar.New, "bg": bg.New, "ca": ca.New, "cs": cs.New, "da": da.New, "de": de.New,
	"el": el.New, "en": en.New, "es": es.New, "et": et.New, "fa": fa.New, "fi": fi.New,
	"fr": fr.New, "he": he.New, "hi": hi.New, "hr": hr.New, "hu": hu.New, "id": id.New,
	"it": it.New, "ja": ja.New, "ko": ko.New, "lt": lt.New, "lv": lv.New, "ms": ms.New,
	"nb": nb.New, "no": nb.New, "nl": nl.New, "pl": pl.New, "pt": pt.New, "ro": ro.New,
	"ru": ru.New, "sk": sk.New, "sl": sl.New, "sr": sr.New, "sv": sv.New, "th": th.New,
	"tr": tr.New, "uk": uk.New, "uz": uz.New, "vi": vi.New, "zh": zh.New,
}

// A lexicon is what recognising dates and numbers needs to know about
// one language. It is read-only once made.
type lexicon struct {
	lang string
	// months maps a lower-cased month name or abbreviation (without a
	// final period) of the language or of English to its number.
	months map[string]int
	// dayFirst: a numeric date such as 03/04/2026 is day first.
	dayFirst bool
	// decimal is the language's decimal separator.
	decimal byte
	// spaceGroup: the language groups digits with a space, so that
	// "10 000" (even with a plain space) is one number.
	spaceGroup bool
	// buddhist: years are counted in the Buddhist era (Thai) when they
	// are above 2400.
	buddhist bool
	// numeralWords are words written with a digit that are not figures
	// (Korean 제3자 "third party"), removed before numbers are read.
	numeralWords []string
}

// numeralWords are per-language words containing digits that mean no
// figure: the English text says "third party", not "3".
var numeralWords = map[string][]string{
	"ko": {"제3자", "제3국", "제3의"},
}

// newLexicon returns the lexicon of language lang (a BCP 47 tag).
func newLexicon(lang string) *lexicon {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	lx := &lexicon{lang: base, months: map[string]int{}, dayFirst: true, decimal: '.', numeralWords: numeralWords[base]}
	add := func(t locales.Translator) {
		for _, forms := range [][]string{t.MonthsWide(), t.MonthsAbbreviated()} {
			// The lists hold January first; some versions put an empty
			// string before it.
			shift := 1
			if len(forms) > 0 && forms[0] == "" {
				shift = 0
			}
			for i, m := range forms {
				n := i + shift
				m = strings.TrimRight(strings.ToLower(m), ".॰׳")
				if n == 0 || m == "" || strings.ContainsAny(m, "0123456789") {
					continue
				}
				// Catalan's format forms carry their preposition
				// ("de març", "d’octubre"); the month is the last word.
				last := m
				if i := strings.LastIndexAny(m, " ’'"); i >= 0 {
					_, n := utf8.DecodeRuneInString(m[i:])
					last = m[i+n:]
				}
				for _, f := range []string{m, last} {
					if _, dup := lx.months[f]; !dup && f != "" {
						lx.months[f] = n
					}
				}
			}
		}
	}
	newT, ok := cldr[base]
	if ok {
		t := newT()
		add(t)
		// The short date format shows the order of day and month:
		// 3 February 2001 is "2/3/01" in English, "03.02.01" in German.
		short := t.FmtDateShort(time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC))
		lx.dayFirst = strings.IndexByte(short, '3') < strings.IndexByte(short, '2')
		// 1234567 is "1,234,567" or "1 234 567": the rune after the 1
		// is the grouping separator.
		g, _ := utf8.DecodeRuneInString(strings.TrimPrefix(asciiDigits(t.FmtNumber(1234567, 0)), "1"))
		lx.spaceGroup = unicode.IsSpace(g) || g == '\u202f'
		if d := strings.TrimPrefix(asciiDigits(t.FmtNumber(1.5, 1)), "1"); d != "" && d[0] < 0x80 {
			lx.decimal = d[0]
		}
	}
	// English month names are understood in every language: policies
	// quote English dates, and "Sept." is "Sept." everywhere.
	if base != "en" {
		add(en.New())
	}
	lx.months["sept"] = 9
	lx.buddhist = base == "th"
	return lx
}

// month looks a month word up: its number, 0 when the word only looks
// like an inflected form of a month name (Czech "březen" beside the
// CLDR "března": the month is then left open), and whether it is a
// month at all.
func (lx *lexicon) month(word string) (int, bool) {
	w := strings.TrimRight(strings.ToLower(word), ".॰׳")
	if n, ok := lx.months[w]; ok {
		return n, true
	}
	// Hebrew writes "in March" as one word: ב + מרץ.
	if rest, ok := strings.CutPrefix(w, "ב"); ok && lx.lang == "he" {
		if n, ok := lx.months[rest]; ok {
			return n, true
		}
	}
	if utf8.RuneCountInString(w) < 3 || utf8.RuneCountInString(w) > 16 {
		return 0, false
	}
	for form := range lx.months {
		if utf8.RuneCountInString(form) >= 4 && commonPrefix(w, form) >= 4 {
			return 0, true
		}
	}
	return 0, false
}

// dropZeroCents removes a fraction of one or two zeros written with the
// language's decimal separator: "US$ 500,00" in Portuguese is the "$500"
// of the English text.
func (lx *lexicon) dropZeroCents(n string) string {
	i := strings.LastIndexByte(n, lx.decimal)
	if i < 0 || len(n)-i-1 > 2 || len(n)-i-1 == 0 || strings.Trim(n[i+1:], "0") != "" {
		return n
	}
	return n[:i]
}

// commonPrefix counts the runes that a and b start with in common.
func commonPrefix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		n++
		a, b = a[sa:], b[sb:]
	}
	return n
}

// asciiDigits returns s with every decimal digit of any script (Thai ๒,
// Arabic-Indic ٢, full-width ２) replaced by its ASCII digit.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f && unicode.IsDigit(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r > 0x7f && unicode.IsDigit(r) {
			// Decimal digits come in contiguous runs of ten from zero.
			z := r
			for unicode.IsDigit(z - 1) {
				z--
			}
			b.WriteByte(byte('0' + (r-z)%10))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
