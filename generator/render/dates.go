package render

import (
	"strings"
	"time"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/da"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/de_AT"
	"github.com/go-playground/locales/de_CH"
	"github.com/go-playground/locales/el"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/en_AU"
	"github.com/go-playground/locales/en_CA"
	"github.com/go-playground/locales/en_CH"
	"github.com/go-playground/locales/en_GB"
	"github.com/go-playground/locales/en_IE"
	"github.com/go-playground/locales/en_IN"
	"github.com/go-playground/locales/en_KE"
	"github.com/go-playground/locales/en_MY"
	"github.com/go-playground/locales/en_NZ"
	"github.com/go-playground/locales/en_SG"
	"github.com/go-playground/locales/en_US"
	"github.com/go-playground/locales/en_ZA"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/es_419"
	"github.com/go-playground/locales/es_MX"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/fr_CA"
	"github.com/go-playground/locales/fr_CH"
	"github.com/go-playground/locales/he"
	"github.com/go-playground/locales/hi"
	"github.com/go-playground/locales/hu"
	"github.com/go-playground/locales/id"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/ja"
	"github.com/go-playground/locales/kk"
	"github.com/go-playground/locales/ko"
	"github.com/go-playground/locales/ms"
	"github.com/go-playground/locales/nb"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/pt_PT"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/sk"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/th"
	"github.com/go-playground/locales/tr"
	"github.com/go-playground/locales/uk"
	"github.com/go-playground/locales/uz_Cyrl"
	"github.com/go-playground/locales/uz_Latn"
	"github.com/go-playground/locales/vi"
	"github.com/go-playground/locales/zh_Hans"
	"github.com/go-playground/locales/zh_Hant"
	"golang.org/x/text/language"
)

// cldrDates maps a tag to its CLDR date formatter (go-playground/locales
// is generated from CLDR). The most specific of language-Script-REGION,
// language-REGION, language-Script and language wins.
var cldrDates = map[string]func() locales.Translator{
	"ar": ar.New, "cs": cs.New, "da": da.New, "de": de.New, "de-AT": de_AT.New,
	"de-CH": de_CH.New, "el": el.New, "en": en.New, "en-AU": en_AU.New,
	"en-CA": en_CA.New, "en-CH": en_CH.New, "en-GB": en_GB.New, "en-IE": en_IE.New,
	"en-IN": en_IN.New, "en-KE": en_KE.New, "en-MY": en_MY.New, "en-NZ": en_NZ.New,
	"en-SG": en_SG.New, "en-US": en_US.New, "en-ZA": en_ZA.New, "es": es.New,
	"es-419": es_419.New, "es-MX": es_MX.New, "fa": fa.New, "fi": fi.New, "fr": fr.New,
	"fr-CA": fr_CA.New, "fr-CH": fr_CH.New, "he": he.New, "hi": hi.New, "hu": hu.New,
	"id": id.New, "it": it.New, "ja": ja.New, "kk": kk.New, "ko": ko.New, "ms": ms.New,
	"nb": nb.New, "nl": nl.New, "pl": pl.New, "pt": pt.New, "pt-PT": pt_PT.New,
	"ro": ro.New, "ru": ru.New, "sk": sk.New, "sv": sv.New, "th": th.New, "tr": tr.New,
	"uk": uk.New, "uz-Cyrl": uz_Cyrl.New, "uz-Latn": uz_Latn.New, "uz": uz_Latn.New,
	"vi": vi.New, "zh-Hans": zh_Hans.New, "zh-Hant": zh_Hant.New, "zh": zh_Hans.New,
}

// dateFormatter formats "last updated" dates for one locale.
type dateFormatter struct {
	tr       locales.Translator
	buddhist bool
}

// newDateFormatter picks the CLDR formatter for t, and returns a function
// that makes it (a translator is a large value; a locale makes its own
// on its first page). ok is false when no CLDR data is bundled for t's
// language; dates are then ISO 8601.
func newDateFormatter(t language.Tag) (mk func() dateFormatter, ok bool) {
	b, _ := t.Base()
	s, _ := t.Script()
	r, rconf := t.Region()
	var cands []string
	if rconf == language.Exact {
		cands = append(cands, b.String()+"-"+s.String()+"-"+r.String(), b.String()+"-"+r.String())
	}
	cands = append(cands, b.String()+"-"+s.String(), b.String())
	for _, c := range cands {
		if n, ok := cldrDates[c]; ok {
			// Thailand's official calendar is the Buddhist era (CLDR's
			// calendarPreferenceData lists "buddhist" first for TH).
			buddhist := b.String() == "th" && (rconf != language.Exact || r.String() == "TH")
			return func() dateFormatter { return dateFormatter{tr: n(), buddhist: buddhist} }, true
		}
	}
	return func() dateFormatter { return dateFormatter{} }, false
}

// Format returns the long date form of d.
func (f dateFormatter) Format(d time.Time) string {
	if f.tr == nil {
		return d.Format("2006-01-02")
	}
	if f.buddhist {
		be := time.Date(d.Year()+543, d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		// CLDR's Thai era names: ค.ศ. (Common Era) and พ.ศ. (Buddhist Era).
		return strings.Replace(f.tr.FmtDateLong(be), "ค.ศ.", "พ.ศ.", 1)
	}
	return f.tr.FmtDateLong(d)
}
