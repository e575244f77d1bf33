package git

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// cacheFormat is the version of the cache file's contents and of the
// rules that chose them (isPage): a file of another version is ignored.
const cacheFormat = 1

// loadCache returns the history cached in file for the content folder
// at prefix, or nil when there is none it can trust: no file, another
// format or folder, or contents that do not parse or make no sense.
func loadCache(file, prefix string) *history {
	if file == "" {
		return nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var h history
	if json.Unmarshal(b, &h) != nil || h.Format != cacheFormat || h.Prefix != prefix || !isObjectID(h.Head) {
		return nil
	}
	for _, c := range h.Commits {
		if !isObjectID(c.ID) || c.Time.IsZero() || len(c.Set)+len(c.Del) == 0 {
			return nil
		}
		for p, id := range c.Set {
			if !isPage(p) || !isObjectID(id) {
				return nil
			}
		}
		for _, p := range c.Del {
			if !isPage(p) {
				return nil
			}
		}
	}
	return &h
}

// saveCache writes h to file, through a temporary file renamed into
// place, so a build that stops half way, or two at once, never leave a
// truncated cache.
func saveCache(file string, h *history) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	// CreateTemp makes the file readable by its owner only; the
	// cache is no secret, and 0644 is what the rest of the cache uses.
	_ = os.Chmod(tmp.Name(), 0o644)
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
