package markdown

import "testing"

func TestIsExternal(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://example.com/": true, "mailto:a@example.com": true, "tel:+4930": true, "//cdn.example.com/x": true,
		"git+ssh://x": true, "privacy.md": false, "/privacy/": false, "../a:b": false, "#x": false, "a/b:c": false, "": false,
	} {
		if got := IsExternal(dest); got != want {
			t.Errorf("IsExternal(%q) = %v; want %v", dest, got, want)
		}
	}
}
