package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// main, so that serve stops on the interrupt kill -INT sends.
		"policysite": main,
	})
}

// TestScripts runs the CLI scenarios in testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"snapshot":   cmdSnapshot,
			"unchanged":  cmdUnchanged,
			"bigfile":    cmdBigfile,
			"corrupt":    cmdCorrupt,
			"subst-work": cmdSubstWork,
			"listen":     cmdListen,
			"mkfifo":     cmdMkfifo,
			"islink":     cmdIslink,
			"freeport":   cmdFreePort,
			"fetch":      cmdFetch,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				// Root ignores file permissions, so chmod 000 cases cannot fail.
				return os.Geteuid() == 0, nil
			}
			if cond == "fifo" {
				return runtime.GOOS != "windows" && runtime.GOOS != "plan9", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// cmdSnapshot records every file below a folder (path, mode, SHA-256)
// so that unchanged can prove a failed build left it byte-identical.
func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: snapshot DIR")
	}
	ts.Check(os.WriteFile(ts.MkAbs(".snapshot-"+filepath.Base(args[0])), treeDigest(ts, ts.MkAbs(args[0])), 0o644))
}

// cmdUnchanged compares a folder with its snapshot and lists the
// differences.
func cmdUnchanged(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: unchanged DIR")
	}
	want, err := os.ReadFile(ts.MkAbs(".snapshot-" + filepath.Base(args[0])))
	ts.Check(err)
	got := treeDigest(ts, ts.MkAbs(args[0]))
	if !bytes.Equal(got, want) {
		ts.Fatalf("%s changed since its snapshot:\nnow:\n%s\nsnapshot:\n%s", args[0], head(got), head(want))
	}
}

func head(b []byte) string {
	lines := strings.SplitN(string(b), "\n", 12)
	return strings.Join(lines[:min(len(lines), 11)], "\n")
}

func treeDigest(ts *testscript.TestScript, dir string) []byte {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		sum := ""
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum = fmt.Sprintf("%x", sha256.Sum256(data))
		}
		lines = append(lines, fmt.Sprintf("%s %v %s", filepath.ToSlash(rel), info.Mode(), sum))
		return nil
	})
	ts.Check(err)
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// cmdListen occupies a free port on 127.0.0.1 until the script ends and
// sets the environment variable it names to the port.
func cmdListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: listen VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// cmdBigfile writes a Markdown file of the given size in MB, too big
// to keep in a txtar archive.
func cmdBigfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile FILE MB")
	}
	mb, err := strconv.Atoi(args[1])
	ts.Check(err)
	line := []byte("# Title\n\nSome policy text that goes on and on and on.\n\n")
	data := bytes.Repeat(line, mb<<20/len(line)+1)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data[:mb<<20], 0o644))
}

// cmdCorrupt writes a page with a bad byte at offset 12 of line 3:
// "utf8" for an invalid UTF-8 byte, "nul" for a NUL byte. txtar
// archives are text, so such bytes cannot live in them.
func cmdCorrupt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: corrupt FILE utf8|nul")
	}
	bad := map[string]byte{"utf8": 0xff, "nul": 0}
	b, ok := bad[args[1]]
	if !ok {
		ts.Fatalf("corrupt: unknown kind %q", args[1])
	}
	data := append([]byte("# Terms\n\nabc"), b)
	data = append(data, "def\n"...)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
}

// cmdMkfifo creates named pipes, which nothing may block on.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: mkfifo PATH...")
	}
	for _, a := range args {
		ts.Check(mkfifo(ts.MkAbs(a)))
	}
}

// cmdIslink checks that a path is (or with !, is not) a symbolic link.
func cmdIslink(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: islink PATH")
	}
	st, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	if is := st.Mode()&fs.ModeSymlink != 0; is == neg {
		ts.Fatalf("%s: symbolic link = %t", args[0], is)
	}
}

// cmdSubstWork replaces $WORK in a file with the script's work folder,
// for configuration that needs an absolute path (file:// deploy targets).
func cmdSubstWork(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: subst-work FILE")
	}
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	ts.Check(os.WriteFile(name, bytes.ReplaceAll(data, []byte("$WORK"), []byte(filepath.ToSlash(ts.Getenv("WORK")))), 0o644))
}
