package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"policysite/generator/diag"
)

// checkNames reports pages whose URLs look the same but are not: names
// that differ only in Unicode normalization (café.md typed on macOS is
// NFD, elsewhere NFC) would publish two pages under identical-looking
// URLs, and names that differ only in letter case (Privacy.md beside
// privacy.md) are one file on case-insensitive file systems (macOS and
// Windows), so the site would lose a page when checked out there. Names
// with control characters, which reach URLs and output paths, are
// refused too. Each problem names both files.
func checkNames(tree *Tree) error {
	var errs diag.List
	for _, tag := range slices.Sorted(maps.Keys(tree.Files)) {
		files := tree.Files[tag]
		var list []*File
		for _, f := range files {
			list = append(list, f)
		}
		slices.SortFunc(list, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
		seen := map[string]*File{}
		for _, f := range list {
			u := f.URLPath()
			if r, ok := controlChar(f.Rel + "/" + u); ok {
				errs.Add(&diag.SourceError{File: f.Path, Err: fmt.Errorf("the page's name or slug %q contains the control character %U, which would reach its URL; rename the file or change its slug", u, r)})
				continue
			}
			key := strings.ToLower(norm.NFC.String(u))
			prev, ok := seen[key]
			if !ok {
				seen[key] = f
				continue
			}
			pu := prev.URLPath()
			switch {
			case pu == u:
				// The same URL: reported when the second page is written.
			case norm.NFC.String(pu) == norm.NFC.String(u):
				errs.Add(&diag.SourceError{File: f.Path, Err: fmt.Errorf("its name (%s) and that of %s (%s) differ only in Unicode normalization, so the two pages would have identical-looking URLs; delete or rename one of them (most editors save NFC)", form(u), prev.Path, form(pu))})
			default:
				errs.Add(&diag.SourceError{File: f.Path, Err: fmt.Errorf("its URL %q differs from that of %s only in letter case; on case-insensitive file systems (macOS, Windows) the two are one file; rename one of them", u, prev.Path)})
			}
		}
	}
	return errs.Err()
}

// form names the Unicode normalization form s is in.
func form(s string) string {
	switch {
	case norm.NFC.IsNormalString(s):
		return "NFC"
	case norm.NFD.IsNormalString(s):
		return "NFD"
	}
	return "neither NFC nor NFD"
}

// controlChar returns the first control character in s (C0, DEL or C1).
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return r, true
		}
	}
	return 0, false
}
