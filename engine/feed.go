package engine

import (
	"sync"
	"time"
)

// FeedGrace is how long a write may take between taking its rev and being
// committed. Revs come from one counter, so a write can commit after another
// that took a higher rev; a poll that moved past the higher one at once could
// miss the lower one for good. A poll therefore counts as seen only the revs
// of records older than FeedGrace, and reads the younger ones again next time.
const FeedGrace = 30 * time.Second

// feed is this process's place in the change feed of a shared database: every
// write with a rev up to safe has been seen. It moves only with what Load and
// Poll read, never with this process's own writes: with other processes
// writing, an own write's rev can overtake one of theirs that is still unseen.
// recent remembers what was applied above safe (own writes and polled
// records), so that reading them again costs no second apply.
type feed struct {
	mu     sync.Mutex
	safe   int64
	recent map[feedKey]int64
}

type feedKey struct {
	kind Kind
	id   string
}

// since is where the next poll starts.
func (f *feed) since() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.safe
}

// note records that a record was applied at rev.
func (f *feed) note(kind Kind, id string, rev int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if rev <= f.safe {
		return
	}
	if f.recent == nil {
		f.recent = map[feedKey]int64{}
	}
	k := feedKey{kind, id}
	f.recent[k] = max(f.recent[k], rev)
}

// applied says whether a record read from the feed was applied at rev or later.
func (f *feed) applied(kind Kind, id string, rev int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recent[feedKey{kind, id}] >= rev
}

// advance moves safe forward to s, forgets what is at or below it, and says
// whether safe moved.
func (f *feed) advance(s int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s <= f.safe {
		return false
	}
	f.safe = s
	for k, rev := range f.recent {
		if rev <= s {
			delete(f.recent, k)
		}
	}
	return true
}

// horizon finds how far a read of the feed that started at start has seen
// everything: the highest rev among the records it read whose writes are
// older than FeedGrace (any rev taken before one of those is committed by
// then), or since when none is.
type horizon struct {
	cutoff time.Time
	safe   int64
}

func newHorizon(start time.Time, since int64) *horizon {
	return &horizon{cutoff: start.Add(-FeedGrace), safe: since}
}

// saw counts a record read with its rev and the time it was written.
func (h *horizon) saw(rev int64, at time.Time) {
	if rev > h.safe && !at.After(h.cutoff) {
		h.safe = rev
	}
}
