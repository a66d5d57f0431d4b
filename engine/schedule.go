package engine

import (
	"context"
	"time"
)

// Job run triggers and results.
const (
	TriggerSchedule = "schedule" // cron reached the slot
	TriggerCatchUp  = "catch-up" // on start, for a slot missed while no process ran
	TriggerManual   = "manual"   // jobbridge jobs run, or POST /admin/schedules/{name}/run

	RunRunning = "running"
	RunOK      = "ok"
	RunError   = "error"
)

// JobRun is the record of one run of a scheduled job.
type JobRun struct {
	ID        string         `json:"id" bson:"_id"`
	Job       string         `json:"job" bson:"job"`
	Trigger   string         `json:"trigger" bson:"trigger"`
	Slot      *time.Time     `json:"slot,omitempty" bson:"slot,omitempty"` // the schedule slot it ran for
	Owner     string         `json:"owner" bson:"owner"`                   // the process that ran it
	Now       *time.Time     `json:"now,omitempty" bson:"now,omitempty"`   // the time it ran as, when not the clock's
	StartedAt time.Time      `json:"startedAt" bson:"startedAt"`
	EndedAt   *time.Time     `json:"endedAt,omitempty" bson:"endedAt,omitempty"`
	Millis    int64          `json:"ms" bson:"ms"`
	Result    string         `json:"result" bson:"result"`
	Error     string         `json:"error,omitempty" bson:"error,omitempty"`
	Counts    map[string]int `json:"counts" bson:"counts"`
}

// JobState is a job's lease and its last slot: one document per job that
// every process updates with findOneAndUpdate. The lease is held while
// ExpiresAt is in the future; there are no TTL indexes, expiry is compared.
type JobState struct {
	Name      string    `json:"name" bson:"_id"`
	Owner     string    `json:"owner" bson:"owner"`
	ExpiresAt time.Time `json:"expiresAt" bson:"expiresAt"`
	LastSlot  time.Time `json:"lastSlot" bson:"lastSlot"`
	LastRun   *JobRun   `json:"lastRun,omitempty" bson:"lastRun,omitempty"`
}

// JobStore keeps the scheduler's leases and run records.
type JobStore interface {
	// JobState loads a job's state, creating it (never run, no lease) when missing.
	JobState(ctx context.Context, job string) (*JobState, error)
	// AcquireLease takes the job's lease for owner until now+ttl when no one
	// holds it; with a slot, only when the job's last slot is before it.
	// It reports whether the lease was taken.
	AcquireLease(ctx context.Context, job, owner string, slot *time.Time, now time.Time, ttl time.Duration) (bool, error)
	// RenewLease extends a lease owner holds; false when it no longer does.
	RenewLease(ctx context.Context, job, owner string, until time.Time) (bool, error)
	// ReleaseLease gives the lease up at now, recording the run when not nil
	// (and its slot as the last slot, when it ran for one).
	ReleaseLease(ctx context.Context, job, owner string, now time.Time, run *JobRun) error
	// StartRun inserts a run record; ECONFLICT when its id exists (the slot ran).
	StartRun(ctx context.Context, run *JobRun) error
	// FinishRun writes a run record's end.
	FinishRun(ctx context.Context, run *JobRun) error
	// JobRuns lists a job's latest runs, newest first.
	JobRuns(ctx context.Context, job string, limit int) ([]JobRun, error)
}

// Schedule is a job as GET /admin/schedules shows it.
type Schedule struct {
	Name     string     `json:"name"`
	Spec     string     `json:"spec"`
	TimeZone string     `json:"timeZone"`
	About    string     `json:"about"`
	Next     time.Time  `json:"next"`
	LastSlot *time.Time `json:"lastSlot,omitempty"`
	Running  bool       `json:"running"`
	Owner    string     `json:"owner,omitempty"`
	LastRun  *JobRun    `json:"lastRun,omitempty"`
	Runs     []JobRun   `json:"runs"`
}

// JobRunner lists the scheduled jobs and runs one now; the scheduler in jobs/
// implements it, the API calls it.
type JobRunner interface {
	Schedules(ctx context.Context) ([]Schedule, error)
	// RunNow runs a job at once (as if the time were at, when not zero) and returns its run record.
	RunNow(ctx context.Context, name string, at time.Time) (*JobRun, error)
}
