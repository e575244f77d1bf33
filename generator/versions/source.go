// Package versions builds the earlier and upcoming versions of a site's
// pages from the states of its content folder, which come from the
// site's git history or from explicit version files.
package versions

import (
	"context"
	"time"
)

// A State is the site's content at one point of its history.
type State struct {
	ID   string    // full commit hash, or "files:2025-01-31" for explicit version files
	Time time.Time // commit time (committer date), or the date
	// Files maps a content file's slash path relative to the content folder
	// ("en-US/privacy.md") to where its bytes are.
	Files map[string]Blob
}

// A Blob says where the bytes of one content file of a State are.
type Blob struct{ ID string } // git object id, or a file path for explicit files

// A Source gives the states of a site's content folder, oldest first,
// and the bytes of their files.
type Source interface {
	States(ctx context.Context) ([]State, error)
	Read(ctx context.Context, b Blob) ([]byte, error) // safe for concurrent use
}
