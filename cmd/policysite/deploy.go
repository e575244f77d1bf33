package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"policysite/generator/cdn"
	"policysite/generator/config"
	"policysite/generator/deploy"
	"policysite/generator/diag"
	"policysite/generator/output"
)

type deployOpts struct {
	site, out, target   string
	dryRun, confirm     bool
	invalidate          bool
	maxDeletes, workers int
}

func deployFlags(stderr io.Writer) (*flag.FlagSet, *deployOpts) {
	o := &deployOpts{}
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.site, "s", ".", "site folder (holds site.toml with [[deploy.targets]])")
	fs.StringVar(&o.out, "o", "", "the built output folder to publish (default SITE/public)")
	fs.StringVar(&o.target, "target", "", "the deploy target's name (default: the first of [[deploy.targets]])")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what would be uploaded, deleted and invalidated, and change nothing")
	fs.BoolVar(&o.confirm, "confirm", false, "ask before changing the target")
	fs.IntVar(&o.maxDeletes, "max-deletes", deploy.DefaultMaxDeletes, "refuse a deploy that would delete more files than this (-1: no limit)")
	fs.BoolVar(&o.invalidate, "invalidate", false, "invalidate the changed URLs on the target's CloudFront distribution")
	fs.IntVar(&o.workers, "workers", 8, "parallel transfers")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite deploy [-s SITE] [-o OUT] [--target NAME] [--dry-run] [--confirm] [--max-deletes N] [--invalidate]")
		fmt.Fprintln(fs.Output(), "\nPublishes the built output to object storage (S3, Google Cloud Storage, Azure Blob, a folder),")
		fmt.Fprintln(fs.Output(), "uploading only new and changed files and deleting what the build no longer has.")
		fmt.Fprintln(fs.Output(), "Credentials come from the provider's environment and shared configuration, never from site.toml.")
		printFlags(fs)
	}
	return fs, o
}

func cmdDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := deployFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("deploy: %v: %w", err, errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("deploy: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	if o.out == "" {
		o.out = filepath.Join(o.site, "public")
	}
	cfg, err := config.Load(o.site)
	if err != nil {
		return err
	}
	target, err := pickTarget(cfg, o.target)
	if err != nil {
		return err
	}
	if o.invalidate && target.CloudFrontDistributionID == "" {
		return fmt.Errorf("deploy: --invalidate: target %q has no cloudFrontDistributionID in %s: %w", target.Name, config.FileName, errUsage)
	}
	// A build swapping the output while the deploy reads it would mix
	// two builds: the deploy holds the output's lock, as a build does.
	lk, err := output.Acquire(ctx, o.out, output.LockOptions{Wait: 2 * time.Minute, Waiting: func(holder string) {
		fmt.Fprintf(stderr, "policysite: waiting for a build into %s to finish %s\n", o.out, holder)
	}})
	if err != nil {
		return err
	}
	defer lk.Unlock()
	bucket, err := deploy.Open(ctx, target.URL)
	if err != nil {
		return fmt.Errorf("target %q: %w", target.Name, err)
	}
	defer bucket.Close()
	dopts := deploy.Options{Dir: o.out, Encoding: target.Encoding, MaxDeletes: o.maxDeletes, Workers: o.workers}
	plan, err := deploy.Prepare(ctx, bucket, dopts)
	if err != nil {
		return fmt.Errorf("target %q: %w", target.Name, err)
	}
	fmt.Fprintf(stdout, "deploy %s to %q (%s)\n", o.out, target.Name, deploy.Redact(target.URL))
	if plan.Interrupted {
		fmt.Fprintln(stdout, "the previous deploy to this target was interrupted; files were compared by content and this deploy finishes it")
	}
	fmt.Fprintf(stdout, "plan: %s to upload (%s), %s to delete, %d unchanged (compared by %s)\n",
		diag.Plural(len(plan.Upload), "file", "files"), byteSize(plan.Bytes()), diag.Plural(len(plan.Delete), "file", "files"), plan.Unchanged, plan.Compared)
	batches := deploy.InvalidationBatches(plan.PurgePaths, cdn.BasePath(cfg.BaseURL))
	if o.dryRun {
		for _, u := range plan.Upload {
			fmt.Fprintf(stdout, "  upload %s (%s%s)\n", u.Path, u.ContentType, encodingNote(u.Encoding))
		}
		for _, d := range plan.Delete {
			fmt.Fprintf(stdout, "  delete %s\n", d)
		}
		if o.invalidate {
			for _, b := range batches {
				fmt.Fprintf(stdout, "  invalidate on %s: %s\n", target.CloudFrontDistributionID, strings.Join(b, " "))
			}
		}
		fmt.Fprintln(stdout, "dry run: nothing changed")
		return nil
	}
	if o.confirm && plan.Changes() {
		ok, err := ask(stdout, os.Stdin, "Deploy? [y/N] ")
		if err != nil || !ok {
			return errors.Join(errors.New("deploy: not confirmed; nothing changed"), err)
		}
	}
	if isTerminal(stderr) {
		var mu sync.Mutex
		last := time.Time{}
		dopts.Progress = func(done, total int, bytes int64) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(last) < 100*time.Millisecond && done < total {
				return
			}
			last = time.Now()
			fmt.Fprintf(stderr, "\r%d/%d files, %s ", done, total, byteSize(bytes))
			if done == total {
				fmt.Fprintln(stderr)
			}
		}
	}
	res, err := deploy.Apply(ctx, bucket, plan, dopts)
	if err != nil {
		return fmt.Errorf("target %q: %w", target.Name, err)
	}
	fmt.Fprintf(stdout, "deployed: %s uploaded (%s), %s deleted, %d unchanged in %s\n",
		diag.Plural(res.Uploaded, "file", "files"), byteSize(res.Bytes), diag.Plural(res.Deleted, "file", "files"), plan.Unchanged, res.Duration.Round(time.Millisecond))
	if o.invalidate && len(batches) > 0 {
		if err := deploy.Invalidate(ctx, target.CloudFrontDistributionID, batches); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "invalidated %s on CloudFront distribution %s\n", diag.Plural(len(plan.PurgePaths), "path", "paths"), target.CloudFrontDistributionID)
	}
	return nil
}

func pickTarget(cfg *config.Site, name string) (config.DeployTarget, error) {
	ts := cfg.Deploy.Targets
	if len(ts) == 0 {
		return config.DeployTarget{}, fmt.Errorf("%s has no [[deploy.targets]]; add one, e.g.\n\n[[deploy.targets]]\nname = \"production\"\nurl = \"s3://my-bucket?region=eu-west-1\"", filepath.Join(cfg.Dir, config.FileName))
	}
	if name == "" {
		return ts[0], nil
	}
	var names []string
	for _, t := range ts {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return config.DeployTarget{}, fmt.Errorf("deploy: no target named %q; %s lists %s: %w", name, config.FileName, strings.Join(names, ", "), errUsage)
}

func encodingNote(enc string) string {
	if enc == "" {
		return ""
	}
	return ", " + enc
}

func ask(w io.Writer, r io.Reader, prompt string) (bool, error) {
	fmt.Fprint(w, prompt)
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// isTerminal reports whether w is a character device, such as a
// terminal, rather than a pipe or file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
