package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// The conditional writes of referrals and placements follow one pattern:
// under the conditional lock (training.go), read the document by _id, check
// the condition in Go (for a precise error), then write with a filter. On
// MongoDB the filter holds the condition too, so the write is atomic with it
// whatever other processes do, and costs an _id index lookup. FerretDB scans
// the whole collection for any filter but exactly {_id} (and its
// findAndModify is not atomic anyway), so there the filter is {_id} alone and
// the lock, which every client of the embedded database shares, makes the
// read, check and write one step.

// ferretDB remembers, per client, whether the server is FerretDB.
var ferretDB sync.Map // *mongo.Client → bool

// onFerretDB says whether the store talks to FerretDB (its buildInfo says so).
func (s *Store) onFerretDB(ctx context.Context) (bool, error) {
	if v, ok := ferretDB.Load(s.client); ok {
		return v.(bool), nil
	}
	var info bson.M
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false, fmt.Errorf("build info: %w", err)
	}
	_, is := info["ferretdbVersion"]
	ferretDB.Store(s.client, is)
	return is, nil
}

// guarded is the filter of a conditional write: {_id} and the condition on
// MongoDB, {_id} alone on FerretDB (see above).
func (s *Store) guarded(ctx context.Context, id string, cond bson.D) (bson.D, error) {
	ferret, err := s.onFerretDB(ctx)
	if err != nil {
		return nil, err
	}
	filter := bson.D{{Key: "_id", Value: id}}
	if !ferret {
		filter = append(filter, cond...)
	}
	return filter, nil
}

// placementIndexes are the change-feed indexes of referrals and placements
// (used on MongoDB; on FerretDB only reads by _id are indexed).
func placementIndexes(byRev mongo.IndexModel) map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{
		collections[engine.KindReferral]:  {byRev},
		collections[engine.KindPlacement]: {byRev},
	}
}

// TakeOpening decrements an open post's openings by one, closing it at zero.
// The write names the count it read ({_id, status: open, openings: n}), so of
// two takes racing for the last opening one matches and the other gets ECONFLICT.
func (s *Store) TakeOpening(ctx context.Context, postID string) (*engine.Post, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for range 3 {
		var p engine.Post
		if err := s.Get(ctx, engine.KindPost, postID, &p); err != nil {
			return nil, err
		}
		if p.Status != "open" {
			return nil, engine.Errorf(engine.ECONFLICT, "post %s is %s: no opening to fill", postID, p.Status)
		}
		if p.Openings <= 0 {
			return nil, engine.Errorf(engine.ECONFLICT, "post %s has no opening left", postID)
		}
		left, status := p.Openings-1, "open"
		if left == 0 {
			status = "closed"
		}
		filter, err := s.guarded(ctx, postID, bson.D{{Key: "status", Value: "open"}, {Key: "openings", Value: p.Openings}})
		if err != nil {
			return nil, err
		}
		out, err := s.setFields(ctx, engine.KindPost, filter, bson.D{{Key: "openings", Value: left}, {Key: "status", Value: status}}, nil, &engine.Post{})
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // another process took one meanwhile: read again
		}
		if err != nil {
			return nil, fmt.Errorf("take an opening of %s: %w", postID, err)
		}
		return out.(*engine.Post), nil
	}
	return nil, engine.Errorf(engine.ECONFLICT, "post %s changed while taking an opening; try again", postID)
}

// ReturnOpening adds an opening back; a post at zero openings that is closed
// (the state TakeOpening left it in) opens again.
func (s *Store) ReturnOpening(ctx context.Context, postID string) (*engine.Post, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var p engine.Post
	if err := s.Get(ctx, engine.KindPost, postID, &p); err != nil {
		return nil, err
	}
	set := bson.D{{Key: "openings", Value: p.Openings + 1}}
	if p.Openings == 0 && p.Status == "closed" {
		set = append(set, bson.E{Key: "status", Value: "open"})
	}
	filter, err := s.guarded(ctx, postID, bson.D{{Key: "openings", Value: p.Openings}})
	if err != nil {
		return nil, err
	}
	out, err := s.setFields(ctx, engine.KindPost, filter, set, nil, &engine.Post{})
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ECONFLICT, "post %s changed while returning an opening", postID)
	}
	if err != nil {
		return nil, fmt.Errorf("return an opening of %s: %w", postID, err)
	}
	return out.(*engine.Post), nil
}

// MoveReferral sets a referral's status and $pushes the move onto its history.
func (s *Store) MoveReferral(ctx context.Context, id, from string, move engine.ReferralMove, placementID string) (*engine.Referral, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var r engine.Referral
	if err := s.Get(ctx, engine.KindReferral, id, &r); err != nil {
		return nil, err
	}
	if r.Status != from {
		return nil, engine.Errorf(engine.ECONFLICT, "referral %s is %s now, not %s", id, r.Status, from)
	}
	filter, err := s.guarded(ctx, id, bson.D{{Key: "status", Value: from}})
	if err != nil {
		return nil, err
	}
	move.At = dbTime(move.At)
	set := bson.D{{Key: "status", Value: move.To}}
	if placementID != "" {
		set = append(set, bson.E{Key: "placementId", Value: placementID})
	}
	out, err := s.setFields(ctx, engine.KindReferral, filter, set, bson.D{{Key: "history", Value: move}}, &engine.Referral{})
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ECONFLICT, "referral %s moved meanwhile", id)
	}
	if err != nil {
		return nil, fmt.Errorf("move referral %s: %w", id, err)
	}
	return out.(*engine.Referral), nil
}

// UpdatePlacements replaces each placement whose stored rev is still
// revs[i], taking the revs of all of them with one counter update (on the
// embedded database every write is a commit, so a run of the follow-up job
// writes one per placement, not two); it reports which changed meanwhile.
func (s *Store) UpdatePlacements(ctx context.Context, ps []*engine.Placement, revs []int64) (map[int]bool, error) {
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	coll := s.db.Collection(collections[engine.KindPlacement])
	conflicts := map[int]bool{}
	for i, p := range ps {
		var old struct {
			Rev int64 `bson:"rev"`
		}
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: p.ID}}, options.FindOne().SetProjection(bson.D{{Key: "rev", Value: 1}})).Decode(&old)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, notFound(engine.KindPlacement, p.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("update placement %s: %w", p.ID, err)
		}
		if old.Rev != revs[i] {
			conflicts[i] = true
		}
	}
	if len(conflicts) == len(ps) {
		return conflicts, nil
	}
	next, err := s.takeRevs(ctx, len(ps)-len(conflicts))
	if err != nil {
		return nil, fmt.Errorf("update %d placements: %w", len(ps), err)
	}
	now := s.now()
	for i, p := range ps {
		if conflicts[i] {
			continue
		}
		filter, err := s.guarded(ctx, p.ID, bson.D{{Key: "rev", Value: revs[i]}})
		if err != nil {
			return nil, err
		}
		saved := p.Meta
		p.Rev, p.UpdatedAt, p.CreatedAt = next, now, dbTime(p.CreatedAt)
		next++
		for k := range p.FollowUps {
			if t := p.FollowUps[k].DoneAt; t != nil {
				d := dbTime(*t)
				p.FollowUps[k].DoneAt = &d
			}
		}
		res, err := coll.ReplaceOne(ctx, filter, p)
		if err != nil {
			p.Meta = saved
			return nil, fmt.Errorf("update placement %s: %w", p.ID, err)
		}
		if res.MatchedCount == 0 { // another process wrote it between the read and the write
			p.Meta = saved
			conflicts[i] = true
		}
	}
	return conflicts, nil
}

// PutInboxMany inserts new inbox items in one unordered insert, their revs
// taken with one counter update; an item whose id is stored already is left
// as it was. It says which items were new.
func (s *Store) PutInboxMany(ctx context.Context, items []*engine.InboxItem) ([]bool, error) {
	created := make([]bool, len(items))
	if len(items) == 0 {
		return created, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	first, err := s.takeRevs(ctx, len(items))
	if err != nil {
		return nil, fmt.Errorf("inbox items: %w", err)
	}
	docs := make([]any, len(items))
	saved := make([]int64, len(items))
	for i, it := range items {
		saved[i] = it.Rev
		it.Rev, it.At = first+int64(i), dbTime(it.At)
		docs[i] = it
		created[i] = true
	}
	_, err = s.db.Collection(collInbox).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if errors.As(err, &bulk) && bulk.WriteConcernError == nil {
		for _, we := range bulk.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return nil, fmt.Errorf("inbox items: %w", err)
			}
			created[we.Index], items[we.Index].Rev = false, saved[we.Index]
		}
		return created, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inbox items: %w", err)
	}
	return created, nil
}

// setFields $sets fields (and $pushes push, when not nil) with the next rev
// on the document filter matches, and decodes the document after it into
// out; mongo.ErrNoDocuments when nothing matched. The caller holds writeMu.
func (s *Store) setFields(ctx context.Context, kind engine.Kind, filter, set, push bson.D, out engine.Record) (engine.Record, error) {
	rev, err := s.nextRev(ctx)
	if err != nil {
		return nil, err
	}
	update := bson.D{{Key: "$set", Value: append(bson.D{{Key: "rev", Value: rev}, {Key: "updatedAt", Value: s.now()}}, set...)}}
	if push != nil {
		update = append(update, bson.E{Key: "$push", Value: push})
	}
	err = s.db.Collection(collections[kind]).FindOneAndUpdate(ctx, filter, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(out)
	if err != nil {
		return nil, err
	}
	return out, nil
}
