package jobs

import "jobbridge/engine"

// Schedules of the jobs, standard cron specs read in Asia/Shanghai.
const (
	TrainingOutcomesSpec = "0 * * * *"  // hourly, on the hour
	RematchSpec          = "30 2 * * *" // nightly at 02:30
)

// Standard returns the service's jobs wired to its parts.
func Standard(svc *engine.Service, m *engine.Matcher, clock engine.Clock) []Job {
	outcomes := &TrainingOutcomes{Service: svc, Matcher: m, Clock: clock}
	rematch := &Rematch{Service: svc, Matcher: m, Clock: clock}
	return []Job{
		{Name: "training-outcomes", Spec: TrainingOutcomesSpec, Run: outcomes.Run,
			About: "enrollments → active, completed, passed (skills added to the file, matches recomputed, counsellor told), failed, inactive after 14 days"},
		{Name: "rematch", Spec: RematchSpec, Run: rematch.Run,
			About: "every seeking or training seeker's top matches recomputed; the counsellor told of new ones"},
	}
}
