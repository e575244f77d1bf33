package content

import (
	"io/fs"
	"path/filepath"
	"strings"

	"policysite/generator/diag"
)

// warnMDX adds a warning for every .mdx file under a locale's folder:
// MDX (Markdown with JSX, Docusaurus' format) is not read, and a page
// must not disappear without a word. Hidden folders are skipped, as
// findFiles skips them.
func warnMDX(ws *diag.Warnings, dir string) {
	if ws == nil {
		return
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".mdx") {
			ws.Add(diag.Warning{Kind: "MDX file not read", File: p,
				Hint: "policysite reads Markdown (.md) only; rename it to .md after removing its import/export lines and JSX components"})
		}
		return nil
	})
}
