package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"policysite/generator/config"
)

// generate writes a site's content: every language base (and the
// default locale) gets pages full policy-like pages and a home; every
// other published locale overrides one section of every tenth page and
// inherits the rest, as regional policies do. It returns the number of
// files written.
func generate(dir string, pages int) (int, error) {
	cfg, err := config.Load(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	write := func(tag, name, text string) error {
		p := filepath.Join(dir, "content", tag, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(p, []byte(text), 0o644)
	}
	for _, l := range cfg.Locales {
		base := l.Tag == cfg.DefaultLocale || !strings.Contains(l.Tag, "-")
		if base {
			if err := write(l.Tag, "_index.md", fmt.Sprintf("---\ntitle: Policies (%s)\n---\n\nEvery policy of Example Group for this region.\n", l.Tag)); err != nil {
				return 0, err
			}
			for i := range pages {
				if err := write(l.Tag, fmt.Sprintf("page-%04d.md", i), page(l.Tag, i, pages)); err != nil {
					return 0, err
				}
			}
			continue
		}
		for i := 0; i < pages; i += 10 {
			text := fmt.Sprintf("---\nextends: true\nlastmod: 2026-09-01\n---\n\n## Regional rules for %s {#s3}\n\n%s\n", l.Tag, paragraph(l.Tag, i, 3))
			if err := write(l.Tag, fmt.Sprintf("page-%04d.md", i), text); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// page returns one generated policy page of about 10 KB of Markdown:
// ten numbered sections with paragraphs, a list, a table and links.
func page(tag string, i, pages int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Policy %d (%s)\ndescription: Generated policy page %d for the serve benchmark.\nlastmod: 2026-08-%02d\nweight: %d\n---\n\n", i, tag, i, 1+i%28, i)
	fmt.Fprintf(&b, "%s See the [next policy](page-%04d.md) and [section 2](#s2).\n\n", paragraph(tag, i, 0), (i+1)%pages)
	for s := 1; s <= 10; s++ {
		fmt.Fprintf(&b, "## Section %d of policy %d {#s%d}\n\n%s\n\n%s\n\n", s, i, s, paragraph(tag, i, s), paragraph(tag, i, s+10))
		switch s {
		case 2:
			for j := range 6 {
				fmt.Fprintf(&b, "- Item %d: the purpose and legal basis of processing category %d.\n", j, j)
			}
			b.WriteString("\n")
		case 5:
			b.WriteString("| Name | Purpose | Lifetime |\n|---|---|---|\n")
			for j := range 6 {
				fmt.Fprintf(&b, "| cookie_%d | keeps setting %d | %d days |\n", j, j, 30*(j+1))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func paragraph(tag string, i, s int) string {
	return fmt.Sprintf("This is paragraph %d of policy %d in %s. Example Group processes personal data only for the purposes described here, keeps it no longer than needed, protects it with technical and organisational measures, and lets you access, correct, delete or export it, object to its use, and complain to a supervisory authority. We review this text regularly and publish every change with the date it takes effect.", s, i, tag)
}
