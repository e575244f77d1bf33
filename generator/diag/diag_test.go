package diag

import (
	"errors"
	"testing"
)

func TestListMergesLocales(t *testing.T) {
	msg := errors.New(`link to "gone.md": there is no page gone.md`)
	var l List
	// One inherited line reported by each locale showing it, in the
	// order pages finish, among other errors at the same position.
	for _, loc := range []string{"en-GB", "en", "en-AU", "en"} {
		l.Add(&SourceError{File: "content/en/privacy.md", Line: 7, Err: msg, Locales: []string{loc}})
	}
	l.Add(&SourceError{File: "content/en/privacy.md", Line: 7, Err: errors.New("another problem"), Locales: []string{"en"}})
	l.Add(&SourceError{File: "content/en/privacy.md", Line: 9, Err: msg, Locales: []string{"en-GB"}})
	l.Add(Errorf("content/en/privacy.md", 7, "no locales"))
	l.Add(Errorf("content/en/privacy.md", 7, "no locales"))
	l.Add(errors.New("not in a file"))
	got := Errors(l.Err())
	want := []string{
		"not in a file",
		"content/en/privacy.md:7: another problem (in en)",
		`content/en/privacy.md:7: link to "gone.md": there is no page gone.md (in en, en-AU, en-GB)`,
		"content/en/privacy.md:7: no locales",
		`content/en/privacy.md:9: link to "gone.md": there is no page gone.md (in en-GB)`,
	}
	if len(got) != len(want) {
		t.Fatalf("Err() = %d errors:\n%v\nwant %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i].Error() != want[i] {
			t.Errorf("Err()[%d] = %q; want %q", i, got[i], want[i])
		}
	}
	var se *SourceError
	if !errors.As(got[2], &se) || len(se.Locales) != 3 {
		t.Errorf("merged error = %#v; want a *SourceError with 3 locales", got[2])
	}
}

func TestListMergeKeepsInputs(t *testing.T) {
	a := &SourceError{File: "a.md", Line: 1, Err: errors.New("x"), Locales: []string{"fr"}}
	b := &SourceError{File: "a.md", Line: 1, Err: errors.New("x"), Locales: []string{"de"}}
	l := List{a, b}
	_ = l.Err()
	if len(a.Locales) != 1 || a.Locales[0] != "fr" || len(b.Locales) != 1 {
		t.Errorf("Err() changed its inputs: %v, %v", a.Locales, b.Locales)
	}
}
