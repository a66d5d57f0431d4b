package engine

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// An imported history is what happened to the catalog's records elsewhere
// (another system, a generator, the demo data): enrollments, their xAPI
// statements, referrals, placements and inbox items. Each kind is checked
// as the use case that makes it checks what it is given (Enroll, the LRS,
// Refer and MoveReferral, RecordFollowUp), against the records it names,
// and written through the same store paths, so that the in-memory state,
// the seats and the caches agree with the store. What a use case checks of
// the present moment (a post still open, a class with a free seat, the hard
// constraints of DESIGN §4 on today's file) is not asked of the past.
// Nothing of a batch is written when one of its records is refused; the
// error is a *RecordError naming it and the field.

// TimeFields are the JSON fields of the history kinds that hold a time
// (RFC 3339), by path ("[]" steps into each element of a list): an import
// names the one that does not parse.
var TimeFields = map[Kind][]string{
	KindEnrollment: {"enrolledAt", "statusAt", "outcomeAt"},
	KindReferral:   {"history.[].at"},
	KindPlacement:  {"followUps.[].doneAt"},
	KindInbox:      {"at"},
}

// historyTime is how a history's times are kept: UTC, whole milliseconds
// (what the database holds, so what is in memory reads back equal).
func historyTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// checkWhen checks a time of a history record: required, and not ahead of now.
func checkWhen(p *Problems, field string, t time.Time, now time.Time) {
	switch {
	case t.IsZero():
		p.Add(field, "is required (an RFC 3339 time such as 2026-09-01T10:00:00+08:00)")
	case t.After(now.Add(StatementSkew)):
		p.Add(field, "is in the future")
	}
}

// checkHistoryID checks the id of a history record: required, since an
// import is idempotent by id and other records name it.
func checkHistoryID(p *Problems, id string) {
	if id == "" {
		p.Add("id", "is required: a history record is imported by its id")
		return
	}
	checkID(p, id)
}

// checkUser checks that a field names a user, when it names one.
func (s *Service) checkUser(p *Problems, field, id string) {
	if id == "" {
		return
	}
	if _, ok := s.User(id); !ok {
		p.Add(field, "no such user %s", id)
	}
}

// batchReads are the records a batch's checks read, each once.
type batchReads struct {
	classes *classCache
	seekers *storeCache[Seeker, *Seeker]
	posts   *storeCache[Post, *Post]
}

func (s *Service) newBatchReads() *batchReads {
	return &batchReads{classes: newClassCache(s.Store), seekers: &storeCache[Seeker, *Seeker]{st: s.Store, kind: KindSeeker},
		posts: &storeCache[Post, *Post]{st: s.Store, kind: KindPost}}
}

// seekerFor loads the seeker a history record names; a missing or erased
// file is a problem of field.
func (rd *batchReads) seekerFor(ctx context.Context, p *Problems, field, id string) (*Seeker, error) {
	if id == "" {
		p.Add(field, "is required")
		return nil, nil
	}
	sk, err := rd.seekers.get(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		p.Add(field, "no such seeker %s", id)
		return nil, nil
	case err != nil:
		return nil, err
	case sk.Erased:
		p.Add(field, "the file of seeker %s was erased", id)
		return nil, nil
	}
	return sk, nil
}

// postFor loads the post a history record names.
func (rd *batchReads) postFor(ctx context.Context, p *Problems, field, id string) (*Post, error) {
	if id == "" {
		p.Add(field, "is required")
		return nil, nil
	}
	post, err := rd.posts.get(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		p.Add(field, "no such post %s", id)
		return nil, nil
	}
	return post, err
}

// records casts a batch to its type, a *RecordError for one of another.
func records[R Record](kind Kind, rs []Record) ([]R, error) {
	out := make([]R, len(rs))
	for i, r := range rs {
		v, ok := r.(R)
		if !ok {
			return nil, &RecordError{Kind: kind, Index: i, Err: Errorf(EINVALID, "record %T is not a %s", r, kind)}
		}
		out[i] = v
	}
	return out, nil
}

// ---- enrollments ----

// putEnrollments imports enrollments. Each names a seeker and a class that
// exist, has a status with the times it implies (an outcome time for passed,
// failed and withdrawn only) and no log: its progress comes from its
// statement lines, appended by ImportStatements. One enrollment per seeker
// and class, as Enroll keeps it. A stored one keeps its log (the statements
// already recorded) and its seeker and class. Afterwards each class named has
// as many seats taken as it has enrollments not withdrawn (the seats of the
// classes as they were then), which must fit its seats.
func (s *Service) putEnrollments(ctx context.Context, rs []Record) (int, error) {
	es, err := records[*Enrollment](KindEnrollment, rs)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	rd := s.newBatchReads()
	cc := rd.classes
	olds := make([]*Enrollment, len(es))
	pairs := map[[2]string]string{}
	classes := map[string]bool{}
	for _, e := range es {
		classes[e.ClassID] = true
	}
	taken := s.seatHolders(classes) // class → enrollments not withdrawn, once the batch is in
	for i, e := range es {
		old, err := s.checkEnrollment(ctx, rd, e, pairs, now)
		if err == nil {
			olds[i] = old
			err = s.seatFor(ctx, cc, taken, e)
		}
		if err != nil {
			return 0, &RecordError{Kind: KindEnrollment, Index: i, ID: e.ID, Err: err}
		}
	}
	var fresh []Record
	for i, e := range es {
		if olds[i] == nil {
			e.Log = []ProgressEvent{}
			fresh = append(fresh, e)
			continue
		}
		// The log the statements built stays: the write is conditional on
		// the rev it was read at, so no statement appended since is lost.
		e.Log, e.Rev = olds[i].Log, olds[i].Rev
		if err := s.Store.Replace(ctx, KindEnrollment, e); err != nil {
			return 0, &RecordError{Kind: KindEnrollment, Index: i, ID: e.ID, Err: err}
		}
	}
	if err := s.Store.CreateMany(ctx, KindEnrollment, fresh); err != nil {
		return 0, fmt.Errorf("import %d enrollments: %w", len(fresh), err)
	}
	for _, e := range es {
		c, err := cc.get(ctx, e.ClassID)
		if err != nil {
			return 0, err
		}
		s.training.putEnrollment(e.View(c))
	}
	return len(es), s.recountSeats(ctx, classes)
}

// seatHolders lists, for each of some classes, its enrollments not
// withdrawn in the roster: one pass over it.
func (s *Service) seatHolders(classes map[string]bool) map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(classes))
	for id := range classes {
		out[id] = map[string]bool{}
	}
	s.training.mu.RLock()
	defer s.training.mu.RUnlock()
	for _, v := range s.training.byID {
		if in := out[v.ClassID]; in != nil && v.Status != EnrollmentWithdrawn {
			in[v.ID] = true
		}
	}
	return out
}

// checkEnrollment checks one imported enrollment and returns the stored
// one of its id, if any. pairs holds the batch's seeker–class pairs so far.
func (s *Service) checkEnrollment(ctx context.Context, rd *batchReads, e *Enrollment, pairs map[[2]string]string, now time.Time) (*Enrollment, error) {
	var p Problems
	checkHistoryID(&p, e.ID)
	sk, err := rd.seekerFor(ctx, &p, "seekerId", e.SeekerID)
	if err != nil {
		return nil, err
	}
	var c *Class
	if e.ClassID == "" {
		p.Add("classId", "is required")
	} else if c, err = rd.classes.get(ctx, e.ClassID); ErrorCode(err) == ENOTFOUND {
		p.Add("classId", "no such class %s", e.ClassID)
	} else if err != nil {
		return nil, err
	}
	checkEnum(&p, "status", e.Status, EnrollmentStatuses)
	e.EnrolledAt, e.StatusAt = historyTime(e.EnrolledAt), historyTime(e.StatusAt)
	checkWhen(&p, "enrolledAt", e.EnrolledAt, now)
	checkWhen(&p, "statusAt", e.StatusAt, now)
	if !e.StatusAt.IsZero() && e.StatusAt.Before(e.EnrolledAt) {
		p.Add("statusAt", "must not be before enrolledAt")
	}
	switch {
	case Final(e.Status) && e.OutcomeAt == nil:
		p.Add("outcomeAt", "is required for a %s enrollment (when it ended)", e.Status)
	case !Final(e.Status) && e.OutcomeAt != nil:
		p.Add("outcomeAt", "only a passed, failed or withdrawn enrollment has one")
	case e.OutcomeAt != nil:
		at := historyTime(*e.OutcomeAt)
		e.OutcomeAt = &at
		checkWhen(&p, "outcomeAt", at, now)
		if at.Before(e.EnrolledAt) {
			p.Add("outcomeAt", "must not be before enrolledAt")
		}
	}
	s.checkUser(&p, "enrolledBy", e.EnrolledBy)
	if len(e.Log) > 0 {
		p.Add("log", "progress comes from the enrollment's statements (lines of kind statement): leave log out")
	}
	if sk == nil || c == nil || len(p) > 0 {
		return nil, p.Err()
	}
	var old Enrollment
	if _, stored := s.training.byIDCopy(e.ID); stored { // the roster holds every enrollment
		if err := s.Store.Get(ctx, KindEnrollment, e.ID, &old); err != nil {
			return nil, err
		}
		if old.SeekerID != e.SeekerID || old.ClassID != e.ClassID {
			p.Add("seekerId", "enrollment %s is seeker %s's in class %s; an import cannot move it", e.ID, old.SeekerID, old.ClassID)
			return nil, p.Err()
		}
	}
	pair := [2]string{e.SeekerID, e.ClassID}
	other, dup := pairs[pair]
	if v, ok := s.training.enrollmentOf(e.SeekerID, e.ClassID); !dup && ok {
		other, dup = v.ID, true
	}
	if dup && other != e.ID {
		p.Add("classId", "seeker %s is already enrolled in class %s (enrollment %s)", e.SeekerID, e.ClassID, other)
		return nil, p.Err()
	}
	pairs[pair] = e.ID
	if old.ID == "" {
		return nil, nil
	}
	return &old, nil
}

// seatFor counts e among its class's seats taken (taken: by class, the
// enrollments not withdrawn once the batch is in), refusing one that would
// not fit the class's seats.
func (s *Service) seatFor(ctx context.Context, cc *classCache, taken map[string]map[string]bool, e *Enrollment) error {
	c, err := cc.get(ctx, e.ClassID)
	if err != nil {
		return err
	}
	in := taken[c.ID]
	delete(in, e.ID)
	if e.Status == EnrollmentWithdrawn {
		return nil
	}
	if len(in) >= c.Seats {
		return &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{{"classId",
			fmt.Sprintf("class %s has %d seats, all taken by other enrollments not withdrawn", c.ID, c.Seats)}}}
	}
	in[e.ID] = true
	return nil
}

// recountSeats sets each class's seats taken to its enrollments not withdrawn.
func (s *Service) recountSeats(ctx context.Context, classes map[string]bool) error {
	taken := s.seatHolders(classes)
	for _, id := range slices.Sorted(maps.Keys(classes)) {
		n := len(taken[id])
		for try := 0; ; try++ {
			var c Class
			if err := s.Store.Get(ctx, KindClass, id, &c); err != nil {
				return err
			}
			if c.SeatsTaken == n {
				break
			}
			after, err := s.Store.SetSeatsTaken(ctx, id, c.SeatsTaken, n)
			if ErrorCode(err) == ECONFLICT && try < 3 {
				continue // a seat was claimed or released meanwhile
			}
			if err != nil {
				return fmt.Errorf("seats of class %s: %w", id, err)
			}
			if err := s.applied(ctx, KindClass, after); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// ---- referrals ----

// putReferrals imports referrals. Each names a seeker who consented to be
// shown to employers (as Refer requires) and a post; its history starts
// referred and follows the state machine to its status, each move timed, in
// order, by a user; a hired referral names its placement (imported after it).
// Left empty, the employer, the post's title, the seeker's street and
// counsellor are filled in from the records, as Refer fills them. One open
// referral per seeker and post. An import takes no opening of the post: its
// openings are the ones left after the hires the history records.
func (s *Service) putReferrals(ctx context.Context, rs []Record) (int, error) {
	now, rd := s.Clock.Now(), s.newBatchReads()
	open := map[[2]string]string{}
	return putChecked(ctx, s, KindReferral, rs,
		func(r *Referral) error { return s.checkReferral(ctx, rd, r, open, now) }, s.outcomes.putReferral)
}

// putChecked checks each record of a batch, stores them all when every one
// passed (else a *RecordError names the first that did not), and hands each
// to keep, the in-memory state.
func putChecked[R Record](ctx context.Context, s *Service, kind Kind, rs []Record, check func(R) error, keep func(R)) (int, error) {
	typed, err := records[R](kind, rs)
	if err != nil {
		return 0, err
	}
	for i, r := range typed {
		if err := check(r); err != nil {
			return 0, &RecordError{Kind: kind, Index: i, ID: r.RecordMeta().ID, Err: err}
		}
	}
	if err := s.storeMany(ctx, kind, rs); err != nil {
		return 0, err
	}
	for _, r := range typed {
		keep(r)
	}
	return len(typed), nil
}

func (s *Service) checkReferral(ctx context.Context, rd *batchReads, r *Referral, open map[[2]string]string, now time.Time) error {
	var p Problems
	checkHistoryID(&p, r.ID)
	sk, err := rd.seekerFor(ctx, &p, "seekerId", r.SeekerID)
	if err != nil {
		return err
	}
	if sk != nil && !sk.Consent.ShareWithEmployers {
		p.Add("seekerId", "no consent to share the file with employers (consent.shareWithEmployers is false)")
	}
	post, err := rd.postFor(ctx, &p, "postId", r.PostID)
	if err != nil {
		return err
	}
	if post != nil {
		r.PostTitle = cmp.Or(r.PostTitle, post.Title)
		if r.EmployerID = cmp.Or(r.EmployerID, post.EmployerID); r.EmployerID != post.EmployerID {
			p.Add("employerId", "must be the post's employer, %s", post.EmployerID)
		}
	}
	if sk != nil {
		r.Street, r.CounsellorID = cmp.Or(r.Street, sk.Street), cmp.Or(r.CounsellorID, sk.CounsellorID)
	}
	if r.Street != "" && Streets[r.Street] == "" {
		p.Add("street", "is not a street code")
	}
	s.checkUser(&p, "counsellorId", r.CounsellorID)
	if r.Score < 0 || r.Score > 100 {
		p.Add("score", "must be between 0 and 100")
	}
	checkEnum(&p, "status", r.Status, ReferralStatuses)
	s.checkMoves(&p, r, now)
	switch {
	case r.Status == ReferralHired && r.PlacementID == "":
		p.Add("placementId", "is required for a hired referral: the id of its placement line")
	case r.Status != ReferralHired && r.PlacementID != "":
		p.Add("placementId", "only a hired referral has a placement")
	case r.PlacementID != "" && !ValidID(r.PlacementID):
		p.Add("placementId", "must match [a-z0-9-]{1,64}")
	}
	if sk == nil || post == nil || len(p) > 0 {
		return p.Err()
	}
	if old, stored := s.Referral(r.ID); stored { // memory holds every referral
		if old.SeekerID != r.SeekerID || old.PostID != r.PostID {
			p.Add("seekerId", "referral %s is of seeker %s to post %s; an import cannot move it", r.ID, old.SeekerID, old.PostID)
		} else if old.PlacementID != "" && old.PlacementID != r.PlacementID {
			p.Add("placementId", "referral %s was hired into placement %s", r.ID, old.PlacementID)
		}
	}
	if OpenReferral(r.Status) {
		pair := [2]string{r.SeekerID, r.PostID}
		other, busy := open[pair]
		if !busy {
			s.outcomes.mu.RLock()
			other, busy = s.outcomes.open[pair]
			s.outcomes.mu.RUnlock()
		}
		if busy && other != r.ID {
			p.Add("postId", "seeker %s already has an open referral to post %s: %s", r.SeekerID, r.PostID, other)
		}
		open[pair] = r.ID
	}
	return p.Err()
}

// checkMoves checks a referral's history: it starts referred, each move
// leaves the status the one before reached by a move the state machine
// allows, at a time not before the one before, by a user in a role, and the
// last reaches the referral's status.
func (s *Service) checkMoves(p *Problems, r *Referral, now time.Time) {
	if len(r.History) == 0 {
		p.Add("history", "is required: the moves from referred to the status, each {from, to, by, role, at}")
		return
	}
	for i := range r.History {
		m := &r.History[i]
		f := fmt.Sprintf("history[%d]", i)
		m.At = historyTime(m.At)
		prev := ""
		if i > 0 {
			prev = r.History[i-1].To
		}
		switch {
		case m.From != prev && i == 0:
			p.Add(f+".from", "must be empty: a referral starts referred")
		case m.From != prev:
			p.Add(f+".from", "must be %s, the status the move before reached", prev)
		case i == 0 && m.To != ReferralReferred:
			p.Add(f+".to", "must be referred: a referral starts referred")
		case i > 0 && !slices.Contains(referralMoves[prev], m.To):
			if allowed := referralMoves[prev]; len(allowed) > 0 {
				p.Add(f+".to", "a %s referral moves to %s, not %s", prev, orList(allowed), m.To)
			} else {
				p.Add(f+".to", "%s is final: no move follows it", prev)
			}
		}
		checkWhen(p, f+".at", m.At, now)
		if i > 0 && m.At.Before(r.History[i-1].At) {
			p.Add(f+".at", "must not be before the move before")
		}
		if m.By == "" {
			p.Add(f+".by", "is required (the user who made the move)")
		}
		s.checkUser(p, f+".by", m.By)
		checkEnum(p, f+".role", m.Role, Roles)
		checkText(p, f+".note", m.Note, false, maxNote)
	}
	if last := r.History[len(r.History)-1].To; r.Status != "" && last != r.Status {
		p.Add("status", "must be the status the last move reached, %s", last)
	}
}

// HiresWithoutPlacement lists the hired referrals whose placement is not
// stored: an import that brought a hire without its placement line (the
// placement-followups job would make one from the post's terms).
func (s *Service) HiresWithoutPlacement() []*Referral {
	s.outcomes.mu.RLock()
	defer s.outcomes.mu.RUnlock()
	var out []*Referral
	for _, r := range s.outcomes.referrals {
		if r.Status == ReferralHired && s.outcomes.placements[r.PlacementID] == nil {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *Referral) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// ---- placements ----

// putPlacements imports placements. Each is the placement its hired
// referral names (same seeker, post and employer, filled in when left out,
// with the post's title, the employer's name, the referral's street,
// counsellor and hiring user), starting on a date, with a wage and weekly
// hours (the post's when 0), and its follow-ups: the four of
// ScheduleFollowUps when none is given, else each kind once, due its days
// after the start, in a status the calendar has reached (a follow-up is not
// missed before it is), done ones with their outcome and time (from
// EarlyRecord days before the due date), others without. A closed placement
// is closed as Advance closes one: successful on a 90-day follow-up done and
// employed, ended on one done and not employed, or missed.
func (s *Service) putPlacements(ctx context.Context, rs []Record) (int, error) {
	now, rd := s.Clock.Now(), s.newBatchReads()
	return putChecked(ctx, s, KindPlacement, rs,
		func(pl *Placement) error { return s.checkPlacement(ctx, rd, pl, now) }, s.outcomes.putPlacement)
}

func (s *Service) checkPlacement(ctx context.Context, rd *batchReads, pl *Placement, now time.Time) error {
	var p Problems
	checkHistoryID(&p, pl.ID)
	if pl.ReferralID == "" {
		p.Add("referralId", "is required: the hired referral this placement came from")
		return p.Err()
	}
	r, found := s.Referral(pl.ReferralID)
	switch {
	case !found:
		p.Add("referralId", "no such referral %s (referrals are imported before placements)", pl.ReferralID)
		return p.Err()
	case r.Status != ReferralHired || r.PlacementID != pl.ID:
		p.Add("referralId", "referral %s is %s with placement %q, not hired into %s", r.ID, r.Status, r.PlacementID, pl.ID)
		return p.Err()
	}
	same := func(field string, v *string, want string) {
		if *v = cmp.Or(*v, want); *v != want {
			p.Add(field, "must be referral %s's, %s", r.ID, want)
		}
	}
	same("seekerId", &pl.SeekerID, r.SeekerID)
	same("postId", &pl.PostID, r.PostID)
	same("employerId", &pl.EmployerID, r.EmployerID)
	hire := r.History[len(r.History)-1]
	pl.Street, pl.CounsellorID, pl.HiredBy = cmp.Or(pl.Street, r.Street), cmp.Or(pl.CounsellorID, r.CounsellorID), cmp.Or(pl.HiredBy, hire.By)
	if pl.Street != "" && Streets[pl.Street] == "" {
		p.Add("street", "is not a street code")
	}
	s.checkUser(&p, "counsellorId", pl.CounsellorID)
	s.checkUser(&p, "hiredBy", pl.HiredBy)
	post, err := rd.postFor(ctx, &p, "postId", pl.PostID)
	if err != nil {
		return err
	}
	if post != nil {
		pl.PostTitle = cmp.Or(pl.PostTitle, post.Title)
		pl.MonthlyWage, pl.WeeklyHours = cmp.Or(pl.MonthlyWage, post.MonthlyWage), cmp.Or(pl.WeeklyHours, post.Hours.Weekly)
	}
	if e, ok := s.Employer(pl.EmployerID); ok {
		pl.EmployerName = cmp.Or(pl.EmployerName, e.Name)
	}
	today := now.In(Shanghai).Format(time.DateOnly)
	start, err := ParseDate(pl.Start)
	switch {
	case pl.Start == "":
		p.Add("start", "is required (YYYY-MM-DD)")
	case err != nil:
		p.Add("start", "must be a date YYYY-MM-DD")
	case pl.Start > now.In(Shanghai).AddDate(0, 6, 0).Format(time.DateOnly):
		p.Add("start", "must be at most six months after today")
	}
	checkRange(&p, "monthlyWage", pl.MonthlyWage, 1, 1_000_000)
	checkRange(&p, "weeklyHours", pl.WeeklyHours, 1, 84)
	checkEnum(&p, "status", pl.Status, PlacementStatuses)
	if len(p) > 0 {
		return p.Err()
	}
	if len(pl.FollowUps) == 0 {
		pl.FollowUps = ScheduleFollowUps(pl.Start)
	}
	s.checkFollowUps(&p, pl, start, today, now)
	checkClosing(&p, pl, today)
	if len(p) > 0 {
		return p.Err()
	}
	if old, stored := s.Placement(pl.ID); stored && old.ReferralID != pl.ReferralID {
		p.Add("referralId", "placement %s came from referral %s", pl.ID, old.ReferralID)
	}
	return p.Err()
}

// checkFollowUps checks a placement's follow-ups (see putPlacements) and
// orders them by kind.
func (s *Service) checkFollowUps(p *Problems, pl *Placement, start time.Time, today string, now time.Time) {
	seen := map[string]bool{}
	for i := range pl.FollowUps {
		f := &pl.FollowUps[i]
		at := fmt.Sprintf("followUps[%d]", i)
		if !slices.Contains(FollowUpKinds, f.Kind) {
			p.Add(at+".kind", "must be one of %s", strings.Join(FollowUpKinds, ", "))
			continue
		}
		if seen[f.Kind] {
			p.Add(at+".kind", "repeats the %s follow-up", f.Kind)
			continue
		}
		seen[f.Kind] = true
		due := start.AddDate(0, 0, FollowUpDays[f.Kind])
		if want := due.Format(time.DateOnly); f.Due != want {
			p.Add(at+".due", "must be %s, %d days after the start", want, FollowUpDays[f.Kind])
		}
		checkEnum(p, at+".status", f.Status, FollowUpStatuses)
		if f.Status != FollowUpDone {
			if f.Outcome != nil || f.DoneAt != nil || f.DoneBy != "" {
				p.Add(at+".status", "is %s: only a done follow-up has an outcome, doneAt and doneBy", f.Status)
			}
			if cal := followUpStatusOn(f.Due, today); followUpRank[f.Status] > followUpRank[cal] {
				p.Add(at+".status", "cannot be %s yet: due %s, it is %s by the calendar", f.Status, f.Due, cal)
			}
			continue
		}
		if f.Outcome == nil {
			p.Add(at+".outcome", "is required for a done follow-up: {employed, sameEmployer, monthlyWage, note}")
		} else if err := f.Outcome.Check(); err != nil {
			for _, fe := range err.(*Error).Fields {
				p.Add(at+".outcome."+fe.Field, "%s", fe.Message)
			}
		}
		if f.DoneAt == nil {
			p.Add(at+".doneAt", "is required for a done follow-up (when it was recorded)")
		} else {
			d := historyTime(*f.DoneAt)
			f.DoneAt = &d
			checkWhen(p, at+".doneAt", d, now)
			if from := due.AddDate(0, 0, -EarlyRecord); d.Before(from) {
				p.Add(at+".doneAt", "must not be before %s: a follow-up is recorded from %d days before it is due", from.Format(time.DateOnly), EarlyRecord)
			}
		}
		s.checkUser(p, at+".doneBy", f.DoneBy)
	}
	slices.SortFunc(pl.FollowUps, func(a, b FollowUp) int { return FollowUpDays[a.Kind] - FollowUpDays[b.Kind] })
}

// checkClosing checks a placement's status and closedOn against its 90-day
// follow-up, as Advance closes a placement (an active one the job has not
// closed yet is fine).
func checkClosing(p *Problems, pl *Placement, today string) {
	if pl.Status == PlacementActive {
		if pl.ClosedOn != "" {
			p.Add("closedOn", "an active placement is not closed")
		}
		return
	}
	f := pl.FollowUp(FollowUp90)
	var want string
	switch {
	case f != nil && f.Status == FollowUpDone && f.Outcome != nil && f.Outcome.Employed:
		want = PlacementSuccessful
	case f != nil && (f.Status == FollowUpDone || f.Status == FollowUpMissed):
		want = PlacementEnded
	}
	switch {
	case want == "":
		p.Add("status", "cannot be %s before the 90-day follow-up is done or missed", pl.Status)
		return
	case want != pl.Status:
		p.Add("status", "must be %s (or active, until the job closes it): the 90-day follow-up is %s, employed %t",
			want, f.Status, f.Outcome != nil && f.Outcome.Employed)
		return
	}
	switch {
	case pl.ClosedOn == "":
		p.Add("closedOn", "is required for a %s placement (YYYY-MM-DD)", pl.Status)
	case !dateOK(pl.ClosedOn):
		p.Add("closedOn", "must be a date YYYY-MM-DD")
	case pl.ClosedOn < pl.Start || pl.ClosedOn > today:
		p.Add("closedOn", "must be between the start and today")
	}
}

func dateOK(s string) bool { _, err := ParseDate(s); return err == nil }

// ---- inbox ----

var inboxIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9:-]{0,199}$`)

// ImportInbox stores the inbox items of an imported history: each for a
// user, about a seeker that exists, of a kind of InboxKinds, with its text
// in both languages, at a time; the enrollment and posts it names exist
// (their titles filled in when left out). An item whose id is stored
// already is left as it was, as the jobs that write items do. It returns
// how many items it was given.
func (s *Service) ImportInbox(ctx context.Context, items []*InboxItem) (int, error) {
	now, rd := s.Clock.Now(), s.newBatchReads()
	for i, it := range items {
		if err := s.checkInbox(ctx, rd, it, now); err != nil {
			return 0, &RecordError{Kind: KindInbox, Index: i, ID: it.ID, Err: err}
		}
	}
	created, err := s.Store.PutInboxMany(ctx, items)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if created[i] {
			s.training.putInbox(it)
		}
	}
	return len(items), nil
}

func (s *Service) checkInbox(ctx context.Context, rd *batchReads, it *InboxItem, now time.Time) error {
	var p Problems
	if !inboxIDPattern.MatchString(it.ID) {
		p.Add("id", "is required: [a-z0-9:-], at most 200 characters")
	}
	if it.CounsellorID == "" {
		p.Add("counsellorId", "is required (whose inbox)")
	}
	s.checkUser(&p, "counsellorId", it.CounsellorID)
	sk, err := rd.seekerFor(ctx, &p, "seekerId", it.SeekerID)
	if err != nil {
		return err
	}
	if sk != nil {
		it.SeekerName = cmp.Or(it.SeekerName, sk.Name)
	}
	checkEnum(&p, "kind", it.Kind, InboxKinds)
	checkText(&p, "text.zh", it.Text.Zh, true, maxNote)
	checkText(&p, "text.en", it.Text.En, true, maxNote)
	it.At = historyTime(it.At)
	checkWhen(&p, "at", it.At, now)
	if it.EnrollmentID != "" {
		v, ok := s.training.byIDCopy(it.EnrollmentID)
		switch {
		case !ok:
			p.Add("enrollmentId", "no such enrollment %s (enrollments are imported before inbox items)", it.EnrollmentID)
		case v.SeekerID != it.SeekerID:
			p.Add("enrollmentId", "enrollment %s is seeker %s's", v.ID, v.SeekerID)
		default:
			it.ClassID, it.ClassTitle = cmp.Or(it.ClassID, v.ClassID), cmp.Or(it.ClassTitle, v.ClassTitle)
		}
	}
	for i := range it.Matches {
		m := &it.Matches[i]
		post, err := rd.postFor(ctx, &p, fmt.Sprintf("matches[%d].id", i), m.ID)
		if err != nil {
			return err
		}
		if post != nil {
			m.Title = cmp.Or(m.Title, post.Title)
		}
		if m.Score < 0 || m.Score > 100 {
			p.Add(fmt.Sprintf("matches[%d].score", i), "must be between 0 and 100")
		}
	}
	it.Rev = 0
	return p.Err()
}
