package generator

import "testing"

func TestChainUses(t *testing.T) {
	tests := []struct {
		chain, tags []string
		want        bool
	}{
		{[]string{"de-DE", "de", "en"}, []string{"de"}, true},
		{[]string{"de-DE", "de", "en"}, []string{"en"}, true},
		{[]string{"de-DE", "de", "en"}, []string{"fr"}, false},
		// Language files serve their regions even without a base locale.
		{[]string{"pt-BR", "en"}, []string{"pt"}, true},
		{[]string{"en-GB", "en"}, []string{"en-US"}, false},
	}
	for _, tt := range tests {
		if got := chainUses(tt.chain, tt.tags); got != tt.want {
			t.Errorf("chainUses(%v, %v) = %v; want %v", tt.chain, tt.tags, got, tt.want)
		}
	}
}
