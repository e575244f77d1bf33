package generator_test

import (
	"os/exec"
	"strings"
	"testing"

	"policysite/generator"
	"policysite/generator/browsertest"
)

// TestNuHTMLChecker validates the example site with the Nu HTML Checker.
// It needs java and vnu.jar, named by VNU_JAR; .ci/run installs both.
// Locally it is skipped without them (see browsertest.VNU).
func TestNuHTMLChecker(t *testing.T) {
	jar := vnuJar(t)
	out, _ := build(t, generator.Options{SiteDir: ".."})
	nuCheck(t, jar, out)
}

func vnuJar(t *testing.T) string { return browsertest.VNU(t) }

// nuCheck runs vnu --errors-only over the HTML files below dir.
func nuCheck(t *testing.T, jar, dir string) {
	t.Helper()
	cmd := exec.Command("java", "-jar", jar, "--errors-only", "--skip-non-html", dir)
	msg, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(msg))) > 0 {
		t.Errorf("vnu --errors-only reported problems (%v):\n%s", err, msg)
	}
}
