package browsertest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// VNUInstall says how to get the Nu HTML Checker.
const VNUInstall = "npm install --prefix /tmp/vnu vnu-jar && export VNU_JAR=/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

// VNU returns the path of vnu.jar, the Nu HTML Checker, from $VNU_JAR.
// Without it the test is skipped, except that CI=true fails it: CI must
// validate the HTML. The checker runs java, so -short skips it too.
func VNU(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		skip(t, "short", "slow: runs java")
	}
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VNU_JAR is not set; .ci/run installs vnu-jar from npm")
		}
		skip(t, "vnu", "VNU_JAR not set; install with: %s", VNUInstall)
	}
	return jar
}

// how says, per reason for skipping, what runs the tests.
var how = map[string]string{
	"short":    "run without -short",
	"chromium": "install chromium or set CHROME_PATH",
	"vnu":      "set VNU_JAR: " + VNUInstall,
}

// skipped records the tests this test binary skipped, by reason, for
// Main. It is package state because the tests and TestMain share
// nothing else; it only grows, under mu.
var skipped struct {
	mu       sync.Mutex
	byReason map[string][]string
	how      map[string]string // for reasons not in how
}

// Skip skips a test that needs tool, which is missing, and records it
// for Main's line; enable says how to run it ("set AXE_CORE_JS: …").
func Skip(t testing.TB, tool, enable string) {
	t.Helper()
	skipped.mu.Lock()
	if skipped.how == nil {
		skipped.how = map[string]string{}
	}
	skipped.how[tool] = enable
	skipped.mu.Unlock()
	skip(t, tool, "%s not installed: %s", tool, enable)
}

// skip records t as skipped for reason and skips it.
func skip(t testing.TB, reason, format string, args ...any) {
	t.Helper()
	skipped.mu.Lock()
	if skipped.byReason == nil {
		skipped.byReason = map[string][]string{}
	}
	skipped.byReason[reason] = append(skipped.byReason[reason], t.Name())
	skipped.mu.Unlock()
	t.Skipf(format, args...)
}

// Main runs a package's tests, as a TestMain that calls it does, and
// then prints one line naming the tests skipped for want of Chromium or
// the Nu HTML Checker and how to run them. "go test ./..." shows the
// output of a passing package only with -v, so on a terminal the line is
// written to the terminal itself.
func Main(m *testing.M) {
	code := m.Run()
	if line := summary(pkgName()); line != "" {
		w, closeW := lineWriter()
		fmt.Fprintln(w, line)
		closeW()
	}
	os.Exit(code)
}

// summary is Main's line for the package named pkg, or "" if no test
// was skipped.
func summary(pkg string) string {
	skipped.mu.Lock()
	defer skipped.mu.Unlock()
	var reasons []string
	n := 0
	for r, tests := range skipped.byReason {
		reasons = append(reasons, r)
		n += len(tests)
	}
	if n == 0 {
		return ""
	}
	slices.Sort(reasons)
	var parts []string
	for _, r := range reasons {
		tests := slices.Clone(skipped.byReason[r])
		slices.Sort(tests)
		list := strings.Join(tests[:min(3, len(tests))], ", ")
		if len(tests) > 3 {
			list += fmt.Sprintf(" and %d more", len(tests)-3)
		}
		enable, ok := how[r]
		if !ok {
			enable = skipped.how[r]
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", list, enable))
	}
	noun := "tests"
	if n == 1 {
		noun = "test"
	}
	return fmt.Sprintf("%s: skipped %d browser/HTML-checker %s: %s", pkg, n, noun, strings.Join(parts, "; "))
}

// lineWriter returns where Main's line goes: stdout when it is a
// terminal (go test in the package's folder streams it), else the
// terminal that go test ./... runs in, else stdout (CI logs with -v).
func lineWriter() (io.Writer, func()) {
	if st, err := os.Stdout.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		return os.Stdout, func() {}
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		return tty, func() { tty.Close() }
	}
	return os.Stdout, func() {}
}

// pkgName returns the package's folder relative to the module root
// ("generator/devserver"); go test runs a package's tests in its folder.
func pkgName() string {
	wd, err := os.Getwd()
	if err != nil {
		return "?"
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return filepath.Base(wd)
			}
			return filepath.ToSlash(rel)
		}
		if filepath.Dir(dir) == dir {
			return filepath.Base(wd)
		}
	}
}
