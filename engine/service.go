package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Follower is in-memory state kept in step with the store through the change
// feed, such as the matching state.
type Follower interface{ Upsert(r Record) }

// Service runs every write: it normalises and validates a record, stores it,
// then applies it to the search index, the small in-memory catalogs and the
// followers, so the index and caches never run ahead of the store.
type Service struct {
	Store     Store
	Index     Index
	Clock     Clock
	Followers []Follower

	mu        sync.RWMutex
	skills    map[string]*Skill
	employers map[string]*Employer
	users     map[string]*User
	feed      feed       // where this process is in the change feed (feed.go)
	applyMu   sync.Mutex // one apply of records at a time (applied, applyPolled)

	// Shared says other processes write to the same database (an external
	// MongoDB, with Poll running): the index's last rev then moves only with
	// what Load and Poll have seen, never with this process's own writes.
	Shared bool

	training training // enrollments and inbox in memory (training.go)
	outcomes outcomes // referrals and placements in memory (outcomes.go)
	// QuotaPolicies are the employment quota's figures by year; nil uses DefaultQuotaPolicies.
	QuotaPolicies QuotaPolicies
	// Jobs lists and runs the scheduled jobs; nil when no scheduler is wired.
	Jobs JobRunner
}

// NewService wires a service; call Load before serving.
func NewService(st Store, ix Index, clock Clock, followers ...Follower) *Service {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Service{Store: st, Index: ix, Clock: clock, Followers: followers,
		skills: map[string]*Skill{}, employers: map[string]*Employer{}, users: map[string]*User{}}
}

// LoadStats says what Load read and what it had to apply to the index.
type LoadStats struct {
	Records      int   // records read from the store
	IndexApplied int   // records newer than the index's last rev, applied to it
	IndexLastRev int64 // the index's last rev before loading
	// IndexRechecked counts records at or below the last rev written within
	// FeedGrace of the newest write, applied again (see reconcileTail).
	IndexRechecked int
}

// Load reads every record into the in-memory state and applies to the index
// the records newer than its last rev (the delta since it last ran) and the
// tail of the writes at or below it (reconcileTail).
func (s *Service) Load(ctx context.Context) (LoadStats, error) {
	var st LoadStats
	last, err := s.Index.LastRev()
	if err != nil {
		return st, fmt.Errorf("index last rev: %w", err)
	}
	st.IndexLastRev = last
	h := newHorizon(s.Clock.Now(), 0)
	var tail indexTail
	for _, kind := range Kinds {
		var delta []Record
		flush := func() error {
			if len(delta) == 0 {
				return nil
			}
			if err := s.Index.Apply(ctx, kind, delta, s.ownMark(delta)); err != nil {
				return err
			}
			st.IndexApplied += len(delta)
			delta = nil
			return nil
		}
		err := s.Store.Each(ctx, kind, 0, func(r Record) error {
			st.Records++
			m := r.RecordMeta()
			h.saw(m.Rev, m.UpdatedAt)
			s.remember(kind, r)
			if !slices.Contains(IndexedKinds, kind) {
				return nil
			}
			tail.saw(kind, r, m.Rev <= last)
			if m.Rev > last {
				delta = append(delta, r)
				if len(delta) >= 1000 {
					return flush()
				}
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return st, fmt.Errorf("load %ss: %w", kind, err)
		}
	}
	n, err := tail.reapply(ctx, s.Index)
	st.IndexRechecked = n
	if err != nil {
		return st, err
	}
	if err := s.loadTraining(ctx, h); err != nil {
		return st, err
	}
	if err := s.loadOutcomes(ctx, h); err != nil {
		return st, err
	}
	return st, s.advance(ctx, h)
}

// indexTail gathers, while Load reads the store, the indexed records at or
// below the index's last rev that may still be missing from it. The last rev
// is the highest rev applied, but revs are taken before the store commits: a
// write can take rev 10, another rev 11 and commit and index first, and a
// kill -9 between the first one's commit and its apply leaves rev 10 in the
// store and not in the index, below a last rev of 11. Such a write took its
// rev less than FeedGrace before the process died (a write is stored and
// applied within FeedGrace), and so less than FeedGrace before the newest
// write the store holds: applying again every record written within
// FeedGrace of the newest one closes the gap, at the cost of re-indexing the
// last 30 s of writes at each start.
type indexTail struct {
	newest time.Time
	held   []tailRecord
}

type tailRecord struct {
	kind Kind
	r    Record
}

// saw counts an indexed record; below says its rev is at or below the last rev.
func (t *indexTail) saw(kind Kind, r Record, below bool) {
	at := r.RecordMeta().UpdatedAt
	if at.After(t.newest) {
		t.newest = at
	}
	if below && !at.Before(t.newest.Add(-FeedGrace)) {
		t.held = append(t.held, tailRecord{kind, r})
	}
}

// reapply applies again the held records written within FeedGrace of the newest write.
func (t *indexTail) reapply(ctx context.Context, ix Index) (int, error) {
	cut := t.newest.Add(-FeedGrace)
	byKind := map[Kind][]Record{}
	n := 0
	for _, h := range t.held {
		if !h.r.RecordMeta().UpdatedAt.Before(cut) {
			byKind[h.kind] = append(byKind[h.kind], h.r)
			n++
		}
	}
	for _, kind := range IndexedKinds {
		if rs := byKind[kind]; len(rs) > 0 {
			if err := ix.Apply(ctx, kind, rs, 0); err != nil {
				return n, fmt.Errorf("reconcile index %ss: %w", kind, err)
			}
		}
	}
	return n, nil
}

// ownMark is the mark Apply stores with records this process applies: their
// highest rev when it is the database's only writer, else none (Poll and
// Load mark what they have seen).
func (s *Service) ownMark(rs []Record) int64 {
	if s.Shared {
		return 0
	}
	var mark int64
	for _, r := range rs {
		mark = max(mark, r.RecordMeta().Rev)
	}
	return mark
}

// advance moves this process's place in the feed to what h has seen, and,
// on a shared database, the index's last rev with it.
func (s *Service) advance(ctx context.Context, h *horizon) error {
	if !s.feed.advance(h.safe) || !s.Shared {
		return nil
	}
	if err := s.Index.Apply(ctx, KindPost, nil, h.safe); err != nil {
		return fmt.Errorf("index last rev: %w", err)
	}
	return nil
}

// Poll applies the writes other processes made to a shared database since this
// process last saw them all (see FeedGrace): records it holds already, at
// their rev, are not applied again. Not used on the embedded database, where
// every query is a full scan and this process made every write itself.
func (s *Service) Poll(ctx context.Context) (int, error) {
	since := s.feed.since()
	h := newHorizon(s.Clock.Now(), since)
	n := 0
	for _, kind := range Kinds {
		var batch []Record
		err := s.Store.Each(ctx, kind, since, func(r Record) error {
			m := r.RecordMeta()
			h.saw(m.Rev, m.UpdatedAt)
			if !s.feed.applied(kind, m.ID, m.Rev) {
				batch = append(batch, r)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("poll %ss: %w", kind, err)
		}
		k, err := s.applyPolled(ctx, kind, batch)
		n += k
		if err != nil {
			return n, err
		}
	}
	m, err := s.followTraining(ctx, newClassCache(s.Store), since, h)
	n += m
	if err != nil {
		return n, err
	}
	k, err := s.followOutcomes(ctx, since, h)
	n += k
	if err != nil {
		return n, err
	}
	return n, s.advance(ctx, h)
}

func (s *Service) remember(kind Kind, r Record) {
	if s.Shared { // only Poll reads the feed again, and only on a shared database
		m := r.RecordMeta()
		s.feed.note(kind, m.ID, m.Rev)
	}
	s.mu.Lock()
	switch v := r.(type) {
	case *Skill:
		s.skills[v.Code] = v
	case *Employer:
		s.employers[v.ID] = v
	case *User:
		s.users[v.ID] = v
	}
	s.mu.Unlock()
	if c, ok := r.(*Class); ok {
		s.training.putClass(c)
	}
	// Followers get skills too: the Matcher names skill codes in its explanations
	// ("uses 2 of your strengths: CAD drafting, data entry") from them.
	if slices.Contains(IndexedKinds, kind) || kind == KindSkill {
		for _, f := range s.Followers {
			f.Upsert(r)
		}
	}
}

// applied brings the index, the caches and the followers up to date with
// records just stored, even when ctx has ended meanwhile (a request gone, an
// import interrupted): what the store holds, the index must hold too.
func (s *Service) applied(ctx context.Context, kind Kind, rs ...Record) error {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	return s.apply(context.WithoutCancel(ctx), kind, rs)
}

// applyPolled applies records a poll read, leaving out those this process
// holds at their rev or a later one: a poll that read a record just before
// this process wrote it again must not put the older version back. applyMu
// makes the check and the apply one step against applied.
func (s *Service) applyPolled(ctx context.Context, kind Kind, rs []Record) (int, error) {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	rs = slices.DeleteFunc(rs, func(r Record) bool {
		m := r.RecordMeta()
		return s.feed.applied(kind, m.ID, m.Rev)
	})
	return len(rs), s.apply(ctx, kind, rs)
}

func (s *Service) apply(ctx context.Context, kind Kind, rs []Record) error {
	if len(rs) == 0 {
		return nil
	}
	if slices.Contains(IndexedKinds, kind) {
		if err := s.Index.Apply(ctx, kind, rs, s.ownMark(rs)); err != nil {
			return fmt.Errorf("index %s: %w", kind, err)
		}
	}
	for _, r := range rs {
		s.remember(kind, r)
	}
	return nil
}

// SkillExists reports whether code is in the skill catalog.
func (s *Service) SkillExists(code string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.skills[code]
	return ok
}

// Skill returns a catalog entry.
func (s *Service) Skill(code string) (*Skill, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sk, ok := s.skills[code]
	return sk, ok
}

// Skills returns the catalog sorted by code.
func (s *Service) Skills() []*Skill {
	s.mu.RLock()
	out := make([]*Skill, 0, len(s.skills))
	for _, sk := range s.skills {
		out = append(out, sk)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Skill) int { return compareStrings(a.Code, b.Code) })
	return out
}

// Employers returns all employers sorted by id.
func (s *Service) Employers() []*Employer {
	s.mu.RLock()
	out := make([]*Employer, 0, len(s.employers))
	for _, e := range s.employers {
		out = append(out, e)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Employer) int { return compareStrings(a.ID, b.ID) })
	return out
}

// Employer returns one employer from the cache.
func (s *Service) Employer(id string) (*Employer, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.employers[id]
	return e, ok
}

// Users returns all users sorted by id.
func (s *Service) Users() []*User {
	s.mu.RLock()
	out := make([]*User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *User) int { return compareStrings(a.ID, b.ID) })
	return out
}

// User returns one user from the cache.
func (s *Service) User(id string) (*User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	return u, ok
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// NewID makes a random record id with a kind prefix, e.g. "s-3f9c1a2b7d4e".
func NewID(kind Kind) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return string(kind[0]) + "-" + hex.EncodeToString(b[:])
}

// Prepare normalises and validates a record before it is written, including
// the references it makes to other records.
func (s *Service) Prepare(ctx context.Context, kind Kind, r Record) error {
	today, _ := ParseDate(Today(s.Clock))
	switch v := r.(type) {
	case *Skill:
		if v.ID == "" {
			v.ID = v.Code
		}
		if v.ID != v.Code {
			return &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{{"id", "must equal code"}}}
		}
		return v.Validate()
	case *Seeker:
		v.Normalize()
		return v.Validate(s.SkillExists, today.AddDate(0, 0, 1))
	case *Employer:
		return v.Validate()
	case *Post:
		v.Normalize()
		if err := v.Validate(s.SkillExists); err != nil {
			return err
		}
		if _, ok := s.Employer(v.EmployerID); !ok {
			return &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{{"employerId", "no such employer"}}}
		}
		return nil
	case *Class:
		v.Normalize()
		return v.Validate(s.SkillExists)
	case *User:
		if err := v.Validate(); err != nil {
			return err
		}
		return s.checkUserRefs(ctx, v)
	}
	return Errorf(EINVALID, "unknown kind %s", kind)
}

func (s *Service) checkUserRefs(ctx context.Context, u *User) error {
	var p Problems
	if u.Role == RoleEmployer {
		if _, ok := s.Employer(u.EmployerID); !ok {
			p.Add("employerId", "no such employer")
		}
	}
	if u.Role == RoleTrainee {
		if err := s.Store.Get(ctx, KindSeeker, u.SeekerID, &Seeker{}); err != nil {
			if ErrorCode(err) != ENOTFOUND {
				return err
			}
			p.Add("seekerId", "no such seeker")
		}
	}
	return p.Err()
}

// Create validates and stores a new record; an empty id gets a generated one.
func (s *Service) Create(ctx context.Context, kind Kind, r Record) error {
	if err := s.Prepare(ctx, kind, r); err != nil {
		return err
	}
	m := r.RecordMeta()
	if m.ID == "" {
		m.ID = NewID(kind)
	}
	if err := s.Store.Create(ctx, kind, r); err != nil {
		return err
	}
	return s.applied(ctx, kind, r)
}

// Replace validates and overwrites an existing record.
func (s *Service) Replace(ctx context.Context, kind Kind, r Record) error {
	if err := s.Prepare(ctx, kind, r); err != nil {
		return err
	}
	if err := s.Store.Replace(ctx, kind, r); err != nil {
		return err
	}
	return s.applied(ctx, kind, r)
}

// Put creates a record or, when its id exists, replaces it: what an import does,
// so importing the same file twice leaves the same records.
func (s *Service) Put(ctx context.Context, kind Kind, r Record) (created bool, err error) {
	created, err = s.store(ctx, kind, r)
	if err != nil {
		return false, err
	}
	return created, s.applied(ctx, kind, r)
}

// PutMany puts records of one kind: new ones in one batch and, when some
// already exist, those replaced in one bulk write and the rest created in
// another; one by one, as Put does, only when the batch conflicts. It
// validates every record first and stores nothing when one is invalid (the
// error is a *RecordError naming it). The index gets them in one batch.
// Enrollments, referrals and placements (an imported history) are checked
// and applied as history.go says.
func (s *Service) PutMany(ctx context.Context, kind Kind, rs []Record) (int, error) {
	switch kind {
	case KindEnrollment:
		return s.putEnrollments(ctx, rs)
	case KindReferral:
		return s.putReferrals(ctx, rs)
	case KindPlacement:
		return s.putPlacements(ctx, rs)
	}
	for i, r := range rs {
		if err := s.Prepare(ctx, kind, r); err != nil {
			return 0, &RecordError{Kind: kind, Index: i, ID: r.RecordMeta().ID, Err: err}
		}
		if m := r.RecordMeta(); m.ID == "" {
			m.ID = NewID(kind)
		}
	}
	if err := s.storeMany(ctx, kind, rs); err != nil {
		return 0, err
	}
	return len(rs), s.applied(ctx, kind, rs...)
}

// storeMany writes validated records of one kind, creating the new ones and
// replacing the stored ones, in batches (see PutMany).
func (s *Service) storeMany(ctx context.Context, kind Kind, rs []Record) error {
	err := s.Store.CreateMany(ctx, kind, rs)
	if ErrorCode(err) == ECONFLICT {
		// Some exist (a re-import): replace those in bulk, create the rest.
		var missing []Record
		missing, err = s.Store.ReplaceMany(ctx, kind, rs)
		if err == nil && len(missing) > 0 {
			err = s.Store.CreateMany(ctx, kind, missing)
		}
	}
	if ErrorCode(err) == ECONFLICT {
		// A record changed or was created meanwhile, or a unique value is
		// taken: one by one, so the error names the record.
		for i, r := range rs {
			if _, err = s.write(ctx, kind, r); err != nil {
				return &RecordError{Kind: kind, Index: i, ID: r.RecordMeta().ID, Err: err}
			}
		}
		return nil
	}
	return err
}

// store validates a record and writes it.
func (s *Service) store(ctx context.Context, kind Kind, r Record) (created bool, err error) {
	if err := s.Prepare(ctx, kind, r); err != nil {
		return false, err
	}
	return s.write(ctx, kind, r)
}

// write creates a record, or replaces it when its id exists.
func (s *Service) write(ctx context.Context, kind Kind, r Record) (created bool, err error) {
	m := r.RecordMeta()
	if m.ID == "" {
		m.ID = NewID(kind)
		return true, s.Store.Create(ctx, kind, r)
	}
	old := NewRecord(kind)
	switch err := s.Store.Get(ctx, kind, m.ID, old); ErrorCode(err) {
	case "":
		// An import replaces whatever is stored: the rev of r (from the
		// file) is not one this store gave, so it is set to the one read.
		m.CreatedAt, m.Rev = old.RecordMeta().CreatedAt, old.RecordMeta().Rev
		return false, s.Store.Replace(ctx, kind, r)
	case ENOTFOUND:
		return true, s.Store.Create(ctx, kind, r)
	default:
		return false, err
	}
}

// Erase anonymises a seeker file: personal data goes, the aggregates the reports
// need (street, disability, gender, birth year, status) stay.
func (s *Service) Erase(ctx context.Context, id string) (*Seeker, error) {
	var old Seeker
	if err := s.Store.Get(ctx, KindSeeker, id, &old); err != nil {
		return nil, err
	}
	erased := Seeker{Meta: old.Meta, Gender: old.Gender, Disability: old.Disability,
		Street: old.Street, Status: "inactive", Erased: true, Name: "（已删除）"}
	if len(old.BirthDate) >= 4 {
		erased.BirthDate = old.BirthDate[:4] + "-01-01"
	}
	erased.Abilities = map[string]int{}
	if err := s.Store.Replace(ctx, KindSeeker, &erased); err != nil {
		return nil, err
	}
	return &erased, s.applied(ctx, KindSeeker, &erased)
}

// DeleteUser removes a login account; its sessions stop working at once in
// this process, and are revoked in the store for the others (whose session
// caches hold one for at most 30 s).
func (s *Service) DeleteUser(ctx context.Context, id string) error {
	if err := s.Store.Delete(ctx, KindUser, id); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.users, id)
	s.mu.Unlock()
	return s.Store.DeleteUserSessions(ctx, id)
}
