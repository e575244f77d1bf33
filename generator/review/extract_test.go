package review

import (
	"reflect"
	"testing"
	"time"
)

func TestExtractText(t *testing.T) {
	for _, tc := range []struct {
		lang string
		in   string
		want Metrics
	}{
		{"en", "Write to DPO@Example.com.", Metrics{Emails: []string{"dpo@example.com"}}},
		{"en", "See https://www.example.com/a_b?x=1. Or www.example.org, today.", Metrics{URLs: []string{"www.example.com/a_b?x=1", "www.example.org"}}},
		{"en", "fines of 20,000,000 or 20.000.000 or 20\u202f000\u202f000", Metrics{Numbers: []string{"20000000", "20000000", "20000000"}}},
		{"de", "Art. 6 Abs. 1", Metrics{Numbers: []string{"6", "1"}}},
		{"en", "on 15 October 2026, October 15, 2026, Oct. 15th 2026", Metrics{Dates: []string{"2026-10-15", "2026-10-15", "2026-10-15"}}},
		{"en", "2026-10-15 and 10/15/2026 and 3/4/2026", Metrics{Dates: []string{"2026-10-15", "2026-10-15", "2026-03-04"}}},
		{"en", "1.Item without a space", Metrics{Numbers: []string{"1"}}},
		{"en", "no digits, no addresses", Metrics{}},
		// German: no-break space after the day's period, numeric dates day first.
		{"de", "am 18.\u00a0März 2023, am 18. März 2023 und am 3.4.2026", Metrics{Dates: []string{"2023-03-18", "2023-03-18", "2026-04-03"}}},
		{"de", "bis 20.000.000 Euro oder 4\u00a0%", Metrics{Numbers: []string{"20000000", "4"}}},
		// French: ordinal day, narrow no-break and plain space grouping.
		{"fr", "le 1er janvier 2024 ; 10 000 personnes, 10\u202f000 ou 2,5 %", Metrics{Dates: []string{"2024-01-01"}, Numbers: []string{"10000", "10000", "25"}}},
		// Hungarian: year first, with periods.
		{"hu", "2023. március 18. óta, 2023. 03. 18.", Metrics{Dates: []string{"2023-03-18", "2023-03-18"}}},
		// Czech: genitive month (CLDR) and the nominative (month left open).
		{"cs", "od 18. března 2023 a 18. březen 2023", Metrics{Dates: []string{"2023-03-18", "2023-?-18"}}},
		{"cs", "1\u00a0234\u00a0567,5 Kč", Metrics{Numbers: []string{"12345675"}}},
		// A telephone number is not a grouped number; zero cents are no figure.
		{"fr", "au +1 650-903-0800 ou 10 000 €", Metrics{Numbers: []string{"1", "650", "903", "800", "10000"}}},
		{"pt", "limitada a US$ 500,00 ou 2,50", Metrics{Numbers: []string{"500", "250"}}},
		{"en", "limited to $500.00", Metrics{Numbers: []string{"500"}}},
		// Spanish and Portuguese connectors.
		{"es", "el 18 de marzo de 2023", Metrics{Dates: []string{"2023-03-18"}}},
		{"pt", "em 18 de março de 2023, 1º de novembro de 2023 ou 1o de novembro de 2023", Metrics{Dates: []string{"2023-03-18", "2023-11-01", "2023-11-01"}}},
		// Russian and Ukrainian: genitive months, "г." after the year.
		{"ru", "с 18 марта 2023 г. по 1 апр. 2024", Metrics{Dates: []string{"2023-03-18", "2024-04-01"}}},
		{"uk", "від 18 березня 2023 р.", Metrics{Dates: []string{"2023-03-18"}}},
		// Uzbek: day-month with a hyphen.
		{"uz", "1-mart, 2023", Metrics{Dates: []string{"2023-03-01"}}},
		// Lithuanian: "2023 m. kovo 18 d.".
		{"lt", "2023 m. kovo 18 d.", Metrics{Dates: []string{"2023-03-18"}}},
		// Thai: Buddhist era years, with or without พ.ศ., Thai digits.
		{"th", "วันที่ 18 มีนาคม พ.ศ. 2566 และ 18 มีนาคม 2566 และ ๑๘ มีนาคม ๒๕๖๖", Metrics{Dates: []string{"2023-03-18", "2023-03-18", "2023-03-18"}}},
		{"th", "1 มีนาคม ค.ศ. 2023", Metrics{Dates: []string{"2023-03-01"}}},
		// Japanese, Chinese and Korean, with era and full-width digits.
		{"ja", "2023年3月18日、令和5年3月18日、２０２３年３月１８日", Metrics{Dates: []string{"2023-03-18", "2023-03-18", "2023-03-18"}}},
		{"ko", "2023년 3월 18일 및 2023. 3. 18.", Metrics{Dates: []string{"2023-03-18", "2023-03-18"}}},
		// Vietnamese: months are "tháng N".
		{"vi", "ngày 18 tháng 3 năm 2023 hoặc 18 tháng 3, 2023", Metrics{Dates: []string{"2023-03-18", "2023-03-18"}}},
		// Addresses end where the script changes or at CJK punctuation.
		{"ko", "privacy@example.com으로 문의하거나 https://www.example.com/ko에서", Metrics{Emails: []string{"privacy@example.com"}, URLs: []string{"www.example.com/ko"}}},
		{"ja", "お問い合わせはprivacy@example.jpまで。詳細はexample.com。https://example.com/jp。", Metrics{Emails: []string{"privacy@example.jp"}, URLs: []string{"example.com/jp"}}},
		{"zh", "请访问 https://www.example.com/cn，或发送邮件至 privacy@example.com。", Metrics{Emails: []string{"privacy@example.com"}, URLs: []string{"www.example.com/cn"}}},
		{"ko", "https://ko.wikipedia.org/wiki/개인정보 참고", Metrics{URLs: []string{"ko.wikipedia.org/wiki/개인정보"}}},
		// Korean "제3자" is "third party", not the figure 3; 제3조 (Article 3) is.
		{"ko", "제3자에게 제공하며 제3조에 따라 30일 이내", Metrics{Numbers: []string{"3", "30"}}},
	} {
		var got Metrics
		extractText(tc.in, &got, newLexicon(tc.lang))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("extractText(%s, %q) =\n %+v; want\n %+v", tc.lang, tc.in, got, tc.want)
		}
	}
}

// TestCLDRDates checks that every date CLDR formats for each language
// (short dates aside: their two-digit years are not dates a policy
// writes) is read back as the same day.
func TestCLDRDates(t *testing.T) {
	days := []time.Time{
		time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	for lang, newT := range cldr {
		tr := newT()
		lx := newLexicon(lang)
		for _, d := range days {
			want := d.Format("2006-01-02")
			for _, form := range []string{tr.FmtDateMedium(d), tr.FmtDateLong(d), tr.FmtDateFull(d)} {
				var m Metrics
				extractText(form, &m, lx)
				if len(m.Dates) != 1 || (m.Dates[0] != want && m.Dates[0] != d.Format("2006-?-02")) {
					t.Errorf("%s: extractText(%q) dates = %v, numbers = %v; want [%s]", lang, form, m.Dates, m.Numbers, want)
				}
			}
		}
	}
}

func TestDatesDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b           []string
		missing, extra []string
	}{
		{[]string{"2023-03-18"}, []string{"2023-?-18"}, nil, nil},
		{[]string{"2023-03-18"}, []string{"2023-04-18"}, []string{"2023-03-18"}, []string{"2023-04-18"}},
		{[]string{"2023-03-18", "2023-03-18"}, []string{"2023-?-18"}, []string{"2023-03-18"}, nil},
	} {
		m, e := datesDiff(tc.a, tc.b)
		if !reflect.DeepEqual(m, tc.missing) || !reflect.DeepEqual(e, tc.extra) {
			t.Errorf("datesDiff(%v, %v) = %v, %v; want %v, %v", tc.a, tc.b, m, e, tc.missing, tc.extra)
		}
	}
}

func TestCountWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"Example Group's privacy policy", 4},
		{"e-mail address, 2026", 3},
		{"個人情報", 4},
		{"Datenschutz-Grundverordnung (DSGVO)", 2},
	} {
		if got := countWords(tc.in); got != tc.want {
			t.Errorf("countWords(%q) = %d; want %d", tc.in, got, tc.want)
		}
	}
}

func TestSmallNumbers(t *testing.T) {
	for _, tc := range []struct {
		missing, extra []string
		wantM, wantE   []string
	}{
		// "six months" / "seis meses": the digit is a word in one text.
		{[]string{"6"}, nil, nil, nil},
		{nil, []string{"2"}, nil, nil},
		// "6 months" became "3 meses": reported.
		{[]string{"6"}, []string{"3"}, []string{"6"}, []string{"3"}},
		// Larger figures are always reported.
		{[]string{"13", "16"}, nil, []string{"13", "16"}, nil},
		{[]string{"180", "7"}, []string{"90"}, []string{"180"}, []string{"90"}},
	} {
		m, e := smallNumbers(tc.missing, tc.extra)
		if !reflect.DeepEqual(m, tc.wantM) || !reflect.DeepEqual(e, tc.wantE) {
			t.Errorf("smallNumbers(%v, %v) = %v, %v; want %v, %v", tc.missing, tc.extra, m, e, tc.wantM, tc.wantE)
		}
	}
}
