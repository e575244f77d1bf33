package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"policysite/generator"
	"policysite/generator/diag"
)

// progressDelay is how long a build runs before it shows progress: most
// builds are done before a line would be worth drawing.
const progressDelay = time.Second

// A progress reports a build's progress on stderr. On a terminal, once
// the build has run for delay, it shows one line that it redraws
// ("rendering 340/1,200 pages") and clears at the end; verbose prints a
// line as each phase starts instead. Its methods are safe for
// concurrent use; the zero value is not usable, use newProgress.
type progress struct {
	w        io.Writer
	live     bool // redraw a status line
	verbose  bool
	delay    time.Duration
	start    time.Time
	mu       sync.Mutex
	cur      generator.Progress
	lastLine int // width of the line drawn, to clear it
	stop     chan struct{}
	done     chan struct{}
}

// newProgress returns a progress writing to w. live is for a terminal;
// neither live nor verbose makes it silent.
func newProgress(w io.Writer, live, verbose bool, delay time.Duration) *progress {
	p := &progress{w: w, live: live && !verbose, verbose: verbose, delay: delay, start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{})}
	if !p.live {
		close(p.done)
		return p
	}
	// The goroutine ends when finish closes stop.
	go p.draw()
	return p
}

// update is the build's generator.Options.Progress.
func (p *progress) update(gp generator.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.verbose && gp.Phase != p.cur.Phase {
		line := gp.Phase
		if gp.Total > 0 {
			line += " " + diag.Plural(gp.Total, "page", "pages")
		}
		fmt.Fprintf(p.w, "policysite: %s (at %s)\n", line, time.Since(p.start).Round(time.Millisecond))
	}
	p.cur = gp
}

// draw redraws the status line every tenth of a second, once delay has
// passed, until finish.
func (p *progress) draw() {
	defer close(p.done)
	select {
	case <-time.After(p.delay):
	case <-p.stop:
		return
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		p.mu.Lock()
		line := statusLine(p.cur)
		fmt.Fprintf(p.w, "\r%-*s", p.lastLine, line)
		p.lastLine = len(line)
		p.mu.Unlock()
		select {
		case <-tick.C:
		case <-p.stop:
			return
		}
	}
}

// finish stops drawing and clears the status line.
func (p *progress) finish() {
	if !p.live {
		return
	}
	close(p.stop)
	<-p.done
	if p.lastLine > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.lastLine))
	}
}

func statusLine(gp generator.Progress) string {
	if gp.Total > 0 {
		return fmt.Sprintf("policysite: %s %s/%s pages (%d%%)", gp.Phase, diag.Count(gp.Done), diag.Count(gp.Total), gp.Done*100/gp.Total)
	}
	return "policysite: " + gp.Phase + "…"
}
