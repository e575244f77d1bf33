package render

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
)

// placeholders makes the tokens that stand in output for values filled
// in later, per page, and finds them again: the URLs of page links in
// Markdown rendered once for many locales (sharedMarkdown). A
// placeholder is the token, a list letter, a number
// and "x". The token holds a random nonce, so no text of the site can
// contain it, and a placeholder has only [a-z0-9], which neither
// goldmark nor any html/template escaper changes.
type placeholders struct{ token string }

func newPlaceholders(prefix string) placeholders {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	return placeholders{token: prefix + hex.EncodeToString(nonce[:])}
}

// A placeholderRef names the value a placeholder stands for: the i-th
// of list.
type placeholderRef struct {
	list byte
	i    int
}

// make returns the placeholder of value i of list.
func (p placeholders) make(list byte, i int) string {
	return p.token + string(list) + strconv.Itoa(i) + "x"
}

// split returns the text of s between its placeholders of the lists
// named in lists, and those placeholders: parts has one element more
// than refs, and refs[i] goes between parts[i] and parts[i+1]. Anything
// else that starts with the token stays in parts.
func (p placeholders) split(s, lists string) (parts []string, refs []placeholderRef) {
	lit := 0 // start of the current part
	for i := 0; ; {
		j := strings.Index(s[i:], p.token)
		if j < 0 {
			break
		}
		start := i + j
		i = start + len(p.token)
		if i >= len(s) || strings.IndexByte(lists, s[i]) < 0 {
			continue
		}
		end := strings.IndexByte(s[i+1:], 'x')
		if end < 1 {
			continue
		}
		digits := s[i+1 : i+1+end]
		n, err := strconv.Atoi(digits)
		if err != nil || strings.TrimLeft(digits, "0123456789") != "" {
			continue
		}
		parts = append(parts, s[lit:start])
		refs = append(refs, placeholderRef{s[i], n})
		i += 1 + end + 1
		lit = i
	}
	return append(parts, s[lit:]), refs
}
