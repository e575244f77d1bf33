// Package versions finds the earlier versions of a site's pages: it
// reads states of the content folder from sources (explicit version
// files, git history), resolves each page in each state as the build
// does, and groups the states by the page's effective date.
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

// A Blob names the bytes of one file of a state.
type Blob struct{ ID string } // git object id, or a file path for explicit files

// A Source gives the states of a site's content, oldest first.
type Source interface {
	States(ctx context.Context) ([]State, error)
	Read(ctx context.Context, b Blob) ([]byte, error) // safe for concurrent use
}
