package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"policysite/generator/deploy"
)

const (
	s3Key    = "policysite"
	s3Secret = "policysite-test-secret"
	s3Bucket = "policysite-test"
)

// seaweedS3 starts SeaweedFS's S3 gateway on 127.0.0.1 with one
// identity and returns its endpoint. The weed binary comes from $WEED or
// PATH (.ci/run builds it); without it the test is skipped locally and
// fails in CI.
func seaweedS3(t *testing.T) string {
	t.Helper()
	weed := os.Getenv("WEED")
	if weed == "" {
		weed, _ = exec.LookPath("weed")
	}
	if weed == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SeaweedFS (weed) not found in CI; .ci/run builds it, or set WEED")
		}
		t.Skip("SeaweedFS (weed) not found: set WEED=/path/to/weed to run the S3 deploy tests (.ci/run builds it)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "s3.json")
	identities := fmt.Sprintf(`{"identities":[{"name":"test","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, s3Key, s3Secret)
	if err := os.WriteFile(cfg, []byte(identities), 0o600); err != nil {
		t.Fatal(err)
	}
	// weed uses each port and the port 10000 above it for gRPC.
	master, volume, filer, s3port := freePort(t), freePort(t), freePort(t), freePort(t)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(weed, "server", "-dir="+data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		fmt.Sprintf("-master.port=%d", master), fmt.Sprintf("-volume.port=%d", volume),
		"-filer", fmt.Sprintf("-filer.port=%d", filer),
		"-s3", fmt.Sprintf("-s3.port=%d", s3port), "-s3.config="+cfg, "-volume.max=10")
	log, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		log.Close()
		if t.Failed() {
			out, _ := os.ReadFile(log.Name())
			t.Logf("weed log (last 3000 bytes):\n%s", out[max(0, len(out)-3000):])
		}
	})
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", s3port)
	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s3Key, s3Secret, ""),
	})
	// Wait until the gateway creates the bucket: it needs the master,
	// a volume and the filer first.
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s3Bucket)})
		cancel()
		if err == nil || strings.Contains(err.Error(), "BucketAlreadyExists") || strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SeaweedFS S3 gateway not ready after 90 s: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
	// The provider's usual chain reads the environment; nothing of the
	// machine's own AWS configuration may leak in.
	t.Setenv("AWS_ACCESS_KEY_ID", s3Key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3Secret)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return endpoint
}

// freePort returns a port that is free, with the port 10000 above it
// free too (weed's gRPC port).
func freePort(t *testing.T) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+10000 > 65535 {
			continue
		}
		if l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+10000)); err == nil {
			l2.Close()
			return p
		}
	}
	t.Fatal("no free port pair")
	return 0
}

func s3URL(endpoint string) string {
	return fmt.Sprintf("s3://%s?endpoint=%s&region=us-east-1&use_path_style=true", s3Bucket, endpoint)
}

// TestS3 deploys to a real S3-compatible server: a first deploy, a
// no-op, a one-page edit, deletions and their limit, an interrupted
// deploy resumed, wrong credentials and an unreachable endpoint.
func TestS3(t *testing.T) {
	endpoint := seaweedS3(t)
	ctx := context.Background()
	b, err := deploy.Open(ctx, s3URL(endpoint))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := filepath.Join(t.TempDir(), "public")
	files := site(8)
	writeBuild(t, out, files)
	opts := deploy.Options{Dir: out, MaxDeletes: deploy.DefaultMaxDeletes}

	res := mustDeploy(t, b, opts)
	if res.Uploaded != len(files) {
		t.Fatalf("first deploy uploaded %d; want %d", res.Uploaded, len(files))
	}
	attrs, err := b.Attributes(ctx, "en/pa/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if attrs.ContentType != "text/html; charset=utf-8" || attrs.CacheControl != "public, max-age=0, must-revalidate" {
		t.Errorf("page stored as %q, %q", attrs.ContentType, attrs.CacheControl)
	}

	plan, err := deploy.Prepare(ctx, b, opts)
	if err != nil || plan.Changes() {
		t.Fatalf("no-op plan: changes=%v err=%v", plan != nil && plan.Changes(), err)
	}

	files["en/pc/index.html"] = "<!doctype html><p>edited"
	writeBuild(t, out, files)
	res = mustDeploy(t, b, opts)
	if got := uploads(res.Plan); !slices.Equal(got, []string{"en/pc/index.html"}) {
		t.Errorf("one edit uploaded %v", got)
	}

	delete(files, "en/pd/index.html")
	delete(files, "en/pe/index.html")
	writeBuild(t, out, files)
	plan, err = deploy.Prepare(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	one := opts
	one.MaxDeletes = 1
	if _, err := deploy.Apply(ctx, b, plan, one); err == nil {
		t.Fatal("2 deletions passed --max-deletes 1")
	}
	res = mustDeploy(t, b, opts)
	if res.Deleted != 2 {
		t.Errorf("deleted %d; want 2", res.Deleted)
	}

	// Interrupted halfway, then resumed.
	for i := range 6 {
		files[fmt.Sprintf("en/new%d/index.html", i)] = fmt.Sprintf("<!doctype html><p>new %d", i)
	}
	writeBuild(t, out, files)
	cctx, cancel := context.WithCancel(ctx)
	interrupted := opts
	interrupted.Workers = 1
	interrupted.Progress = func(done, _ int, _ int64) {
		if done == 2 {
			cancel()
		}
	}
	plan, err = deploy.Prepare(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deploy.Apply(cctx, b, plan, interrupted); err == nil {
		t.Fatal("interrupted deploy reported success")
	}
	plan, err = deploy.Prepare(ctx, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Interrupted || len(plan.Upload) == 0 || len(plan.Upload) >= 6 {
		t.Errorf("after interruption: interrupted=%v, %d uploads; want true and fewer than 6", plan.Interrupted, len(plan.Upload))
	}
	if _, err := deploy.Apply(ctx, b, plan, opts); err != nil {
		t.Fatal(err)
	}
	if plan, err := deploy.Prepare(ctx, b, opts); err != nil || plan.Changes() {
		t.Errorf("after resuming: changes=%v, %v", plan != nil && plan.Changes(), err)
	}

	t.Run("wrong credentials", func(t *testing.T) {
		t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
		b, err := deploy.Open(ctx, s3URL(endpoint))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		_, err = deploy.Prepare(ctx, b, opts)
		if err == nil || !strings.Contains(err.Error(), "access denied: check the credentials") {
			t.Errorf("deploy with a wrong secret = %v; want an access-denied error that names the credentials", err)
		}
		if err != nil && strings.Contains(err.Error(), s3Secret) {
			t.Error("the error printed the secret")
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		port := freePort(t)
		b, err := deploy.Open(ctx, s3URL(fmt.Sprintf("http://127.0.0.1:%d", port)))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		_, err = deploy.Prepare(ctx, b, opts)
		var op *net.OpError
		if err == nil || !errors.As(err, &op) && !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("deploy to a closed port = %v; want a connection error", err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "listing") {
			t.Errorf("error %q does not say what failed", err)
		}
	})
}
