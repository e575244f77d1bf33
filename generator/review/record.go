package review

import (
	"fmt"
	"slices"
	"strings"
)

// A Record is what a target file remembers about one reviewed source
// section, in its front matter's reviewed map as ID: Value(). It is the
// unit that --mark-reviewed writes and that other tools (an XLIFF
// import) may write through MarkReviewed or SetReviewed.
//
// A plain record is the source section's digest: the section is current
// while the source's digest equals it. A record that accepts
// differences also holds the digest of the target section as it was
// when they were accepted, and the accepted kinds; the acceptance
// lapses as soon as either digest changes.
type Record struct {
	// ID is the source section's ID (the key of the reviewed map).
	ID string
	// Digest is the source section's digest (see Digest).
	Digest string
	// Target is the target section's digest when Accept is set.
	Target string
	// Accept lists the accepted difference kinds ("structure" accepts
	// every kind).
	Accept []string
}

// AcceptKinds are the difference kinds --accept takes: "structure"
// (every kind) or one kind of Difference.
var AcceptKinds = []string{"structure", "list-items", "tables", "table-rows", "table-columns", "links", "images", "numbers", "dates", "emails", "urls", "code"}

// Value is the record as written in front matter:
// "DIGEST" or "DIGEST accept=KIND+KIND target=DIGEST".
func (r Record) Value() string {
	if len(r.Accept) == 0 {
		return r.Digest
	}
	return fmt.Sprintf("%s accept=%s target=%s", r.Digest, strings.Join(r.Accept, "+"), r.Target)
}

// ParseRecord parses the reviewed-map value v of section id. Unknown
// fields are ignored, so that later versions can add some.
func ParseRecord(id, v string) Record {
	r := Record{ID: id}
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return r
	}
	r.Digest = fields[0]
	for _, f := range fields[1:] {
		k, val, _ := strings.Cut(f, "=")
		switch k {
		case "accept":
			r.Accept = strings.Split(val, "+")
		case "target":
			r.Target = val
		}
	}
	return r
}

// accepts reports whether r accepts differences of kind.
func (r Record) accepts(kind string) bool {
	return slices.Contains(r.Accept, "structure") || slices.Contains(r.Accept, kind)
}

// An Acceptance is one --accept item: a difference kind, for every
// section of the page or for one section.
type Acceptance struct {
	Section string // "" for every section
	Kind    string
}

// ParseAccept parses --accept: a comma-separated list of KIND or
// SECTION:KIND (--accept structure, --accept collect-use:list-items).
func ParseAccept(s string) ([]Acceptance, error) {
	var out []Acceptance
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		a := Acceptance{Kind: item}
		if sec, kind, ok := strings.Cut(item, ":"); ok {
			a = Acceptance{Section: sec, Kind: kind}
		}
		if !slices.Contains(AcceptKinds, a.Kind) {
			return nil, fmt.Errorf("--accept %q: unknown kind %q; use %s, optionally as SECTION:KIND", item, a.Kind, strings.Join(AcceptKinds, ","))
		}
		out = append(out, a)
	}
	return out, nil
}
