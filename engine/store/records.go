package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// Get loads the record of kind with id into r; ENOTFOUND when absent.
func (s *Store) Get(ctx context.Context, kind engine.Kind, id string, r engine.Record) error {
	c, err := checkType(kind, r)
	if err != nil {
		return err
	}
	res := s.db.Collection(c).FindOne(ctx, bson.D{{Key: "_id", Value: id}})
	reflect.ValueOf(r).Elem().SetZero()
	if err := s.decode(res.Decode, r); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return notFound(kind, id)
		}
		return fmt.Errorf("get %s %s: %w", kind, id, err)
	}
	return nil
}

// decode reads one document into r, decrypting a seeker's sensitive fields.
func (s *Store) decode(decode func(any) error, r engine.Record) error {
	if e, ok := r.(*engine.Enrollment); ok {
		return decodeEnrollment(decode, e)
	}
	sk, ok := r.(*engine.Seeker)
	if !ok {
		return decode(r)
	}
	d := &seekerDoc{Seeker: sk}
	if err := decode(d); err != nil {
		return err
	}
	return s.openSeeker(d)
}

// document is what is written for r: the record itself, a seeker sealed, or
// an enrollment with its log compacted.
func (s *Store) document(r engine.Record) any {
	if sk, ok := r.(*engine.Seeker); ok {
		return s.sealSeeker(sk)
	}
	if e, ok := r.(*engine.Enrollment); ok {
		return enrollmentDocument(e)
	}
	return r
}

// Create inserts r, stamping its rev and times; ECONFLICT on a duplicate id,
// username or resident ID. r's Meta is left as it was when Create fails.
func (s *Store) Create(ctx context.Context, kind engine.Kind, r engine.Record) (err error) {
	c, err := checkRecord(kind, r)
	if err != nil {
		return err
	}
	m := r.RecordMeta()
	saved := *m
	defer func() {
		if err != nil {
			*m = saved
		}
	}()

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if m.Rev, err = s.nextRev(ctx); err != nil {
		return fmt.Errorf("create %s %s: %w", kind, m.ID, err)
	}
	m.CreatedAt = s.now()
	m.UpdatedAt = m.CreatedAt
	_, err = s.db.Collection(c).InsertOne(ctx, s.document(r))
	if isDuplicate(err) {
		return s.conflict(ctx, kind, r, true)
	}
	if err != nil {
		return fmt.Errorf("create %s %s: %w", kind, m.ID, err)
	}
	return nil
}

// Replace overwrites the record with r's ID, keeping its createdAt; ENOTFOUND
// when absent, ECONFLICT when the new username or resident ID is someone else's.
// When r carries a rev (the one it was read at), the stored record must still
// have it, else ECONFLICT: a PATCH never overwrites what another request wrote
// between its read and its write (a hire's openings, a seat claim, an edit).
func (s *Store) Replace(ctx context.Context, kind engine.Kind, r engine.Record) (err error) {
	c, err := checkRecord(kind, r)
	if err != nil {
		return err
	}
	m := r.RecordMeta()
	saved := *m
	defer func() {
		if err != nil {
			*m = saved
		}
	}()
	coll := s.db.Collection(c)
	doc := s.document(r)
	readRev := m.Rev

	// A conditional write (placements.go): against seat claims, openings
	// taken by a hire and any other write since r was read.
	conditional.Lock()
	defer conditional.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old, err := s.readOld(ctx, coll, kind, m.ID)
	if err != nil {
		return err
	}
	if readRev != 0 && readRev != old.Rev {
		return engine.Changed(kind, m.ID)
	}
	cond, err := s.replaceChecks(ctx, kind, r, doc, old)
	if err != nil {
		return err
	}
	if readRev != 0 {
		cond = append(cond, bson.E{Key: "rev", Value: readRev})
	}
	filter, err := s.guarded(ctx, m.ID, cond)
	if err != nil {
		return fmt.Errorf("replace %s %s: %w", kind, m.ID, err)
	}
	if m.Rev, err = s.nextRev(ctx); err != nil {
		return fmt.Errorf("replace %s %s: %w", kind, m.ID, err)
	}
	m.UpdatedAt = s.now()
	res, err := coll.ReplaceOne(ctx, filter, doc)
	if isDuplicate(err) {
		if cerr := s.conflict(ctx, kind, r, false); cerr != nil {
			return cerr
		}
		return engine.Errorf(engine.ECONFLICT, "%s %s conflicts with another record", kind, m.ID)
	}
	if err != nil {
		return fmt.Errorf("replace %s %s: %w", kind, m.ID, err)
	}
	if res.MatchedCount == 0 {
		// Another process wrote it between the read above and this write
		// (MongoDB only: on FerretDB the lock excludes that), or deleted it.
		return engine.Changed(kind, m.ID)
	}
	return nil
}

// replaceOld is what a replace reads of the stored record first.
type replaceOld struct {
	Rev            int64     `bson:"rev"`
	CreatedAt      time.Time `bson:"createdAt"`
	Username       string    `bson:"username"`
	ResidentIDHash string    `bson:"residentIdHash"`
	SeatsTaken     int       `bson:"seatsTaken"`
}

var replaceOldFields = bson.D{{Key: "rev", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "username", Value: 1},
	{Key: "residentIdHash", Value: 1}, {Key: "seatsTaken", Value: 1}}

// readOld reads replaceOld of a stored record; ENOTFOUND when there is none.
func (s *Store) readOld(ctx context.Context, coll *mongo.Collection, kind engine.Kind, id string) (*replaceOld, error) {
	var old replaceOld
	err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(replaceOldFields)).Decode(&old)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(kind, id)
	}
	if err != nil {
		return nil, fmt.Errorf("replace %s %s: %w", kind, id, err)
	}
	return &old, nil
}

// replaceChecks checks doc, the new form of r, against the stored record: a
// changed username or resident ID must be free, and a class keeps the seats
// taken it has, which its seats must hold. It returns the conditions the
// write's filter adds (a class's seats taken), and sets r's createdAt.
func (s *Store) replaceChecks(ctx context.Context, kind engine.Kind, r engine.Record, doc any, old *replaceOld) (bson.D, error) {
	// FerretDB enforces unique indexes on update with a bare internal error, so
	// a changed unique field is checked first (rare: a full scan there).
	switch d := doc.(type) {
	case *engine.User:
		if d.Username != old.Username {
			if err := s.conflict(ctx, kind, r, false); err != nil {
				return nil, err
			}
		}
	case *seekerDoc:
		if d.ResidentIDHash != old.ResidentIDHash {
			if err := s.conflict(ctx, kind, r, false); err != nil {
				return nil, err
			}
		}
	}
	r.RecordMeta().CreatedAt = dbTime(old.CreatedAt)
	cl, ok := doc.(*engine.Class)
	if !ok {
		return nil, nil
	}
	// Only ClaimSeat and ReleaseSeat change the seats taken: a replace (an
	// admin's PATCH, a re-import) keeps the stored count, and only if it did
	// not change since it was read (another process's claim).
	if cl.Seats < old.SeatsTaken {
		return nil, &engine.Error{Code: engine.EINVALID, Message: "validation failed",
			Fields: []engine.FieldError{{Field: "seats", Message: fmt.Sprintf("must be at least the %d seats taken", old.SeatsTaken)}}}
	}
	cl.SeatsTaken = old.SeatsTaken
	return bson.D{{Key: "seatsTaken", Value: old.SeatsTaken}}, nil
}

// conflict finds which unique value of r another record already holds and
// returns an ECONFLICT naming it, or nil when none does. checkID includes the id.
func (s *Store) conflict(ctx context.Context, kind engine.Kind, r engine.Record, checkID bool) error {
	id := r.RecordMeta().ID
	c, _ := collection(kind)
	coll := s.db.Collection(c)
	taken := func(filter bson.D) (string, error) {
		var hit struct {
			ID string `bson:"_id"`
		}
		err := coll.FindOne(ctx, filter, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&hit)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("check %s %s for conflicts: %w", kind, id, err)
		}
		return hit.ID, nil
	}
	if checkID {
		if other, err := taken(bson.D{{Key: "_id", Value: id}}); err != nil || other != "" {
			if err != nil {
				return err
			}
			return engine.Errorf(engine.ECONFLICT, "%s %s already exists", kind, id)
		}
	}
	switch rec := r.(type) {
	case *engine.User:
		other, err := taken(bson.D{{Key: "username", Value: rec.Username}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: id}}}})
		if err != nil {
			return err
		}
		if other != "" {
			return engine.Errorf(engine.ECONFLICT, "username %q already taken", rec.Username)
		}
	case *engine.Seeker:
		other, err := taken(bson.D{{Key: "residentIdHash", Value: s.residentIDHash(rec)}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: id}}}})
		if err != nil {
			return err
		}
		if other != "" {
			return engine.ResidentIDTaken()
		}
	}
	if checkID {
		return engine.Errorf(engine.ECONFLICT, "%s %s conflicts with another record", kind, id)
	}
	return nil
}

// Delete removes a record that the change feed does not follow (users, skills,
// employers); seekers, posts and classes are closed or erased instead.
func (s *Store) Delete(ctx context.Context, kind engine.Kind, id string) error {
	c, err := collection(kind)
	if err != nil {
		return err
	}
	for _, k := range engine.IndexedKinds {
		if k == kind {
			return engine.Errorf(engine.EINVALID, "a %s cannot be deleted, only closed or erased", kind)
		}
	}
	res, err := s.db.Collection(c).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", kind, id, err)
	}
	if res.DeletedCount == 0 {
		return notFound(kind, id)
	}
	return nil
}

// Each calls fn for every record of kind with rev > since, in rev order; it
// stops at the first error fn returns and returns that error.
func (s *Store) Each(ctx context.Context, kind engine.Kind, since int64, fn func(engine.Record) error) error {
	c, err := collection(kind)
	if err != nil {
		return err
	}
	cur, err := s.db.Collection(c).Find(ctx,
		bson.D{{Key: "rev", Value: bson.D{{Key: "$gt", Value: since}}}},
		options.Find().SetSort(bson.D{{Key: "rev", Value: 1}}),
	)
	if err != nil {
		return fmt.Errorf("list %s since rev %d: %w", kind, since, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		r := engine.NewRecord(kind)
		if err := s.decode(cur.Decode, r); err != nil {
			return fmt.Errorf("list %s since rev %d: %w", kind, since, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("list %s since rev %d: %w", kind, since, err)
	}
	return nil
}

// UserByUsername finds a login; ENOTFOUND when absent.
func (s *Store) UserByUsername(ctx context.Context, username string) (*engine.User, error) {
	var u engine.User
	err := s.db.Collection(collections[engine.KindUser]).FindOne(ctx, bson.D{{Key: "username", Value: username}}).Decode(&u)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ENOTFOUND, "user %q not found", username)
	}
	if err != nil {
		return nil, fmt.Errorf("find user %q: %w", username, err)
	}
	return &u, nil
}

// SeekerIDByResidentID finds the seeker holding a resident ID through its blind index; ENOTFOUND when none does.
func (s *Store) SeekerIDByResidentID(ctx context.Context, residentID string) (string, error) {
	if residentID == "" {
		return "", engine.Errorf(engine.ENOTFOUND, "no seeker with that resident ID")
	}
	var hit struct {
		ID string `bson:"_id"`
	}
	err := s.db.Collection(collections[engine.KindSeeker]).FindOne(ctx,
		bson.D{{Key: "residentIdHash", Value: s.cipher.BlindIndex(residentID)}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}}),
	).Decode(&hit)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", engine.Errorf(engine.ENOTFOUND, "no seeker with that resident ID")
	}
	if err != nil {
		return "", fmt.Errorf("find seeker by resident ID: %w", err)
	}
	return hit.ID, nil
}

// CountUsers counts login accounts (zero on a first start).
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.db.Collection(collections[engine.KindUser]).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
