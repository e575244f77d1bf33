package markdown

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// ids generates heading IDs that keep the letters of every script
// ("données-personnelles", "個人情報") and are unique within one page.
// A value is used for one document only; it is not safe for concurrent use.
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate turns heading text into an ID: letters and digits lowercased,
// runs of anything else folded into one '-'. Duplicates get "-1", "-2".
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(value)
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an explicit ID so generated ones do not collide with it.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// Slug returns the ID form of a heading's text.
func Slug(value []byte) string {
	var b bytes.Buffer
	dash := false
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}
