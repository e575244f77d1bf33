package worddiff

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"We keep it.", []string{"We", " ", "keep", " ", "it", "."}},
		{"don't  stop", []string{"don", "'", "t", "  ", "stop"}},
		// Han and Kana: a character each.
		{"個人情報を", []string{"個", "人", "情", "報", "を"}},
		// Thai: a character each, with its vowel and tone marks (ที่ is
		// ท, the vowel ี and the tone mark ่), never a mark alone.
		{"ที่เก็บ", []string{"ที่", "เ", "ก็", "บ"}},
		// A Japanese voicing mark written as a combining character.
		{"か\u3099", []string{"か\u3099"}},
		// Arabic and Devanagari: words, with their marks.
		{"البيانات الشخصية", []string{"البيانات", " ", "الشخصية"}},
		{"हिन्दी पाठ", []string{"हिन्दी", " ", "पाठ"}},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     []Span
	}{
		{"A cookie is a small text file.", "A cookie is a tiny text file.", []Span{
			{Op: Equal, Text: "A cookie is a "}, {Op: Delete, Text: "small", Old: 14, New: 14},
			{Op: Insert, Text: "tiny", Old: 19, New: 14}, {Op: Equal, Text: " text file.", Old: 19, New: 18}}},
		{"same", "same", []Span{{Op: Equal, Text: "same"}}},
		{"", "new", []Span{{Op: Insert, Text: "new"}}},
		{"old", "", []Span{{Op: Delete, Text: "old"}}},
		{"one two", "one two three", []Span{{Op: Equal, Text: "one two"}, {Op: Insert, Text: " three", Old: 7, New: 7}}},
		// Two changed words next to each other read as one change.
		{"keep logs for 180 days", "store data for 90 days", []Span{
			{Op: Delete, Text: "keep logs"}, {Op: Insert, Text: "store data", Old: 9},
			{Op: Equal, Text: " for ", Old: 9, New: 10}, {Op: Delete, Text: "180", Old: 14, New: 15},
			{Op: Insert, Text: "90", Old: 17, New: 15}, {Op: Equal, Text: " days", Old: 17, New: 17}}},
		// Han characters are words of their own.
		{"个人信息保护", "个人数据保护", []Span{
			{Op: Equal, Text: "个人"}, {Op: Delete, Text: "信息", Old: 6, New: 6},
			{Op: Insert, Text: "数据", Old: 12, New: 6}, {Op: Equal, Text: "保护", Old: 12, New: 12}}},
		// A changed Thai tone mark changes its whole character.
		{"ข้อมูล", "ข๊อมูล", []Span{
			{Op: Delete, Text: "ข้"}, {Op: Insert, Text: "ข๊", Old: 6},
			{Op: Equal, Text: "อมูล", Old: 6, New: 6}}},
	} {
		got := Diff(tc.old, tc.new)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Diff(%q, %q) =\n %+v; want\n %+v", tc.old, tc.new, got, tc.want)
		}
		checkRebuild(t, "Diff", tc.old, tc.new, got)
	}
}

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     string
	}{
		{"We keep the data.", "You give the information.", "[-We keep the data-]{+You give the information+}."},
		// A long shared run stays.
		{"keep logs for 180 days", "store data for 90 days", "[-keep logs-]{+store data+} for [-180-]{+90+} days"},
		{"A cookie is a small text file.", "A cookie is a tiny text file.", "A cookie is a [-small-]{+tiny+} text file."},
		// A particle shared by two different Japanese phrases.
		{"氏名を保存します", "住所を削除します", "[-氏名を保存-]{+住所を削除+}します"},
		{"same", "same", "same"},
	} {
		got := Readable(Diff(tc.old, tc.new))
		if s := format(got); s != tc.want {
			t.Errorf("Readable(Diff(%q, %q)) = %s; want %s", tc.old, tc.new, s, tc.want)
		}
		checkRebuild(t, "Readable", tc.old, tc.new, got)
	}
}

func format(spans []Span) string {
	var b strings.Builder
	for _, sp := range spans {
		switch sp.Op {
		case Delete:
			b.WriteString("[-" + sp.Text + "-]")
		case Insert:
			b.WriteString("{+" + sp.Text + "+}")
		default:
			b.WriteString(sp.Text)
		}
	}
	return b.String()
}

// checkRebuild checks that spans rebuild both texts, at their offsets.
func checkRebuild(t *testing.T, name, old, new string, spans []Span) {
	t.Helper()
	var o, n strings.Builder
	for _, sp := range spans {
		if sp.Old != o.Len() || sp.New != n.Len() {
			t.Errorf("%s(%q, %q): span %+v at offsets %d, %d", name, old, new, sp, o.Len(), n.Len())
		}
		if sp.Op != Insert {
			o.WriteString(sp.Text)
		}
		if sp.Op != Delete {
			n.WriteString(sp.Text)
		}
	}
	if o.String() != old || n.String() != new {
		t.Errorf("%s(%q, %q) spans rebuild %q, %q", name, old, new, o.String(), n.String())
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("A cookie is a small text file.", "A cookie is a tiny text file.")
	f.Add("個人情報を保存します", "個人データを削除します")
	f.Add("ที่เก็บข้อมูล", "การใช้ข้อมูล")
	f.Fuzz(func(t *testing.T, old, new string) {
		if len(old) > 2000 || len(new) > 2000 {
			return
		}
		checkRebuild(t, "Diff", old, new, Diff(old, new))
		checkRebuild(t, "Readable", old, new, Readable(Diff(old, new)))
	})
}
