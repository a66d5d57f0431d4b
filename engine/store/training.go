package store

import (
	"context"
	"errors"
	"fmt"
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

// updateEnrollment $sets fields (and $pushes, when push is not nil) on one
// enrollment by _id with the next rev, and returns the enrollment after it.
func (s *Store) updateEnrollment(ctx context.Context, id string, set, push bson.D) (*engine.Enrollment, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rev, err := s.nextRev(ctx)
	if err != nil {
		return nil, err
	}
	update := bson.D{{Key: "$set", Value: append(bson.D{{Key: "rev", Value: rev}, {Key: "updatedAt", Value: s.now()}}, set...)}}
	if push != nil {
		update = append(update, bson.E{Key: "$push", Value: push})
	}
	var out engine.Enrollment
	err = s.db.Collection(collections[engine.KindEnrollment]).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(engine.KindEnrollment, id)
	}
	return &out, err
}

// AppendProgress $pushes events onto an enrollment's log: one atomic update
// by _id, so concurrent statements for one enrollment never lose each other.
func (s *Store) AppendProgress(ctx context.Context, id string, events []engine.ProgressEvent) (*engine.Enrollment, error) {
	for i := range events {
		events[i].At = dbTime(events[i].At)
	}
	e, err := s.updateEnrollment(ctx, id, nil, bson.D{{Key: "log", Value: bson.D{{Key: "$each", Value: events}}}})
	if err != nil {
		return nil, fmt.Errorf("append progress to %s: %w", id, err)
	}
	return e, nil
}

// SetEnrollmentStatus sets status and statusAt, and outcomeAt for a final status.
func (s *Store) SetEnrollmentStatus(ctx context.Context, id, status string, at time.Time) (*engine.Enrollment, error) {
	at = dbTime(at)
	set := bson.D{{Key: "status", Value: status}, {Key: "statusAt", Value: at}}
	if engine.Final(status) {
		set = append(set, bson.E{Key: "outcomeAt", Value: at})
	}
	e, err := s.updateEnrollment(ctx, id, set, nil)
	if err != nil {
		return nil, fmt.Errorf("set status of %s: %w", id, err)
	}
	return e, nil
}

// KnownStatements looks each id up by _id (FerretDB would scan for $in).
func (s *Store) KnownStatements(ctx context.Context, ids []string) (map[string]bool, error) {
	coll := s.db.Collection(collStatements)
	known := make(map[string]bool)
	for _, id := range ids {
		var hit struct {
			ID string `bson:"_id"`
		}
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&hit)
		switch {
		case err == nil:
			known[id] = true
		case !errors.Is(err, mongo.ErrNoDocuments):
			return nil, fmt.Errorf("look up statement %s: %w", id, err)
		}
	}
	return known, nil
}

// PutStatements inserts statements in one unordered batch; a statement whose
// id is stored already (sent twice at once) is skipped.
func (s *Store) PutStatements(ctx context.Context, sts []*engine.Statement) error {
	if len(sts) == 0 {
		return nil
	}
	docs := make([]any, len(sts))
	for i, st := range sts {
		st.Timestamp, st.Stored = dbTime(st.Timestamp), dbTime(st.Stored)
		docs[i] = st
	}
	_, err := s.db.Collection(collStatements).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if errors.As(err, &bulk) && bulk.WriteConcernError == nil {
		for _, we := range bulk.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return fmt.Errorf("store statements: %w", err)
			}
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("store statements: %w", err)
	}
	return nil
}

// GetStatement loads one statement.
func (s *Store) GetStatement(ctx context.Context, id string) (*engine.Statement, error) {
	var st engine.Statement
	err := s.db.Collection(collStatements).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ENOTFOUND, "statement %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get statement %s: %w", id, err)
	}
	return &st, nil
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
	_, err := s.db.Collection(collMatchSets).ReplaceOne(ctx, bson.D{{Key: "_id", Value: ms.SeekerID}}, ms, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("put match set %s: %w", ms.SeekerID, err)
	}
	return nil
}
