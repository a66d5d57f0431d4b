package api

import (
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// MaskID hides the middle of a resident ID or certificate number: 310104********0013.
func MaskID(id string) string {
	if len(id) <= 10 {
		return strings.Repeat("*", len(id))
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}

// seekerView is what the user may see of a file: IDs masked unless the user is
// an admin or the seeker's own counsellor looking at the detail view.
func seekerView(u *engine.User, s *engine.Seeker, detail bool) *engine.Seeker {
	v := *s
	if !detail || !seesPlainIDs(u, s) {
		v.ResidentID = MaskID(s.ResidentID)
		v.Certificate = MaskID(s.Certificate)
	}
	return &v
}

// audit records an access to a seeker file; a read that cannot be audited is refused.
func (s *Server) audit(c *gin.Context, action, seekerID string) error {
	u := user(c)
	return s.svc.Store.Audit(c.Request.Context(), &engine.AuditEntry{At: s.clock.Now().UTC(), Actor: u.ID,
		Role: u.Role, Action: action, SeekerID: seekerID, Route: c.Request.Method + " " + c.FullPath()})
}

// listSeekers answers index summaries (id, name, street, status), not files:
// the full file is GET /seekers/{id}, which is audited.
func (s *Server) listSeekers(c *gin.Context) {
	if res, done := s.searchScoped(c, engine.KindSeeker); done {
		ok(c, res)
	}
}

// ownSeeker puts a counsellor's new seeker on their street and caseload.
func ownSeeker(u *engine.User, s *engine.Seeker) error {
	if u.Role != engine.RoleCounsellor {
		return nil
	}
	if s.CounsellorID == "" {
		s.CounsellorID = u.ID
	}
	if !counsellorCovers(u, s.Street) {
		return invalid("street", "must be your own street ("+u.Street+")")
	}
	return nil
}

func (s *Server) createSeeker(c *gin.Context) {
	sk, done := createRecord(c, s, engine.KindSeeker, &engine.Seeker{}, ownSeeker)
	if !done {
		return
	}
	if err := s.audit(c, "create", sk.ID); err != nil {
		fail(c, err)
		return
	}
	created(c, seekerView(user(c), sk, true))
}

func (s *Server) getSeeker(c *gin.Context) {
	var sk engine.Seeker
	if !loadRecord(c, s, engine.KindSeeker, &sk, canReadSeeker) {
		return
	}
	if err := s.audit(c, "read", sk.ID); err != nil {
		fail(c, err)
		return
	}
	etag(c, &sk)
	ok(c, seekerView(user(c), &sk, true))
}

// writableSeeker is canWriteSeeker for a counsellor who may not move a file off their street.
func writableSeeker(u *engine.User, sk *engine.Seeker) error {
	if err := canWriteSeeker(u, sk); err != nil {
		if u.Role == engine.RoleCounsellor && sk.ID != "" {
			return invalid("street", "must stay your own street ("+u.Street+")")
		}
		return err
	}
	return nil
}

func (s *Server) patchSeeker(c *gin.Context) {
	var sk engine.Seeker
	if !loadRecord(c, s, engine.KindSeeker, &sk, canWriteSeeker) {
		return
	}
	if err := ifMatch(c, engine.KindSeeker, &sk); err != nil {
		fail(c, err)
		return
	}
	meta := sk.Meta
	if err := decode(c, &sk); err != nil {
		fail(c, err)
		return
	}
	sk.Meta = meta
	if sk.Erased {
		fail(c, invalid("erased", "an erased file cannot be edited"))
		return
	}
	if err := writableSeeker(user(c), &sk); err != nil {
		fail(c, err)
		return
	}
	if err := s.svc.Replace(c.Request.Context(), engine.KindSeeker, &sk); err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "update", sk.ID); err != nil {
		fail(c, err)
		return
	}
	etag(c, &sk)
	ok(c, seekerView(user(c), &sk, true))
}

func (s *Server) eraseSeeker(c *gin.Context) {
	var sk engine.Seeker
	if !loadRecord(c, s, engine.KindSeeker, &sk, canWriteSeeker) {
		return
	}
	erased, err := s.svc.Erase(c.Request.Context(), sk.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "erase", sk.ID); err != nil {
		fail(c, err)
		return
	}
	ok(c, erased)
}
