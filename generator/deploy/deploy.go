// Package deploy publishes a built output folder to object storage (S3,
// Google Cloud Storage, Azure Blob Storage or a local folder, through
// gocloud.dev/blob), uploading only the files that changed.
//
// A deploy compares the build's manifest with the state the previous
// deploy left in the bucket, uploads new and changed files (fingerprinted
// assets first, so no page is live before what it references), deletes
// files the build no longer has, and writes its state last. A marker
// written first and removed last tells the next deploy that one was
// interrupted; that deploy then compares files by content instead of
// trusting the stored state.
package deploy

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"policysite/generator/cdn"
)

// Keys of the objects a deploy keeps beside the site's files.
const (
	// StateKey holds the manifest of the last completed deploy and the
	// encoding it used. It is written after every other object.
	StateKey = ".policysite-deploy.json"
	// MarkerKey exists while a deploy runs: written before the first
	// change, removed after the state.
	MarkerKey = ".policysite-deploy-running"
)

// stateVersion is the format version of StateKey.
const stateVersion = 1

// Encodings a target can store files with.
const (
	// EncodingIdentity stores every file as the build wrote it.
	EncodingIdentity = "identity"
	// EncodingGzip stores compressible files gzip-compressed with
	// Content-Encoding: gzip, for hosts that serve one representation
	// per object and cannot negotiate (S3, GCS and Azure static
	// websites). The build's own .gz and .br variants are then not
	// uploaded.
	EncodingGzip = "gzip"
)

// DefaultMaxDeletes is how many deletions a deploy makes unless told
// otherwise, as hugo deploy's default: more is likely a wrong target.
const DefaultMaxDeletes = 256

// Options control a deploy.
type Options struct {
	// Dir is the built output folder; it must hold the build's manifest.
	Dir string
	// Encoding is EncodingIdentity (the default when "") or EncodingGzip.
	Encoding string
	// MaxDeletes bounds the deletions; a plan with more is refused
	// before anything changes. The zero value allows none (the command
	// line's default is DefaultMaxDeletes); a negative value, any number.
	MaxDeletes int
	// Workers is the number of parallel transfers. Default 8.
	Workers int
	// Retries is how often a failed transfer is tried again. Default 3.
	Retries int
	// Progress, when set, is called after each transfer with the counts
	// so far. It is called from several goroutines, one at a time.
	Progress func(done, total int, bytes int64)
}

// An Upload is one object to write.
type Upload struct {
	cdn.Entry
	// Encoding is the Content-Encoding the object is stored with, which
	// for EncodingGzip may differ from the entry's own.
	Encoding string
	// Replaces reports that the target holds an older object at Path.
	Replaces bool
}

// A Plan says what a deploy changes.
type Plan struct {
	Upload []Upload
	Delete []string
	// Unchanged counts files the target already holds.
	Unchanged int
	// Compared says how the target's files were compared: "state" (the
	// stored state of the last deploy) or "content" (hashes of what the
	// target holds: there was no state, or a deploy was interrupted).
	Compared string
	// Interrupted reports that a previous deploy did not finish.
	Interrupted bool
	// PurgePaths are the root-relative URLs CDN caches must drop (see
	// cdn.Plan.PurgePaths).
	PurgePaths []string

	local *cdn.Manifest // the build, written as the state last
}

// A Result summarises a finished deploy.
type Result struct {
	Plan     *Plan
	Uploaded int
	Deleted  int
	Bytes    int64
	Duration time.Duration
}

// state is what StateKey holds.
type state struct {
	Version  int           `json:"version"`
	Encoding string        `json:"encoding"`
	Manifest *cdn.Manifest `json:"manifest"`
}

// Prepare reads the build in opts.Dir and compares it with what bucket
// holds. It changes nothing.
func Prepare(ctx context.Context, bucket *blob.Bucket, opts Options) (*Plan, error) {
	local, err := cdn.ReadManifest(opts.Dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s holds no build (no %s): run policysite build first", opts.Dir, cdn.ManifestFile)
		}
		return nil, err
	}
	return NewPlan(ctx, bucket, local, opts)
}

// Changes reports whether applying the plan would change the target.
func (p *Plan) Changes() bool {
	return len(p.Upload) > 0 || len(p.Delete) > 0 || p.Interrupted || p.Compared != "state"
}

// Bytes returns the size of the files to upload, as built.
func (p *Plan) Bytes() int64 {
	var n int64
	for _, u := range p.Upload {
		n += u.Size
	}
	return n
}

// Apply carries out plan on bucket: uploads, then deletions, then the
// state. It refuses a plan with more deletions than opts.MaxDeletes
// before changing anything. An error names the object that failed;
// running the deploy again finishes the work.
func Apply(ctx context.Context, bucket *blob.Bucket, plan *Plan, opts Options) (*Result, error) {
	start := time.Now()
	opts = withDefaults(opts)
	res := &Result{Plan: plan}
	if max := opts.MaxDeletes; max >= 0 && len(plan.Delete) > max {
		return res, fmt.Errorf("the deploy would delete %d files, more than the limit of %d: check the target, or raise --max-deletes", len(plan.Delete), max)
	}
	if !plan.Changes() {
		res.Duration = time.Since(start)
		return res, nil
	}
	if err := bucket.WriteAll(ctx, MarkerKey, []byte("a policysite deploy is running or was interrupted\n"), &blob.WriterOptions{ContentType: "text/plain; charset=utf-8", CacheControl: "no-store"}); err != nil {
		return res, objectError("writing", MarkerKey, err)
	}
	// Fingerprinted assets first: a page must not be live before the
	// files it references. NewPlan sorted them to the front.
	split := 0
	for split < len(plan.Upload) && strings.HasPrefix(plan.Upload[split].Path, "assets/") {
		split++
	}
	total := len(plan.Upload) + len(plan.Delete)
	var done progress
	done.total, done.report = total, opts.Progress
	for _, batch := range [][]Upload{plan.Upload[:split], plan.Upload[split:]} {
		err := parallel(ctx, opts.Workers, len(batch), func(i int) error {
			u := batch[i]
			n, err := upload(ctx, bucket, opts, u)
			if err != nil {
				return err
			}
			done.add(1, n)
			return nil
		})
		if err != nil {
			res.Uploaded, res.Bytes = done.counts()
			return res, err
		}
	}
	res.Uploaded, res.Bytes = done.counts()
	err := parallel(ctx, opts.Workers, len(plan.Delete), func(i int) error {
		key := plan.Delete[i]
		err := retry(ctx, opts.Retries, func() error { return bucket.Delete(ctx, key) })
		if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return objectError("deleting", key, err)
		}
		done.add(1, 0)
		return nil
	})
	n, _ := done.counts()
	res.Deleted = n - res.Uploaded
	if err != nil {
		return res, err
	}
	data, err := json.MarshalIndent(state{Version: stateVersion, Encoding: opts.Encoding, Manifest: plan.local}, "", "  ")
	if err != nil {
		return res, err
	}
	if err := bucket.WriteAll(ctx, StateKey, append(data, '\n'), &blob.WriterOptions{ContentType: "application/json", CacheControl: "no-store"}); err != nil {
		return res, objectError("writing", StateKey, err)
	}
	if err := bucket.Delete(ctx, MarkerKey); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return res, objectError("deleting", MarkerKey, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

func withDefaults(o Options) Options {
	o.Encoding = cmp.Or(o.Encoding, EncodingIdentity)
	o.Workers = cmp.Or(o.Workers, 8)
	if o.Retries == 0 {
		o.Retries = 3
	}
	return o
}

// NewPlan compares the local build with what bucket holds.
func NewPlan(ctx context.Context, bucket *blob.Bucket, local *cdn.Manifest, opts Options) (*Plan, error) {
	opts = withDefaults(opts)
	if opts.Encoding != EncodingIdentity && opts.Encoding != EncodingGzip {
		return nil, fmt.Errorf("unknown encoding %q: want %q or %q", opts.Encoding, EncodingIdentity, EncodingGzip)
	}
	remote, err := listRemote(ctx, bucket)
	if err != nil {
		return nil, err
	}
	plan := &Plan{Compared: "content", local: local}
	_, plan.Interrupted = remote[MarkerKey]
	var prev *state
	if _, ok := remote[StateKey]; ok && !plan.Interrupted {
		prev, err = readState(ctx, bucket)
		if err != nil {
			return nil, err
		}
		if prev != nil && prev.Encoding == opts.Encoding {
			plan.Compared = "state"
		}
	}
	before := map[string]cdn.Entry{}
	if plan.Compared == "state" {
		for _, e := range prev.Manifest.Files {
			before[e.Path] = e
		}
	}
	want := map[string]bool{StateKey: true, MarkerKey: true}
	var uploads []Upload
	for _, e := range local.Files {
		// A precompressed variant (its entry has an encoding) is
		// redundant when the original itself is stored compressed.
		if opts.Encoding == EncodingGzip && e.ContentEncoding != "" {
			continue
		}
		want[e.Path] = true
		u := Upload{Entry: e, Encoding: e.ContentEncoding}
		if opts.Encoding == EncodingGzip && e.ContentEncoding == "" && compressible(e) {
			u.Encoding = "gzip"
		}
		uploads = append(uploads, u)
	}
	// Compare by content where the state cannot be trusted, on all
	// workers: listing gives sizes and usually MD5s; objects without an
	// MD5 are read and hashed.
	same := make([]bool, len(uploads))
	err = parallel(ctx, opts.Workers, len(uploads), func(i int) error {
		u := uploads[i]
		obj, onRemote := remote[u.Path]
		if !onRemote {
			return nil
		}
		if plan.Compared == "state" {
			prev, ok := before[u.Path]
			same[i] = ok && prev.SHA256 == u.SHA256 && prev.Size == u.Size &&
				prev.ContentType == u.ContentType && prev.CacheControl == u.CacheControl
			return nil
		}
		body, err := stored(opts, u)
		if err != nil {
			return err
		}
		if obj.Size != int64(len(body)) {
			return nil
		}
		if obj.MD5 != nil {
			sum := md5.Sum(body)
			same[i] = bytes.Equal(obj.MD5, sum[:])
			return nil
		}
		var got []byte
		err = retry(ctx, opts.Retries, func() error {
			var err error
			got, err = bucket.ReadAll(ctx, u.Path)
			return err
		})
		if err != nil {
			return objectError("reading", u.Path, err)
		}
		same[i] = bytes.Equal(got, body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, u := range uploads {
		if same[i] {
			plan.Unchanged++
			continue
		}
		_, u.Replaces = remote[u.Path]
		plan.Upload = append(plan.Upload, u)
	}
	slices.SortStableFunc(plan.Upload, func(a, b Upload) int {
		return cmp.Compare(assetRank(a.Path), assetRank(b.Path))
	})
	for key := range remote {
		if !want[key] {
			plan.Delete = append(plan.Delete, key)
		}
	}
	slices.Sort(plan.Delete)
	plan.PurgePaths = purgePaths(local, plan)
	return plan, nil
}

// purgePaths applies cdn.NewPlan's URL rules to what the target held:
// the build's files, minus the new ones, with the replaced ones marked
// as other bytes and the deleted ones added.
func purgePaths(local *cdn.Manifest, plan *Plan) []string {
	upload := map[string]Upload{}
	for _, u := range plan.Upload {
		upload[u.Path] = u
	}
	held := &cdn.Manifest{Version: local.Version, BaseURL: local.BaseURL}
	for _, e := range local.Files {
		u, changed := upload[e.Path]
		switch {
		case !changed:
			held.Files = append(held.Files, e)
		case u.Replaces:
			e.SHA256 = "replaced"
			held.Files = append(held.Files, e)
		}
	}
	for _, d := range plan.Delete {
		if d != StateKey && d != MarkerKey {
			held.Files = append(held.Files, cdn.Entry{Path: d, SHA256: "deleted"})
		}
	}
	return cdn.NewPlan(held, local).PurgePaths
}

func assetRank(p string) int {
	if strings.HasPrefix(p, "assets/") {
		return 0
	}
	return 1
}

type remoteObject struct {
	Size int64
	MD5  []byte
}

func listRemote(ctx context.Context, bucket *blob.Bucket) (map[string]remoteObject, error) {
	out := map[string]remoteObject{}
	it := bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, objectError("listing", "", err)
		}
		if obj.IsDir {
			continue
		}
		// fileblob keeps metadata in sidecar files it also lists.
		if strings.HasSuffix(obj.Key, ".attrs") {
			continue
		}
		out[obj.Key] = remoteObject{Size: obj.Size, MD5: obj.MD5}
	}
}

func readState(ctx context.Context, bucket *blob.Bucket) (*state, error) {
	data, err := bucket.ReadAll(ctx, StateKey)
	if err != nil {
		return nil, objectError("reading", StateKey, err)
	}
	var s state
	if err := json.Unmarshal(data, &s); err != nil || s.Version != stateVersion || s.Manifest == nil {
		// An unreadable state is not trusted; files are compared by
		// content instead.
		return nil, nil
	}
	return &s, nil
}

// upload writes one object and returns the bytes sent.
func upload(ctx context.Context, bucket *blob.Bucket, opts Options, u Upload) (int64, error) {
	body, err := stored(opts, u)
	if err != nil {
		return 0, err
	}
	sum := md5.Sum(body)
	wo := &blob.WriterOptions{
		ContentType:     u.ContentType,
		CacheControl:    u.CacheControl,
		ContentEncoding: u.Encoding,
		ContentMD5:      sum[:],
		// The type comes from the build; never let the driver sniff it.
		DisableContentTypeDetection: true,
	}
	err = retry(ctx, opts.Retries, func() error { return bucket.WriteAll(ctx, u.Path, body, wo) })
	if err != nil {
		return 0, objectError("uploading", u.Path, err)
	}
	return int64(len(body)), nil
}

// stored returns the bytes an upload stores: the file as built, or
// gzip-compressed for EncodingGzip. It checks the file against the
// manifest, so a folder changed after its build is not deployed.
func stored(opts Options, u Upload) ([]byte, error) {
	name := filepath.Join(opts.Dir, filepath.FromSlash(u.Path))
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != u.SHA256 {
		return nil, fmt.Errorf("%s changed since it was built (its SHA-256 is not the manifest's): run policysite build again", name)
	}
	if u.Encoding == "gzip" && u.ContentEncoding == "" {
		return cdn.Gzip(data)
	}
	return data, nil
}

// compressible reports whether gzip pays for a file: text of 1 KB or more.
func compressible(e cdn.Entry) bool {
	t := e.ContentType
	text := strings.HasPrefix(t, "text/") || strings.Contains(t, "json") || strings.Contains(t, "xml") ||
		strings.Contains(t, "javascript") || t == "image/svg+xml"
	return text && e.Size >= 1024
}

// objectError names the object and says in the user's terms what kind
// of failure it was.
func objectError(verb, key string, err error) error {
	what := verb
	if key != "" {
		what += " " + key
	}
	switch code(err) {
	case gcerrors.PermissionDenied:
		return fmt.Errorf("%s: access denied: check the credentials in the environment or the provider's shared configuration (they are never read from site.toml): %w", what, err)
	case gcerrors.NotFound:
		return fmt.Errorf("%s: not found (does the bucket exist?): %w", what, err)
	case gcerrors.Canceled:
		return fmt.Errorf("%s: interrupted; run the deploy again to finish it: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// retry calls f until it succeeds, fails for a reason that a retry
// cannot change, or has been tried 1+retries times, backing off between
// tries.
func retry(ctx context.Context, retries int, f func() error) error {
	wait := 200 * time.Millisecond
	for try := 0; ; try++ {
		err := f()
		if err == nil || try >= retries || !transient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// code classifies err. Providers whose refusals gocloud.dev does not
// map (S3-compatible servers answering SignatureDoesNotMatch or
// InvalidAccessKeyId) still say 401 or 403 in the HTTP status.
func code(err error) gcerrors.ErrorCode {
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && (status.HTTPStatusCode() == 401 || status.HTTPStatusCode() == 403) {
		return gcerrors.PermissionDenied
	}
	return gcerrors.Code(err)
}

func transient(err error) bool {
	switch code(err) {
	case gcerrors.PermissionDenied, gcerrors.NotFound, gcerrors.InvalidArgument,
		gcerrors.FailedPrecondition, gcerrors.Canceled, gcerrors.Unimplemented:
		return false
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, os.ErrNotExist)
}

// parallel runs f(0..n-1) on up to workers goroutines and returns the
// first error; after one, the remaining items are not started.
func parallel(ctx context.Context, workers, n int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range min(workers, n) {
		// Each worker stops when next is closed.
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = context.Cause(ctx)
	}
	return first
}

type progress struct {
	mu     sync.Mutex
	n      int
	bytes  int64
	total  int
	report func(done, total int, bytes int64)
}

func (p *progress) add(n int, b int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	p.bytes += b
	if p.report != nil {
		p.report(p.n, p.total, p.bytes)
	}
}

func (p *progress) counts() (int, int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n, p.bytes
}

// Redact returns a bucket URL fit to print: no user information and no
// query parameter that could carry a secret.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	q := u.Query()
	for k := range q {
		if secretParam(k) {
			q.Set(k, "REDACTED")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func secretParam(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"secret", "key", "token", "password", "sig", "credential"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}
