package xliff_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"policysite/generator/xliff"
)

// copyTree copies the example site's sources (the repository root's
// content/, i18n/ and site.toml) into a temporary folder.
func copyExample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"content", "i18n", "site.toml"} {
		src := filepath.Join("..", "..", name)
		err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestExample exports every section of several locales of the bundled
// example that is not reviewed yet, translates it by script, imports it
// and checks that a fresh review finds all of it current.
func TestExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example site several times")
	}
	ctx := context.Background()
	dir := copyExample(t)
	for _, target := range []string{"de", "fr", "ja", "uz-UZ", "th-TH"} {
		site, rv := load(t, dir)
		doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: target, Only: []string{xliff.OnlyMissing, xliff.OnlyStale, xliff.OnlyUnreviewed}})
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Pages) == 0 {
			t.Fatalf("%s: nothing exported", target)
		}
		translate(doc)
		res, err := xliff.Import(ctx, site, rv, roundTrip(t, doc, xliff.Version21))
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if len(res.Skipped) > 0 || res.Imported == 0 {
			t.Errorf("%s: imported %d, skipped %v", target, res.Imported, res.Skipped)
		}
	}
	_, rv := load(t, dir)
	for _, target := range []string{"de", "fr", "ja", "uz-UZ", "th-TH"} {
		d, err := rv.Diff(ctx, "en", target, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := d.Totals
		if c.Stale+c.Missing+c.Unreviewed != 0 || c.Current == 0 {
			t.Errorf("%s after import: %d stale, %d missing, %d unreviewed, %d current; want all current", target, c.Stale, c.Missing, c.Unreviewed, c.Current)
		}
	}
}
