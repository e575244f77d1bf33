package redline

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"policysite/generator/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares two versions of real policy text in several
// scripts: testdata/<name>.txtar holds old.md and new.md, and
// testdata/<name>.golden what Compare makes of them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases in testdata: %v", err)
	}
	md := markdown.New(markdown.Options{})
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			texts := map[string][]byte{}
			for _, f := range ar.Files {
				texts[f.Name] = f.Data
			}
			got := format(Compare(Sections(md, texts["old.md"]), Sections(md, texts["new.md"])))
			golden := strings.TrimSuffix(file, ".txtar") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("Compare(%s) =\n%s\nwant (%s)\n%s", file, got, golden, want)
			}
		})
	}
}
