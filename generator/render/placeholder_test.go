package render

import (
	"fmt"
	"strings"
	"testing"
)

func TestPlaceholdersSplit(t *testing.T) {
	p := placeholders{token: "tok"}
	tests := []struct {
		in, lists string
		want      string // parts joined by "|", refs as <list i>
	}{
		{"", "l", ""},
		{"a" + p.make('l', 0) + "b", "l", "a<l0>b"},
		{p.make('s', 12) + p.make('a', 3), "sa", "<s12><a3>"},
		{"x" + p.make('s', 1), "a", "x" + p.make('s', 1)}, // another list stays text
		{"tok", "l", "tok"},
		{"tokl", "l", "tokl"},
		{"toklx", "l", "toklx"},     // no number
		{"tokl+5x", "l", "tokl+5x"}, // not digits
		{"tokl5", "l", "tokl5"},     // no "x"
		{"toktokl1x", "l", "tok<l1>"},
	}
	for _, tt := range tests {
		parts, refs := p.split(tt.in, tt.lists)
		if len(parts) != len(refs)+1 {
			t.Fatalf("split(%q): %d parts, %d refs", tt.in, len(parts), len(refs))
		}
		var b strings.Builder
		for i, part := range parts {
			b.WriteString(part)
			if i < len(refs) {
				fmt.Fprintf(&b, "<%c%d>", refs[i].list, refs[i].i)
			}
		}
		if b.String() != tt.want {
			t.Errorf("split(%q, %q) = %q; want %q", tt.in, tt.lists, b.String(), tt.want)
		}
	}
}
