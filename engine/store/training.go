package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// conditional serialises this process's conditional updates: seat claims,
// class replaces and job leases. On MongoDB a findOneAndUpdate whose filter
// holds the condition is atomic by itself; FerretDB v1 runs findAndModify as a
// find and then a write, so two clients could both see the seat free or the
// lease expired. Every client of an embedded FerretDB is in this process, and
// this lock is shared by all the Stores in it (tests open several).
var conditional sync.Mutex

// enrollmentDoc is an enrollment as stored: its log as one string per event
// ("statement|module|verb|progress|completed|success|score|unix ms", and
// "|voided statement" for a voiding statement's event). FerretDB
// decodes and rewrites the whole document on every $push, and strings cost
// it a fraction of what subdocuments do, so appends stay cheap as logs grow.
type enrollmentDoc struct {
	*engine.Enrollment `bson:",inline"`
	Log                []string `bson:"log"`
}

func enrollmentDocument(e *engine.Enrollment) *enrollmentDoc {
	d := &enrollmentDoc{Enrollment: e, Log: make([]string, len(e.Log))}
	for i, ev := range e.Log {
		d.Log[i] = encodeEvent(ev)
	}
	return d
}

func decodeEnrollment(decode func(any) error, e *engine.Enrollment) error {
	d := &enrollmentDoc{Enrollment: e}
	if err := decode(d); err != nil {
		return err
	}
	e.Log = make([]engine.ProgressEvent, 0, len(d.Log))
	for _, line := range d.Log {
		ev, err := decodeEvent(line)
		if err != nil {
			return fmt.Errorf("enrollment %s: %w", e.ID, err)
		}
		e.Log = append(e.Log, ev)
	}
	return nil
}

func encodeEvent(ev engine.ProgressEvent) string {
	var b strings.Builder
	b.WriteString(ev.Statement)
	b.WriteByte('|')
	b.WriteString(ev.Module)
	b.WriteByte('|')
	b.WriteString(ev.Verb)
	b.WriteByte('|')
	if ev.Progress != nil {
		b.WriteString(strconv.Itoa(*ev.Progress))
	}
	b.WriteByte('|')
	if ev.Completed {
		b.WriteByte('1')
	}
	b.WriteByte('|')
	if ev.Success != nil {
		b.WriteString(map[bool]string{true: "1", false: "0"}[*ev.Success])
	}
	b.WriteByte('|')
	if ev.Score != nil {
		b.WriteString(strconv.FormatFloat(*ev.Score, 'g', -1, 64))
	}
	b.WriteByte('|')
	b.WriteString(strconv.FormatInt(ev.At.UnixMilli(), 10))
	if ev.Voids != "" {
		b.WriteByte('|')
		b.WriteString(ev.Voids)
	}
	return b.String()
}

func decodeEvent(line string) (engine.ProgressEvent, error) {
	f := strings.Split(line, "|")
	if len(f) != 8 && len(f) != 9 {
		return engine.ProgressEvent{}, fmt.Errorf("malformed progress event %q", line)
	}
	ev := engine.ProgressEvent{Statement: f[0], Module: f[1], Verb: f[2], Completed: f[4] == "1"}
	if len(f) == 9 {
		ev.Voids = f[8]
	}
	if f[3] != "" {
		p, err := strconv.Atoi(f[3])
		if err != nil {
			return ev, fmt.Errorf("progress event %q: %w", line, err)
		}
		ev.Progress = &p
	}
	if f[5] != "" {
		ok := f[5] == "1"
		ev.Success = &ok
	}
	if f[6] != "" {
		sc, err := strconv.ParseFloat(f[6], 64)
		if err != nil {
			return ev, fmt.Errorf("progress event %q: %w", line, err)
		}
		ev.Score = &sc
	}
	ms, err := strconv.ParseInt(f[7], 10, 64)
	if err != nil {
		return ev, fmt.Errorf("progress event %q: %w", line, err)
	}
	ev.At = time.UnixMilli(ms).UTC()
	return ev, nil
}

// trainingIndexes are the indexes of the training and scheduling collections.
// On FerretDB they only enforce uniqueness; on MongoDB they also serve the
// change feed (rev) and the admin's run lists.
func trainingIndexes(byRev mongo.IndexModel) map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{
		collections[engine.KindEnrollment]: {byRev,
			{Keys: bson.D{{Key: "seekerId", Value: 1}, {Key: "classId", Value: 1}}, Options: options.Index().SetUnique(true)}},
		collInbox:   {byRev},
		collJobRuns: {{Keys: bson.D{{Key: "job", Value: 1}, {Key: "startedAt", Value: -1}}}},
	}
}

// ClaimSeat takes one free seat of an open class: a findOneAndUpdate whose
// filter names the seats and the count it read ({_id, status: open, seats: n,
// seatsTaken: {$lt: n}}), so the increment happens only while a seat is free
// (a field cannot be compared with another field in the portable subset).
// When an admin changed the seats meanwhile it reads again.
func (s *Store) ClaimSeat(ctx context.Context, classID string) (*engine.Class, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	coll := s.db.Collection(collections[engine.KindClass])
	for range 3 {
		var c engine.Class
		if err := s.Get(ctx, engine.KindClass, classID, &c); err != nil {
			return nil, err
		}
		if c.Status != "open" {
			return nil, engine.Errorf(engine.ECONFLICT, "class %s is %s, not open for enrollment", classID, c.Status)
		}
		if c.SeatsTaken >= c.Seats {
			return nil, engine.Errorf(engine.ECONFLICT, "class %s has no free seat (%d of %d taken)", classID, c.SeatsTaken, c.Seats)
		}
		rev, err := s.nextRev(ctx)
		if err != nil {
			return nil, fmt.Errorf("claim seat in %s: %w", classID, err)
		}
		var out engine.Class
		err = coll.FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: classID}, {Key: "status", Value: "open"}, {Key: "seats", Value: c.Seats},
				{Key: "seatsTaken", Value: bson.D{{Key: "$lt", Value: c.Seats}}}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "seatsTaken", Value: 1}}},
				{Key: "$set", Value: bson.D{{Key: "rev", Value: rev}, {Key: "updatedAt", Value: s.now()}}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After),
		).Decode(&out)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // changed since read
		}
		if err != nil {
			return nil, fmt.Errorf("claim seat in %s: %w", classID, err)
		}
		return &out, nil
	}
	return nil, engine.Errorf(engine.ECONFLICT, "class %s changed while claiming a seat; try again", classID)
}

// ReleaseSeat gives back a seat ClaimSeat took.
func (s *Store) ReleaseSeat(ctx context.Context, classID string) (*engine.Class, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rev, err := s.nextRev(ctx)
	if err != nil {
		return nil, fmt.Errorf("release seat in %s: %w", classID, err)
	}
	var out engine.Class
	err = s.db.Collection(collections[engine.KindClass]).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: classID}, {Key: "seatsTaken", Value: bson.D{{Key: "$gt", Value: 0}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seatsTaken", Value: -1}}},
			{Key: "$set", Value: bson.D{{Key: "rev", Value: rev}, {Key: "updatedAt", Value: s.now()}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ECONFLICT, "class %s has no seat taken", classID)
	}
	if err != nil {
		return nil, fmt.Errorf("release seat in %s: %w", classID, err)
	}
	return &out, nil
}

// SetSeatsTaken sets a class's seats taken to n, conditional on the count
// it read being from (the claims and releases of the live service move it
// by one; an import of enrollments sets what it counted).
func (s *Store) SetSeatsTaken(ctx context.Context, classID string, from, n int) (*engine.Class, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var c engine.Class
	if err := s.Get(ctx, engine.KindClass, classID, &c); err != nil {
		return nil, err
	}
	switch {
	case c.SeatsTaken != from:
		return nil, engine.Errorf(engine.ECONFLICT, "class %s has %d seats taken now, not %d", classID, c.SeatsTaken, from)
	case n < 0 || n > c.Seats:
		return nil, engine.Errorf(engine.ECONFLICT, "class %s has %d seats: %d cannot be taken", classID, c.Seats, n)
	}
	filter, err := s.guarded(ctx, classID, bson.D{{Key: "seatsTaken", Value: from}})
	if err != nil {
		return nil, err
	}
	out, err := s.setFields(ctx, engine.KindClass, filter, bson.D{{Key: "seatsTaken", Value: n}}, nil, &engine.Class{})
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Changed(engine.KindClass, classID)
	}
	if err != nil {
		return nil, fmt.Errorf("set seats taken of %s: %w", classID, err)
	}
	return out.(*engine.Class), nil
}

// WithdrawEnrollment sets an enrollment without an outcome yet to withdrawn,
// with statusAt and outcomeAt at, conditional on the status it read: of two
// withdrawals at once one gets ECONFLICT, so its seat is given back once.
// ECONFLICT too when the enrollment has its outcome already.
func (s *Store) WithdrawEnrollment(ctx context.Context, id string, at time.Time) (*engine.Enrollment, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var e engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, id, &e); err != nil {
		return nil, err
	}
	if engine.Final(e.Status) {
		return nil, engine.Errorf(engine.ECONFLICT, "enrollment %s is %s already: it has its outcome", id, e.Status)
	}
	filter, err := s.guarded(ctx, id, bson.D{{Key: "status", Value: e.Status}})
	if err != nil {
		return nil, err
	}
	at = dbTime(at)
	out, err := s.setFields(ctx, engine.KindEnrollment, filter,
		bson.D{{Key: "status", Value: engine.EnrollmentWithdrawn}, {Key: "statusAt", Value: at}, {Key: "outcomeAt", Value: at}}, nil, &engine.Enrollment{})
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Changed(engine.KindEnrollment, id)
	}
	if err != nil {
		return nil, fmt.Errorf("withdraw enrollment %s: %w", id, err)
	}
	after := out.(*engine.Enrollment) // without its log, which stays as read
	e.Status, e.StatusAt, e.OutcomeAt, e.Rev, e.UpdatedAt = after.Status, after.StatusAt, after.OutcomeAt, after.Rev, after.UpdatedAt
	return &e, nil
}

// SetLearner sets (nil: clears) an enrollment's learner identity with a new rev.
func (s *Store) SetLearner(ctx context.Context, id string, l *engine.Learner) (*engine.Enrollment, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var set bson.D
	if l != nil {
		set = bson.D{{Key: "learner", Value: l}}
	} else {
		set = bson.D{{Key: "learner", Value: nil}}
	}
	out, err := s.setFields(ctx, engine.KindEnrollment, bson.D{{Key: "_id", Value: id}}, set, nil, &engine.Enrollment{})
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(engine.KindEnrollment, id)
	}
	if err != nil {
		return nil, fmt.Errorf("set learner of %s: %w", id, err)
	}
	var e engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, out.RecordMeta().ID, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// AppendProgress $pushes each enrollment's events onto its log: one update
// by _id per enrollment, atomic on its own, so concurrent statements never
// lose each other. The revs come from one counter update and the updates go
// in unordered bulk writes of 50, so a batch of statements costs a few round
// trips however many trainees it names. It returns each enrollment's new rev.
func (s *Store) AppendProgress(ctx context.Context, appends map[string][]engine.ProgressEvent) (map[string]int64, error) {
	if len(appends) == 0 {
		return map[string]int64{}, nil
	}
	ids := make([]string, 0, len(appends))
	for id := range appends {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	first, err := s.takeRevs(ctx, len(ids))
	if err != nil {
		return nil, fmt.Errorf("append progress: %w", err)
	}
	now := s.now()
	revs := make(map[string]int64, len(ids))
	models := make([]mongo.WriteModel, len(ids))
	for i, id := range ids {
		lines := make([]string, len(appends[id]))
		for k, ev := range appends[id] {
			lines[k] = encodeEvent(ev)
		}
		revs[id] = first + int64(i)
		models[i] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}).SetUpdate(bson.D{
			{Key: "$push", Value: bson.D{{Key: "log", Value: bson.D{{Key: "$each", Value: lines}}}}},
			{Key: "$set", Value: bson.D{{Key: "rev", Value: revs[id]}, {Key: "updatedAt", Value: now}}}})
	}
	matched, err := bulkUpdate(ctx, s.db.Collection(collections[engine.KindEnrollment]), models)
	if err != nil {
		return nil, fmt.Errorf("append progress: %w", err)
	}
	if matched != len(ids) {
		return nil, engine.Errorf(engine.ENOTFOUND, "append progress: %d of %d enrollments not found", len(ids)-matched, len(ids))
	}
	return revs, nil
}

// maxBulkUpdates is the most updates sent in one command. FerretDB v1.24.2
// keeps each update's query open, holding one of its 100 SQLite connections,
// until the whole command is done: a command of more than 100 updates waits
// for a connection forever.
const maxBulkUpdates = 50

// bulkUpdate sends update models in unordered bulk writes of at most
// maxBulkUpdates and returns how many documents matched.
func bulkUpdate(ctx context.Context, coll *mongo.Collection, models []mongo.WriteModel) (int, error) {
	matched := 0
	for start := 0; start < len(models); start += maxBulkUpdates {
		res, err := coll.BulkWrite(ctx, models[start:min(start+maxBulkUpdates, len(models))], options.BulkWrite().SetOrdered(false))
		if err != nil {
			return matched, err
		}
		matched += int(res.MatchedCount)
	}
	return matched, nil
}

// SetEnrollmentStatuses $sets status and statusAt (and outcomeAt for a
// final status) on each enrollment by _id, with revs from one counter update,
// in unordered bulk writes of 50.
func (s *Store) SetEnrollmentStatuses(ctx context.Context, changes []engine.StatusChange) (map[string]int64, error) {
	revs := make(map[string]int64, len(changes))
	if len(changes) == 0 {
		return revs, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	first, err := s.takeRevs(ctx, len(changes))
	if err != nil {
		return nil, fmt.Errorf("set enrollment statuses: %w", err)
	}
	now := s.now()
	models := make([]mongo.WriteModel, len(changes))
	for i, ch := range changes {
		at := dbTime(ch.At)
		revs[ch.ID] = first + int64(i)
		set := bson.D{{Key: "status", Value: ch.Status}, {Key: "statusAt", Value: at}, {Key: "rev", Value: revs[ch.ID]}, {Key: "updatedAt", Value: now}}
		if engine.Final(ch.Status) {
			set = append(set, bson.E{Key: "outcomeAt", Value: at})
		}
		models[i] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: ch.ID}}).SetUpdate(bson.D{{Key: "$set", Value: set}})
	}
	matched, err := bulkUpdate(ctx, s.db.Collection(collections[engine.KindEnrollment]), models)
	if err != nil {
		return nil, fmt.Errorf("set enrollment statuses: %w", err)
	}
	if matched != len(changes) {
		return nil, engine.Errorf(engine.ENOTFOUND, "set enrollment statuses: %d of %d enrollments not found", len(changes)-matched, len(changes))
	}
	return revs, nil
}

// PutInbox inserts an inbox item with the next rev.
func (s *Store) PutInbox(ctx context.Context, it *engine.InboxItem) (bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rev, err := s.nextRev(ctx)
	if err != nil {
		return false, fmt.Errorf("inbox item %s: %w", it.ID, err)
	}
	saved := it.Rev
	it.Rev, it.At = rev, dbTime(it.At)
	_, err = s.db.Collection(collInbox).InsertOne(ctx, it)
	if isDuplicate(err) {
		it.Rev = saved
		return false, nil
	}
	if err != nil {
		it.Rev = saved
		return false, fmt.Errorf("inbox item %s: %w", it.ID, err)
	}
	return true, nil
}

// EachInbox calls fn for every inbox item with rev > since, in rev order.
func (s *Store) EachInbox(ctx context.Context, since int64, fn func(*engine.InboxItem) error) error {
	cur, err := s.db.Collection(collInbox).Find(ctx,
		bson.D{{Key: "rev", Value: bson.D{{Key: "$gt", Value: since}}}},
		options.Find().SetSort(bson.D{{Key: "rev", Value: 1}}))
	if err != nil {
		return fmt.Errorf("list inbox since rev %d: %w", since, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var it engine.InboxItem
		if err := cur.Decode(&it); err != nil {
			return fmt.Errorf("list inbox: %w", err)
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	return cur.Err()
}

// MatchSets reads every match set in one pass.
func (s *Store) MatchSets(ctx context.Context) (map[string]*engine.MatchSet, error) {
	cur, err := s.db.Collection(collMatchSets).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list match sets: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	out := map[string]*engine.MatchSet{}
	for cur.Next(ctx) {
		var ms engine.MatchSet
		if err := cur.Decode(&ms); err != nil {
			return nil, fmt.Errorf("list match sets: %w", err)
		}
		out[ms.SeekerID] = &ms
	}
	return out, cur.Err()
}

// GetMatchSet loads one seeker's match set.
func (s *Store) GetMatchSet(ctx context.Context, seekerID string) (*engine.MatchSet, error) {
	var ms engine.MatchSet
	err := s.db.Collection(collMatchSets).FindOne(ctx, bson.D{{Key: "_id", Value: seekerID}}).Decode(&ms)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ENOTFOUND, "no match set for %s", seekerID)
	}
	if err != nil {
		return nil, fmt.Errorf("get match set %s: %w", seekerID, err)
	}
	return &ms, nil
}

// PutMatchSet writes a seeker's match set (upsert by _id).
func (s *Store) PutMatchSet(ctx context.Context, ms *engine.MatchSet) error {
	ms.At = dbTime(ms.At)
	if ms.Posts == nil {
		ms.Posts = []string{}
	}
	put := func() error {
		_, err := s.db.Collection(collMatchSets).ReplaceOne(ctx, bson.D{{Key: "_id", Value: ms.SeekerID}}, ms, options.Replace().SetUpsert(true))
		return err
	}
	err := put()
	if mongo.IsDuplicateKeyError(err) {
		err = put() // two upserts of a new match set at once (a job's and the rematch's): the other inserted it, now it is replaced
	}
	if err != nil {
		return fmt.Errorf("put match set %s: %w", ms.SeekerID, err)
	}
	return nil
}
