package api

import (
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Outcome pages: referring a seeker to a post, moving referrals (counsellor and
// employer), and the follow-up worklist. They use the policy of
// policy_outcomes.go and the employer's anonymous view of a referral.

// referralRow is one referral with the moves this user may make.
type referralRow struct {
	R     any // *engine.Referral, or *employerReferral for an employer
	ID    string
	Title string
	Moves []option
	Hire  bool // hired is one of the moves: the form asks for the terms
	Anon  bool
	Seq   int
}

type referralsData struct {
	SeekerID, Name string
	Rows           []referralRow
	Employer       bool
}

// referralRows shows referrals to a user with the moves canMoveReferral allows.
func (st *site) referralRows(lang string, u *engine.User, list []*engine.Referral) []referralRow {
	rows := make([]referralRow, 0, len(list))
	for i, r := range list {
		row := referralRow{R: referralFor(u, r), ID: r.ID, Title: r.PostTitle, Anon: u.Role == engine.RoleEmployer, Seq: i + 1}
		street := st.streetOf(r.SeekerID, r.Street)
		for _, to := range engine.ReferralMoves(r.Status) {
			if canMoveReferral(u, r, street, to) == nil {
				row.Moves = append(row.Moves, option{Value: to, Label: st.cat.label(lang, "referralStatus", to)})
				row.Hire = row.Hire || to == engine.ReferralHired
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// seekerReferrals lists a seeker's referrals for their counsellor.
func (st *site) seekerReferrals(c *gin.Context) error {
	sk, err := st.readSeeker(c, canWriteSeeker, "read")
	if err != nil {
		return err
	}
	v := st.view(c, "referrals.titleSeeker", "Name", sk.Name)
	st.renderReferrals(c, v, sk)
	return nil
}

// employerReferrals lists the referrals to an employer's posts, anonymously.
func (st *site) employerReferrals(c *gin.Context) error {
	st.renderReferrals(c, st.view(c, "referrals.title"), nil)
	return nil
}

// renderReferrals shows the referrals a user may see: one seeker's, or (sk nil) all of them.
func (st *site) renderReferrals(c *gin.Context, v *view, sk *engine.Seeker) {
	u := pageUser(c)
	list := st.svc.Referrals(func(r *engine.Referral) bool {
		return (sk == nil || r.SeekerID == sk.ID) && canReadReferral(u, r, st.streetOf(r.SeekerID, r.Street)) == nil
	})
	slices.SortFunc(list, func(a, b *engine.Referral) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	d := referralsData{Rows: st.referralRows(v.Lang, u, list), Employer: u.Role == engine.RoleEmployer}
	if sk != nil {
		d.SeekerID, d.Name = sk.ID, sk.Name
	}
	v.Data = d
	st.render(c, formStatus(v), "referrals", v)
}

// referSubmit refers the :id seeker to the posted post (from the matches page).
func (st *site) referSubmit(c *gin.Context) error {
	u := pageUser(c)
	r, err := st.svc.Refer(c.Request.Context(), &engine.Referral{SeekerID: c.Param("id"), PostID: c.PostForm("postId")},
		c.PostForm("note"), u, func(sk *engine.Seeker, _ *engine.Post) error { return canReferSeeker(u, sk) })
	if err != nil {
		return err
	}
	if err := st.audit(c, "refer", r.SeekerID); err != nil {
		return err
	}
	return seeOther(c, "/seekers/"+url.PathEscape(r.SeekerID)+"/referrals", "referred")
}

// moveSubmit moves a referral (a counsellor from the seeker's page, an employer from theirs).
func (st *site) moveSubmit(c *gin.Context) error {
	u := pageUser(c)
	f := newForm(c)
	to := f.str("status")
	m := engine.Move{Status: to, Note: f.str("note")}
	if to == engine.ReferralHired {
		m.Terms = engine.HireTerms{Start: f.str("start"), MonthlyWage: f.int("monthlyWage"), WeeklyHours: f.int("weeklyHours")}
	}
	r, _, err := st.svc.MoveReferral(c.Request.Context(), c.Param("id"), m, u, func(r *engine.Referral) error {
		if err := canMoveReferral(u, r, st.streetOf(r.SeekerID, r.Street), to); err != nil {
			return err
		}
		return f.problems.Err()
	})
	if err != nil {
		// Show the list again with the messages beside this referral's fields.
		id := c.Param("id")
		ref, found := st.svc.Referral(id)
		if !found || canReadReferral(u, ref, st.streetOf(ref.SeekerID, ref.Street)) != nil {
			return err
		}
		var v *view
		var sk *engine.Seeker
		if u.Role == engine.RoleEmployer {
			v = st.view(c, "referrals.title")
		} else {
			sk = &engine.Seeker{}
			if gerr := st.svc.Store.Get(c.Request.Context(), engine.KindSeeker, ref.SeekerID, sk); gerr != nil {
				return gerr
			}
			v = st.view(c, "referrals.titleSeeker", "Name", sk.Name)
		}
		if ferr := st.formFailed(v, err, func(field string) string { return id + "." + field }); ferr != nil {
			return ferr
		}
		st.renderReferrals(c, v, sk)
		return nil
	}
	if err := st.audit(c, "referral-"+r.Status, r.SeekerID); err != nil {
		return err
	}
	back := "/referrals"
	if u.Role != engine.RoleEmployer {
		back = "/seekers/" + url.PathEscape(r.SeekerID) + "/referrals"
	}
	return seeOther(c, back+"#ref-"+url.PathEscape(r.ID), "moved")
}

// followUpsData is the follow-up worklist, the most overdue first.
type followUpsData struct{ Items []*engine.FollowUpView }

func (st *site) followUpsPage(c *gin.Context) error {
	st.renderFollowUps(c, st.view(c, "followups.title"))
	return nil
}

// renderFollowUps shows the due and overdue follow-ups of the placements the user may see.
func (st *site) renderFollowUps(c *gin.Context, v *view) {
	u := pageUser(c)
	list := st.svc.FollowUpWorklist([]string{engine.FollowUpDue, engine.FollowUpOverdue}, func(p *engine.Placement) bool {
		return canReadPlacement(u, p, st.streetOf(p.SeekerID, p.Street)) == nil
	})
	v.Data = followUpsData{Items: list}
	st.render(c, formStatus(v), "followups", v)
}

// followUpSubmit records a follow-up's outcome from the worklist.
func (st *site) followUpSubmit(c *gin.Context) error {
	u := pageUser(c)
	f := newForm(c)
	employed := f.str("employed")
	if employed != "yes" && employed != "no" {
		f.problems.Add("employed", "is required")
	}
	o := engine.FollowUpOutcome{Employed: employed == "yes", SameEmployer: f.bool("sameEmployer"),
		MonthlyWage: f.int("monthlyWage"), Note: f.str("note")}
	p, err := st.svc.RecordFollowUp(c.Request.Context(), c.Param("id"), c.Param("kind"), o, u, func(p *engine.Placement) error {
		if err := canReadPlacement(u, p, st.streetOf(p.SeekerID, p.Street)); err != nil {
			return err
		}
		return f.problems.Err()
	})
	if err != nil {
		key := c.Param("id") + "-" + c.Param("kind")
		v := st.view(c, "followups.title")
		if ferr := st.formFailed(v, err, func(field string) string { return key + "." + field }); ferr != nil {
			return ferr
		}
		st.renderFollowUps(c, v)
		return nil
	}
	if err := st.audit(c, "followup-"+c.Param("kind"), p.SeekerID); err != nil {
		return err
	}
	return seeOther(c, "/followups", "saved")
}
