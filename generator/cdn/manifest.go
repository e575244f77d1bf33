package cdn

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestVersion is the format version written in manifests.
const ManifestVersion = 1

// A Manifest lists every file of a build. It holds no times, so equal
// builds have equal manifests.
type Manifest struct {
	Version int `json:"version"`
	// BaseURL is the site's base URL, for the URLs a deploy plan purges.
	BaseURL string  `json:"baseURL"`
	Files   []Entry `json:"files"`
}

// An Entry is one file of a build.
type Entry struct {
	// Path is slash-separated and relative to the output root.
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// ContentType, ContentEncoding and CacheControl are the metadata to
	// store with the file on hosts that do not read _headers (S3). A .gz
	// or .br file has its original's type and its own encoding.
	ContentType     string `json:"contentType"`
	ContentEncoding string `json:"contentEncoding,omitempty"`
	CacheControl    string `json:"cacheControl,omitempty"`
}

// manifest lists every file of the build except the manifest itself.
func (s *Step) manifest(opts Options) *Manifest {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Manifest{Version: ManifestVersion, BaseURL: opts.BaseURL, Files: make([]Entry, 0, len(s.files))}
	for _, name := range slices.Sorted(maps.Keys(s.files)) {
		if name == ManifestFile {
			continue
		}
		f := s.files[name]
		e := Entry{Path: name, Size: f.size, SHA256: hex.EncodeToString(f.sum[:])}
		e.ContentType, e.ContentEncoding = ContentType(name)
		e.CacheControl = cacheControl(opts, name)
		m.Files = append(m.Files, e)
	}
	return m
}

// cacheControl returns the Cache-Control of an output file.
func cacheControl(opts Options, f string) string {
	if f == HeadersFile || f == RedirectsFile {
		return ""
	}
	if strings.HasPrefix(f, "assets/") {
		return ImmutableCacheControl
	}
	return opts.Headers.CacheControl
}

// Marshal returns the manifest as indented JSON ending in a newline.
func (m *Manifest) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// ReadManifest reads a manifest file, or the manifest inside a build
// folder.
func ReadManifest(name string) (*Manifest, error) {
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		name = filepath.Join(name, ManifestFile)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: not a policysite manifest: %w", name, err)
	}
	if m.Version != ManifestVersion {
		return nil, fmt.Errorf("%s: manifest version %d; this policysite reads version %d", name, m.Version, ManifestVersion)
	}
	return &m, nil
}

// A Plan says what a deploy of a new build over an old one must do.
type Plan struct {
	// Upload lists new and changed files, fingerprinted assets first so
	// no page is live before the files it references; Delete lists files
	// the new build no longer has, to remove after the upload.
	Upload []Entry  `json:"upload"`
	Delete []string `json:"delete"`
	// Purge lists the absolute URLs CDN caches must drop: every changed
	// or deleted URL, and new URLs outside assets/ (a CDN may have cached
	// a 404 for them). Precompressed variants are not URLs of their own.
	Purge []string `json:"purge"`
	// PurgePaths are the same URLs as root-relative paths, the form
	// CloudFront invalidations take.
	PurgePaths []string `json:"purgePaths"`
	// Unchanged counts files that are the same in both builds.
	Unchanged int `json:"unchanged"`
}

// NewPlan compares two manifests.
func NewPlan(old, cur *Manifest) *Plan {
	p := &Plan{Upload: []Entry{}, Delete: []string{}, Purge: []string{}, PurgePaths: []string{}}
	before := map[string]Entry{}
	for _, e := range old.Files {
		before[e.Path] = e
	}
	now := map[string]bool{}
	purge := map[string]bool{}
	for _, e := range cur.Files {
		now[e.Path] = true
		prev, existed := before[e.Path]
		switch {
		case existed && prev.SHA256 == e.SHA256 && prev.Size == e.Size:
			p.Unchanged++
			continue
		case existed || !strings.HasPrefix(e.Path, "assets/"):
			purge[e.Path] = true
		}
		p.Upload = append(p.Upload, e)
	}
	for _, e := range old.Files {
		if !now[e.Path] {
			p.Delete = append(p.Delete, e.Path)
			purge[e.Path] = true
		}
	}
	slices.SortStableFunc(p.Upload, func(a, b Entry) int {
		return cmpBool(!strings.HasPrefix(a.Path, "assets/"), !strings.HasPrefix(b.Path, "assets/"))
	})
	base := cur.BaseURL
	if base == "" {
		base = old.BaseURL
	}
	bp := BasePath(base)
	origin := strings.TrimSuffix(base, strings.TrimPrefix(bp, "/"))
	origin = strings.TrimSuffix(origin, "/")
	var paths []string
	for f := range purge {
		if _, ok := precompressedOf(f); ok || f == HeadersFile || f == RedirectsFile || f == ManifestFile {
			continue
		}
		u := urlPath(bp, f)
		paths = append(paths, u)
		// A folder's index is also reachable under its own name.
		if strings.HasSuffix(u, "/") {
			paths = append(paths, bp+f)
		}
	}
	slices.Sort(paths)
	p.PurgePaths = slices.Compact(append(p.PurgePaths, paths...))
	for _, u := range p.PurgePaths {
		p.Purge = append(p.Purge, origin+u)
	}
	return p
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// WriteText prints the plan for people.
func (p *Plan) WriteText(w io.Writer) {
	section := func(title string, items []string) {
		fmt.Fprintf(w, "%s (%d):\n", title, len(items))
		for _, it := range items {
			fmt.Fprintf(w, "  %s\n", it)
		}
	}
	up := make([]string, len(p.Upload))
	for i, e := range p.Upload {
		up[i] = e.Path
	}
	section("upload", up)
	section("delete", p.Delete)
	section("purge", p.Purge)
	fmt.Fprintf(w, "unchanged: %d files\n", p.Unchanged)
}

// ContentType returns the media type of an output file and, for a .gz or
// .br variant, its Content-Encoding. The table is fixed rather than read
// from the system so that manifests are the same on every machine.
func ContentType(name string) (typ, encoding string) {
	for _, e := range encodings {
		if orig, ok := precompressedOf(name); ok && strings.HasSuffix(name, e.ext) {
			t, _ := ContentType(orig)
			return t, e.name
		}
	}
	switch path.Base(name) {
	case HeadersFile, RedirectsFile:
		return "text/plain; charset=utf-8", ""
	}
	if t, ok := MediaType(name); ok {
		return t, ""
	}
	return "application/octet-stream", ""
}

// MediaType looks up the media type of a file by its extension in the
// fixed table that manifests, headers and the dev server share.
func MediaType(name string) (string, bool) {
	t, ok := types[strings.ToLower(path.Ext(name))]
	return t, ok
}

var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".eot":         "application/vnd.ms-fontobject",
	".pdf":         "application/pdf",
}
