package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveLimited runs serve in this process with cfg's limits and returns the
// public and the operators' addresses once it is ready.
func serveLimited(t *testing.T, cfg config) (addr, opsAddr string) {
	t.Helper()
	lock, err := lockDataDir(cfg.DataDir, "serve")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)), lock) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		lock.release()
	})
	re := regexp.MustCompile(`msg=listening addr=(\S+).*\n(?:.*\n)*.*msg="operators' listener" addr=(\S+)`)
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs.String(), "msg=ready") {
			if m := re.FindStringSubmatch(logs.String()); m != nil {
				return m[1], m[2]
			}
			t.Fatalf("no addresses in the log:\n%s", logs)
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs)
		default:
		}
		if time.Since(start) > 60*time.Second {
			t.Fatalf("not ready within 60 s:\n%s", logs)
		}
	}
}

// closedWithin says whether the server closes c within d (reading and
// dropping what it sends meanwhile, such as an error response).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	return err == nil // io.Copy ends without error at EOF: the server closed the connection
}

// TestHTTPLimits: a request body that trickles in is cut at the read
// timeout, an idle keep-alive connection is closed at the idle timeout, and
// no more than the connection limit are served at once while the operators'
// listener still answers the health checks. Before, with only a header
// timeout, the first two were held for as long as the client liked and the
// third was served until file descriptors ran out.
func TestHTTPLimits(t *testing.T) {
	cfg := testConfig(t)
	cfg.Addr, cfg.MetricsAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.AdminPassword = "admin-password-1"
	cfg.limits = httpLimits{ReadHeader: 5 * time.Second, Read: 700 * time.Millisecond, Write: 5 * time.Second,
		Idle: 700 * time.Millisecond, MaxConns: 8}
	addr, opsAddr := serveLimited(t, cfg)
	dial := func() net.Conn {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	t.Run("slow body", func(t *testing.T) {
		c := dial()
		io.WriteString(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
		stop := make(chan struct{})
		defer close(stop)
		go func() { // one byte every 100 ms: the body would take 20 s
			for i := 0; i < 199; i++ {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		}()
		start := time.Now()
		if !closedWithin(c, 5*time.Second) {
			t.Fatal("a trickling body held its connection for 5 s")
		}
		t.Logf("cut after %v", time.Since(start).Round(10*time.Millisecond))
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial()
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || res.StatusCode != 200 || res.Close {
			t.Fatalf("keep-alive request: %v %v", res, err)
		}
		io.Copy(io.Discard, res.Body)
		start := time.Now()
		if !closedWithin(c, 5*time.Second) {
			t.Fatal("an idle keep-alive connection was open after 5 s")
		}
		t.Logf("closed after %v idle", time.Since(start).Round(10*time.Millisecond))
	})

	t.Run("connection limit", func(t *testing.T) {
		var held []net.Conn
		for range cfg.limits.MaxConns {
			c := dial()
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
				t.Fatal(err)
			}
			io.WriteString(c, "GET /hea") // half a header: the connection stays busy (5 s header timeout)
			held = append(held, c)
		}
		quick := &http.Client{Timeout: 400 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
		if res, err := quick.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			t.Fatalf("connection %d served: %d", cfg.limits.MaxConns+1, res.StatusCode)
		}
		for _, path := range []string{"/healthz", "/readyz"} {
			res, err := quick.Get("http://" + opsAddr + path)
			if err != nil {
				t.Fatalf("operators' %s at the limit: %v", path, err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("operators' %s at the limit: %d", path, res.StatusCode)
			}
		}
		held[0].Close()
		res, err := (&http.Client{Timeout: 3 * time.Second}).Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("a freed slot was not reused: %v", err)
		}
		res.Body.Close()
	})
}

// TestConnLimit: the connection limit stays below what the file limit leaves.
func TestConnLimit(t *testing.T) {
	if _, err := connLimit(0, quiet); err == nil {
		t.Error("a limit of 0 accepted")
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Skip(err)
	}
	n, err := connLimit(1<<31-1, quiet)
	if err != nil || uint64(n) > rl.Cur-fdReserve-metricsConns {
		t.Errorf("limit %d (%v) with a file limit of %d", n, err, rl.Cur)
	}
}
