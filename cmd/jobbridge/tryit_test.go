package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTryIt runs every "Try it" block of docs/*.md as a newcomer would, so
// the walk-throughs cannot rot: each in a fresh directory, where bin/jobbridge
// is this build (the test binary run as jobbridge, see TestMain) and the
// block's `go build` line is skipped; on a port of its own (localhost:8080 in
// the text becomes it) with the operators' listener on a free port. A block
// runs under `set -euo pipefail`, so a curl -f that gets a 4xx, a failed
// command or a block that hangs (3 min) fails the test.
func TestTryIt(t *testing.T) {
	if testing.Short() {
		t.Skip("serves the demo data once per block")
	}
	for _, tool := range []string{"bash", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the docs' walk-throughs need %s: %v", tool, err)
		}
	}
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, block := range tryItBlocks(string(text)) {
			n++
			t.Run(fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(doc), ".md"), i+1), func(t *testing.T) { runTryIt(t, block) })
		}
	}
	if n < 2 {
		t.Fatalf("found %d Try it blocks in docs/, want the referral and the training walk-throughs", n)
	}
}

// tryItBlocks returns the first ```sh block after each "## Try it" heading.
func tryItBlocks(md string) []string {
	var out []string
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "## Try it") {
			continue
		}
		for j := i + 1; j < len(lines) && !strings.HasPrefix(lines[j], "## "); j++ {
			if lines[j] != "```sh" {
				continue
			}
			var b []string
			for k := j + 1; k < len(lines) && lines[k] != "```"; k++ {
				b = append(b, lines[k])
			}
			out = append(out, strings.Join(b, "\n"))
			i = j
			break
		}
	}
	return out
}

func runTryIt(t *testing.T, block string) {
	dir := t.TempDir()
	self, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nJOBBRIDGE_TEST_MAIN=1 exec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "bin", "jobbridge"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var script strings.Builder
	script.WriteString("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n")
	built := false
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "go build -o bin/jobbridge ./cmd/jobbridge") {
			built = true
			continue
		}
		script.WriteString(strings.ReplaceAll(line, "localhost:8080", addr) + "\n")
	}
	if !built {
		t.Fatal("the block does not build bin/jobbridge first (go build -o bin/jobbridge ./cmd/jobbridge)")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JOBBRIDGE_ADDR="+addr, "JOBBRIDGE_METRICS_ADDR=127.0.0.1:0",
		"JOBBRIDGE_ADMIN_PASSWORD=try-it-admin-password", "JOBBRIDGE_LOG_LEVEL=warn")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever the block left running
	}
	if err != nil {
		t.Fatalf("the block failed after %s: %v\n%s", time.Since(start).Round(time.Second), err, out)
	}
	t.Logf("ran in %s; last lines:\n%s", time.Since(start).Round(time.Second), lastLines(string(out), 6))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
