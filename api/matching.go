package api

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// maxMatches is the largest ?limit= of the matching routes.
const maxMatches = 100

// matchedSeeker checks that the user may read the seeker's file (the matching
// state knows its street) and audits the access.
func (s *Server) matchedSeeker(c *gin.Context, action string) (string, bool) {
	id := c.Param("id")
	info, found := s.matcher.Seeker(id)
	if !found {
		fail(c, notFound(engine.KindSeeker, id))
		return "", false
	}
	if err := canReadSeeker(user(c), &engine.Seeker{Meta: engine.Meta{ID: id}, Street: info.Street}); err != nil {
		fail(c, err)
		return "", false
	}
	if err := s.audit(c, action, id); err != nil {
		fail(c, err)
		return "", false
	}
	return id, true
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
	res, err := s.matcher.Gaps(id, limit)
	if err != nil {
		fail(c, err)
		return
	}
	for i := range res.Results {
		for j := range res.Results[i].Missing {
			m := &res.Results[i].Missing[j]
			if sk, found := s.svc.Skill(m.Code); found {
				m.Zh, m.En = sk.Zh, sk.En
			}
		}
	}
	ok(c, res)
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
	keep := func(info *engine.SeekerInfo) bool {
		switch u.Role {
		case engine.RoleAdmin:
			return true
		case engine.RoleCounsellor:
			return counsellorCovers(u, info.Street)
		case engine.RoleEmployer:
			return info.Consent
		}
		return false
	}
	res, err := s.matcher.Candidates(p.ID, limit, keep)
	if err != nil {
		fail(c, err)
		return
	}
	if u.Role != engine.RoleEmployer {
		ok(c, res)
		return
	}
	anon := make([]anonymousCandidate, len(res.Results))
	for i, r := range res.Results {
		anon[i] = anonymousCandidate{Candidate: fmt.Sprintf("#%d", i+1), Score: r.Score,
			CommuteMinutes: r.CommuteMinutes, Factors: r.Factors}
	}
	ok(c, gin.H{"postId": p.ID, "results": anon, "excluded": res.Excluded})
}
