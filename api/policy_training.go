package api

import (
	"slices"

	"jobbridge/engine"
)

// The object checks of the training routes (the rest of the policy is in
// policy.go; the routes' roles are in the route table).

// canReadEnrollment: admin; a counsellor of the seeker's street; the trainee
// whose enrollment it is. street is the seeker's.
func canReadEnrollment(u *engine.User, e *engine.EnrollmentView, street string) error {
	return readsSeeker(u, street, e.SeekerID, engine.KindEnrollment, e.ID)
}

// canReportStatement: admin; a provider for its own classes; a trainee for themself.
func canReportStatement(u *engine.User, st *engine.Statement) error {
	switch {
	case u.Role == engine.RoleAdmin:
		return nil
	case u.Role == engine.RoleProvider && slices.Contains(u.ClassIDs, st.ClassID):
		return nil
	case u.Role == engine.RoleProvider:
		return engine.Errorf(engine.EFORBIDDEN, "you report statements for your own classes only, not %s", st.ClassID)
	case u.Role == engine.RoleTrainee && u.SeekerID == st.SeekerID:
		return nil
	case u.Role == engine.RoleTrainee:
		return engine.Errorf(engine.EFORBIDDEN, "a trainee reports statements about themself only")
	}
	return forbidden
}

// inboxOwner is whose inbox a user reads: a counsellor their own, an admin
// anyone's (asked, or everyone's when asked nothing).
func inboxOwner(u *engine.User, asked string) (string, error) {
	switch u.Role {
	case engine.RoleCounsellor:
		if asked != "" && asked != u.ID {
			return "", forbidden
		}
		return u.ID, nil
	case engine.RoleAdmin:
		return asked, nil
	}
	return "", forbidden
}
