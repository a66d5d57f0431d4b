package engine

import (
	"fmt"
	"sync"
	"testing"
)

func ids(rs []MatchResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func mustMatches(tb testing.TB, m *Matcher, seekerID string, typ Kind, limit int) *MatchResponse {
	tb.Helper()
	res, err := m.Matches(seekerID, typ, limit)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestMatcherErrors(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	if _, err := m.Matches("nobody", KindPost, 5); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown seeker: %v", err)
	}
	if _, err := m.Gaps("nobody", 5); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown seeker gaps: %v", err)
	}
	if _, err := m.Candidates("nothing", 5, nil); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown post: %v", err)
	}
	m.Upsert(testSeeker())
	if _, err := m.Matches("s-1", KindSeeker, 5); ErrorCode(err) != EINVALID {
		t.Errorf("bad type: %v", err)
	}
}

func TestMatcherUpserts(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	s := testSeeker()
	m.Upsert(s)
	p := testPost()
	p.Rev = 7
	m.Upsert(p)
	if got := ids(mustMatches(t, m, "s-1", KindPost, 5).Results); len(got) != 1 || got[0] != "p-1" {
		t.Fatalf("matches %v", got)
	}
	if m.Rev() != 7 {
		t.Errorf("rev %d", m.Rev())
	}

	// Moving the post out of reach replaces it, and rule 2 counts it.
	moved := *p
	moved.Site.Lon = 121.90
	m.Upsert(&moved)
	res := mustMatches(t, m, "s-1", KindPost, 5)
	if len(res.Results) != 0 || res.Excluded.ByRule["2"] != 1 || res.Excluded.Total != 1 {
		t.Fatalf("after move: %+v", res)
	}

	// Closing it takes it out of the searchable set; it counts under rule 1.
	closed := moved
	closed.Status = "closed"
	m.Upsert(&closed)
	res = mustMatches(t, m, "s-1", KindPost, 5)
	if res.Excluded.ByRule["1"] != 1 || res.Excluded.Total != 1 {
		t.Fatalf("after close: %+v", res.Excluded)
	}
	if st := m.Stats(); st.OpenPosts != 0 || st.ClosedPosts != 1 {
		t.Fatalf("stats %+v", st)
	}
	cand, err := m.Candidates("p-1", 5, nil)
	if err != nil || len(cand.Results) != 0 || cand.Excluded.ByRule["1"] != 1 {
		t.Fatalf("candidates of a closed post: %+v %v", cand, err)
	}

	// Reopening brings it back.
	m.Upsert(p)
	if got := ids(mustMatches(t, m, "s-1", KindPost, 5).Results); len(got) != 1 {
		t.Fatalf("after reopen %v", got)
	}
	if st := m.Stats(); st.OpenPosts != 1 || st.ClosedPosts != 0 {
		t.Fatalf("stats %+v", st)
	}

	// A placed seeker keeps their matches but is no candidate; an erased one is gone.
	placed := *s
	placed.Status = "placed"
	m.Upsert(&placed)
	mustMatches(t, m, "s-1", KindPost, 5)
	if cand, _ := m.Candidates("p-1", 5, nil); len(cand.Results) != 0 || cand.Excluded.Total != 0 {
		t.Fatalf("placed seeker among candidates: %+v", cand)
	}
	m.Upsert(s)
	if cand, _ := m.Candidates("p-1", 5, nil); len(cand.Results) != 1 {
		t.Fatalf("seeking again: %+v", cand)
	}
	erased := *s
	erased.Erased = true
	m.Upsert(&erased)
	if _, err := m.Matches("s-1", KindPost, 5); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("erased seeker: %v", err)
	}
	if _, ok := m.Seeker("s-1"); ok {
		t.Fatal("erased seeker info kept")
	}
	if cand, _ := m.Candidates("p-1", 5, nil); len(cand.Results) != 0 {
		t.Fatalf("erased seeker among candidates: %+v", cand)
	}
}

func TestCandidatesKeep(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	m.Upsert(testPost())
	for i, consent := range []bool{true, false, true} {
		s := testSeeker()
		s.ID = fmt.Sprintf("s-%d", i)
		s.Consent.ShareWithEmployers = consent
		s.Street = []string{"xujiahui", "tianlin", "tianlin"}[i]
		s.Home.Lon += float64(i) * 0.01
		m.Upsert(s)
	}
	all, _ := m.Candidates("p-1", 10, nil)
	consenting, _ := m.Candidates("p-1", 10, func(i *SeekerInfo) bool { return i.Consent })
	tianlin, _ := m.Candidates("p-1", 10, func(i *SeekerInfo) bool { return i.Street == "tianlin" })
	if len(all.Results) != 3 || len(consenting.Results) != 2 || len(tianlin.Results) != 2 {
		t.Fatalf("all %v, consenting %v, tianlin %v", ids(all.Results), ids(consenting.Results), ids(tianlin.Results))
	}
	// s-1 and s-2 are farther east, so nearer the post: order by commute on equal scores.
	if got := ids(all.Results); got[0] != "s-2" && all.Results[0].Score == all.Results[2].Score {
		t.Errorf("order %v", got)
	}
	info, ok := m.Seeker("s-1")
	if !ok || info.Street != "tianlin" || info.Consent {
		t.Errorf("seeker info %+v", info)
	}
}

func TestTiesOrderByCommuteThenID(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	m.Upsert(testSeeker())
	for _, id := range []string{"p-b", "p-a", "p-c"} {
		p := testPost()
		p.ID = id
		p.Site.Lon = 121.435 // within 15 minutes: same score
		if id == "p-c" {
			p.Site.Lon = 121.432
		}
		m.Upsert(p)
	}
	res := mustMatches(t, m, "s-1", KindPost, 10)
	if got := fmt.Sprint(ids(res.Results)); got != "[p-c p-a p-b]" {
		t.Errorf("order %s", got)
	}
	if res.Results[0].Score != res.Results[2].Score {
		t.Errorf("scores differ: %v", res.Results)
	}
}

func TestGaps(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	m.Upsert(&Skill{Code: "forklift", Zh: "叉车操作", En: "forklift operation"})
	m.Upsert(testSeeker())
	// Three posts need forklift at level 3 (level 2 would do), one also needs sewing.
	for i := range 4 {
		p := testPost()
		p.ID = fmt.Sprintf("p-%d", i)
		p.Skills = append(p.Skills, PostSkill{"forklift", 3, true})
		if i == 3 {
			p.Skills = append(p.Skills, PostSkill{"sewing", 1, true})
		}
		m.Upsert(p)
	}
	far := testPost()
	far.ID, far.Site.Lon = "p-far", 121.9
	far.Skills = append(far.Skills, PostSkill{"forklift", 1, true})
	m.Upsert(far) // fails rule 2 too: no gap
	three := testPost()
	three.ID = "p-three"
	three.Skills = append(three.Skills, PostSkill{"forklift", 1, true}, PostSkill{"sewing", 1, true}, PostSkill{"baking", 1, true})
	m.Upsert(three) // three skills missing: no gap

	c1 := testClass()
	c1.ID, c1.Skills = "c-fork1", []SkillLevel{{"forklift", 1}} // below the needed level
	c2 := testClass()
	c2.ID, c2.Skills = "c-fork2", []SkillLevel{{"forklift", 2}}
	c3 := testClass()
	c3.ID, c3.Skills = "c-both", []SkillLevel{{"forklift", 3}, {"sewing", 1}}
	c4 := testClass()
	c4.ID, c4.Skills, c4.SeatsTaken = "c-full", []SkillLevel{{"forklift", 3}}, 20
	for _, c := range []*Class{c1, c2, c3, c4} {
		m.Upsert(c)
	}
	res, err := m.Gaps("s-1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || len(res.Results) != 4 {
		t.Fatalf("gaps %d: %v", res.Total, res.Results)
	}
	for _, r := range res.Results {
		if r.ID == "p-3" {
			if len(r.Missing) != 2 || r.Classes[0].ID != "c-both" || r.Classes[0].Unlocks != 4 || len(r.Classes) != 2 {
				t.Errorf("p-3: %+v", r)
			}
			continue
		}
		m0 := r.Missing[0]
		if len(r.Missing) != 1 || m0.Code != "forklift" || m0.Have != 0 || m0.Need != 2 || m0.Level != 3 || m0.Zh != "叉车操作" {
			t.Errorf("%s missing %+v", r.ID, r.Missing)
		}
		// c-both unlocks all four; c-fork2 unlocks three; c-fork1 teaches too low; c-full has no seat.
		if len(r.Classes) != 2 || r.Classes[0].ID != "c-both" || r.Classes[0].Unlocks != 4 ||
			r.Classes[1].ID != "c-fork2" || r.Classes[1].Unlocks != 3 {
			t.Errorf("%s classes %+v", r.ID, r.Classes)
		}
	}
	// After a class: the score with the skills learnt, and whether the post then matches.
	trained := func(taught ...SkillLevel) *Seeker {
		s := testSeeker()
		s.AddSkills(taught)
		return s
	}
	for _, r := range res.Results {
		p := testPost()
		p.ID = r.ID
		p.Skills = append(p.Skills, PostSkill{"forklift", 3, true})
		if r.ID == "p-3" {
			p.Skills = append(p.Skills, PostSkill{"sewing", 1, true})
		}
		for _, gc := range r.Classes {
			taught := map[string][]SkillLevel{"c-both": {{"forklift", 3}, {"sewing", 1}}, "c-fork2": {{"forklift", 2}}}[gc.ID]
			ev := EvaluatePost(trained(taught...), p, testToday)
			if gc.ScoreAfter != ev.Result.Score || gc.ClosesGap != (ev.Rule == 0) {
				t.Errorf("%s after %s: score %v closes %v; evaluated on the trained file %v, rule %d", r.ID, gc.ID, gc.ScoreAfter, gc.ClosesGap, ev.Result.Score, ev.Rule)
			}
			if gc.ScoreAfter <= r.Score {
				t.Errorf("%s after %s: score %v not above %v before", r.ID, gc.ID, gc.ScoreAfter, r.Score)
			}
			if want := !(r.ID == "p-3" && gc.ID == "c-fork2"); gc.ClosesGap != want {
				t.Errorf("%s after %s: closesGap %v, want %v", r.ID, gc.ID, gc.ClosesGap, want)
			}
		}
	}
}

// TestStrengthsNotes: the strengths factor names the seeker's strengths the
// post uses, from the catalog, speaking to the seeker in matches and of the
// seeker in candidates.
func TestStrengthsNotes(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	m.Upsert(&Skill{Code: "cad", Zh: "CAD 制图", En: "CAD drafting"})
	m.Upsert(&Skill{Code: "data-entry", Zh: "数据录入", En: "data entry"})
	s := testSeeker()
	s.Skills = []SkillLevel{{"cad", 3}, {"data-entry", 2}, {"excel", 1}}
	m.Upsert(s)
	both := testPost()
	both.Skills = []PostSkill{{"cad", 2, true}, {"data-entry", 1, false}}
	none := testPost()
	none.ID, none.Skills = "p-2", []PostSkill{{"excel", 1, false}}
	m.Upsert(both)
	m.Upsert(none)
	note := func(rs []MatchResult, id string) Factor {
		for _, r := range rs {
			if r.ID == id {
				return r.Factors[FactorStrengths]
			}
		}
		t.Fatalf("%s not among %v", id, ids(rs))
		return Factor{}
	}
	res := mustMatches(t, m, s.ID, KindPost, 5)
	if f := note(res.Results, "p-1"); f.Value != 1 || f.Note != (Note{"用上了您的 2 项专长：CAD 制图、数据录入", "uses 2 of your strengths: CAD drafting, data entry"}) {
		t.Errorf("both strengths: %+v", f)
	}
	if f := note(res.Results, "p-2"); f.Value != 0 || f.Note != (Note{"没有用上您的专长", "uses none of your strengths"}) {
		t.Errorf("no strength: %+v", f)
	}
	cand, err := m.Candidates("p-1", 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := note(cand.Results, s.ID); f.Note != (Note{"用上了求职者的 2 项专长：CAD 制图、数据录入", "uses 2 of the seeker's strengths: CAD drafting, data entry"}) {
		t.Errorf("candidate: %+v", f)
	}
	s.Skills = []SkillLevel{{"cad", 1}}
	m.Upsert(s)
	res = mustMatches(t, m, s.ID, KindPost, 5)
	if f := note(res.Results, "p-2"); f.Value != 1 || f.Note != (Note{"尚无二级以上专长", "no skills at level 2 or above yet"}) {
		t.Errorf("no strengths at all: %+v", f)
	}
}

func TestMatcherConcurrentUse(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testClock)
	m.Upsert(testSeeker())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				p := testPost()
				p.ID = fmt.Sprintf("p-%d-%d", w, i%20)
				p.Site.Lon += float64(i%7) * 0.01
				if i%5 == 0 {
					p.Status = "closed"
				}
				m.Upsert(p)
				s := testSeeker()
				s.ID = fmt.Sprintf("s-%d", i%10)
				m.Upsert(s)
			}
		})
		wg.Go(func() {
			for i := range 200 {
				if _, err := m.Matches("s-1", KindPost, 5); err != nil {
					t.Error(err)
					return
				}
				m.Candidates(fmt.Sprintf("p-%d-%d", w, i%20), 5, nil)
				m.Gaps("s-1", 5)
			}
		})
	}
	wg.Wait()
	st := m.Stats()
	if st.OpenPosts+st.ClosedPosts != 80 {
		t.Errorf("stats %+v", st)
	}
}
