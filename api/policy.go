package api

import (
	"slices"

	"jobbridge/engine"
)

// This file is the one place that says who may do what (DESIGN §5). Every
// route names its roles in routes(); the object-level checks below decide
// which records of those roles' kinds a user may touch. A user who may not
// know a record exists gets 404, a role that never may gets 403.

// roleRule is the set of roles that may call a route; admin may call every route.
type roleRule []string

func roles(rs ...string) roleRule { return roleRule(rs) }

// everyone is every logged-in role.
var everyone = roles(engine.RoleCounsellor, engine.RoleEmployer, engine.RoleTrainee, engine.RoleProvider)

func (r roleRule) allows(u *engine.User) bool {
	return u.Role == engine.RoleAdmin || slices.Contains(r, u.Role)
}

// canReadSeeker: admin; a counsellor of the seeker's street; the trainee whose file it is.
func canReadSeeker(u *engine.User, s *engine.Seeker) error {
	return readsSeeker(u, s.Street, s.ID, engine.KindSeeker, s.ID)
}

// readsSeeker is who may see what belongs to the seeker seekerID of street (a
// record of kind with id: the file itself, an enrollment): admin; a counsellor
// of the street; the trainee themself. Other counsellors and trainees get 404,
// so that the record's existence does not leak; other roles 403.
func readsSeeker(u *engine.User, street, seekerID string, kind engine.Kind, id string) error {
	switch {
	case u.Role == engine.RoleAdmin, u.WorksStreet(street),
		u.Role == engine.RoleTrainee && u.SeekerID == seekerID:
		return nil
	case u.Role == engine.RoleCounsellor || u.Role == engine.RoleTrainee:
		return notFound(kind, id)
	}
	return forbidden
}

// canWriteSeeker: admin; a counsellor of the seeker's street.
func canWriteSeeker(u *engine.User, s *engine.Seeker) error {
	switch {
	case u.Role == engine.RoleAdmin, u.WorksStreet(s.Street):
		return nil
	case u.Role == engine.RoleCounsellor:
		return notFound(engine.KindSeeker, s.ID)
	case u.Role == engine.RoleTrainee && u.SeekerID == s.ID:
		return forbidden
	}
	return forbidden
}

// seesPlainIDs: resident ID and certificate unmasked only for an admin or the
// seeker's own counsellor, and only on the file's detail view.
func seesPlainIDs(u *engine.User, s *engine.Seeker) bool {
	return u.Role == engine.RoleAdmin || (u.Role == engine.RoleCounsellor && s.CounsellorID == u.ID)
}

// canReadEmployer: admin, counsellors, the employer's own users.
func canReadEmployer(u *engine.User, id string) error {
	switch {
	case u.Role == engine.RoleAdmin, u.Role == engine.RoleCounsellor,
		u.Role == engine.RoleEmployer && u.EmployerID == id:
		return nil
	case u.Role == engine.RoleEmployer:
		return notFound(engine.KindEmployer, id)
	}
	return forbidden
}

// canWriteEmployer: admin and the employer's own users.
func canWriteEmployer(u *engine.User, id string) error {
	switch {
	case u.Role == engine.RoleAdmin, u.Role == engine.RoleEmployer && u.EmployerID == id:
		return nil
	case u.Role == engine.RoleEmployer:
		return notFound(engine.KindEmployer, id)
	}
	return forbidden
}

// canReadPost: admin, counsellors, the employer who posted it.
func canReadPost(u *engine.User, p *engine.Post) error {
	if u.Role == engine.RoleCounsellor {
		return nil
	}
	return canWritePost(u, p)
}

// canWritePost: admin and the employer who posted it.
func canWritePost(u *engine.User, p *engine.Post) error {
	switch {
	case u.Role == engine.RoleAdmin, u.Role == engine.RoleEmployer && u.EmployerID == p.EmployerID:
		return nil
	case u.Role == engine.RoleEmployer:
		return notFound(engine.KindPost, p.ID)
	}
	return forbidden
}

// canReadClass: admin, counsellors and trainees read every class; a provider its own.
func canReadClass(u *engine.User, c *engine.Class) error {
	switch {
	case u.Role == engine.RoleAdmin, u.Role == engine.RoleCounsellor, u.Role == engine.RoleTrainee,
		u.Role == engine.RoleProvider && slices.Contains(u.ClassIDs, c.ID):
		return nil
	case u.Role == engine.RoleProvider:
		return notFound(engine.KindClass, c.ID)
	}
	return forbidden
}
