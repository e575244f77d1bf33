package i18n

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFileLimit refuses a strings file over MaxFileSize with a
// message naming the file and the limit, and reads one just under it.
func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	// A file of exactly MaxFileSize bytes, mostly a comment, which
	// decodes quickly even under the race detector.
	var b strings.Builder
	b.WriteString("key = \"value\"\n#")
	b.WriteString(strings.Repeat("x", MaxFileSize-b.Len()-1) + "\n")
	under := filepath.Join(dir, "en.toml")
	if err := os.WriteFile(under, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if table, err := ReadFile(under); err != nil || len(table) == 0 {
		t.Fatalf("ReadFile(%d bytes) = %d strings, %v", b.Len(), len(table), err)
	}
	over := filepath.Join(dir, "de.toml")
	if err := os.WriteFile(over, []byte(b.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(over)
	if err == nil || !strings.Contains(err.Error(), over) || !strings.Contains(err.Error(), "limited to 256 KB") {
		t.Errorf("ReadFile(over the limit) = %v; want an error naming the file and the limit", err)
	}
}
