package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// TestStartReconcilesIndexTail: a record stored with a rev below the index's
// last rev and never applied to it (what a kill -9 between a slow write's
// commit and its apply leaves, while a faster write with a higher rev was
// applied) is in the index after the next start, and `check` says so: before
// the start it names the record. Before the reconcile a start skipped it for
// good.
func TestStartReconcilesIndexTail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := fixtures.Generate(5, fixtures.Counts{Seekers: 6, Posts: 4, Classes: 1})
	lost := d.Seekers[5]
	d.Seekers = d.Seekers[:5]
	data := writeDataset(t, d)
	if err := run(ctx, []string{"import", "--data-dir", dir, "--log-level", "warn", data}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	a := mustOpen(t, testConfigOn(dir))
	if err := a.store.Create(ctx, engine.KindSeeker, &lost); err != nil { // stored, never applied
		t.Fatal(err)
	}
	later := d.Seekers[1]
	if _, err := a.svc.Put(ctx, engine.KindSeeker, &later); err != nil { // a higher rev, applied: the mark passes the lost one
		t.Fatal(err)
	}
	a.close(ctx)

	var out bytes.Buffer
	err := run(ctx, []string{"check", "--data-dir", dir, "--log-level", "warn"}, &out, &bytes.Buffer{})
	if err == nil || !strings.Contains(out.String(), "seeker "+lost.ID) {
		t.Fatalf("check before the start: err %v, want it to name seeker %s:\n%s", err, lost.ID, out.String())
	}
	a = mustOpen(t, testConfigOn(dir)) // a start: Load
	a.close(ctx)
	out.Reset()
	if err := run(ctx, []string{"check", "--data-dir", dir, "--log-level", "warn"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("check after the start: %v\n%s", err, out.String())
	}
}

// TestCrashDuringWriteBurst kills serve with SIGKILL in the middle of a burst
// of concurrent writes, restarts it, and requires `check` (store, index and
// memory of the running server) to be clean and every acknowledged write to
// be in the store, the index and the matching state. Bounded: 5 rounds of at
// most 400 writes over the data dir's Unix control socket, each killed 1-3 s
// into its burst; the whole test takes well under two minutes.
func TestCrashDuringWriteBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("kills serve child processes")
	}
	const rounds, perRound, workers = 5, 400, 8
	dir := t.TempDir()
	d := fixtures.Generate(11, fixtures.Counts{Seekers: rounds * perRound, Posts: 60, Classes: 4})
	var buf bytes.Buffer
	if err := d.WriteNDJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var base, seekers []string
	seekerID := map[string]string{} // line -> id
	for line := range strings.Lines(buf.String()) {
		var h struct {
			Kind engine.Kind `json:"kind"`
			ID   string      `json:"id"`
		}
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatal(err)
		}
		if h.Kind == engine.KindSeeker {
			seekers = append(seekers, line)
			seekerID[line] = h.ID
		} else {
			base = append(base, line)
		}
	}
	sock := filepath.Join(dir, controlSocket)
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var dl net.Dialer
			return dl.DialContext(ctx, "unix", sock)
		}}}
	post := func(body string) error {
		res, err := client.Post("http://jobbridge/import?name=burst", "application/x-ndjson", strings.NewReader(body))
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	_, p := startServeProcess(t, dir)
	if err := post(strings.Join(base, "")); err != nil {
		t.Fatal(err)
	}
	var acked []string
	rng := rand.New(rand.NewPCG(11, 6))
	for round := range rounds {
		lines := seekers[round*perRound : (round+1)*perRound]
		var (
			mu   sync.Mutex
			next atomic.Int64
			wg   sync.WaitGroup
		)
		for range workers {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(lines)); i = next.Add(1) - 1 {
					if post(lines[i]) != nil {
						return // the server is gone
					}
					mu.Lock()
					acked = append(acked, seekerID[lines[i]])
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(1000+rng.IntN(2000)) * time.Millisecond)
		p.signal(t, 9, 10*time.Second)
		wg.Wait()
		t.Logf("round %d: killed with %d of %d writes acknowledged so far", round+1, len(acked), perRound*(round+1))
		_, p = startServeProcess(t, dir)
		var out bytes.Buffer
		if err := run(context.Background(), []string{"check", "--data-dir", dir}, &out, &bytes.Buffer{}); err != nil {
			t.Fatalf("round %d: check: %v\n%s", round+1, err, out.String())
		}
		if !strings.Contains(out.String(), "memory") || strings.Contains(out.String(), "no server running") {
			t.Fatalf("round %d: check did not go through the server:\n%s", round+1, out.String())
		}
	}
	// Every acknowledged write is in the store (export through the server);
	// check above found each stored seeker in the index and in memory.
	var exp bytes.Buffer
	if err := run(context.Background(), []string{"export", "--kind", "seeker", "--data-dir", dir}, &exp, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	sc := bufio.NewScanner(&exp)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var h struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		stored[h.ID] = true
	}
	for _, id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged seeker %s is not in the store", id)
		}
	}
	if len(acked) == 0 || len(acked) == rounds*perRound {
		t.Fatalf("%d of %d writes acknowledged: the kills did not land inside the bursts", len(acked), rounds*perRound)
	}
	t.Logf("%d rounds, %d acknowledged writes, all in store, index and memory; %d stored", rounds, len(acked), len(stored))
}
