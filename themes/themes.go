// Package themes embeds the default theme: its templates, CSS and
// JavaScript are files under default/, never Go strings.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var files embed.FS

// Default returns the default theme's files.
func Default() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	return sub
}
