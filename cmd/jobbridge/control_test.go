package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// startServeProcess runs `jobbridge serve` over dir in a child process on a
// free loopback port and returns its address once /readyz answers 200.
func startServeProcess(t *testing.T, dir string, args ...string) (base string, p *process) {
	t.Helper()
	p = startProcess(t, []string{"JOBBRIDGE_ADMIN_PASSWORD=admin-password-1"},
		append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--data-dir", dir, "--fixtures", "off", "--log-level", "info"}, args...)...)
	p.waitFor(t, "msg=listening", 60*time.Second)
	m := regexp.MustCompile(`msg=listening addr=(\S+)`).FindStringSubmatch(p.out.String())
	base = "http://" + m[1]
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Since(start) > 60*time.Second {
			t.Fatalf("not ready within 60 s:\n%s", p.out)
		}
	}
	p.waitFor(t, "msg=\"control socket\"", 10*time.Second)
	return base, p
}

// TestControlChannelLeavesNoCredential: the control channel is a socket only
// the server's user can open; nothing on disk or in the database grants
// access after a kill -9 (earlier versions left control.json and a 365-day
// admin session at each), and a start removes what they left. import, export
// and jobs go through the running server.
func TestControlChannelLeavesNoCredential(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve in child processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	d := fixtures.Generate(4, fixtures.Counts{Seekers: 30, Posts: 25, Classes: 3})
	data := writeDataset(t, d)

	// What an earlier version left: its control file and its session.
	a := mustOpen(t, testConfigOn(dir))
	if err := a.store.PutSession(ctx, &engine.Session{Meta: engine.Meta{ID: "legacy-control-token-hash"}, UserID: "u-admin",
		ExpiresAt: time.Now().AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	a.close(ctx)
	legacy := filepath.Join(dir, legacyControlFile)
	os.WriteFile(legacy, []byte(`{"url":"http://127.0.0.1:8080","token":"x"}`), 0o600)

	args := func(cmd string, more ...string) []string {
		return append([]string{cmd, "--data-dir", dir, "--log-level", "info"}, more...)
	}
	for round := 1; round <= 2; round++ {
		_, p := startServeProcess(t, dir)
		if _, err := os.Stat(legacy); !os.IsNotExist(err) {
			t.Fatalf("round %d: %s still there: %v", round, legacyControlFile, err)
		}
		sock := filepath.Join(dir, controlSocket)
		info, err := os.Stat(sock)
		if err != nil || info.Mode()&os.ModeSocket == 0 || info.Mode().Perm() != 0o600 {
			t.Fatalf("round %d: control socket %v %v", round, info, err)
		}
		if round == 1 {
			var logs bytes.Buffer
			if err := run(ctx, args("import", data), io.Discard, &logs); err != nil || !strings.Contains(logs.String(), "import through the server") {
				t.Fatalf("import through the server: %v\n%s", err, logs.String())
			}
		}
		var out bytes.Buffer
		if err := run(ctx, args("export", "--kind", "posts"), &out, io.Discard); err != nil || strings.Count(out.String(), "\n") != len(d.Posts) {
			t.Fatalf("round %d: export through the server: %v, %d lines", round, err, strings.Count(out.String(), "\n"))
		}
		out.Reset()
		if err := run(ctx, args("jobs", "list"), &out, io.Discard); err != nil || !strings.Contains(out.String(), "rematch") {
			t.Fatalf("round %d: jobs list through the server: %v\n%s", round, err, out.String())
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		p.exitCode()
	}
	// After two kill -9s: no file but the (dead) socket, no session that outlives a login.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch e.Name() {
		case "db", "run", "index", "secret.key", lrsIndexFile, lockFile, controlSocket:
		default:
			t.Errorf("left in the data dir: %s", e.Name())
		}
	}
	a = mustOpen(t, testConfigOn(dir))
	defer a.close(ctx)
	if n, err := a.store.DeleteSessionsExpiringAfter(ctx, time.Now().Add(legacySessionTTL)); err != nil || n != 0 {
		t.Errorf("%d long-lived sessions in the store (%v)", n, err)
	}
	if _, err := a.store.GetSession(ctx, "legacy-control-token-hash"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("the earlier version's session survived a start: %v", err)
	}
}

// TestControlSocketLongDataDir: a data dir whose path is too long for a
// socket gets its control socket in a private directory, which the lock file
// names to the clients and which goes when the server stops.
func TestControlSocketLongDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 100))
	os.MkdirAll(dir, 0o700)
	cl, err := listenControl(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(cl.path, dir) || cl.tempDir == "" {
		t.Fatalf("socket at %s", cl.path)
	}
	if info, err := os.Stat(cl.tempDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("socket dir %v %v", info, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /jobs", func(w http.ResponseWriter, r *http.Request) {
		controlReply(w, []engine.Schedule{{Name: "rematch"}}, nil)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(cl)
	ctl := dialControl(dir, &busyError{Dir: dir, Holder: lockHolder{PID: 1, Command: "serve", Control: cl.path}})
	var list []engine.Schedule
	if err := ctl.do(context.Background(), "GET", "/jobs", nil, &list); err != nil || len(list) != 1 {
		t.Fatalf("through the socket: %v %v", err, list)
	}
	srv.Close()
	cl.remove()
	if _, err := os.Stat(cl.tempDir); !os.IsNotExist(err) {
		t.Errorf("socket dir left: %v", err)
	}
}
