package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// CreateMany inserts new records of one kind in one ordered insert, taking
// their revs with a single counter update: what an import of new records needs
// (one database transaction per batch instead of three per record). On an
// error every record's Meta is put back; the records before the failing one
// may be stored, so the caller puts them one by one (Get, then Create or
// Replace), which gives each a fresh rev.
func (s *Store) CreateMany(ctx context.Context, kind engine.Kind, rs []engine.Record) error {
	if len(rs) == 0 {
		return nil
	}
	c := ""
	for _, r := range rs {
		var err error
		if c, err = checkRecord(kind, r); err != nil {
			return err
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var counter struct {
		N int64 `bson:"n"`
	}
	err := s.db.Collection(collCounters).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: "rev"}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(len(rs))}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
	).Decode(&counter)
	if err != nil {
		return fmt.Errorf("create %d %ss: revs: %w", len(rs), kind, err)
	}
	first := counter.N - int64(len(rs)) + 1
	now := s.now()
	saved := make([]engine.Meta, len(rs))
	docs := make([]any, len(rs))
	for i, r := range rs {
		m := r.RecordMeta()
		saved[i] = *m
		m.Rev, m.CreatedAt, m.UpdatedAt = first+int64(i), now, now
		docs[i] = s.document(r)
	}
	_, err = s.db.Collection(c).InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	if err == nil {
		return nil
	}
	for i, r := range rs {
		*r.RecordMeta() = saved[i]
	}
	if isDuplicate(err) {
		return engine.Errorf(engine.ECONFLICT, "some %ss of the batch already exist", kind)
	}
	return fmt.Errorf("create %d %ss: %w", len(rs), kind, err)
}
