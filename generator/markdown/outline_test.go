package markdown

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOutlineMatchesRender checks, on every page of the example site,
// that the block-only outline finds the same heading IDs as a full render.
func TestOutlineMatchesRender(t *testing.T) {
	files, _ := filepath.Glob("../../content/*/*.md")
	if len(files) == 0 {
		t.Skip("example content not found")
	}
	md := New(Options{})
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if i := strings.Index(string(src[3:]), "\n---\n"); strings.HasPrefix(string(src), "---\n") && i >= 0 {
			src = src[i+8:]
		}
		no := false
		res, err := md.Render(src, RenderOptions{Number: &no})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range md.Outline(src) {
			if h.Level > 1 {
				got = append(got, h.ID)
			}
		}
		if !slices.Equal(got, res.IDs) {
			t.Errorf("%s: Outline IDs %v; Render IDs %v", f, got, res.IDs)
		}
	}
}
