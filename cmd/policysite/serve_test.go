package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"

	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdFreePort sets the environment variable NAME to a TCP port that is
// free on 127.0.0.1, for a server started in the background.
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport NAME")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ts.Check(ln.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

// cmdFetch waits until a server answers URL with something other than
// its "still building" page (503) or a refused connection, for at most
// 30 seconds, and then requires the status (200, or -status N) and
// writes the body to stdout, for stdout and cmp to check. It follows no
// redirects: -status 301 sees one, with its Location in -location.
func cmdFetch(ts *testscript.TestScript, neg bool, args []string) {
	want, location := http.StatusOK, ""
	for len(args) > 1 && (args[0] == "-status" || args[0] == "-location") {
		switch args[0] {
		case "-status":
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			want = n
		case "-location":
			location = args[1]
		}
		args = args[2:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fetch [-status N] [-location URL] URL")
	}
	client := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The retry interval grows, so a slow machine is not flooded.
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		resp, err := client.Get(args[0])
		if err == nil && resp.StatusCode != http.StatusServiceUnavailable {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			ts.Check(err)
			if resp.StatusCode != want {
				ts.Fatalf("GET %s: status %d; want %d", args[0], resp.StatusCode, want)
			}
			if got := resp.Header.Get("Location"); location != "" && got != location {
				ts.Fatalf("GET %s: Location %q; want %q", args[0], got, location)
			}
			fmt.Fprint(ts.Stdout(), string(body))
			return
		}
		if err == nil {
			resp.Body.Close()
		}
		select {
		case <-ctx.Done():
			ts.Fatalf("GET %s: no answer within 30s (last error: %v)", args[0], err)
		case <-time.After(wait):
		}
	}
}
