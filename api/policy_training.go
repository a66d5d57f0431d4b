package api

import (
	"jobbridge/engine"
)

// The object checks of the training routes (the rest of the policy is in
// policy.go; the routes' roles are in the route table).

// canReadEnrollment: admin; a counsellor of the seeker's street; the trainee
// whose enrollment it is. street is the seeker's.
func canReadEnrollment(u *engine.User, e *engine.EnrollmentView, street string) error {
	return readsSeeker(u, street, e.SeekerID, engine.KindEnrollment, e.ID)
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
