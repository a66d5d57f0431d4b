package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
)

func TestTakeOpeningRace(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustCreate(t, s, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-1"}, EmployerID: "e-1", Title: "t", Status: "open", Openings: 3, Demands: engine.StatedDemands(nil)})
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.TakeOpening(ctx, "p-1")
			switch engine.ErrorCode(err) {
			case "":
				wins.Add(1)
			case engine.ECONFLICT:
				conflicts.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 3 || conflicts.Load() != 7 {
		t.Fatalf("%d takes won, %d conflicts; want 3 and 7", wins.Load(), conflicts.Load())
	}
	var p engine.Post
	if err := s.Get(ctx, engine.KindPost, "p-1", &p); err != nil {
		t.Fatal(err)
	}
	if p.Openings != 0 || p.Status != "closed" {
		t.Fatalf("after the last opening: %d openings, %s", p.Openings, p.Status)
	}
	back, err := s.ReturnOpening(ctx, "p-1")
	if err != nil || back.Openings != 1 || back.Status != "open" || back.Rev <= p.Rev {
		t.Fatalf("return: %+v %v", back, err)
	}
	MustCreate(t, s, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-2"}, Status: "closed", Openings: 4, Demands: engine.StatedDemands(nil)})
	_, err = s.TakeOpening(ctx, "p-2")
	wantCode(t, err, engine.ECONFLICT, "closed")
	_, err = s.TakeOpening(ctx, "p-none")
	wantCode(t, err, engine.ENOTFOUND)
}

func TestMoveReferralOnce(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	MustCreate(t, s, engine.KindReferral, &engine.Referral{Meta: engine.Meta{ID: "r-1"}, SeekerID: "s-1", PostID: "p-1",
		Status: engine.ReferralInterviewing, History: []engine.ReferralMove{{To: "referred", By: "u-c", At: at}, {From: "referred", To: "interviewing", By: "u-e", At: at}}})
	results := make(chan error, 2)
	for _, to := range []string{engine.ReferralHired, engine.ReferralRejected} {
		go func() {
			_, err := s.MoveReferral(ctx, "r-1", engine.ReferralInterviewing, engine.ReferralMove{From: "interviewing", To: to, By: "u-e", At: at}, "")
			results <- err
		}()
	}
	var ok, conflict int
	for range 2 {
		switch err := <-results; engine.ErrorCode(err) {
		case "":
			ok++
		case engine.ECONFLICT:
			conflict++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("%d moves, %d conflicts; want one of each", ok, conflict)
	}
	var r engine.Referral
	if err := s.Get(ctx, engine.KindReferral, "r-1", &r); err != nil {
		t.Fatal(err)
	}
	if len(r.History) != 3 || r.History[2].To != r.Status || r.History[2].From != "interviewing" {
		t.Fatalf("history %+v, status %s", r.History, r.Status)
	}
	moved, err := s.MoveReferral(ctx, "r-1", r.Status, engine.ReferralMove{From: r.Status, To: "withdrawn", By: "u-c", At: at}, "pl-x")
	if err != nil || moved.PlacementID != "pl-x" || moved.Rev <= r.Rev {
		t.Fatalf("move with a placement id: %+v %v", moved, err)
	}
}

func TestUpdatePlacementsRev(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	var ps []*engine.Placement
	for i := range 3 {
		p := &engine.Placement{Meta: engine.Meta{ID: fmt.Sprintf("pl-%d", i)}, Start: "2026-01-01", Status: engine.PlacementActive,
			FollowUps: engine.ScheduleFollowUps("2026-01-01")}
		MustCreate(t, s, engine.KindPlacement, p)
		ps = append(ps, p)
	}
	edit := func(p *engine.Placement, status string) *engine.Placement {
		c := *p
		c.FollowUps = append([]engine.FollowUp(nil), p.FollowUps...)
		c.FollowUps[0].Status = status
		return &c
	}
	// Someone else writes pl-1 first.
	other := edit(ps[1], engine.FollowUpOverdue)
	if conflicts, err := s.UpdatePlacements(ctx, []*engine.Placement{other}, []int64{ps[1].Rev}); err != nil || len(conflicts) != 0 {
		t.Fatal(conflicts, err)
	}
	batch := []*engine.Placement{edit(ps[0], engine.FollowUpDue), edit(ps[1], engine.FollowUpDue), edit(ps[2], engine.FollowUpDue)}
	conflicts, err := s.UpdatePlacements(ctx, batch, []int64{ps[0].Rev, ps[1].Rev, ps[2].Rev})
	if err != nil || len(conflicts) != 1 || !conflicts[1] {
		t.Fatalf("conflicts %v %v, want pl-1 only", conflicts, err)
	}
	if batch[1].Rev != ps[1].Rev || batch[0].Rev <= other.Rev || batch[2].Rev != batch[0].Rev+1 {
		t.Errorf("revs: %d %d %d (others wrote %d)", batch[0].Rev, batch[1].Rev, batch[2].Rev, other.Rev)
	}
	for i, want := range []string{engine.FollowUpDue, engine.FollowUpOverdue, engine.FollowUpDue} {
		var got engine.Placement
		if err := s.Get(ctx, engine.KindPlacement, ps[i].ID, &got); err != nil {
			t.Fatal(err)
		}
		if got.FollowUps[0].Status != want || !got.CreatedAt.Equal(ps[i].CreatedAt) {
			t.Errorf("%s stored %+v, want 30d %s", got.ID, got.FollowUps[0], want)
		}
	}
	missing := &engine.Placement{Meta: engine.Meta{ID: "pl-none"}}
	_, err = s.UpdatePlacements(ctx, []*engine.Placement{missing}, []int64{1})
	wantCode(t, err, engine.ENOTFOUND)
}

func TestPutInboxMany(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 1, 6, 0, 0, 0, engine.Shanghai)
	item := func(id string) *engine.InboxItem {
		return &engine.InboxItem{ID: id, CounsellorID: "u-c", SeekerID: "s-1", Kind: engine.InboxFollowUpDue, At: at}
	}
	created, err := s.PutInboxMany(ctx, []*engine.InboxItem{item("a"), item("b")})
	if err != nil || !created[0] || !created[1] {
		t.Fatal(created, err)
	}
	again := []*engine.InboxItem{item("b"), item("c"), item("a")}
	created, err = s.PutInboxMany(ctx, again)
	if err != nil || created[0] || !created[1] || created[2] {
		t.Fatalf("created %v %v, want only c", created, err)
	}
	if again[0].Rev != 0 || again[1].Rev == 0 {
		t.Errorf("revs %d %d", again[0].Rev, again[1].Rev)
	}
	var ids []string
	if err := s.EachInbox(ctx, 0, func(it *engine.InboxItem) error { ids = append(ids, it.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Fatalf("stored %v", ids)
	}
}

// TestReplaceReadRev: a replace carrying the rev it was read at loses to any
// write in between (here a hire taking an opening) instead of undoing it.
func TestReplaceReadRev(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustCreate(t, s, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-1"}, EmployerID: "e-1", Title: "t", Status: "open", Openings: 2, Demands: engine.StatedDemands(nil)})
	var read engine.Post // an employer's PATCH reads the post…
	if err := s.Get(ctx, engine.KindPost, "p-1", &read); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeOpening(ctx, "p-1"); err != nil { // …a hire takes an opening…
		t.Fatal(err)
	}
	read.Title = "edited" // …and the PATCH writes what it read.
	err := s.Replace(ctx, engine.KindPost, &read)
	wantCode(t, err, engine.ECONFLICT, "changed by someone else")
	if !engine.IsChanged(err) {
		t.Errorf("%v: not told apart from other conflicts", err)
	}
	var p engine.Post
	if err := s.Get(ctx, engine.KindPost, "p-1", &p); err != nil {
		t.Fatal(err)
	}
	if p.Openings != 1 || p.Title != "t" {
		t.Fatalf("after the refused replace: %d openings, title %q; want 1 and t", p.Openings, p.Title)
	}
	// Read again, the edit goes through and keeps the hire's count.
	p.Title = "edited"
	if err := s.Replace(ctx, engine.KindPost, &p); err != nil {
		t.Fatal(err)
	}
	var got engine.Post
	if err := s.Get(ctx, engine.KindPost, "p-1", &got); err != nil || got.Openings != 1 || got.Title != "edited" {
		t.Fatalf("after the replace: %+v %v", got, err)
	}
	// A record without a rev (built, not read) replaces whatever is stored.
	if err := s.Replace(ctx, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-1"}, EmployerID: "e-1", Title: "new", Status: "open", Openings: 5, Demands: engine.StatedDemands(nil)}); err != nil {
		t.Fatal(err)
	}
}
