package generator_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"policysite/generator"
)

// TestNuHTMLChecker validates the example site with the Nu HTML Checker
// (vnu --errors-only). It needs java and vnu.jar, named by VNU_JAR;
// .ci/run installs both. Locally it is skipped without them.
func TestNuHTMLChecker(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs java")
	}
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VNU_JAR is not set; .ci/run installs vnu-jar from npm")
		}
		t.Skip("VNU_JAR not set; install with: npm install --prefix /tmp/vnu vnu-jar && export VNU_JAR=/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
	}
	out, _ := build(t, generator.Options{SiteDir: ".."})
	cmd := exec.Command("java", "-jar", jar, "--errors-only", "--skip-non-html", out)
	msg, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(msg))) > 0 {
		t.Errorf("vnu --errors-only reported problems (%v):\n%s", err, msg)
	}
}
