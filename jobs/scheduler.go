package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"jobbridge/engine"
)

// Job is one scheduled task: a name, a standard five-field cron spec read in
// Asia/Shanghai, and Run, which the scheduler and `jobbridge jobs run` both call.
type Job struct {
	Name  string
	Spec  string
	About string
	Run   func(ctx context.Context) error
}

// DefaultLeaseTTL is how long a lease lasts unless renewed; a running job
// renews it every third of that, so only a dead process's lease expires.
const DefaultLeaseTTL = 10 * time.Minute

// Scheduler runs jobs on their schedules so that among all the processes
// sharing one database exactly one runs each slot: a run takes the job's
// lease (a findOneAndUpdate that also requires the job's last slot to be
// older) and writes a run record whose id is the slot. On start it runs once
// each job whose last slot is older than its schedule's previous slot.
type Scheduler struct {
	store    engine.JobStore
	clock    engine.Clock
	log      *slog.Logger
	owner    string
	leaseTTL time.Duration
	jobs     []entry

	cron   *cron.Cron
	ctx    context.Context // the jobs' context; Stop cancels it
	cancel context.CancelFunc
	wg     sync.WaitGroup // the catch-up
}

var _ engine.JobRunner = (*Scheduler)(nil)

type entry struct {
	Job
	schedule cron.Schedule
}

// parser reads the standard five-field specs and descriptors such as @hourly.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Option changes how a Scheduler runs.
type Option func(*Scheduler)

// WithOwner names this process in leases and run records (default host-pid-random).
func WithOwner(owner string) Option { return func(s *Scheduler) { s.owner = owner } }

// WithLeaseTTL sets how long a lease lasts without renewal.
func WithLeaseTTL(d time.Duration) Option { return func(s *Scheduler) { s.leaseTTL = d } }

// New makes a scheduler of jobs; clock decides the slots (tests move it).
func New(st engine.JobStore, clock engine.Clock, log *slog.Logger, jobs []Job, opts ...Option) (*Scheduler, error) {
	if clock == nil {
		clock = engine.SystemClock{}
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Scheduler{store: st, clock: clock, log: log, owner: defaultOwner(), leaseTTL: DefaultLeaseTTL}
	seen := map[string]bool{}
	for _, j := range jobs {
		sched, err := parser.Parse(j.Spec)
		if err != nil {
			return nil, fmt.Errorf("job %s: schedule %q: %w", j.Name, j.Spec, err)
		}
		if seen[j.Name] || j.Run == nil {
			return nil, fmt.Errorf("job %s: listed twice or without Run", j.Name)
		}
		seen[j.Name] = true
		s.jobs = append(s.jobs, entry{Job: j, schedule: sched})
	}
	for _, o := range opts {
		o(s)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

func defaultOwner() string {
	host, _ := os.Hostname()
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Start runs the catch-up in the background and starts cron in Asia/Shanghai,
// with cron.Recover and SkipIfStillRunning around every job.
func (s *Scheduler) Start() {
	logger := cronLogger{s.log}
	s.cron = cron.New(cron.WithLocation(engine.Shanghai), cron.WithParser(parser), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	for i := range s.jobs {
		e := &s.jobs[i]
		s.cron.Schedule(e.schedule, cron.FuncJob(func() { s.fire(e, engine.TriggerSchedule) }))
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.CatchUp(s.ctx)
	}()
	s.cron.Start()
}

// Stop cancels running jobs, stops cron and waits for the jobs and the
// catch-up to return, or for ctx to end.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.cancel()
	done := make(chan struct{})
	go func() {
		if s.cron != nil {
			<-s.cron.Stop().Done()
		}
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop scheduler: %w", ctx.Err())
	}
}

// CatchUp runs, once each, the jobs whose last slot is older than their
// schedule's previous slot: after downtime over several slots, one run.
func (s *Scheduler) CatchUp(ctx context.Context) {
	for i := range s.jobs {
		e := &s.jobs[i]
		st, err := s.store.JobState(ctx, e.Name)
		if err != nil {
			s.log.Warn("job catch-up", "job", e.Name, "err", err)
			continue
		}
		if slot := prevSlot(e.schedule, s.clock.Now()); !slot.IsZero() && st.LastSlot.Before(slot) {
			s.runSlot(ctx, e, slot, engine.TriggerCatchUp)
		}
	}
}

// fire is what cron calls: run the slot the clock is in.
func (s *Scheduler) fire(e *entry, trigger string) {
	if slot := prevSlot(e.schedule, s.clock.Now()); !slot.IsZero() {
		s.runSlot(s.ctx, e, slot, trigger)
	}
}

// runSlot runs a job for a slot unless another process has it or had it;
// it returns the run record, or nil when it did not run.
func (s *Scheduler) runSlot(ctx context.Context, e *entry, slot time.Time, trigger string) *engine.JobRun {
	now := s.clock.Now()
	got, err := s.store.AcquireLease(ctx, e.Name, s.owner, &slot, now, s.leaseTTL)
	if err != nil || !got {
		if err != nil {
			s.log.Warn("job lease", "job", e.Name, "err", err)
		}
		return nil
	}
	run := &engine.JobRun{ID: e.Name + "@" + slot.UTC().Format(time.RFC3339), Job: e.Name, Trigger: trigger,
		Slot: &slot, Owner: s.owner, StartedAt: now, Result: engine.RunRunning}
	if err := s.store.StartRun(ctx, run); err != nil {
		if engine.ErrorCode(err) != engine.ECONFLICT {
			s.log.Warn("job run record", "job", e.Name, "err", err)
		}
		// ECONFLICT: the slot's record exists, it ran; leave the job's document as it was.
		_ = s.store.ReleaseLease(context.WithoutCancel(ctx), e.Name, s.owner, s.clock.Now(), nil)
		return nil
	}
	s.execute(ctx, e, run, time.Time{})
	return run
}

// RunNow runs a job at once (as if it were at, when not zero), whatever its
// schedule: it waits for no slot and does not count as one. ECONFLICT when
// another run of the job holds the lease.
func (s *Scheduler) RunNow(ctx context.Context, name string, at time.Time) (*engine.JobRun, error) {
	e := s.job(name)
	if e == nil {
		return nil, engine.Errorf(engine.ENOTFOUND, "no job %s", name)
	}
	now := s.clock.Now()
	got, err := s.store.AcquireLease(ctx, name, s.owner, nil, now, s.leaseTTL)
	if err != nil {
		return nil, err
	}
	if !got {
		return nil, engine.Errorf(engine.ECONFLICT, "job %s is running (another process holds its lease)", name)
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	run := &engine.JobRun{ID: fmt.Sprintf("%s@%s-manual-%s", name, now.UTC().Format("20060102T150405.000Z"), hex.EncodeToString(b[:])),
		Job: name, Trigger: engine.TriggerManual, Owner: s.owner, StartedAt: now, Result: engine.RunRunning}
	if !at.IsZero() {
		run.Now = &at
	}
	if err := s.store.StartRun(ctx, run); err != nil {
		_ = s.store.ReleaseLease(context.WithoutCancel(ctx), name, s.owner, s.clock.Now(), nil)
		return nil, err
	}
	s.execute(ctx, e, run, at)
	return run, nil
}

// execute runs the job under the lease, renewing it, and records the end.
func (s *Scheduler) execute(ctx context.Context, e *entry, run *engine.JobRun, at time.Time) {
	counts := &counter{m: map[string]int{}}
	jctx, cancel := context.WithCancel(context.WithValue(ctx, countsKey{}, counts))
	if !at.IsZero() {
		jctx = context.WithValue(jctx, nowKey{}, at)
	}
	defer cancel()
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(s.leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-jctx.Done():
				return
			case <-t.C:
				if ok, err := s.store.RenewLease(jctx, e.Name, s.owner, s.clock.Now().Add(s.leaseTTL)); err == nil && !ok {
					s.log.Error("job lease lost", "job", e.Name)
					cancel()
				}
			}
		}
	}()
	start := time.Now()
	err := runSafely(jctx, e.Job)
	cancel()
	<-renewed

	end := s.clock.Now()
	run.EndedAt, run.Millis, run.Counts = &end, time.Since(start).Milliseconds(), counts.snapshot()
	run.Result = engine.RunOK
	if err != nil {
		run.Result, run.Error = engine.RunError, err.Error()
		s.log.Error("job failed", "job", e.Name, "run", run.ID, "err", err)
	} else {
		s.log.Info("job done", "job", e.Name, "run", run.ID, "ms", run.Millis, "counts", run.Counts)
	}
	bg := context.WithoutCancel(ctx)
	if err := s.store.FinishRun(bg, run); err != nil {
		s.log.Warn("job run record", "job", e.Name, "err", err)
	}
	if err := s.store.ReleaseLease(bg, e.Name, s.owner, s.clock.Now(), run); err != nil {
		s.log.Warn("job lease release", "job", e.Name, "err", err)
	}
}

// runSafely turns a panic into an error, so the run is recorded and the
// lease released (cron.Recover stays as the last guard).
func runSafely(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return j.Run(ctx)
}

func (s *Scheduler) job(name string) *entry {
	for i := range s.jobs {
		if s.jobs[i].Name == name {
			return &s.jobs[i]
		}
	}
	return nil
}

// Names lists the jobs in the order given.
func (s *Scheduler) Names() []string {
	out := make([]string, len(s.jobs))
	for i, e := range s.jobs {
		out[i] = e.Name
	}
	return out
}

// Schedules describes every job: its spec, next slot, lease and latest runs.
func (s *Scheduler) Schedules(ctx context.Context) ([]engine.Schedule, error) {
	now := s.clock.Now()
	out := make([]engine.Schedule, 0, len(s.jobs))
	for _, e := range s.jobs {
		st, err := s.store.JobState(ctx, e.Name)
		if err != nil {
			return nil, err
		}
		runs, err := s.store.JobRuns(ctx, e.Name, 5)
		if err != nil {
			return nil, err
		}
		sc := engine.Schedule{Name: e.Name, Spec: e.Spec, TimeZone: engine.Shanghai.String(), About: e.About,
			Next: e.schedule.Next(now.In(engine.Shanghai)), Running: st.Owner != "" && st.ExpiresAt.After(now),
			Owner: st.Owner, LastRun: st.LastRun, Runs: runs}
		if st.LastSlot.After(time.Unix(0, 0)) {
			ls := st.LastSlot.In(engine.Shanghai)
			sc.LastSlot = &ls
		}
		out = append(out, sc)
	}
	return out, nil
}

// prevSlot is the latest time at or before now that the schedule names, or
// zero when there is none in the past year.
func prevSlot(sched cron.Schedule, now time.Time) time.Time {
	now = now.In(engine.Shanghai)
	for back := time.Minute; back <= 400*24*time.Hour; back *= 2 {
		t := sched.Next(now.Add(-back))
		if t.IsZero() || t.After(now) {
			continue
		}
		for {
			n := sched.Next(t)
			if n.IsZero() || n.After(now) {
				return t
			}
			t = n
		}
	}
	return time.Time{}
}

// cronLogger sends cron's messages to the app's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

// Counts and the run's time travel in the context a job runs with.
type (
	countsKey struct{}
	nowKey    struct{}
)

type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}

// Count adds n to a named count of the running job's record.
func Count(ctx context.Context, name string, n int) {
	if c, ok := ctx.Value(countsKey{}).(*counter); ok {
		c.mu.Lock()
		c.m[name] += n
		c.mu.Unlock()
	}
}

// Now is the time a job runs at: the time `jobs run --now` named, else the clock's.
func Now(ctx context.Context, clock engine.Clock) time.Time {
	if t, ok := ctx.Value(nowKey{}).(time.Time); ok {
		return t
	}
	if clock == nil {
		clock = engine.SystemClock{}
	}
	return clock.Now()
}

// errs collects a job's errors on single records, so one bad record does not stop the rest.
type errs struct {
	n    int
	some []error
}

func (e *errs) add(err error) {
	e.n++
	if len(e.some) < 5 {
		e.some = append(e.some, err)
	}
}

func (e *errs) err() error {
	if e.n == 0 {
		return nil
	}
	return fmt.Errorf("%d records failed: %w", e.n, errors.Join(e.some...))
}
