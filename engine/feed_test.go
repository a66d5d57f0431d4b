package engine

import (
	"testing"
	"time"
)

// TestFeed: what a process applied above its safe rev is not applied again at
// that rev or an older one; advancing forgets it; a horizon moves only past
// records older than FeedGrace, and never backwards.
func TestFeed(t *testing.T) {
	var f feed
	f.note(KindPost, "p-1", 12) // an own write
	for _, c := range []struct {
		id   string
		rev  int64
		want bool
	}{{"p-1", 10, true}, {"p-1", 12, true}, {"p-1", 13, false}, {"p-2", 12, false}} {
		if got := f.applied(KindPost, c.id, c.rev); got != c.want {
			t.Errorf("applied(%s@%d) = %v, want %v", c.id, c.rev, got, c.want)
		}
	}
	if f.applied(KindSeeker, "p-1", 12) {
		t.Error("kinds are told apart")
	}
	if !f.advance(12) || f.advance(11) || f.since() != 12 {
		t.Fatalf("advance: since %d", f.since())
	}
	if f.applied(KindPost, "p-1", 12) || len(f.recent) != 0 {
		t.Error("advancing past a rev forgets it")
	}
	f.note(KindPost, "p-3", 5) // at or below safe: nothing to remember
	if len(f.recent) != 0 {
		t.Error("a rev at or below safe was remembered")
	}

	now := time.Date(2026, 12, 1, 9, 0, 0, 0, Shanghai)
	h := newHorizon(now, 20)
	h.saw(25, now.Add(-FeedGrace-time.Second)) // old: counts
	h.saw(30, now.Add(-time.Second))           // young: a lower rev may still commit
	h.saw(15, now.Add(-time.Hour))             // below where the read started
	if h.safe != 25 {
		t.Fatalf("horizon %d, want 25", h.safe)
	}
	if h := newHorizon(now, 20); func() int64 { h.saw(30, now); return h.safe }() != 20 {
		t.Fatal("a horizon with only young records moved")
	}
}
