package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
)

func TestClaimSeat(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	c := newClass("c1")
	c.Seats, c.SeatsTaken = 10, 0
	MustCreate(t, s, engine.KindClass, c)

	t.Run("concurrent claims never overbook", func(t *testing.T) {
		var won, full atomic.Int32
		var wg sync.WaitGroup
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ClaimSeat(ctx, "c1")
				switch engine.ErrorCode(err) {
				case "":
					won.Add(1)
				case engine.ECONFLICT:
					full.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if won.Load() != 10 || full.Load() != 30 {
			t.Fatalf("won %d, refused %d; want 10 and 30", won.Load(), full.Load())
		}
		var got engine.Class
		if err := s.Get(ctx, engine.KindClass, "c1", &got); err != nil {
			t.Fatal(err)
		}
		if got.SeatsTaken != 10 || got.Rev <= c.Rev {
			t.Fatalf("seatsTaken %d rev %d after claims", got.SeatsTaken, got.Rev)
		}
	})

	t.Run("replace keeps the seats taken", func(t *testing.T) {
		var cl engine.Class
		if err := s.Get(ctx, engine.KindClass, "c1", &cl); err != nil {
			t.Fatal(err)
		}
		cl.SeatsTaken, cl.Title, cl.Seats = 0, "改名", 12
		if err := s.Replace(ctx, engine.KindClass, &cl); err != nil {
			t.Fatal(err)
		}
		if cl.SeatsTaken != 10 {
			t.Fatalf("replace wrote seatsTaken %d, want the stored 10", cl.SeatsTaken)
		}
		cl.Seats = 9
		wantCode(t, s.Replace(ctx, engine.KindClass, &cl), engine.EINVALID, "validation")
		if _, err := s.ReleaseSeat(ctx, "c1"); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimSeat(ctx, "c1")
		if err != nil || got.SeatsTaken != 10 || got.Title != "改名" {
			t.Fatalf("claim after release: %+v %v", got, err)
		}
	})

	t.Run("closed class", func(t *testing.T) {
		cl := newClass("c2")
		cl.Status = "running"
		MustCreate(t, s, engine.KindClass, cl)
		_, err := s.ClaimSeat(ctx, "c2")
		wantCode(t, err, engine.ECONFLICT, "not open")
		_, err = s.ClaimSeat(ctx, "c-none")
		wantCode(t, err, engine.ENOTFOUND)
	})
}

func TestEnrollmentLog(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	e := &engine.Enrollment{Meta: engine.Meta{ID: "en-1"}, SeekerID: "s1", ClassID: "c1", Status: engine.EnrollmentEnrolled, Log: []engine.ProgressEvent{}}
	MustCreate(t, s, engine.KindEnrollment, e)
	dup := &engine.Enrollment{Meta: engine.Meta{ID: "en-2"}, SeekerID: "s1", ClassID: "c1", Status: engine.EnrollmentEnrolled}
	wantCode(t, s.Create(ctx, engine.KindEnrollment, dup), engine.ECONFLICT)

	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := i
			ev := engine.ProgressEvent{Statement: fmt.Sprintf("st-%d", i), Module: "m1", Verb: "progressed", Progress: &p, At: time.Now()}
			if _, err := s.AppendProgress(ctx, map[string][]engine.ProgressEvent{"en-1": {ev}}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	other := &engine.Enrollment{Meta: engine.Meta{ID: "en-3"}, SeekerID: "s2", ClassID: "c1", Status: engine.EnrollmentEnrolled, Log: []engine.ProgressEvent{}}
	MustCreate(t, s, engine.KindEnrollment, other)
	revs, err := s.AppendProgress(ctx, map[string][]engine.ProgressEvent{
		"en-1": {{Statement: "x1", Module: "m1", Verb: "completed", At: time.Now()}},
		"en-3": {{Statement: "x2", Module: "m1", Verb: "completed", At: time.Now()}, {Statement: "x3", Module: "m1", Verb: "passed", At: time.Now()}}})
	if err != nil || revs["en-1"] <= other.Rev || revs["en-3"] <= other.Rev || revs["en-1"] == revs["en-3"] {
		t.Fatalf("batch append: %v %v", revs, err)
	}
	var got3 engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, "en-3", &got3); err != nil || len(got3.Log) != 2 || got3.Rev != revs["en-3"] {
		t.Fatalf("en-3 after the batch: %+v %v", got3, err)
	}
	if _, err := s.SetEnrollmentStatuses(ctx, []engine.StatusChange{{ID: "en-1", Status: engine.EnrollmentPassed, At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	got := &engine.Enrollment{}
	if err := s.Get(ctx, engine.KindEnrollment, "en-1", got); err != nil {
		t.Fatal(err)
	}
	if len(got.Log) != 26 {
		t.Fatalf("log has %d events after 25 concurrent appends and a batch", len(got.Log))
	}
	if got.Status != engine.EnrollmentPassed || got.OutcomeAt == nil || got.Rev <= e.Rev {
		t.Fatalf("status write: %+v", got)
	}
	_, err = s.AppendProgress(ctx, map[string][]engine.ProgressEvent{"en-none": {{Statement: "y", Module: "m1", At: time.Now()}}})
	wantCode(t, err, engine.ENOTFOUND)
}

// TestSetSeatsTaken is the import's recount: conditional on the count read,
// within the seats, with a new rev.
func TestSetSeatsTaken(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	c := newClass("c1")
	c.Seats, c.SeatsTaken = 5, 2
	MustCreate(t, s, engine.KindClass, c)
	if _, err := s.SetSeatsTaken(ctx, "c1", 3, 4); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("set from a count that is not the stored one: %v", err)
	}
	if _, err := s.SetSeatsTaken(ctx, "c1", 2, 6); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("more seats taken than seats: %v", err)
	}
	got, err := s.SetSeatsTaken(ctx, "c1", 2, 4)
	if err != nil || got.SeatsTaken != 4 || got.Rev <= c.Rev || got.Title != c.Title {
		t.Fatalf("set 2 → 4: %+v %v", got, err)
	}
	if _, err := s.SetSeatsTaken(ctx, "c-none", 0, 1); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("an unknown class: %v", err)
	}
}

func TestStatementsAndInbox(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	now := time.Now()
	sts := []*engine.Statement{
		{ID: "a", Body: `{"x":1}`, Stored: now, Owner: "u1", Match: engine.Match{EnrollmentID: "en-1", ModuleID: "m1"}},
		{ID: "b", Body: `{"x":2}`, Stored: now, Owner: "u1", Match: engine.Match{Unmatched: "no module"}},
	}
	if repeats, err := s.InsertStatements(ctx, sts); err != nil || len(repeats) != 0 {
		t.Fatal(repeats, err)
	}
	if sts[1].Rev != sts[0].Rev+1 {
		t.Fatalf("revs %d %d: one counter update gives consecutive revs", sts[0].Rev, sts[1].Rev)
	}
	c := &engine.Statement{ID: "c", Body: `{"x":3}`, Stored: now}
	repeats, err := s.InsertStatements(ctx, []*engine.Statement{{ID: "b", Body: `{"x":9}`, Stored: now}, c, {ID: "a", Stored: now}})
	if err != nil || len(repeats) != 2 || !repeats["a"] || !repeats["b"] {
		t.Fatalf("repeats %v %v", repeats, err)
	}
	got, err := s.GetStatements(ctx, []string{"a", "b", "c", "none"})
	if err != nil || len(got) != 3 || got["c"].Body != `{"x":3}` || got["b"].Body != `{"x":2}` || got["a"].Match.EnrollmentID != "en-1" {
		t.Fatalf("get: %+v %v", got, err)
	}
	n := 0
	if err := s.EachStatement(ctx, sts[0].Rev, func(*engine.Statement) error { n++; return nil }); err != nil || n != 2 {
		t.Fatalf("statements after the first: %d %v", n, err)
	}
	if wrote, _, err := s.LastWritten(ctx); err != nil || wrote < c.Rev {
		t.Fatalf("last written %d < %d: %v", wrote, c.Rev, err)
	}

	it := &engine.InboxItem{ID: "i1", CounsellorID: "u1", SeekerID: "s1", Kind: engine.InboxPassed, At: time.Now()}
	if ok, err := s.PutInbox(ctx, it); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, err := s.PutInbox(ctx, &engine.InboxItem{ID: "i1", At: time.Now()}); ok || err != nil {
		t.Fatalf("a second item with one id: %v %v", ok, err)
	}
	n = 0
	if err := s.EachInbox(ctx, it.Rev-1, func(*engine.InboxItem) error { n++; return nil }); err != nil || n != 1 {
		t.Fatal(n, err)
	}

	if err := s.PutMatchSet(ctx, &engine.MatchSet{SeekerID: "s1", Posts: []string{"p1"}}); err != nil {
		t.Fatal(err)
	}
	sets, err := s.MatchSets(ctx)
	if err != nil || len(sets) != 1 || sets["s1"].Posts[0] != "p1" {
		t.Fatalf("match sets %v %v", sets, err)
	}
}

func TestLeases(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, engine.Shanghai)
	slot := t0

	ok, err := s.AcquireLease(ctx, "j", "a", &slot, t0, time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if ok, _ := s.AcquireLease(ctx, "j", "b", nil, t0.Add(30*time.Second), time.Minute); ok {
		t.Fatal("b took a held lease")
	}
	if ok, _ := s.RenewLease(ctx, "j", "b", t0.Add(time.Hour)); ok {
		t.Fatal("b renewed a's lease")
	}
	run := &engine.JobRun{ID: "j@1", Job: "j", Slot: &slot, Owner: "a", StartedAt: t0, Result: engine.RunOK}
	if err := s.StartRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.StartRun(ctx, &engine.JobRun{ID: "j@1", Job: "j"}), engine.ECONFLICT)
	if err := s.ReleaseLease(ctx, "j", "a", t0.Add(time.Second), run); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.AcquireLease(ctx, "j", "b", &slot, t0.Add(2*time.Second), time.Minute); ok {
		t.Fatal("b ran a slot that already ran")
	}
	next := slot.Add(time.Hour)
	if ok, _ := s.AcquireLease(ctx, "j", "b", &next, next, time.Minute); !ok {
		t.Fatal("b could not take the next slot")
	}
	if ok, _ := s.AcquireLease(ctx, "j", "a", nil, next.Add(2*time.Minute), time.Minute); !ok {
		t.Fatal("an expired lease was not free")
	}
	wantCode(t, s.ReleaseLease(ctx, "j", "b", next, nil), engine.ECONFLICT, "lost")
	st, err := s.JobState(ctx, "j")
	if err != nil || st.Owner != "a" || !st.LastSlot.Equal(slot) || st.LastRun == nil || st.LastRun.ID != "j@1" {
		t.Fatalf("state %+v %v", st, err)
	}
	runs, err := s.JobRuns(ctx, "j", 5)
	if err != nil || len(runs) != 1 {
		t.Fatal(runs, err)
	}
}

func TestEnrollmentLogRoundTrip(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	p, score, yes, no := 40, 0.825, true, false
	at := time.Date(2026, 9, 2, 10, 0, 0, 123000000, time.UTC)
	e := &engine.Enrollment{Meta: engine.Meta{ID: "en-rt"}, SeekerID: "s1", ClassID: "c1", Status: engine.EnrollmentActive,
		StatusAt: at, Log: []engine.ProgressEvent{
			{Statement: "a", Module: "m1", Verb: "progressed", Progress: &p, At: at},
			{Statement: "b", Module: "exam", Verb: "passed", Completed: true, Success: &yes, Score: &score, At: at.Add(time.Hour)},
			{Statement: "c", Module: "exam", Verb: "failed", Success: &no, At: at.Add(2 * time.Hour)},
		}}
	MustCreate(t, s, engine.KindEnrollment, e)
	var got engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, "en-rt", &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Log, e.Log) {
		t.Fatalf("log read back\n got %+v\nwant %+v", got.Log, e.Log)
	}
	revs, err := s.AppendProgress(ctx, map[string][]engine.ProgressEvent{"en-rt": {{Statement: "d", Module: "m2", Verb: "completed", Completed: true, At: at}}})
	if err != nil {
		t.Fatal(err)
	}
	revs2, err := s.SetEnrollmentStatuses(ctx, []engine.StatusChange{{ID: "en-rt", Status: engine.EnrollmentCompleted, At: at}})
	if err != nil {
		t.Fatal(err)
	}
	var after engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, "en-rt", &after); err != nil || len(after.Log) != 4 || after.Log[3].Statement != "d" ||
		!after.Log[3].Completed || after.Rev != revs2["en-rt"] || after.Rev <= revs["en-rt"] || after.Status != engine.EnrollmentCompleted || after.OutcomeAt != nil {
		t.Fatalf("after an append and a status: %+v %v", after, err)
	}
	_, err = s.SetEnrollmentStatuses(ctx, []engine.StatusChange{{ID: "en-rt", Status: engine.EnrollmentFailed, At: at}, {ID: "en-none", Status: engine.EnrollmentFailed, At: at}})
	wantCode(t, err, engine.ENOTFOUND)
}

// TestBulkUpdatesOfManyEnrollments appends to and settles 260 enrollments in
// one call each: more updates than FerretDB can take in one command.
func TestBulkUpdatesOfManyEnrollments(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 260
	rs := make([]engine.Record, n)
	appends := map[string][]engine.ProgressEvent{}
	changes := make([]engine.StatusChange, n)
	for i := range n {
		id := fmt.Sprintf("en-%03d", i)
		rs[i] = &engine.Enrollment{Meta: engine.Meta{ID: id}, SeekerID: fmt.Sprintf("s%d", i), ClassID: "c1", Status: engine.EnrollmentEnrolled}
		appends[id] = []engine.ProgressEvent{{Statement: "st-" + id, Module: "m1", Verb: "completed", Completed: true, At: time.Now()}}
		changes[i] = engine.StatusChange{ID: id, Status: engine.EnrollmentActive, At: time.Now()}
	}
	if err := s.CreateMany(ctx, engine.KindEnrollment, rs); err != nil {
		t.Fatal(err)
	}
	revs, err := s.AppendProgress(ctx, appends)
	if err != nil || len(revs) != n {
		t.Fatalf("append to %d enrollments: %d revs, %v", n, len(revs), err)
	}
	if _, err := s.SetEnrollmentStatuses(ctx, changes); err != nil {
		t.Fatalf("settle %d enrollments: %v", n, err)
	}
	var last engine.Enrollment
	if err := s.Get(ctx, engine.KindEnrollment, "en-259", &last); err != nil || last.Status != engine.EnrollmentActive || len(last.Log) != 1 {
		t.Fatalf("the last one: %+v %v", last, err)
	}
}
