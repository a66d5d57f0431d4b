package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the real command in a child process (startProcess):
// the test binary, started with JOBBRIDGE_TEST_MAIN=1, is jobbridge.
func TestMain(m *testing.M) {
	if os.Getenv("JOBBRIDGE_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process is jobbridge running in a child process.
type process struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// startProcess runs `jobbridge args...` in a child process; the test's cleanup kills it if it is still running.
func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...), out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(append(os.Environ(), "JOBBRIDGE_TEST_MAIN=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// signal sends sig and waits up to limit for the process to end; it reports how long that took.
func (p *process) signal(t *testing.T, sig syscall.Signal, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		return time.Since(start)
	case <-time.After(limit):
		t.Fatalf("still running %v after %v; output:\n%s", limit, sig, p.out)
		return 0
	}
}

// waitFor waits up to limit for the output to contain s.
func (p *process) waitFor(t *testing.T, s string, limit time.Duration) {
	t.Helper()
	for start := time.Now(); !strings.Contains(p.out.String(), s); time.Sleep(20 * time.Millisecond) {
		select {
		case <-p.done:
			t.Fatalf("ended (%v) before writing %q:\n%s", p.err, s, p.out)
		default:
		}
		if time.Since(start) > limit {
			t.Fatalf("no %q within %v:\n%s", s, limit, p.out)
		}
	}
}

// exitCode is the process's exit status once it has ended.
func (p *process) exitCode() int {
	<-p.done
	return p.cmd.ProcessState.ExitCode()
}

// syncBuffer is a bytes.Buffer safe for a child's output and a test reading it at once.
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
