package jobs

import (
	"context"
	"fmt"

	"jobbridge/engine"
)

// PlacementFollowUps is the daily placement-followups job (DESIGN §7): it
// brings every placement's 30/90/180/365-day follow-ups up to date (due on
// the day, overdue 7 days later, missed after 60), tells the counsellor of
// each that fell due or overdue, and closes a placement as successful when
// its 90-day follow-up is done and the person employed. The work is
// engine.Service.AdvanceFollowUps; this adds the run's time and counts.
type PlacementFollowUps struct {
	Service *engine.Service
	Clock   engine.Clock
}

// Run is one pass over the placements at the run's time.
func (j *PlacementFollowUps) Run(ctx context.Context) error {
	run, err := j.Service.AdvanceFollowUps(ctx, Now(ctx, j.Clock))
	if run != nil {
		Count(ctx, "placements", run.Placements)
		Count(ctx, "changed", run.Changed)
		Count(ctx, "repaired", run.Repaired)
		Count(ctx, "inbox", run.Inbox)
		for status, n := range run.Statuses {
			Count(ctx, status, n)
		}
	}
	if err != nil {
		return fmt.Errorf("placement-followups: %w", err)
	}
	var failed errs
	for _, e := range run.Failed {
		failed.add(e)
	}
	return failed.err()
}
