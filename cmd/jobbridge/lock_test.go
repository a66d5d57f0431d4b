package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// TestSecondProcessIsToldAtOnce: while a server runs on a data dir, a second
// serve and a reindex end within a second, saying who holds the data dir and
// what to do, and an import and an export go through the server's control
// socket. The reindex leaves the server's index alone, so the server starts
// again afterwards (it failed on "error parsing mapping JSON" when reindex
// removed the index under it, and the others waited on the index's own file
// lock for ever).
func TestSecondProcessIsToldAtOnce(t *testing.T) {
	t.Setenv("JOBBRIDGE_ADMIN_PASSWORD", "admin-password-1")
	dir := t.TempDir()
	data := writeDataset(t, fixtures.Generate(5, fixtures.Counts{Seekers: 20, Posts: 20, Classes: 2}))
	if err := run(context.Background(), []string{"import", "--data-dir", dir, "--log-level", "warn", data}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	_, stop := startServe(t, dir, "--fixtures", "off")
	pid := fmt.Sprintf("pid %d", os.Getpid())
	for _, c := range []struct {
		args    []string
		refused string // what the message says, or "" when the command goes through the server
	}{
		{[]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", ""}, "one server per data dir"},
		{[]string{"reindex"}, "stop the server first"},
		{[]string{"import", data}, ""},
		{[]string{"export", "--kind", "post"}, ""},
	} {
		t.Run(c.args[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				done <- run(ctx, append([]string{c.args[0], "--data-dir", dir, "--log-level", "warn"}, c.args[1:]...), io.Discard, io.Discard)
			}()
			select {
			case err := <-done:
				took := time.Since(start)
				t.Logf("%v: %v", took.Round(time.Millisecond), err)
				if c.refused == "" {
					if err != nil {
						t.Fatalf("through the server: %v", err)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), "jobbridge serve ("+pid) || !strings.Contains(err.Error(), c.refused) {
					t.Fatalf("error %v, want one naming the server (%s) and saying %q", err, pid, c.refused)
				}
				if took > time.Second {
					t.Errorf("answered after %v", took)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still waiting after 10 s")
			}
		})
	}
	stop()
	// The server's index survived: it starts again and finds the posts.
	_, stop = startServe(t, dir, "--fixtures", "off")
	stop()
	a := mustOpen(t, testConfigOn(dir))
	defer a.close(context.Background())
	res, err := a.index.Search(context.Background(), engine.SearchQuery{Type: engine.KindPost, Limit: 1})
	if err != nil || res.Total != 20 {
		t.Fatalf("after the refused reindex: %v, %d posts indexed, want 20", err, res.Total)
	}
}

// testConfigOn is testConfig over an existing data dir.
func testConfigOn(dir string) config { return config{DataDir: dir, Fixtures: "off", LogLevel: "warn"} }

// TestImportStopsOnSignal: SIGTERM (then SIGINT) in the middle of a large
// import ends the process within seconds with a non-zero status and a message
// saying how to finish. What it wrote is whole: the index is never ahead of
// the store (a batch the store took as the signal came may not be indexed
// yet), the next start brings the index level with the store, and importing
// the file again completes it.
func TestImportStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a large file in a child process")
	}
	d := fixtures.Generate(9, fixtures.Counts{Seekers: 1500, Posts: 1500, Classes: 20})
	data := writeDataset(t, d)
	all := len(d.Skills) + len(d.Employers) + len(d.Seekers) + len(d.Posts) + len(d.Classes)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			p := startProcess(t, nil, "import", "--data-dir", dir, "--log-level", "info", data)
			p.waitFor(t, "msg=loaded", 60*time.Second)
			time.Sleep(500 * time.Millisecond)
			took := p.signal(t, sig, 10*time.Second)
			code := p.exitCode()
			t.Logf("%v: exit %d after %v", sig, code, took.Round(time.Millisecond))
			if code == 0 || !strings.Contains(p.out.String(), "import interrupted after") {
				t.Fatalf("exit %d, output:\n%s", code, p.out)
			}
			if took > 5*time.Second {
				t.Errorf("took %v to stop", took)
			}
			ctx := context.Background()
			a, err := open(ctx, testConfigOn(dir), quiet) // no Load: the index as the import left it
			if err != nil {
				t.Fatal(err)
			}
			left := countIndexed(t, a)
			a.close(ctx)
			a = mustOpen(t, testConfigOn(dir)) // a start: Load applies what the index lacks
			started := countIndexed(t, a)
			a.close(ctx)
			if left.stored == 0 || left.stored >= all {
				t.Fatalf("%d of %d records stored: not interrupted in the middle", left.stored, all)
			}
			t.Logf("%d of %d records stored when interrupted; index at rev %d of %d", left.stored, all, left.lastRev, left.maxRev)
			for _, k := range engine.IndexedKinds {
				if left.indexed[k] > left.byKind[k] || started.indexed[k] != started.byKind[k] {
					t.Errorf("%s: %d stored, %d indexed as left, %d after a start", k, left.byKind[k], left.indexed[k], started.indexed[k])
				}
			}
			if left.lastRev > left.maxRev || started.lastRev != started.maxRev {
				t.Errorf("index last rev %d as left, %d after a start; store's %d", left.lastRev, started.lastRev, left.maxRev)
			}
			if sig != syscall.SIGTERM {
				return
			}
			if err := run(ctx, []string{"import", "--data-dir", dir, "--log-level", "warn", data}, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			a = mustOpen(t, testConfigOn(dir))
			defer a.close(ctx)
			if again := countIndexed(t, a); again.stored != all || again.indexed[engine.KindPost] != len(d.Posts) {
				t.Fatalf("after importing again: %d records, %d posts indexed; want %d, %d", again.stored, again.indexed[engine.KindPost], all, len(d.Posts))
			}
		})
	}
}

// indexCounts is what the store and the index of an app hold.
type indexCounts struct {
	stored          int
	byKind, indexed map[engine.Kind]int
	lastRev, maxRev int64 // the index's mark, the highest rev of an indexed kind stored
}

func countIndexed(t *testing.T, a *app) indexCounts {
	t.Helper()
	ctx := context.Background()
	c := indexCounts{byKind: map[engine.Kind]int{}, indexed: map[engine.Kind]int{}}
	c.lastRev, _ = a.index.LastRev()
	for _, k := range engine.Kinds {
		if err := a.store.Each(ctx, k, 0, func(r engine.Record) error {
			c.byKind[k]++
			if slices.Contains(engine.IndexedKinds, k) {
				c.maxRev = max(c.maxRev, r.RecordMeta().Rev)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		c.stored += c.byKind[k]
	}
	for _, k := range engine.IndexedKinds {
		res, err := a.index.Search(ctx, engine.SearchQuery{Type: k, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		c.indexed[k] = int(res.Total)
	}
	return c
}

// TestLockFile: the lock names its holder while held and, released, lets the
// next process take it (a kill -9'd holder releases it with its file
// descriptors: the crash test restarts serve after one).
func TestLockFile(t *testing.T) {
	dir := t.TempDir()
	l, err := lockDataDir(dir, "import")
	if err != nil {
		t.Fatal(err)
	}
	_, err = lockDataDir(dir, "serve")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("jobbridge import (pid %d", os.Getpid())) {
		t.Fatalf("second lock: %v", err)
	}
	if msg := refuseBusy("export", err).Error(); !strings.Contains(msg, "wait for it to finish") {
		t.Errorf("advice: %s", msg)
	}
	if err := l.release(); err != nil {
		t.Fatal(err)
	}
	l, err = lockDataDir(dir, "serve")
	if err != nil {
		t.Fatal(err)
	}
	l.release()
	if info, err := os.Stat(filepath.Join(dir, lockFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v %v", info, err)
	}
}
