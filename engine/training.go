package engine

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"jobbridge/engine/xapi"
)

// TrainingStore is the part of the store that tracks training: seat claims,
// enrollments' progress logs, the counsellors' inbox and the
// match sets the inbox compares against. Every method works by _id only, or
// is a one-pass scan for start-up and jobs.
type TrainingStore interface {
	// ClaimSeat takes one free seat of an open class in one atomic update and
	// returns the class after it; ECONFLICT when the class is full or not open.
	ClaimSeat(ctx context.Context, classID string) (*Class, error)
	// ReleaseSeat gives a seat back and returns the class after it.
	ReleaseSeat(ctx context.Context, classID string) (*Class, error)
	// SetSeatsTaken sets a class's seats taken to n (what an import of
	// enrollments counted) when it is still from, and returns the class after
	// it; ECONFLICT when it changed meanwhile or n is above the seats.
	SetSeatsTaken(ctx context.Context, classID string, from, n int) (*Class, error)
	// WithdrawEnrollment sets an enrollment without an outcome to withdrawn
	// (statusAt and outcomeAt at) in one conditional update with a new rev;
	// ECONFLICT when it has an outcome already or changed meanwhile.
	WithdrawEnrollment(ctx context.Context, id string, at time.Time) (*Enrollment, error)
	// SetLearner sets (nil: clears) an enrollment's learner identity with a new rev.
	SetLearner(ctx context.Context, id string, l *Learner) (*Enrollment, error)
	// AppendProgress appends events to enrollments' logs, each in one atomic
	// update (a $push) with a new rev, and returns the revs by enrollment id.
	AppendProgress(ctx context.Context, appends map[string][]ProgressEvent) (map[string]int64, error)
	// SetEnrollmentStatuses sets enrollments' status and statusAt (and
	// outcomeAt for a final status), each with a new rev, in one bulk write;
	// their logs are untouched. It returns the revs by enrollment id.
	SetEnrollmentStatuses(ctx context.Context, changes []StatusChange) (map[string]int64, error)
	// PutInbox stores an inbox item with the next rev; false when its id is stored already.
	PutInbox(ctx context.Context, item *InboxItem) (bool, error)
	// EachInbox calls fn for every inbox item with rev > since, in rev order.
	EachInbox(ctx context.Context, since int64, fn func(*InboxItem) error) error
	// MatchSets loads every seeker's last match set in one pass.
	MatchSets(ctx context.Context) (map[string]*MatchSet, error)
	// GetMatchSet loads one seeker's match set; ENOTFOUND when there is none.
	GetMatchSet(ctx context.Context, seekerID string) (*MatchSet, error)
	// PutMatchSet writes a seeker's match set.
	PutMatchSet(ctx context.Context, ms *MatchSet) error
}

// training is the Service's in-memory state for enrollments and the inbox:
// every enrollment folded (without its log) and every inbox item, so lists
// never filter in the database. It follows this process's writes at once and
// other processes' writes through Poll. The zero value is ready to use.
type training struct {
	mu     sync.RWMutex
	byID   map[string]*EnrollmentView
	byPair map[[2]string]string // seeker, class → enrollment id
	inbox  map[string]*InboxItem
	// For mapping statements (lrs_progress.go): learner IFI → enrollment ids;
	// activity id → modules and classes (courses); a class's activities and course.
	byLearner     map[string][]string
	modules       map[string][]moduleRef
	courses       map[string][]string
	classActivity map[string][]string
	courseOf      map[string]string

	locks [64]sync.Mutex // by seeker and class: one enrollment at a time per pair
	// settle orders the training-outcomes job's writes and withdrawals in
	// this process: neither writes over the other's outcome.
	settle sync.Mutex
}

func (t *training) putEnrollment(v *EnrollmentView) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byID == nil {
		t.byID, t.byPair = map[string]*EnrollmentView{}, map[[2]string]string{}
	}
	old, had := t.byID[v.ID]
	if had && old.Rev > v.Rev {
		return // a later write already applied
	}
	if had && old.Learner != nil {
		k := xapi.AgentKey(old.Learner.Agent())
		t.byLearner[k] = slices.DeleteFunc(t.byLearner[k], func(id string) bool { return id == v.ID })
	}
	if v.Learner != nil {
		if t.byLearner == nil {
			t.byLearner = map[string][]string{}
		}
		k := xapi.AgentKey(v.Learner.Agent())
		t.byLearner[k] = append(t.byLearner[k], v.ID)
	}
	t.byID[v.ID] = v
	t.byPair[[2]string{v.SeekerID, v.ClassID}] = v.ID
}

func (t *training) putInbox(it *InboxItem) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inbox == nil {
		t.inbox = map[string]*InboxItem{}
	}
	t.inbox[it.ID] = it
}

func (t *training) pairLock(seekerID, classID string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(seekerID))
	h.Write([]byte{0})
	h.Write([]byte(classID))
	return &t.locks[h.Sum32()%uint32(len(t.locks))]
}

// byIDCopy returns a copy of an enrollment's view, for a writer to change.
func (t *training) byIDCopy(id string) (*EnrollmentView, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.byID[id]
	if !ok {
		return nil, false
	}
	cp := *v
	return &cp, true
}

// enrollmentOf finds a seeker's enrollment in a class.
func (t *training) enrollmentOf(seekerID, classID string) (*EnrollmentView, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	id, ok := t.byPair[[2]string{seekerID, classID}]
	if !ok {
		return nil, false
	}
	return t.byID[id], true
}

// storeCache loads records of one kind by id, each once (a request's or a
// batch's reads).
type storeCache[R any, P interface {
	*R
	Record
}] struct {
	st   Store
	kind Kind
	m    map[string]P
}

func (sc *storeCache[R, P]) get(ctx context.Context, id string) (P, error) {
	if r, ok := sc.m[id]; ok {
		return r, nil
	}
	r := P(new(R))
	if err := sc.st.Get(ctx, sc.kind, id, r); err != nil {
		return nil, err
	}
	if sc.m == nil {
		sc.m = map[string]P{}
	}
	sc.m[id] = r
	return r, nil
}

// classCache loads classes by id, each once.
type classCache = storeCache[Class, *Class]

func newClassCache(st Store) *classCache { return &classCache{st: st, kind: KindClass} }

// loadTraining reads every enrollment and inbox item into memory (Load).
func (s *Service) loadTraining(ctx context.Context, h *horizon) error {
	classes := map[string]*Class{}
	err := s.Store.Each(ctx, KindClass, 0, func(r Record) error {
		c := r.(*Class)
		classes[c.ID] = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("load classes: %w", err)
	}
	cc := &classCache{st: s.Store, kind: KindClass, m: classes}
	if _, err := s.followTraining(ctx, cc, 0, h); err != nil {
		return fmt.Errorf("load training: %w", err)
	}
	return nil
}

// followTraining reads the enrollments and inbox items written after since
// into memory, telling h what it read.
func (s *Service) followTraining(ctx context.Context, cc *classCache, since int64, h *horizon) (int, error) {
	n := 0
	err := s.Store.Each(ctx, KindEnrollment, since, func(r Record) error {
		e := r.(*Enrollment)
		h.saw(e.Rev, e.UpdatedAt)
		c, err := cc.get(ctx, e.ClassID)
		if ErrorCode(err) == ENOTFOUND {
			c, err = &Class{Meta: Meta{ID: e.ClassID}}, nil
		}
		if err != nil {
			return err
		}
		s.training.putEnrollment(e.View(c))
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	err = s.Store.EachInbox(ctx, since, func(it *InboxItem) error {
		// Not h.saw: an item's At is the job's time, not its write's, so it
		// cannot vouch that revs below it are committed.
		s.training.putInbox(it)
		n++
		return nil
	})
	return n, err
}

// NewEnrollmentID makes an id for an enrollment created without one.
func NewEnrollmentID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "en-" + hex.EncodeToString(b[:])
}

// Enroll puts a seeker in a class, by the user by: the seeker must not be
// enrolled in it already, the class must pass the hard constraints of
// DESIGN §4 for the seeker (the error names the one that fails), and one of
// its seats is claimed in a single atomic update, so seats are never
// overbooked however many requests race for them.
func (s *Service) Enroll(ctx context.Context, e *Enrollment, by string) (*EnrollmentView, error) {
	var p Problems
	checkID(&p, e.ID)
	if !ValidID(e.SeekerID) {
		p.Add("seekerId", "is required")
	}
	if !ValidID(e.ClassID) {
		p.Add("classId", "is required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var sk Seeker
	if err := s.Store.Get(ctx, KindSeeker, e.SeekerID, &sk); err != nil {
		return nil, err
	}
	if sk.Erased {
		return nil, &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{{"seekerId", "the file was erased"}}}
	}
	mu := s.training.pairLock(e.SeekerID, e.ClassID)
	mu.Lock()
	defer mu.Unlock()
	if old, ok := s.training.enrollmentOf(e.SeekerID, e.ClassID); ok {
		return nil, Errorf(ECONFLICT, "seeker %s is already enrolled in class %s (enrollment %s, %s)", e.SeekerID, e.ClassID, old.ID, old.Status)
	}
	var c Class
	if err := s.Store.Get(ctx, KindClass, e.ClassID, &c); err != nil {
		return nil, err
	}
	if err := classAdmits(&sk, &c, Today(s.Clock)); err != nil {
		return nil, err
	}
	claimed, err := s.Store.ClaimSeat(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if err := s.applied(ctx, KindClass, claimed); err != nil {
		return nil, err
	}
	if e.ID == "" {
		e.ID = NewEnrollmentID()
	}
	e.Meta = Meta{ID: e.ID}
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	e.EnrolledAt, e.Status, e.StatusAt, e.OutcomeAt, e.EnrolledBy = now, EnrollmentEnrolled, now, nil, by
	e.Log = []ProgressEvent{}
	if err := s.Store.Create(ctx, KindEnrollment, e); err != nil {
		if released, rerr := s.Store.ReleaseSeat(context.WithoutCancel(ctx), c.ID); rerr == nil {
			_ = s.applied(context.WithoutCancel(ctx), KindClass, released)
		}
		if ErrorCode(err) == ECONFLICT {
			return nil, Errorf(ECONFLICT, "enrollment %s exists, or seeker %s is already enrolled in class %s", e.ID, e.SeekerID, e.ClassID)
		}
		return nil, err
	}
	v := e.View(claimed)
	s.training.putEnrollment(v)
	return v, nil
}

// SetLearner records the seeker's identity on the provider's LMS for an
// enrollment (DESIGN §6), so statements naming them by it map to it; nil
// clears it. Another enrollment in the class with that learner is a conflict.
func (s *Service) SetLearner(ctx context.Context, id string, l *Learner) (*EnrollmentView, error) {
	if l != nil {
		if err := l.Validate(); err != nil {
			return nil, err
		}
	}
	cur, ok := s.training.byIDCopy(id)
	if !ok {
		return nil, Errorf(ENOTFOUND, "enrollment %s not found", id)
	}
	mu := s.training.pairLock(cur.SeekerID, cur.ClassID)
	mu.Lock()
	defer mu.Unlock()
	if l != nil {
		key := xapi.AgentKey(l.Agent())
		s.training.mu.RLock()
		for _, other := range s.training.byLearner[key] {
			if o := s.training.byID[other]; o != nil && other != id && o.ClassID == cur.ClassID {
				s.training.mu.RUnlock()
				return nil, Errorf(ECONFLICT, "enrollment %s in class %s has that learner already", other, cur.ClassID)
			}
		}
		s.training.mu.RUnlock()
	}
	e, err := s.Store.SetLearner(ctx, id, l)
	if err != nil {
		return nil, err
	}
	var c Class
	if err := s.Store.Get(ctx, KindClass, e.ClassID, &c); err != nil {
		return nil, err
	}
	v := e.View(&c)
	s.training.putEnrollment(v)
	return v, nil
}

// Withdraw takes a seeker out of a class by hand, by the user by (their
// counsellor, an admin, or the trainee themself): the enrollment ends as
// withdrawn, its seat goes back to the class, and statements about it are
// refused from then on. The seeker's counsellor gets an inbox item unless
// they did it. An enrollment that has its outcome (passed, failed,
// withdrawn) is a conflict.
func (s *Service) Withdraw(ctx context.Context, id, by string) (*EnrollmentView, error) {
	s.training.settle.Lock()
	defer s.training.settle.Unlock()
	e, err := s.Store.WithdrawEnrollment(ctx, id, s.Clock.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		return nil, err
	}
	c, err := s.Store.ReleaseSeat(context.WithoutCancel(ctx), e.ClassID)
	if err != nil {
		return nil, fmt.Errorf("withdraw enrollment %s: give the seat back: %w", id, err)
	}
	if err := s.applied(context.WithoutCancel(ctx), KindClass, c); err != nil {
		return nil, err
	}
	v := e.View(c)
	s.training.putEnrollment(v)
	return v, s.tellWithdrawn(context.WithoutCancel(ctx), v, by)
}

// tellWithdrawn puts a withdrawal in the inbox of the seeker's counsellor,
// unless they made it (or the seeker has none).
func (s *Service) tellWithdrawn(ctx context.Context, v *EnrollmentView, by string) error {
	var sk Seeker
	if err := s.Store.Get(ctx, KindSeeker, v.SeekerID, &sk); err != nil {
		return fmt.Errorf("withdraw enrollment %s: %w", v.ID, err)
	}
	if sk.CounsellorID == "" || sk.CounsellorID == by {
		return nil
	}
	it := WithdrawnInboxItem(v.ID, &Class{Meta: Meta{ID: v.ClassID}, Title: v.ClassTitle})
	it.CounsellorID, it.SeekerID, it.SeekerName = sk.CounsellorID, sk.ID, sk.Name
	it.ClassID, it.ClassTitle, it.At = v.ClassID, v.ClassTitle, s.Clock.Now().UTC().Truncate(time.Millisecond)
	_, err := s.AddInbox(ctx, it)
	return err
}

// classAdmits applies the hard constraints to one seeker and class and says
// which one fails: rule 1 (closed, full or ended) is a conflict with the
// class's state, rules 2–5 a mismatch between seeker and class.
func classAdmits(sk *Seeker, c *Class, today string) error {
	ev := EvaluateClass(sk, c, today)
	switch {
	case ev.Rule == 0:
		return nil
	case ev.Rule == RuleOpen:
		why := "it is " + c.Status
		switch {
		case c.Status == "open" && c.SeatsTaken >= c.Seats:
			why = "no seat is free"
		case c.Status == "open":
			why = "it ended on " + c.Ends
		}
		return Errorf(ECONFLICT, "class %s does not take enrollments: %s (hard constraint 1)", c.ID, why)
	}
	n := Rules[ev.Rule-1].ClassName
	return &Error{Code: EINVALID, Message: fmt.Sprintf("seeker %s cannot take class %s: hard constraint %d, %s", sk.ID, c.ID, ev.Rule, n.En),
		Fields: []FieldError{{"classId", fmt.Sprintf("hard constraint %d: %s (%s)", ev.Rule, n.En, n.Zh)}}}
}

// Enrollment loads an enrollment from the store and folds it against its class.
func (s *Service) Enrollment(ctx context.Context, id string) (*EnrollmentView, error) {
	var e Enrollment
	if err := s.Store.Get(ctx, KindEnrollment, id, &e); err != nil {
		return nil, err
	}
	var c Class
	if err := s.Store.Get(ctx, KindClass, e.ClassID, &c); err != nil {
		return nil, fmt.Errorf("enrollment %s: %w", id, err)
	}
	return e.View(&c), nil
}

// Enrollments lists the enrollments keep accepts (nil keeps all) from memory, by id.
func (s *Service) Enrollments(keep func(*EnrollmentView) bool) []*EnrollmentView {
	s.training.mu.RLock()
	out := make([]*EnrollmentView, 0, len(s.training.byID))
	for _, v := range s.training.byID {
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	s.training.mu.RUnlock()
	slices.SortFunc(out, func(a, b *EnrollmentView) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// SeekerEnrollments loads a seeker's enrollments from the store, newest first.
func (s *Service) SeekerEnrollments(ctx context.Context, seekerID string) ([]*EnrollmentView, error) {
	ids := s.Enrollments(func(v *EnrollmentView) bool { return v.SeekerID == seekerID })
	out := make([]*EnrollmentView, 0, len(ids))
	for _, v := range ids {
		full, err := s.Enrollment(ctx, v.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	slices.SortFunc(out, func(a, b *EnrollmentView) int {
		return cmp.Or(b.EnrolledAt.Compare(a.EnrolledAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// StatusChange is a new status for an enrollment, from at.
type StatusChange struct {
	ID     string
	Status string
	At     time.Time
}

// SettleEnrollments writes the training-outcomes job's decisions in one bulk
// write and brings the roster up to date. A decision about an enrollment
// withdrawn since the job read it is dropped; it returns the ones written.
func (s *Service) SettleEnrollments(ctx context.Context, changes []StatusChange) ([]StatusChange, error) {
	s.training.settle.Lock()
	defer s.training.settle.Unlock()
	var kept []StatusChange
	for _, ch := range changes {
		if v, ok := s.training.byIDCopy(ch.ID); !ok || v.Status != EnrollmentWithdrawn {
			kept = append(kept, ch)
		}
	}
	if len(kept) == 0 {
		return nil, nil
	}
	revs, err := s.Store.SetEnrollmentStatuses(ctx, kept)
	if err != nil {
		return nil, err
	}
	for _, ch := range kept {
		v, ok := s.training.byIDCopy(ch.ID)
		if !ok {
			continue
		}
		at := ch.At.UTC().Truncate(time.Millisecond)
		v.Status, v.StatusAt, v.Rev, v.UpdatedAt = ch.Status, at, revs[ch.ID], s.Clock.Now().UTC().Truncate(time.Millisecond)
		if Final(ch.Status) {
			v.OutcomeAt = &at
		}
		s.training.putEnrollment(v)
	}
	return kept, nil
}

// AddInbox stores an inbox item; false when an item with its id exists (the
// job that writes it ran twice).
func (s *Service) AddInbox(ctx context.Context, it *InboxItem) (bool, error) {
	created, err := s.Store.PutInbox(ctx, it)
	if err != nil || !created {
		return false, err
	}
	s.training.putInbox(it)
	return true, nil
}

// Inbox lists the inbox items of a counsellor ("" for everyone's), newest first.
func (s *Service) Inbox(counsellorID string) []*InboxItem {
	s.training.mu.RLock()
	out := make([]*InboxItem, 0)
	for _, it := range s.training.inbox {
		if counsellorID == "" || it.CounsellorID == counsellorID {
			out = append(out, it)
		}
	}
	s.training.mu.RUnlock()
	slices.SortFunc(out, func(a, b *InboxItem) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID)) })
	return out
}
