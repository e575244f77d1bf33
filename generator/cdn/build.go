package cdn

import (
	"context"

	"policysite/generator"
	"policysite/generator/output"
)

// BuildOptions are the build settings that concern CDNs.
type BuildOptions struct {
	// Compress writes .gz and .br variants (policysite build --no-compress
	// turns it off).
	Compress bool
	// Minify minifies HTML, CSS and JavaScript (--minify).
	Minify bool
	// Previous is the output folder the build replaces, whose
	// precompressed files are reused for unchanged originals.
	Previous string
}

// Build renders a site into staged, minifying on the way when asked, and
// then adds the CDN files with Finish.
func Build(ctx context.Context, opts generator.Options, staged *output.Staged, bo BuildOptions) (*generator.Summary, *Result, error) {
	var sink generator.Sink = staged
	if bo.Minify {
		mf := NewMinifier()
		opts.AssetTransform = mf.Minify
		sink = mf.Sink(staged)
	}
	site, err := generator.Load(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	sum, err := generator.Render(ctx, site, opts, sink)
	if err != nil {
		return nil, nil, err
	}
	opts.Report(generator.Progress{Phase: "finishing"})
	copts := SiteOptions(site, bo.Compress)
	copts.Previous = bo.Previous
	res, err := Finish(ctx, staged, copts)
	if err != nil {
		return nil, nil, err
	}
	sum.Files += res.Files
	return sum, res, nil
}
