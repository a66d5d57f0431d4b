package jobs

import "jobbridge/engine"

// Schedules of the jobs, standard cron specs read in Asia/Shanghai.
const (
	TrainingOutcomesSpec = "0 * * * *"  // hourly, on the hour
	RematchSpec          = "30 2 * * *" // nightly at 02:30
	// PlacementFollowUpsSpec runs the placement-followups job daily at 06:00.
	PlacementFollowUpsSpec = "0 6 * * *"
)

// Standard returns the service's jobs wired to its parts.
func Standard(svc *engine.Service, m *engine.Matcher, clock engine.Clock) []Job {
	outcomes := &TrainingOutcomes{Service: svc, Matcher: m, Clock: clock}
	rematch := &Rematch{Service: svc, Matcher: m, Clock: clock}
	followUps := &PlacementFollowUps{Service: svc, Clock: clock}
	return []Job{
		{Name: "training-outcomes", Spec: TrainingOutcomesSpec, Run: outcomes.Run,
			About: "enrollments → active, completed, passed (skills added to the file, matches recomputed, counsellor told), failed, inactive after 14 days"},
		{Name: "rematch", Spec: RematchSpec, Run: rematch.Run,
			About: "every seeking or training seeker's top matches recomputed; the counsellor told of new ones"},
		{Name: "placement-followups", Spec: PlacementFollowUpsSpec, Run: followUps.Run,
			About: "30/90/180/365-day follow-ups due on the day, overdue after 7 days, missed after 60 (counsellor told); 90 days done and employed → closed-successful"},
	}
}
