package jobs

import (
	"context"
	"fmt"
	"time"

	"jobbridge/engine"
)

// TrainingOutcomes is the hourly training-outcomes job (DESIGN §7): it moves
// every enrollment to the status engine.Outcome decides from its progress, its
// class and the time. A pass adds the class's skills to the seeker's file,
// recomputes their matches and tells their counsellor how many are new; a
// failure and 14 days of inactivity are told too.
//
// The decisions are made on the service's in-memory roster (every enrollment
// folded, kept in step with the store by the change feed), so an hourly pass
// reads no enrollment it does not change; each one it would change is read
// from the store and decided again before anything is written.
type TrainingOutcomes struct {
	Service *engine.Service
	Matcher *engine.Matcher
	Clock   engine.Clock
}

// settleBatch is how many status changes go in one bulk write.
const settleBatch = 500

// Run is one pass over the enrollments.
func (j *TrainingOutcomes) Run(ctx context.Context) error {
	now := Now(ctx, j.Clock)
	st := j.Service.Store
	classes := map[string]*engine.Class{}
	err := st.Each(ctx, engine.KindClass, 0, func(r engine.Record) error {
		c := r.(*engine.Class)
		classes[c.ID] = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("training-outcomes: %w", err)
	}
	var candidates []*engine.EnrollmentView
	for _, v := range j.Service.Enrollments(func(v *engine.EnrollmentView) bool { return !engine.Final(v.Status) }) {
		Count(ctx, "enrollments", 1)
		c := classes[v.ClassID]
		if c == nil {
			Count(ctx, "noClass", 1)
			continue
		}
		e := engine.Enrollment{Meta: v.Meta, EnrolledAt: v.EnrolledAt, Status: v.Status}
		if engine.Outcome(&e, &v.Progress, c, now) != v.Status {
			candidates = append(candidates, v)
		}
	}
	var failed errs
	var changes []engine.StatusChange
	flush := func() {
		if len(changes) == 0 {
			return
		}
		if written, err := j.Service.SettleEnrollments(ctx, changes); err != nil {
			failed.add(err)
		} else {
			for _, ch := range written {
				Count(ctx, ch.Status, 1)
			}
		}
		changes = changes[:0]
	}
	for _, v := range candidates {
		if err := ctx.Err(); err != nil {
			return err
		}
		var e engine.Enrollment // the system of record decides
		if err := st.Get(ctx, engine.KindEnrollment, v.ID, &e); err != nil {
			failed.add(fmt.Errorf("enrollment %s: %w", v.ID, err))
			continue
		}
		c := classes[e.ClassID]
		p := engine.Fold(e.Log, c)
		status := engine.Outcome(&e, &p, c, now)
		if status == e.Status {
			continue
		}
		if err := j.tellAbout(ctx, &e, c, status, now); err != nil {
			failed.add(fmt.Errorf("enrollment %s: %w", e.ID, err))
			continue
		}
		changes = append(changes, engine.StatusChange{ID: e.ID, Status: status, At: now})
		if len(changes) == settleBatch {
			flush()
		}
	}
	flush()
	return failed.err()
}

// tellAbout does what a pass, a failure or inactivity brings besides the
// status: the statuses are written after it, so a run that stops half-way
// does it again next time (inbox ids make that idempotent).
func (j *TrainingOutcomes) tellAbout(ctx context.Context, e *engine.Enrollment, c *engine.Class, status string, now time.Time) error {
	var item *engine.InboxItem
	switch status {
	case engine.EnrollmentPassed:
		it, err := j.pass(ctx, e, c, now)
		if err != nil {
			return err
		}
		item = it
	case engine.EnrollmentFailed:
		item = engine.FailedInboxItem(e.ID, c)
	case engine.EnrollmentInactive:
		item = engine.InactiveInboxItem(e.ID, c, now)
	}
	if item == nil {
		return nil
	}
	return j.tell(ctx, item, e, c, now)
}

// pass adds the class's skills to the seeker's file at the taught level
// (keeping higher levels), recomputes their matches and returns the inbox
// item naming the posts that became matches.
func (j *TrainingOutcomes) pass(ctx context.Context, e *engine.Enrollment, c *engine.Class, now time.Time) (*engine.InboxItem, error) {
	var sk engine.Seeker
	if err := j.Service.Store.Get(ctx, engine.KindSeeker, e.SeekerID, &sk); err != nil {
		return nil, err
	}
	if sk.Erased {
		return nil, nil // the file was erased: nothing to add to, no one to tell
	}
	before, err := j.Matcher.Matches(sk.ID, engine.KindPost, engine.DefaultMatchLimit)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		added := sk.AddSkills(c.Skills)
		if added == 0 {
			break
		}
		err := j.Service.Replace(ctx, engine.KindSeeker, &sk)
		if err == nil {
			Count(ctx, "skillsAdded", added)
			break
		}
		if engine.ErrorCode(err) != engine.ECONFLICT || attempt == 3 {
			return nil, fmt.Errorf("add skills to seeker %s: %w", sk.ID, err)
		}
		// A counsellor saved the file meanwhile: add to what they saved.
		sk = engine.Seeker{}
		if err := j.Service.Store.Get(ctx, engine.KindSeeker, e.SeekerID, &sk); err != nil {
			return nil, err
		}
		if sk.Erased {
			return nil, nil
		}
	}
	after, err := j.Matcher.Matches(sk.ID, engine.KindPost, engine.DefaultMatchLimit)
	if err != nil {
		return nil, err
	}
	gained := (&engine.MatchSet{Posts: engine.MatchIDs(before.Results)}).NewMatches(after.Results)
	Count(ctx, "newMatches", len(gained))
	if err := j.Service.Store.PutMatchSet(ctx, engine.NewMatchSet(sk.ID, after.Results, now)); err != nil {
		return nil, err
	}
	return engine.PassedInboxItem(e.ID, c, gained), nil
}

// tell files an inbox item for the seeker's counsellor (none when the seeker has none).
func (j *TrainingOutcomes) tell(ctx context.Context, it *engine.InboxItem, e *engine.Enrollment, c *engine.Class, now time.Time) error {
	info, ok := j.Matcher.Seeker(e.SeekerID)
	if !ok || info.CounsellorID == "" {
		Count(ctx, "noCounsellor", 1)
		return nil
	}
	var sk engine.Seeker
	if err := j.Service.Store.Get(ctx, engine.KindSeeker, e.SeekerID, &sk); err != nil {
		return err
	}
	it.CounsellorID, it.SeekerID, it.SeekerName = info.CounsellorID, e.SeekerID, sk.Name
	it.EnrollmentID, it.ClassID, it.ClassTitle, it.At = e.ID, c.ID, c.Title, now
	if created, err := j.Service.AddInbox(ctx, it); err != nil {
		return err
	} else if created {
		Count(ctx, "inbox", 1)
	}
	return nil
}
