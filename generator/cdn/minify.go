package cdn

import (
	"fmt"
	"path"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
)

// Minifier minifies HTML, CSS and JavaScript. It is safe for concurrent
// use. Its settings keep everything a reader or a browser can observe:
// document and end tags, and a space wherever whitespace separates
// inline content.
type Minifier struct{ m *minify.M }

// NewMinifier returns a Minifier.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepSpecialComments: true})
	m.AddFunc("text/css", css.Minify)
	m.Add("text/javascript", &js.Minifier{})
	return &Minifier{m: m}
}

// Minify minifies data by the extension of name; files of other types
// are returned unchanged.
func (mf *Minifier) Minify(name string, data []byte) ([]byte, error) {
	var typ string
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		typ = "text/html"
	case ".css":
		typ = "text/css"
	case ".js", ".mjs":
		typ = "text/javascript"
	default:
		return data, nil
	}
	out, err := mf.m.Bytes(typ, data)
	if err != nil {
		return nil, fmt.Errorf("minifying %s: %w", name, err)
	}
	return out, nil
}

// Sink returns a sink that minifies HTML files before writing them to s.
// CSS and JavaScript are minified earlier, by the theme (see
// theme.Options.Transform), because their fingerprints and integrity
// values must match the minified bytes.
func (mf *Minifier) Sink(s Sink) Sink { return minifySink{mf: mf, next: s} }

type minifySink struct {
	mf   *Minifier
	next Sink
}

func (ms minifySink) WriteFile(name string, data []byte) error {
	if ext := strings.ToLower(path.Ext(name)); ext == ".html" || ext == ".htm" {
		var err error
		if data, err = ms.mf.Minify(name, data); err != nil {
			return err
		}
	}
	return ms.next.WriteFile(name, data)
}
