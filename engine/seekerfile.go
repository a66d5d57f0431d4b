package engine

import (
	"context"
	"errors"
	"fmt"
)

// WorksStreet says whether u is a counsellor whose caseload takes in street:
// their own street, or every street when they have none (district-wide).
func (u *User) WorksStreet(street string) bool {
	return u.Role == RoleCounsellor && (u.Street == "" || u.Street == street)
}

// CreateSeeker stores a new seeker file written by actor, through the rules
// every edge shares (the API and the pages): a counsellor's file goes on
// their own street and, unless it names another, on their caseload; the
// counsellor it names must work its street; no file is born erased. A
// resident ID already registered is a conflict that names the file holding
// it only to an admin.
func (s *Service) CreateSeeker(ctx context.Context, actor *User, sk *Seeker) error {
	var p Problems
	if sk.Erased {
		p.Add("erased", "is set only by erasing a file (DELETE /seekers/{id})")
	}
	if actor.Role == RoleCounsellor {
		if sk.CounsellorID == "" {
			sk.CounsellorID = actor.ID
		}
		if !actor.WorksStreet(sk.Street) {
			p.Add("street", "must be your own street (%s)", actor.Street)
		}
	}
	if sk.CounsellorID != "" {
		s.checkCounsellor(&p, sk, "counsellorId")
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.residentIDTaken(ctx, actor, sk, s.Create(ctx, KindSeeker, sk))
}

// UpdateSeeker writes edited over the stored file of the same id on behalf
// of actor, who may write the stored file (the edges check that). It refuses
// what no edit may do: touch an erased file (erasure is final), set erased
// (only Erase does), move a counsellor's file off their street, and change
// the file's counsellor — which decides who sees the plain resident ID —
// unless actor is an admin or the file's own counsellor handing it over, and
// then only to a counsellor who works the file's street. edited carries the
// rev it was read at; a file changed since is a conflict.
func (s *Service) UpdateSeeker(ctx context.Context, actor *User, edited *Seeker) error {
	var stored Seeker
	if err := s.Store.Get(ctx, KindSeeker, edited.ID, &stored); err != nil {
		return err
	}
	if edited.Rev != 0 && edited.Rev != stored.Rev {
		return Changed(KindSeeker, edited.ID)
	}
	var p Problems
	switch {
	case stored.Erased:
		p.Add("erased", "the file was erased; an erased file cannot be edited or restored")
	case edited.Erased:
		p.Add("erased", "is set only by erasing the file (DELETE /seekers/{id})")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if actor.Role == RoleCounsellor && !actor.WorksStreet(edited.Street) {
		p.Add("street", "must stay your own street (%s)", actor.Street)
	}
	reassigned := edited.CounsellorID != stored.CounsellorID
	if reassigned && actor.Role != RoleAdmin && actor.ID != stored.CounsellorID {
		return &Error{Code: EFORBIDDEN, Message: "only an admin or the file's own counsellor may reassign it",
			Fields: []FieldError{{"counsellorId", "only an admin or the file's own counsellor may change it"}}}
	}
	switch {
	case edited.CounsellorID == "":
	case reassigned:
		s.checkCounsellor(&p, edited, "counsellorId")
	case edited.Street != stored.Street:
		s.checkCounsellor(&p, edited, "street")
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.residentIDTaken(ctx, actor, edited, s.Replace(ctx, KindSeeker, edited))
}

// checkCounsellor adds a problem on field unless the file's counsellor is a
// live counsellor account that works the file's street. field is the street
// when only the street changed: the edit moved the file away from its
// counsellor. One message for every failure, so that it tells nobody which
// user ids exist or what their roles are.
func (s *Service) checkCounsellor(p *Problems, sk *Seeker, field string) {
	if u, found := s.User(sk.CounsellorID); found && !u.Disabled && u.WorksStreet(sk.Street) {
		return
	}
	if field == "street" {
		p.Add(field, "the file's counsellor does not work street %s; an admin assigns it a counsellor of that street first", sk.Street)
		return
	}
	p.Add(field, "must be a counsellor who works street %s (or the whole district)", sk.Street)
}

// residentIDTaken rewrites the store's conflict over a resident ID registered
// to another file: an admin is told which file holds it; anyone else, only
// that it is registered and to ask an admin (naming the file would tell a
// counsellor about a seeker of another street).
func (s *Service) residentIDTaken(ctx context.Context, actor *User, sk *Seeker, err error) error {
	if !IsResidentIDTaken(err) {
		return err
	}
	msg := "this resident ID is already registered to another file; ask an admin to find it"
	if actor.Role == RoleAdmin {
		if other, lookupErr := s.Store.SeekerIDByResidentID(ctx, sk.ResidentID); lookupErr == nil && other != "" {
			msg = fmt.Sprintf("this resident ID is already registered to seeker %s", other)
		}
	}
	return &Error{Code: ECONFLICT, Message: msg, Fields: []FieldError{{"residentId", msg}}}
}

// ResidentIDTaken is the conflict of a resident ID already registered to
// another file; it names no file.
func ResidentIDTaken() *Error {
	return &Error{Code: ECONFLICT, Message: "resident ID already registered to another file",
		Fields: []FieldError{{"residentId", "already registered to another file"}}}
}

// IsResidentIDTaken says whether err is the conflict ResidentIDTaken makes.
func IsResidentIDTaken(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ECONFLICT && len(e.Fields) == 1 && e.Fields[0].Field == "residentId"
}
