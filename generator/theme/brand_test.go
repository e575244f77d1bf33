package theme

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#777777", "#ffffff", 4.48},
		{"#0a4a9e", "#ffffff", 8.45},
	}
	for _, tt := range tests {
		if got := Contrast(tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f; want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestBrandCSS checks brand colours against the default theme's own
// palettes: an error names the ratio, the pair and the key's position.
func TestBrandCSS(t *testing.T) {
	css, err := os.ReadFile("../../themes/default/assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		brand Brand
		want  []string // substrings of the error; none: success
	}{
		{Brand{Light: "#0a4a9e", LightAt: "site.toml:3"}, nil},
		{Brand{Light: "#b00020", Dark: "#ff8a80", LightAt: "site.toml:3", DarkAt: "site.toml:4"}, nil},
		// #777777 passes on white (4.48:1 is close) but not on the
		// theme's grey surfaces: the worst pair is named.
		{Brand{Light: "#777777", LightAt: "site.toml:3"},
			[]string{"site.toml:3: theme.brandColor \"#777777\" reaches only 3.74:1 as text on the background --surface-2 (#e7ebf1)", "light scheme", "4.5:1", "darker"}},
		{Brand{Light: "#7fb2ff", LightAt: "site.toml:3"}, []string{"reaches only 1.80:1", "light scheme"}},
		{Brand{Light: "#0a4a9e", Dark: "#0a4a9e", LightAt: "site.toml:3", DarkAt: "site.toml:4"},
			[]string{"site.toml:4: theme.brandColorDark \"#0a4a9e\" reaches only", "dark scheme", "lighter"}},
	}
	for _, tt := range tests {
		out, err := brandCSS(css, tt.brand)
		if tt.want == nil {
			if err != nil {
				t.Errorf("brandCSS(%+v): %v", tt.brand, err)
			} else if !strings.Contains(string(out), "--brand: "+tt.brand.Light) || !strings.Contains(string(out), "prefers-color-scheme: dark") {
				t.Errorf("brandCSS(%+v) = %s; want both schemes", tt.brand, out)
			}
			continue
		}
		if err == nil {
			t.Errorf("brandCSS(%+v) = nil error; want %q", tt.brand, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("brandCSS(%+v) error %q does not contain %q", tt.brand, err, w)
			}
		}
	}
}

func TestFormatRatio(t *testing.T) {
	for in, want := range map[float64]string{4.4999: "4.49", 4.5: "4.50", 21: "21.00", 1.801: "1.80"} {
		if got := formatRatio(in); got != want {
			t.Errorf("formatRatio(%v) = %s; want %s", in, got, want)
		}
	}
}

// TestBrandDarkDerived checks that the derived dark colour of any light
// colour that passes reaches AA on every dark background.
func TestBrandDarkDerived(t *testing.T) {
	css, err := os.ReadFile("../../themes/default/assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	_, dark := palettes(string(css))
	if len(dark) < len(backgrounds)+1 {
		t.Fatalf("dark palette = %v; want the backgrounds and --on-brand", dark)
	}
	for _, c := range []string{"#0a4a9e", "#b00020", "#006400", "#5b2a86", "#000000", "#8a4b00"} {
		d := lighten(c, dark)
		if err := checkContrast(d, dark); err != nil {
			t.Errorf("lighten(%s) = %s: %v", c, d, err)
		}
	}
}
