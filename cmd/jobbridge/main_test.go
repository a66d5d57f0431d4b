package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
	"jobbridge/fixtures"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func testConfig(t *testing.T) config {
	t.Helper()
	return config{DataDir: t.TempDir(), Fixtures: "off", LogLevel: "warn"}
}

// writeDataset writes a generated dataset as an NDJSON file and returns its path.
func writeDataset(t *testing.T, d *fixtures.Dataset) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteNDJSON(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// writeHistory writes a dataset's history as an NDJSON file beside its
// records, with the street counsellors it names, and returns its path.
func writeHistory(t *testing.T, h *fixtures.History) string {
	t.Helper()
	var b bytes.Buffer
	for _, st := range engine.StreetCodes {
		fmt.Fprintf(&b, `{"kind":"user","id":%q,"username":"counsellor-%s","role":"counsellor","street":%q,"password":"history-test-1"}`+"\n",
			fixtures.CounsellorUserID(st), st, st)
	}
	if err := h.WriteNDJSON(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "history.ndjson")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// exportAll exports every kind, one NDJSON blob per kind.
func exportAll(t *testing.T, a *app) map[engine.Kind]string {
	t.Helper()
	out := map[engine.Kind]string{}
	for _, k := range engine.ImportKinds {
		var buf bytes.Buffer
		if _, err := export(context.Background(), a.store, k, &buf); err != nil {
			t.Fatal(err)
		}
		out[k] = buf.String()
	}
	return out
}

// withoutRevisions drops the fields a store stamps (rev, createdAt, updatedAt) and sorts the lines.
func withoutRevisions(t *testing.T, ndjson string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(ndjson), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "rev")
		delete(m, "createdAt")
		delete(m, "updatedAt")
		if item, ok := m["item"].(map[string]any); ok { // an inbox item
			delete(item, "rev")
		}
		b, _ := json.Marshal(m)
		lines = append(lines, string(b))
	}
	sort.Strings(lines)
	return lines
}

func mustOpen(t *testing.T, cfg config) *app {
	t.Helper()
	a, err := open(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.load(context.Background()); err != nil {
		a.close(context.Background())
		t.Fatal(err)
	}
	return a
}

func TestRestartKeepsDataAndExportImportReproducesIt(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	d := fixtures.Generate(7, fixtures.Counts{Seekers: 120, Posts: 150, Classes: 12})
	h := fixtures.MakeHistory(d, fixtures.HistorySpec{AsOf: time.Now().In(engine.Shanghai).Format(time.DateOnly), Seed: 7, PlacementsPerStreet: 2})
	path, hist := writeDataset(t, d), writeHistory(t, h)

	a := mustOpen(t, cfg)
	st, err := importPaths(ctx, a.svc, a.lrs, path, hist)
	if err != nil {
		t.Fatal(err)
	}
	want := len(d.Skills) + len(d.Employers) + len(d.Seekers) + len(d.Posts) + len(d.Classes) + len(engine.StreetCodes) +
		len(h.Enrollments) + len(h.Statements) + len(h.Referrals) + len(h.Placements) + len(h.Inbox)
	if st.Records != want || len(h.Placements) == 0 || len(h.Statements) == 0 {
		t.Fatalf("imported %d records, want %d (%d placements, %d statements)", st.Records, want, len(h.Placements), len(h.Statements))
	}
	before := exportAll(t, a)
	a.close(ctx)

	a = mustOpen(t, cfg)
	after := exportAll(t, a)
	a.close(ctx)
	for _, k := range engine.ImportKinds {
		if before[k] != after[k] {
			t.Errorf("%s changed across a restart", k)
		}
	}

	// Export from A, import into a fresh data dir B: the same records.
	dump := filepath.Join(t.TempDir(), "dump")
	os.MkdirAll(dump, 0o700)
	for i, k := range engine.ImportKinds {
		os.WriteFile(filepath.Join(dump, fmt.Sprintf("%02d-%s.ndjson", i, k)), []byte(before[k]), 0o600)
	}
	b := mustOpen(t, testConfig(t))
	defer b.close(ctx)
	if _, err := importPaths(ctx, b.svc, b.lrs, dump); err != nil {
		t.Fatal(err)
	}
	again := exportAll(t, b)
	for _, k := range engine.ImportKinds {
		x, y := withoutRevisions(t, before[k]), withoutRevisions(t, again[k])
		if strings.Join(x, "\n") != strings.Join(y, "\n") {
			t.Errorf("%s: export → import → export differs (%d vs %d records)", k, len(x), len(y))
		}
	}
	// Importing the same file again changes nothing but revisions.
	if _, err := importPaths(ctx, b.svc, b.lrs, dump); err != nil {
		t.Fatal(err)
	}
	twice := exportAll(t, b)
	for _, k := range engine.ImportKinds {
		if strings.Join(withoutRevisions(t, again[k]), "\n") != strings.Join(withoutRevisions(t, twice[k]), "\n") {
			t.Errorf("%s: a second import changed records", k)
		}
	}
}

func TestRestartAppliesOnlyTheDeltaToTheIndex(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	d := fixtures.Generate(11, fixtures.Counts{Seekers: 40, Posts: 60, Classes: 5})
	path := writeDataset(t, d)
	a := mustOpen(t, cfg)
	if _, err := importPaths(ctx, a.svc, a.lrs, path); err != nil {
		t.Fatal(err)
	}
	a.close(ctx)

	// Another writer (here: the store alone, no index) adds two posts while the service is down.
	db, err := embedded.Start(ctx, cfg.DataDir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := store.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "secret.key"))
	cipher, _ := store.NewCipher(key)
	st, err := store.Open(ctx, db.URI(), cipher, quiet)
	if err != nil {
		t.Fatal(err)
	}
	var maxRev int64
	for i, title := range []string{"离线写入的面点岗位", "离线写入的数据录入岗位"} {
		p := d.Posts[i]
		p.ID = fmt.Sprintf("p-offline-%d", i)
		p.Title = title
		if err := st.Create(ctx, engine.KindPost, &p); err != nil {
			t.Fatal(err)
		}
		maxRev = p.Rev
	}
	st.Close(ctx)
	db.Close()

	a, err = open(ctx, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close(ctx)
	last, _ := a.index.LastRev()
	if last >= maxRev {
		t.Fatalf("index last rev %d is not behind the store's %d", last, maxRev)
	}
	stats, err := a.svc.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.IndexApplied != 2 {
		t.Errorf("restart applied %d records to the index, want only the 2 new ones", stats.IndexApplied)
	}
	if last, _ := a.index.LastRev(); last != maxRev {
		t.Errorf("index last rev %d, want %d", last, maxRev)
	}
	res, err := a.index.Search(ctx, engine.SearchQuery{Type: engine.KindPost, Text: "离线写入"})
	if err != nil || res.Total != 2 {
		t.Fatalf("offline posts not searchable: %v %+v", err, res)
	}
}

func TestReindexRebuildsFromTheStore(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	d := fixtures.Generate(3, fixtures.Counts{Seekers: 30, Posts: 40, Classes: 4})
	path := writeDataset(t, d)
	args := []string{"--data-dir", cfg.DataDir, "--log-level", "warn"}
	if err := run(ctx, append([]string{"import"}, append(args, path)...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append([]string{"reindex"}, args...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, append([]string{"export", "--kind", "employers"}, args...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != len(d.Employers) {
		t.Errorf("export wrote %d employers, want %d", n, len(d.Employers))
	}
	a := mustOpen(t, cfg)
	defer a.close(ctx)
	res, err := a.index.Search(ctx, engine.SearchQuery{Type: engine.KindPost, Limit: 1})
	if err != nil || res.Total != uint64(len(d.Posts)) {
		t.Fatalf("after reindex %d posts indexed, want %d (%v)", res.Total, len(d.Posts), err)
	}
}

func TestCommandLine(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "jobbridge") {
		t.Errorf("version: %v %q", err, out.String())
	}
	for _, cmd := range []string{"serve", "import", "export", "reindex"} {
		var errOut bytes.Buffer
		if err := run(context.Background(), []string{cmd, "--help"}, io.Discard, &errOut); err == nil || !strings.Contains(errOut.String(), "-data-dir") {
			t.Errorf("%s --help: %v %q", cmd, err, errOut.String())
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard); err == nil {
		t.Error("unknown command accepted")
	}
	if err := run(context.Background(), []string{"serve", "--fixtures", "maybe"}, io.Discard, io.Discard); err == nil {
		t.Error("bad --fixtures accepted")
	}
	t.Setenv("JOBBRIDGE_DATA_DIR", "/from/env")
	var c config
	fs := newFlagSet()
	c.bind(fs, true)
	fs.Parse(nil)
	if c.DataDir != "/from/env" {
		t.Errorf("env override: data dir %q", c.DataDir)
	}
	fs = newFlagSet()
	c.bind(fs, true)
	fs.Parse([]string{"--data-dir", "/from/flag"})
	if c.DataDir != "/from/flag" {
		t.Errorf("flag over env: data dir %q", c.DataDir)
	}
	if got := maskURI("mongodb://app:s3cret@db:27017/jobbridge"); strings.Contains(got, "s3cret") {
		t.Errorf("mongo URI not masked: %s", got)
	}
}

// TestServeDemo starts the service as `go run ./cmd/jobbridge` does, on the
// demo data, and checks what the Foundation issue's "done shows" names.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo data")
	}
	t.Setenv("JOBBRIDGE_ADMIN_PASSWORD", "admin-password-1")
	start := time.Now()
	base, stop := startServe(t, t.TempDir())
	t.Logf("cold start to ready with the demo data: %v", time.Since(start).Round(time.Millisecond))

	login := func(user, pw string) string {
		res, err := http.Post(base+"/api/v1/auth/login", "application/json",
			strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, pw)))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct{ Token string }
		json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode != 200 || out.Token == "" {
			t.Fatalf("login %s: %d", user, res.StatusCode)
		}
		return out.Token
	}
	login("admin", "admin-password-1")
	tok := login("demo-counsellor", fixtures.DemoPassword)
	req, _ := http.NewRequest("GET", base+"/api/v1/search?q=%E9%9D%A2%E7%82%B9&type=posts&limit=10", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var found struct {
		Results []struct{ Title string }
	}
	json.NewDecoder(res.Body).Decode(&found)
	res.Body.Close()
	if len(found.Results) < 5 {
		t.Fatalf("search 面点: %d results", len(found.Results))
	}
	for _, r := range found.Results[:5] {
		if !strings.Contains(r.Title, "面点") {
			t.Errorf("search 面点: %q ranks among the first five", r.Title)
		}
	}
	stop()
}

// startServe runs `jobbridge serve [args]` on a free loopback port over dir, as
// `go run ./cmd/jobbridge` does, and returns once /readyz answers 200 (within
// 60 s). stop cancels it and fails the test unless it shuts down gracefully
// within 30 s.
func startServe(t *testing.T, dir string, args ...string) (base string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr, "--metrics-addr", "127.0.0.1:0", "--data-dir", dir, "--log-level", "warn"}, args...), io.Discard, io.Discard)
	}()
	base = "http://" + addr
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped before it was ready: %v", err)
		default:
		}
		if time.Since(start) > 60*time.Second {
			t.Fatal("not ready within 60 s")
		}
	}
	return base, func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("serve returned %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no graceful shutdown within 30 s")
		}
	}
}
