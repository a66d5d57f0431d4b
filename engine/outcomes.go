package engine

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"
)

// PlacementStore is the part of the store that keeps referrals and placements
// consistent without transactions: each method is one conditional update of
// one document.
type PlacementStore interface {
	// TakeOpening takes one opening of an open post and returns the post after
	// it (closed when that was the last); ECONFLICT when none is left or the
	// post is not open. Two takes for the last opening: one succeeds.
	TakeOpening(ctx context.Context, postID string) (*Post, error)
	// ReturnOpening gives back an opening TakeOpening took, reopening the
	// post when that take closed it.
	ReturnOpening(ctx context.Context, postID string) (*Post, error)
	// MoveReferral moves a referral from status from to move.To, appends move
	// to its history and sets placementID when not empty, in one update with
	// the next rev; ECONFLICT when its status is no longer from.
	MoveReferral(ctx context.Context, id, from string, move ReferralMove, placementID string) (*Referral, error)
	// UpdatePlacements writes each placement whose stored one's rev is still
	// revs[i], stamping it with a new rev, and reports which changed meanwhile
	// (those are left as they were).
	UpdatePlacements(ctx context.Context, ps []*Placement, revs []int64) (map[int]bool, error)
	// PutInboxMany stores new inbox items with their revs and says which
	// were new (an item whose id is stored already is left as it was).
	PutInboxMany(ctx context.Context, items []*InboxItem) ([]bool, error)
}

// outcomes is the Service's in-memory state of referrals and placements,
// fed by this process's writes and, on a shared database, by Poll: the
// worklist, the lists and the KPI report read it and never filter in the
// database. Records in it are never changed in place, only replaced. The zero
// value is ready to use.
type outcomes struct {
	mu         sync.RWMutex
	referrals  map[string]*Referral
	open       map[[2]string]string // seeker, post → open referral id
	placements map[string]*Placement

	locks [64]sync.Mutex // by seeker and post, and by referral: one change at a time
}

func (o *outcomes) putReferral(r *Referral) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.referrals == nil {
		o.referrals, o.open = map[string]*Referral{}, map[[2]string]string{}
	}
	if old, ok := o.referrals[r.ID]; ok && old.Rev > r.Rev {
		return
	}
	o.referrals[r.ID] = r
	pair := [2]string{r.SeekerID, r.PostID}
	if OpenReferral(r.Status) {
		o.open[pair] = r.ID
	} else if o.open[pair] == r.ID {
		delete(o.open, pair)
	}
}

func (o *outcomes) putPlacement(p *Placement) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.placements == nil {
		o.placements = map[string]*Placement{}
	}
	if old, ok := o.placements[p.ID]; ok && old.Rev > p.Rev {
		return
	}
	o.placements[p.ID] = p
}

func (o *outcomes) lock(parts ...string) *sync.Mutex {
	h := fnv.New32a()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return &o.locks[h.Sum32()%uint32(len(o.locks))]
}

// loadOutcomes reads every referral and placement into memory (Load).
func (s *Service) loadOutcomes(ctx context.Context, h *horizon) error {
	_, err := s.followOutcomes(ctx, 0, h)
	if err != nil {
		return fmt.Errorf("load referrals and placements: %w", err)
	}
	return nil
}

// followOutcomes reads the referrals and placements written after since into
// memory, telling h what it read.
func (s *Service) followOutcomes(ctx context.Context, since int64, h *horizon) (int, error) {
	n := 0
	err := s.Store.Each(ctx, KindReferral, since, func(r Record) error {
		h.saw(r.RecordMeta().Rev, r.RecordMeta().UpdatedAt)
		s.outcomes.putReferral(r.(*Referral))
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	err = s.Store.Each(ctx, KindPlacement, since, func(r Record) error {
		h.saw(r.RecordMeta().Rev, r.RecordMeta().UpdatedAt)
		s.outcomes.putPlacement(r.(*Placement))
		n++
		return nil
	})
	return n, err
}

// NewPlacementID makes an id for a placement.
func NewPlacementID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "pl-" + hex.EncodeToString(b[:])
}

// Refer refers a seeker to a post for the user by. The seeker must have
// consented to be shown to employers, the post must be open with an opening
// left and must break no hard constraint of DESIGN §4 for the seeker (the
// error names the rule), and the seeker must have no open referral to it.
// allow is the caller's policy, asked once seeker and post are loaded.
func (s *Service) Refer(ctx context.Context, r *Referral, note string, by *User, allow func(*Seeker, *Post) error) (*Referral, error) {
	var p Problems
	checkID(&p, r.ID)
	if !ValidID(r.SeekerID) {
		p.Add("seekerId", "is required")
	}
	if !ValidID(r.PostID) {
		p.Add("postId", "is required")
	}
	checkProse(&p, "note", note, false, maxNote)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var sk Seeker
	if err := s.Store.Get(ctx, KindSeeker, r.SeekerID, &sk); err != nil {
		return nil, err
	}
	var post Post
	if err := s.Store.Get(ctx, KindPost, r.PostID, &post); err != nil {
		return nil, err
	}
	if err := allow(&sk, &post); err != nil {
		return nil, err
	}
	switch {
	case sk.Erased:
		return nil, &Error{Code: EINVALID, Message: "validation failed", Fields: []FieldError{{"seekerId", "the file was erased"}}}
	case !sk.Consent.ShareWithEmployers:
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("seeker %s has not consented to share their file with employers, so they cannot be referred", sk.ID),
			Fields: []FieldError{{"seekerId", "no consent to share the file with employers (consent.shareWithEmployers is false)"}}}
	}
	score, err := referralRefused(&sk, &post, Today(s.Clock))
	if err != nil {
		return nil, err
	}
	mu := s.outcomes.lock(sk.ID, post.ID)
	mu.Lock()
	defer mu.Unlock()
	s.outcomes.mu.RLock()
	openID, busy := s.outcomes.open[[2]string{sk.ID, post.ID}]
	s.outcomes.mu.RUnlock()
	if busy {
		return nil, Errorf(ECONFLICT, "seeker %s already has an open referral to post %s: %s", sk.ID, post.ID, openID)
	}
	if r.ID == "" {
		r.ID = NewID(KindReferral)
	}
	now := s.Clock.Now().UTC().Truncate(time.Millisecond) // what the database keeps
	*r = Referral{Meta: Meta{ID: r.ID}, SeekerID: sk.ID, PostID: post.ID, EmployerID: post.EmployerID, PostTitle: post.Title,
		Street: sk.Street, CounsellorID: sk.CounsellorID, Score: score, Status: ReferralReferred,
		History: []ReferralMove{{To: ReferralReferred, By: by.ID, Role: by.Role, At: now, Note: note}}}
	if r.CounsellorID == "" && by.Role == RoleCounsellor {
		r.CounsellorID = by.ID
	}
	if err := s.Store.Create(ctx, KindReferral, r); err != nil {
		return nil, err
	}
	s.outcomes.putReferral(r)
	return r, nil
}

// Move is a request to move a referral: the new status, a note for the
// history and, for a hire, the terms.
type Move struct {
	Status string
	Note   string
	Terms  HireTerms
}

// MoveReferral moves a referral through its state machine for the user by;
// allow is the caller's policy, asked once the referral is loaded. A move
// the machine does not allow is ECONFLICT naming the allowed ones. A move to
// hired takes one of the post's openings (ECONFLICT when none is left),
// then moves the referral (giving the opening back when the referral moved
// meanwhile), then creates the placement with its follow-ups and marks the
// seeker placed. Should the process stop between the move and the placement,
// the placement-followups job creates the placement from the hired referral.
func (s *Service) MoveReferral(ctx context.Context, id string, m Move, by *User, allow func(*Referral) error) (*Referral, *Placement, error) {
	var p Problems
	checkProse(&p, "note", m.Note, false, maxNote)
	if m.Status == "" {
		p.Add("status", "is required")
	}
	if m.Terms != (HireTerms{}) && m.Status != ReferralHired {
		p.Add("start", "hire terms (start, monthlyWage, weeklyHours) go with status hired only")
	}
	today, _ := ParseDate(Today(s.Clock))
	if err := m.Terms.check(today); err != nil {
		return nil, nil, err
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	mu := s.outcomes.lock(id)
	mu.Lock()
	defer mu.Unlock()
	var r Referral
	if err := s.Store.Get(ctx, KindReferral, id, &r); err != nil {
		return nil, nil, err
	}
	if err := allow(&r); err != nil {
		return nil, nil, err
	}
	if err := checkMove(&r, m.Status); err != nil {
		return nil, nil, err
	}
	move := ReferralMove{From: r.Status, To: m.Status, By: by.ID, Role: by.Role, At: s.Clock.Now().UTC(), Note: m.Note}
	if m.Status != ReferralHired {
		moved, err := s.Store.MoveReferral(ctx, id, r.Status, move, "")
		if err != nil {
			return nil, nil, s.moveConflict(ctx, id, m.Status, err)
		}
		s.outcomes.putReferral(moved)
		return moved, nil, nil
	}
	post, err := s.Store.TakeOpening(ctx, r.PostID)
	if err != nil {
		return nil, nil, err
	}
	placementID := NewPlacementID()
	moved, err := s.Store.MoveReferral(ctx, id, r.Status, move, placementID)
	if err != nil {
		bg := context.WithoutCancel(ctx)
		if back, rerr := s.Store.ReturnOpening(bg, r.PostID); rerr == nil {
			_ = s.applied(bg, KindPost, back)
		}
		return nil, nil, s.moveConflict(ctx, id, m.Status, err)
	}
	s.outcomes.putReferral(moved)
	pl, err := s.place(ctx, moved, post, m.Terms, by.ID, move.At)
	if aerr := s.applied(ctx, KindPost, post); err == nil {
		err = aerr
	}
	return moved, pl, err
}

// moveConflict turns a failed conditional move into a 409 naming the status
// the referral reached meanwhile.
func (s *Service) moveConflict(ctx context.Context, id, to string, err error) error {
	if ErrorCode(err) != ECONFLICT {
		return err
	}
	var now Referral
	if gerr := s.Store.Get(ctx, KindReferral, id, &now); gerr == nil {
		s.outcomes.putReferral(&now)
		if merr := checkMove(&now, to); merr != nil {
			return merr
		}
	}
	return err
}

// place creates the placement of a hired referral with its follow-ups and
// marks the seeker placed. post is the post at the hire; terms override its
// wage and hours, and today as the start.
func (s *Service) place(ctx context.Context, r *Referral, post *Post, terms HireTerms, by string, at time.Time) (*Placement, error) {
	start := cmp.Or(terms.Start, at.In(Shanghai).Format(time.DateOnly))
	pl := &Placement{Meta: Meta{ID: r.PlacementID}, SeekerID: r.SeekerID, PostID: r.PostID, EmployerID: r.EmployerID,
		ReferralID: r.ID, PostTitle: post.Title, Street: r.Street, CounsellorID: r.CounsellorID, HiredBy: by,
		Start: start, MonthlyWage: cmp.Or(terms.MonthlyWage, post.MonthlyWage), WeeklyHours: cmp.Or(terms.WeeklyHours, post.Hours.Weekly),
		Status: PlacementActive, FollowUps: ScheduleFollowUps(start)}
	if e, ok := s.Employer(r.EmployerID); ok {
		pl.EmployerName = e.Name
	}
	if err := s.Store.Create(ctx, KindPlacement, pl); err != nil {
		return nil, fmt.Errorf("placement of referral %s: %w", r.ID, err)
	}
	s.outcomes.putPlacement(pl)
	var sk Seeker
	if err := s.Store.Get(ctx, KindSeeker, r.SeekerID, &sk); err != nil {
		return pl, fmt.Errorf("placement %s: seeker: %w", pl.ID, err)
	}
	if sk.Status != "placed" && !sk.Erased {
		sk.Status = "placed"
		if err := s.Store.Replace(ctx, KindSeeker, &sk); err != nil {
			return pl, fmt.Errorf("placement %s: seeker status: %w", pl.ID, err)
		}
		if err := s.applied(ctx, KindSeeker, &sk); err != nil {
			return pl, err
		}
	}
	return pl, nil
}

// Referral returns a referral from memory.
func (s *Service) Referral(id string) (*Referral, bool) {
	s.outcomes.mu.RLock()
	defer s.outcomes.mu.RUnlock()
	r, ok := s.outcomes.referrals[id]
	return r, ok
}

// Referrals lists the referrals keep accepts (nil keeps all) from memory, by id.
func (s *Service) Referrals(keep func(*Referral) bool) []*Referral {
	return listSorted(&s.outcomes.mu, s.outcomes.referrals, keep)
}

// Placement returns a placement from memory.
func (s *Service) Placement(id string) (*Placement, bool) {
	s.outcomes.mu.RLock()
	defer s.outcomes.mu.RUnlock()
	p, ok := s.outcomes.placements[id]
	return p, ok
}

// Placements lists the placements keep accepts (nil keeps all) from memory, by id.
func (s *Service) Placements(keep func(*Placement) bool) []*Placement {
	return listSorted(&s.outcomes.mu, s.outcomes.placements, keep)
}

func listSorted[R Record](mu *sync.RWMutex, m map[string]R, keep func(R) bool) []R {
	mu.RLock()
	out := make([]R, 0, len(m))
	for _, r := range m {
		if keep == nil || keep(r) {
			out = append(out, r)
		}
	}
	mu.RUnlock()
	slices.SortFunc(out, func(a, b R) int { return cmp.Compare(a.RecordMeta().ID, b.RecordMeta().ID) })
	return out
}

// FollowUpWorklist lists the follow-ups in one of states of the placements
// keep accepts, the earliest due (the most overdue) first.
func (s *Service) FollowUpWorklist(states []string, keep func(*Placement) bool) []*FollowUpView {
	var out []*FollowUpView
	s.outcomes.mu.RLock()
	for _, p := range s.outcomes.placements {
		for _, f := range p.FollowUps {
			if !slices.Contains(states, f.Status) || (keep != nil && !keep(p)) {
				continue
			}
			out = append(out, &FollowUpView{PlacementID: p.ID, SeekerID: p.SeekerID, PostID: p.PostID, PostTitle: p.PostTitle,
				EmployerID: p.EmployerID, EmployerName: p.EmployerName, Street: p.Street, CounsellorID: p.CounsellorID,
				Start: p.Start, Kind: f.Kind, Due: f.Due, Status: f.Status})
		}
	}
	s.outcomes.mu.RUnlock()
	slices.SortFunc(out, func(a, b *FollowUpView) int { return cmp.Compare(a.Key(), b.Key()) })
	return out
}

// RecordFollowUp records what a follow-up found, for the user by; allow is
// the caller's policy, asked once the placement is loaded. A follow-up may
// be recorded from EarlyRecord days before its due date, and recorded again
// to correct it. The placement's status follows at the job's next run.
func (s *Service) RecordFollowUp(ctx context.Context, placementID, kind string, o FollowUpOutcome, by *User, allow func(*Placement) error) (*Placement, error) {
	if !slices.Contains(FollowUpKinds, kind) {
		return nil, &Error{Code: EINVALID, Message: "validation failed",
			Fields: []FieldError{{"kind", "must be one of " + strings.Join(FollowUpKinds, ", ")}}}
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	today := Today(s.Clock)
	return s.updatePlacement(ctx, placementID, nil, allow, func(p *Placement) error {
		f := p.FollowUp(kind)
		if f == nil {
			return Errorf(ENOTFOUND, "placement %s has no %s follow-up", p.ID, kind)
		}
		if d, err := ParseDate(f.Due); err == nil && f.Status == FollowUpScheduled &&
			today < d.AddDate(0, 0, -EarlyRecord).Format(time.DateOnly) {
			return Errorf(ECONFLICT, "the %s follow-up of placement %s is due on %s: it can be recorded from %s",
				kind, p.ID, f.Due, d.AddDate(0, 0, -EarlyRecord).Format(time.DateOnly))
		}
		now := s.Clock.Now().UTC().Truncate(time.Millisecond)
		out := o
		f.Status, f.Outcome, f.DoneAt, f.DoneBy = FollowUpDone, &out, &now, by.ID
		return nil
	})
}

// updatePlacement applies change to a copy of a placement and writes it
// when nobody wrote it meanwhile, reading it again and retrying when someone
// did (the job and a counsellor may touch one placement at once). The first
// try starts from cached when given (the in-memory copy, whose rev the write
// checks), else from a read.
func (s *Service) updatePlacement(ctx context.Context, id string, cached *Placement, allow func(*Placement) error, change func(*Placement) error) (*Placement, error) {
	for try := range 5 {
		var p *Placement
		if try == 0 && cached != nil {
			p = cached.clone()
		} else {
			p = &Placement{}
			if err := s.Store.Get(ctx, KindPlacement, id, p); err != nil {
				return nil, err
			}
		}
		if allow != nil {
			if err := allow(p); err != nil {
				return nil, err
			}
		}
		rev := p.Rev
		if err := change(p); err != nil {
			return nil, err
		}
		conflict, err := s.Store.UpdatePlacements(ctx, []*Placement{p}, []int64{rev})
		if err != nil {
			return nil, err
		}
		if conflict[0] {
			continue
		}
		s.outcomes.putPlacement(p)
		return p, nil
	}
	return nil, Errorf(ECONFLICT, "placement %s keeps changing; try again", id)
}

// Inbox item kinds of the placement-followups job.
const (
	InboxFollowUpDue     = "followup-due"
	InboxFollowUpOverdue = "followup-overdue"
)

// FollowUpRun counts what one run of the placement-followups job did.
type FollowUpRun struct {
	Placements int            // placements looked at
	Changed    int            // placements written
	Repaired   int            // placements created for hired referrals that had none
	Inbox      int            // inbox items written
	Statuses   map[string]int // transitions by new status (follow-ups and placements)
	Failed     []error        // placements that could not be written (the rest went on)
}

// AdvanceFollowUps is the placement-followups job's pass at now: it creates
// the placement of any hired referral that has none, brings every placement's
// follow-ups up to date on now's date in Asia/Shanghai (Placement.Advance),
// and tells the counsellor of each follow-up that fell due or overdue (one
// inbox item each, its id made of the placement, follow-up and status). It
// reads the in-memory state (every write of this process and, on a shared
// database, the others' up to the last poll: no query filters in the
// database) and writes the changed placements in batches, each only if its
// rev is still the one it read (else it reads it again and decides again).
// Items are written after the placements; a run that stopped in between left
// follow-ups due or overdue without their items, which the next run writes.
func (s *Service) AdvanceFollowUps(ctx context.Context, now time.Time) (*FollowUpRun, error) {
	run := &FollowUpRun{Statuses: map[string]int{}}
	if err := s.repairPlacements(ctx, run); err != nil {
		return run, err
	}
	today := now.In(Shanghai).Format(time.DateOnly)
	var work, untold []*Placement
	s.outcomes.mu.RLock()
	for _, p := range s.outcomes.placements {
		run.Placements++
		if len(p.clone().Advance(today)) > 0 {
			work = append(work, p)
		} else if len(s.untold(p)) > 0 {
			untold = append(untold, p)
		}
	}
	s.outcomes.mu.RUnlock()
	byID := func(a, b *Placement) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(work, byID)
	for batch := range slices.Chunk(work, followUpBatch) {
		if err := ctx.Err(); err != nil {
			return run, err
		}
		copies, revs := make([]*Placement, len(batch)), make([]int64, len(batch))
		moves := make([][]Transition, len(batch))
		for i, p := range batch {
			copies[i], revs[i] = p.clone(), p.Rev
			moves[i] = copies[i].Advance(today)
		}
		conflicts, err := s.Store.UpdatePlacements(ctx, copies, revs)
		if err != nil {
			return run, err
		}
		for i, p := range copies {
			if conflicts[i] { // written by someone else since this process saw it: read it again
				var changes []Transition
				p, err = s.updatePlacement(ctx, p.ID, nil, nil, func(fresh *Placement) error {
					if changes = fresh.Advance(today); len(changes) == 0 {
						return errUnchanged
					}
					return nil
				})
				if errors.Is(err, errUnchanged) {
					continue
				}
				if err != nil {
					run.Failed = append(run.Failed, fmt.Errorf("placement %s: %w", batch[i].ID, err))
					continue
				}
				moves[i] = changes
			} else {
				s.outcomes.putPlacement(p)
			}
			run.Changed++
			for _, t := range moves[i] {
				run.Statuses[t.Status]++
			}
			untold = append(untold, p)
		}
	}
	slices.SortFunc(untold, byID)
	for batch := range slices.Chunk(untold, followUpBatch) {
		if err := s.tellFollowUps(ctx, batch, now, run); err != nil {
			return run, err
		}
	}
	return run, nil
}

// followUpBatch is how many placements, or inbox items, the job writes at a time.
const followUpBatch = 500

// errUnchanged stops updatePlacement when a fresh read needs no change.
var errUnchanged = errors.New("unchanged")

// followUpItem is the id of the inbox item about a follow-up in a status.
func followUpItem(p *Placement, f *FollowUp) string {
	return "fu-" + p.ID + "-" + f.Kind + "-" + f.Status
}

// FollowUpInboxItem is the note the placement-followups job files for the
// placement's counsellor when a follow-up falls due or overdue (its status), at at.
func FollowUpInboxItem(p *Placement, f *FollowUp, seekerName string, at time.Time) *InboxItem {
	days := FollowUpDays[f.Kind]
	zh, en, kind := "已到期", "due", InboxFollowUpDue
	if f.Status == FollowUpOverdue {
		zh, en, kind = "已逾期", "overdue", InboxFollowUpOverdue
	}
	return &InboxItem{ID: followUpItem(p, f), CounsellorID: p.CounsellorID, SeekerID: p.SeekerID,
		SeekerName: seekerName, Kind: kind, At: at, Text: Note{
			Zh: fmt.Sprintf("%d天回访%s：%s（%s），入职 %s，应于 %s 回访", days, zh, p.PostTitle, p.EmployerName, p.Start, f.Due),
			En: fmt.Sprintf("%d-day follow-up %s: %s (%s), started %s, due %s", days, en, p.PostTitle, p.EmployerName, p.Start, f.Due),
		}}
}

// untold lists a placement's follow-ups that are due or overdue with no inbox item about it.
func (s *Service) untold(p *Placement) []*FollowUp {
	var out []*FollowUp
	for i := range p.FollowUps {
		f := &p.FollowUps[i]
		if f.Status != FollowUpDue && f.Status != FollowUpOverdue {
			continue
		}
		s.training.mu.RLock()
		_, told := s.training.inbox[followUpItem(p, f)]
		s.training.mu.RUnlock()
		if !told {
			out = append(out, f)
		}
	}
	return out
}

// tellFollowUps writes, in one batch, the inbox items of the placements'
// follow-ups that are due or overdue and not told yet.
func (s *Service) tellFollowUps(ctx context.Context, ps []*Placement, now time.Time, run *FollowUpRun) error {
	var items []*InboxItem
	for _, p := range ps {
		fs := s.untold(p)
		if len(fs) == 0 {
			continue
		}
		var sk Seeker
		if err := s.Store.Get(ctx, KindSeeker, p.SeekerID, &sk); err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		for _, f := range fs {
			items = append(items, FollowUpInboxItem(p, f, sk.Name, now))
		}
	}
	created, err := s.Store.PutInboxMany(ctx, items)
	if err != nil {
		return err
	}
	for i, it := range items {
		if created[i] {
			s.training.putInbox(it)
			run.Inbox++
		}
	}
	return nil
}

// repairPlacements creates the placement of every hired referral whose
// placement is missing: a hire whose process stopped between moving the
// referral and creating the placement.
func (s *Service) repairPlacements(ctx context.Context, run *FollowUpRun) error {
	s.outcomes.mu.RLock()
	var lost []*Referral
	for _, r := range s.outcomes.referrals {
		if r.Status == ReferralHired && r.PlacementID != "" && s.outcomes.placements[r.PlacementID] == nil {
			lost = append(lost, r)
		}
	}
	s.outcomes.mu.RUnlock()
	for _, r := range lost {
		var existing Placement
		err := s.Store.Get(ctx, KindPlacement, r.PlacementID, &existing)
		if err == nil {
			s.outcomes.putPlacement(&existing)
			continue
		}
		if ErrorCode(err) != ENOTFOUND {
			return err
		}
		var post Post
		if err := s.Store.Get(ctx, KindPost, r.PostID, &post); err != nil {
			return fmt.Errorf("repair placement of referral %s: %w", r.ID, err)
		}
		hired := r.History[len(r.History)-1]
		if _, err := s.place(ctx, r, &post, HireTerms{}, hired.By, hired.At); err != nil {
			return err
		}
		run.Repaired++
	}
	return nil
}
