package api

import (
	"context"
	"sync"
	"time"

	"jobbridge/engine"
)

// sessionCacheTTL is how long a session read from the store is trusted
// without reading it again. A logout through this process takes effect at
// once; one through another replica sharing the database, within this time.
const sessionCacheTTL = 30 * time.Second

// sessionCache keeps recently read sessions, so a busy client costs one
// database read per half minute instead of one per request.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession // by token hash
}

type cachedSession struct {
	sess  engine.Session
	until time.Time
}

func (c *sessionCache) get(hash string, now time.Time) (*engine.Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, found := c.entries[hash]
	if !found || !now.Before(e.until) {
		return nil, false
	}
	return &e.sess, true
}

func (c *sessionCache) put(sess *engine.Session, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedSession{}
	}
	if len(c.entries) >= 10_000 {
		for h, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, h)
			}
		}
	}
	c.entries[sess.ID] = cachedSession{sess: *sess, until: now.Add(sessionCacheTTL)}
}

func (c *sessionCache) drop(hash string) {
	c.mu.Lock()
	delete(c.entries, hash)
	c.mu.Unlock()
}

// session loads a live session by token hash, from the cache or the store.
func (s *Server) session(ctx context.Context, hash string) (*engine.Session, error) {
	now := s.clock.Now()
	if sess, found := s.sessions.get(hash, now); found {
		return sess, nil
	}
	sess, err := s.svc.Store.GetSession(ctx, hash)
	if err != nil {
		return nil, err
	}
	s.sessions.put(sess, now)
	return sess, nil
}

// endSession revokes a session: in the store and in this process's cache.
func (s *Server) endSession(ctx context.Context, hash string) error {
	s.sessions.drop(hash)
	return s.svc.Store.DeleteSession(ctx, hash)
}
