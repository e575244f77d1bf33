package generator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchitectureDoc checks that every repository path and every
// qualified Go name (package.Name, package.Type.Method) that
// docs/architecture.md names in backquotes exists, so the page stays
// true as the code moves.
func TestArchitectureDoc(t *testing.T) {
	root := filepath.Join("..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := packageDirs(t, root)
	var paths, names int
	for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(string(doc), -1) {
		span := m[1]
		switch {
		case strings.Contains(span, "NAME"): // a placeholder: cmd/policysite/NAME.go
		case isRepoPath(span):
			paths++
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(span))); err != nil {
				t.Errorf("docs/architecture.md names %s, which does not exist", span)
			}
		default:
			parts := qualified.FindStringSubmatch(span)
			if parts == nil {
				continue
			}
			dir, ok := pkgs[parts[1]]
			if !ok {
				continue // a standard library package: flag.NewFlagSet
			}
			names++
			decls := declared(t, dir)
			name := parts[2]
			if parts[3] != "" {
				name += "." + parts[3]
			}
			if !decls[name] {
				t.Errorf("docs/architecture.md names %s, which package %s (%s) does not declare", span, parts[1], dir)
			}
		}
	}
	if paths < 30 || names < 30 {
		t.Errorf("checked %d paths and %d names; the page names more (is the pattern broken?)", paths, names)
	}
}

// qualified matches package.Name and package.Type.Method.
var qualified = regexp.MustCompile(`^([a-z][a-z0-9]*)\.([A-Z]\w*)(?:\.([A-Z]\w*))?$`)

// isRepoPath reports whether s is a path inside the repository.
func isRepoPath(s string) bool {
	first, _, ok := strings.Cut(s, "/")
	if !ok || strings.ContainsAny(s, " *") {
		return false
	}
	switch first {
	case "generator", "cmd", "bench", "themes", "docs":
		return true
	}
	return false
}

// packageDirs maps the name of each package of the module to its folder.
func packageDirs(t *testing.T, root string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err != nil {
			return err
		}
		if name := f.Name.Name; name != "main" {
			out[name] = filepath.Dir(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// declared returns the top-level names of the package in dir, and
// Type.Method for its methods.
func declared(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					out[d.Name.Name] = true
					continue
				}
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					out[id.Name+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						out[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							out[n.Name] = true
						}
					}
				}
			}
		}
	}
	return out
}
