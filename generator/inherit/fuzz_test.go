package inherit

import (
	"errors"
	"testing"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/markdown"
)

// FuzzMerge applies arbitrary override files to a fixed base. Merging
// must never panic; errors name the override file; a merged document's
// chunks are ordered and every offset maps back to a line of one of
// its two files.
func FuzzMerge(f *testing.F) {
	for _, s := range []string{
		"## One {#one}\n\nNew one.\n",
		"New intro.\n\n## Two A {#two-a}\n\nNew sub.\n",
		"## Four {#four after=\"three\"}\n\nAdded.\n\n## Zero {#zero before=\"one\"}\n\nFirst.\n",
		"## Two {#two}\n\nX\n\n### Two A {#two-a}\n\nY\n",
		"## Nope {#nope}\n",
		"## Both {#both after=\"one\" before=\"two\"}\n",
		"## Dup {#one after=\"two\"}\n",
		"# Top {#top}\n\n## One {#one}\n",
		"## {#}\n",
		"",
	} {
		f.Add(s, "three")
	}
	md := markdown.New(markdown.Options{})
	base, err := content.Parse("content/en/privacy.md", "en", "privacy.md", []byte(baseDoc), md)
	if err != nil {
		f.Fatal(err)
	}
	baseDocument := &Doc{Meta: base.Meta, Body: base.Body, Chunks: []Chunk{{File: base}}, Files: []*content.File{base}, File: base}
	f.Fuzz(func(t *testing.T, body, remove string) {
		src := "---\nextends: true\nremove: [" + yamlQuote(remove) + "]\n---\n" + body
		over, err := content.Parse("content/de/privacy.md", "de", "privacy.md", []byte(src), md)
		if err != nil {
			return // not a valid page; FuzzParse covers that
		}
		doc, err := merge(baseDocument, base.Outline(), over)
		if err != nil {
			var se *diag.SourceError
			if !errors.As(err, &se) || se.File != over.Path {
				t.Fatalf("merge error %q does not name the override", err)
			}
			return
		}
		prev := -1
		for _, c := range doc.Chunks {
			if c.Off <= prev || c.Off > len(doc.Body) {
				t.Fatalf("chunk offsets out of order or range: %+v", doc.Chunks)
			}
			prev = c.Off
		}
		for off := range len(doc.Body) + 1 {
			file, line := doc.Position(off)
			if (file != base.Path && file != over.Path) || line < 1 {
				t.Fatalf("Position(%d) = %s:%d", off, file, line)
			}
		}
	})
}

// yamlQuote makes s one double-quoted YAML scalar.
func yamlQuote(s string) string {
	out := []byte{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			out = append(out, '\\', byte(r))
		case r < 0x20 || r == 0x7f:
			out = append(out, ' ')
		default:
			out = append(out, string(r)...)
		}
	}
	return string(append(out, '"'))
}
