package jobs

import (
	"context"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// BenchmarkPlacements50k measures, on 50,000 generated placements (started
// over 455 days, follow-ups recorded or left as fixtures.Placements says) in
// the embedded FerretDB:
//
//   - followups-daily: one placement-followups run through the scheduler
//     (lease, run record, counts) for each next day at 06:00, after a first
//     run that caught up with the fixtures: what the job does every morning,
//     when about 1/455 of the follow-ups move;
//
//   - kpis: the KPI report of a year, district and 13 streets, from memory.
//
//     go test ./jobs/ -run '^$' -bench Placements50k -benchtime 5x
func BenchmarkPlacements50k(b *testing.B) {
	const n, asOf = 50000, "2026-11-30"
	ctx := context.Background()
	first, _ := time.ParseInLocation(time.DateOnly, asOf, engine.Shanghai)
	first = first.AddDate(0, 0, 1).Add(6 * time.Hour)
	s := MustStack(b, first)
	d := fixtures.Generate(fixtures.DemoSeed, fixtures.Counts{Seekers: 20000, Employers: 400, Posts: 4000})
	placements := fixtures.Placements(fixtures.DemoSeed, d, n, asOf)
	start := time.Now()
	batch := make([]engine.Record, 0, 1000)
	for i := range placements {
		batch = append(batch, &placements[i])
		if len(batch) == cap(batch) || i == len(placements)-1 {
			if err := s.store.CreateMany(ctx, engine.KindPlacement, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	inserted := time.Since(start)
	start = time.Now()
	if _, err := s.svc.Load(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d placements: inserted in %s, loaded into memory in %s", n, inserted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	sched := mustScheduler(b, s.store, s.clock, "bench", standardJob(b, s, "placement-followups"))
	start = time.Now()
	run, err := sched.RunNow(ctx, "placement-followups", first)
	if err != nil || run.Result != engine.RunOK {
		b.Fatal(err, run)
	}
	b.Logf("first run (catch-up of the fixtures' due and overdue follow-ups): %s, counts %v", time.Since(start).Round(time.Millisecond), run.Counts)

	b.Run("followups-daily", func(b *testing.B) {
		changed, inbox, day := 0, 0, 0
		for b.Loop() {
			day++
			run, err := sched.RunNow(ctx, "placement-followups", first.AddDate(0, 0, day))
			if err != nil || run.Result != engine.RunOK {
				b.Fatal(err, run)
			}
			changed += run.Counts["changed"]
			inbox += run.Counts["inbox"]
		}
		b.ReportMetric(float64(changed)/float64(day), "placements-changed/run")
		b.ReportMetric(float64(inbox)/float64(day), "inbox-items/run")
	})
	b.Run("kpis", func(b *testing.B) {
		streetOf := func(id string) string {
			info, _ := s.matcher.Seeker(id)
			return info.Street
		}
		q := engine.KPIQuery{From: "2025-12-01", To: "2026-11-30"}
		var rep *engine.KPIReport
		for b.Loop() {
			if rep, err = s.svc.KPIs(q, streetOf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rep.District.Placements), "placements-in-period")
	})
}
