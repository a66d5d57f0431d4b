package engine_test

import (
	"math"
	"reflect"
	"testing"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

func qualityPost(id, mode string, skills ...string) *engine.Post {
	p := &engine.Post{Status: "open", WorkMode: mode, Title: id}
	p.ID = id
	for _, c := range skills {
		p.Skills = append(p.Skills, engine.PostSkill{Code: c, Level: 2})
	}
	return p
}

func qualitySeeker(id string, skills map[string]int) *engine.Seeker {
	s := &engine.Seeker{Status: "seeking", Disability: engine.Disability{Category: "physical", Level: 3}}
	s.ID = id
	for c, l := range skills {
		s.Skills = append(s.Skills, engine.SkillLevel{Code: c, Level: l})
	}
	return s
}

func ranked(scoresAndIDs ...any) []engine.MatchResult {
	var out []engine.MatchResult
	for i := 0; i < len(scoresAndIDs); i += 3 {
		out = append(out, engine.MatchResult{ID: scoresAndIDs[i].(string), Score: scoresAndIDs[i+1].(float64),
			CommuteMinutes: scoresAndIDs[i+2].(float64)})
	}
	return out
}

// TestQualityTally checks each figure of the quality report on rankings made by hand.
func TestQualityTally(t *testing.T) {
	t.Parallel()
	posts := []*engine.Post{
		qualityPost("cad", "onsite", "cad-drafting", "data-entry"),
		qualityPost("plain", "onsite"),
		qualityPost("remote-plain", "remote"),
		qualityPost("braille", "remote", "braille"),
		qualityPost("pack", "onsite", "packaging"),
	}
	closed := qualityPost("closed", "onsite")
	closed.Status = "closed"
	posts = append(posts, closed)
	braille := func(p *engine.Post) bool { return p.ID == "braille" }
	sighted := func(s *engine.Seeker) bool { return s.Disability.Category != "vision" }
	tally := engine.NewQualityTally(posts, []engine.QualityWatch{{Name: "braille top 3", Top: 3, Seeker: sighted, Post: braille}})

	// A: strengths cad-drafting (2); first match the CAD post; five distinct scores.
	tally.Add(qualitySeeker("A", map[string]int{"cad-drafting": 2, "office-software": 1}),
		ranked("cad", 90.0, 20.0, "plain", 80.0, 10.0, "pack", 70.0, 30.0, "braille", 60.0, 0.0, "remote-plain", 50.0, 0.0, "extra", 40.0, 5.0))
	// B: strength packaging (3) but first a post with no skills; top 5 all 70, Braille third.
	tally.Add(qualitySeeker("B", map[string]int{"packaging": 3}),
		ranked("remote-plain", 70.0, 0.0, "plain", 70.0, 12.0, "braille", 70.0, 0.0, "pack", 70.0, 14.0, "cad", 70.0, 16.0))
	// C: no strengths (level 1 only), two matches, first the Braille post (in the top 3).
	tally.Add(qualitySeeker("C", map[string]int{"packaging": 1}), ranked("braille", 55.0, 0.0, "pack", 50.0, 40.0))
	// D: no match at all.
	tally.Add(qualitySeeker("D", map[string]int{"cad-drafting": 3}), nil)
	// E: a vision seeker (not watched) whose only match is the Braille post.
	e := qualitySeeker("E", nil)
	e.Disability.Category = "vision"
	tally.Add(e, ranked("braille", 88.0, 0.0))

	got := tally.Report()
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got.Seekers != 5 || got.WithMatch != 4 || got.WithStrengths != 2 || got.StrengthsUsed != 1 {
		t.Errorf("seekers %d, with match %d, with strengths %d, strengths used %d; want 5, 4, 2, 1",
			got.Seekers, got.WithMatch, got.WithStrengths, got.StrengthsUsed)
	}
	near("withMatchShare", got.WithMatchShare, 4.0/5)
	near("strengthsUsedShare", got.StrengthsUsedShare, 1.0/2)
	if got.OpenPosts != 5 {
		t.Errorf("open posts %d, want 5 (the closed one left out)", got.OpenPosts)
	}
	near("openNoSkillsShare", got.OpenNoSkillsShare, 2.0/5)
	// First matches: cad, remote-plain, braille, braille → one lists no skills.
	near("firstNoSkillsShare", got.FirstNoSkillsShare, 1.0/4)
	// Top-5 places: A 5 (plain, remote-plain), B 5 (remote-plain, plain), C 2, E 1 = 13, 4 list no skills.
	if got.TopPlaces != 13 {
		t.Errorf("top places %d, want 13 (A's sixth result not read)", got.TopPlaces)
	}
	near("topNoSkillsShare", got.TopNoSkillsShare, 4.0/13)
	// Ties: of A, B, C (two or more), B's first two are equal; of A, B (five), B is all equal.
	near("firstTiedShare", got.FirstTiedShare, 1.0/3)
	if got.FullTop != 2 {
		t.Errorf("full top %d, want 2", got.FullTop)
	}
	near("topEqualShare", got.TopEqualShare, 1.0/2)
	near("medianTopGap", got.MedianTopGap, (40.0+0)/2) // A 90 − 50, B 70 − 70
	// Commutes of first matches: 20, 0 (remote), 0 (remote), 0 (remote).
	near("firstCommuteMean", got.FirstCommuteMean, 5)
	near("firstCommuteMedian", got.FirstCommuteMedian, 0)
	near("firstRemoteShare", got.FirstRemoteShare, 3.0/4)
	want := []engine.WatchFigure{{Name: "braille top 3", Top: 3, Seekers: 4, Hits: 2, Share: 0.5}}
	if !reflect.DeepEqual(got.Watches, want) {
		t.Errorf("watches %+v, want %+v (A has it 4th, B 3rd, C 1st, D none; E is not watched)", got.Watches, want)
	}
}

func TestQualityTallyEmpty(t *testing.T) {
	t.Parallel()
	got := engine.NewQualityTally(nil, nil).Report()
	if got.Seekers != 0 || got.WithMatchShare != 0 || got.MedianTopGap != 0 || got.FirstCommuteMean != 0 || len(got.Watches) != 0 {
		t.Errorf("empty report %+v, want zeros", got)
	}
}

func TestStrengths(t *testing.T) {
	t.Parallel()
	s := qualitySeeker("S", nil)
	s.Skills = []engine.SkillLevel{{Code: "a", Level: 1}, {Code: "b", Level: 2}, {Code: "c", Level: 3}, {Code: "b", Level: 3}}
	if got := engine.Strengths(s); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("Strengths = %v, want [b c]", got)
	}
	p := qualityPost("p", "onsite", "x", "c")
	if !engine.UsesAny(p, []string{"c"}) || engine.UsesAny(p, []string{"a", "b"}) {
		t.Errorf("UsesAny wrong for %+v", p.Skills)
	}
}

// TestQualityMatcherEqualsBruteForce: the report reads the Matcher's rankings,
// which equal the brute force's, so the two give the same figures.
func TestQualityMatcherEqualsBruteForce(t *testing.T) {
	t.Parallel()
	w := loadWorld(t, fixtures.Counts{Posts: 1500, Seekers: 100, Classes: 60})
	fast := engine.NewQualityTally(w.posts, fixtures.QualityWatches())
	slow := engine.NewQualityTally(w.posts, fixtures.QualityWatches())
	for _, s := range w.seekers {
		if !s.LookingForWork() {
			continue
		}
		got, err := w.m.Matches(s.ID, engine.KindPost, engine.QualityTop)
		if err != nil {
			t.Fatal(err)
		}
		fast.Add(s, got.Results)
		slow.Add(s, engine.BruteForce(s, w.posts, benchToday, engine.QualityTop).Results)
	}
	f, b := fast.Report(), slow.Report()
	if !reflect.DeepEqual(f, b) {
		t.Fatalf("matcher\n%+v\nbrute force\n%+v", f, b)
	}
	if f.Seekers == 0 || f.WithMatch == 0 {
		t.Fatalf("nothing measured: %+v", f)
	}
}
