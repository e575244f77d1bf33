package markdown

// indexFold returns the index in s of the first instance of the ASCII
// string sub, ASCII letters matched without regard to case, or -1. It
// replaces strings.Index(strings.ToLower(s), sub), whose index is one
// of the lowered string: lowering changes the length of invalid UTF-8
// (each bad byte becomes a 3-byte U+FFFD) and of some letters ("İ"), so
// slicing s there cut the wrong text or panicked (FuzzRender found it).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalFoldASCII(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// equalFoldASCII reports whether a and b, of the same length, are equal
// with ASCII letters compared without regard to case.
func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
