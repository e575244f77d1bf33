package deploy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// Invalidation limits. CloudFront accepts at most 3,000 file paths in
// progress per distribution; a larger purge becomes one wildcard
// invalidation of the site's base path instead.
const (
	InvalidationBatch = 1000
	InvalidationLimit = 3000
)

// InvalidationBatches splits the purge paths of a plan into the
// requests CloudFront takes; base is the site's base path ("/" or
// "/legal/"), used for the wildcard when there are too many.
func InvalidationBatches(paths []string, base string) [][]string {
	if len(paths) == 0 {
		return nil
	}
	if len(paths) > InvalidationLimit {
		return [][]string{{strings.TrimSuffix(base, "/") + "/*"}}
	}
	var out [][]string
	for len(paths) > 0 {
		n := min(len(paths), InvalidationBatch)
		out = append(out, paths[:n])
		paths = paths[n:]
	}
	return out
}

// Invalidate asks CloudFront to drop the given paths from distribution's
// caches, one request per batch. Credentials come from the AWS SDK's
// default chain.
func Invalidate(ctx context.Context, distribution string, batches [][]string) error {
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("cloudfront: loading AWS configuration: %w", err)
	}
	client := cloudfront.NewFromConfig(cfg)
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i, batch := range batches {
		_, err := client.CreateInvalidation(ctx, &cloudfront.CreateInvalidationInput{
			DistributionId: aws.String(distribution),
			InvalidationBatch: &cftypes.InvalidationBatch{
				// A caller reference makes a retried request idempotent.
				CallerReference: aws.String(fmt.Sprintf("policysite-%s-%d", stamp, i)),
				Paths:           &cftypes.Paths{Quantity: aws.Int32(int32(len(batch))), Items: batch},
			},
		})
		if err != nil {
			return fmt.Errorf("cloudfront: invalidating %d paths on distribution %s: %w", len(batch), distribution, err)
		}
	}
	return nil
}
