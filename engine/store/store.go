package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"

	"jobbridge/engine"
)

// DefaultDatabase is the database used when the URI names none.
const DefaultDatabase = "jobbridge"

// Collections besides the records'.
const (
	collSessions = "sessions"
	collAudit    = "audit"
	collCounters = "counters"
	// Training and scheduling (training.go, jobs.go).
	collInbox     = "inbox"
	collMatchSets = "matchsets"
	collJobs      = "jobs"
	collJobRuns   = "jobruns"
)

// collections maps each record kind to its collection.
var collections = map[engine.Kind]string{
	engine.KindSkill:    "skills",
	engine.KindSeeker:   "seekers",
	engine.KindEmployer: "employers",
	engine.KindPost:     "posts",
	engine.KindClass:    "classes",
	engine.KindUser:     "users",

	engine.KindEnrollment: "enrollments",
	engine.KindReferral:   "referrals",
	engine.KindPlacement:  "placements",
}

// Store implements engine.Store on the MongoDB driver, against MongoDB or the
// embedded FerretDB, using only what both support.
type Store struct {
	// Clock stamps createdAt and updatedAt; tests may replace it right after Open.
	Clock engine.Clock

	client *mongo.Client
	db     *mongo.Database
	cipher *Cipher
	log    *slog.Logger

	// audits writes audit entries with group commit.
	audits *groupInsert

	// writeMu covers taking a rev and writing with it, so this process's writes
	// land in rev order and FerretDB's findAndModify (not atomic there) never
	// hands out a rev twice.
	writeMu sync.Mutex

	auditMu   sync.Mutex
	lastAudit int64 // unix nanoseconds of the last generated audit id
}

var _ engine.Store = (*Store)(nil)

// Open connects to the database at uri, checks that it answers, and creates the
// indexes the store relies on (unique usernames and resident IDs, rev for the change feed).
func Open(ctx context.Context, uri string, cipher *Cipher, log *slog.Logger) (*Store, error) {
	if cipher == nil {
		return nil, errors.New("open store: no cipher")
	}
	if log == nil {
		log = slog.Default()
	}
	cs, err := connstring.Parse(uri)
	if err != nil {
		return nil, errors.New("open store: malformed mongo uri") // the URI may hold a password
	}
	name := cs.Database
	if name == "" {
		name = DefaultDatabase
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{Clock: engine.SystemClock{}, client: client, db: client.Database(name), cipher: cipher, log: log}
	pingCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, nil); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("open store: ping: %w", err)
	}
	s.audits = &groupInsert{coll: s.db.Collection(collAudit)}
	if err := s.ensureCollections(ctx); err != nil {
		_ = client.Disconnect(ctx)
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.PurgeExpiredSessions(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// Close disconnects from the database.
func (s *Store) Close(ctx context.Context) error {
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

func (s *Store) createIndexes(ctx context.Context) error {
	byRev := mongo.IndexModel{Keys: bson.D{{Key: "rev", Value: 1}}}
	indexes := map[string][]mongo.IndexModel{
		collections[engine.KindUser]:   {byRev, {Keys: bson.D{{Key: "username", Value: 1}}, Options: options.Index().SetUnique(true)}},
		collections[engine.KindSeeker]: {byRev, {Keys: bson.D{{Key: "residentIdHash", Value: 1}}, Options: options.Index().SetUnique(true)}},
		collAudit: {
			{Keys: bson.D{{Key: "seekerId", Value: 1}, {Key: "_id", Value: -1}}},
			{Keys: bson.D{{Key: "actor", Value: 1}, {Key: "_id", Value: -1}}},
		},
	}
	for _, kind := range engine.Kinds {
		if c := collections[kind]; indexes[c] == nil {
			indexes[c] = []mongo.IndexModel{byRev}
		}
	}
	for coll, models := range trainingIndexes(byRev) {
		indexes[coll] = models
	}
	for coll, models := range placementIndexes(byRev) {
		indexes[coll] = models
	}
	for coll, models := range lrsIndexes(byRev) {
		indexes[coll] = models
	}
	indexes[collSessions] = []mongo.IndexModel{{Keys: bson.D{{Key: "userId", Value: 1}}}}
	ferret, err := s.onFerretDB(ctx)
	if err != nil {
		return err
	}
	if !ferret { // MongoDB removes expired sessions itself; FerretDB v1 has no TTL indexes
		indexes[collSessions] = append(indexes[collSessions],
			mongo.IndexModel{Keys: bson.D{{Key: "expiresAt", Value: 1}}, Options: options.Index().SetExpireAfterSeconds(0)})
	}
	// One index per command: FerretDB v1.24 panics when a createIndexes
	// command repeats two or more indexes that already exist.
	for coll, models := range indexes {
		for _, model := range models {
			if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, model); err != nil {
				return fmt.Errorf("create indexes on %s: %w", coll, err)
			}
		}
	}
	return nil
}

// collection returns the collection of a record kind.
func collection(kind engine.Kind) (string, error) {
	c, ok := collections[kind]
	if !ok {
		return "", engine.Errorf(engine.EINVALID, "unknown kind %q", kind)
	}
	return c, nil
}

// checkType makes sure r is a non-nil record of kind and returns kind's collection.
func checkType(kind engine.Kind, r engine.Record) (string, error) {
	c, err := collection(kind)
	if err != nil {
		return "", err
	}
	if r == nil || reflect.TypeOf(r) != reflect.TypeOf(engine.NewRecord(kind)) || reflect.ValueOf(r).IsNil() {
		return "", engine.Errorf(engine.EINVALID, "record %T is not a %s", r, kind)
	}
	return c, nil
}

// checkRecord makes sure r is a record of kind with an id and returns kind's collection.
func checkRecord(kind engine.Kind, r engine.Record) (string, error) {
	c, err := checkType(kind, r)
	if err != nil {
		return "", err
	}
	if r.RecordMeta().ID == "" {
		return "", engine.Errorf(engine.EINVALID, "%s has no id", kind)
	}
	return c, nil
}

// nextRev takes the next revision of the change feed from the counter document.
func (s *Store) nextRev(ctx context.Context) (int64, error) { return s.takeRevs(ctx, 1) }

// takeRevs takes n consecutive revs from the counter and returns the first.
func (s *Store) takeRevs(ctx context.Context, n int) (int64, error) {
	var counter struct {
		N int64 `bson:"n"`
	}
	err := s.db.Collection(collCounters).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: "rev"}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(n)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
	).Decode(&counter)
	if err != nil {
		return 0, fmt.Errorf("take %d revs: %w", n, err)
	}
	return counter.N - int64(n) + 1, nil
}

// now is the clock's time as the database keeps it: UTC, whole milliseconds.
func (s *Store) now() time.Time { return dbTime(s.Clock.Now()) }

// dbTime rounds t down to what a BSON date holds, so what is written reads back equal.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// isDuplicate says whether err is a unique index violation. FerretDB reports
// one met by an update (not an insert) as an internal error carrying SQLite's message.
func isDuplicate(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var se mongo.ServerError
	return errors.As(err, &se) && strings.Contains(se.Error(), "UNIQUE constraint failed")
}

func notFound(kind engine.Kind, id string) error {
	return engine.Errorf(engine.ENOTFOUND, "%s %s not found", kind, id)
}
