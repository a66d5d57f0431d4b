package embedded

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dialEnv, when set, makes the test binary a client that dials the database
// at the mongodb:// URI it holds and exits: 0 when connected, 3 when refused
// for lack of permission, 4 on another error. TestOtherUserRefused runs it as
// another user.
const dialEnv = "JOBBRIDGE_TEST_DIAL"

func TestMain(m *testing.M) {
	if uri := os.Getenv(dialEnv); uri != "" {
		network, addr := dialAddr(uri)
		c, err := net.DialTimeout(network, addr, 5*time.Second)
		switch {
		case err == nil:
			c.Close()
			os.Exit(0)
		case os.IsPermission(err) || strings.Contains(err.Error(), "permission denied"):
			os.Exit(3)
		default:
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
	}
	os.Exit(m.Run())
}

// dialAddr is the network and address of a mongodb:// URI of one host: a
// Unix socket when the host is a path ending in .sock, else TCP.
func dialAddr(uri string) (network, addr string) {
	host := strings.TrimSuffix(strings.TrimPrefix(uri, "mongodb://"), "/")
	if p, err := url.PathUnescape(host); err == nil && strings.HasSuffix(p, ".sock") {
		return "unix", p
	}
	return "tcp", host
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestNoTCPListener: the embedded database opens no TCP port, so a process
// that dials 127.0.0.1 (what the hostile test did) finds nothing to talk to.
func TestNoTCPListener(t *testing.T) {
	before := tcpListeners(t)
	db, err := Start(context.Background(), t.TempDir(), quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	after := tcpListeners(t)
	for inode, addr := range after {
		if _, old := before[inode]; !old {
			t.Errorf("the embedded database listens on TCP %s", addr)
		}
	}
	if strings.HasPrefix(db.URI(), "mongodb://127.0.0.1:") || !strings.Contains(db.URI(), ".sock") {
		t.Errorf("URI = %q, want a Unix socket", db.URI())
	}
}

// TestSocketPermissions: the socket is 0600 in a 0700 directory of the data dir.
func TestSocketPermissions(t *testing.T) {
	dir := t.TempDir()
	db, err := Start(context.Background(), dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sock := db.Socket()
	if !strings.HasPrefix(sock, dir) {
		t.Errorf("socket %s is not in the data dir %s", sock, dir)
	}
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", fi.Mode())
	}
	di, err := os.Stat(filepath.Dir(sock))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("socket dir mode %v, want 0700", di.Mode().Perm())
	}
}

// TestOtherUserRefused runs a client as another user (nobody) that dials the
// socket: the kernel refuses it. Even the data dir's own parents are made
// traversable, so what refuses is the socket's own directory and mode.
func TestOtherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a client as another user; TestSocketPermissions checks the modes")
	}
	base := t.TempDir()
	for p := base; p != filepath.Dir(p) && strings.HasPrefix(p, os.TempDir()) && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dataDir := filepath.Join(base, "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := Start(context.Background(), dataDir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A copy of this test binary that nobody may run.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "client")
	copyFile(t, self, bin, 0o755)

	run := func(uid uint32) int {
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), dialEnv+"="+db.URI())
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if err == nil {
			return 0
		}
		if ee, ok := err.(*exec.ExitError); ok {
			if ee.ExitCode() == 4 {
				t.Logf("client as %d: %s", uid, out.String())
			}
			return ee.ExitCode()
		}
		t.Fatalf("run client: %v", err)
		return -1
	}
	if code := run(0); code != 0 {
		t.Fatalf("the owner's client could not connect (exit %d)", code)
	}
	if code := run(65534); code != 3 {
		t.Errorf("a client running as nobody: exit %d, want 3 (permission denied)", code)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

// tcpListeners lists this process's listening TCP sockets (inode → local
// address) from /proc.
func tcpListeners(t *testing.T) map[string]string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc: ", err)
	}
	mine := map[string]bool{}
	for _, fd := range fds {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if inode, ok := strings.CutPrefix(l, "socket:["); err == nil && ok {
			mine[strings.TrimSuffix(inode, "]")] = true
		}
	}
	out := map[string]string{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			cols := strings.Fields(line)
			if len(cols) < 10 || cols[3] != "0A" { // 0A: LISTEN
				continue
			}
			if mine[cols[9]] {
				out[cols[9]] = cols[1]
			}
		}
	}
	return out
}

// TestStaleSocket: a socket left by a killed process does not stop the next
// start; one that still answers (another process on the data dir) does.
func TestStaleSocket(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "run"), 0o700); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "run", socketName))
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	db, err := Start(context.Background(), dir, quiet())
	if err != nil {
		t.Fatalf("start over a stale socket: %v", err)
	}
	defer db.Close()
	if _, err := Start(context.Background(), dir, quiet()); err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("a second start on the same data dir: %v", err)
	}
	if _, err := os.Stat(db.Socket()); err != nil {
		t.Errorf("the refused second start removed the running socket: %v", err)
	}
}

// TestLongDataDir: a data dir too deep for a socket path gets its socket in a
// private temporary directory, removed at Close.
func TestLongDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 90))
	db, err := Start(context.Background(), dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	sock := db.Socket()
	if len(sock) > maxSocketPath {
		t.Errorf("socket path is %d bytes", len(sock))
	}
	if fi, err := os.Stat(filepath.Dir(sock)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("socket dir: %v %v", fi, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(sock)); !os.IsNotExist(err) {
		t.Errorf("the private socket dir remains after Close: %v", err)
	}
}
