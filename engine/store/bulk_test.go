package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jobbridge/engine"
)

// TestReplaceMany replaces stored records in bulk as Replace would, one by
// one, and hands back the ones not stored.
func TestReplaceMany(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()

	var posts []engine.Record
	for i := range 120 { // more than one bulk write of 50
		p := newPost(fmt.Sprintf("p%03d", i))
		if i < 100 {
			MustCreate(t, s, engine.KindPost, p)
		}
		posts = append(posts, p)
	}
	var before engine.Post
	if err := s.Get(ctx, engine.KindPost, "p000", &before); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	var again []engine.Record
	for _, r := range posts {
		p := *r.(*engine.Post)
		p.Meta = engine.Meta{ID: p.ID, Rev: 999999} // a rev from an export file
		p.Title = "改过的标题"
		again = append(again, &p)
	}
	missing, err := s.ReplaceMany(ctx, engine.KindPost, again)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != 20 || missing[0].RecordMeta().ID != "p100" || missing[0].RecordMeta().Rev != 999999 {
		t.Fatalf("missing: %d records, first %+v", len(missing), missing[0].RecordMeta())
	}
	var after engine.Post
	if err := s.Get(ctx, engine.KindPost, "p000", &after); err != nil {
		t.Fatal(err)
	}
	if after.Title != "改过的标题" || !after.CreatedAt.Equal(before.CreatedAt) || after.Rev <= before.Rev ||
		!after.UpdatedAt.After(before.UpdatedAt) || after.Rev != again[0].RecordMeta().Rev {
		t.Fatalf("replaced: %+v (before %+v)", after.Meta, before.Meta)
	}
	seen := map[int64]bool{}
	for _, r := range again[:100] {
		if rev := r.RecordMeta().Rev; seen[rev] || rev == 999999 {
			t.Fatalf("rev %d given twice or kept from the file", rev)
		} else {
			seen[rev] = true
		}
	}

	// A class keeps its seats taken; fewer seats than taken is refused.
	c := newClass("c1")
	MustCreate(t, s, engine.KindClass, c)
	claimed, err := s.ClaimSeat(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	imported := newClass("c1")
	imported.SeatsTaken = 0 // what a file may say
	if _, err := s.ReplaceMany(ctx, engine.KindClass, []engine.Record{imported}); err != nil {
		t.Fatal(err)
	}
	var got engine.Class
	if err := s.Get(ctx, engine.KindClass, "c1", &got); err != nil || got.SeatsTaken != claimed.SeatsTaken {
		t.Fatalf("class after a re-import: %d seats taken, want the stored %d (%v)", got.SeatsTaken, claimed.SeatsTaken, err)
	}
	tooFew := newClass("c1")
	tooFew.Seats = claimed.SeatsTaken - 1
	_, err = s.ReplaceMany(ctx, engine.KindClass, []engine.Record{tooFew})
	wantCode(t, err, engine.EINVALID)

	// A resident ID that is another seeker's is a conflict, and nothing moves.
	a, b := newSeeker(t, "s1", "31010419850615003"), newSeeker(t, "s2", "31010419920101004")
	MustCreate(t, s, engine.KindSeeker, a)
	MustCreate(t, s, engine.KindSeeker, b)
	b2 := *b
	b2.Meta = engine.Meta{ID: "s2"}
	b2.ResidentID = a.ResidentID
	_, err = s.ReplaceMany(ctx, engine.KindSeeker, []engine.Record{&b2})
	wantCode(t, err, engine.ECONFLICT, "resident ID")
	if b2.Rev != 0 {
		t.Errorf("a failed batch left meta %+v", b2.Meta)
	}
	if id, err := s.SeekerIDByResidentID(ctx, a.ResidentID); err != nil || id != "s1" {
		t.Fatalf("resident ID of s1 now finds %q (%v)", id, err)
	}
}
