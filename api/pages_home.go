package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// The home page of each role: where its work starts.

type counsellorHome struct {
	Street    string
	Total     uint64
	Statuses  []option
	FollowUps int // due or overdue
	Overdue   int
	Inbox     int
}

type employerHome struct {
	Employer  *engine.Employer
	Total     uint64
	Open      int
	Latest    []engine.SearchHit
	Referrals int // open referrals to the employer's posts
}

type adminHome struct {
	Users, Skills, Employers int
	Seekers, Posts, Classes  uint64
}

type traineeHome struct {
	S       *engine.Seeker
	Skills  []skillRow
	Matches []engine.MatchResult
}

type providerHome struct{ Classes []*engine.Class }

func (st *site) home(c *gin.Context) error {
	u := pageUser(c)
	ctx := c.Request.Context()
	lang := c.GetString(langKey)
	v := st.view(c, "home.title."+u.Role)
	switch u.Role {
	case engine.RoleCounsellor:
		q := engine.SearchQuery{Type: engine.KindSeeker, Limit: 1, Facets: true}
		if err := scope(u, &q); err != nil {
			return err
		}
		res, err := st.svc.Index.Search(ctx, q)
		if err != nil {
			return err
		}
		d := counsellorHome{Street: u.Street, Total: res.Total,
			Statuses: withCounts(st.options(lang, "status", nil, false), res.Facets["status"]), Inbox: len(st.svc.Inbox(u.ID))}
		for _, f := range st.svc.FollowUpWorklist([]string{engine.FollowUpDue, engine.FollowUpOverdue}, func(p *engine.Placement) bool {
			return canReadPlacement(u, p, st.streetOf(p.SeekerID, p.Street)) == nil
		}) {
			d.FollowUps++
			if f.Status == engine.FollowUpOverdue {
				d.Overdue++
			}
		}
		v.Data = d
	case engine.RoleEmployer:
		e, _ := st.svc.Employer(u.EmployerID)
		q := engine.SearchQuery{Type: engine.KindPost, Limit: 5, Facets: true}
		if err := scope(u, &q); err != nil {
			return err
		}
		res, err := st.svc.Index.Search(ctx, q)
		if err != nil {
			return err
		}
		d := employerHome{Employer: e, Total: res.Total, Latest: res.Hits,
			Referrals: len(st.svc.Referrals(func(r *engine.Referral) bool {
				return engine.OpenReferral(r.Status) && canReadReferral(u, r, st.streetOf(r.SeekerID, r.Street)) == nil
			}))}
		for _, fc := range res.Facets["status"] {
			if fc.Value == "open" {
				d.Open = fc.Count
			}
		}
		v.Data = d
	case engine.RoleAdmin:
		d := adminHome{Users: len(st.svc.Users()), Skills: len(st.svc.Skills()), Employers: len(st.svc.Employers())}
		for kind, n := range map[engine.Kind]*uint64{engine.KindSeeker: &d.Seekers, engine.KindPost: &d.Posts, engine.KindClass: &d.Classes} {
			res, err := st.svc.Index.Search(ctx, engine.SearchQuery{Type: kind, Limit: 1})
			if err != nil {
				return err
			}
			*n = res.Total
		}
		v.Data = d
	case engine.RoleTrainee:
		d, err := st.traineeHome(c, u)
		if err != nil {
			return err
		}
		v.Data = d
	case engine.RoleProvider:
		d := providerHome{}
		for _, id := range u.ClassIDs {
			var cl engine.Class
			if err := st.svc.Store.Get(ctx, engine.KindClass, id, &cl); err != nil {
				if engine.ErrorCode(err) == engine.ENOTFOUND {
					continue
				}
				return err
			}
			if canReadClass(u, &cl) == nil {
				d.Classes = append(d.Classes, &cl)
			}
		}
		v.Data = d
	}
	st.render(c, http.StatusOK, "home_"+u.Role, v)
	return nil
}

// traineeHome is a trainee's own file in short and their best matches.
func (st *site) traineeHome(c *gin.Context, u *engine.User) (traineeHome, error) {
	var d traineeHome
	var sk engine.Seeker
	if err := st.svc.Store.Get(c.Request.Context(), engine.KindSeeker, u.SeekerID, &sk); err != nil {
		return d, err
	}
	if err := canReadSeeker(u, &sk); err != nil {
		return d, err
	}
	if err := st.audit(c, "read", sk.ID); err != nil {
		return d, err
	}
	d.S = seekerView(u, &sk, false)
	d.Skills = st.skillRows(c.GetString(langKey), sk.Skills)
	if res, err := st.matcher.Matches(sk.ID, engine.KindPost, 3); err == nil {
		d.Matches = res.Results
	}
	return d, nil
}
