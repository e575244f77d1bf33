package deploy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"policysite/generator/cdn"
	"policysite/generator/deploy"
)

// writeBuild writes files into dir as a build would, with a manifest
// listing them.
func writeBuild(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	m := &cdn.Manifest{Version: cdn.ManifestVersion, BaseURL: "https://example.com/"}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(body))
		e := cdn.Entry{Path: name, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
		e.ContentType, e.ContentEncoding = cdn.ContentType(name)
		e.CacheControl = "public, max-age=0, must-revalidate"
		if strings.HasPrefix(name, "assets/") {
			e.CacheControl = cdn.ImmutableCacheControl
		}
		m.Files = append(m.Files, e)
	}
	slices.SortFunc(m.Files, func(a, b cdn.Entry) int { return strings.Compare(a.Path, b.Path) })
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, cdn.ManifestFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func site(pages int) map[string]string {
	files := map[string]string{
		"assets/css/site.0123abcd.css": "body{color:#222}",
		"index.html":                   "<!doctype html><title>Select a region</title>",
		"sitemap.xml":                  "<urlset></urlset>",
	}
	for i := range pages {
		files["en/p"+string(rune('a'+i))+"/index.html"] = "<!doctype html><p>page " + string(rune('a'+i)) + strings.Repeat(" text", 300)
	}
	return files
}

func mustDeploy(t *testing.T, b *blob.Bucket, opts deploy.Options) *deploy.Result {
	t.Helper()
	plan, err := deploy.Prepare(context.Background(), b, opts)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	res, err := deploy.Apply(context.Background(), b, plan, opts)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

func uploads(p *deploy.Plan) []string {
	var out []string
	for _, u := range p.Upload {
		out = append(out, u.Path)
	}
	return out
}

func keys(t *testing.T, b *blob.Bucket) []string {
	t.Helper()
	var out []string
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(obj.Key, ".attrs") {
			out = append(out, obj.Key)
		}
	}
}

// TestDeploySequence runs the deploys an operator makes, against a real
// folder target (fileblob) and an in-memory one.
func TestDeploySequence(t *testing.T) {
	for _, scheme := range []string{"file", "mem"} {
		t.Run(scheme, func(t *testing.T) {
			ctx := context.Background()
			url := "mem://"
			if scheme == "file" {
				url = "file://" + filepath.ToSlash(t.TempDir())
			}
			b, err := deploy.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			out := filepath.Join(t.TempDir(), "public")
			files := site(5)
			writeBuild(t, out, files)
			opts := deploy.Options{Dir: out, MaxDeletes: deploy.DefaultMaxDeletes}

			// First deploy: everything, assets first, then the state.
			res := mustDeploy(t, b, opts)
			if res.Uploaded != len(files) || res.Plan.Compared != "content" {
				t.Fatalf("first deploy uploaded %d (compared by %s); want %d by content", res.Uploaded, res.Plan.Compared, len(files))
			}
			if got := res.Plan.Upload[0].Path; !strings.HasPrefix(got, "assets/") {
				t.Errorf("first upload is %s; want the fingerprinted asset first", got)
			}
			want := append(slices.Sorted(mapKeys(files)), deploy.StateKey)
			slices.Sort(want)
			if got := keys(t, b); !slices.Equal(got, want) {
				t.Errorf("bucket holds %v; want %v", got, want)
			}
			attrs, err := b.Attributes(ctx, "assets/css/site.0123abcd.css")
			if err != nil {
				t.Fatal(err)
			}
			if attrs.ContentType != "text/css; charset=utf-8" || attrs.CacheControl != cdn.ImmutableCacheControl {
				t.Errorf("asset stored as %q, %q; want text/css and immutable", attrs.ContentType, attrs.CacheControl)
			}

			// No-op deploy: nothing to upload, nothing touched.
			plan, err := deploy.Prepare(ctx, b, opts)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Changes() || plan.Unchanged != len(files) || plan.Compared != "state" {
				t.Fatalf("no-op plan: %d uploads, %d deletes, %d unchanged, by %s; want nothing to do by state", len(plan.Upload), len(plan.Delete), plan.Unchanged, plan.Compared)
			}

			// One page edited: exactly that page, and its URL purged.
			files["en/pb/index.html"] = "<!doctype html><p>changed"
			writeBuild(t, out, files)
			res = mustDeploy(t, b, opts)
			if got := uploads(res.Plan); !slices.Equal(got, []string{"en/pb/index.html"}) {
				t.Errorf("after one edit, uploaded %v; want only en/pb/index.html", got)
			}
			if got, want := res.Plan.PurgePaths, []string{"/en/pb/", "/en/pb/index.html"}; !slices.Equal(got, want) {
				t.Errorf("purge paths %v; want %v", got, want)
			}
			got, err := b.ReadAll(ctx, "en/pb/index.html")
			if err != nil || string(got) != files["en/pb/index.html"] {
				t.Errorf("stored page = %q, %v", got, err)
			}

			// Deletions are bounded: over the limit nothing changes.
			delete(files, "en/pc/index.html")
			delete(files, "en/pd/index.html")
			writeBuild(t, out, files)
			plan, err = deploy.Prepare(ctx, b, opts)
			if err != nil {
				t.Fatal(err)
			}
			limited := opts
			limited.MaxDeletes = 1
			if _, err := deploy.Apply(ctx, b, plan, limited); err == nil || !strings.Contains(err.Error(), "more than the limit of 1") {
				t.Fatalf("Apply with 2 deletions and --max-deletes 1 = %v; want the limit error", err)
			}
			if ok, _ := b.Exists(ctx, "en/pc/index.html"); !ok {
				t.Fatal("a refused deploy deleted a file")
			}
			res = mustDeploy(t, b, opts)
			if res.Deleted != 2 || res.Uploaded != 0 {
				t.Errorf("deploy after removing 2 pages: %d deleted, %d uploaded; want 2, 0", res.Deleted, res.Uploaded)
			}
		})
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestDeployInterrupted cancels a deploy halfway: the next one sees the
// marker, compares by content, uploads only what is missing and ends
// with the same bucket as an uninterrupted deploy.
func TestDeployInterrupted(t *testing.T) {
	ctx := context.Background()
	b, err := deploy.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	files := site(12)
	writeBuild(t, out, files)
	cctx, cancel := context.WithCancel(ctx)
	opts := deploy.Options{Dir: out, Workers: 1}
	opts.Progress = func(done, total int, _ int64) {
		if done == 4 {
			cancel()
		}
	}
	plan, err := deploy.Prepare(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deploy.Apply(cctx, b, plan, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Apply = %v; want context.Canceled", err)
	}
	if ok, _ := b.Exists(ctx, deploy.MarkerKey); !ok {
		t.Fatal("an interrupted deploy left no marker")
	}
	opts.Progress = nil
	plan, err = deploy.Prepare(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Interrupted || plan.Compared != "content" {
		t.Fatalf("plan after interruption: interrupted=%v compared=%s; want true, content", plan.Interrupted, plan.Compared)
	}
	if n := len(plan.Upload); n == 0 || n >= len(files) {
		t.Errorf("resume uploads %d of %d files; want only the ones the interrupted deploy did not write", n, len(files))
	}
	if _, err := deploy.Apply(ctx, b, plan, opts); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Exists(ctx, deploy.MarkerKey); ok {
		t.Error("the marker survived a finished deploy")
	}
	plan, err = deploy.Prepare(ctx, b, opts)
	if err != nil || plan.Changes() {
		t.Errorf("after resuming, plan changes=%v, %v; want nothing left to do", plan.Changes(), err)
	}
}

// TestDeployWithoutState compares by content when the bucket was filled
// by other means: identical files are not uploaded again, strays are
// deleted.
func TestDeployWithoutState(t *testing.T) {
	ctx := context.Background()
	b, err := deploy.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	files := site(3)
	writeBuild(t, out, files)
	for name, body := range files {
		if err := b.WriteAll(ctx, name, []byte(body), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.WriteAll(ctx, "old.html", []byte("stray"), nil); err != nil {
		t.Fatal(err)
	}
	plan, err := deploy.Prepare(ctx, b, deploy.Options{Dir: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Upload) != 0 || plan.Unchanged != len(files) || !slices.Equal(plan.Delete, []string{"old.html"}) {
		t.Errorf("plan without state: upload %v, %d unchanged, delete %v; want none, %d, [old.html]", uploads(plan), plan.Unchanged, plan.Delete, len(files))
	}
}

func TestDeployGzip(t *testing.T) {
	ctx := context.Background()
	b, err := deploy.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	files := site(1)
	files["en/pa/index.html.gz"] = "variant"
	writeBuild(t, out, files)
	res := mustDeploy(t, b, deploy.Options{Dir: out, Encoding: deploy.EncodingGzip})
	if ok, _ := b.Exists(ctx, "en/pa/index.html.gz"); ok {
		t.Error("the .gz variant was uploaded although pages are stored gzip-encoded")
	}
	attrs, err := b.Attributes(ctx, "en/pa/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if attrs.ContentEncoding != "gzip" || attrs.ContentType != "text/html; charset=utf-8" {
		t.Errorf("page stored with encoding %q, type %q; want gzip, text/html", attrs.ContentEncoding, attrs.ContentType)
	}
	// Small files gain nothing from gzip and are stored as they are.
	if a, _ := b.Attributes(ctx, "sitemap.xml"); a.ContentEncoding != "" {
		t.Errorf("a 17-byte file was stored with encoding %q", a.ContentEncoding)
	}
	r, err := b.NewReader(ctx, "en/pa/index.html", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	raw, _ := io.ReadAll(r)
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("stored page is not gzip: %v", err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != files["en/pa/index.html"] {
		t.Error("stored page does not decompress to the built page")
	}
	if res.Plan.Compared != "content" {
		t.Errorf("first deploy compared by %s", res.Plan.Compared)
	}
	// Switching encodings re-uploads what is stored differently.
	plan, err := deploy.Prepare(ctx, b, deploy.Options{Dir: out})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(uploads(plan), "en/pa/index.html") {
		t.Errorf("after switching to identity, plan uploads %v; want the page again", uploads(plan))
	}
}

func TestDeployRefusesChangedBuild(t *testing.T) {
	ctx := context.Background()
	b, err := deploy.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	writeBuild(t, out, site(1))
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := deploy.Prepare(ctx, b, deploy.Options{Dir: out})
	if err == nil {
		_, err = deploy.Apply(ctx, b, plan, deploy.Options{Dir: out})
	}
	if err == nil || !strings.Contains(err.Error(), "changed since it was built") {
		t.Errorf("deploying a hand-edited build = %v; want a 'changed since it was built' error", err)
	}
	if _, err := deploy.Prepare(ctx, b, deploy.Options{Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "run policysite build first") {
		t.Errorf("deploying an empty folder = %v; want 'run policysite build first'", err)
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url, want string
	}{
		{"s3://bucket?region=eu-west-1", ""},
		{"gs://bucket", ""},
		{"azblob://container", ""},
		{"file:///srv/www", ""},
		{"ftp://host/x", "unknown scheme"},
		{"s3://?region=x", "names no bucket"},
		{"s3://AKIA:Zq9value@bucket", "carries credentials"},
		{"s3://bucket?aws_secret_access_key=Zq9value", "credentials never go in site.toml"},
		{"file://", "names no folder"},
	} {
		err := deploy.CheckURL(tc.url)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckURL(%q) = %v; want nil", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckURL(%q) = %v; want %q", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "Zq9value") {
			t.Errorf("CheckURL(%q) printed a secret: %v", tc.url, err)
		}
	}
}

func TestRedact(t *testing.T) {
	got := deploy.Redact("s3://user:pw@bucket?region=x&sig=abc")
	if strings.Contains(got, "pw") || strings.Contains(got, "abc") || !strings.Contains(got, "region=x") {
		t.Errorf("Redact = %q", got)
	}
}

func TestInvalidationBatches(t *testing.T) {
	paths := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "/p" + string(rune('0'+i%10)) + "/"
		}
		return out
	}
	for _, tc := range []struct {
		n     int
		sizes []int
	}{{0, nil}, {1, []int{1}}, {1000, []int{1000}}, {2500, []int{1000, 1000, 500}}, {3000, []int{1000, 1000, 1000}}} {
		var sizes []int
		for _, b := range deploy.InvalidationBatches(paths(tc.n), "/") {
			sizes = append(sizes, len(b))
		}
		if !slices.Equal(sizes, tc.sizes) {
			t.Errorf("InvalidationBatches(%d paths) sizes = %v; want %v", tc.n, sizes, tc.sizes)
		}
	}
	if got := deploy.InvalidationBatches(paths(3001), "/legal/"); len(got) != 1 || got[0][0] != "/legal/*" {
		t.Errorf("InvalidationBatches(3001) = %v; want one wildcard of the base path", got)
	}
}
