package buildcache

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func note(name string, typ uint32, id string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(id)))
	b = binary.LittleEndian.AppendUint32(b, typ)
	return append(append(b, name...), id...)
}

func TestParseNote(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"test binary", note("Go\x00\x00", 4, "a1/b2"), "a1/b2"},
		{"linked binary", note("Go\x00\x00", 4, "a/b/c/d"), "a/b/c/d"},
		{"-buildid= (empty)", note("Go\x00\x00", 4, ""), ""},
		{"set by hand, no content ID", note("Go\x00\x00", 4, "release-1"), ""},
		{"empty part", note("Go\x00\x00", 4, "a//b"), ""},
		{"GNU build ID note", note("GNU\x00", 3, "a/b"), ""},
		{"other type", note("Go\x00\x00", 1, "a/b"), ""},
		{"truncated", note("Go\x00\x00", 4, "a/b")[:17], ""},
		{"short", []byte{4, 0, 0}, ""},
	} {
		if got := parseNote(tc.data, binary.LittleEndian); got != tc.want {
			t.Errorf("%s: parseNote = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The build ID read must be the one the go command wrote: what go tool
// buildid prints for the test binary.
func TestGoBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	got := goBuildID(exe)
	if runtime.GOOS != "linux" {
		t.Skip("build IDs are read from ELF binaries only")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to compare with")
	}
	out, err := exec.Command(gotool, "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	if want := strings.TrimSpace(string(out)); got != want {
		t.Errorf("goBuildID = %q, go tool buildid says %q", got, want)
	}
	// Not an executable: no ID, and the key hashes its bytes instead.
	text := filepath.Join(t.TempDir(), "policysite")
	if err := os.WriteFile(text, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if id := goBuildID(text); id != "" {
		t.Errorf("goBuildID(shell script) = %q, want none", id)
	}
}

// Two executables with different build IDs give different keys, and a
// script (no build ID) still gives a key that follows its bytes.
func TestExecutableKey(t *testing.T) {
	site := t.TempDir()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for p, text := range map[string]string{a: "#!/bin/sh\necho 1\n", b: "#!/bin/sh\necho 2\n"} {
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exe, _ := os.Executable()
	keys := map[string]string{}
	for _, p := range []string{a, b, exe} {
		k, err := Key(t.Context(), Inputs{SiteDir: site, OutDir: filepath.Join(site, "public"), Executable: p})
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := keys[k]; ok {
			t.Errorf("%s and %s give the same key", other, p)
		}
		keys[k] = p
		// Without a stamp, Fresh hashes the executable beside the site.
		k2, _, _ := Fresh(t.Context(), Inputs{SiteDir: site, OutDir: filepath.Join(site, "public"), Executable: p})
		if got, err := k2(); err != nil || got != k {
			t.Errorf("%s: Fresh's key %q (%v) differs from Key's %q", p, got, err, k)
		}
	}
}
