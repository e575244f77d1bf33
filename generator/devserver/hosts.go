package devserver

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// allowedHost reports whether a request's Host header names this
// server: an IP address, localhost (or a name below .localhost), the
// address it is bound to, or a name given in Options.Hosts ("example.test",
// or ".example.test" for it and every name below it). Anything else is
// refused, so that a page on another site cannot read the preview,
// drafts or /_review/ by pointing its own host name at 127.0.0.1 (DNS
// rebinding). IP addresses are safe to accept: rebinding needs a name.
// Vite (server.allowedHosts) and webpack-dev-server decide the same way.
func (s *Server) allowedHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	switch {
	case host == "":
		return false
	case net.ParseIP(host) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	case host == strings.ToLower(s.opts.Bind):
		return true
	}
	for _, h := range s.opts.Hosts {
		h = strings.ToLower(h)
		if host == strings.TrimPrefix(h, ".") || strings.HasPrefix(h, ".") && strings.HasSuffix(host, h) {
			return true
		}
	}
	return false
}

// refuseHost answers a request whose Host header is not allowed.
func refuseHost(w http.ResponseWriter, host string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "policysite serve: host %q is not allowed.\n\n"+
		"This preview answers only to localhost and IP addresses, so that other web sites\n"+
		"cannot read it through a DNS name of theirs. To open it under this name, restart\n"+
		"the server with: policysite serve --host %s\n", host, hostOnly(host))
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}
