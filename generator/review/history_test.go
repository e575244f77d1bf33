package review

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"policysite/themes"
)

func TestWordDiff(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     []Span
	}{
		{"A cookie is a small text file.", "A cookie is a tiny text file.", []Span{
			{Op: "equal", Text: "A cookie is a "}, {Op: "delete", Text: "small", Old: 14, New: 14},
			{Op: "insert", Text: "tiny", Old: 19, New: 14}, {Op: "equal", Text: " text file.", Old: 19, New: 18}}},
		{"same", "same", []Span{{Op: "equal", Text: "same"}}},
		{"one two", "one two three", []Span{{Op: "equal", Text: "one two"}, {Op: "insert", Text: " three", Old: 7, New: 7}}},
		// Two changed words next to each other read as one change.
		{"keep logs for 180 days", "store data for 90 days", []Span{
			{Op: "delete", Text: "keep logs"}, {Op: "insert", Text: "store data", Old: 9},
			{Op: "equal", Text: " for ", Old: 9, New: 10}, {Op: "delete", Text: "180", Old: 14, New: 15},
			{Op: "insert", Text: "90", Old: 17, New: 15}, {Op: "equal", Text: " days", Old: 17, New: 17}}},
		// Han characters are words of their own.
		{"个人信息保护", "个人数据保护", []Span{
			{Op: "equal", Text: "个人"}, {Op: "delete", Text: "信息", Old: 6, New: 6},
			{Op: "insert", Text: "数据", Old: 12, New: 6}, {Op: "equal", Text: "保护", Old: 12, New: 12}}},
	} {
		got := wordDiff(tc.old, tc.new)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wordDiff(%q, %q) =\n %+v; want\n %+v", tc.old, tc.new, got, tc.want)
		}
		// The spans rebuild both texts.
		var o, n strings.Builder
		for _, sp := range got {
			if sp.Op != "insert" {
				o.WriteString(sp.Text)
			}
			if sp.Op != "delete" {
				n.WriteString(sp.Text)
			}
		}
		if o.String() != tc.old || n.String() != tc.new {
			t.Errorf("wordDiff(%q, %q) spans rebuild %q, %q", tc.old, tc.new, o.String(), n.String())
		}
	}
}

// editFile replaces old with new in the file at path, which must hold old.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// staleRows returns the stale rows of d.
func staleRows(d *Diff) []SectionDiff {
	var out []SectionDiff
	for _, p := range d.Pages {
		for _, s := range p.Sections {
			if s.Review == ReviewStale {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestStaleChange marks a page reviewed, changes one word of one
// source section and checks that exactly that section is stale, with the
// old and new words, from the review record, from git history, and
// without either.
func TestStaleChange(t *testing.T) {
	ctx := context.Background()
	dir := fixtureSite(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	_, gitErr := exec.LookPath("git")
	if gitErr == nil {
		git("init", "-q")
		git("add", "-A")
		git("commit", "-q", "-m", "before")
	}
	path, recs, err := New(load(t, dir)).MarkReviewed(ctx, "en", "de", "kinds", MarkOptions{KeepText: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 11 || !strings.HasSuffix(path, filepath.Join("content", "de", "kinds.md")) {
		t.Fatalf("MarkReviewed = %s, %d records; want content/de/kinds.md, 11", path, len(recs))
	}
	if n, _ := filepath.Glob(filepath.Join(dir, SourcesDir, "*.md")); len(n) != 11 {
		t.Errorf("review record holds %d texts; want 11", len(n))
	}
	editFile(t, filepath.Join(dir, "content", "en", "kinds.md"), "We keep logs for 180 days", "We store logs for 180 days")
	if gitErr == nil {
		git("commit", "-q", "-am", "after")
	}

	check := func(from string) *Diff {
		t.Helper()
		d, err := New(load(t, dir)).Diff(ctx, "en", "de", []string{"kinds"})
		if err != nil {
			t.Fatal(err)
		}
		stale := staleRows(d)
		if len(stale) != 1 || stale[0].Source.ID != "numbers" || d.Totals.Stale != 1 || d.Totals.Current != 10 {
			t.Fatalf("stale rows %+v, totals %+v; want exactly #numbers", stale, d.Totals)
		}
		ch := stale[0].Change
		if ch == nil || ch.From != from {
			t.Fatalf("change = %+v; want from %s", ch, from)
		}
		if from == FromUnavailable {
			if ch.Old != "" || len(ch.Spans) != 0 || ch.Note == "" {
				t.Errorf("unavailable change = %+v; want a note and no spans", ch)
			}
			return d
		}
		var del, ins []string
		for _, sp := range ch.Spans {
			switch sp.Op {
			case "delete":
				del = append(del, sp.Text)
			case "insert":
				ins = append(ins, sp.Text)
			}
		}
		if !slices.Equal(del, []string{"keep"}) || !slices.Equal(ins, []string{"store"}) {
			t.Errorf("change spans deleted %q, inserted %q; want keep → store", del, ins)
		}
		if !strings.Contains(ch.Old, "We keep logs") || !strings.Contains(ch.New, "We store logs") {
			t.Errorf("change old/new = %q / %q", ch.Old, ch.New)
		}
		return d
	}

	d := check(FromRecord)
	tmpl, err := ParseTemplates(themes.Default())
	if err != nil {
		t.Fatal(err)
	}
	var txt, colour, js, html bytes.Buffer
	if err := WriteDiffText(&txt, d, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffText(&colour, d, TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if err := tmpl.WriteDiffHTML(&html, d, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff-stale.txt", relPaths(txt.Bytes(), dir))
	golden(t, "diff-stale.json", relPaths(js.Bytes(), dir))
	golden(t, "diff-stale.html", relPaths(html.Bytes(), dir))
	if !strings.Contains(txt.String(), "[-keep-]{+store+}") || !strings.Contains(colour.String(), "\x1b[31m[-keep-]\x1b[0m\x1b[32m{+store+}\x1b[0m") {
		t.Errorf("text report lacks the inline markers:\n%s", colour.String())
	}
	if !strings.Contains(html.String(), `<del><span class="sr-only">[deleted: </span>keep<span class="sr-only">]</span></del><ins><span class="sr-only">[inserted: </span>store`) {
		t.Errorf("HTML report lacks <del>/<ins> for the change")
	}
	var doc map[string]any
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for path, typ := range map[string]string{
		"pages[].sections[].change.from": "string", "pages[].sections[].change.old": "string",
		"pages[].sections[].change.new": "string", "pages[].sections[].change.record": "string",
		"pages[].sections[].change.spans[].op": "string", "pages[].sections[].change.spans[].text": "string",
		"pages[].sections[].change.spans[].old": "number", "pages[].sections[].change.spans[].new": "number",
	} {
		vals := lookup(doc, strings.Split(path, "."))
		if len(vals) == 0 || jsonType(vals[0]) != typ {
			t.Errorf("JSON %s: %v; want %s", path, vals, typ)
		}
	}

	if err := os.RemoveAll(filepath.Join(dir, ".review")); err != nil {
		t.Fatal(err)
	}
	if gitErr == nil {
		d := check(FromGit)
		if c := staleRows(d)[0].Change; len(c.Commit) != 12 || c.Date == "" {
			t.Errorf("git change names commit %q of %q", c.Commit, c.Date)
		}
		if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
			t.Fatal(err)
		}
	}
	check(FromUnavailable)
}

// TestAccept accepts the differences of a page and checks that they
// return when either side changes.
func TestAccept(t *testing.T) {
	ctx := context.Background()
	dir := fixtureSite(t)
	_, recs, err := New(load(t, dir)).MarkReviewed(ctx, "en", "de", "kinds", MarkOptions{Accept: []Acceptance{{Kind: "structure"}}})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, r := range recs {
		if len(r.Accept) > 0 {
			accepted++
			if r.Target == "" {
				t.Errorf("record %+v accepts without the target's digest", r)
			}
		}
	}
	diff := func() *Diff {
		t.Helper()
		d, err := New(load(t, dir)).Diff(ctx, "en", "de", []string{"kinds"})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := diff()
	if d.Totals.Structure != 0 || d.Totals.Accepted != accepted || accepted != 9 {
		t.Fatalf("after --accept structure: totals %+v, %d records accept; want 0 structure, 9 accepted", d.Totals, accepted)
	}
	var txt, html bytes.Buffer
	if err := WriteDiffText(&txt, d, TextOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	tmpl, err := ParseTemplates(themes.Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := tmpl.WriteDiffHTML(&html, d, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff-accepted.txt", relPaths(txt.Bytes(), dir))
	golden(t, "diff-accepted.html", relPaths(html.Bytes(), dir))
	// The target changes: its differences are back.
	editFile(t, filepath.Join(dir, "content", "de", "kinds.md"), "- eins", "- eins\n- noch eins\n- und noch eins")
	d = diff()
	if d.Totals.Structure != 1 || d.Totals.Accepted != 8 {
		t.Errorf("after a target edit: totals %+v; want 1 structure, 8 accepted", d.Totals)
	}
	// The source changes: stale, and its differences are back.
	editFile(t, filepath.Join(dir, "content", "en", "kinds.md"), "[terms](terms.md#liability)", "[terms of use](terms.md#liability)")
	d = diff()
	if d.Totals.Structure != 2 || d.Totals.Stale != 1 {
		t.Errorf("after a source edit: totals %+v; want 2 structure, 1 stale", d.Totals)
	}

	// One kind of one section.
	dir = fixtureSite(t)
	_, recs, err = New(load(t, dir)).MarkReviewed(ctx, "en", "de", "kinds", MarkOptions{Accept: []Acceptance{{Section: "tables", Kind: "numbers"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if want := r.ID == "tables"; (len(r.Accept) > 0) != want || want && !slices.Equal(r.Accept, []string{"numbers"}) {
			t.Errorf("record %+v; want only tables to accept numbers", r)
		}
	}
	d = diff()
	for _, s := range d.Pages[0].Sections {
		if s.Source != nil && s.Source.ID == "tables" {
			if !slices.Equal(s.Accepted, []string{"numbers"}) || len(s.Differences) != 3 {
				t.Errorf("tables: accepted %v, %d differences; want numbers accepted, 3 left", s.Accepted, len(s.Differences))
			}
		}
	}
	if _, _, err := New(load(t, dir)).MarkReviewed(ctx, "en", "de", "kinds", MarkOptions{Accept: []Acceptance{{Section: "nope", Kind: "numbers"}}}); err == nil || !strings.Contains(err.Error(), "no section #nope") {
		t.Errorf("accepting a section that does not exist: %v", err)
	}
}

func TestRecordValue(t *testing.T) {
	for _, tc := range []struct {
		rec Record
		v   string
	}{
		{Record{ID: "a", Digest: "0123456789ab"}, "0123456789ab"},
		{Record{ID: "a", Digest: "0123456789ab", Target: "ba9876543210", Accept: []string{"links", "numbers"}}, "0123456789ab accept=links+numbers target=ba9876543210"},
	} {
		if got := tc.rec.Value(); got != tc.v {
			t.Errorf("%+v.Value() = %q; want %q", tc.rec, got, tc.v)
		}
		if got := ParseRecord("a", tc.v); !reflect.DeepEqual(got, tc.rec) {
			t.Errorf("ParseRecord(%q) = %+v; want %+v", tc.v, got, tc.rec)
		}
	}
	if _, err := ParseAccept("structure,tables:numbers"); err != nil {
		t.Error(err)
	}
	if _, err := ParseAccept("tables:nonsense"); err == nil {
		t.Error("ParseAccept(tables:nonsense) succeeded")
	}
}
