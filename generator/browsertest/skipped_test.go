package browsertest

import "testing"

func TestSummary(t *testing.T) {
	if got := summary("generator"); got != "" {
		t.Fatalf("summary before any skip = %q; want none", got)
	}
	// Record as the tests would, without skipping this test.
	skipped.mu.Lock()
	skipped.byReason = map[string][]string{"vnu": {"TestNu"}, "chromium": {"TestD", "TestA", "TestC", "TestB"}, "axe-core": {"TestAxe"}}
	skipped.how = map[string]string{"axe-core": "set AXE_CORE_JS"}
	skipped.mu.Unlock()
	defer func() {
		skipped.mu.Lock()
		skipped.byReason, skipped.how = nil, nil
		skipped.mu.Unlock()
	}()
	want := "generator: skipped 6 browser/HTML-checker tests: TestAxe (set AXE_CORE_JS); " +
		"TestA, TestB, TestC and 1 more (install chromium or set CHROME_PATH); TestNu (set VNU_JAR: " + VNUInstall + ")"
	if got := summary("generator"); got != want {
		t.Errorf("summary =\n%s\nwant\n%s", got, want)
	}
}
