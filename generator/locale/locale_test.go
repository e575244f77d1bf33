package locale

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"policysite/generator/config"
)

func site(defaultLocale string, locs ...config.Locale) *config.Site {
	s := config.Default("")
	s.Locales = locs
	s.DefaultLocale = defaultLocale
	return s
}

func TestChains(t *testing.T) {
	s := site("en",
		config.Locale{Tag: "en"}, config.Locale{Tag: "en-GB"}, config.Locale{Tag: "de"},
		config.Locale{Tag: "de-DE"}, config.Locale{Tag: "fr-FR"}, config.Locale{Tag: "ru-RU"},
		config.Locale{Tag: "ru-KZ", Fallback: []string{"ru-RU"}},
		config.Locale{Tag: "uz-UZ", Fallback: []string{"ru-UZ", "ru-RU"}},
		config.Locale{Tag: "ru-UZ", Fallback: []string{"ru-RU"}},
	)
	set, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"en":    "en",
		"en-GB": "en-GB en",
		"de-DE": "de-DE de en",
		"de":    "de en",
		"fr-FR": "fr-FR en",
		"ru-KZ": "ru-KZ ru-RU en",
		"uz-UZ": "uz-UZ ru-UZ ru-RU en",
	}
	for tag, want := range tests {
		if got := strings.Join(set.Get(tag).Chain, " "); got != want {
			t.Errorf("Chain(%s) = %s; want %s", tag, got, want)
		}
	}
}

func TestChainErrors(t *testing.T) {
	_, err := New(site("en", config.Locale{Tag: "en", Fallback: []string{"en-GB"}}, config.Locale{Tag: "en-GB", Fallback: []string{"en"}}))
	if err == nil || !strings.Contains(err.Error(), "fallback cycle") {
		t.Errorf("cycle: err = %v", err)
	}
	_, err = New(site("en", config.Locale{Tag: "en"}, config.Locale{Tag: "ru-KZ", Fallback: []string{"ru-RU"}}))
	if err == nil || !strings.Contains(err.Error(), `"ru-RU", which is not a locale of the site`) {
		t.Errorf("unknown fallback: err = %v", err)
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ tag, self string }{
		{"ru-RU", "Русский"}, // Cyrillic Р, not a Latin P
		{"tr-TR", "Türkçe"},
		{"pt-BR", "Português"},
		{"uz-UZ", "O‘zbek"},
		{"zh-CN", "中文"},
		{"de-DE", "Deutsch"},
		{"ja-JP", "日本語"},
	}
	for _, tt := range tests {
		if got := SelfName(language.MustParse(tt.tag)); got != tt.self {
			t.Errorf("SelfName(%s) = %q; want %q", tt.tag, got, tt.self)
		}
	}
	l := &Locale{Region: "GB"}
	if got := l.RegionName(language.German); got != "Vereinigtes Königreich" {
		t.Errorf("RegionName(GB in de) = %q", got)
	}
}

func TestDirection(t *testing.T) {
	for tag, want := range map[string]string{"ar": "rtl", "he-IL": "rtl", "fa-IR": "rtl", "en": "ltr", "zh-CN": "ltr", "ur": "rtl"} {
		if got := Direction(language.MustParse(tag)); got != want {
			t.Errorf("Direction(%s) = %s; want %s", tag, got, want)
		}
	}
}

func TestSort(t *testing.T) {
	// Swedish sorts Ö after Z; German sorts it with O.
	words := []string{"Zürich", "Österreich", "Oslo"}
	de := slices.Clone(words)
	Sort(language.German, de, func(s string) string { return s })
	if want := []string{"Oslo", "Österreich", "Zürich"}; !slices.Equal(de, want) {
		t.Errorf("German sort = %v; want %v", de, want)
	}
	sv := slices.Clone(words)
	Sort(language.Swedish, sv, func(s string) string { return s })
	if want := []string{"Oslo", "Zürich", "Österreich"}; !slices.Equal(sv, want) {
		t.Errorf("Swedish sort = %v; want %v", sv, want)
	}
}
