package review

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetReviewed(t *testing.T) {
	recs := []Record{{ID: "_intro", Digest: "aaaaaaaaaaaa"}, {ID: "collect-use", Digest: "123456789012"}, {ID: "données", Digest: "bbbbbbbbbbbb"}}
	yaml := "reviewed:\n  _intro: \"aaaaaaaaaaaa\"\n  collect-use: \"123456789012\"\n  \"données\": \"bbbbbbbbbbbb\"\n"
	toml := "[reviewed]\n_intro = \"aaaaaaaaaaaa\"\ncollect-use = \"123456789012\"\n\"données\" = \"bbbbbbbbbbbb\"\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"no front matter", "# Title\n\nBody.\n", "---\n" + yaml + "---\n# Title\n\nBody.\n"},
		{"yaml without block", "---\ntitle: T # keep this comment\n---\nBody.\n", "---\ntitle: T # keep this comment\n" + yaml + "---\nBody.\n"},
		{"yaml replace block", "---\ntitle: T\nreviewed:\n  old: \"x\"\n\ndraft: false\n---\nBody.\n", "---\ntitle: T\n" + yaml + "\ndraft: false\n---\nBody.\n"},
		{"yaml flow block", "---\nreviewed: {old: x}\ntitle: T\n---\nBody.\n", "---\n" + yaml + "title: T\n---\nBody.\n"},
		{"bom crlf", "\uFEFF---\r\ntitle: T\r\n---\r\nBody.\r\n", "\uFEFF---\r\ntitle: T\r\n" + strings.ReplaceAll(yaml, "\n", "\r\n") + "---\r\nBody.\r\n"},
		{"bom crlf no front matter", "\uFEFF# T\r\n", "\uFEFF---\r\n" + strings.ReplaceAll(yaml, "\n", "\r\n") + "---\r\n# T\r\n"},
		{"toml without block", "+++\ntitle = \"T\"\n\n[params]\nx = 1\n+++\nBody.\n", "+++\ntitle = \"T\"\n\n[params]\nx = 1\n" + toml + "+++\nBody.\n"},
		{"toml replace table", "+++\ntitle = \"T\"\n[reviewed]\nold = \"x\"\n\n[params]\nx = 1\n+++\nBody.\n", "+++\ntitle = \"T\"\n" + toml + "\n[params]\nx = 1\n+++\nBody.\n"},
		{"toml inline", "+++\nreviewed = { old = \"x\" }\ntitle = \"T\"\n+++\nBody.\n", "+++\ntitle = \"T\"\n" + toml + "+++\nBody.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SetReviewed([]byte(tc.in), recs)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("SetReviewed(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
			}
		})
	}
	if _, err := SetReviewed([]byte("---\ntitle: T\nBody.\n"), recs); err == nil {
		t.Error("SetReviewed accepted front matter that is never closed")
	}
}

// TestStaleness marks every translation of the example site reviewed,
// changes one section of the source, and expects exactly that section
// to be stale in every locale that translates it.
func TestStaleness(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, p := range []string{"site.toml", "content", "i18n"} {
		src := filepath.Join("..", "..", p)
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			err = os.CopyFS(filepath.Join(dir, p), os.DirFS(src))
			if err != nil {
				t.Fatal(err)
			}
		} else if data, err := os.ReadFile(src); err == nil {
			if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	site := load(t, dir)
	rv := New(site)
	marked := 0
	for _, l := range site.Locales.All {
		if l.Tag == "en" {
			continue
		}
		for _, key := range site.Tree.Keys(l.Tag) {
			_, recs, err := rv.MarkReviewed(ctx, "en", l.Tag, key, MarkOptions{})
			if err != nil && !strings.Contains(err.Error(), "no section of this file translates") && !strings.Contains(err.Error(), "nothing to mark") {
				t.Fatal(err)
			}
			marked += len(recs)
		}
	}
	if marked == 0 {
		t.Fatal("nothing was marked")
	}
	site = load(t, dir)
	st, err := New(site).Status(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if st.Totals.Stale != 0 || st.Totals.Unreviewed != 0 {
		t.Fatalf("after marking every file: %d stale, %d unreviewed; want 0", st.Totals.Stale, st.Totals.Unreviewed)
	}

	// Change the text of one source section.
	path := filepath.Join(dir, "content", "en", "privacy.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), "{#children}")
	if i < 0 {
		t.Fatal("content/en/privacy.md has no #children section")
	}
	j := i + strings.Index(string(src[i:]), "\n\n") + 2
	changed := string(src[:j]) + "This sentence is new. " + string(src[j:])
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	site = load(t, dir)
	rv = New(site)
	translations := 0
	for _, l := range site.Locales.All {
		if l.Tag == "en" {
			continue
		}
		d, err := rv.Diff(ctx, "en", l.Tag, []string{"privacy"})
		if err != nil {
			t.Fatal(err)
		}
		var stale []string
		translated := false
		for _, s := range d.Pages[0].Sections {
			if s.Source != nil && s.Source.ID == "children" && s.Review != ReviewSame {
				translated = true
			}
			if s.Review == ReviewStale {
				stale = append(stale, s.Source.ID)
			}
		}
		want := ""
		if translated {
			want = "children"
			translations++
		}
		if got := strings.Join(stale, ","); got != want {
			t.Errorf("%s: stale sections %q; want %q", l.Tag, got, want)
		}
	}
	if translations < 15 {
		t.Errorf("only %d locales translate #children; the example site has more", translations)
	}
}
