package xliff_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"policysite/generator/xliff"
)

// need returns the path of an outside tool, skipping the test locally
// when it is missing and failing it in CI, which installs it.
func need(t *testing.T, tool, install string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found in CI; .ci/run installs it (%s)", tool, install)
		}
		t.Skipf("%s not found: %s to run this test", tool, install)
	}
	return p
}

// TestSchema validates an export against the OASIS XLIFF 2.1 core
// schema (testdata/schema) with xmllint.
func TestSchema(t *testing.T) {
	xmllint := need(t, "xmllint", "apt-get install libxml2-utils")
	ctx := context.Background()
	dir := writeSite(t)
	_, rv := load(t, dir)
	doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de", Only: []string{xliff.OnlyMissing, xliff.OnlyStale, xliff.OnlyUnreviewed}})
	if err != nil {
		t.Fatal(err)
	}
	fr, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	translate(fr)
	for name, d := range map[string]*xliff.Document{"de.xlf": doc, "fr-translated.xlf": fr} {
		var b bytes.Buffer
		if err := d.Write(&b, xliff.Version21); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "testdata/schema/xliff_core_2.0.xsd", f).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate against XLIFF 2.1: %v\n%s\n%s", name, err, out, b.String())
		}
	}
}

// TestTranslateToolkit round-trips an XLIFF 1.2 export through
// translate-toolkit's XLIFF reader and writer (what Weblate uses), then
// imports it: every section is then current.
func TestTranslateToolkit(t *testing.T) {
	// Debian's translate-toolkit is installed for Debian's Python, which
	// need not be the python3 first in PATH (pyenv, a virtualenv).
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import translate.storage.xliff").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("translate-toolkit not importable in CI; .ci/run installs Debian's translate-toolkit")
		}
		t.Skip("translate-toolkit not found: apt-get install translate-toolkit to run this test")
	}
	ctx := context.Background()
	dir := writeSite(t)
	_, rv := load(t, dir)
	doc, err := xliff.Export(ctx, rv, xliff.ExportOptions{Source: "en", Target: "de"})
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "de.xlf"), filepath.Join(tmp, "de-translated.xlf")
	var b bytes.Buffer
	if err := doc.Write(&b, xliff.Version12); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(python, "testdata/ttk_translate.py", in, out).CombinedOutput(); err != nil {
		t.Fatalf("translate-toolkit: %v\n%s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	translated, err := xliff.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	site, rv := load(t, dir)
	res, err := xliff.Import(ctx, site, rv, translated)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 3 {
		t.Errorf("imported %d sections; want 3", res.Imported)
	}
	_, rv = load(t, dir)
	d, err := rv.Diff(ctx, "en", "de", []string{"privacy"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Totals.Current != 3 || d.Totals.Stale+d.Totals.Missing != 0 {
		t.Errorf("after the translate-toolkit round trip: %+v", d.Totals)
	}
}
