package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"policysite/generator"
	"policysite/generator/sitetest"
)

// versionsSite has an English privacy policy with an earlier version,
// a British override of it, a German translation with no earlier
// version and a French one without an effective date.
const versionsSite = `
-- site.toml --
baseURL = "https://example.com/"
title = "Example"
[[locales]]
tag = "en"
[[locales]]
tag = "en-GB"
[[locales]]
tag = "de-DE"
[[locales]]
tag = "fr"
-- content/en/_index.md --
---
title: Policies
---
-- content/en/privacy.md --
---
title: Privacy
effective: 2025-06-01
changes: Logs are kept for 30 days instead of 90.
---
Intro.

## Retention {#retention}

Logs are kept for 30 days.

## Contact {#contact}

Write to us.
-- content/en/privacy.versions/2024-01-01.md --
---
title: Privacy
effective: 2024-01-01
---
Intro.

## Retention {#retention}

Logs are kept for 90 days.

## Contact {#contact}

Write to us.
-- content/en-GB/privacy.md --
---
extends: true
---
## Controller {#controller after="retention"}

Example UK Ltd.
-- content/de-DE/privacy.md --
---
title: Datenschutz
effective: 2025-06-01
---
Einleitung.
-- content/fr/privacy.md --
---
title: Confidentialité
---
Texte.
`

func TestVersionsSite(t *testing.T) {
	site := sitetest.New(t, versionsSite)
	out := site.Build(generator.Options{Now: day(t, "2025-12-01")})
	archive := "en/privacy/versions/2024-01-01/index.html"
	out.AssertContains(archive,
		`<meta name="robots" content="noindex">`,
		`<link rel="canonical" href="https://example.com/en/privacy/versions/2024-01-01/">`,
		"Logs are kept for 90 days.",
		"It was in effect from January 1, 2024 to June 1, 2025.", `<a href="/en/privacy/">Read the current version</a>`,
		// The switcher leads to the same version where it exists, else
		// to the current page.
		`href="/en-gb/privacy/versions/2024-01-01/" hreflang="en-GB"`, `href="/de-de/privacy/" hreflang="de-DE"`, `href="/fr/privacy/" hreflang="fr"`,
	)
	// The British override is resolved against the base as it was.
	out.AssertContains("en-gb/privacy/versions/2024-01-01/index.html", "Logs are kept for 90 days.", "Example UK Ltd.")
	for name, data := range out.Files {
		if strings.Contains(name, "/versions/") || strings.HasSuffix(name, "/changes/index.html") {
			if strings.Contains(string(data), `hreflang="en" href=`) || strings.Contains(string(data), `<link rel="alternate" hreflang`) {
				t.Errorf("%s has hreflang links", name)
			}
		}
	}
	if sm := string(out.File("sitemap.xml")); strings.Contains(sm, "/versions/") || strings.Contains(sm, "/changes/") {
		t.Errorf("sitemap lists version pages:\n%s", sm)
	}
	out.AssertContains("en/privacy/index.html",
		`<time datetime="2025-06-01">Effective June 1, 2025</time>`,
		`<h2 id="ps-versions-title">Previous versions</h2>`,
		`<a href="/en/privacy/versions/2024-01-01/"><time datetime="2024-01-01">Effective January 1, 2024</time></a> · <a href="/en/privacy/versions/2024-01-01/changes/">What changed</a>`,
		`<link rel="alternate" type="application/atom+xml" title="Example: policy changes" href="/en/changes.atom">`,
		`<link rel="alternate" hreflang="en-GB" href="https://example.com/en-gb/privacy/">`,
	)
	out.AssertContains("en/index.html", `<a href="/en/changes.atom" type="application/atom+xml">Subscribe to policy changes (Atom feed)</a>`)
	// The redline shows the summary and exactly the changed text.
	changes := string(out.File("en/privacy/changes/index.html"))
	for _, want := range []string{"Logs are kept for 30 days instead of 90.",
		`Logs are kept for <del><span class="visually-hidden">removed: </span>90</del><ins><span class="visually-hidden">added: </span>30</ins> days.`} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes page lacks %q", want)
		}
	}
	if strings.Contains(changes, "Write to us.") {
		t.Error("changes page shows the text of an unchanged section")
	}
	out.AssertContains("en/privacy/versions/2024-01-01/changes/index.html", "This is the first version of this page.")
	// A translation without an earlier version, and one without an
	// effective date.
	if _, ok := out.Files["de-de/privacy/versions/2024-01-01/index.html"]; ok {
		t.Error("de-DE has a version it never had")
	}
	out.AssertContains("de-de/privacy/changes/index.html", "Dies ist die erste Fassung dieser Seite.")
	if _, ok := out.Files["fr/privacy/changes/index.html"]; ok {
		t.Error("a page without an effective date has a changes page")
	}
	if _, ok := out.Files["fr/changes.atom"]; ok {
		t.Error("a locale without versions has a feed")
	}
	out.AssertContains("en/changes.atom", "<title>Privacy, effective June 1, 2025</title>",
		"<summary>Logs are kept for 30 days instead of 90.</summary>",
		`<link rel="alternate" type="text/html" href="https://example.com/en/privacy/changes/"/>`)
	for _, feed := range []string{"en/changes.atom", "en-gb/changes.atom", "de-de/changes.atom"} {
		validateAtom(t, filepath.Join(out.Dir, feed))
	}
}

func TestVersionsUpcoming(t *testing.T) {
	site := sitetest.New(t, versionsSite)
	out := site.Build(generator.Options{Now: day(t, "2025-05-01")})
	if want := day(t, "2025-06-01"); !out.Built.Until.Equal(want) {
		t.Errorf("Until = %v; want %v", out.Built.Until, want)
	}
	// The page shows the version in force and announces the next one.
	out.AssertContains("en/privacy/index.html", "Logs are kept for 90 days.",
		"A new version of this page takes effect on June 1, 2025.", `<a href="/en/privacy/versions/2025-06-01/">Read the new version</a>`)
	out.AssertContains("en/privacy/versions/2025-06-01/index.html", "Logs are kept for 30 days.", `<meta name="robots" content="noindex">`,
		"This version takes effect on June 1, 2025.", `<a href="/en/privacy/">The version in effect now is here</a>`)
	out.AssertContains("en/privacy/versions/2025-06-01/changes/index.html", "Logs are kept for 30 days instead of 90.")
	// No version of the German page is in effect yet: its URL shows the
	// upcoming one, saying so.
	out.AssertContains("de-de/privacy/index.html", "Einleitung.", "Diese Fassung tritt am 1. Juni 2025 in Kraft.")
	if _, ok := out.Files["de-de/privacy/versions/2025-06-01/index.html"]; ok {
		t.Error("an upcoming version with none in effect has a page of its own")
	}

	// SOURCE_DATE_EPOCH sets the time when Options.Now does not.
	t.Setenv("SOURCE_DATE_EPOCH", "1746057600") // 2025-05-01
	again := site.Build(generator.Options{})
	if string(again.File("en/privacy/index.html")) != string(out.File("en/privacy/index.html")) {
		t.Error("SOURCE_DATE_EPOCH build differs from the build with Now set to that time")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, err := sitetest.BuildErr(t, generator.Options{SiteDir: site.Dir}, filepath.Join(t.TempDir(), "out")); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Errorf("build with a bad SOURCE_DATE_EPOCH: %v", err)
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// validateAtom checks an Atom feed against the RELAX NG schema of
// RFC 4287 with xmllint, and the RFC's rule RELAX NG cannot say: the
// feed has an author unless every entry has one.
func validateAtom(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?s)^<\?xml[^>]*>\s*<feed[^>]*>.*?<author>\s*<name>[^<]+</name>`).Match(data) {
		t.Errorf("%s: feed has no author", file)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed (apt-get install libxml2-utils); Atom feeds not validated")
		return
	}
	out, err := exec.Command("xmllint", "--noout", "--relaxng", filepath.Join("feed", "testdata", "atom.rng"), file).CombinedOutput()
	if err != nil {
		t.Errorf("%s is not valid Atom: %v\n%s", file, err, out)
	}
}

// TestVersionsFromGit builds a site whose earlier version is only in its
// git history, then with [versions] git = false.
func TestVersionsFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	site := sitetest.New(t, `
-- site.toml --
[[locales]]
tag = "en"
-- content/en/privacy.md --
---
title: Privacy
effective: 2024-01-01
---
Logs are kept for 90 days.
`)
	git := gitIn(t, site.Dir)
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "first version")
	site.Write("content/en/privacy.md", "---\ntitle: Privacy\neffective: 2025-01-01\n---\nLogs are kept for 30 days.\n")
	git("commit", "-q", "-am", "second version")

	out := site.Build(generator.Options{Now: day(t, "2025-12-01")})
	out.AssertContains("en/privacy/versions/2024-01-01/index.html", "Logs are kept for 90 days.")
	out.AssertContains("en/privacy/index.html", "Logs are kept for 30 days.", `<a href="/en/privacy/versions/2024-01-01/">`)

	site.Write("site.toml", "[versions]\ngit = false\n[[locales]]\ntag = \"en\"\n")
	out = site.Build(generator.Options{Now: day(t, "2025-12-01")})
	if _, ok := out.Files["en/privacy/versions/2024-01-01/index.html"]; ok {
		t.Error("[versions] git = false still reads the git history")
	}
}

// Version folders that publish nothing are warnings, and a regional
// override without a date of its own, whose page takes its base's, is
// not one of them.
func TestVersionDirsThatPublishNothing(t *testing.T) {
	site := sitetest.New(t, `
-- site.toml --
[[locales]]
tag = "en"
[[locales]]
tag = "en-GB"
-- content/en/privacy.md --
---
title: Privacy
effective: 2026-01-01
---
Text.
-- content/en/privacy.versions/2025-01-01.md --
---
title: Privacy
---
Old text.
-- content/en-GB/privacy.md --
---
extends: true
---
-- content/en-GB/privacy.versions/2025-01-01.md --
---
extends: true
---
-- content/en/terms.md --
---
title: Terms
---
Terms.
-- content/en/terms.versions/2025-01-01.md --
Old terms.
-- content/en/cookies.versions/2025-01-01.md --
Old cookies.
`)
	out := filepath.Join(t.TempDir(), "out")
	_, err := sitetest.BuildErr(t, generator.Options{SiteDir: site.Dir, Strict: true, Now: day(t, "2026-06-01")}, out)
	if err == nil {
		t.Fatal("strict build passed; want the two warnings as errors")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join("content", "en", "cookies.versions") + ": version files beside no page",
		filepath.Join("content", "en", "terms.md") + ": version files of a page without an effective date",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "en-GB") || strings.Contains(msg, "privacy.md:") || strings.Contains(msg, "privacy.versions:") {
		t.Errorf("a warning about pages whose versions are published:\n%s", msg)
	}
}

// TestVersionsFromGitHistory builds a site whose versions are only in
// its git history, in two languages and a regional override: a typo fix
// within a version, a new version in each language, and an upcoming one
// not yet committed.
func TestVersionsFromGitHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	site := sitetest.New(t, `
-- site.toml --
baseURL = "https://example.com/"
title = "Example"
[[locales]]
tag = "en"
[[locales]]
tag = "en-GB"
[[locales]]
tag = "de-DE"
-- content/en/privacy.md --
---
title: Privacy
effective: 2024-01-01
---
## Retention {#retention}

Logs are kep for 90 days.
-- content/en-GB/privacy.md --
---
extends: true
---
## Controller {#controller after="retention"}

Example UK Ltd.
-- content/de-DE/privacy.md --
---
title: Datenschutz
effective: 2024-01-01
---
## Speicherdauer {#retention}

Protokolle speichern wir 90 Tage.
`)
	git := gitIn(t, site.Dir)
	en := func(date, text string) string {
		return "---\ntitle: Privacy\neffective: " + date + "\n---\n## Retention {#retention}\n\n" + text + "\n"
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "first versions")
	// A typo fix keeps the date: the version's text is its last commit's.
	site.Write("content/en/privacy.md", en("2024-01-01", "Logs are kept for 90 days."))
	git("commit", "-q", "-am", "typo")
	site.Write("content/en/privacy.md", en("2025-01-01", "Logs are kept for 30 days."))
	site.Write("content/de-DE/privacy.md", "---\ntitle: Datenschutz\neffective: 2025-01-01\n---\n## Speicherdauer {#retention}\n\nProtokolle speichern wir 30 Tage.\n")
	git("commit", "-q", "-am", "second versions")
	// The working tree is the current version, committed or not.
	site.Write("content/en/privacy.md", en("2026-03-01", "Logs are kept for 7 days."))

	out := site.Build(generator.Options{Now: day(t, "2025-12-01")})
	out.AssertContains("en/privacy/versions/2024-01-01/index.html",
		"Logs are kept for 90 days.", `<meta name="robots" content="noindex">`,
		`<link rel="canonical" href="https://example.com/en/privacy/versions/2024-01-01/">`,
		"It was in effect from January 1, 2024 to January 1, 2025.",
		`href="/de-de/privacy/versions/2024-01-01/" hreflang="de-DE"`, `href="/en-gb/privacy/versions/2024-01-01/" hreflang="en-GB"`)
	if strings.Contains(string(out.File("en/privacy/versions/2024-01-01/index.html")), "kep for") {
		t.Error("the 2024 version shows the text before its typo fix")
	}
	// The override, resolved against its base as it was.
	out.AssertContains("en-gb/privacy/versions/2024-01-01/index.html", "Logs are kept for 90 days.", "Example UK Ltd.")
	out.AssertContains("de-de/privacy/versions/2024-01-01/index.html", "Protokolle speichern wir 90 Tage.")
	out.AssertContains("de-de/privacy/index.html", "Protokolle speichern wir 30 Tage.",
		`<a href="/de-de/privacy/versions/2024-01-01/"><time datetime="2024-01-01">Gültig ab 1. Januar 2024</time></a>`)
	// The page shows the version in force and announces the upcoming one.
	out.AssertContains("en/privacy/index.html", "Logs are kept for 30 days.",
		"A new version of this page takes effect on March 1, 2026.",
		`<a href="/en/privacy/versions/2024-01-01/"><time datetime="2024-01-01">Effective January 1, 2024</time></a>`)
	out.AssertContains("en/privacy/versions/2026-03-01/index.html", "Logs are kept for 7 days.", "This version takes effect on March 1, 2026.")
	// Each redline shows exactly the changed words.
	out.AssertContains("en/privacy/versions/2026-03-01/changes/index.html",
		`Logs are kept for <del><span class="visually-hidden">removed: </span>30</del><ins><span class="visually-hidden">added: </span>7</ins> days.`)
	out.AssertContains("de-de/privacy/changes/index.html",
		`Protokolle speichern wir <del><span class="visually-hidden">entfernt: </span>90</del><ins><span class="visually-hidden">hinzugefügt: </span>30</ins> Tage.`)
	for name, data := range out.Files {
		if strings.Contains(name, "/versions/") && strings.Contains(string(data), `<link rel="alternate" hreflang`) {
			t.Errorf("%s is in an hreflang cluster", name)
		}
	}
	if sm := string(out.File("sitemap.xml")); strings.Contains(sm, "/versions/") {
		t.Errorf("sitemap lists version pages:\n%s", sm)
	}
	for _, feed := range []string{"en/changes.atom", "en-gb/changes.atom", "de-de/changes.atom"} {
		validateAtom(t, filepath.Join(out.Dir, feed))
	}
	out.AssertContains("en/changes.atom", "<id>tag:example.com,2024-01-01:en/privacy</id>", "<id>tag:example.com,2026-03-01:en/privacy</id>")
}

// gitIn returns a function that runs git with args in dir, with no
// user or system configuration, failing the test on an error.
func gitIn(t *testing.T, dir string) func(args ...string) {
	return func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}
