package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
)

func TestTakeOpeningRace(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustCreate(t, s, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-1"}, EmployerID: "e-1", Title: "t", Status: "open", Openings: 3})
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
	MustCreate(t, s, engine.KindPost, &engine.Post{Meta: engine.Meta{ID: "p-2"}, Status: "closed", Openings: 4})
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

func TestUpdatePlacementRev(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	p := &engine.Placement{Meta: engine.Meta{ID: "pl-1"}, Start: "2026-01-01", Status: engine.PlacementActive, FollowUps: engine.ScheduleFollowUps("2026-01-01")}
	MustCreate(t, s, engine.KindPlacement, p)
	first := *p
	first.FollowUps = append([]engine.FollowUp(nil), p.FollowUps...)
	first.FollowUps[0].Status = engine.FollowUpDue
	if err := s.UpdatePlacement(ctx, &first, p.Rev); err != nil {
		t.Fatal(err)
	}
	stale := *p
	stale.Status = engine.PlacementEnded
	wantCode(t, s.UpdatePlacement(ctx, &stale, p.Rev), engine.ECONFLICT, "changed")
	if stale.Rev != p.Rev {
		t.Errorf("a refused update changed the record's rev to %d", stale.Rev)
	}
	var got engine.Placement
	if err := s.Get(ctx, engine.KindPlacement, "pl-1", &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != engine.PlacementActive || got.FollowUps[0].Status != engine.FollowUpDue || got.Rev != first.Rev || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Fatalf("stored %+v", got)
	}
	missing := engine.Placement{Meta: engine.Meta{ID: "pl-none"}}
	wantCode(t, s.UpdatePlacement(ctx, &missing, 1), engine.ENOTFOUND)
}
