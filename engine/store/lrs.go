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

// The LRS's collections (engine.LRSStore). Statements are kept as their JSON
// text (body), so xAPI's keys (IRIs with dots, any case) never become field
// names, and FerretDB stores them cheaply.
const (
	collXStatements  = "xapistatements"
	collXAttachments = "xapiattachments"
	collXActivities  = "xapiactivities"
	collXDocuments   = "xapidocuments"
	collCredentials  = "lrscredentials"
)

var _ engine.LRSStore = (*Store)(nil)

func lrsIndexes(byRev mongo.IndexModel) map[string][]mongo.IndexModel {
	return map[string][]mongo.IndexModel{collXStatements: {byRev}, collXDocuments: {byRev}}
}

// written records, before a write, the highest rev it will carry, in the
// counters document "written:name": a start-up whose index holds that rev
// already has nothing to catch up, and need not read the collection (on
// FerretDB any filter but _id reads all of it).
func (s *Store) written(ctx context.Context, name string, rev int64) error {
	_, err := s.db.Collection(collCounters).UpdateOne(ctx, bson.D{{Key: "_id", Value: "written:" + name}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "rev", Value: rev}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mark %s written: %w", name, err)
	}
	return nil
}

// LastWritten is the highest rev written to statements and to documents (0 when none).
func (s *Store) LastWritten(ctx context.Context) (statements, documents int64, err error) {
	read := func(name string) (int64, error) {
		var d struct {
			Rev int64 `bson:"rev"`
		}
		err := s.db.Collection(collCounters).FindOne(ctx, bson.D{{Key: "_id", Value: "written:" + name}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return 0, nil
		}
		return d.Rev, err
	}
	if statements, err = read(collXStatements); err != nil {
		return 0, 0, fmt.Errorf("last statement written: %w", err)
	}
	if documents, err = read(collXDocuments); err != nil {
		return 0, 0, fmt.Errorf("last document written: %w", err)
	}
	return statements, documents, nil
}

// InsertStatements inserts statements in unordered batches with revs from
// one counter update; duplicates of stored ids are reported, not written.
func (s *Store) InsertStatements(ctx context.Context, sts []*engine.Statement) (map[string]bool, error) {
	repeats := map[string]bool{}
	if len(sts) == 0 {
		return repeats, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	first, err := s.takeRevs(ctx, len(sts))
	if err != nil {
		return nil, fmt.Errorf("store statements: %w", err)
	}
	if err := s.written(ctx, collXStatements, first+int64(len(sts))-1); err != nil {
		return nil, err
	}
	docs := make([]any, len(sts))
	for i, st := range sts {
		st.Rev, st.Stored = first+int64(i), dbTime(st.Stored)
		docs[i] = st
	}
	_, err = s.db.Collection(collXStatements).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if errors.As(err, &bulk) && bulk.WriteConcernError == nil {
		for _, we := range bulk.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) && !isDuplicate(we) || we.Index < 0 || we.Index >= len(sts) {
				return nil, fmt.Errorf("store statements: %w", err)
			}
			repeats[sts[we.Index].ID] = true
		}
		return repeats, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store statements: %w", err)
	}
	return repeats, nil
}

// getParallel is how many lookups by _id a batch read runs at once.
const getParallel = 8

// GetStatements loads statements by _id, several lookups at once (FerretDB
// serves only an exact _id filter without reading the whole collection).
func (s *Store) GetStatements(ctx context.Context, ids []string) (map[string]*engine.Statement, error) {
	out := make(map[string]*engine.Statement, len(ids))
	var mu sync.Mutex
	err := eachParallel(ctx, ids, func(ctx context.Context, id string) error {
		var st engine.Statement
		err := s.db.Collection(collXStatements).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&st)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("get statement %s: %w", id, err)
		}
		mu.Lock()
		out[id] = &st
		mu.Unlock()
		return nil
	})
	return out, err
}

// eachParallel runs fn for every id, getParallel at a time, and returns the first error.
func eachParallel(ctx context.Context, ids []string, fn func(context.Context, string) error) error {
	if len(ids) == 1 {
		return fn(ctx, ids[0])
	}
	work := make(chan string)
	errs := make(chan error, getParallel)
	var wg sync.WaitGroup
	for range min(getParallel, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := fn(ctx, id); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// EachStatement calls fn for every statement with rev > since, in rev order.
func (s *Store) EachStatement(ctx context.Context, since int64, fn func(*engine.Statement) error) error {
	return eachSince(ctx, s.db.Collection(collXStatements), since, func(cur *mongo.Cursor) error {
		var st engine.Statement
		if err := cur.Decode(&st); err != nil {
			return err
		}
		return fn(&st)
	})
}

func eachSince(ctx context.Context, coll *mongo.Collection, since int64, fn func(*mongo.Cursor) error) error {
	cur, err := coll.Find(ctx, bson.D{{Key: "rev", Value: bson.D{{Key: "$gt", Value: since}}}},
		options.Find().SetSort(bson.D{{Key: "rev", Value: 1}}))
	if err != nil {
		return fmt.Errorf("list %s since rev %d: %w", coll.Name(), since, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		if err := fn(cur); err != nil {
			return fmt.Errorf("list %s: %w", coll.Name(), err)
		}
	}
	return cur.Err()
}

// PutAttachments stores attachment contents by hash; one stored already stays.
func (s *Store) PutAttachments(ctx context.Context, as []*engine.Attachment) error {
	if len(as) == 0 {
		return nil
	}
	docs := make([]any, len(as))
	for i, a := range as {
		docs[i] = a
	}
	_, err := s.db.Collection(collXAttachments).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if errors.As(err, &bulk) && bulk.WriteConcernError == nil {
		for _, we := range bulk.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) && !isDuplicate(we) {
				return fmt.Errorf("store attachments: %w", err)
			}
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("store attachments: %w", err)
	}
	return nil
}

// GetAttachment loads one attachment content.
func (s *Store) GetAttachment(ctx context.Context, sha2 string) (*engine.Attachment, error) {
	var a engine.Attachment
	err := s.db.Collection(collXAttachments).FindOne(ctx, bson.D{{Key: "_id", Value: sha2}}).Decode(&a)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ENOTFOUND, "no attachment %s", sha2)
	}
	if err != nil {
		return nil, fmt.Errorf("get attachment %s: %w", sha2, err)
	}
	return &a, nil
}

// PutActivities upserts activity definitions by id, in unordered bulk writes of 50.
func (s *Store) PutActivities(ctx context.Context, defs map[string]string) error {
	if len(defs) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, 0, len(defs))
	for id, js := range defs {
		models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}).
			SetReplacement(bson.D{{Key: "_id", Value: id}, {Key: "json", Value: js}}).SetUpsert(true))
	}
	coll := s.db.Collection(collXActivities)
	for start := 0; start < len(models); start += maxBulkUpdates {
		if _, err := coll.BulkWrite(ctx, models[start:min(start+maxBulkUpdates, len(models))], options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("store activities: %w", err)
		}
	}
	return nil
}

// GetActivity loads an activity's JSON.
func (s *Store) GetActivity(ctx context.Context, id string) (string, error) {
	var d struct {
		JSON string `bson:"json"`
	}
	err := s.db.Collection(collXActivities).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", engine.Errorf(engine.ENOTFOUND, "no activity %s", id)
	}
	if err != nil {
		return "", fmt.Errorf("get activity %s: %w", id, err)
	}
	return d.JSON, nil
}

// GetDocument loads a document that is not deleted.
func (s *Store) GetDocument(ctx context.Context, id string) (*engine.Document, error) {
	var d engine.Document
	err := s.db.Collection(collXDocuments).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) || err == nil && d.Deleted {
		return nil, engine.Errorf(engine.ENOTFOUND, "no such document")
	}
	if err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	return &d, nil
}

// WriteDocument reads the stored version, lets check decide, and writes d
// with a new rev (an upsert by _id), holding the process-wide conditional
// lock so no other write of this process comes between.
func (s *Store) WriteDocument(ctx context.Context, d *engine.Document, check func(old *engine.Document) error) error {
	conditional.Lock()
	defer conditional.Unlock()
	old, err := s.GetDocument(ctx, d.ID)
	if engine.ErrorCode(err) == engine.ENOTFOUND {
		old, err = nil, nil
	}
	if err != nil {
		return err
	}
	if err := check(old); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rev, err := s.nextRev(ctx)
	if err != nil {
		return fmt.Errorf("write document: %w", err)
	}
	if err := s.written(ctx, collXDocuments, rev); err != nil {
		return err
	}
	d.Rev, d.Updated = rev, dbTime(d.Updated)
	if _, err := s.db.Collection(collXDocuments).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("write document: %w", err)
	}
	return nil
}

// EachDocument calls fn for every document (tombstones too) with rev > since, in rev order.
func (s *Store) EachDocument(ctx context.Context, since int64, fn func(*engine.Document) error) error {
	return eachSince(ctx, s.db.Collection(collXDocuments), since, func(cur *mongo.Cursor) error {
		var d engine.Document
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(&d)
	})
}

// PutCredential inserts a credential; ECONFLICT when its key is taken.
func (s *Store) PutCredential(ctx context.Context, c *engine.Credential) error {
	c.CreatedAt = dbTime(c.CreatedAt)
	if !c.ExpiresAt.IsZero() {
		c.ExpiresAt = dbTime(c.ExpiresAt)
	}
	_, err := s.db.Collection(collCredentials).InsertOne(ctx, c)
	if isDuplicate(err) {
		return engine.Errorf(engine.ECONFLICT, "credential %s exists", c.Key)
	}
	if err != nil {
		return fmt.Errorf("store credential: %w", err)
	}
	return nil
}

// DeleteCredential removes a credential.
func (s *Store) DeleteCredential(ctx context.Context, key string) error {
	res, err := s.db.Collection(collCredentials).DeleteOne(ctx, bson.D{{Key: "_id", Value: key}})
	if err != nil {
		return fmt.Errorf("delete credential: %w", err)
	}
	if res.DeletedCount == 0 {
		return engine.Errorf(engine.ENOTFOUND, "no credential %s", key)
	}
	return nil
}

// Credentials lists every credential (a small collection, read at start).
func (s *Store) Credentials(ctx context.Context) ([]*engine.Credential, error) {
	cur, err := s.db.Collection(collCredentials).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list credentials: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var out []*engine.Credential
	for cur.Next(ctx) {
		var c engine.Credential
		if err := cur.Decode(&c); err != nil {
			return nil, fmt.Errorf("list credentials: %w", err)
		}
		out = append(out, &c)
	}
	return out, cur.Err()
}
