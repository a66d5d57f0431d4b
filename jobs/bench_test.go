package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jobbridge/engine"
)

// BenchmarkTrainingOutcomes20k measures one training-outcomes pass over
// 20,000 enrollments of 50 remote classes, each with 24 progress events
// (about three a week over two months): the first pass moves every
// enrollment from enrolled to active (20,000 enrollments read back and
// decided again, 20,000 status writes in bulk), the steady pass after it
// changes nothing (what most hourly runs are).
//
//	go test ./jobs/ -run '^$' -bench TrainingOutcomes20k -benchtime 3x
func BenchmarkTrainingOutcomes20k(b *testing.B) {
	const nEnrollments, nClasses, nEvents = 20000, 50, 24
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, engine.Shanghai)
	s := MustStack(b, now)
	s.seedTraining(b)
	for c := range nClasses {
		s.MustCreate(b, engine.KindClass, remoteClass(fmt.Sprintf("c%02d", c), "2026-09-07", "2026-12-20", 500))
	}
	batch := make([]engine.Record, 0, 1000)
	for i := range nEnrollments {
		log := make([]engine.ProgressEvent, nEvents)
		for k := range log {
			p := min(100, 10*(k%10+1))
			log[k] = engine.ProgressEvent{Statement: fmt.Sprintf("st-%d-%d", i, k), Module: fmt.Sprintf("m%02d", k%6+1),
				Verb: "progressed", Progress: &p, At: now.Add(-time.Duration(nEvents-k) * 60 * time.Hour)}
		}
		batch = append(batch, &engine.Enrollment{Meta: engine.Meta{ID: fmt.Sprintf("en-%05d", i)},
			SeekerID: fmt.Sprintf("s-%05d", i), ClassID: fmt.Sprintf("c%02d", i%nClasses),
			Status: engine.EnrollmentEnrolled, StatusAt: now.AddDate(0, -2, 0), Log: log})
		if len(batch) == cap(batch) || i == nEnrollments-1 {
			if err := s.store.CreateMany(ctx, engine.KindEnrollment, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	// Written behind the service's back: load them as a start-up would.
	loadStart := time.Now()
	if _, err := s.svc.Load(ctx); err != nil {
		b.Fatal(err)
	}
	load := time.Since(loadStart)
	job := &TrainingOutcomes{Service: s.svc, Matcher: s.matcher, Clock: s.clock}
	count := func() int {
		n := 0
		s.store.Each(ctx, engine.KindEnrollment, 0, func(r engine.Record) error {
			if r.(*engine.Enrollment).Status == engine.EnrollmentActive {
				n++
			}
			return nil
		})
		return n
	}

	start := time.Now()
	if err := job.Run(ctx); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	if n := count(); n != nEnrollments {
		b.Fatalf("%d enrollments active after the first pass", n)
	}
	b.ResetTimer()
	for range b.N {
		if err := job.Run(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	steady := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(load.Seconds(), "s/start-up-load")
	b.ReportMetric(first.Seconds(), "s/first-pass")
	b.ReportMetric(steady.Seconds(), "s/steady-pass")
	b.ReportMetric(float64(steady.Nanoseconds())/nEnrollments, "ns/enrollment")
}
