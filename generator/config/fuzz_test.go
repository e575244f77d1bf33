package config

import (
	"errors"
	"os"
	"strings"
	"testing"

	"policysite/generator/diag"
)

// FuzzConfig decodes arbitrary site.toml files. Decoding and
// validation must never panic, and every error must name site.toml.
func FuzzConfig(f *testing.F) {
	if data, err := os.ReadFile("../../site.toml"); err == nil {
		f.Add(string(data))
	}
	for _, s := range []string{
		"baseURL = \"https://example.com/legal/\"\n[[locales]]\ntag = \"en\"\n[[locales]]\ntag = \"de-DE\"\nfallback = [\"en\"]\n",
		"titel = 1\n[markdown]\nunsfe = true\n",
		"baseURL = 5\n",
		"[[locales]]\ntag = \"en_GB\"\npath = \"../x\"\n",
		"defaultLocale = \"fr\"\n[[locales]]\ntag = \"en\"\npublish = false\n",
		"[[locales]]\ntag = \"en\"\nconsent = \"maybe\"\n[[locales]]\ntag = \"en\"\n",
		"[headers]\nhsts = \"x\\ny\"\n",
		"a = \"\x00\"",
		"= =",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		const path = "site/site.toml"
		s := Default("site")
		s.File = path
		err := decode(path, []byte(data), s)
		if err == nil {
			if len(s.Locales) == 0 {
				s.Locales = []Locale{{Tag: "en"}} // as Discover would find
			}
			err = Finish(s)
		}
		if err == nil {
			if !strings.HasSuffix(s.BaseURL, "/") {
				t.Fatalf("BaseURL %q does not end in /", s.BaseURL)
			}
			return
		}
		for _, e := range diag.Errors(err) {
			var se *diag.SourceError
			if !errors.As(e, &se) && !strings.Contains(e.Error(), path) {
				t.Fatalf("error %q does not name %s", e, path)
			}
		}
	})
}
