package jobs

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/engine"
)

// TestPollAcrossProcesses: two processes, A and B, write to one database.
// A's own write does not move its place in the change feed past B's writes;
// a write that commits after A saw a higher rev is still picked up; A's place
// moves only past writes older than engine.FeedGrace; and A's index, on a
// shared database, never marks more than A has seen, so a restart of A loses
// none of B's writes.
func TestPollAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, engine.Shanghai)
	clock := &simClock{t: start}
	uri := newDatabase()
	dir := t.TempDir()
	openA := func() *stack { return openStack(t, uri, clock, filepath.Join(dir, "index"), true) }
	b := openStack(t, uri, clock, filepath.Join(t.TempDir(), "index"), true)
	b.seedTraining(t)
	a := openA()
	poll := func(s *stack) {
		t.Helper()
		if _, err := s.svc.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	indexed := func(s *stack, id string) bool {
		t.Helper()
		res, err := s.svc.Index.Search(ctx, engine.SearchQuery{Type: engine.KindSeeker, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ID == id {
				return true
			}
		}
		return false
	}

	// B writes, then A writes (a higher rev), then A polls.
	b.MustCreate(t, engine.KindSeeker, remoteSeeker("s-b1", 1, "u-c1"))
	a.MustCreate(t, engine.KindSkill, &engine.Skill{Code: "a-skill", Zh: "甲", En: "A", Group: "t"})
	poll(a)
	if _, ok := a.matcher.Seeker("s-b1"); !ok || !indexed(a, "s-b1") {
		t.Fatal("A's own write moved it past B's earlier write")
	}

	// A write that commits after A saw a higher rev: its rev is taken, B
	// writes and A polls, then the first write lands.
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(uri[strings.LastIndex(uri, "/")+1:])
	var counter struct {
		N int64 `bson:"n"`
	}
	if err := db.Collection("counters").FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "rev"}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&counter); err != nil {
		t.Fatal(err)
	}
	late := counter.N
	b.MustCreate(t, engine.KindSkill, &engine.Skill{Code: "b-skill", Zh: "乙", En: "B", Group: "t"})
	poll(a)
	if _, ok := a.svc.Skill("b-skill"); !ok {
		t.Fatal("A did not see B's skill")
	}
	now := clock.Now()
	if _, err := db.Collection("skills").InsertOne(ctx, bson.D{{Key: "_id", Value: "late-skill"}, {Key: "code", Value: "late-skill"},
		{Key: "zh", Value: "迟"}, {Key: "en", Value: "Late"}, {Key: "group", Value: "t"}, {Key: "rev", Value: late},
		{Key: "createdAt", Value: now}, {Key: "updatedAt", Value: now}}); err != nil {
		t.Fatal(err)
	}
	poll(a)
	if _, ok := a.svc.Skill("late-skill"); !ok {
		t.Fatal("A missed a write that committed after it saw a higher rev")
	}
	if last, _ := a.svc.Index.LastRev(); last >= late {
		t.Fatalf("A's index marks rev %d, past writes younger than the grace (%d)", last, late)
	}

	// Once the writes are older than the grace, A's place and index mark move.
	clock.Set(start.Add(2 * engine.FeedGrace))
	poll(a)
	var sk engine.Skill
	if err := a.store.Get(ctx, engine.KindSkill, "b-skill", &sk); err != nil {
		t.Fatal(err)
	}
	if last, _ := a.svc.Index.LastRev(); last < sk.Rev {
		t.Fatalf("A's index marks rev %d after the grace, want at least %d", last, sk.Rev)
	}

	// B writes, A writes without polling, A restarts: the index gets B's seeker.
	b.MustCreate(t, engine.KindSeeker, remoteSeeker("s-b2", 2, "u-c1"))
	a.MustCreate(t, engine.KindSkill, &engine.Skill{Code: "a-skill-2", Zh: "丙", En: "C", Group: "t"})
	if err := a.lrsIx.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.index.Close(); err != nil {
		t.Fatal(err)
	}
	a = openA()
	if !indexed(a, "s-b2") {
		t.Fatal("after a restart, A's index lacks B's seeker written before A's own last write")
	}
}
