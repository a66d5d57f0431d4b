package engine

import (
	"slices"
	"time"
)

// Placement statuses: active from the hire; closed-successful once the
// 90-day follow-up is done and the person employed (the US
// vocational-rehabilitation rule of 90 days in the job); ended when the
// 90-day follow-up found them out of work or was missed.
const (
	PlacementActive     = "active"
	PlacementEnded      = "ended"
	PlacementSuccessful = "closed-successful"
)

// PlacementStatuses lists the placement statuses.
var PlacementStatuses = []string{PlacementActive, PlacementEnded, PlacementSuccessful}

// Follow-up kinds and their days from the placement's start.
const (
	FollowUp30  = "30d"
	FollowUp90  = "90d"
	FollowUp180 = "180d"
	FollowUp365 = "365d"
)

// FollowUpKinds lists the follow-up kinds in order; FollowUpDays their days after the start.
var (
	FollowUpKinds = []string{FollowUp30, FollowUp90, FollowUp180, FollowUp365}
	FollowUpDays  = map[string]int{FollowUp30: 30, FollowUp90: 90, FollowUp180: 180, FollowUp365: 365}
)

// Follow-up statuses. A follow-up not yet done only moves forward:
// scheduled → due (on its due date) → overdue (OverdueAfter later) → missed
// (MissedAfter after the due date). Done is recorded by a counsellor and may
// be recorded from any of them.
const (
	FollowUpScheduled = "scheduled"
	FollowUpDue       = "due"
	FollowUpDone      = "done"
	FollowUpOverdue   = "overdue"
	FollowUpMissed    = "missed"
)

// FollowUpStatuses lists the follow-up statuses.
var FollowUpStatuses = []string{FollowUpScheduled, FollowUpDue, FollowUpDone, FollowUpOverdue, FollowUpMissed}

// The follow-up clock, in days after the due date.
const (
	OverdueAfter = 7  // due → overdue
	MissedAfter  = 60 // overdue → missed
	// EarlyRecord is how many days before its due date a follow-up may be recorded.
	EarlyRecord = 7
)

// followUpRank orders the statuses a follow-up not done passes through.
var followUpRank = map[string]int{FollowUpScheduled: 0, FollowUpDue: 1, FollowUpOverdue: 2, FollowUpMissed: 3}

// Placement is a seeker's job after a hire, with the follow-ups at 30, 90, 180
// and 365 days from the start. Street and CounsellorID are the seeker's at the
// hire: the reports count a placement under that street.
type Placement struct {
	Meta         `bson:",inline"`
	SeekerID     string     `json:"seekerId" bson:"seekerId"`
	PostID       string     `json:"postId" bson:"postId"`
	EmployerID   string     `json:"employerId" bson:"employerId"`
	ReferralID   string     `json:"referralId" bson:"referralId"`
	PostTitle    string     `json:"postTitle" bson:"postTitle"`
	EmployerName string     `json:"employerName" bson:"employerName"`
	Street       string     `json:"street" bson:"street"`
	CounsellorID string     `json:"counsellorId,omitempty" bson:"counsellorId,omitempty"`
	HiredBy      string     `json:"hiredBy" bson:"hiredBy"`
	Start        string     `json:"start" bson:"start"`
	MonthlyWage  int        `json:"monthlyWage" bson:"monthlyWage"`
	WeeklyHours  int        `json:"weeklyHours" bson:"weeklyHours"`
	Status       string     `json:"status" bson:"status"`
	ClosedOn     string     `json:"closedOn,omitempty" bson:"closedOn,omitempty"`
	FollowUps    []FollowUp `json:"followUps" bson:"followUps"`
}

// FollowUp is one contact with a placed person at a fixed time after the start.
type FollowUp struct {
	Kind    string           `json:"kind" bson:"kind"`
	Due     string           `json:"due" bson:"due"`
	Status  string           `json:"status" bson:"status"`
	Outcome *FollowUpOutcome `json:"outcome,omitempty" bson:"outcome,omitempty"`
	DoneAt  *time.Time       `json:"doneAt,omitempty" bson:"doneAt,omitempty"`
	DoneBy  string           `json:"doneBy,omitempty" bson:"doneBy,omitempty"`
}

// FollowUpOutcome is what a follow-up found: whether the person works, for
// the placement's employer or another, and for what monthly wage.
type FollowUpOutcome struct {
	Employed     bool   `json:"employed" bson:"employed"`
	SameEmployer bool   `json:"sameEmployer" bson:"sameEmployer"`
	MonthlyWage  int    `json:"monthlyWage" bson:"monthlyWage"`
	Note         string `json:"note,omitempty" bson:"note,omitempty"`
}

// Check validates an outcome: no employer without employment, a wage in range.
func (o *FollowUpOutcome) Check() error {
	var p Problems
	if !o.Employed && o.SameEmployer {
		p.Add("sameEmployer", "must be false when employed is false")
	}
	if !o.Employed && o.MonthlyWage != 0 {
		p.Add("monthlyWage", "must be 0 when employed is false")
	}
	checkRange(&p, "monthlyWage", o.MonthlyWage, 0, 1_000_000)
	checkProse(&p, "note", o.Note, false, maxNote)
	return p.Err()
}

// ScheduleFollowUps gives a placement starting on start its four follow-ups, all scheduled.
func ScheduleFollowUps(start string) []FollowUp {
	d, err := ParseDate(start)
	if err != nil {
		return nil
	}
	out := make([]FollowUp, len(FollowUpKinds))
	for i, k := range FollowUpKinds {
		out[i] = FollowUp{Kind: k, Due: d.AddDate(0, 0, FollowUpDays[k]).Format(time.DateOnly), Status: FollowUpScheduled}
	}
	return out
}

// FollowUp returns the placement's follow-up of a kind, or nil.
func (p *Placement) FollowUp(kind string) *FollowUp {
	for i := range p.FollowUps {
		if p.FollowUps[i].Kind == kind {
			return &p.FollowUps[i]
		}
	}
	return nil
}

// Transition is a change Advance made: a follow-up's new status (Kind set),
// or the placement's (Kind empty).
type Transition struct {
	Kind   string
	From   string
	Status string
}

// followUpStatusOn is the status a follow-up not done has on today by the calendar.
func followUpStatusOn(due, today string) string {
	d, err := ParseDate(due)
	if err != nil {
		return FollowUpScheduled
	}
	switch {
	case today < due:
		return FollowUpScheduled
	case today < d.AddDate(0, 0, OverdueAfter).Format(time.DateOnly):
		return FollowUpDue
	case today < d.AddDate(0, 0, MissedAfter).Format(time.DateOnly):
		return FollowUpOverdue
	}
	return FollowUpMissed
}

// Advance brings a placement up to date on today (YYYY-MM-DD in Asia/Shanghai)
// and returns what changed: follow-ups missing from the schedule are added,
// statuses move forward by the calendar (never back, so a run with a later
// time is not undone by one with an earlier), and an active placement closes
// on its 90-day follow-up: successful when done and employed, ended when done
// and not employed or missed. It changes p in place; callers work on a copy.
func (p *Placement) Advance(today string) []Transition {
	var out []Transition
	if len(p.FollowUps) < len(FollowUpKinds) {
		have := map[string]bool{}
		for _, f := range p.FollowUps {
			have[f.Kind] = true
		}
		for _, f := range ScheduleFollowUps(p.Start) {
			if !have[f.Kind] {
				p.FollowUps = append(p.FollowUps, f)
				out = append(out, Transition{Kind: f.Kind, Status: FollowUpScheduled})
			}
		}
		slices.SortFunc(p.FollowUps, func(a, b FollowUp) int { return FollowUpDays[a.Kind] - FollowUpDays[b.Kind] })
	}
	for i := range p.FollowUps {
		f := &p.FollowUps[i]
		if f.Status == FollowUpDone {
			continue
		}
		if next := followUpStatusOn(f.Due, today); followUpRank[next] > followUpRank[f.Status] {
			out = append(out, Transition{Kind: f.Kind, From: f.Status, Status: next})
			f.Status = next
		}
	}
	if p.Status == PlacementActive {
		if f := p.FollowUp(FollowUp90); f != nil {
			next := ""
			switch {
			case f.Status == FollowUpDone && f.Outcome != nil && f.Outcome.Employed:
				next = PlacementSuccessful
			case f.Status == FollowUpDone, f.Status == FollowUpMissed:
				next = PlacementEnded
			}
			if next != "" {
				out = append(out, Transition{From: p.Status, Status: next})
				p.Status, p.ClosedOn = next, today
			}
		}
	}
	return out
}

// clone copies a placement deeply enough for Advance and RecordFollowUp to change the copy.
func (p *Placement) clone() *Placement {
	c := *p
	c.FollowUps = slices.Clone(p.FollowUps)
	return &c
}

// FollowUpView is one follow-up on a counsellor's worklist.
type FollowUpView struct {
	PlacementID  string `json:"placementId"`
	SeekerID     string `json:"seekerId"`
	PostID       string `json:"postId"`
	PostTitle    string `json:"postTitle"`
	EmployerID   string `json:"employerId"`
	EmployerName string `json:"employerName"`
	Street       string `json:"street"`
	CounsellorID string `json:"counsellorId,omitempty"`
	Start        string `json:"start"`
	Kind         string `json:"kind"`
	Due          string `json:"due"`
	Status       string `json:"status"`
}

// Key orders the worklist: the earliest due date (the most overdue) first.
func (v *FollowUpView) Key() string { return v.Due + "/" + v.PlacementID + "/" + v.Kind }
