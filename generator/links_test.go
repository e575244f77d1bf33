package generator_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/diag"
	"policysite/generator/output"
)

// TestLinkMessages builds testdata/links/site, whose guide page en-GB
// and en-AU inherit from en with every form of broken link, as it is, under
// --strict, and with [links] broken = "warn" and brokenFragments =
// "ignore", and compares what each build reports with
// testdata/links/messages.golden. Each problem of the inherited page is
// reported once, listing the three locales; an error and a warning of
// the same line are each reported once.
//
// Regenerate with: go test ./generator -run TestLinkMessages -update
func TestLinkMessages(t *testing.T) {
	var b bytes.Buffer
	for _, tc := range []struct {
		name   string
		strict bool
		config string // appended to site.toml
	}{
		{"default", false, ""},
		{"--strict", true, ""},
		{`broken = "warn"`, false, "\n[links]\nbroken = \"warn\"\n"},
		{`broken = "warn", brokenFragments = "error"`, false, "\n[links]\nbroken = \"warn\"\nbrokenFragments = \"error\"\n"},
		{`broken = "warn", brokenFragments = "ignore"`, false, "\n[links]\nbroken = \"warn\"\nbrokenFragments = \"ignore\"\n"},
	} {
		dir := copySite(t, "testdata/links/site", tc.config)
		sum, err := generator.Build(context.Background(), generator.Options{SiteDir: dir, Strict: tc.strict, Theme: os.DirFS("testdata/golden/theme")}, output.NewMemory())
		fmt.Fprintf(&b, "# %s\n", tc.name)
		if err != nil {
			for _, e := range diag.Errors(err) {
				fmt.Fprintf(&b, "error: %s\n", strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), ""))
			}
			continue
		}
		for _, w := range sum.Warnings {
			fmt.Fprintf(&b, "warning: %s\n", strings.ReplaceAll(w, dir+string(filepath.Separator), ""))
		}
	}
	got := b.Bytes()
	golden := filepath.Join("testdata", "links", "messages.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("messages differ from %s (run with -update and review the diff):\n%s", golden, got)
	}
}

// TestLinkOutput checks the URLs written for the links and images of a
// page that en-GB inherits, and that the files beside the pages are
// copied once, to the folder of the locale that has them.
func TestLinkOutput(t *testing.T) {
	dir := copySite(t, "testdata/links/site", "\n[links]\nbroken = \"warn\"\n")
	out, _ := build(t, generator.Options{SiteDir: dir, Theme: os.DirFS("testdata/golden/theme")})
	files := readTree(t, out)
	page := string(files["en-gb/guide/setup/index.html"])
	for _, want := range []string{
		`<img src="/en/img/diagram.png" alt="Diagram">`, // en's file, one copy for every locale
		`<img src="/img/logo.png" alt="Logo">`,          // static/
		`href="/en-gb/privacy/#rights"`,                 // /privacy.md, the region's own page
		`href="/en-gb/privacy/"`,                        // /privacy/, the locale's URL
		`href="/en-gb/guide/setup/"`,                    // ./, the page itself as a browser reads it
		`href="/en-gb/guide/"`,                          // ../index.html
		`href="/en-gb/"`,                                // ../../
		`href="gone.md"`,                                // broken, left as written
		`href="support.google.com/accounts/answer/32050"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("en-gb/guide/setup/index.html lacks %s", want)
		}
	}
	if idx := string(files["en-au/guide/index.html"]); !strings.Contains(idx, `href="/en-au/guide/setup/"`) || strings.Contains(idx, `href="setup`) {
		t.Errorf("en-au/guide/index.html: relative URLs not resolved:\n%s", idx)
	}
	for name, want := range map[string]bool{"en/img/diagram.png": true, "en-gb/img-flag.png": true, "en-gb/img/diagram.png": false, "en-au/img/diagram.png": false, "img/logo.png": true} {
		if _, ok := files[name]; ok != want {
			t.Errorf("output has %s: %v; want %v", name, ok, want)
		}
	}
}

// copySite copies the site at src to a new folder, appending extra to
// its site.toml.
func copySite(t *testing.T, src, extra string) string {
	t.Helper()
	dir := t.TempDir()
	err := os.CopyFS(dir, os.DirFS(src))
	if err == nil && extra != "" {
		var f *os.File
		f, err = os.OpenFile(filepath.Join(dir, "site.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString(extra)
			err = errors.Join(err, f.Close())
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
