package api

import (
	"time"

	"jobbridge/engine"
)

// The object checks of referrals, placements and follow-ups (the rest of the
// policy is in policy.go; the routes' roles are in the route table). street is
// the seeker's street now, so a counsellor follows the files they keep.

// canReadReferral: admin; a counsellor of the seeker's street; the employer
// whose post it is.
func canReadReferral(u *engine.User, r *engine.Referral, street string) error {
	switch {
	case u.Role == engine.RoleAdmin, u.WorksStreet(street),
		u.Role == engine.RoleEmployer && u.EmployerID == r.EmployerID:
		return nil
	case u.Role == engine.RoleCounsellor || u.Role == engine.RoleEmployer:
		return notFound(engine.KindReferral, r.ID)
	}
	return forbidden
}

// canMoveReferral: whoever may read it, except that only a counsellor or an
// admin records a withdrawal (the seeker's decision, not the employer's: an
// employer who does not want the person rejects them).
func canMoveReferral(u *engine.User, r *engine.Referral, street, to string) error {
	if err := canReadReferral(u, r, street); err != nil {
		return err
	}
	if u.Role == engine.RoleEmployer && to == engine.ReferralWithdrawn {
		return engine.Errorf(engine.EFORBIDDEN, "a withdrawal is recorded by the seeker's counsellor; an employer moves a referral to interviewing, hired or rejected")
	}
	return nil
}

// canReferSeeker: admin; a counsellor of the seeker's street.
func canReferSeeker(u *engine.User, sk *engine.Seeker) error { return canWriteSeeker(u, sk) }

// canReadPlacement: admin; a counsellor of the seeker's street. Employers
// see their referrals' status, not the follow-ups of the people they hired.
func canReadPlacement(u *engine.User, p *engine.Placement, street string) error {
	switch {
	case u.Role == engine.RoleAdmin, u.WorksStreet(street):
		return nil
	case u.Role == engine.RoleCounsellor:
		return notFound(engine.KindPlacement, p.ID)
	}
	return forbidden
}

// employerReferral is a referral as its employer sees it: the post, the
// status and its history, not who the seeker is (the counsellor introduces
// them), like the anonymous candidates.
type employerReferral struct {
	engine.Meta
	PostID      string         `json:"postId"`
	PostTitle   string         `json:"postTitle"`
	EmployerID  string         `json:"employerId"`
	Status      string         `json:"status"`
	Score       float64        `json:"score"`
	PlacementID string         `json:"placementId,omitempty"`
	History     []employerMove `json:"history"`
}

// employerMove is a step of a referral's history by the role that made it,
// not the user: a counsellor's user id names the seeker's street.
type employerMove struct {
	From string    `json:"from,omitempty"`
	To   string    `json:"to"`
	Role string    `json:"role"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// referralFor shows a referral to a user: anonymous to an employer.
func referralFor(u *engine.User, r *engine.Referral) any {
	if u.Role != engine.RoleEmployer {
		return r
	}
	moves := make([]employerMove, len(r.History))
	for i, m := range r.History {
		moves[i] = employerMove{From: m.From, To: m.To, Role: m.Role, At: m.At, Note: m.Note}
	}
	return &employerReferral{Meta: r.Meta, PostID: r.PostID, PostTitle: r.PostTitle, EmployerID: r.EmployerID,
		Status: r.Status, Score: r.Score, PlacementID: r.PlacementID, History: moves}
}
