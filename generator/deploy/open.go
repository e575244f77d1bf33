package deploy

import (
	"context"
	"fmt"
	"net/url"

	"gocloud.dev/blob"
	// The providers a target URL can name, as hugo deploy offers them.
	// Each reads credentials from its provider's usual chain
	// (environment, shared configuration, instance metadata).
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"
)

// Open opens the bucket a target URL names.
func Open(ctx context.Context, rawURL string) (*blob.Bucket, error) {
	if err := CheckURL(rawURL); err != nil {
		return nil, err
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", Redact(rawURL), err)
	}
	return b, nil
}

// CheckURL reports what is wrong with a target URL: an unknown scheme,
// a missing bucket, or credentials written into it (they belong in the
// provider's environment, never in site.toml).
func CheckURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("target URL %q does not parse: %v", Redact(rawURL), err)
	}
	switch u.Scheme {
	case "s3", "gs", "azblob", "file", "mem":
	default:
		return fmt.Errorf("target URL %s: unknown scheme %q; use s3://BUCKET?region=…, gs://BUCKET, azblob://CONTAINER or file:///PATH", Redact(rawURL), u.Scheme)
	}
	if u.Scheme != "file" && u.Scheme != "mem" && u.Host == "" {
		return fmt.Errorf("target URL %s names no bucket", Redact(rawURL))
	}
	if u.Scheme == "file" && u.Path == "" {
		return fmt.Errorf("target URL %s names no folder; write file:///absolute/path", Redact(rawURL))
	}
	if u.User != nil {
		return fmt.Errorf("target URL %s carries credentials; remove them and use the provider's environment or shared configuration", Redact(rawURL))
	}
	for k := range u.Query() {
		if secretParam(k) {
			return fmt.Errorf("target URL %s has a %q parameter; credentials never go in site.toml: use the provider's environment or shared configuration", Redact(rawURL), k)
		}
	}
	return nil
}
