package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// An event is one Server-Sent Event for the live-reload script.
type event struct {
	Type string `json:"type"` // hello, reload, css, build-error, build-ok
	// Server identifies the server process; a page that reconnects to a
	// different one reloads, since it may have missed edits.
	Server string `json:"server,omitempty"`
	// Build counts the builds served; see Server.ServeHTTP.
	Build    int       `json:"build,omitempty"`
	Navigate bool      `json:"navigate,omitempty"`
	Paths    []string  `json:"paths,omitempty"` // pages that changed
	All      bool      `json:"all,omitempty"`   // every page may have changed
	Edited   string    `json:"edited,omitempty"`
	CSS      []cssSwap `json:"css,omitempty"`
	Errors   []problem `json:"errors,omitempty"`
}

// A problem is one build error, for the overlay.
type problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// clientBuffer is how many events a browser may fall behind before it
// is disconnected; it reconnects by itself and then reloads.
const clientBuffer = 16

// maxClients bounds the event streams one server keeps open, so that a
// runaway page or script cannot exhaust memory or goroutines; a browser
// turned away retries by itself.
const maxClients = 1000

// writeTimeout is how long one event may take to reach a browser's
// connection before the stream is closed: a client that stopped reading
// (a suspended tab, a script that never reads) would otherwise hold a
// connection and a goroutine for ever once the socket buffers are full.
// A live browser reconnects by itself.
const writeTimeout = 10 * time.Second

// A hub sends events to every connected browser. A slow browser never
// blocks the others: each has a buffered channel and sends never wait.
// The zero value is ready to use and safe for concurrent use.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]struct{}
	// timeout overrides writeTimeout (tests).
	timeout time.Duration
}

// subscribe registers a browser, or returns nil when maxClients are
// connected already.
func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.clients) >= maxClients {
		return nil
	}
	if h.clients == nil {
		h.clients = map[chan event]struct{}{}
	}
	ch := make(chan event, clientBuffer)
	h.clients[ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	if _, ok := h.clients[ch]; ok {
		delete(h.clients, ch)
		close(ch)
	}
	h.mu.Unlock()
}

// broadcast queues e for every browser and drops the ones whose buffer
// is full.
func (h *hub) broadcast(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- e:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

// count returns the number of connected browsers.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// serveEvents streams events to one browser until it goes away. hello
// is sent first; current, when not nil, follows it (the build error a
// newly opened page must show).
func (h *hub) serveEvents(w http.ResponseWriter, r *http.Request, hello event, current func() *event) {
	ch := h.subscribe()
	if ch == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "too many live-reload connections", http.StatusServiceUnavailable)
		return
	}
	defer h.unsubscribe(ch)
	rc := http.NewResponseController(w)
	timeout := h.timeout
	if timeout <= 0 {
		timeout = writeTimeout
	}
	// The stream outlives the server's write timeout by design, but
	// every write has its own deadline.
	deadline := func() error { return rc.SetWriteDeadline(time.Now().Add(timeout)) }
	if err := deadline(); err != nil {
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	write := func(e event) error {
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := deadline(); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data); err != nil {
			return err
		}
		return rc.Flush()
	}
	// Reconnect after a second when the connection drops.
	if _, err := fmt.Fprint(w, "retry: 1000\n\n"); err != nil {
		return
	}
	if err := write(hello); err != nil {
		return
	}
	if e := current(); e != nil {
		if err := write(*e); err != nil {
			return
		}
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-ch:
			if !ok {
				return
			}
			if err := write(e); err != nil {
				return
			}
		case <-ping.C:
			// A comment keeps proxies and tunnels from closing an idle
			// stream.
			if err := deadline(); err != nil {
				return
			}
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}
