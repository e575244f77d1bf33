package theme

import (
	"path"
	"slices"
	"strings"
	"text/template/parse"

	"policysite/generator/diag"
	"policysite/generator/i18n"
)

// loadStrings parses the theme's i18n/<tag>.toml files: the UI strings
// the theme ships, which a site's i18n/ overrides key by key.
func (t *Theme) loadStrings(files map[string]file) error {
	t.uiStrings = i18n.Table{}
	var errs diag.List
	for name, f := range files {
		dir, base := path.Split(name)
		if dir != "i18n/" || !strings.HasSuffix(base, ".toml") {
			continue
		}
		tag, err := i18n.FileTag(base)
		if err != nil {
			errs.Add(&diag.SourceError{File: f.source, Err: err})
			continue
		}
		table, err := i18n.Parse(f.source, f.data)
		if err != nil {
			errs.Add(err)
			continue
		}
		t.uiStrings[tag] = table
	}
	return errs.Err()
}

// Strings returns the UI strings the theme ships, by tag. The caller
// must not modify them.
func (t *Theme) Strings() i18n.Table { return t.uiStrings }

// Keys returns the UI string keys the theme's templates pass to T as a
// literal ({{T "back_to_top"}}), sorted. Keys built at run time
// ({{T (print "consent_" $cat)}}) are not among them.
func (t *Theme) Keys() []string {
	seen := map[string]bool{}
	for _, set := range t.layouts {
		for _, tmpl := range set.Templates() {
			if tmpl.Tree != nil {
				literalKeys(tmpl.Tree.Root, func(k string) { seen[k] = true })
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// literalKeys calls fn with the key of every {{T "key" …}} call below n.
func literalKeys(n parse.Node, fn func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			literalKeys(c, fn)
		}
	case *parse.ActionNode:
		literalKeys(n.Pipe, fn)
	case *parse.TemplateNode:
		literalKeys(n.Pipe, fn)
	case *parse.IfNode:
		literalKeys(n.Pipe, fn)
		literalKeys(n.List, fn)
		literalKeys(n.ElseList, fn)
	case *parse.RangeNode:
		literalKeys(n.Pipe, fn)
		literalKeys(n.List, fn)
		literalKeys(n.ElseList, fn)
	case *parse.WithNode:
		literalKeys(n.Pipe, fn)
		literalKeys(n.List, fn)
		literalKeys(n.ElseList, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			literalKeys(c, fn)
		}
	case *parse.CommandNode:
		if len(n.Args) >= 2 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "T" {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					fn(s.Text)
				}
			}
		}
		for _, a := range n.Args {
			literalKeys(a, fn)
		}
	}
}
