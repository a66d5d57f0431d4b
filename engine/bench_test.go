package engine_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// benchClock is the generator's "now": posts closing before it are expired.
type benchClock struct{}

func (benchClock) Now() time.Time { return time.Date(2026, 12, 10, 9, 0, 0, 0, engine.Shanghai) }

var benchToday = engine.Today(benchClock{})

// benchWorld is a generated data set loaded into a Matcher.
type benchWorld struct {
	m            *engine.Matcher
	posts        []*engine.Post
	seekers      []*engine.Seeker
	classes      []*engine.Class
	bytesPerPost float64
}

var (
	worldsMu sync.Mutex
	worlds   = map[fixtures.Counts]*benchWorld{}
	recalls  = map[string]float64{}
)

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// loadWorld generates (once per size) posts, seekers and classes and feeds
// them to a Matcher, measuring the heap the posts' compact form takes.
func loadWorld(tb testing.TB, c fixtures.Counts) *benchWorld {
	tb.Helper()
	worldsMu.Lock()
	defer worldsMu.Unlock()
	if w, ok := worlds[c]; ok {
		return w
	}
	d := fixtures.Generate(42, c)
	w := &benchWorld{m: engine.NewMatcher(benchClock{})}
	for i := range d.Skills {
		w.m.Upsert(&d.Skills[i])
	}
	for i := range d.Posts {
		w.posts = append(w.posts, &d.Posts[i])
	}
	for i := range d.Seekers {
		w.seekers = append(w.seekers, &d.Seekers[i])
	}
	for i := range d.Classes {
		w.classes = append(w.classes, &d.Classes[i])
	}
	before := heapInUse()
	for _, p := range w.posts {
		w.m.Upsert(p)
	}
	if len(w.posts) > 0 {
		w.bytesPerPost = float64(heapInUse()-before) / float64(len(w.posts))
	}
	for _, s := range w.seekers {
		w.m.Upsert(s)
	}
	for _, k := range w.classes {
		w.m.Upsert(k)
	}
	worlds[c] = w
	return w
}

// recallOnce computes a recall figure once per key (benchmarks run their body several times).
func recallOnce(key string, f func() float64) float64 {
	worldsMu.Lock()
	r, ok := recalls[key]
	worldsMu.Unlock()
	if ok {
		return r
	}
	r = f()
	worldsMu.Lock()
	recalls[key] = r
	worldsMu.Unlock()
	return r
}

// meterCPU starts measuring the CPU time a benchmark's loop uses; the function
// it returns reports it per operation (cpu-ns/op). On a machine others share,
// wall time (ns/op) counts the waits for a core too; CPU time does not.
func meterCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if used := processCPU() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// found counts how many of want's ids got lists, in the same place.
func found(got, want []engine.MatchResult) (hits, of int) {
	for i, r := range want {
		if i < len(got) && got[i].ID == r.ID && got[i].Score == r.Score {
			hits++
		}
	}
	return hits, len(want)
}

func ratio(hits, of int) float64 {
	if of == 0 {
		return 1
	}
	return float64(hits) / float64(of)
}

const benchK = 20

var postSizes = []int{1000, 10000, 100000}

// benchSeekers is the number of seekers matched in rotation (and checked for recall).
const benchSeekers = 200

func matchWorld(b *testing.B, n int) *benchWorld {
	if testing.Short() && n > 10000 {
		b.Skip("large size skipped in -short mode")
	}
	return loadWorld(b, fixtures.Counts{Posts: n, Seekers: benchSeekers, Classes: 300})
}

func BenchmarkMatch(b *testing.B) {
	for _, n := range postSizes {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			w := matchWorld(b, n)
			recall := recallOnce(fmt.Sprint("match", n), func() float64 {
				var hits, of int
				for _, s := range w.seekers[:min(len(w.seekers), 50)] {
					got, err := w.m.Matches(s.ID, engine.KindPost, benchK)
					if err != nil {
						b.Fatal(err)
					}
					h, o := found(got.Results, engine.BruteForce(s, w.posts, benchToday, benchK).Results)
					hits, of = hits+h, of+o
				}
				return ratio(hits, of)
			})
			b.ReportAllocs()
			b.ResetTimer()
			defer meterCPU(b)()
			for i := range b.N {
				if _, err := w.m.Matches(w.seekers[i%len(w.seekers)].ID, engine.KindPost, benchK); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(recall, "recall")
			b.ReportMetric(w.bytesPerPost, "bytes/post")
		})
	}
}

// BenchmarkMatchNoPruning scans every compact post (no grid, no score bound):
// what the pruning saves, apart from the compact form itself.
func BenchmarkMatchNoPruning(b *testing.B) {
	for _, n := range postSizes {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			w := matchWorld(b, n)
			engine.SetPruning(w.m, false)
			defer engine.SetPruning(w.m, true)
			b.ReportAllocs()
			b.ResetTimer()
			defer meterCPU(b)()
			for i := range b.N {
				if _, err := w.m.Matches(w.seekers[i%len(w.seekers)].ID, engine.KindPost, benchK); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMatchBruteForce(b *testing.B) {
	for _, n := range postSizes {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			w := matchWorld(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			defer meterCPU(b)()
			for i := range b.N {
				engine.BruteForce(w.seekers[i%len(w.seekers)], w.posts, benchToday, benchK)
			}
		})
	}
}

func BenchmarkCandidates(b *testing.B) {
	b.Run("seekers=200000", func(b *testing.B) {
		if testing.Short() {
			b.Skip("large size skipped in -short mode")
		}
		w := loadWorld(b, fixtures.Counts{Posts: 2000, Seekers: 200000, Classes: 10})
		r := rand.New(rand.NewPCG(1, 2))
		var open []*engine.Post
		for _, p := range w.posts {
			if p.Status == "open" && (p.ClosesOn == "" || p.ClosesOn >= benchToday) {
				open = append(open, p)
			}
		}
		keep := func(i *engine.SeekerInfo) bool { return i.Consent }
		recall := recallOnce("candidates", func() float64 {
			var hits, of int
			for _, p := range open[:min(len(open), 10)] {
				got, err := w.m.Candidates(p.ID, benchK, keep)
				if err != nil {
					b.Fatal(err)
				}
				h, o := found(got.Results, engine.BruteForceCandidates(p, w.seekers, benchToday, benchK, keep).Results)
				hits, of = hits+h, of+o
			}
			return ratio(hits, of)
		})
		b.ReportAllocs()
		b.ResetTimer()
		defer meterCPU(b)()
		for range b.N {
			if _, err := w.m.Candidates(open[r.IntN(len(open))].ID, benchK, keep); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(recall, "recall")
	})
}

func BenchmarkGaps(b *testing.B) {
	b.Run("posts=100000", func(b *testing.B) {
		w := matchWorld(b, 100000)
		recall := recallOnce("gaps", func() float64 {
			var hits, of int
			for _, s := range w.seekers[:20] {
				got, err := w.m.Gaps(s.ID, benchK)
				if err != nil {
					b.Fatal(err)
				}
				want := engine.BruteForceGaps(s, w.posts, w.classes, benchToday, benchK)
				for i, r := range want.Results {
					if i < len(got.Results) && got.Results[i].ID == r.ID && len(got.Results[i].Classes) == len(r.Classes) {
						hits++
					}
				}
				of += len(want.Results)
			}
			return ratio(hits, of)
		})
		b.ReportAllocs()
		b.ResetTimer()
		defer meterCPU(b)()
		for i := range b.N {
			if _, err := w.m.Gaps(w.seekers[i%len(w.seekers)].ID, benchK); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(recall, "recall")
	})
}
