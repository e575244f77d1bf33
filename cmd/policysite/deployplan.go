package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"policysite/generator/cdn"
)

type deployPlanOpts struct {
	json bool
}

func deployPlanFlags(stderr io.Writer) (*flag.FlagSet, *deployPlanOpts) {
	o := &deployPlanOpts{}
	fs := flag.NewFlagSet("deploy-plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.json, "json", false, "print the plan as JSON, with each upload's Content-Type, Content-Encoding and Cache-Control")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: policysite deploy-plan [--json] OLD NEW")
		fmt.Fprintln(fs.Output(), "\nCompares two builds and prints the files to upload, the files to delete and the URLs to purge from CDN caches.")
		fmt.Fprintln(fs.Output(), "OLD and NEW are "+cdn.ManifestFile+" files or build folders that contain one;")
		fmt.Fprintln(fs.Output(), "OLD may be 'none' (or a file holding {}) for a first deploy.")
		printFlags(fs)
	}
	return fs, o
}

func cmdDeployPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := deployPlanFlags(stderr)
	// Accept flags before, between and after the two operands.
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("deploy-plan: %v: %w", err, errUsage)
		}
		if fs.NArg() == 0 {
			break
		}
		operands = append(operands, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(operands) != 2 {
		return fmt.Errorf("deploy-plan: want OLD and NEW manifests or build folders, got %d arguments: %w", len(operands), errUsage)
	}
	old, err := readOldManifest(operands[0])
	if err != nil {
		return err
	}
	cur, err := cdn.ReadManifest(operands[1])
	if err != nil {
		return err
	}
	plan := cdn.NewPlan(old, cur)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}
	plan.WriteText(stdout)
	return nil
}

// readOldManifest reads the manifest of what is deployed: "none", or a
// file holding only {}, stands for an empty target, so a first deploy
// needs no hand-written manifest.
func readOldManifest(name string) (*cdn.Manifest, error) {
	if name == "none" {
		return &cdn.Manifest{Version: cdn.ManifestVersion}, nil
	}
	if data, err := os.ReadFile(name); err == nil && strings.TrimSpace(string(data)) == "{}" {
		return &cdn.Manifest{Version: cdn.ManifestVersion}, nil
	}
	return cdn.ReadManifest(name)
}
