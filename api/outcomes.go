package api

import (
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// referralInput is what POST /referrals takes.
type referralInput struct {
	ID       string `json:"id"`
	SeekerID string `json:"seekerId"`
	PostID   string `json:"postId"`
	Note     string `json:"note"`
}

// moveInput is what PATCH /referrals/{id} takes: the status, a note for the
// history and, with hired, the terms of the job.
type moveInput struct {
	Status string `json:"status"`
	Note   string `json:"note"`
	engine.HireTerms
}

// streetOf is a seeker's street now, else the one a record kept from when it was made.
func (s *Server) streetOf(seekerID, kept string) string {
	if st := s.seekerStreet(seekerID); st != "" {
		return st
	}
	return kept
}

func (s *Server) createReferral(c *gin.Context) {
	var in referralInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	u := user(c)
	r, err := s.svc.Refer(c.Request.Context(), &engine.Referral{Meta: engine.Meta{ID: in.ID}, SeekerID: in.SeekerID, PostID: in.PostID}, in.Note, u,
		func(sk *engine.Seeker, _ *engine.Post) error { return canReferSeeker(u, sk) })
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "refer", r.SeekerID); err != nil {
		fail(c, err)
		return
	}
	created(c, r)
}

func (s *Server) listReferrals(c *gin.Context) {
	u := user(c)
	status, seeker, post := c.Query("status"), c.Query("seekerId"), c.Query("postId")
	if status != "" && !slices.Contains(engine.ReferralStatuses, status) {
		fail(c, invalid("status", "must be one of "+strings.Join(engine.ReferralStatuses, ", ")))
		return
	}
	if seeker != "" && u.Role == engine.RoleEmployer {
		fail(c, invalid("seekerId", "is not a filter employers may use"))
		return
	}
	list := s.svc.Referrals(func(r *engine.Referral) bool {
		return (status == "" || r.Status == status) && (seeker == "" || r.SeekerID == seeker) && (post == "" || r.PostID == post) &&
			canReadReferral(u, r, s.streetOf(r.SeekerID, r.Street)) == nil
	})
	out := make([]any, len(list))
	for i, r := range list {
		out[i] = referralFor(u, r)
	}
	page(c, out, func(v any) string { return v.(engine.Record).RecordMeta().ID })
}

func (s *Server) getReferral(c *gin.Context) {
	u := user(c)
	r, found := s.svc.Referral(c.Param("id"))
	if !found {
		fail(c, notFound(engine.KindReferral, c.Param("id")))
		return
	}
	if err := canReadReferral(u, r, s.streetOf(r.SeekerID, r.Street)); err != nil {
		fail(c, err)
		return
	}
	ok(c, referralFor(u, r))
}

// moveReferral answers the referral after the move and, for a hire seen by a
// counsellor or an admin, the placement it created.
func (s *Server) moveReferral(c *gin.Context) {
	var in moveInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	u := user(c)
	r, pl, err := s.svc.MoveReferral(c.Request.Context(), c.Param("id"), engine.Move{Status: in.Status, Note: in.Note, Terms: in.HireTerms}, u,
		func(r *engine.Referral) error {
			return canMoveReferral(u, r, s.streetOf(r.SeekerID, r.Street), in.Status)
		})
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "referral-"+r.Status, r.SeekerID); err != nil {
		fail(c, err)
		return
	}
	if pl != nil && u.Role != engine.RoleEmployer {
		ok(c, gin.H{"referral": r, "placement": pl})
		return
	}
	ok(c, gin.H{"referral": referralFor(u, r)})
}

func (s *Server) listPlacements(c *gin.Context) {
	u := user(c)
	status, street, seeker, employer := c.Query("status"), c.Query("street"), c.Query("seekerId"), c.Query("employerId")
	if status != "" && !slices.Contains(engine.PlacementStatuses, status) {
		fail(c, invalid("status", "must be one of "+strings.Join(engine.PlacementStatuses, ", ")))
		return
	}
	if street != "" && engine.Streets[street] == "" {
		fail(c, invalid("street", "is not a street code"))
		return
	}
	list := s.svc.Placements(func(p *engine.Placement) bool {
		st := s.streetOf(p.SeekerID, p.Street)
		return (status == "" || p.Status == status) && (street == "" || st == street) && (seeker == "" || p.SeekerID == seeker) &&
			(employer == "" || p.EmployerID == employer) && canReadPlacement(u, p, st) == nil
	})
	page(c, list, func(p *engine.Placement) string { return p.ID })
}

// loadPlacement finds the placement named by :id that the user may see.
func (s *Server) loadPlacement(c *gin.Context) (*engine.Placement, bool) {
	p, found := s.svc.Placement(c.Param("id"))
	if !found {
		fail(c, notFound(engine.KindPlacement, c.Param("id")))
		return nil, false
	}
	if err := canReadPlacement(user(c), p, s.streetOf(p.SeekerID, p.Street)); err != nil {
		fail(c, err)
		return nil, false
	}
	return p, true
}

func (s *Server) getPlacement(c *gin.Context) {
	if p, found := s.loadPlacement(c); found {
		ok(c, p)
	}
}

// followUpInput is what PATCH /placements/{id}/followups/{kind} takes: the
// outcome, with employed required.
type followUpInput struct {
	Employed     *bool  `json:"employed"`
	SameEmployer bool   `json:"sameEmployer"`
	MonthlyWage  int    `json:"monthlyWage"`
	Note         string `json:"note"`
}

func (s *Server) recordFollowUp(c *gin.Context) {
	if _, found := s.loadPlacement(c); !found {
		return
	}
	var in followUpInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.Employed == nil {
		fail(c, invalid("employed", "is required (true or false)"))
		return
	}
	u := user(c)
	o := engine.FollowUpOutcome{Employed: *in.Employed, SameEmployer: in.SameEmployer, MonthlyWage: in.MonthlyWage, Note: in.Note}
	p, err := s.svc.RecordFollowUp(c.Request.Context(), c.Param("id"), c.Param("kind"), o, u,
		func(p *engine.Placement) error { return canReadPlacement(u, p, s.streetOf(p.SeekerID, p.Street)) })
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "followup-"+c.Param("kind"), p.SeekerID); err != nil {
		fail(c, err)
		return
	}
	ok(c, p)
}

// followUps is the follow-up worklist: ?state=due|overdue|missed (several
// comma-separated; default due,overdue) of the placements the user may see,
// ?street= narrowing it, the most overdue first.
func (s *Server) followUps(c *gin.Context) {
	u := user(c)
	states := []string{engine.FollowUpDue, engine.FollowUpOverdue}
	if v := c.Query("state"); v != "" {
		states = strings.Split(v, ",")
		for _, st := range states {
			if !slices.Contains([]string{engine.FollowUpScheduled, engine.FollowUpDue, engine.FollowUpOverdue, engine.FollowUpMissed}, st) {
				fail(c, invalid("state", "must be due, overdue, missed or scheduled (comma-separated)"))
				return
			}
		}
	}
	street := c.Query("street")
	if street != "" && engine.Streets[street] == "" {
		fail(c, invalid("street", "is not a street code"))
		return
	}
	if street != "" && u.Role == engine.RoleCounsellor && u.Street != "" && street != u.Street {
		fail(c, engine.Errorf(engine.EFORBIDDEN, "you work the %s street only", u.Street))
		return
	}
	list := s.svc.FollowUpWorklist(states, func(p *engine.Placement) bool {
		st := s.streetOf(p.SeekerID, p.Street)
		return (street == "" || st == street) && canReadPlacement(u, p, st) == nil
	})
	page(c, list, (*engine.FollowUpView).Key)
}
