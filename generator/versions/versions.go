package versions

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"policysite/generator/content"
	"policysite/generator/diag"
	"policysite/generator/inherit"
	"policysite/generator/locale"
	"policysite/generator/markdown"
	"policysite/generator/parallel"
)

// A Version is one page in one locale as it was, or is, in effect from
// Date on.
type Version struct {
	// Date is the effective date, midnight UTC.
	Date time.Time
	// Page is the page as resolved in the version's last state; for the
	// current version it is the build's page.
	Page *inherit.Page
	// Current is set for the version of the working tree's files.
	Current bool
}

// Changes returns the version's summary of its changes (front matter
// changes:), or "".
func (v *Version) Changes() string { return v.Page.Doc.Meta.Changes }

// DateString returns Date as YYYY-MM-DD, as version URLs write it.
func (v *Version) DateString() string { return v.Date.Format(dateLayout) }

// A History is every version of one page in one locale. It is not
// modified after Collect.
type History struct {
	Locale, Key string
	// Versions are oldest first; the last is the current one.
	Versions []*Version
	// InForce is the index of the version in effect at the build's
	// time, which the page's URL shows: the current one unless its date
	// is still to come, then the latest earlier one. It is the current
	// one also when no version is in effect yet.
	InForce int
}

// Current returns the version of the working tree's files.
func (h *History) Current() *Version { return h.Versions[len(h.Versions)-1] }

// Upcoming returns the current version when it is not yet in effect
// and another is, else nil: it then has a page of its own.
func (h *History) Upcoming() *Version {
	if h.InForce != len(h.Versions)-1 {
		return h.Current()
	}
	return nil
}

// Previous returns the version before v, or nil.
func (h *History) Previous(v *Version) *Version {
	for i, x := range h.Versions {
		if x == v && i > 0 {
			return h.Versions[i-1]
		}
	}
	return nil
}

// Next returns the version after v, or nil.
func (h *History) Next(v *Version) *Version {
	for i, x := range h.Versions {
		if x == v && i+1 < len(h.Versions) {
			return h.Versions[i+1]
		}
	}
	return nil
}

// Find returns the version effective on day, or nil.
func (h *History) Find(day time.Time) *Version {
	for _, v := range h.Versions {
		if v.Date.Equal(day) {
			return v
		}
	}
	return nil
}

// Set holds the histories of every page with an effective date. The
// zero value and nil have none. It is not modified after Collect.
type Set struct {
	histories map[string]map[string]*History // locale tag, key
	// Until, when not zero, is the earliest effective date after the
	// build's time: the page URLs then show other versions.
	Until time.Time
	now   time.Time
}

// Now returns the time the versions in effect were chosen for.
func (s *Set) Now() time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.now
}

// Has reports whether a page of locale tag has versions.
func (s *Set) Has(tag string) bool { return s != nil && len(s.histories[tag]) > 0 }

// Get returns the history of page key in locale tag, or nil when the
// page has no effective date.
func (s *Set) Get(tag, key string) *History {
	if s == nil {
		return nil
	}
	return s.histories[tag][key]
}

// Len returns the number of pages with a history.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	n := 0
	for _, m := range s.histories {
		n += len(m)
	}
	return n
}

// All returns every history, by locale in the order of tags and then by
// key.
func (s *Set) All(tags []string) []*History {
	if s == nil {
		return nil
	}
	var out []*History
	for _, tag := range tags {
		m := s.histories[tag]
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, m[k])
		}
	}
	return out
}

// Options control Collect.
type Options struct {
	// Dir is the content folder, for messages.
	Dir      string
	Locales  *locale.Set
	Markdown *markdown.Markdown
	// Drafts includes earlier versions of pages marked draft.
	Drafts bool
	// Now is the build's time, against which effective dates are
	// compared.
	Now time.Time
	// Warnings receives the problems of earlier versions that do not
	// fail the build. Nil discards them.
	Warnings *diag.Warnings
}

// Collect reads the states of sources, oldest first each, and returns
// the history of every page of current (the build's pages) with an
// effective date. Pages without one have no versions, and when no page
// has one, no source is read. A version of an explicit file (Files)
// wins over another source's of the same page, locale and date.
//
// For each state, each translation key is resolved along the fallback
// chains over that state's files of the key, as the build resolves it;
// consecutive states in which a page has the same effective date are
// one version, whose text is the last of them. The locale homes have
// no versions.
func Collect(ctx context.Context, opts Options, current *inherit.Site, sources []Source) (*Set, error) {
	set := &Set{histories: map[string]map[string]*History{}, now: opts.Now}
	if opts.Warnings == nil {
		opts.Warnings = &diag.Warnings{}
	}
	keys := map[string]bool{}
	for _, pages := range current.Pages {
		for key, p := range pages {
			if key != content.HomeKey && !p.Doc.Meta.Effective.IsZero() {
				keys[key] = true
			}
		}
	}
	if len(keys) == 0 {
		return set, nil
	}
	known := map[string]string{}
	for _, pages := range current.Pages {
		for _, p := range pages {
			for _, f := range p.Doc.Files {
				known[f.Locale+"/"+f.Rel] = f.Key
			}
		}
	}
	// found holds the versions of each locale and key by date.
	found := map[string]map[string]map[time.Time]*Version{}
	var errs diag.List
	for _, src := range sources {
		states, err := src.States(ctx)
		if err != nil {
			errs.Add(err)
			continue
		}
		c := &collector{opts: opts, src: src, keys: keys, found: found, parsed: map[string]*parsed{}, known: known}
		_, c.explicit = src.(*Files)
		errs.Add(c.collect(ctx, states))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, l := range opts.Locales.Published() {
		for key := range keys {
			p := current.Pages[l.Tag][key]
			if p == nil || p.Doc.Meta.Effective.IsZero() {
				continue
			}
			h := history(l.Tag, key, p, found[l.Tag][key], opts.Now)
			if set.histories[l.Tag] == nil {
				set.histories[l.Tag] = map[string]*History{}
			}
			set.histories[l.Tag][key] = h
			if d := h.Current().Date; d.After(opts.Now) && (set.Until.IsZero() || d.Before(set.Until)) {
				set.Until = d
			}
		}
	}
	return set, nil
}

// history orders the versions of one page: those found before the
// current one's date, then the current one.
func history(tag, key string, p *inherit.Page, found map[time.Time]*Version, now time.Time) *History {
	cur := &Version{Date: p.Doc.Meta.Effective.Time, Page: p, Current: true}
	h := &History{Locale: tag, Key: key}
	for _, d := range slices.SortedFunc(maps.Keys(found), time.Time.Compare) {
		// A state whose date is the current one's or later (a date
		// moved back since) is not an earlier version.
		if d.Before(cur.Date) {
			h.Versions = append(h.Versions, found[d])
		}
	}
	h.Versions = append(h.Versions, cur)
	h.InForce = len(h.Versions) - 1
	if cur.Date.After(now) {
		for i := len(h.Versions) - 2; i >= 0; i-- {
			if !h.Versions[i].Date.After(now) {
				h.InForce = i
				break
			}
		}
	}
	return h
}

// A parsed is one blob read and parsed, or the problem doing so.
type parsed struct {
	f   *content.File
	err error
}

// A collector reads the states of one source.
type collector struct {
	opts     Options
	src      Source
	explicit bool
	keys     map[string]bool
	found    map[string]map[string]map[time.Time]*Version
	// parsed caches the files of the states by path and blob (fileID):
	// most files are the same in consecutive states.
	parsed map[string]*parsed
	// known maps the path of each current file ("en/privacy.md") to
	// its translation key, so that a state's files of pages without
	// versions are not even read.
	known map[string]string
}

// fileID identifies the file p with the bytes of b. Two files with the
// same bytes are still two files: their locales differ.
func fileID(p string, b Blob) string { return p + "\x00" + b.ID }

// skip reports whether the file p of a state cannot be a page with
// versions: a current file at that path belongs to another page. A path
// no current file has (a page removed or renamed since, whose
// translation key may be one of a page with versions) is read.
func (c *collector) skip(p string) bool {
	key, ok := c.known[p]
	return ok && !c.keys[key]
}

func (c *collector) collect(ctx context.Context, states []State) error {
	if err := c.parseAll(ctx, states); err != nil {
		return err
	}
	if c.explicit {
		var errs diag.List
		for _, p := range c.parsed {
			errs.Add(p.err)
		}
		if err := errs.Err(); err != nil {
			return err
		}
	}
	keys := slices.Sorted(maps.Keys(c.keys))
	// Keys never share text: each is resolved on its own, on all cores.
	results := make([]map[string]map[time.Time]*Version, len(keys))
	resErrs := make([]error, len(keys))
	if err := parallel.For(ctx, len(keys), func(i int) {
		results[i], resErrs[i] = c.resolveKey(ctx, keys[i], states)
	}); err != nil {
		return err
	}
	var errs diag.List
	for i, key := range keys {
		errs.Add(resErrs[i])
		for tag, byDate := range results[i] {
			if c.found[tag] == nil {
				c.found[tag] = map[string]map[time.Time]*Version{}
			}
			if c.found[tag][key] == nil {
				c.found[tag][key] = map[time.Time]*Version{}
			}
			for d, v := range byDate {
				// Sources come in order, explicit files last: a later
				// source's version of a date replaces an earlier one's.
				if _, ok := c.found[tag][key][d]; !ok || c.explicit {
					c.found[tag][key][d] = v
				}
			}
		}
	}
	return errs.Err()
}

// parseAll reads and parses every distinct blob of states on all cores.
func (c *collector) parseAll(ctx context.Context, states []State) error {
	type job struct {
		state *State
		path  string
		blob  Blob
	}
	var jobs []job
	for i := range states {
		st := &states[i]
		for _, p := range slices.Sorted(maps.Keys(st.Files)) {
			b := st.Files[p]
			id := fileID(p, b)
			if _, ok := c.parsed[id]; ok || c.skip(p) {
				continue
			}
			c.parsed[id] = nil
			jobs = append(jobs, job{st, p, b})
		}
	}
	out := make([]*parsed, len(jobs))
	if err := parallel.For(ctx, len(jobs), func(i int) {
		out[i] = c.parse(ctx, jobs[i].state, jobs[i].path, jobs[i].blob)
	}); err != nil {
		return err
	}
	for i, j := range jobs {
		c.parsed[fileID(j.path, j.blob)] = out[i]
	}
	return nil
}

// parse reads and parses the file p of state st.
func (c *collector) parse(ctx context.Context, st *State, p string, b Blob) *parsed {
	tag, rel, ok := strings.Cut(p, "/")
	if !ok || c.opts.Locales.Get(tag) == nil || !strings.HasSuffix(rel, ".md") && !strings.HasSuffix(rel, ".markdown") ||
		strings.Contains(rel, content.VersionsSuffix+"/") {
		// Not a page: version files in the history are not pages of
		// their state (explicit files give their versions).
		return &parsed{}
	}
	name := b.ID
	if !c.explicit {
		name = fmt.Sprintf("%s/%s (%s)", c.opts.Dir, p, shortID(st.ID))
	}
	data, err := c.src.Read(ctx, b)
	if err != nil {
		return &parsed{err: fmt.Errorf("reading an earlier version of %s: %w", name, err)}
	}
	f, err := content.Parse(name, tag, rel, data, c.opts.Markdown)
	if err != nil {
		return &parsed{err: err}
	}
	if c.explicit {
		if day, ok := nameDate(b.ID); ok && !f.Meta.Effective.IsZero() && !f.Meta.Effective.Equal(day) {
			return &parsed{err: diag.Errorf(b.ID, 1, "effective date %s differs from the date the file is named after; rename the file or correct the date", f.Meta.Effective.Format(dateLayout))}
		}
		for _, w := range f.Warnings {
			c.opts.Warnings.Add(w)
		}
	}
	return &parsed{f: f}
}

// resolveKey returns the versions of key in each published locale, by
// date, over states.
func (c *collector) resolveKey(ctx context.Context, key string, states []State) (map[string]map[time.Time]*Version, error) {
	out := map[string]map[time.Time]*Version{}
	last := map[string]*Version{} // by locale: the version of the previous state
	var sig, prevSig string
	warned := false
	for i := range states {
		st := &states[i]
		tree := &content.Tree{Dir: c.opts.Dir, Files: map[string]map[string]*content.File{}, Broken: map[string]map[string]bool{}}
		var b strings.Builder
		for _, p := range slices.Sorted(maps.Keys(st.Files)) {
			pf := c.parsed[fileID(p, st.Files[p])]
			if pf == nil || pf.f == nil || pf.f.Key != key || pf.f.Placeholder || pf.f.Meta.Draft && !c.opts.Drafts {
				continue
			}
			f := pf.f
			if tree.Files[f.Locale] == nil {
				tree.Files[f.Locale] = map[string]*content.File{}
			}
			if _, dup := tree.Files[f.Locale][key]; dup {
				continue // two files of one key: the build reports that of its own files
			}
			tree.Files[f.Locale][key] = f
			b.WriteString(st.Files[p].ID)
			b.WriteByte(0)
		}
		if sig = b.String(); sig == prevSig && i > 0 {
			continue // the same files as the previous state
		}
		prevSig = sig
		if len(tree.Files) == 0 {
			clear(last)
			continue
		}
		site, err := inherit.Resolve(ctx, c.opts.Locales, tree, c.opts.Markdown)
		if err != nil {
			if c.explicit {
				return nil, inState(err, st, c.opts.Dir)
			}
			if !warned {
				warned = true
				c.opts.Warnings.Add(diag.Warning{Kind: "earlier version of a page could not be resolved", Detail: fmt.Sprintf("%s in %s: %v", key, shortID(st.ID), err), Hint: "that version is left out"})
			}
			continue
		}
		for tag, pages := range site.Pages {
			p := pages[key]
			if p == nil || p.Doc.Meta.Effective.IsZero() {
				delete(last, tag)
				continue
			}
			d := p.Doc.Meta.Effective.Time
			if prev := last[tag]; prev != nil && prev.Date.Equal(d) {
				prev.Page = p // the last state of a version is its text
				continue
			}
			v := &Version{Date: d, Page: p}
			last[tag] = v
			if out[tag] == nil {
				out[tag] = map[time.Time]*Version{}
			}
			out[tag][d] = v
		}
	}
	return out, nil
}

// shortID shortens a commit hash for messages.
func shortID(id string) string {
	if len(id) > 12 && !strings.Contains(id, ":") {
		return id[:12]
	}
	return id
}

// inState says of the errors err of resolving the explicit state st
// that they concern an earlier version, and how to fix them: a file
// that was different then needs a version file of its own.
func inState(err error, st *State, dir string) error {
	var list diag.List
	day := strings.TrimPrefix(st.ID, "files:")
	for _, e := range diag.Errors(err) {
		var se *diag.SourceError
		if !errors.As(e, &se) {
			list.Add(fmt.Errorf("in the version effective %s: %w", day, e))
			continue
		}
		hint := ""
		if !strings.Contains(se.File, content.VersionsSuffix+string(filepath.Separator)) {
			hint = fmt.Sprintf("; if this file was different then, give it a version file for that day, %s", filepath.Join(strings.TrimSuffix(strings.TrimSuffix(se.File, ".md"), ".markdown")+content.VersionsSuffix, day+".md"))
		}
		list.Add(&diag.SourceError{File: se.File, Line: se.Line, Err: fmt.Errorf("in the version effective %s: %v%s", day, se.Err, hint)})
	}
	return list.Err()
}
