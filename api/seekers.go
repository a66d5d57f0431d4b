package api

import (
	"context"
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

// createSeeker stores a new file through engine.CreateSeeker, which holds
// what a counsellor's new file may say (street, counsellor, not erased).
func (s *Server) createSeeker(c *gin.Context) {
	u := user(c)
	sk, done := createWith(c, &engine.Seeker{}, func(ctx context.Context, sk *engine.Seeker) error {
		return s.svc.CreateSeeker(ctx, u, sk)
	})
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

// patchSeeker edits a file the user may write through engine.UpdateSeeker,
// which holds what an edit may change (the pages' edit form goes through it too).
func (s *Server) patchSeeker(c *gin.Context) {
	u := user(c)
	sk, done := patchWith(c, s, engine.KindSeeker, &engine.Seeker{}, canWriteSeeker, func(ctx context.Context, sk *engine.Seeker) error {
		return s.svc.UpdateSeeker(ctx, u, sk)
	})
	if !done {
		return
	}
	if err := s.audit(c, "update", sk.ID); err != nil {
		fail(c, err)
		return
	}
	ok(c, seekerView(u, sk, true))
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
