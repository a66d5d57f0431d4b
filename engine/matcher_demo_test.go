package engine_test

import (
	"slices"
	"testing"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// TestDemoWheelchairUserNeverOfferedSteppedSites is the Matching issue's
// "done shows" on the demo data: the wheelchair user of Huajing is offered no
// onsite or hybrid post or class whose site has steps — not in matches, gaps,
// gap classes or any post's candidates — although such sites lie within her
// commute, so the rule is what keeps them out.
func TestDemoWheelchairUserNeverOfferedSteppedSites(t *testing.T) {
	t.Parallel()
	d, _ := fixtures.DemoDataset()
	m := engine.NewMatcher(benchClock{})
	for i := range d.Skills {
		m.Upsert(&d.Skills[i])
	}
	posts := map[string]*engine.Post{}
	for i := range d.Posts {
		m.Upsert(&d.Posts[i])
		posts[d.Posts[i].ID] = &d.Posts[i]
	}
	classes := map[string]*engine.Class{}
	for i := range d.Classes {
		m.Upsert(&d.Classes[i])
		classes[d.Classes[i].ID] = &d.Classes[i]
	}
	var s *engine.Seeker
	for i := range d.Seekers {
		m.Upsert(&d.Seekers[i])
		if d.Seekers[i].ID == fixtures.DemoWheelchairSeeker {
			s = &d.Seekers[i]
		}
	}
	if s == nil || s.Street != "huajing" || !slices.Contains(s.Mobility.Modes, "wheelchair") || !s.NeedsStepFree() {
		t.Fatalf("demo seeker %s: %+v; want a wheelchair user in Huajing who needs step-free sites", fixtures.DemoWheelchairSeeker, s)
	}
	stepped := func(mode string, site engine.Site) bool { return mode != "remote" && !site.StepFree }

	// Stepped sites she could otherwise reach: the rule has work to do.
	blocked := 0
	for _, p := range d.Posts {
		if stepped(p.WorkMode, p.Site) && engine.EvaluatePost(s, &p, benchToday).Rule == engine.RuleStepFree {
			blocked++
		}
	}
	if blocked == 0 {
		t.Fatal("no open stepped post within her commute: the demo data does not exercise the step-free rule")
	}

	res, err := m.Matches(s.ID, engine.KindPost, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) == 0 {
		t.Fatal("no matches at all")
	}
	for _, r := range res.Results {
		if p := posts[r.ID]; stepped(p.WorkMode, p.Site) {
			t.Errorf("match %s (%s, %s) has a stepped site", p.ID, p.Title, p.WorkMode)
		}
	}
	if got := res.Excluded.ByRule["3"]; got != blocked {
		t.Errorf("excluded under rule 3: %d, want the %d stepped posts within reach", got, blocked)
	}

	cls, err := m.Matches(s.ID, engine.KindClass, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cls.Results {
		if c := classes[r.ID]; stepped(c.Mode, c.Site) {
			t.Errorf("class match %s (%s, %s) has a stepped site", c.ID, c.Title, c.Mode)
		}
	}

	gaps, err := m.Gaps(s.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gaps.Results {
		if p := posts[g.ID]; stepped(p.WorkMode, p.Site) {
			t.Errorf("gap post %s (%s, %s) has a stepped site", p.ID, p.Title, p.WorkMode)
		}
		for _, gc := range g.Classes {
			if c := classes[gc.ID]; stepped(c.Mode, c.Site) {
				t.Errorf("gap class %s (%s, %s) has a stepped site", c.ID, c.Title, c.Mode)
			}
		}
	}

	offered := 0
	for _, p := range d.Posts {
		cand, err := m.Candidates(p.ID, 1000, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range cand.Results {
			if r.ID != s.ID {
				continue
			}
			offered++
			if stepped(p.WorkMode, p.Site) {
				t.Errorf("she is a candidate for %s (%s, %s), a stepped site", p.ID, p.Title, p.WorkMode)
			}
		}
	}
	t.Logf("%d matches, %d gaps, %d class matches; %d stepped posts within reach kept out by rule 3",
		len(res.Results), len(gaps.Results), len(cls.Results), blocked)
	if offered != len(res.Results) {
		t.Errorf("she is a candidate for %d posts but has %d matches", offered, len(res.Results))
	}
}
