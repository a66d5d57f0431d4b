package search

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// benchIndex is a generated set of posts indexed once per test process, in a
// temporary directory that TestMain removes: building 100,000 posts takes
// minutes, and -count runs the benchmark function again.
type benchIndex struct {
	ix        *Index
	dir       string
	posts     int
	diskBytes int64
	build     time.Duration
	segments  any // segments at the root once the merger settled
	err       error
}

var (
	benchOnce sync.Once
	bench     *benchIndex
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bench != nil && bench.ix != nil {
		bench.ix.Close()
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchPosts indexes n generated posts (fixtures.Generate, seed 42), filed
// under their employers' streets and findable by their skills' names.
func benchPosts(tb testing.TB, n int) *benchIndex {
	tb.Helper()
	benchOnce.Do(func() {
		bench = &benchIndex{posts: n}
		bench.dir, bench.err = os.MkdirTemp("", "jobbridge-search-bench-")
		if bench.err != nil {
			return
		}
		bench.ix, bench.err = Open(filepath.Join(bench.dir, "index"))
		if bench.err != nil {
			return
		}
		d := fixtures.Generate(42, fixtures.Counts{Posts: n})
		street := make(map[string]string, len(d.Employers))
		for _, e := range d.Employers {
			street[e.ID] = e.Street
		}
		names := make(map[string][2]string, len(d.Skills))
		for _, s := range d.Skills {
			names[s.Code] = [2]string{s.Zh, s.En}
		}
		bench.ix.EmployerStreet = func(id string) string { return street[id] }
		bench.ix.SkillNames = func(code string) (string, string) { return names[code][0], names[code][1] }
		start := time.Now()
		const batch = 2000
		for i := 0; i < len(d.Posts); i += batch {
			recs := make([]engine.Record, 0, batch)
			for j := i; j < min(i+batch, len(d.Posts)); j++ {
				d.Posts[j].Rev = int64(j + 1)
				recs = append(recs, &d.Posts[j])
			}
			if bench.err = bench.ix.Apply(context.Background(), engine.KindPost, recs, int64(min(i+batch, len(d.Posts)))); bench.err != nil {
				return
			}
		}
		bench.build = time.Since(start)
		bench.segments = settle(bench.ix, 2*time.Minute)
		bench.err = filepath.WalkDir(bench.dir, func(_ string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			info, err := e.Info()
			if err == nil {
				bench.diskBytes += info.Size()
			}
			return err
		})
	})
	if bench.err != nil {
		tb.Fatalf("build the benchmark index: %v", bench.err)
	}
	if bench.posts != n {
		tb.Fatalf("benchmark index holds %d posts, asked for %d", bench.posts, n)
	}
	return bench
}

// settle waits until the index's background merger and persister have
// caught up (a running service's steady state), at most max, and returns the
// number of segments then.
func settle(ix *Index, max time.Duration) any {
	stats := func() map[string]any {
		m, _ := ix.bi.StatsMap()["index"].(map[string]any)
		return m
	}
	for end := time.Now().Add(max); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if active, _ := stats()["index_bgthreads_active"].(bool); !active {
			break
		}
	}
	m := stats()
	return fmt.Sprint(m["num_root_filesegments"], " on disk + ", m["num_root_memorysegments"], " in memory")
}

// benchQueries are what a counsellor types: a Chinese trade name, filtered by
// street, work mode and status, with the facets of the search page.
var benchQueries = []engine.SearchQuery{
	{Text: "面点师", Street: "xujiahui", WorkMode: "onsite", Status: "open"},
	{Text: "客服", WorkMode: "remote", Status: "open"},
	{Text: "数据录入", Street: "tianlin", Status: "open"},
	{Text: "按摩师", Street: "longhua", WorkMode: "onsite", Status: "open"},
	{Text: "仓库拣货", Status: "open"},
	{Text: "包装 装配", Street: "caohejing", Status: "open"},
}

// BenchmarkSearch runs the queries in turn over generated posts, each with the
// four facets (street, work mode, status, skills) and a page of 20.
func BenchmarkSearch(b *testing.B) { benchSearch(b, true) }

// BenchmarkSearchNoFacets runs the same queries on the same index without
// facets: the baseline that shows what counting the facets costs.
func BenchmarkSearchNoFacets(b *testing.B) { benchSearch(b, false) }

func benchSearch(b *testing.B, facets bool) {
	const n = 100000
	b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
		if testing.Short() {
			b.Skip("indexing 100,000 posts takes minutes; skipped in -short mode")
		}
		w := benchPosts(b, n)
		ctx := context.Background()
		qs := make([]engine.SearchQuery, len(benchQueries))
		var hits uint64
		for i, q := range benchQueries {
			q.Type, q.Facets, q.Limit = engine.KindPost, facets, 20
			qs[i] = q
			res, err := w.ix.Search(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if res.Total == 0 || len(res.Hits) == 0 || (facets && len(res.Facets["street"]) == 0) {
				b.Fatalf("query %+v finds nothing (%d hits, facets %v): the benchmark would measure an empty search",
					q, res.Total, res.Facets)
			}
			hits += res.Total
		}
		b.Logf("index of %d posts built in %v, %.0f MB on disk, segments: %v", n, w.build.Round(time.Second),
			float64(w.diskBytes)/1e6, w.segments)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := w.ix.Search(ctx, qs[i%len(qs)]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(hits)/float64(len(qs)), "hits/query")
		b.ReportMetric(float64(w.diskBytes)/float64(n), "disk-bytes/post")
	})
}
