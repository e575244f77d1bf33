package render

import (
	"html/template"
	"text/template/parse"
)

// layoutIndependent returns the names of the templates that execute the
// same in every layout of layouts: every layout's set defines them and
// every template they call, by {{template}} or by partialLocale or
// partialCached with a constant name, with the same text. A layout's set
// is the theme's partials and base.html with the layout's file, which
// may define templates the partials also define, so a partial's output
// can differ between layouts only through templates that differ.
func layoutIndependent(layouts map[string]*template.Template) map[string]bool {
	texts := map[string]string{} // a name's text, the same in every set
	differs := map[string]bool{}
	var first *template.Template
	for _, set := range layouts {
		if first == nil {
			first = set
		}
		for _, t := range set.Templates() {
			name, text := t.Name(), ""
			if t.Tree != nil && t.Tree.Root != nil {
				text = t.Tree.Root.String()
			}
			if prev, ok := texts[name]; ok && prev != text {
				differs[name] = true
			}
			texts[name] = text
		}
	}
	for name := range texts {
		for _, set := range layouts {
			if set.Lookup(name) == nil {
				differs[name] = true
			}
		}
	}
	same := map[string]bool{}
	// state: 0 unvisited, 1 being visited (a cycle calls only what
	// the outer visit checks), 2 done.
	state := map[string]int{}
	var visit func(name string) bool
	visit = func(name string) bool {
		switch state[name] {
		case 1:
			return true
		case 2:
			return same[name]
		}
		state[name] = 1
		ok := !differs[name]
		if t := first.Lookup(name); ok && t != nil && t.Tree != nil && t.Tree.Root != nil {
			for _, callee := range calls(t.Tree.Root) {
				if callee == "" || !visit(callee) {
					ok = false
					break
				}
			}
		}
		state[name], same[name] = 2, ok
		return ok
	}
	for name := range texts {
		visit(name)
	}
	return same
}

// calls lists the templates below n calls with {{template}}, and the
// partials it executes with partialLocale or partialCached: "" for one
// whose name is not a constant.
func calls(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walkPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			walk(c)
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walkPipe(n.Pipe)
		case *parse.IfNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			out = append(out, n.Name)
			walkPipe(n.Pipe)
		case *parse.PipeNode:
			walkPipe(n)
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.CommandNode:
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "partialLocale" || id.Ident == "partialCached") {
				name := ""
				if len(n.Args) > 1 {
					if s, ok := n.Args[1].(*parse.StringNode); ok {
						name = s.Text
					}
				}
				out = append(out, name)
			}
			for _, a := range n.Args {
				walk(a)
			}
		}
	}
	walk(n)
	return out
}
