package buildcache

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"slices"
	"strings"
)

// goBuildID returns the Go build ID of the ELF executable p, read from
// its .note.go.buildid note, or "" when it has none (another format, or
// a binary linked with -buildid=). The go command makes the ID's last
// part, the content ID, a hash of the file's bytes (its own ID blanked
// out), so two binaries with the same ID are the same program: reading
// a few hundred bytes stands for hashing the 25 MB binary, which cost a
// cold build a twentieth of its CPU.
func goBuildID(p string) string {
	f, err := elf.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil || s.Size > 1<<12 {
		return ""
	}
	data, err := s.Data()
	if err != nil {
		return ""
	}
	return parseNote(data, f.ByteOrder)
}

// parseNote returns the description of a Go build-ID note: a 4-byte
// name size, description size and type (4), the name "Go\x00\x00", then
// the ID.
func parseNote(data []byte, order binary.ByteOrder) string {
	const goNoteType = 4
	if len(data) < 16 {
		return ""
	}
	nameSize, descSize, typ := order.Uint32(data), order.Uint32(data[4:]), order.Uint32(data[8:])
	if nameSize != 4 || typ != goNoteType || !bytes.Equal(data[12:16], []byte("Go\x00\x00")) || uint64(descSize) > uint64(len(data)-16) {
		return ""
	}
	id := string(data[16 : 16+descSize])
	// An ID the go command made has the action and content IDs, and more
	// for a linked binary, separated by slashes; anything else (an empty
	// -buildid=, or one a user set) says nothing about the content.
	parts := strings.Split(id, "/")
	if len(parts) < 2 || slices.Contains(parts, "") {
		return ""
	}
	return id
}
