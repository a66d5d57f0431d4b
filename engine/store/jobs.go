package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

var _ engine.JobStore = (*Store)(nil)

// JobState loads a job's lease document, inserting it the first time.
func (s *Store) JobState(ctx context.Context, job string) (*engine.JobState, error) {
	coll := s.db.Collection(collJobs)
	var st engine.JobState
	err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: job}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		st = engine.JobState{Name: job, ExpiresAt: time.Unix(0, 0).UTC(), LastSlot: time.Unix(0, 0).UTC()}
		if _, err := coll.InsertOne(ctx, &st); err != nil && !isDuplicate(err) {
			return nil, fmt.Errorf("job %s: %w", job, err)
		}
		err = coll.FindOne(ctx, bson.D{{Key: "_id", Value: job}}).Decode(&st)
	}
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", job, err)
	}
	return &st, nil
}

// AcquireLease is one findOneAndUpdate on the job's document whose filter
// holds the conditions: the lease expired, and for a slot, the last slot
// before it. Under FerretDB the conditional lock makes it atomic too.
func (s *Store) AcquireLease(ctx context.Context, job, owner string, slot *time.Time, now time.Time, ttl time.Duration) (bool, error) {
	if _, err := s.JobState(ctx, job); err != nil {
		return false, err
	}
	conditional.Lock()
	defer conditional.Unlock()
	filter := bson.D{{Key: "_id", Value: job}, {Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: dbTime(now)}}}}
	if slot != nil {
		filter = append(filter, bson.E{Key: "lastSlot", Value: bson.D{{Key: "$lt", Value: dbTime(*slot)}}})
	}
	err := s.db.Collection(collJobs).FindOneAndUpdate(ctx, filter,
		bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "expiresAt", Value: dbTime(now.Add(ttl))}}}},
	).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", job, err)
	}
	return true, nil
}

// RenewLease extends a lease its owner holds.
func (s *Store) RenewLease(ctx context.Context, job, owner string, until time.Time) (bool, error) {
	conditional.Lock()
	defer conditional.Unlock()
	err := s.db.Collection(collJobs).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: job}, {Key: "owner", Value: owner}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: dbTime(until)}}}},
	).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", job, err)
	}
	return true, nil
}

// ReleaseLease ends the owner's lease at now and records the run on the job's
// document (its slot becoming the last slot).
func (s *Store) ReleaseLease(ctx context.Context, job, owner string, now time.Time, run *engine.JobRun) error {
	conditional.Lock()
	defer conditional.Unlock()
	set := bson.D{{Key: "owner", Value: ""}, {Key: "expiresAt", Value: dbTime(now)}, {Key: "lastRun", Value: run}}
	if run != nil && run.Slot != nil {
		set = append(set, bson.E{Key: "lastSlot", Value: dbTime(*run.Slot)})
	}
	err := s.db.Collection(collJobs).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: job}, {Key: "owner", Value: owner}},
		bson.D{{Key: "$set", Value: set}},
	).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return engine.Errorf(engine.ECONFLICT, "lease of %s was lost before the run ended", job)
	}
	if err != nil {
		return fmt.Errorf("release lease %s: %w", job, err)
	}
	return nil
}

// StartRun inserts a run record; its id is unique, so a slot's record is written once.
func (s *Store) StartRun(ctx context.Context, run *engine.JobRun) error {
	stampRun(run)
	_, err := s.db.Collection(collJobRuns).InsertOne(ctx, run)
	if isDuplicate(err) {
		return engine.Errorf(engine.ECONFLICT, "run %s exists", run.ID)
	}
	if err != nil {
		return fmt.Errorf("start run %s: %w", run.ID, err)
	}
	return nil
}

// FinishRun writes a run record's end.
func (s *Store) FinishRun(ctx context.Context, run *engine.JobRun) error {
	stampRun(run)
	if _, err := s.db.Collection(collJobRuns).ReplaceOne(ctx, bson.D{{Key: "_id", Value: run.ID}}, run); err != nil {
		return fmt.Errorf("finish run %s: %w", run.ID, err)
	}
	return nil
}

func stampRun(run *engine.JobRun) {
	run.StartedAt = dbTime(run.StartedAt)
	for _, t := range []*time.Time{run.Slot, run.EndedAt, run.Now} {
		if t != nil {
			*t = dbTime(*t)
		}
	}
	if run.Counts == nil {
		run.Counts = map[string]int{}
	}
}

// JobRuns lists a job's latest runs, newest first (admin pages only: a scan on FerretDB).
func (s *Store) JobRuns(ctx context.Context, job string, limit int) ([]engine.JobRun, error) {
	cur, err := s.db.Collection(collJobRuns).Find(ctx, bson.D{{Key: "job", Value: job}},
		options.Find().SetSort(bson.D{{Key: "startedAt", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("runs of %s: %w", job, err)
	}
	runs := []engine.JobRun{}
	if err := cur.All(ctx, &runs); err != nil {
		return nil, fmt.Errorf("runs of %s: %w", job, err)
	}
	return runs, nil
}
