package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{nil, 0.5, 0},
		{ms(7), 0.99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 1, 4 * time.Millisecond},
		{ms(1, 2, 3, 4), 0, 1 * time.Millisecond},
		{ms(hundred...), 0.99, 99 * time.Millisecond},
		{ms(hundred...), 0.50, 50 * time.Millisecond},
	} {
		if got := quantile(tc.sorted, tc.q); got != tc.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tc.sorted, tc.q, got, tc.want)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	t.Parallel()
	for target, ok := range map[string]bool{
		"http://127.0.0.1:8080":   true,
		"http://127.0.0.1:8080/":  true,
		"http://[::1]:8080":       true,
		"http://localhost:8080":   true,
		"http://10.0.0.7:8080":    false,
		"http://example.com:8080": false,
		"https://127.0.0.1:8443":  false,
		"127.0.0.1:8080":          false,
		"http://127.0.0.1:8080/x": false,
	} {
		if err := checkLoopback(target); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", target, err, ok)
		}
	}
}

// TestRunInProcess runs the whole tool on a small generated world: every
// request must succeed, and -requests must bound the run.
func TestRunInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded database and imports data")
	}
	var out, errOut bytes.Buffer
	const max = 150
	err := run(context.Background(), []string{"-duration", "20s", "-warmup", "0", "-requests", strconv.Itoa(max),
		"-clients", "4", "-posts", "300", "-seekers", "40", "-classes", "10", "-data-dir", t.TempDir(), "-guessers", "2"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	t.Log(out.String())
	field := func(name string) int {
		m := regexp.MustCompile(`(?m)^` + name + `\s+(\d+)`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no %s line in:\n%s", name, out.String())
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if got := field("requests"); got != max {
		t.Errorf("measured %d requests, want the -requests maximum %d (the 20 s window outlasts it)", got, max)
	}
	if got := field("errors"); got != 0 {
		t.Errorf("%d errors", got)
	}
	if !bytes.Contains(out.Bytes(), []byte("note: the -requests maximum ended the run")) {
		t.Errorf("no note that -requests ended the run:\n%s", out.String())
	}
	if got := field("req/s"); got <= 0 {
		t.Errorf("req/s %d", got)
	}
	for _, p := range []string{"+ 2 guessers, login limits on", "+ 2 guessers, limits off (as before)"} {
		if !bytes.Contains(out.Bytes(), []byte(p)) {
			t.Errorf("no phase %q in:\n%s", p, out.String())
		}
	}
	for _, bad := range [][]string{
		{"-target", "http://10.1.2.3:8080", "-user", "u", "-password", "p"},
		{"-target", "http://127.0.0.1:1"},
		{"-clients", "0"},
	} {
		if err := run(context.Background(), bad, &out, &errOut); err == nil {
			t.Errorf("run %v: no error", bad)
		}
	}
}
