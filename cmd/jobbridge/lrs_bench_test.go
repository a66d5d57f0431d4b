package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// lrsBenchN is how many statements BenchmarkLRSStored stores
// (JOBBRIDGE_LRS_BENCH_N, default 100,000; the issue's figure is 1,000,000).
func lrsBenchN() int {
	if n, err := strconv.Atoi(os.Getenv("JOBBRIDGE_LRS_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// benchStatement is statement i of a synthetic LMS: 25,000 learners (mbox),
// 2,000 activities under 100 courses, five verbs.
func benchStatement(i int) string {
	verbs := []string{"progressed", "completed", "experienced", "answered", "passed"}
	return fmt.Sprintf(`{"id":"%08x-0000-4000-8000-%012d","actor":{"objectType":"Agent","name":"学员 %d","mbox":"mailto:learner%d@lms.example.cn"},`+
		`"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":%q}},"object":{"id":"https://lms.example.cn/course/%d/au/%d",`+
		`"definition":{"name":{"zh-CN":"单元 %d"}}},"context":{"registration":"%08x-0000-4000-8000-000000000000",`+
		`"contextActivities":{"parent":[{"id":"https://lms.example.cn/course/%d"}]}},"result":{"score":{"scaled":0.%d},"duration":"PT%dM"},`+
		`"timestamp":"2026-09-01T10:00:00+08:00"}`,
		i/1_000_000_000, i, i%25_000, i%25_000, verbs[i%5], verbs[i%5], i%100, i%2_000, i%2_000, i%25_000, i%100, i%10, 1+i%59)
}

// fillLRS stores n statements in batches of 500 through the LRS (as a POST would).
func fillLRS(tb testing.TB, a *app, from, n int) {
	tb.Helper()
	admin := engine.LRSClient{User: &engine.User{Meta: engine.Meta{ID: "u-admin"}, Username: "admin", Role: engine.RoleAdmin}, HomePage: "http://bench/"}
	for start := from; start < from+n; start += 500 {
		parts := make([]string, 0, 500)
		for i := start; i < min(start+500, from+n); i++ {
			parts = append(parts, benchStatement(i))
		}
		v, err := xapi.Decode([]byte("[" + strings.Join(parts, ",") + "]"))
		if err != nil {
			tb.Fatal(err)
		}
		in, _ := engine.StatementsIn(v)
		if _, err := a.lrs.Record(context.Background(), admin, in); err != nil {
			tb.Fatal(err)
		}
	}
}

// timeStart opens and loads the app on dir as serve does, and answers how long it took.
func timeStart(tb testing.TB, cfg config) (*app, time.Duration) {
	tb.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	start := time.Now()
	a, err := open(context.Background(), cfg, quiet)
	if err != nil {
		tb.Fatal(err)
	}
	opened := time.Since(start)
	if err := a.load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("start-up: open %s, load %s", opened.Round(time.Millisecond), (time.Since(start) - opened).Round(time.Millisecond))
	if _, err := a.ensureAdmin(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return a, time.Since(start)
}

// BenchmarkLRSStored stores N statements on the embedded database, then
// measures, on the same machine in the same run: the start-up with them
// against the start-up of an empty data dir; GET /xapi/statements by agent
// and by activity (limit 10) over HTTP, p50 and p90 of 200 requests.
//
//	JOBBRIDGE_LRS_BENCH_N=1000000 go test ./cmd/jobbridge -run '^$' -bench LRSStored -benchtime 1x -timeout 3h
func BenchmarkLRSStored(b *testing.B) {
	n := lrsBenchN()
	ctx := context.Background()
	emptyCfg := config{DataDir: b.TempDir(), Fixtures: "off", LogLevel: "warn", AdminPassword: "bench-password-1"}
	empty, _ := timeStart(b, emptyCfg) // the first open creates the key file and collections
	empty.close(ctx)
	_, emptyStart := timeStart(b, emptyCfg)

	cfg := config{DataDir: b.TempDir(), Fixtures: "off", LogLevel: "warn", AdminPassword: "bench-password-1"}
	a, _ := timeStart(b, cfg)
	fillStart := time.Now()
	fillLRS(b, a, 0, n)
	fill := time.Since(fillStart)
	a.close(ctx)
	a, fullStart := timeStart(b, cfg)
	defer a.close(ctx)
	b.Logf("%d statements stored in %s (%.0f/s); start-up: %s empty, %s with them", n, fill.Round(time.Millisecond),
		float64(n)/fill.Seconds(), emptyStart.Round(time.Millisecond), fullStart.Round(time.Millisecond))

	srv := httptest.NewServer(api.New(api.Config{Service: a.svc, LRS: a.lrs, Matcher: a.matcher}).Handler())
	defer srv.Close()
	admin, ok := a.svc.User("u-admin")
	if !ok {
		b.Fatal("no admin")
	}
	cred, secret, err := a.lrs.IssueCredential(ctx, admin, "bench", "u-admin")
	if err != nil {
		b.Fatal(err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.Key+":"+secret))
	get := func(query string) time.Duration {
		req, _ := http.NewRequest("GET", srv.URL+"/xapi/statements?limit=10&"+query, nil)
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		t0 := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `"statements":[{`) {
			b.Fatalf("%s: %d %.200s", query, res.StatusCode, body)
		}
		return time.Since(t0)
	}
	measure := func(name string, query func(i int) string) {
		var ds []time.Duration
		for i := range 200 {
			ds = append(ds, get(query(i*7919)))
		}
		slices.Sort(ds)
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(ds[len(ds)*9/10].Microseconds())/1000, name+"-p90-ms")
	}
	b.ResetTimer()
	for range b.N {
		measure("agent", func(i int) string {
			return "agent=" + url.QueryEscape(fmt.Sprintf(`{"mbox":"mailto:learner%d@lms.example.cn"}`, i%min(n, 25_000)))
		})
		measure("activity", func(i int) string {
			return "activity=" + url.QueryEscape(fmt.Sprintf("https://lms.example.cn/course/%d/au/%d", i%100, i%min(n, 2_000)))
		})
		measure("related-activity", func(i int) string {
			return "related_activities=true&activity=" + url.QueryEscape(fmt.Sprintf("https://lms.example.cn/course/%d", i%100))
		})
		measure("all", func(int) string { return "ascending=false" })
	}
	// After the loop: ResetTimer drops the metrics reported before it.
	b.ReportMetric(float64(n)/fill.Seconds(), "fill-statements/s")
	b.ReportMetric(float64(emptyStart.Milliseconds()), "start-empty-ms")
	b.ReportMetric(float64(fullStart.Milliseconds()), "start-stored-ms")
}

// BenchmarkLRSIngest posts batches of 100 statements to POST /xapi/statements
// over HTTP with an LRS credential, on the embedded database: statements/s.
//
//	go test ./cmd/jobbridge -run '^$' -bench LRSIngest -benchtime 100x
func BenchmarkLRSIngest(b *testing.B) {
	ctx := context.Background()
	a, _ := timeStart(b, config{DataDir: b.TempDir(), Fixtures: "off", LogLevel: "warn", AdminPassword: "bench-password-1"})
	defer a.close(ctx)
	srv := httptest.NewServer(api.New(api.Config{Service: a.svc, LRS: a.lrs, Matcher: a.matcher}).Handler())
	defer srv.Close()
	admin, _ := a.svc.User("u-admin")
	cred, secret, err := a.lrs.IssueCredential(ctx, admin, "bench", "u-admin")
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([]string, b.N)
	for i := range bodies {
		parts := make([]string, 100)
		for k := range parts {
			parts[k] = benchStatement(i*100 + k)
		}
		bodies[i] = "[" + strings.Join(parts, ",") + "]"
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		req, _ := http.NewRequest("POST", srv.URL+"/xapi/statements", strings.NewReader(bodies[i]))
		req.SetBasicAuth(cred.Key, secret)
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%d %s", res.StatusCode, out)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*100)/elapsed.Seconds(), "statements/s")
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "ms/batch")
}
