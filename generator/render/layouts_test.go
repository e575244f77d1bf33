package render

import (
	"html/template"
	"maps"
	"slices"
	"testing"
)

func TestLayoutIndependent(t *testing.T) {
	shared := map[string]string{
		"base":   `{{template "main" .}}{{partialLocale "header" .}}`,
		"header": `<h>{{partialLocale "sw" .}}{{template "brand" .}}</h>`,
		"sw":     `<nav>{{range .Switcher}}{{.Tag}}{{end}}</nav>`,
		"brand":  `<b>{{.SiteName}}</b>`,
		"footer": `<f>{{partialCached "legal" .}}</f>`,
		"legal":  `<l>{{T "legal"}}</l>`,
		"menu":   `<m>{{partialLocale .Kind .}}</m>`,
		"loop":   `{{if .Menu}}{{template "loop" .Menu}}{{end}}{{template "brand" .}}`,
	}
	layout := func(extra map[string]string) *template.Template {
		set := template.New("").Funcs(Funcs())
		for name, text := range shared {
			template.Must(set.New(name).Parse(text))
		}
		for name, text := range extra {
			template.Must(set.New(name).Parse(text))
		}
		return set
	}
	layouts := map[string]*template.Template{
		"page": layout(map[string]string{"main": `<article>{{.Content}}</article>`}),
		// home redefines the footer's partial and adds one of its own.
		"home": layout(map[string]string{"main": `<div>{{.Content}}</div>`, "legal": `<l>home</l>`, "cards": `<c></c>`}),
	}
	got := layoutIndependent(layouts)
	var names []string
	for name, ok := range got {
		if ok && name != "" { // "" is the sets' empty root
			names = append(names, name)
		}
	}
	slices.Sort(names)
	want := []string{"brand", "header", "loop", "sw"}
	if !slices.Equal(names, want) {
		t.Errorf("layout-independent: %v; want %v (of %v)", names, want, slices.Sorted(maps.Keys(got)))
	}
}
