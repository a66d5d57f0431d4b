package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// SessionID is the id the session of a bearer token is stored under: a keyed
// HMAC of the token (Cipher.SessionID), so the database alone opens nothing.
func (s *Store) SessionID(token string) string { return s.cipher.SessionID(token) }

// PutSession stores a login session under its token hash, creating or
// refreshing it; expiry is left to the caller (there are no TTL indexes).
func (s *Store) PutSession(ctx context.Context, sess *engine.Session) error {
	if sess == nil || sess.ID == "" {
		return engine.Errorf(engine.EINVALID, "session has no token hash")
	}
	now := s.now()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = now
	}
	sess.CreatedAt = dbTime(sess.CreatedAt)
	sess.UpdatedAt = now
	sess.ExpiresAt = dbTime(sess.ExpiresAt)
	_, err := s.db.Collection(collSessions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: sess.ID}}, sess,
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("put session: %w", err)
	}
	return nil
}

// GetSession loads a session by token hash; ENOTFOUND when absent. The caller checks ExpiresAt.
func (s *Store) GetSession(ctx context.Context, tokenHash string) (*engine.Session, error) {
	var sess engine.Session
	err := s.db.Collection(collSessions).FindOne(ctx, bson.D{{Key: "_id", Value: tokenHash}}).Decode(&sess)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, engine.Errorf(engine.ENOTFOUND, "session not found")
	}
	if err != nil {
		return nil, fmt.Errorf("get session: %w", err)
	}
	return &sess, nil
}

// DeleteSession revokes a session; revoking one that is gone is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.Collection(collSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: tokenHash}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PurgeExpiredSessions deletes the sessions that have expired. The store
// runs it when it opens: on FerretDB, which has no TTL indexes, that is what
// keeps the collection from growing with every login (MongoDB also expires
// them through a TTL index on expiresAt).
func (s *Store) PurgeExpiredSessions(ctx context.Context) error {
	_, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: s.now()}}}})
	if err != nil {
		return fmt.Errorf("purge expired sessions: %w", err)
	}
	return nil
}

// DeleteUserSessions revokes every session of a user (whose account is
// deleted): other processes' session caches then stop at the store.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}}); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", userID, err)
	}
	return nil
}

// Audit limits.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 200
)

// Audit appends an entry to the audit log. An entry without an id gets one that
// sorts by time (zero-padded unix nanoseconds and a random suffix); one without
// a time gets the clock's.
func (s *Store) Audit(ctx context.Context, e *engine.AuditEntry) error {
	if e == nil {
		return engine.Errorf(engine.EINVALID, "no audit entry")
	}
	now := s.now()
	if e.At.IsZero() {
		e.At = now
	}
	e.At = dbTime(e.At)
	if e.ID == "" {
		e.ID = s.auditID(e.At)
	}
	e.CreatedAt, e.UpdatedAt = now, now
	if err := s.audits.insert(ctx, e); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return engine.Errorf(engine.ECONFLICT, "audit entry %s already exists", e.ID)
		}
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// auditID makes an id that sorts by time: zero-padded unix nanoseconds, kept
// increasing within this process, and a random suffix against other processes.
func (s *Store) auditID(at time.Time) string {
	s.auditMu.Lock()
	n := max(at.UnixNano(), s.lastAudit+1)
	s.lastAudit = n
	s.auditMu.Unlock()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%019d-%s", n, hex.EncodeToString(b[:]))
}

// AuditLog lists entries newest first, filtered by seeker and actor, paging
// with Before (an entry id); Limit defaults to 50 and is at most 200.
func (s *Store) AuditLog(ctx context.Context, q engine.AuditQuery) ([]engine.AuditEntry, error) {
	filter := bson.D{}
	if q.SeekerID != "" {
		filter = append(filter, bson.E{Key: "seekerId", Value: q.SeekerID})
	}
	if q.Actor != "" {
		filter = append(filter, bson.E{Key: "actor", Value: q.Actor})
	}
	if q.Before != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: q.Before}}})
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	limit = min(limit, MaxAuditLimit)
	cur, err := s.db.Collection(collAudit).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	entries := []engine.AuditEntry{}
	if err := cur.All(ctx, &entries); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return entries, nil
}

// DeleteSessionsExpiringAfter deletes the sessions that stay valid beyond t
// (longer than any login gives) and says how many there were.
func (s *Store) DeleteSessionsExpiringAfter(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: dbTime(t)}}}})
	if err != nil {
		return 0, fmt.Errorf("delete long-lived sessions: %w", err)
	}
	return res.DeletedCount, nil
}
