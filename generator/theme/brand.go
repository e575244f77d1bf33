package theme

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"policysite/generator/config"
)

// Brand is a site's accent colour, which the default theme uses for
// buttons, the skip link, section numbers and accent lines. The zero
// value keeps the theme's own colours.
type Brand struct {
	// Light is the colour in the light scheme, "#rrggbb".
	Light string
	// Dark is the colour in the dark scheme, "#rrggbb". Default: Light
	// mixed with white until it reaches AA contrast on the dark
	// backgrounds.
	Dark string
	// LightAt and DarkAt name where each was set ("site.toml:12"), for
	// errors.
	LightAt, DarkAt string
}

// minContrast is WCAG 2.1 AA's minimum contrast ratio for normal text.
const minContrast = 4.5

// brandName is the logical name of the stylesheet that sets the brand
// colour; base.html links it after the theme's stylesheet.
const brandName = "css/brand.css"

// backgrounds are the custom properties of the theme's backgrounds, on
// which the brand colour is text (section numbers, the 404 code). The
// brand colour is itself the background of --on-brand text.
var backgrounds = []string{"--bg", "--surface", "--surface-2", "--hero-from", "--hero-to"}

// brandCSS checks b against the palettes that site.css declares (its
// first :root block for the light scheme, the :root block inside
// "@media (prefers-color-scheme: dark)" for the dark one) and returns
// the stylesheet that sets it. A colour below 4.5:1 against one of them
// is an error naming the ratio.
func brandCSS(siteCSS []byte, b Brand) ([]byte, error) {
	light, dark := palettes(string(siteCSS))
	var errs []error
	check := func(color, at, key string, pal map[string]string, scheme string) {
		if len(pal) == 0 {
			errs = append(errs, fmt.Errorf("%s: theme.%s: the theme's css/site.css declares no %s colours (--bg, --on-brand…) to check it against", at, key, scheme))
			return
		}
		if err := checkContrast(color, pal); err != nil {
			errs = append(errs, fmt.Errorf("%s: theme.%s %q %w in the %s scheme; WCAG AA needs %.1f:1 for text: choose a %s colour",
				at, key, color, err, scheme, minContrast, map[string]string{"light": "darker", "dark": "lighter"}[scheme]))
		}
	}
	check(b.Light, b.LightAt, "brandColor", light, "light")
	darkColor, darkAt, darkKey := b.Dark, b.DarkAt, "brandColorDark"
	if darkColor == "" && len(dark) > 0 {
		darkColor = lighten(b.Light, dark)
		darkAt, darkKey = b.LightAt, "brandColor"
	}
	if darkColor != "" && len(dark) > 0 {
		check(darkColor, darkAt, darkKey, dark, "dark")
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var css strings.Builder
	css.WriteString("/* The site's brand colour (site.toml [theme] brandColor), checked for WCAG AA contrast. */\n")
	fmt.Fprintf(&css, ":root { --brand: %s; --brand-strong: %s; }\n", b.Light, mix(b.Light, "#000000", 0.2))
	if darkColor != "" {
		fmt.Fprintf(&css, "@media (prefers-color-scheme: dark) {\n  :root { --brand: %s; --brand-strong: %s; }\n}\n", darkColor, mix(darkColor, "#ffffff", 0.2))
	}
	return []byte(css.String()), nil
}

// checkContrast returns an error naming the worst ratio below
// minContrast of color against pal's backgrounds and its --on-brand.
func checkContrast(color string, pal map[string]string) error {
	worst, against, name := math.Inf(1), "", ""
	try := func(prop, role string) {
		c, ok := pal[prop]
		if !ok {
			return
		}
		if r := Contrast(color, c); r < worst {
			worst, against, name = r, c, role+" "+prop
		}
	}
	for _, bg := range backgrounds {
		try(bg, "as text on the background")
	}
	try("--on-brand", "as the background of the text colour")
	if worst >= minContrast {
		return nil
	}
	return fmt.Errorf("reaches only %s:1 %s (%s)", formatRatio(worst), name, against)
}

// formatRatio rounds down, so that 4.49 is never shown as a passing 4.5.
func formatRatio(r float64) string {
	return strconv.FormatFloat(math.Floor(r*100)/100, 'f', 2, 64)
}

// lighten mixes color with white in steps of 5% until it reaches
// minContrast against the dark palette.
func lighten(color string, dark map[string]string) string {
	for i := 0; i <= 20; i++ {
		c := mix(color, "#ffffff", float64(i)/20)
		if checkContrast(c, dark) == nil {
			return c
		}
	}
	return "#ffffff"
}

var (
	rootBlock = regexp.MustCompile(`(?s):root\s*\{([^}]*)\}`)
	darkMedia = regexp.MustCompile(`(?s)@media\s*\(\s*prefers-color-scheme:\s*dark\s*\)\s*\{\s*:root\s*\{([^}]*)\}`)
	property  = regexp.MustCompile(`(--[a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\s*;`)
)

// palettes reads the hex colour custom properties of the light and dark
// :root blocks of a stylesheet.
func palettes(css string) (light, dark map[string]string) {
	read := func(block string) map[string]string {
		m := map[string]string{}
		for _, p := range property.FindAllStringSubmatch(block, -1) {
			if c, err := parseColor(p[2]); err == nil {
				m[p[1]] = c
			}
		}
		return m
	}
	if m := rootBlock.FindStringSubmatch(css); m != nil {
		light = read(m[1])
	}
	if m := darkMedia.FindStringSubmatch(css); m != nil {
		dark = read(m[1])
	}
	return light, dark
}

// parseColor parses "#rgb" or "#rrggbb" and returns it as lowercase
// "#rrggbb". (config checks site.toml's colours the same way.)
func parseColor(s string) (string, error) {
	h, ok := strings.CutPrefix(s, "#")
	if ok && len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if _, err := strconv.ParseUint(h, 16, 32); !ok || len(h) != 6 || err != nil {
		return "", fmt.Errorf("%q is not a colour: use #rrggbb or #rgb, such as \"#0a4a9e\"", s)
	}
	return "#" + strings.ToLower(h), nil
}

func rgb(c string) [3]float64 {
	v, _ := strconv.ParseUint(c[1:], 16, 32)
	return [3]float64{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}
}

// luminance is WCAG 2.1's relative luminance of an sRGB colour.
func luminance(c string) float64 {
	var l [3]float64
	for i, v := range rgb(c) {
		v /= 255
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// Contrast is the WCAG 2.1 contrast ratio of two "#rrggbb" colours,
// from 1 to 21.
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// mix returns a mixed with b in proportion t (0: a, 1: b), in sRGB.
func mix(a, b string, t float64) string {
	ca, cb := rgb(a), rgb(b)
	var out [3]int
	for i := range out {
		out[i] = int(math.Round(ca[i]*(1-t) + cb[i]*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}

// BrandOf returns the brand colour settings of a site's [theme].
func BrandOf(cfg *config.Site) Brand {
	t := cfg.Theme
	return Brand{Light: t.BrandColor, Dark: t.BrandColorDark, LightAt: cfg.ThemeAt("brandColor"), DarkAt: cfg.ThemeAt("brandColorDark")}
}
