package feed_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"policysite/generator/feed"
)

var update = flag.Bool("update", false, "rewrite testdata/feed.golden")

func TestAtom(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	f := feed.Feed{
		ID: "https://example.com/en/changes.atom", Self: "https://example.com/en/changes.atom", Alternate: "https://example.com/en/",
		Title: `Example & Co: "policy" <changes>`, Lang: "en-GB", Author: "Example & Co",
		Entries: []feed.Entry{
			{ID: "https://example.com/en/privacy/versions/2024-01-01/changes/", Link: "https://example.com/en/privacy/versions/2024-01-01/changes/", Title: "Privacy, effective 1 January 2024", Updated: day("2024-01-01")},
			{ID: "https://example.com/en/privacy/changes/", Link: "https://example.com/en/privacy/changes/", Title: "Privacy, effective 1 June 2025", Updated: day("2025-06-01"), Summary: "Logs < 30 days & \"no\" tracking\x01."},
			{ID: "https://example.com/en/cookies/changes/", Link: "https://example.com/en/cookies/changes/?a=1&b=2", Title: "Cookies, effective 1 June 2025", Updated: day("2025-06-01")},
		},
	}
	got := feed.Atom(f)
	golden := filepath.Join("testdata", "feed.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Atom differs from %s (run with -update and review the diff):\n%s", golden, got)
	}
	if empty := feed.Atom(feed.Feed{ID: "x", Self: "x", Title: "t", Author: "a"}); !bytes.Contains(empty, []byte("<updated>1970-01-01T00:00:00Z</updated>")) {
		t.Errorf("feed without entries:\n%s", empty)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed (apt-get install libxml2-utils); not validated")
		return
	}
	for name, data := range map[string][]byte{"feed": got, "empty": feed.Atom(feed.Feed{ID: "x", Self: "x", Title: "t", Author: "a"})} {
		p := filepath.Join(t.TempDir(), name+".atom")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xmllint", "--noout", "--relaxng", filepath.Join("testdata", "atom.rng"), p).CombinedOutput(); err != nil {
			t.Errorf("%s: not valid Atom (RFC 4287): %v\n%s", name, err, out)
		}
	}
	// The schema does reject what is not Atom.
	bad := filepath.Join(t.TempDir(), "bad.atom")
	_ = os.WriteFile(bad, bytes.Replace(got, []byte("<updated>2025-06-01T00:00:00Z</updated>"), []byte("<updated>June 2025</updated>"), 1), 0o644)
	if err := exec.Command("xmllint", "--noout", "--relaxng", filepath.Join("testdata", "atom.rng"), bad).Run(); err == nil {
		t.Error("the schema accepts a feed with an invalid date")
	}
}
