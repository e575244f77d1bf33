package buildcache

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestKeyPieces checks that a change anywhere in a file hashed in pieces,
// or in its length, changes the key, and that nothing else does.
func TestKeyPieces(t *testing.T) {
	site := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), (2*pieceSize+pieceSize/2)/16)
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/en/a.md", []byte("# A\n"))
	write("static/big.bin", big)
	write("empty.txt", nil)
	exe := filepath.Join(t.TempDir(), "policysite")
	if err := os.WriteFile(exe, big, 0o755); err != nil {
		t.Fatal(err)
	}
	in := Inputs{SiteDir: site, OutDir: filepath.Join(site, "public"), Executable: exe}
	key := func() string {
		t.Helper()
		k, err := Key(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k0 := key()
	if k := key(); k != k0 {
		t.Fatalf("same inputs, keys %s and %s", k0, k)
	}
	write("public/index.html", []byte("output")) // not an input
	if k := key(); k != k0 {
		t.Errorf("writing the output changed the key")
	}
	seen := map[string]string{k0: "the original"}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"first piece", append([]byte("X"), big[1:]...)},
		{"last piece", append(bytes.Clone(big[:len(big)-1]), 'X')},
		{"a piece's length", big[:2*pieceSize]},
		{"one byte more", append(bytes.Clone(big), 'X')},
	} {
		for _, file := range []string{"static/big.bin", "executable"} {
			if file == "executable" {
				if err := os.WriteFile(exe, tc.data, 0o755); err != nil {
					t.Fatal(err)
				}
			} else {
				write(file, tc.data)
			}
			k := key()
			if prev, ok := seen[k]; ok {
				t.Errorf("%s changed in %s: same key as %s", file, tc.name, prev)
			}
			seen[k] = file + " " + tc.name
			if file == "executable" {
				if err := os.WriteFile(exe, big, 0o755); err != nil {
					t.Fatal(err)
				}
			} else {
				write(file, big)
			}
			if k := key(); k != k0 {
				t.Errorf("%s restored after %s: key differs", file, tc.name)
			}
		}
	}
}

// TestFresh checks that Fresh's key is Key's, and that a build is fresh
// only with a stamp of that key and an untouched output folder.
func TestFresh(t *testing.T) {
	site := t.TempDir()
	out := filepath.Join(site, "public")
	for name, data := range map[string]string{"content/en/a.md": "# A\n", "public/index.html": "<p>A</p>\n"} {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{SiteDir: site, OutDir: out, Executable: exe, Options: []string{"minify=false"}}
	want, err := Key(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	key, _, fresh := Fresh(context.Background(), in)
	if fresh {
		t.Fatal("fresh without a stamp")
	}
	if got, err := key(); err != nil || got != want {
		t.Fatalf("Fresh's key = %q, %v; want Key's %q", got, err, want)
	}
	state, err := OutputState(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(site, out, &Stamp{Key: want, Output: state}); err != nil {
		t.Fatal(err)
	}
	if _, _, fresh := Fresh(context.Background(), in); !fresh {
		t.Error("not fresh after saving the stamp")
	}
	in.Options = []string{"minify=true"}
	if _, _, fresh := Fresh(context.Background(), in); fresh {
		t.Error("fresh with other options")
	}
}

// TestOutputStateOf checks that the state of an output computed from
// the files a build wrote equals the state found by listing the folder,
// for names whose order differs between a plain sort and a walk, and
// differs as soon as the folder holds a file the list does not.
func TestOutputStateOf(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	files := []string{"a/index.html", "a-b/index.html", "a.b", "-x", "404.html", "en/p/q/index.html", "en/p.html", "_headers"}
	kept := []string{".git/HEAD", ".git/refs/heads/main", "CNAME"}
	for _, f := range append(slices.Clone(files), kept...) {
		p := filepath.Join(out, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	state := func() string {
		t.Helper()
		s, err := OutputState(out)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	keep := []string{".git", "CNAME", "missing"}
	got, err := OutputStateOf(out, files, keep)
	if want := state(); err != nil || got != want {
		t.Fatalf("OutputStateOf = %q, %v; want OutputState's %q", got, err, want)
	}
	if got, _ := OutputStateOf(out, files, []string{".git"}); got == state() {
		t.Error("OutputStateOf without a kept file there = OutputState")
	}
	if err := os.WriteFile(filepath.Join(out, "a", "stray.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := OutputStateOf(out, files, keep); got == state() {
		t.Error("OutputStateOf = OutputState with a stray file in the output")
	}
}
