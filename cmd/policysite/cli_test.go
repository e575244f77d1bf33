package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"policysite/generator"
)

func TestNearest(t *testing.T) {
	names := []string{"build", "serve", "status", "diff", "deploy-plan", "new", "version", "help"}
	for in, want := range map[string]string{
		"biuld": "build", "buidl": "build", "bulid": "build", "buld": "build", "Build": "build",
		"serv": "serve", "sreve": "serve", "stats": "status", "stauts": "status", "deploy": "deploy-plan",
		"vesion": "version", "nwe": "new", "init": "", "xyz": "", "b": "", "publish": "", "dif": "diff",
	} {
		if got := nearest(in, names); got != want {
			t.Errorf("nearest(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDescribeBuild(t *testing.T) {
	tests := []struct {
		info *debug.BuildInfo
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "false"},
		}}, "v1.2.0 0123456789ab 2026-12-01T10:00:00Z go1.26.0"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"},
		}}, "(devel) abc+modified go1.26.0"},
		{&debug.BuildInfo{Main: debug.Module{}}, "(devel) (no VCS revision recorded)"},
	}
	for _, tt := range tests {
		if got := describeBuild(tt.info); got != tt.want {
			t.Errorf("describeBuild(%+v) = %q; want %q", tt.info.Main, got, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressLive(t *testing.T) {
	w := &syncBuffer{}
	p := newProgress(w, true, false, 0)
	p.update(generator.Progress{Phase: "rendering", Done: 340, Total: 1200})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(w.String(), "rendering 340/1,200 pages (28%)") {
		if time.Now().After(deadline) {
			t.Fatalf("no status line after 10s: %q", w.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.finish()
	out := w.String()
	if !strings.HasPrefix(out, "\r") || !strings.HasSuffix(out, "\r") || strings.Contains(out, "\n") {
		t.Errorf("output %q: want lines redrawn with \\r, cleared at the end, no newline", out)
	}
}

func TestProgressSilent(t *testing.T) {
	var w bytes.Buffer
	p := newProgress(&w, false, false, 0)
	p.update(generator.Progress{Phase: "loading"})
	p.update(generator.Progress{Phase: "rendering", Done: 1, Total: 2})
	p.finish()
	if w.Len() != 0 {
		t.Errorf("not live, not verbose: wrote %q", w.String())
	}
	// A build shorter than the delay draws nothing.
	p = newProgress(&w, true, false, time.Hour)
	p.update(generator.Progress{Phase: "loading"})
	p.finish()
	if w.Len() != 0 {
		t.Errorf("build shorter than the delay: wrote %q", w.String())
	}
}

func TestProgressVerbose(t *testing.T) {
	var w bytes.Buffer
	p := newProgress(&w, true, true, 0)
	for _, gp := range []generator.Progress{{Phase: "loading"}, {Phase: "rendering", Total: 2}, {Phase: "rendering", Done: 1, Total: 2}, {Phase: "rendering", Done: 2, Total: 2}, {Phase: "finishing"}} {
		p.update(gp)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "policysite: rendering 2 pages (at ") {
		t.Errorf("verbose output:\n%s\nwant one line per phase", w.String())
	}
}
