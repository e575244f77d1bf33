package versions_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysite/generator/config"
	"policysite/generator/content"
	"policysite/generator/inherit"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/versions"
)

// memSource is a Source of states held in memory; a blob's ID is its
// text.
type memSource struct{ states []versions.State }

func (s memSource) States(context.Context) ([]versions.State, error) { return s.states, nil }
func (s memSource) Read(_ context.Context, b versions.Blob) ([]byte, error) {
	return []byte(b.ID), nil
}

// state makes a state of files (path → text).
func state(id string, files map[string]string) versions.State {
	st := versions.State{ID: id, Files: map[string]versions.Blob{}}
	for p, text := range files {
		st.Files[p] = versions.Blob{ID: text}
	}
	return st
}

func page(effective, text string) string {
	if effective == "" {
		return "---\ntitle: Privacy\n---\n" + text + "\n"
	}
	return "---\ntitle: Privacy\neffective: " + effective + "\n---\n" + text + "\n"
}

// override extends the base with a section after #one.
func override(effective, text string) string {
	fm := "extends: true\n"
	if effective != "" {
		fm += "effective: " + effective + "\n"
	}
	return "---\n" + fm + "---\n## Region {#region after=\"one\"}\n\n" + text + "\n"
}

func base(effective, text string) string {
	return page(effective, "Intro "+text+".\n\n## One {#one}\n\nOne.")
}

func testLocales(t *testing.T) (*locale.Set, *markdown.Markdown) {
	t.Helper()
	cfg := config.Default("")
	cfg.DefaultLocale = "en"
	for _, tag := range []string{"en", "en-GB", "en-US"} {
		cfg.Locales = append(cfg.Locales, config.Locale{Tag: tag, Path: strings.ToLower(tag)})
	}
	locs, err := locale.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return locs, markdown.New(markdown.Options{})
}

// resolve resolves files (path → text) as the build does.
func resolve(t *testing.T, locs *locale.Set, md *markdown.Markdown, files map[string]string) *inherit.Site {
	t.Helper()
	tree := &content.Tree{Files: map[string]map[string]*content.File{}, Broken: map[string]map[string]bool{}}
	for _, l := range locs.All {
		tree.Files[l.Tag] = map[string]*content.File{}
	}
	for p, text := range files {
		tag, rel, _ := strings.Cut(p, "/")
		f, err := content.Parse(p, tag, rel, []byte(text), md)
		if err != nil {
			t.Fatal(err)
		}
		tree.Files[tag][f.Key] = f
	}
	site, err := inherit.Resolve(context.Background(), locs, tree, md)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// describe writes h as "date:marker date:marker* …", the version in
// force starred, each marker being the words of the version's text
// that start with "v" or "uk".
func describe(h *versions.History) string {
	if h == nil {
		return "none"
	}
	var parts []string
	for i, v := range h.Versions {
		var marks []string
		for _, w := range strings.Fields(string(v.Page.Doc.Body)) {
			w = strings.Trim(w, ".")
			if strings.HasPrefix(w, "v") || strings.HasPrefix(w, "uk") {
				marks = append(marks, w)
			}
		}
		s := v.DateString() + ":" + strings.Join(marks, "+")
		if i == h.InForce {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestCollect(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name    string
		current map[string]string
		states  []versions.State
		now     string
		want    map[string]string // locale → describe
		until   string
	}{
		{
			name:    "no effective date, no versions",
			current: map[string]string{"en/privacy.md": base("", "v2")},
			states:  []versions.State{state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1")})},
			want:    map[string]string{"en": "none", "en-GB": "none"},
		},
		{
			name:    "states of one date are one version, the last its text",
			current: map[string]string{"en/privacy.md": base("2025-06-01", "v3")},
			states: []versions.State{
				state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1")}),
				state("c2", map[string]string{"en/privacy.md": base("2024-01-01", "v2")}),
				state("c3", map[string]string{"en/privacy.md": base("2025-06-01", "v3-draft")}),
			},
			want: map[string]string{"en": "2024-01-01:v2 2025-06-01:v3*", "en-US": "2024-01-01:v2 2025-06-01:v3*"},
		},
		{
			name: "a regional override and its base changing at different dates",
			current: map[string]string{
				"en/privacy.md":    base("2025-01-01", "v2"),
				"en-GB/privacy.md": override("2025-03-01", "uk3"),
			},
			states: []versions.State{
				state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1"), "en-GB/privacy.md": override("", "uk1")}),
				state("c2", map[string]string{"en/privacy.md": base("2024-01-01", "v1"), "en-GB/privacy.md": override("2024-06-01", "uk2")}),
				state("c3", map[string]string{"en/privacy.md": base("2025-01-01", "v2"), "en-GB/privacy.md": override("2024-06-01", "uk2")}),
			},
			want: map[string]string{
				"en":    "2024-01-01:v1 2025-01-01:v2*",
				"en-GB": "2024-01-01:v1+uk1 2024-06-01:v1+uk2 2025-01-01:v2+uk2 2025-03-01:v2+uk3*",
				"en-US": "2024-01-01:v1 2025-01-01:v2*",
			},
		},
		{
			name: "two locales' files with the same bytes",
			current: map[string]string{
				"en/privacy.md": base("2025-01-01", "v2"), "en-GB/privacy.md": override("", "uk2"), "en-US/privacy.md": override("", "uk2"),
			},
			states: []versions.State{
				state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1"), "en-GB/privacy.md": override("", "uk1"), "en-US/privacy.md": override("", "uk1")}),
			},
			want: map[string]string{
				"en-GB": "2024-01-01:v1+uk1 2025-01-01:v2+uk2*",
				"en-US": "2024-01-01:v1+uk1 2025-01-01:v2+uk2*",
			},
		},
		{
			name:    "a date moved back is not an earlier version",
			current: map[string]string{"en/privacy.md": base("2025-01-01", "v2")},
			states:  []versions.State{state("c1", map[string]string{"en/privacy.md": base("2026-01-01", "v1")})},
			want:    map[string]string{"en": "2025-01-01:v2*"},
		},
		{
			name:    "upcoming: the page shows the version in force",
			current: map[string]string{"en/privacy.md": base("2025-03-01", "v2")},
			states:  []versions.State{state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1")})},
			now:     "2025-02-01",
			want:    map[string]string{"en": "2024-01-01:v1* 2025-03-01:v2"},
			until:   "2025-03-01",
		},
		{
			name:    "upcoming with no version in force yet",
			current: map[string]string{"en/privacy.md": base("2025-03-01", "v2")},
			now:     "2025-02-01",
			want:    map[string]string{"en": "2025-03-01:v2*"},
			until:   "2025-03-01",
		},
		{
			name:    "a state without the page ends no version",
			current: map[string]string{"en/privacy.md": base("2025-03-01", "v3")},
			states: []versions.State{
				state("c1", map[string]string{"en/privacy.md": base("2024-01-01", "v1")}),
				state("c2", map[string]string{"en/other.md": base("2024-02-01", "x")}),
				state("c3", map[string]string{"en/privacy.md": base("2024-03-01", "v2")}),
			},
			want: map[string]string{"en": "2024-01-01:v1 2024-03-01:v2 2025-03-01:v3*"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			locs, md := testLocales(t)
			now := day("2030-01-01")
			if tc.now != "" {
				now = day(tc.now)
			}
			cur := resolve(t, locs, md, tc.current)
			set, err := versions.Collect(context.Background(), versions.Options{Locales: locs, Markdown: md, Now: now}, cur, []versions.Source{memSource{tc.states}})
			if err != nil {
				t.Fatal(err)
			}
			for tag, want := range tc.want {
				if got := describe(set.Get(tag, "privacy")); got != want {
					t.Errorf("Collect: %s = %s; want %s", tag, got, want)
				}
			}
			if got := set.Until.Format("2006-01-02"); tc.until != "" && got != tc.until || tc.until == "" && !set.Until.IsZero() {
				t.Errorf("Until = %s; want %q", got, tc.until)
			}
		})
	}
}

// writeFiles writes files (slash paths → text) below dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// collectFiles loads the content folder dir and collects its explicit
// versions.
func collectFiles(t *testing.T, dir string) (*versions.Set, error) {
	t.Helper()
	locs, md := testLocales(t)
	ctx := context.Background()
	tree, err := content.Load(ctx, content.Options{Dir: dir, Locales: []string{"en", "en-GB", "en-US"}, Markdown: md})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tree.Files["en"]["privacy.versions/2024-01-01"]; ok {
		t.Fatal("content.Load published a version file as a page")
	}
	site, err := inherit.Resolve(ctx, locs, tree, md)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse("2006-01-02", "2030-01-01")
	return versions.Collect(ctx, versions.Options{Dir: dir, Locales: locs, Markdown: md, Now: now}, site, []versions.Source{versions.NewFiles(dir, tree)})
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"en/privacy.md":                        base("2025-01-01", "v3"),
		"en/privacy.versions/2024-01-01.md":    base("2024-01-01", "v1"),
		"en/privacy.versions/2024-09-01.md":    base("2024-09-01", "v2"),
		"en-GB/privacy.md":                     override("", "uk2"),
		"en-GB/privacy.versions/2024-01-01.md": override("", "uk1"),
	})
	set, err := collectFiles(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]string{
		"en": "2024-01-01:v1 2024-09-01:v2 2025-01-01:v3*",
		// en-GB is as its version file until the current build: it has
		// no effective date of its own, so when it changed is unknown.
		"en-GB": "2024-01-01:v1+uk1 2024-09-01:v2+uk1 2025-01-01:v3+uk2*",
		"en-US": "2024-01-01:v1 2024-09-01:v2 2025-01-01:v3*",
	} {
		if got := describe(set.Get(tag, "privacy")); got != want {
			t.Errorf("%s = %s; want %s", tag, got, want)
		}
	}
}

func TestFilesErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"not a date", map[string]string{"en/privacy.versions/old.md": base("2024-01-01", "v1")},
			"en/privacy.versions/old.md: a version file is named after the day its version took effect, YYYY-MM-DD.md"},
		{"after the current date", map[string]string{"en/privacy.versions/2026-01-01.md": base("2026-01-01", "v1")},
			"en/privacy.versions/2026-01-01.md: is dated on or after the page's effective date 2025-01-01"},
		{"date differs from the name", map[string]string{"en/privacy.versions/2024-01-01.md": base("2024-02-01", "v1")},
			"en/privacy.versions/2024-01-01.md:1: effective date 2024-02-01 differs from the date the file is named after"},
		{"an override that does not fit the earlier base", map[string]string{
			"en/privacy.versions/2024-01-01.md": page("2024-01-01", "Intro v1."),
			"en-GB/privacy.md":                  override("", "uk"),
		}, "in the version effective 2024-01-01: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"en/privacy.md": base("2025-01-01", "v3")}
			for p, text := range tc.files {
				files[p] = text
			}
			writeFiles(t, dir, files)
			_, err := collectFiles(t, dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v; want one containing %q", err, tc.want)
			}
		})
	}
}
