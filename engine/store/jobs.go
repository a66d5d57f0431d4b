package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

var _ engine.JobStore = (*Store)(nil)

// jobDocs remembers the jobs whose documents exist, by database and job name,
// so a lease takes one update and no read.
var jobDocs sync.Map

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

// AcquireLease is one conditional update of the job's document whose filter
// holds the conditions: the lease expired, and for a slot, the last slot
// before it. Under FerretDB the conditional lock makes it atomic too.
func (s *Store) AcquireLease(ctx context.Context, job, owner string, slot *time.Time, now time.Time, ttl time.Duration) (bool, error) {
	if _, known := jobDocs.Load(s.db.Name() + "/" + job); !known {
		if _, err := s.JobState(ctx, job); err != nil {
			return false, err
		}
		jobDocs.Store(s.db.Name()+"/"+job, true)
	}
	filter := bson.D{{Key: "_id", Value: job}, {Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: dbTime(now)}}}}
	if slot != nil {
		filter = append(filter, bson.E{Key: "lastSlot", Value: bson.D{{Key: "$lt", Value: dbTime(*slot)}}})
	}
	return s.updateJob(ctx, job, filter, bson.D{{Key: "owner", Value: owner}, {Key: "expiresAt", Value: dbTime(now.Add(ttl))}})
}

// updateJob $sets fields on a job's document when filter matches it, under
// the conditional lock, and says whether it matched.
func (s *Store) updateJob(ctx context.Context, job string, filter, set bson.D) (bool, error) {
	conditional.Lock()
	defer conditional.Unlock()
	res, err := s.db.Collection(collJobs).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return false, fmt.Errorf("job %s: %w", job, err)
	}
	return res.MatchedCount == 1, nil
}

// RenewLease extends a lease its owner holds.
func (s *Store) RenewLease(ctx context.Context, job, owner string, until time.Time) (bool, error) {
	return s.updateJob(ctx, job, bson.D{{Key: "_id", Value: job}, {Key: "owner", Value: owner}},
		bson.D{{Key: "expiresAt", Value: dbTime(until)}})
}

// ReleaseLease ends the owner's lease at now and records the run, when there
// is one, on the job's document (its slot becoming the last slot).
func (s *Store) ReleaseLease(ctx context.Context, job, owner string, now time.Time, run *engine.JobRun) error {
	set := bson.D{{Key: "owner", Value: ""}, {Key: "expiresAt", Value: dbTime(now)}}
	if run != nil {
		set = append(set, bson.E{Key: "lastRun", Value: run})
	}
	if run != nil && run.Slot != nil {
		set = append(set, bson.E{Key: "lastSlot", Value: dbTime(*run.Slot)})
	}
	held, err := s.updateJob(ctx, job, bson.D{{Key: "_id", Value: job}, {Key: "owner", Value: owner}}, set)
	if err == nil && !held {
		return engine.Errorf(engine.ECONFLICT, "lease of %s was lost before the run ended", job)
	}
	return err
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
