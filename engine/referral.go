package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Referral statuses (DESIGN §3). Referred and interviewing are open; hired,
// rejected and withdrawn are final.
const (
	ReferralReferred     = "referred"
	ReferralInterviewing = "interviewing"
	ReferralHired        = "hired"
	ReferralRejected     = "rejected"
	ReferralWithdrawn    = "withdrawn"
)

// ReferralStatuses lists the statuses in the order a referral meets them.
var ReferralStatuses = []string{ReferralReferred, ReferralInterviewing, ReferralHired, ReferralRejected, ReferralWithdrawn}

// referralMoves is the state machine: referred → interviewing → hired |
// rejected, and any open state → withdrawn. Nothing leaves a final state.
var referralMoves = map[string][]string{
	ReferralReferred:     {ReferralInterviewing, ReferralWithdrawn},
	ReferralInterviewing: {ReferralHired, ReferralRejected, ReferralWithdrawn},
}

// ReferralMoves lists the statuses a referral in status may move to (none for a final one).
func ReferralMoves(status string) []string { return slices.Clone(referralMoves[status]) }

// OpenReferral says whether a referral in status is still under way.
func OpenReferral(status string) bool { return len(referralMoves[status]) > 0 }

// Referral is a counsellor's introduction of a consenting seeker to a post.
// Street and CounsellorID are the seeker's when referred; History keeps every
// move with who made it and when. Hiring creates a Placement (PlacementID).
type Referral struct {
	Meta         `bson:",inline"`
	SeekerID     string         `json:"seekerId" bson:"seekerId"`
	PostID       string         `json:"postId" bson:"postId"`
	EmployerID   string         `json:"employerId" bson:"employerId"`
	PostTitle    string         `json:"postTitle" bson:"postTitle"`
	Street       string         `json:"street" bson:"street"`
	CounsellorID string         `json:"counsellorId,omitempty" bson:"counsellorId,omitempty"`
	Score        float64        `json:"score" bson:"score"` // the match score when referred
	Status       string         `json:"status" bson:"status"`
	PlacementID  string         `json:"placementId,omitempty" bson:"placementId,omitempty"`
	History      []ReferralMove `json:"history" bson:"history"`
}

// ReferralMove is one step of a referral's history.
type ReferralMove struct {
	From string    `json:"from,omitempty" bson:"from,omitempty"`
	To   string    `json:"to" bson:"to"`
	By   string    `json:"by" bson:"by"` // user id
	Role string    `json:"role" bson:"role"`
	At   time.Time `json:"at" bson:"at"`
	Note string    `json:"note,omitempty" bson:"note,omitempty"`
}

// HireTerms are what a move to hired may state about the job; zero values
// take the post's wage and weekly hours and today as the start.
type HireTerms struct {
	Start       string `json:"start,omitempty"`
	MonthlyWage int    `json:"monthlyWage,omitempty"`
	WeeklyHours int    `json:"weeklyHours,omitempty"`
}

// maxNote is the longest note a referral move or follow-up outcome keeps.
const maxNote = 500

// checkMove tells why a referral may not move to status: 409 naming the
// moves it allows, or 400 for a status that is not one.
func checkMove(r *Referral, to string) error {
	if !slices.Contains(ReferralStatuses, to) {
		return &Error{Code: EINVALID, Message: "validation failed",
			Fields: []FieldError{{"status", "must be one of " + strings.Join(ReferralStatuses, ", ")}}}
	}
	allowed := referralMoves[r.Status]
	if slices.Contains(allowed, to) {
		return nil
	}
	if len(allowed) == 0 {
		return Errorf(ECONFLICT, "referral %s is %s, a final status: it cannot move to %s", r.ID, r.Status, to)
	}
	return Errorf(ECONFLICT, "referral %s is %s: it may move to %s, not %s", r.ID, r.Status, orList(allowed), to)
}

// orList joins words as "a, b or c".
func orList(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// check validates hire terms against today: a start within a year back and
// half a year ahead, a wage and hours in range.
func (t *HireTerms) check(today time.Time) error {
	var p Problems
	if t.Start != "" {
		d, err := ParseDate(t.Start)
		switch {
		case err != nil:
			p.Add("start", "must be a date YYYY-MM-DD")
		case d.Before(today.AddDate(-1, 0, 0)) || d.After(today.AddDate(0, 6, 0)):
			p.Add("start", "must be within a year before and six months after today")
		}
	}
	checkRange(&p, "monthlyWage", t.MonthlyWage, 0, 1_000_000)
	checkRange(&p, "weeklyHours", t.WeeklyHours, 0, 84)
	return p.Err()
}

// referralRefused explains why a post may not take a referral of a seeker:
// a closed post is a conflict with its state, a broken hard constraint a
// mismatch between seeker and post (400 naming the rule).
func referralRefused(sk *Seeker, p *Post, today string) (float64, error) {
	if p.Status == "open" && p.Openings <= 0 {
		return 0, Errorf(ECONFLICT, "post %s has no opening left (hard constraint 1)", p.ID)
	}
	ev := EvaluatePost(sk, p, today)
	switch ev.Rule {
	case 0:
		return ev.Result.Score, nil
	case RuleOpen:
		why := "it is " + p.Status
		if p.Status == "open" {
			why = "it closed on " + p.ClosesOn
		}
		return 0, Errorf(ECONFLICT, "post %s does not take referrals: %s (hard constraint 1)", p.ID, why)
	}
	n := Rules[ev.Rule-1].Name
	msg := fmt.Sprintf("hard constraint %d: %s (%s)", ev.Rule, n.En, n.Zh)
	if ev.Rule == RuleSkills && len(ev.Missing) > 0 {
		var miss []string
		for _, m := range ev.Missing {
			miss = append(miss, fmt.Sprintf("%s level %d (has %d)", m.Code, m.Need, m.Have))
		}
		msg += ": needs " + strings.Join(miss, ", ")
	}
	return 0, &Error{Code: EINVALID, Message: fmt.Sprintf("seeker %s cannot be referred to post %s: hard constraint %d, %s", sk.ID, p.ID, ev.Rule, n.En),
		Fields: []FieldError{{"postId", msg}}}
}
