//go:build !linux

package output

// exchange is not available here: Commit moves the old folder aside and
// the new one in, a moment apart (docs/building.md says so).
func exchange(a, b string) error { return errNoExchange }
