package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// load is one run: who to call, how hard and for how long.
type load struct {
	base, token      string
	seekers          []string
	limit            int
	clients          int
	warmup, duration time.Duration
	maxRequests      int
	seed             uint64
}

// report is what a run measured: requests and errors in the measured window,
// their latencies, and a few error messages.
type report struct {
	requests, errors int
	sent             int // including the warm-up
	elapsed          time.Duration
	latencies        []time.Duration // sorted
	samples          []string
	hitMax           bool
}

// drive runs the clients: each sends one request at a time until the window
// ends or the hard maximum of requests is reached.
func drive(ctx context.Context, l load) *report {
	tr := &http.Transport{MaxIdleConns: l.clients, MaxIdleConnsPerHost: l.clients, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	var (
		budget    atomic.Int64 // requests left to send
		mu        sync.Mutex
		rep       = &report{}
		wg        sync.WaitGroup
		start     = time.Now()
		measureAt = start.Add(l.warmup)
		end       = measureAt.Add(l.duration)
	)
	budget.Store(int64(l.maxRequests))
	for c := range l.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(l.seed, uint64(c)+1))
			var lat []time.Duration
			var errs int
			var samples []string
			// A request in flight when the window ends finishes (and is not counted),
			// so that the server sees no cancelled requests.
			for ctx.Err() == nil && time.Now().Before(end) && budget.Add(-1) >= 0 {
				id := l.seekers[r.IntN(len(l.seekers))]
				t0 := time.Now()
				err := matches(ctx, client, l.base, l.token, id, l.limit)
				t1 := time.Now()
				if t0.Before(measureAt) || t1.After(end) {
					continue // warm-up, or cut by the end of the window
				}
				lat = append(lat, t1.Sub(t0))
				if err != nil {
					errs++
					if len(samples) < 3 {
						samples = append(samples, err.Error())
					}
				}
			}
			mu.Lock()
			rep.latencies = append(rep.latencies, lat...)
			rep.errors += errs
			rep.samples = append(rep.samples, samples...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	finish := time.Now()
	rep.sent = l.maxRequests - int(max(budget.Load(), 0))
	rep.hitMax = rep.sent >= l.maxRequests && finish.Before(end)
	if finish.After(end) {
		finish = end
	}
	rep.elapsed = finish.Sub(measureAt)
	rep.requests = len(rep.latencies)
	slices.Sort(rep.latencies)
	if len(rep.samples) > 5 {
		rep.samples = rep.samples[:5]
	}
	return rep
}

// matches sends one matches request and checks the answer is a match response.
func matches(ctx context.Context, client *http.Client, base, token, seeker string, limit int) error {
	req, err := http.NewRequestWithContext(ctx, "GET",
		fmt.Sprintf("%s/api/v1/seekers/%s/matches?limit=%d", base, url.PathEscape(seeker), limit), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("seeker %s: read: %w", seeker, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("seeker %s: HTTP %d: %.200s", seeker, res.StatusCode, body)
	}
	if !bytes.HasPrefix(body, []byte(`{"seekerId":`)) || !bytes.Contains(body, []byte(`"excluded":`)) {
		return fmt.Errorf("seeker %s: not a match response: %.200s", seeker, body)
	}
	return nil
}

// quantile is the q-quantile (0–1) of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// print writes the report, one figure a line, then a one-line summary.
func (r *report) print(w io.Writer) {
	secs := r.elapsed.Seconds()
	rps := 0.0
	if secs > 0 {
		rps = float64(r.requests) / secs
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
	fmt.Fprintf(w, "measured   %.1f s\n", secs)
	fmt.Fprintf(w, "requests   %d (sent %d with the warm-up)\n", r.requests, r.sent)
	fmt.Fprintf(w, "req/s      %.0f\n", rps)
	fmt.Fprintf(w, "p50        %s\n", ms(quantile(r.latencies, 0.50)))
	fmt.Fprintf(w, "p90        %s\n", ms(quantile(r.latencies, 0.90)))
	fmt.Fprintf(w, "p99        %s\n", ms(quantile(r.latencies, 0.99)))
	fmt.Fprintf(w, "max        %s\n", ms(quantile(r.latencies, 1)))
	fmt.Fprintf(w, "errors     %d\n", r.errors)
	for _, s := range r.samples {
		fmt.Fprintf(w, "  error: %s\n", s)
	}
	if r.hitMax {
		fmt.Fprintln(w, "note: the -requests maximum ended the run before -duration")
	}
	fmt.Fprintf(w, "summary: %.0f req/s, p50 %s, p99 %s, %d errors of %d\n", rps,
		ms(quantile(r.latencies, 0.50)), ms(quantile(r.latencies, 0.99)), r.errors, r.requests)
}

// checkLoopback refuses a target that is not on this machine's loopback.
func checkLoopback(target string) error {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("-target %q: want http://127.0.0.1:PORT", target)
	}
	host := u.Hostname()
	addrs := []string{host}
	if net.ParseIP(host) == nil {
		if host != "localhost" {
			return fmt.Errorf("-target %q: only loopback addresses (127.0.0.1, ::1, localhost)", target)
		}
		if addrs, err = net.LookupHost(host); err != nil {
			return fmt.Errorf("-target %q: %w", target, err)
		}
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("-target %q: %s is not a loopback address", target, a)
		}
	}
	return nil
}

// login gets a bearer token.
func login(ctx context.Context, base, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(base, "/")+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("login %s: %w", user, err)
	}
	defer res.Body.Close()
	var out struct{ Token, Role string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 || out.Token == "" {
		return "", fmt.Errorf("login %s: HTTP %d", user, res.StatusCode)
	}
	if out.Role != "counsellor" && out.Role != "admin" {
		return "", fmt.Errorf("login %s: role %q, want a counsellor", user, out.Role)
	}
	return out.Token, nil
}

// listSeekers pages through GET /seekers for up to max ids the user may read.
func listSeekers(ctx context.Context, base, token string, max int) ([]string, error) {
	var ids []string
	cursor := ""
	for len(ids) < max {
		q := url.Values{"limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(base, "/")+"/api/v1/seekers?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("list seekers: %w", err)
		}
		var page struct {
			Results    []struct{ ID string }
			NextCursor string
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			return nil, fmt.Errorf("list seekers: HTTP %d", res.StatusCode)
		}
		for _, s := range page.Results {
			ids = append(ids, s.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return ids[:min(len(ids), max)], nil
}
