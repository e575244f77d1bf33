// Package sitetest builds sites for tests, in the manner of Hugo's
// integration test builder: a site is written from a txtar archive (or
// copied from a folder) into a temporary folder, built exactly as
// policysite build builds it (generator.Build into a folder staged on
// disk and then committed), and its output read back for assertions.
package sitetest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"policysite/generator"
	"policysite/generator/output"
)

// A Site is a site folder owned by a test.
type Site struct {
	t testing.TB
	// Dir is the site folder.
	Dir string
}

// New writes the files of a txtar archive into a new temporary folder.
func New(t testing.TB, archive string) *Site {
	t.Helper()
	s := &Site{t: t, Dir: t.TempDir()}
	for _, f := range txtar.Parse([]byte(archive)).Files {
		s.Write(f.Name, string(f.Data))
	}
	return s
}

// Copy copies the site in src (its site.toml and its content, i18n,
// assets, static and themes folders, whichever exist) into a new
// temporary folder, for a test that edits it.
func Copy(t testing.TB, src string) *Site {
	t.Helper()
	s := &Site{t: t, Dir: t.TempDir()}
	for _, name := range []string{"site.toml", "content", "i18n", "assets", "static", "themes"} {
		for rel, data := range ReadTree(t, filepath.Join(src, name)) {
			s.Write(filepath.ToSlash(filepath.Join(name, rel)), string(data))
		}
	}
	return s
}

// Write writes one file of the site; name is slash-separated.
func (s *Site) Write(name, text string) {
	s.t.Helper()
	p := filepath.Join(s.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// Build builds the site with opts (whose SiteDir it sets) into a new
// folder and fails the test on an error.
func (s *Site) Build(opts generator.Options) *Output {
	s.t.Helper()
	opts.SiteDir = s.Dir
	return Build(s.t, opts, filepath.Join(s.t.TempDir(), "public"))
}

// An Output is a committed build.
type Output struct {
	t testing.TB
	// Dir is the output folder.
	Dir   string
	Built *generator.Built
	// Files maps each output file's slash-separated path to its bytes.
	Files map[string][]byte
}

// Build builds the site opts.SiteDir into out as policysite build does
// and fails the test on an error.
func Build(t testing.TB, opts generator.Options, out string) *Output {
	t.Helper()
	o, err := BuildErr(t, opts, out)
	if err != nil {
		t.Fatalf("building %s: %v", opts.SiteDir, err)
	}
	return o
}

// BuildErr is Build for tests of failing builds: it returns the build's
// error, after which out is as it was.
func BuildErr(t testing.TB, opts generator.Options, out string) (*Output, error) {
	t.Helper()
	staged, err := output.Begin(context.Background(), out, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	built, err := generator.Build(context.Background(), opts, staged)
	if err != nil {
		_ = staged.Abort()
		return nil, err
	}
	if err := staged.Commit(); err != nil {
		t.Fatal(err)
	}
	return &Output{t: t, Dir: out, Built: built, Files: ReadTree(t, out)}, nil
}

// File returns an output file, failing the test when it is missing.
func (o *Output) File(name string) []byte {
	o.t.Helper()
	data, ok := o.Files[name]
	if !ok {
		o.t.Fatalf("%s is not in the output", name)
	}
	return data
}

// AssertContains checks that output file name holds every one of subs.
func (o *Output) AssertContains(name string, subs ...string) {
	o.t.Helper()
	data := string(o.File(name))
	for _, sub := range subs {
		if !strings.Contains(data, sub) {
			o.t.Errorf("%s does not contain %q", name, sub)
		}
	}
}

// ReadTree returns every file below dir with its bytes, by
// slash-separated path; nothing when dir does not exist.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}
