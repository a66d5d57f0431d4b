package engine

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestRulesTable: the rulebook is numbered 1…NRules in order, every rule has
// a post check and names in both languages, and a class name exactly when it
// applies to classes (DESIGN §4: rules 6 and 7 do not).
func TestRulesTable(t *testing.T) {
	t.Parallel()
	for i, r := range Rules {
		if r.Number != i+1 {
			t.Errorf("Rules[%d] is rule %d", i, r.Number)
		}
		if r.post == nil || r.Name.Zh == "" || r.Name.En == "" {
			t.Errorf("rule %d: a post check and both names are needed: %+v", r.Number, r.Name)
		}
		if r.ForClasses() != (r.ClassName != Note{}) || (r.ForClasses() && (r.ClassName.Zh == "" || r.ClassName.En == "")) {
			t.Errorf("rule %d: class check %v, class name %+v", r.Number, r.ForClasses(), r.ClassName)
		}
	}
	for n, want := range map[int]bool{RuleOpen: true, RuleCommute: true, RuleStepFree: true, RuleDemand: true, RuleNeeds: true, RuleHours: false, RuleSkills: false} {
		if got := Rules[n-1].ForClasses(); got != want {
			t.Errorf("rule %d applies to classes: %v, want %v", n, got, want)
		}
	}
	if NRules != RuleSkills {
		t.Errorf("NRules %d, the last rule %d", NRules, RuleSkills)
	}
	var e exclusions
	if len(e) != NRules+1 {
		t.Errorf("exclusions hold %d counts", len(e))
	}
}

// TestRuleNamesInEvaluations: an evaluation names the broken rule for what
// was evaluated; a class breaking rule 1 is not a closed post.
func TestRuleNamesInEvaluations(t *testing.T) {
	t.Parallel()
	s, c := testSeeker(), testClass()
	c.SeatsTaken = c.Seats
	ev := EvaluateClass(s, c, testToday)
	if ev.Rule != RuleOpen || ev.Why == nil || *ev.Why != (Note{Zh: "课程未开放、已满或已结束", En: "class not open, full or ended"}) {
		t.Errorf("a full class: rule %d, %+v", ev.Rule, ev.Why)
	}
	p := testPost()
	p.Status = "closed"
	if ev := EvaluatePost(s, p, testToday); ev.Why == nil || *ev.Why != Rules[0].Name {
		t.Errorf("a closed post: %+v", ev.Why)
	}
	if ev := EvaluatePost(s, testPost(), testToday); ev.Rule != 0 || ev.Why != nil {
		t.Errorf("a match names no rule: %d %+v", ev.Rule, ev.Why)
	}
}

// TestFastPathFollowsTheRules checks the Matcher's compiled fast path against
// Rules one seeker × post pair at a time, over generated data: the Matcher
// holds every seeker and one post, so the exclusion counts of its matches, of
// the post's candidates (kept to the one seeker) and its gaps say which rule
// the scans found first broken, through the geo grid, the closing-day
// tallies, the masks and the score bound as in service.
//
// With a catalog of 90 skill codes, whose most drawn codes are numbered beyond
// the 64 the masks hold exactly (a placed seeker holding the catalog
// backwards is fed first), the fast path reads skill lists instead.
func TestFastPathFollowsTheRules(t *testing.T) {
	t.Parallel()
	t.Run("few skill codes", func(t *testing.T) { t.Parallel(); checkFastPath(t, propSkills, nil) })
	t.Run("many skill codes", func(t *testing.T) {
		t.Parallel()
		catalog := make([]string, 90)
		prime := &Seeker{Meta: Meta{ID: "s-prime"}, Status: "placed"}
		for i := range catalog {
			catalog[i] = fmt.Sprintf("skill-%02d", i)
		}
		for i := len(catalog) - 1; i >= 0; i-- {
			prime.Skills = append(prime.Skills, SkillLevel{Code: catalog[i], Level: 1})
		}
		checkFastPath(t, catalog, prime)
	})
}

func checkFastPath(t *testing.T, catalog []string, prime *Seeker) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorldOf(t, catalog, nil)
		m := NewMatcher(testClock)
		if prime != nil {
			m.Upsert(prime)
		}
		for _, s := range w.seekers {
			m.Upsert(s)
		}
		for _, p := range w.posts {
			one := *p
			one.ID = "p-under-test"
			m.Upsert(&one)
			for _, s := range w.seekers {
				want := EvaluatePost(s, p, testToday).Rule
				what := fmt.Sprintf("seeker %s, post %s", s.ID, p.ID)
				res, err := m.Matches(s.ID, KindPost, 1)
				if err != nil {
					t.Fatal(err)
				}
				if got := fastRule(len(res.Results), res.Excluded); got != want {
					t.Fatalf("%s: matches break rule %d (%+v), Rules say %d", what, got, res.Excluded, want)
				}
				if inPool(s) {
					id := s.ID
					cand, err := m.Candidates(one.ID, 1, func(i *SeekerInfo) bool { return i.ID == id })
					if err != nil {
						t.Fatal(err)
					}
					if got := fastRule(len(cand.Results), cand.Excluded); got != want {
						t.Fatalf("%s: candidates break rule %d (%+v), Rules say %d", what, got, cand.Excluded, want)
					}
				}
				gaps, _ := m.Gaps(s.ID, 1)
				_, missing, _, _ := rulesVerdict(s, p)
				if isGap := want == RuleSkills && missing <= MaxGapSkills; (gaps.Total == 1) != isGap {
					t.Fatalf("%s: gaps %d, Rules say rule %d with %d missing", what, gaps.Total, want, missing)
				}
			}
		}
	})
}

// fastRule reads the one rule a one-record response broke, 0 when it matched.
func fastRule(results int, e Excluded) int {
	if results > 0 || e.Total != 1 || len(e.ByRule) != 1 {
		if results > 0 && e.Total == 0 {
			return 0
		}
		return -1 // not one record's verdict
	}
	for k := range e.ByRule {
		var n int
		fmt.Sscan(k, &n)
		return n
	}
	return -1
}

// rulesVerdict is the Rules' verdict on a seeker and a post: the rule, the required skills missing, the commute.
func rulesVerdict(s *Seeker, p *Post) (int, int, float64, int8) {
	q, in, levels := bruteSeeker(s, []*Post{p}, nil)
	c := compilePost(p, in.lookup, 0)
	return q.postVerdict(&c, dayNumber(testToday), levels)
}
