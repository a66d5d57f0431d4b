package store

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// groupInsert writes documents to one collection with group commit: a caller
// that finds no write in flight becomes the leader and inserts every document
// queued meanwhile in one insertMany, until the queue is empty; the others
// wait for the batch that holds theirs. Each caller still returns only once
// its own document is stored (or failed), so an audited read is never answered
// before its audit entry is written, yet concurrent requests share one
// database transaction instead of taking one each.
type groupInsert struct {
	coll *mongo.Collection

	mu       sync.Mutex
	queue    []*queued
	flushing bool
}

type queued struct {
	doc  any
	done chan error
}

// insert stores doc, batched with whatever other callers insert at the same time.
func (g *groupInsert) insert(ctx context.Context, doc any) error {
	q := &queued{doc: doc, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, q)
	if !g.flushing {
		g.flushing = true
		for len(g.queue) > 0 {
			batch := g.queue
			g.queue = nil
			g.mu.Unlock()
			g.write(context.WithoutCancel(ctx), batch)
			g.mu.Lock()
		}
		g.flushing = false
	}
	g.mu.Unlock()
	select {
	case err := <-q.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// write inserts one batch, unordered, and tells each caller how its document fared.
func (g *groupInsert) write(ctx context.Context, batch []*queued) {
	docs := make([]any, len(batch))
	for i, q := range batch {
		docs[i] = q.doc
	}
	_, err := g.coll.InsertMany(ctx, docs)
	if err == nil {
		for _, q := range batch {
			q.done <- nil
		}
		return
	}
	failed := map[int]error{}
	var bwe mongo.BulkWriteException
	if be, ok := err.(mongo.BulkWriteException); ok {
		bwe = be
		for _, we := range bwe.WriteErrors {
			failed[we.Index] = we
		}
	}
	for i, q := range batch {
		switch {
		case len(failed) == 0:
			q.done <- err // the whole batch failed
		case failed[i] != nil:
			q.done <- failed[i]
		default:
			q.done <- nil
		}
	}
}
