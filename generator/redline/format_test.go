package redline

import (
	"fmt"
	"strings"
)

// format writes changes as text for tests: a line per section, then a
// line per block shown, with [-deleted-] and {+inserted+} text.
func format(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		s := c.New
		if s == nil {
			s = c.Old
		}
		moved := ""
		if c.Moved {
			moved = " moved"
		}
		from := ""
		if c.Old != nil && c.New != nil && c.Old.ID != c.New.ID {
			from = " (was #" + c.Old.ID + ")"
		}
		fmt.Fprintf(&b, "%s%s #%s%s %q\n", c.Kind, moved, s.ID, from, s.Heading)
		for _, blk := range c.Blocks {
			if blk.Skipped > 0 {
				fmt.Fprintf(&b, "    … %d\n", blk.Skipped)
			}
			mark := map[string]string{Added: "+", Removed: "-", Changed: "~", Unchanged: "="}[blk.Kind]
			typ := blk.Type
			if blk.Level > 0 {
				typ += fmt.Sprint(blk.Level)
			}
			if blk.Header {
				typ += " header"
			}
			if blk.Number > 0 {
				typ += fmt.Sprintf(" %d.", blk.Number)
			}
			fmt.Fprintf(&b, "  %s %s: ", mark, typ)
			for _, sp := range blk.Spans {
				switch {
				case blk.Kind != Changed:
					b.WriteString(sp.Text)
				case sp.Op == Delete:
					b.WriteString("[-" + sp.Text + "-]")
				case sp.Op == Insert:
					b.WriteString("{+" + sp.Text + "+}")
				default:
					b.WriteString(sp.Text)
				}
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}
