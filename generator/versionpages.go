package generator

import (
	"context"
	"net/url"
	"time"

	"policysite/generator/diag"
	"policysite/generator/feed"
)

// versionFiles returns the jobs that write the files of policy
// versions (docs/versions.md): the pages of earlier and upcoming
// versions, the "what changed" pages and each locale's Atom feed. A
// site without effective dates has none.
func (b *Built) versionFiles(ctx context.Context, sink Sink) []func() error {
	if b.Site.Versions.Len() == 0 {
		return nil
	}
	jobs := writeJobs(ctx, sink, b.r.VersionPages())
	jobs = append(jobs, func() error {
		var list diag.List
		for _, f := range b.feeds() {
			list.Add(sink.WriteFile(f.path, f.data))
		}
		return list.Err()
	})
	return jobs
}

// entryID is the permanent id of a version's feed entry, a tag URI
// (RFC 4151) of the site's host, the effective date, the locale and the
// translation key: the link to what changed moves from …/changes/ to
// …/versions/<date>/changes/ when a newer version takes effect, and an
// entry whose id changed would show up in feed readers a second time.
func entryID(site, tag, key string, date time.Time) string {
	host := site
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + "," + date.Format(time.DateOnly) + ":" + tag + "/" + key
}

type feedFile struct {
	path string
	data []byte
}

// feeds returns the Atom feed of every published locale with versions:
// one entry per version of each of its pages, linking to what changed.
func (b *Built) feeds() []feedFile {
	s := b.Site
	var out []feedFile
	for _, l := range s.Locales.Published() {
		hs := s.Versions.All([]string{l.Tag})
		if len(hs) == 0 {
			continue
		}
		u := b.r.FeedURL(l.Tag)
		f := feed.Feed{
			ID: s.Links.Abs(u), Self: s.Links.Abs(u), Alternate: s.Links.Abs(s.Links.Home(l.Tag)), Lang: l.Tag,
			Author: b.r.SiteName(l.Tag),
		}
		f.Title = b.r.Text(l.Tag, "feed_title", "site", f.Author)
		for _, h := range hs {
			for _, v := range h.Versions {
				link := s.Links.Abs(b.r.ChangesURL(h, v))
				title := v.Page.Doc.Meta.Title
				f.Entries = append(f.Entries, feed.Entry{
					ID: entryID(s.Links.Abs("/"), l.Tag, h.Key, v.Date), Link: link, Updated: v.Date, Summary: v.Changes(),
					Title: b.r.Text(l.Tag, "feed_entry", "title", title, "date", b.r.Date(l.Tag, v.Date)),
				})
			}
		}
		out = append(out, feedFile{path: s.Links.File(u), data: feed.Atom(f)})
	}
	return out
}
