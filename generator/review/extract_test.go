package review

import (
	"reflect"
	"testing"
)

func TestExtractText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Metrics
	}{
		{"Write to DPO@Example.com.", Metrics{Emails: []string{"dpo@example.com"}}},
		{"See https://www.example.com/a_b?x=1. Or www.example.org, today.", Metrics{URLs: []string{"https://www.example.com/a_b?x=1", "www.example.org"}}},
		{"fines of 20,000,000 or 20.000.000 or 20\u202f000\u202f000", Metrics{Numbers: []string{"20000000", "20000000", "20000000"}}},
		{"Art. 6 Abs. 1", Metrics{Numbers: []string{"6", "1"}}},
		{"on 15 October 2026, 15. Oktober 2026, October 15, 2026", Metrics{Dates: []string{"2026-?-15", "2026-?-15", "2026-?-15"}}},
		{"2026年10月15日 and 2026-10-15 and 15.10.2026 and 10/15/2026", Metrics{Dates: []string{"2026-?-15", "2026-?-15", "2026-?-15", "2026-?-15"}}},
		{"1.Item without a space", Metrics{Numbers: []string{"1"}}},
		{"no digits, no addresses", Metrics{}},
	} {
		var got Metrics
		extractText(tc.in, &got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("extractText(%q) = %+v; want %+v", tc.in, got, tc.want)
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
