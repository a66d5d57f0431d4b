package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ensureCollections creates every collection the store uses, so that all of
// them exist from the first start (the embedded database indexes their ids
// once they exist; see embedded.DB.IndexIDs).
func (s *Store) ensureCollections(ctx context.Context) error {
	names := []string{collSessions, collAudit, collCounters, collInbox, collMatchSets, collJobs, collJobRuns,
		collXStatements, collXAttachments, collXActivities, collXDocuments, collCredentials}
	for _, c := range collections {
		names = append(names, c)
	}
	existing, err := s.db.ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	have := map[string]bool{}
	for _, n := range existing {
		have[n] = true
	}
	for _, n := range names {
		if have[n] {
			continue
		}
		var cmdErr mongo.CommandError
		if err := s.db.CreateCollection(ctx, n); err != nil && !(errors.As(err, &cmdErr) && cmdErr.Code == 48) {
			return fmt.Errorf("create collection %s: %w", n, err)
		}
		have[n] = true
	}
	return nil
}
