package cdn

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

// MinCompressSize is the smallest file that gets precompressed variants.
// Below about a kilobyte the saving is smaller than a network packet and
// CDNs skip compression anyway (CloudFront's lower limit is 1,000 bytes).
const MinCompressSize = 1024

// Precompressed variants and the Content-Encoding each stands for.
var encodings = []struct{ ext, name string }{
	{".gz", "gzip"},
	{".br", "br"},
}

// compressible reports whether a file of this name benefits from
// compression: text formats and uncompressed fonts, not images or WOFF.
func compressible(name string) bool {
	if name == HeadersFile || name == RedirectsFile || name == ManifestFile {
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".css", ".js", ".mjs", ".json", ".xml", ".txt",
		".svg", ".map", ".webmanifest", ".ico", ".ttf", ".otf", ".eot", ".csv", ".md":
		return true
	}
	return false
}

// precompressedOf returns the original of a .gz or .br variant.
func precompressedOf(name string) (string, bool) {
	for _, e := range encodings {
		if orig, ok := strings.CutSuffix(name, e.ext); ok && compressible(orig) {
			return orig, true
		}
	}
	return "", false
}

// A file is a precompressed variant to write.
type file struct {
	name string
	data []byte
}

// compress returns name.gz and name.br for a compressible file of at
// least MinCompressSize bytes whose compressed forms are both smaller,
// and nothing for any other file.
//
// When prev, the previous build, has the same original, its variants are
// reused after checking that they decompress to it: compression at the
// best level is slow, and most files do not change between builds.
func compress(prev fs.FS, name string, data []byte) ([]file, error) {
	if !compressible(name) || len(data) < MinCompressSize {
		return nil, nil
	}
	gz, br, ok := previous(prev, name, data)
	if !ok {
		var err error
		if gz, err = Gzip(data); err != nil {
			return nil, err
		}
		if br, err = BrotliLevel(data, brotliQuality(name)); err != nil {
			return nil, err
		}
	}
	if len(gz) >= len(data) || len(br) >= len(data) {
		return nil, nil
	}
	return []file{{name + ".gz", gz}, {name + ".br", br}}, nil
}

// Gzip compresses data at the best level with a fixed header: no file
// name, no modification time, so equal input gives equal bytes.
func Gzip(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// The zero Header is what makes the output reproducible: Name ""
	// and ModTime zero are written as absent and 0.
	w.Header = gzip.Header{OS: 255}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Brotli qualities. Quality 11 takes about 130 ms for a 60 KB page and
// quality 6 about 4 ms, for a file 12 % larger: fingerprinted assets are
// few and cached for a year, so they get the best; pages, which are many
// and change, get a level that keeps a 9,600-page build in seconds.
const (
	BrotliAssets = brotli.BestCompression
	BrotliPages  = 6
)

func brotliQuality(name string) int {
	if strings.HasPrefix(name, "assets/") {
		return BrotliAssets
	}
	return BrotliPages
}

// Brotli compresses data at the best quality. The encoder is
// deterministic: equal input gives equal bytes.
func Brotli(data []byte) ([]byte, error) { return BrotliLevel(data, BrotliAssets) }

// BrotliLevel compresses data at the given quality (0-11).
func BrotliLevel(data []byte, quality int) ([]byte, error) {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: 22})
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// previous returns the variants of name in the previous build if its
// original there equals data and both variants decompress to it.
func previous(prev fs.FS, name string, data []byte) (gz, br []byte, ok bool) {
	if prev == nil {
		return nil, nil, false
	}
	if old, err := fs.ReadFile(prev, name); err != nil || !bytes.Equal(old, data) {
		return nil, nil, false
	}
	gz, err1 := fs.ReadFile(prev, name+".gz")
	br, err2 := fs.ReadFile(prev, name+".br")
	if err1 != nil || err2 != nil {
		return nil, nil, false
	}
	if d, err := Gunzip(gz); err != nil || !bytes.Equal(d, data) {
		return nil, nil, false
	}
	if d, err := Unbrotli(br); err != nil || !bytes.Equal(d, data) {
		return nil, nil, false
	}
	return gz, br, true
}

// Gunzip returns the decompressed bytes of a gzip file.
func Gunzip(data []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// Unbrotli returns the decompressed bytes of a brotli file.
func Unbrotli(data []byte) ([]byte, error) {
	return io.ReadAll(brotli.NewReader(bytes.NewReader(data)))
}
