package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// guesses counts the wrong-password logins of a phase by their answer:
// checked (401: the password was hashed and compared) or refused by the
// login limits (429, or 503 when no hasher was free).
type guesses struct {
	sent, checked, refused, other int
	elapsed                       time.Duration
}

// guess runs n clients that send logins with wrong passwords, one at a time
// each, until stop is closed; client c guesses for the account guess-c (all
// from this machine's loopback address, as one attacker would).
func guess(ctx context.Context, base string, n int, stop <-chan struct{}) *guesses {
	tr := &http.Transport{MaxIdleConns: n, MaxIdleConnsPerHost: n, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		mu  sync.Mutex
		g   = &guesses{}
		wg  sync.WaitGroup
		t0  = time.Now()
		url = strings.TrimSuffix(base, "/") + "/api/v1/auth/login"
	)
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body, _ := json.Marshal(map[string]string{"username": fmt.Sprintf("guess-%d", c), "password": fmt.Sprintf("wrong-%d", i)})
				req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
				if err != nil {
					return
				}
				req.Header.Set("Content-Type", "application/json")
				status := 0
				if res, err := client.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				mu.Lock()
				g.sent++
				switch status {
				case http.StatusUnauthorized:
					g.checked++
				case http.StatusTooManyRequests, http.StatusServiceUnavailable:
					g.refused++
				default:
					g.other++
				}
				mu.Unlock()
			}
		}()
	}
	<-stop
	wg.Wait()
	g.elapsed = time.Since(t0)
	return g
}

// phase is one measurement of the matches load, alone or while guessers run.
type phase struct {
	name    string
	matches *report
	guesses *guesses // nil when alone
}

// underGuessing measures the matches load on base while n clients guess
// passwords there too.
func underGuessing(ctx context.Context, l load, n int) (*report, *guesses) {
	stop := make(chan struct{})
	done := make(chan *guesses, 1)
	go func() { done <- guess(ctx, l.base, n, stop) }()
	rep := drive(ctx, l)
	close(stop)
	return rep, <-done
}

// printPhases writes one line per phase: matches req/s and latency, and the
// guesses sent, checked and refused per second.
func printPhases(w io.Writer, phases []phase) {
	fmt.Fprintf(w, "%-40s %10s %10s %10s %7s %10s %10s %10s\n", "phase", "matches/s", "p50 ms", "p99 ms", "errors", "guesses/s", "checked/s", "refused/s")
	base := 0.0
	for i, p := range phases {
		secs := p.matches.elapsed.Seconds()
		rps := float64(p.matches.requests) / max(secs, 1e-9)
		if i == 0 {
			base = rps
		}
		ms := func(q float64) float64 { return float64(quantile(p.matches.latencies, q)) / 1e6 }
		line := fmt.Sprintf("%-40s %10.1f %10.2f %10.2f %7d", p.name, rps, ms(0.5), ms(0.99), p.matches.errors)
		if g := p.guesses; g != nil {
			gs := g.elapsed.Seconds()
			line += fmt.Sprintf(" %10.1f %10.1f %10.1f", float64(g.sent)/gs, float64(g.checked)/gs, float64(g.refused)/gs)
			if g.other > 0 {
				line += fmt.Sprintf("  (%d other answers)", g.other)
			}
		}
		if i > 0 && base > 0 {
			line += fmt.Sprintf("  matches %+.0f%%", 100*(rps/base-1))
		}
		fmt.Fprintln(w, line)
	}
}
