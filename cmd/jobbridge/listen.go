package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"golang.org/x/net/netutil"
)

// httpLimits bound what clients can hold of a listener: a request must
// arrive whole within Read (its header within ReadHeader), its answer must
// be written within Write, a keep-alive connection is closed after Idle
// without a request, and at most MaxConns connections are open at once
// (more wait to be accepted). Requests are small (bodies ≤ 1 MiB) and
// quick; long operator work (jobs, import, export, backup) goes through the
// control socket, which has no such limits.
type httpLimits struct {
	ReadHeader, Read, Write, Idle time.Duration
	MaxConns                      int
}

// defaultLimits are the main listener's.
var defaultLimits = httpLimits{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute,
	Idle: 60 * time.Second, MaxConns: 1024}

// metricsConns is the metrics listener's connection limit: a few scrapers and health checks.
const metricsConns = 32

// server is an HTTP server of h with the limits' timeouts.
func (l httpLimits) server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeader, ReadTimeout: l.Read, WriteTimeout: l.Write,
		IdleTimeout: l.Idle, MaxHeaderBytes: 64 << 10}
}

// listen listens on addr, accepting at most n connections at once.
func listen(addr string, n int) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return netutil.LimitListener(ln, n), nil
}

// fdReserve is how many file descriptors the process keeps for itself beyond
// its connections: the database, the index's segments, logs, the control socket.
const fdReserve = 256

// connLimit is the connection limit asked for, lowered so that the
// connections cannot use up the file descriptors the process may open (Go
// raises the soft limit to the hard one at start).
func connLimit(asked int, log *slog.Logger) (int, error) {
	if asked < 1 {
		return 0, fmt.Errorf("--max-conns (JOBBRIDGE_MAX_CONNS) must be a whole number, at least 1")
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return asked, nil
	}
	room := int(min(rl.Cur, 1<<30)) - fdReserve - metricsConns
	if room < 16 {
		return 0, fmt.Errorf("the process may open only %d files: raise the limit (ulimit -n) to at least %d", rl.Cur, fdReserve+metricsConns+16)
	}
	if asked > room {
		log.Warn("connection limit lowered to what the file limit leaves", "maxConns", room, "asked", asked, "fileLimit", rl.Cur)
		return room, nil
	}
	return asked, nil
}
