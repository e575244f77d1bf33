package render_test

import (
	"testing"

	"policysite/generator/browsertest"
)

// TestMain runs the tests and then says which browser tests were
// skipped, and how to run them (see browsertest.Main).
func TestMain(m *testing.M) { browsertest.Main(m) }
