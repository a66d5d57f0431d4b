package engine_test

import (
	"reflect"
	"testing"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// TestMatcherEqualsBruteForceOnFixtures compares the Matcher with the brute
// force on generated data shaped like the service's (clustered sites and
// homes, the demo mix of modes, demands, skills and needs).
func TestMatcherEqualsBruteForceOnFixtures(t *testing.T) {
	t.Parallel()
	c := fixtures.Counts{Posts: 5000, Seekers: 300, Classes: 150}
	if testing.Short() {
		c = fixtures.Counts{Posts: 1500, Seekers: 100, Classes: 60}
	}
	w := loadWorld(t, c)
	// The brute force has no catalog and names skills by code; so does a
	// Matcher fed no Skill records (TestStrengthsNotes checks the names).
	m := engine.NewMatcher(benchClock{})
	for _, p := range w.posts {
		m.Upsert(p)
	}
	for _, s := range w.seekers {
		m.Upsert(s)
	}
	for _, k := range w.classes {
		m.Upsert(k)
	}
	for _, s := range w.seekers {
		for _, limit := range []int{1, 20} {
			got, err := m.Matches(s.ID, engine.KindPost, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := engine.BruteForce(s, w.posts, benchToday, limit); !reflect.DeepEqual(got, want) {
				t.Fatalf("seeker %s, top %d: matcher\n%+v\nbrute force\n%+v", s.ID, limit, got, want)
			}
		}
		got, _ := m.Matches(s.ID, engine.KindClass, 10)
		if want := engine.BruteForceClasses(s, w.classes, benchToday, 10); !reflect.DeepEqual(got, want) {
			t.Fatalf("seeker %s classes: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
		}
	}
	for _, s := range w.seekers[:50] {
		got, _ := m.Gaps(s.ID, 20)
		want := engine.BruteForceGaps(s, w.posts, w.classes, benchToday, 20)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seeker %s gaps: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
		}
	}
	consent := func(i *engine.SeekerInfo) bool { return i.Consent }
	for _, p := range w.posts[:50] {
		got, err := m.Candidates(p.ID, 20, consent)
		if err != nil {
			t.Fatal(err)
		}
		if want := engine.BruteForceCandidates(p, w.seekers, benchToday, 20, consent); !reflect.DeepEqual(got, want) {
			t.Fatalf("post %s candidates: matcher\n%+v\nbrute force\n%+v", p.ID, got, want)
		}
	}
}
