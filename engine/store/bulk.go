package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
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
	first, err := s.takeRevs(ctx, len(rs))
	if err != nil {
		return fmt.Errorf("create %d %ss: %w", len(rs), kind, err)
	}
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

// ReplaceMany overwrites those of rs that are stored, each as Replace does
// for a record without a rev (createdAt kept, a changed username or resident
// ID checked, a class's seats taken kept), with their revs from one counter
// update and the writes in unordered bulk writes of 50: what a re-import
// needs (a few round trips a batch instead of two commits a record). It
// returns the records that are not stored, untouched. On MongoDB each write
// is conditional on the rev read, so a record changed meanwhile by another
// process makes the batch ECONFLICT (its records are then put one by one).
// On an error every record's Meta is put back; some may be stored.
func (s *Store) ReplaceMany(ctx context.Context, kind engine.Kind, rs []engine.Record) (missing []engine.Record, err error) {
	c := ""
	for _, r := range rs {
		if c, err = checkRecord(kind, r); err != nil {
			return nil, err
		}
	}
	saved := make([]engine.Meta, len(rs))
	for i, r := range rs {
		saved[i] = *r.RecordMeta()
	}
	defer func() {
		if err != nil {
			for i, r := range rs {
				*r.RecordMeta() = saved[i]
			}
		}
	}()
	coll := s.db.Collection(c)
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var stored []engine.Record
	var filters []bson.D
	for _, r := range rs {
		id := r.RecordMeta().ID
		old, err := s.readOld(ctx, coll, kind, id)
		if engine.ErrorCode(err) == engine.ENOTFOUND {
			missing = append(missing, r)
			continue
		}
		if err != nil {
			return nil, err
		}
		cond, err := s.replaceChecks(ctx, kind, r, s.document(r), old)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", kind, id, err)
		}
		filter, err := s.guarded(ctx, id, append(cond, bson.E{Key: "rev", Value: old.Rev}))
		if err != nil {
			return nil, err
		}
		stored, filters = append(stored, r), append(filters, filter)
	}
	if len(stored) == 0 {
		return missing, nil
	}
	first, err := s.takeRevs(ctx, len(stored))
	if err != nil {
		return nil, fmt.Errorf("replace %d %ss: %w", len(stored), kind, err)
	}
	now := s.now()
	models := make([]mongo.WriteModel, len(stored))
	for i, r := range stored {
		m := r.RecordMeta()
		m.Rev, m.UpdatedAt = first+int64(i), now
		models[i] = mongo.NewReplaceOneModel().SetFilter(filters[i]).SetReplacement(s.document(r))
	}
	matched, err := bulkUpdate(ctx, coll, models)
	if isDuplicate(err) {
		return nil, engine.Errorf(engine.ECONFLICT, "some %ss of the batch conflict with other records", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("replace %d %ss: %w", len(stored), kind, err)
	}
	if matched != len(stored) {
		return nil, engine.Errorf(engine.ECONFLICT, "%d of %d %ss changed while the batch was written", len(stored)-matched, len(stored), kind)
	}
	return missing, nil
}
