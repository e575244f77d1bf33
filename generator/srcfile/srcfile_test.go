//go:build unix

package srcfile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "a.md")
	if err := os.WriteFile(regular, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	if b, err := ReadFile(regular, 0); err != nil || string(b) != "hello" {
		t.Errorf("ReadFile(regular) = %q, %v", b, err)
	}
	if _, err := ReadFile(regular, 3); err == nil {
		t.Error("ReadFile over the limit succeeded")
	}
	tests := []struct{ name, want string }{
		{fifo, "named pipe"}, {link, "named pipe"}, {"/dev/null", "character device"}, {dir, "folder"},
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(tt.name, 0); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrSpecial) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadFile(%s) = %v; want a special-file error saying %q", tt.name, err, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocked", tt.name)
		}
	}
	if _, err := ReadFile(sock, 0); err == nil {
		t.Error("ReadFile(socket) succeeded")
	}
	st, _ := os.Lstat(sock)
	if err := Check(st.Mode()); err == nil || !strings.Contains(err.Error(), "socket") {
		t.Errorf("Check(socket) = %v", err)
	}
}
