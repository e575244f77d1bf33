package xliff_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"policysite/generator"
	"policysite/generator/review"
	"policysite/generator/xliff"
)

// The test site: an English source, a German translation reviewed
// against an older English text, a German region inheriting it, and a
// French locale without the terms page.
const siteArchive = `
-- site.toml --
baseURL = "https://example.com/"
[[locales]]
tag = "en"
[[locales]]
tag = "de"
[[locales]]
tag = "de-AT"
[[locales]]
tag = "fr"
-- content/en/privacy.md --
---
title: Privacy policy
---
We protect your **personal data**.

## What we collect {#collect}

- your *name* and e-mail address
- the pages you visit, see [cookies](/en/cookies/)

| Data | Kept for |
|---|---|
| Logs | 30 days |

## Your rights {#rights}

You may ask us for a copy of your data
at any time.
-- content/en/terms.md --
---
title: Terms
---
## Use {#use}

Use the site **fairly**.
-- content/de/privacy.md --
---
title: Datenschutz
reviewed:
  _intro: XXXX
  collect: XXXX
---
Wir schützen Ihre **personenbezogenen Daten**.

## Was wir erheben {#collect}

- Ihren *Namen* und Ihre E-Mail-Adresse
- die Seiten, die Sie besuchen, siehe [Cookies](/de/cookies/)

| Daten | Aufbewahrt |
|---|---|
| Protokolle | 30 Tage |
-- content/de/terms.md --
---
title: Nutzungsbedingungen
---
## Nutzung {#use}

Nutzen Sie die Website **fair**.
-- content/fr/privacy.md --
---
title: Confidentialité
---
Nous protégeons vos **données**.

## Ce que nous collectons {#collect}

- votre *nom*
- les pages, voir [cookies](/fr/cookies/)

| Données | Durée |
|---|---|
| Journaux | 30 jours |

## Vos droits {#rights}

Vous pouvez demander une copie.
`

func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(siteArchive)).Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string) (*generator.Site, *review.Reviewer) {
	t.Helper()
	site, err := generator.Load(context.Background(), generator.Options{SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return site, review.New(site)
}

// translate fills every segment's target: the source with "[T] " before
// its first text, placeholders kept.
func translate(doc *xliff.Document) {
	for pi := range doc.Pages {
		for ui := range doc.Pages[pi].Units {
			u := &doc.Pages[pi].Units[ui]
			for si := range u.Segments {
				s := &u.Segments[si]
				s.Target = append([]xliff.Inline{{Text: "[T] "}}, s.Source...)
				s.Translated = true
			}
		}
	}
}

func roundTrip(t *testing.T, doc *xliff.Document, version string) *xliff.Document {
	t.Helper()
	var b bytes.Buffer
	if err := doc.Write(&b, version); err != nil {
		t.Fatal(err)
	}
	back, err := xliff.Read(&b)
	if err != nil {
		t.Fatalf("Read(Write(doc)): %v\n%s", err, b.String())
	}
	return back
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

func TestExportImport(t *testing.T) {
	for _, version := range []string{xliff.Version21, xliff.Version12} {
		t.Run(version, func(t *testing.T) {
			ctx := context.Background()
			dir := writeSite(t)
			// Mark de reviewed, then change one word of the English
			// "collect" section: it alone is stale; "rights" is missing.
			_, rv := load(t, dir)
			if _, _, err := rv.MarkReviewed(ctx, "en", "de", "privacy", review.MarkOptions{}); err != nil {
				t.Fatal(err)
			}
			en := filepath.Join(dir, "content/en/privacy.md")
			b, _ := os.ReadFile(en)
			os.WriteFile(en, bytes.Replace(b, []byte("e-mail address"), []byte("postal address"), 1), 0o644)

			site, rv := load(t, dir)
			doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de"})
			if err != nil {
				t.Fatal(err)
			}
			var units []string
			for _, p := range doc.Pages {
				for _, u := range p.Units {
					units = append(units, p.Key+"#"+u.Section+"="+u.State)
				}
			}
			if got, want := strings.Join(units, " "), "privacy#collect=stale privacy#rights=missing"; got != want {
				t.Fatalf("exported units %q; want %q", got, want)
			}

			// A round trip without translations changes nothing.
			before := snapshot(t, dir)
			res, err := xliff.Import(ctx, site, rv, roundTrip(t, doc, version))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 0 || res.Untranslated != 2 {
				t.Errorf("untranslated import wrote %v (%d untranslated); want nothing", res.Files, res.Untranslated)
			}
			translate(doc)
			res, err = xliff.Import(ctx, site, rv, roundTrip(t, doc, version))
			if err != nil {
				t.Fatal(err)
			}
			if res.Imported != 2 || len(res.Files) != 1 {
				t.Fatalf("import: %d sections into %v; want 2 into content/de/privacy.md", res.Imported, res.Files)
			}
			after := snapshot(t, dir)
			for p, old := range before {
				if p != filepath.Join(dir, "content/de/privacy.md") && after[p] != old {
					t.Errorf("%s changed", p)
				}
			}
			de := after[filepath.Join(dir, "content/de/privacy.md")]
			for _, want := range []string{
				"Wir schützen Ihre **personenbezogenen Daten**.", // untouched section kept
				"## [T] What we collect {#collect}",
				"- [T] your *name* and postal address",
				"- [T] the pages you visit, see [cookies](/en/cookies/)",
				"| [T] Data | [T] Kept for |",
				"## [T] Your rights {#rights}",
				"[T] You may ask us for a copy of your data\nat any time.",
			} {
				if !strings.Contains(de, want) {
					t.Errorf("de/privacy.md lacks %q:\n%s", want, de)
				}
			}
			// Both sections are now current in a fresh review.
			_, rv = load(t, dir)
			d, err := rv.Diff(ctx, "en", "de", []string{"privacy"})
			if err != nil {
				t.Fatal(err)
			}
			c := d.Totals
			if c.Stale != 0 || c.Missing != 0 || c.Current != 3 {
				t.Errorf("after import: %d stale, %d missing, %d current; want 0, 0, 3\n%s", c.Stale, c.Missing, c.Current, de)
			}
		})
	}
}

// TestImportNewPage creates a page the target lacks, whole, and an
// override for a region that inherits.
func TestImportNewPage(t *testing.T) {
	ctx := context.Background()
	dir := writeSite(t)
	site, rv := load(t, dir)
	doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "fr", Pages: []string{"terms"}})
	if err != nil {
		t.Fatal(err)
	}
	translate(doc)
	res, err := xliff.Import(ctx, site, rv, roundTrip(t, doc, xliff.Version21))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "content/fr/terms.md"))
	if err != nil {
		t.Fatalf("no new page: %v (%+v)", err, res)
	}
	for _, want := range []string{"title: '[T] Terms'", "## [T] Use {#use}", "[T] Use the site **fairly**.", "reviewed:"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("fr/terms.md lacks %q:\n%s", want, got)
		}
	}
	_, rv = load(t, dir)
	d, _ := rv.Diff(ctx, "en", "fr", []string{"terms"})
	if d.Totals.Current != 1 || d.Totals.Missing != 0 {
		t.Errorf("fr terms after import: %+v", d.Totals)
	}
}

func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	dir := writeSite(t)
	site, rv := load(t, dir)
	doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de"})
	if err != nil {
		t.Fatal(err)
	}
	translate(doc)
	// A translator drops a placeholder and injects HTML and front matter.
	u := unit(t, doc, "collect")
	u.Segments[1].Target = []xliff.Inline{{Text: "<script>alert(1)</script>\n---\ntitle: x\n---"}}
	_, err = xliff.Import(ctx, site, rv, roundTrip(t, doc, xliff.Version21))
	if err == nil || !strings.Contains(err.Error(), "unit privacy#collect: segment 2: placeholder") {
		t.Fatalf("import with a dropped placeholder = %v; want an error naming the unit", err)
	}
	// The same text without placeholders to drop is neutralised.
	doc2, _ := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de"})
	translate(doc2)
	u = unit(t, doc2, "rights")
	last := &u.Segments[len(u.Segments)-1]
	last.Target = []xliff.Inline{{Text: "<script>alert(1)</script>\n---\ntitle: x\n---"}}
	for _, in := range last.Source {
		if in.Code != "" {
			last.Target = append(last.Target, in)
		}
	}
	if _, err := xliff.Import(ctx, site, rv, roundTrip(t, doc2, xliff.Version21)); err != nil {
		t.Fatal(err)
	}
	de, _ := os.ReadFile(filepath.Join(dir, "content/de/privacy.md"))
	if bytes.Contains(de, []byte("<script>")) || bytes.Contains(de, []byte("\n---\ntitle: x")) {
		t.Errorf("injected markup reached the file:\n%s", de)
	}

	// A source that changed since the export is skipped, not imported.
	dir = writeSite(t)
	_, rv = load(t, dir)
	doc, _ = xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de"})
	translate(doc)
	en := filepath.Join(dir, "content/en/privacy.md")
	b, _ := os.ReadFile(en)
	os.WriteFile(en, bytes.Replace(b, []byte("at any time"), []byte("whenever you like"), 1), 0o644)
	site, rv = load(t, dir)
	res, err := xliff.Import(ctx, site, rv, roundTrip(t, doc, xliff.Version21))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "privacy#rights: the source section changed") {
		t.Errorf("skipped = %v; want privacy#rights", res.Skipped)
	}
}

func TestReadRefusesEntities(t *testing.T) {
	for name, in := range map[string]string{
		"billion laughs":    `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de"><file id="f" original="p"><unit id="u" name="p#s"><segment><source>&b;</source></segment></unit></file></xliff>`,
		"external entity":   `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de"></xliff>`,
		"undeclared entity": `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de"><file id="f" original="p"><unit id="u" name="p#s"><segment><source>&e;</source></segment></unit></file></xliff>`,
		"not xliff":         `<html></html>`,
	} {
		if _, err := xliff.Read(strings.NewReader(in)); err == nil {
			t.Errorf("Read(%s) succeeded; want an error", name)
		}
	}
}

func unit(t *testing.T, doc *xliff.Document, section string) *xliff.Unit {
	t.Helper()
	for pi := range doc.Pages {
		for ui := range doc.Pages[pi].Units {
			if doc.Pages[pi].Units[ui].Section == section {
				return &doc.Pages[pi].Units[ui]
			}
		}
	}
	t.Fatalf("no unit for section %s", section)
	return nil
}

// TestRegionalFromSameRegion: a region's own section is translated from
// the same region's version in the source language (de-DE's from
// en-DE's), and imported into the region's override.
func TestRegionalFromSameRegion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := map[string]string{
		"site.toml":                "baseURL = \"https://example.com/\"\n[[locales]]\ntag = \"en\"\n[[locales]]\ntag = \"en-DE\"\n[[locales]]\ntag = \"de\"\n[[locales]]\ntag = \"de-DE\"\n",
		"content/en/privacy.md":    "---\ntitle: Privacy\n---\nIntro.\n\n## Your rights {#rights}\n\nAsk us.\n",
		"content/en-DE/privacy.md": "---\nextends: true\n---\n## Your rights under the GDPR {#rights}\n\nYou may complain to the authority.\n",
		"content/de/privacy.md":    "---\ntitle: Datenschutz\n---\nEinleitung.\n\n## Ihre Rechte {#rights}\n\nFragen Sie uns.\n",
		"content/de-DE/privacy.md": "---\nextends: true\n---\n## Ihre Rechte nach der DSGVO {#rights}\n\nSie können sich bei der Behörde beschweren.\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	_, rv := load(t, dir)
	if _, _, err := rv.MarkReviewed(ctx, "en", "de-DE", "privacy", review.MarkOptions{}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "content/en-DE/privacy.md")
	os.WriteFile(p, []byte("---\nextends: true\n---\n## Your rights under the GDPR {#rights}\n\nYou may complain to the data protection authority.\n"), 0o644)
	site, rv := load(t, dir)
	doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de-DE"})
	if err != nil {
		t.Fatal(err)
	}
	u := unit(t, doc, "rights")
	if u.From != "en-DE" || u.State != xliff.OnlyStale {
		t.Fatalf("regional unit from %q, state %q; want en-DE, stale", u.From, u.State)
	}
	if got := u.Segments[1].Source[0].Text; got != "You may complain to the data protection authority." {
		t.Errorf("regional unit translates %q; want en-DE's text", got)
	}
	translate(doc)
	if _, err := xliff.Import(ctx, site, rv, roundTrip(t, doc, xliff.Version21)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "content/de-DE/privacy.md"))
	if !strings.Contains(string(got), "[T] You may complain to the data protection authority.") {
		t.Errorf("de-DE override not updated:\n%s", got)
	}
	if !strings.Contains(string(got), "extends: true") {
		t.Errorf("de-DE lost its extends:\n%s", got)
	}
	_, rv = load(t, dir)
	d, err := rv.Diff(ctx, "en", "de-DE", []string{"privacy"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Totals.Stale != 0 {
		t.Errorf("after import de-DE has %d stale sections; want 0 (%+v)", d.Totals.Stale, d.Totals)
	}
}
