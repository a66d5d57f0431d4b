package api

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// maxMatches is the largest ?limit= of the matching routes.
const maxMatches = 100

// matchedSeeker checks that the user may read the seeker's file and audits the
// access; it answers the error itself and returns false.
func (s *Server) matchedSeeker(c *gin.Context, action string) (string, bool) {
	id, err := s.checkMatchedSeeker(c, action)
	if err != nil {
		fail(c, err)
		return "", false
	}
	return id, true
}

// checkMatchedSeeker checks that the user may read the :id seeker's file (the
// matching state knows its street) and audits the access.
func (s *Server) checkMatchedSeeker(c *gin.Context, action string) (string, error) {
	id := c.Param("id")
	info, found := s.matcher.Seeker(id)
	if !found {
		return "", notFound(engine.KindSeeker, id)
	}
	if err := canReadSeeker(user(c), &engine.Seeker{Meta: engine.Meta{ID: id}, Street: info.Street}); err != nil {
		return "", err
	}
	if err := s.audit(c, action, id); err != nil {
		return "", err
	}
	return id, nil
}

func (s *Server) seekerMatches(c *gin.Context) {
	typ := engine.KindPost
	switch c.DefaultQuery("type", "posts") {
	case "posts":
	case "classes":
		typ = engine.KindClass
	default:
		fail(c, invalid("type", "must be posts or classes"))
		return
	}
	limit, err := limitParam(c, engine.DefaultMatchLimit, maxMatches)
	if err != nil {
		fail(c, err)
		return
	}
	id, done := s.matchedSeeker(c, "matches")
	if !done {
		return
	}
	res, err := s.matcher.Matches(id, typ, limit)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, res)
}

func (s *Server) seekerGaps(c *gin.Context) {
	limit, err := limitParam(c, engine.DefaultMatchLimit, maxMatches)
	if err != nil {
		fail(c, err)
		return
	}
	id, done := s.matchedSeeker(c, "gaps")
	if !done {
		return
	}
	res, err := s.gapsFor(id, limit)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, res)
}

// gapsFor is a seeker's gaps with the missing skills named from the catalog.
func (s *Server) gapsFor(id string, limit int) (*engine.GapsResponse, error) {
	res, err := s.matcher.Gaps(id, limit)
	if err != nil {
		return nil, err
	}
	for i := range res.Results {
		for j := range res.Results[i].Missing {
			m := &res.Results[i].Missing[j]
			if sk, found := s.svc.Skill(m.Code); found {
				m.Zh, m.En = sk.Zh, sk.En
			}
		}
	}
	return res, nil
}

// anonymousCandidate is what an employer sees of a candidate: no name, ids,
// disability or home; a rank to talk about with the counsellor.
type anonymousCandidate struct {
	Candidate      string                   `json:"candidate"`
	Score          float64                  `json:"score"`
	CommuteMinutes float64                  `json:"commuteMinutes"`
	Factors        map[string]engine.Factor `json:"factors"`
}

func (s *Server) postCandidates(c *gin.Context) {
	limit, err := limitParam(c, engine.DefaultMatchLimit, maxMatches)
	if err != nil {
		fail(c, err)
		return
	}
	var p engine.Post
	if !loadRecord(c, s, engine.KindPost, &p, canReadPost) {
		return
	}
	u := user(c)
	res, err := s.candidatesFor(u, &p, limit)
	if err != nil {
		fail(c, err)
		return
	}
	if u.Role != engine.RoleEmployer {
		ok(c, res)
		return
	}
	ok(c, gin.H{"postId": p.ID, "results": anonymise(res), "excluded": res.Excluded})
}

// candidatesFor ranks the seekers the user may see for a post: a counsellor
// their street's, an employer only those who consented.
func (s *Server) candidatesFor(u *engine.User, p *engine.Post, limit int) (*engine.CandidatesResponse, error) {
	keep := func(info *engine.SeekerInfo) bool {
		switch u.Role {
		case engine.RoleAdmin:
			return true
		case engine.RoleCounsellor:
			return u.WorksStreet(info.Street)
		case engine.RoleEmployer:
			return info.Consent
		}
		return false
	}
	return s.matcher.Candidates(p.ID, limit, keep)
}

// anonymise is what an employer sees of ranked candidates: a rank, no identity.
func anonymise(res *engine.CandidatesResponse) []anonymousCandidate {
	anon := make([]anonymousCandidate, len(res.Results))
	for i, r := range res.Results {
		anon[i] = anonymousCandidate{Candidate: fmt.Sprintf("#%d", i+1), Score: r.Score,
			CommuteMinutes: r.CommuteMinutes, Factors: r.Factors}
	}
	return anon
}
