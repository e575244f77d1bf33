package markdown

import (
	"strings"
	"testing"
)

func TestIndexFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   int
	}{
		{"CONTENT=0;URL=x", "url", 10},
		{"content=0;url=x", "url", 10},
		{"\xcdurl", "url", 1},          // invalid UTF-8 before: lowering makes it 3 bytes
		{"İİ</SCRIPT>", "</script", 4}, // "İ" lowers to 3 bytes
		{"ur", "url", -1},
		{"", "url", -1},
		{"uRl", "url", 0},
	} {
		got := indexFold(tc.s, tc.sub)
		if got != tc.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tc.s, tc.sub, got, tc.want)
		}
		if got >= 0 && !strings.EqualFold(tc.s[got:got+len(tc.sub)], tc.sub) {
			t.Errorf("indexFold(%q, %q) = %d does not point at %q", tc.s, tc.sub, got, tc.sub)
		}
	}
}
