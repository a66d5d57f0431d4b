package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// access is an object-level policy check for the current user and a record.
type access[R engine.Record] func(u *engine.User, r R) error

// loadRecord reads the record named by the :id parameter and checks that the
// user may see it; it answers the error itself and returns false.
func loadRecord[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R]) bool {
	if err := getAllowed(c, s, kind, r, may); err != nil {
		fail(c, err)
		return false
	}
	return true
}

// getAllowed reads the record named by the :id parameter into r and checks
// that the user may see it; the API and the pages both read records through it.
func getAllowed[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R]) error {
	if err := s.svc.Store.Get(c.Request.Context(), kind, c.Param("id"), r); err != nil {
		return err
	}
	return may(user(c), r)
}

// getRecord answers GET /{kind}/{id}.
func getRecord[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R]) {
	if loadRecord(c, s, kind, r, may) {
		etag(c, r)
		ok(c, r)
	}
}

// saver writes a decoded record: a plain create or replace after a policy
// check, or a domain use case that checks what its actor may change (seekers).
type saver[R engine.Record] func(ctx context.Context, r R) error

// createRecord decodes a new record, lets may set and check what the caller's
// role decides (an employer's own id), and stores it.
func createRecord[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R]) (R, bool) {
	return createWith(c, r, func(ctx context.Context, r R) error {
		if err := may(user(c), r); err != nil {
			return err
		}
		return s.svc.Create(ctx, kind, r)
	})
}

// createWith decodes a new record (of its meta only the id is the client's) and saves it.
func createWith[R engine.Record](c *gin.Context, r R, save saver[R]) (R, bool) {
	if err := decode(c, r); err != nil {
		fail(c, err)
		return r, false
	}
	m := r.RecordMeta()
	*m = engine.Meta{ID: m.ID}
	if err := save(c.Request.Context(), r); err != nil {
		fail(c, err)
		return r, false
	}
	return r, true
}

// patchRecord merges the fields present in the body into the stored record and
// writes it back; the user must be allowed the record before and after the change.
func patchRecord[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R]) (R, bool) {
	return patchWith(c, s, kind, r, may, func(ctx context.Context, r R) error {
		if err := may(user(c), r); err != nil {
			return err
		}
		return s.svc.Replace(ctx, kind, r)
	})
}

// patchWith reads the record the user may write, merges the fields present in
// the body into it (keeping its meta: the rev read) and saves it.
func patchWith[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, r R, may access[R], save saver[R]) (R, bool) {
	if !loadRecord(c, s, kind, r, may) {
		return r, false
	}
	if err := ifMatch(c, kind, r); err != nil {
		fail(c, err)
		return r, false
	}
	meta := *r.RecordMeta()
	if err := decode(c, r); err != nil {
		fail(c, err)
		return r, false
	}
	*r.RecordMeta() = meta
	if err := save(c.Request.Context(), r); err != nil {
		fail(c, err)
		return r, false
	}
	etag(c, r)
	return r, true
}

// anyone lets every role that passed the route's guard at a record.
func anyone[R engine.Record](*engine.User, R) error { return nil }

// Skills.

func (s *Server) listSkills(c *gin.Context) { ok(c, gin.H{"results": s.svc.Skills()}) }

func (s *Server) createSkill(c *gin.Context) {
	if sk, done := createRecord(c, s, engine.KindSkill, &engine.Skill{}, anyone); done {
		created(c, sk)
	}
}

func (s *Server) patchSkill(c *gin.Context) {
	if sk, done := patchRecord(c, s, engine.KindSkill, &engine.Skill{}, anyone); done {
		ok(c, sk)
	}
}

// Employers.

func (s *Server) listEmployers(c *gin.Context) {
	u := user(c)
	out := []*engine.Employer{}
	for _, e := range s.svc.Employers() {
		if canReadEmployer(u, e.ID) == nil {
			out = append(out, e)
		}
	}
	page(c, out, func(e *engine.Employer) string { return e.ID })
}

func (s *Server) createEmployer(c *gin.Context) {
	if e, done := createRecord(c, s, engine.KindEmployer, &engine.Employer{}, anyone); done {
		created(c, e)
	}
}

func employerAccess(check func(*engine.User, string) error) access[*engine.Employer] {
	return func(u *engine.User, e *engine.Employer) error { return check(u, e.ID) }
}

func (s *Server) getEmployer(c *gin.Context) {
	getRecord(c, s, engine.KindEmployer, &engine.Employer{}, employerAccess(canReadEmployer))
}

func (s *Server) patchEmployer(c *gin.Context) {
	if e, done := patchRecord(c, s, engine.KindEmployer, &engine.Employer{}, employerAccess(canWriteEmployer)); done {
		ok(c, e)
	}
}

// Posts.

func (s *Server) createPost(c *gin.Context) {
	if p, done := createRecord(c, s, engine.KindPost, &engine.Post{}, ownPost); done {
		created(c, p)
	}
}

// ownPost makes an employer's new post theirs: employerId defaults to their
// employer and may not name another.
func ownPost(u *engine.User, p *engine.Post) error {
	if u.Role == engine.RoleEmployer && p.EmployerID == "" {
		p.EmployerID = u.EmployerID
	}
	if u.Role == engine.RoleEmployer && p.EmployerID != u.EmployerID {
		return invalid("employerId", "must be your own employer")
	}
	return nil
}

func (s *Server) getPost(c *gin.Context) {
	getRecord(c, s, engine.KindPost, &engine.Post{}, canReadPost)
}

func (s *Server) patchPost(c *gin.Context) {
	if p, done := patchRecord(c, s, engine.KindPost, &engine.Post{}, canWritePost); done {
		ok(c, p)
	}
}

// Classes.

func (s *Server) createClass(c *gin.Context) {
	if cl, done := createRecord(c, s, engine.KindClass, &engine.Class{}, anyone); done {
		created(c, cl)
	}
}

func (s *Server) getClass(c *gin.Context) {
	getRecord(c, s, engine.KindClass, &engine.Class{}, canReadClass)
}

func (s *Server) patchClass(c *gin.Context) {
	if cl, done := patchRecord(c, s, engine.KindClass, &engine.Class{}, anyone); done {
		ok(c, cl)
	}
}
