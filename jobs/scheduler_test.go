package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
)

// countingJob records the times it ran at.
type countingJob struct {
	mu    sync.Mutex
	runs  []time.Time
	clock engine.Clock
	delay time.Duration
}

func (j *countingJob) Run(ctx context.Context) error {
	if j.delay > 0 {
		time.Sleep(j.delay)
	}
	j.mu.Lock()
	j.runs = append(j.runs, Now(ctx, j.clock))
	j.mu.Unlock()
	Count(ctx, "things", 2)
	return nil
}

func (j *countingJob) count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.runs)
}

func mustScheduler(tb testing.TB, st engine.JobStore, clock engine.Clock, owner string, jobs ...Job) *Scheduler {
	tb.Helper()
	s, err := New(st, clock, quiet(), jobs, WithOwner(owner))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestPrevSlot(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, engine.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ spec, now, want string }{
		{"0 * * * *", "2026-09-01 10:00", "2026-09-01 10:00"},
		{"0 * * * *", "2026-09-01 10:59", "2026-09-01 10:00"},
		{"30 2 * * *", "2026-09-01 02:29", "2026-08-31 02:30"},
		{"30 2 * * *", "2026-09-01 23:00", "2026-09-01 02:30"},
		{"0 6 * * *", "2026-09-01 05:00", "2026-08-31 06:00"},
		{"0 6 1 1 *", "2026-09-01 05:00", "2026-01-01 06:00"},
	}
	for _, tt := range tests {
		sched, err := parser.Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		// A UTC now must give the Shanghai slot: the schedules are read there.
		if got := prevSlot(sched, at(tt.now).UTC()); !got.Equal(at(tt.want)) {
			t.Errorf("prevSlot(%q, %s) = %s, want %s", tt.spec, tt.now, got.In(engine.Shanghai), tt.want)
		}
	}
}

// TestTwoSchedulersEachSlotOnce runs two schedulers (two stores, as two
// processes would have) on one database over 50 hourly slots, both firing
// every slot at once: each slot runs exactly once.
func TestTwoSchedulersEachSlotOnce(t *testing.T) {
	t.Parallel()
	uri := newDatabase()
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, engine.Shanghai)
	clock := &simClock{t: t0}
	job := &countingJob{clock: clock, delay: 2 * time.Millisecond}
	spec := Job{Name: "count", Spec: "0 * * * *", Run: job.Run}
	a := mustScheduler(t, MustStore(t, uri, clock), clock, "a", spec)
	b := mustScheduler(t, MustStore(t, uri, clock), clock, "b", spec)

	ranBy := map[string]int{}
	for i := range 50 {
		clock.Set(t0.Add(time.Duration(i)*time.Hour + 3*time.Second))
		var wg sync.WaitGroup
		var got [2]*engine.JobRun
		for k, s := range []*Scheduler{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[k] = s.runSlot(context.Background(), &s.jobs[0], prevSlot(s.jobs[0].schedule, clock.Now()), engine.TriggerSchedule)
			}()
		}
		wg.Wait()
		switch {
		case got[0] != nil && got[1] != nil:
			t.Fatalf("slot %d ran twice", i)
		case got[0] == nil && got[1] == nil:
			t.Fatalf("slot %d did not run", i)
		case got[0] != nil:
			ranBy["a"]++
		default:
			ranBy["b"]++
		}
		// A late firing of the same slot (a slow process) does not run it again.
		if late := b.runSlot(context.Background(), &b.jobs[0], prevSlot(b.jobs[0].schedule, clock.Now().Add(50*time.Minute)), engine.TriggerSchedule); late != nil {
			t.Fatalf("slot %d ran again late", i)
		}
	}
	if job.count() != 50 {
		t.Fatalf("the job ran %d times over 50 slots", job.count())
	}
	runs, err := a.store.JobRuns(context.Background(), "count", 100)
	if err != nil {
		t.Fatal(err)
	}
	slots := map[time.Time]bool{}
	for _, r := range runs {
		if r.Result != engine.RunOK || r.Counts["things"] != 2 || r.Slot == nil || slots[*r.Slot] {
			t.Fatalf("run record %+v", r)
		}
		slots[*r.Slot] = true
	}
	if len(slots) != 50 {
		t.Fatalf("%d run records", len(slots))
	}
	t.Logf("slots run by a: %d, by b: %d", ranBy["a"], ranBy["b"])
}

func TestCatchUpRunsOnce(t *testing.T) {
	t.Parallel()
	uri := newDatabase()
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, engine.Shanghai)
	clock := &simClock{t: t0.Add(time.Second)}
	job := &countingJob{clock: clock}
	spec := Job{Name: "count", Spec: "0 * * * *", Run: job.Run}
	first := mustScheduler(t, MustStore(t, uri, clock), clock, "first", spec)
	first.fire(&first.jobs[0], engine.TriggerSchedule)
	if job.count() != 1 {
		t.Fatalf("ran %d times at 10:00", job.count())
	}

	// Down from 10:00 to 14:30: the 11:00–14:00 slots are missed.
	clock.Set(t0.Add(4*time.Hour + 30*time.Minute))
	second := mustScheduler(t, MustStore(t, uri, clock), clock, "second", spec)
	second.CatchUp(context.Background())
	second.CatchUp(context.Background())
	second.fire(&second.jobs[0], engine.TriggerSchedule)
	if job.count() != 2 {
		t.Fatalf("ran %d times, want once at 10:00 and once on catch-up", job.count())
	}
	runs, _ := second.store.JobRuns(context.Background(), "count", 10)
	if len(runs) != 2 || runs[0].Trigger != engine.TriggerCatchUp || !runs[0].Slot.Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("runs %+v", runs)
	}
	// Up to date: no catch-up.
	clock.Set(t0.Add(5*time.Hour + time.Second))
	second.fire(&second.jobs[0], engine.TriggerSchedule)
	third := mustScheduler(t, MustStore(t, uri, clock), clock, "third", spec)
	third.CatchUp(context.Background())
	if job.count() != 3 {
		t.Fatalf("ran %d times, want 3", job.count())
	}
}

func TestRunNow(t *testing.T) {
	t.Parallel()
	uri := newDatabase()
	t0 := time.Date(2026, 9, 1, 10, 20, 0, 0, engine.Shanghai)
	clock := &simClock{t: t0}
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	var n atomic.Int32
	var times []time.Time
	blocking := Job{Name: "slow", Spec: "0 * * * *", Run: func(ctx context.Context) error {
		n.Add(1)
		times = append(times, Now(ctx, clock))
		started <- struct{}{}
		<-release
		return nil
	}}
	failing := Job{Name: "broken", Spec: "0 * * * *", Run: func(context.Context) error { panic("boom") }}
	s := mustScheduler(t, MustStore(t, uri, clock), clock, "s", blocking, failing)

	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	done := make(chan *engine.JobRun)
	go func() {
		run, err := s.RunNow(context.Background(), "slow", at)
		if err != nil {
			t.Error(err)
		}
		done <- run
	}()
	<-started
	other := mustScheduler(t, MustStore(t, uri, clock), clock, "other", blocking)
	if _, err := other.RunNow(context.Background(), "slow", time.Time{}); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("a second manual run while the first holds the lease: %v", err)
	}
	close(release)
	run := <-done
	if run.Result != engine.RunOK || run.Trigger != engine.TriggerManual || run.Slot != nil {
		t.Fatalf("run %+v", run)
	}
	// A manual run is not a slot: the 10:00 slot still runs on catch-up.
	release = make(chan struct{})
	close(release)
	s.CatchUp(context.Background())
	<-started
	if n.Load() != 2 || !times[0].Equal(at) || !times[1].Equal(t0) {
		t.Fatalf("ran %d times, at %v (want %v, then the clock's %v)", n.Load(), times, at, t0)
	}

	run, err := s.RunNow(context.Background(), "broken", time.Time{})
	if err != nil || run.Result != engine.RunError || run.Error == "" {
		t.Fatalf("a panicking job: %+v %v", run, err)
	}
	if _, err := s.RunNow(context.Background(), "broken", time.Time{}); err != nil {
		t.Fatalf("the lease was not released after a panic: %v", err)
	}
	if _, err := s.RunNow(context.Background(), "nope", time.Time{}); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Fatal(err)
	}
	scheds, err := s.Schedules(context.Background())
	if err != nil || len(scheds) != 2 || scheds[0].LastSlot == nil || scheds[0].Running || len(scheds[0].Runs) != 2 ||
		!scheds[0].Next.Equal(time.Date(2026, 9, 1, 11, 0, 0, 0, engine.Shanghai)) {
		t.Fatalf("schedules %+v %v", scheds, err)
	}
}

// TestCronFires starts the real cron (every 2 s) and stops it. The catch-up
// starts at once and the first tick comes 2 s later: with ticks every second,
// a busy machine sometimes ran the first tick before the catch-up, which then
// rightly had nothing to catch up.
func TestCronFires(t *testing.T) {
	t.Parallel()
	clock := engine.SystemClock{}
	job := &countingJob{clock: clock}
	s := mustScheduler(t, MustStore(t, newDatabase(), clock), clock, "cron", Job{Name: "tick", Spec: "@every 2s", Run: job.Run})
	s.Start()
	deadline := time.Now().Add(10 * time.Second)
	for job.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if job.count() < 2 {
		t.Fatalf("ran %d times in 10 s (catch-up and at least one tick expected)", job.count())
	}
	runs, _ := s.store.JobRuns(context.Background(), "tick", 10)
	triggers := map[string]bool{}
	for _, r := range runs {
		triggers[r.Trigger] = true
	}
	if !triggers[engine.TriggerSchedule] || !triggers[engine.TriggerCatchUp] {
		t.Fatalf("triggers %v", triggers)
	}
}
