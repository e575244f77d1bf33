package output

import (
	"bytes"
	"fmt"
	"io/fs"
	"sync"
)

// Memory holds a build in memory, for the dev server. It is safe for
// concurrent use.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
}

// NewMemory returns an empty in-memory output.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores a file; name is slash-separated and relative.
func (m *Memory) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) {
		return fmt.Errorf("output path %q is not a clean relative path", name)
	}
	if hasControl(name) {
		return fmt.Errorf("output path %q contains a control character; rename the source file or change the page's slug", name)
	}
	data = bytes.Clone(data) // the caller may reuse its buffer
	m.mu.Lock()
	m.files[name] = data
	m.mu.Unlock()
	return nil
}

// Files returns a snapshot of the stored files.
func (m *Memory) Files() map[string][]byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make(map[string][]byte, len(m.files))
	for k, v := range m.files {
		out[k] = v
	}
	return out
}
