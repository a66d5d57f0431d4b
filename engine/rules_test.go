package engine

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// A seeker in Xujiahui with a moderate hearing loss (hearing 2) who takes the metro.
func testSeeker() *Seeker {
	return &Seeker{
		Meta:        Meta{ID: "s-1"},
		Disability:  Disability{Category: "hearing", Level: 3},
		Street:      "xujiahui",
		Home:        Geo{Lat: 31.19, Lon: 121.43},
		Abilities:   map[string]int{},
		Skills:      []SkillLevel{{Code: "data-entry", Level: 2}, {Code: "excel", Level: 1}},
		Mobility:    Mobility{Modes: []string{"metro"}, MaxCommuteMinutes: 60, RemoteOK: true},
		Preferences: Preferences{MinMonthlyWage: 5000},
		Consent:     Consent{ShareWithEmployers: true},
		Status:      "seeking",
	}
}

// noDemands states all eleven demands as "not needed".
func noDemands() map[string]int { return StatedDemands(nil) }

// An onsite data-entry post 1.9 km east of the seeker.
func testPost() *Post {
	return &Post{
		Meta:        Meta{ID: "p-1"},
		EmployerID:  "e-1",
		Title:       "数据录入员",
		Skills:      []PostSkill{{Code: "data-entry", Level: 2, Required: true}},
		Demands:     noDemands(),
		Site:        Site{Lat: 31.19, Lon: 121.45, StepFree: true},
		WorkMode:    "onsite",
		Hours:       Hours{Weekly: 40},
		MonthlyWage: 6000,
		Status:      "open",
	}
}

func testClass() *Class {
	return &Class{
		Meta:   Meta{ID: "c-1"},
		Title:  "Excel 进阶",
		Skills: []SkillLevel{{Code: "excel", Level: 2}},
		Mode:   "onsite",
		Site:   Site{Lat: 31.19, Lon: 121.44, StepFree: true},
		Seats:  20, Starts: "2026-05-01", Ends: "2026-07-01",
		Demands: map[string]int{},
		Status:  "open",
	}
}

func TestHardConstraints(t *testing.T) {
	t.Parallel()
	far := Site{Lat: 31.19, Lon: 121.70, StepFree: true} // ≈ 25.7 km: 79 min by metro
	tests := []struct {
		name   string
		seeker func(*Seeker)
		post   func(*Post)
		rule   int
	}{
		{"passes", nil, nil, 0},
		{"1 closed", nil, func(p *Post) { p.Status = "closed" }, RuleOpen},
		{"1 closed yesterday", nil, func(p *Post) { p.ClosesOn = "2026-05-31" }, RuleOpen},
		{"1 closes today", nil, func(p *Post) { p.ClosesOn = testToday }, 0},
		{"1 before 2", nil, func(p *Post) { p.Status = "closed"; p.Site = far }, RuleOpen},
		{"2 too far onsite", nil, func(p *Post) { p.Site = far }, RuleCommute},
		{"2 hybrid stretches the limit", nil, func(p *Post) { p.Site = far; p.WorkMode = "hybrid" }, 0},
		{"2 no travel mode", func(s *Seeker) { s.Mobility.Modes = nil }, nil, RuleCommute},
		{"2 remote not accepted", func(s *Seeker) { s.Mobility.RemoteOK = false }, func(p *Post) { p.WorkMode = "remote"; p.Site = far }, RuleCommute},
		{"2 remote accepted", nil, func(p *Post) { p.WorkMode = "remote"; p.Site = far }, 0},
		{"3 step-free needed", func(s *Seeker) { s.Mobility.NeedsStepFree = true }, func(p *Post) { p.Site.StepFree = false }, RuleStepFree},
		{"3 physical level 2 implies step-free", func(s *Seeker) { s.Disability = Disability{"physical", 2} }, func(p *Post) { p.Site.StepFree = false }, RuleStepFree},
		{"3 physical level 3 does not", func(s *Seeker) { s.Disability = Disability{"physical", 3} }, func(p *Post) { p.Site.StepFree = false }, 0},
		{"3 not for remote", func(s *Seeker) { s.Mobility.NeedsStepFree = true }, func(p *Post) { p.Site.StepFree = false; p.WorkMode = "remote" }, 0},
		{"4 over-demand 2", nil, func(p *Post) { p.Demands["hearing"] = 4 }, RuleDemand},
		{"4 over-demand 1 passes", nil, func(p *Post) { p.Demands["hearing"] = 3 }, 0},
		{"4 sign language caps hearing", nil, func(p *Post) { p.Demands["hearing"] = 4; p.Accommodations = []string{"sign-language"} }, 0},
		{"4 sign language does not lower essential hearing", nil, func(p *Post) {
			p.Demands["hearing"] = 4
			p.Accommodations = []string{"sign-language"}
			p.EssentialDemands = []string{"hearing"}
		}, RuleDemand},
		{"4 essential vision: no screen reader lowers it", func(s *Seeker) { s.Disability = Disability{"vision", 2} }, func(p *Post) {
			p.Demands["vision"] = 3
			p.Accommodations = []string{"screen-reader"}
			p.EssentialDemands = []string{"vision"}
		}, RuleDemand},
		{"4 screen reader lowers vision that is not essential", func(s *Seeker) { s.Disability = Disability{"vision", 2} }, func(p *Post) {
			p.Demands["vision"] = 3
			p.Accommodations = []string{"screen-reader"}
			p.EssentialDemands = []string{"hearing"}
		}, 0},
		{"4 essential demand 1 above capacity", func(s *Seeker) { s.Disability = Disability{"vision", 3} }, func(p *Post) {
			p.Demands["vision"] = 3 // capacity 2: a low-vision guard cannot do the watching the job is for
			p.EssentialDemands = []string{"vision"}
		}, RuleDemand},
		{"4 essential demand met", func(s *Seeker) { s.Disability = Disability{"vision", 3} }, func(p *Post) {
			p.Demands["vision"] = 2
			p.EssentialDemands = []string{"vision"}
		}, 0},
		{"4 non-essential demand 1 above capacity passes", func(s *Seeker) { s.Disability = Disability{"vision", 3} }, func(p *Post) {
			p.Demands["vision"] = 3
			p.EssentialDemands = []string{"hearing"}
		}, 0},
		{"4 assessment overrides default", func(s *Seeker) { s.Abilities["hearing"] = 4 }, func(p *Post) { p.Demands["hearing"] = 4 }, 0},
		{"4 physical level 1 walking 0", func(s *Seeker) { s.Disability = Disability{"physical", 1} }, func(p *Post) { p.Demands["walking"] = 2 }, RuleDemand},
		{"4 seated work caps walking", func(s *Seeker) { s.Disability = Disability{"physical", 1} }, func(p *Post) { p.Demands["walking"] = 2; p.Accommodations = []string{"seated-work"} }, 0},
		{"4 psychiatric level 1 social 1", func(s *Seeker) { s.Disability = Disability{"psychiatric", 1} }, func(p *Post) { p.Demands["social"] = 3 }, RuleDemand},
		{"4 job coach and quiet space lower social by 2", func(s *Seeker) { s.Disability = Disability{"psychiatric", 1} }, func(p *Post) {
			p.Demands["social"] = 3
			p.Accommodations = []string{"job-coach", "quiet-space"}
		}, 0},
		{"5 essential need not offered", func(s *Seeker) { s.Needs = []Need{{"sign-language", true}} }, nil, RuleNeeds},
		{"5 essential need offered", func(s *Seeker) { s.Needs = []Need{{"sign-language", true}} }, func(p *Post) { p.Accommodations = []string{"sign-language"} }, 0},
		{"5 wished need not offered passes", func(s *Seeker) { s.Needs = []Need{{"sign-language", false}} }, nil, 0},
		{"5 toilet at the site", func(s *Seeker) { s.Needs = []Need{{"accessible-toilet", true}} }, func(p *Post) { p.Site.AccessibleToilet = true }, 0},
		{"5 toilet at home for remote", func(s *Seeker) { s.Needs = []Need{{"accessible-toilet", true}} }, func(p *Post) { p.WorkMode = "remote" }, 0},
		{"5 no toilet", func(s *Seeker) { s.Needs = []Need{{"accessible-toilet", true}} }, nil, RuleNeeds},
		{"6 night shift", nil, func(p *Post) { p.Hours.NightShift = true }, RuleHours},
		{"6 night shift accepted", func(s *Seeker) { s.Preferences.NightShiftOK = true }, func(p *Post) { p.Hours.NightShift = true }, 0},
		{"6 too many hours", func(s *Seeker) { s.Preferences.MaxWeeklyHours = 30 }, nil, RuleHours},
		{"6 hours at the maximum", func(s *Seeker) { s.Preferences.MaxWeeklyHours = 40 }, nil, 0},
		{"7 level 3 needs 2", nil, func(p *Post) { p.Skills[0].Level = 3 }, 0},
		{"7 level 2 needs 1", func(s *Seeker) { s.Skills[0].Level = 1 }, nil, 0},
		{"7 missing skill", nil, func(p *Post) { p.Skills = append(p.Skills, PostSkill{"forklift", 1, true}) }, RuleSkills},
		{"7 level 3 with level 1", func(s *Seeker) { s.Skills[0].Level = 1 }, func(p *Post) { p.Skills[0].Level = 3 }, RuleSkills},
		{"7 nice-to-have never excludes", nil, func(p *Post) { p.Skills = append(p.Skills, PostSkill{"forklift", 3, false}) }, 0},
		{"6 before 7", nil, func(p *Post) { p.Hours.NightShift = true; p.Skills[0].Code = "forklift" }, RuleHours},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, p := testSeeker(), testPost()
			if tc.seeker != nil {
				tc.seeker(s)
			}
			if tc.post != nil {
				tc.post(p)
			}
			if got := EvaluatePost(s, p, testToday).Rule; got != tc.rule {
				t.Errorf("rule = %d, want %d", got, tc.rule)
			}
			broken, _ := refPostRules(s, p, testToday)
			want := 0
			if len(broken) > 0 {
				want = broken[0]
			}
			if want != tc.rule {
				t.Errorf("reference rule = %d, want %d (test case wrong?)", want, tc.rule)
			}
		})
	}
}

func TestClassConstraints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		seeker func(*Seeker)
		class  func(*Class)
		rule   int
	}{
		{"passes", nil, nil, 0},
		{"1 running", nil, func(c *Class) { c.Status = "running" }, RuleOpen},
		{"1 full", nil, func(c *Class) { c.SeatsTaken = 20 }, RuleOpen},
		{"1 ended", nil, func(c *Class) { c.Ends = "2026-05-31" }, RuleOpen},
		{"1 ends today", nil, func(c *Class) { c.Ends = testToday }, 0},
		{"2 remote not accepted", func(s *Seeker) { s.Mobility.RemoteOK = false }, func(c *Class) { c.Mode = "remote" }, RuleCommute},
		{"2 too far", func(s *Seeker) { s.Mobility.MaxCommuteMinutes = 10 }, nil, RuleCommute},
		{"3 step-free", func(s *Seeker) { s.Mobility.NeedsStepFree = true }, func(c *Class) { c.Site.StepFree = false }, RuleStepFree},
		{"4 hearing", nil, func(c *Class) { c.Demands["hearing"] = 4 }, RuleDemand},
		{"4 captions cap hearing", nil, func(c *Class) { c.Demands["hearing"] = 4; c.Accessibility = []string{"captions"} }, 0},
		{"4 easy-read lowers cognition", func(s *Seeker) { s.Disability = Disability{"intellectual", 2} }, func(c *Class) {
			c.Demands["cognition"] = 3
			c.Accessibility = []string{"easy-read"}
		}, 0},
		{"4 cognition without easy-read", func(s *Seeker) { s.Disability = Disability{"intellectual", 2} }, func(c *Class) { c.Demands["cognition"] = 3 }, RuleDemand},
		{"5 screen reader ↔ materials", func(s *Seeker) { s.Needs = []Need{{"screen-reader", true}} }, func(c *Class) { c.Accessibility = []string{"screen-reader-materials"} }, 0},
		{"5 large print ↔ easy-read", func(s *Seeker) { s.Needs = []Need{{"large-print", true}} }, func(c *Class) { c.Accessibility = []string{"easy-read"} }, 0},
		{"5 large print missing", func(s *Seeker) { s.Needs = []Need{{"large-print", true}} }, func(c *Class) { c.Accessibility = []string{"captions"} }, RuleNeeds},
		{"5 job coach never offered by a class", func(s *Seeker) { s.Needs = []Need{{"job-coach", true}} }, nil, RuleNeeds},
		{"6 does not apply", func(s *Seeker) { s.Preferences.MaxWeeklyHours = 1 }, nil, 0},
		{"7 does not apply", func(s *Seeker) { s.Skills = nil }, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c := testSeeker(), testClass()
			if tc.seeker != nil {
				tc.seeker(s)
			}
			if tc.class != nil {
				tc.class(c)
			}
			if got := EvaluateClass(s, c, testToday).Rule; got != tc.rule {
				t.Errorf("rule = %d, want %d", got, tc.rule)
			}
			want := 0
			if b := refClassRules(s, c, testToday); len(b) > 0 {
				want = b[0]
			}
			if want != tc.rule {
				t.Errorf("reference rule = %d, want %d (test case wrong?)", want, tc.rule)
			}
		})
	}
}

func TestFactors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		factor string
		seeker func(*Seeker)
		post   func(*Post)
		want   float64
	}{
		{"skills all met", FactorSkills, nil, nil, 1},
		{"skills none listed", FactorSkills, nil, func(p *Post) { p.Skills = nil }, 1},
		{"skills one level below", FactorSkills, nil, func(p *Post) { p.Skills[0].Level = 3 }, 2.0 / 3},
		{"skills with nice-to-have", FactorSkills, nil, func(p *Post) {
			p.Skills = []PostSkill{{"data-entry", 3, true}, {"excel", 2, false}, {"forklift", 1, false}}
		}, (2.0/3 + 0.5*(0.5+0)) / 2},
		{"strengths: the post lists the one", FactorStrengths, nil, nil, 1},
		{"strengths: none listed", FactorStrengths, nil, func(p *Post) { p.Skills[0].Level = 1; p.Skills[0].Code = "excel" }, 0},
		{"strengths: a post listing no skills uses none", FactorStrengths, nil, func(p *Post) { p.Skills = nil }, 0},
		{"strengths: a seeker with none", FactorStrengths, func(s *Seeker) { s.Skills[0].Level = 1 }, func(p *Post) { p.Skills = nil }, 1},
		{"strengths: one of two", FactorStrengths, func(s *Seeker) { s.Skills[1].Level = 3 }, nil, 0.5},
		{"strengths: nice-to-have counts", FactorStrengths, func(s *Seeker) { s.Skills[1].Level = 3 }, func(p *Post) {
			p.Skills = append(p.Skills, PostSkill{"excel", 1, false})
		}, 1},
		{"strengths: two of three is all", FactorStrengths, func(s *Seeker) {
			s.Skills = append(s.Skills, SkillLevel{"typing", 2}, SkillLevel{"sewing", 3})
		}, func(p *Post) { p.Skills = append(p.Skills, PostSkill{"sewing", 1, false}) }, 1},
		{"strengths: a strength no post lists still counts", FactorStrengths, func(s *Seeker) {
			s.Skills = append(s.Skills, SkillLevel{"braille", 2})
		}, nil, 0.5},
		{"fit perfect", FactorFit, nil, nil, 1},
		{"fit one over by one", FactorFit, nil, func(p *Post) { p.Demands["hearing"] = 3 }, 0.8},
		{"fit two over by one", FactorFit, func(s *Seeker) { s.Abilities["stamina"] = 2 }, func(p *Post) { p.Demands["hearing"] = 3; p.Demands["stamina"] = 3 }, 0.6},
		{"fit flexible hours lowers stamina", FactorFit, func(s *Seeker) { s.Abilities["stamina"] = 2 }, func(p *Post) {
			p.Demands["stamina"] = 3
			p.Accommodations = []string{"flexible-hours"}
		}, 1},
		{"fit floors at 0", FactorFit, func(s *Seeker) {
			for _, d := range Dimensions {
				s.Abilities[d] = 3
			}
		}, func(p *Post) {
			for _, d := range Dimensions {
				p.Demands[d] = 4
			}
		}, 0},
		{"commute short", FactorCommute, nil, func(p *Post) { p.Site.Lon = 121.435 }, 1}, // 0.5 km: 13 min
		{"commute remote", FactorCommute, nil, func(p *Post) { p.WorkMode = "remote"; p.Site = Site{} }, 1},
		{"commute short limit", FactorCommute, func(s *Seeker) { s.Mobility.MaxCommuteMinutes = 15; s.Mobility.Modes = []string{"walk"} }, func(p *Post) {
			p.Site.Lon = 121.4315 // 0.14 km, 2.5 min on foot
		}, 1},
		{"commute linear", FactorCommute, nil, func(p *Post) { p.Site.Lon = 121.55 }, 0}, // computed below
		{"accommodations none wished", FactorAccommodations, nil, nil, 1},
		{"accommodations half", FactorAccommodations, func(s *Seeker) {
			s.Needs = []Need{{"quiet-space", false}, {"flexible-hours", false}, {"sign-language", true}}
		}, func(p *Post) { p.Accommodations = []string{"quiet-space", "sign-language"} }, 0.5},
		{"preferences above", FactorPreferences, nil, nil, 1},
		{"preferences below", FactorPreferences, nil, func(p *Post) { p.MonthlyWage = 4000 }, 0.8},
		{"preferences no minimum", FactorPreferences, func(s *Seeker) { s.Preferences.MinMonthlyWage = 0 }, func(p *Post) { p.MonthlyWage = 100 }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, p := testSeeker(), testPost()
			if tc.seeker != nil {
				tc.seeker(s)
			}
			if tc.post != nil {
				tc.post(p)
			}
			ev := EvaluatePost(s, p, testToday)
			if ev.Rule != 0 {
				t.Fatalf("rule %d broken", ev.Rule)
			}
			want := tc.want
			if tc.name == "commute linear" {
				m, _ := CommuteMinutes(s.Home, Geo{p.Site.Lat, p.Site.Lon}, s.Mobility.Modes)
				want = (60 - m) / 45
			}
			if got := ev.Result.Factors[tc.factor].Value; math.Abs(got-want) > 1e-12 {
				t.Errorf("%s = %v, want %v", tc.factor, got, want)
			}
			ref := refPostFactors(s, p)
			for name, v := range ref {
				if got := ev.Result.Factors[name].Value; math.Abs(got-v) > 1e-9 {
					t.Errorf("%s = %v, reference %v", name, got, v)
				}
			}
			f := ev.Result.Factors
			if ev.Result.Score != 100*(0.25*f["skills"].Value+0.20*f["strengths"].Value+0.20*f["fit"].Value+0.15*f["commute"].Value+
				0.10*f["accommodations"].Value+0.10*f["preferences"].Value) {
				t.Errorf("score %v is not the weighted sum of %v", ev.Result.Score, f)
			}
			if ev.Result.Score != Score(f["skills"].Value, f["strengths"].Value, f["fit"].Value, f["commute"].Value,
				f["accommodations"].Value, f["preferences"].Value) {
				t.Errorf("score %v is not Score of %v", ev.Result.Score, f)
			}
		})
	}
}

func TestClassFactors(t *testing.T) {
	t.Parallel()
	s, c := testSeeker(), testClass()
	c.Skills = []SkillLevel{{"excel", 2}, {"data-entry", 2}, {"forklift", 1}}
	ev := EvaluateClass(s, c, testToday)
	if ev.Rule != 0 {
		t.Fatalf("rule %d", ev.Rule)
	}
	f := ev.Result.Factors
	if got := f[FactorSkills].Value; got != 2.0/3 {
		t.Errorf("skills = %v, want 2/3 (excel 1→2 and forklift are gains)", got)
	}
	if f[FactorPreferences].Value != 1 || f[FactorStrengths].Value != 1 {
		t.Errorf("preferences = %v, strengths = %v, want 1 and 1", f[FactorPreferences].Value, f[FactorStrengths].Value)
	}
	if n := f[FactorStrengths].Note; n.Zh == "" || n.En == "" || strings.Contains(n.En, "your") {
		t.Errorf("a class's strengths note %+v", n)
	}
	if !strings.Contains(f[FactorSkills].Note.En, "2 of 3") {
		t.Errorf("note %q", f[FactorSkills].Note.En)
	}
}

func TestEffectiveDemand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		demands map[string]int
		acc     []string
		want    map[string]int
	}{
		{"large print", map[string]int{"vision": 3}, []string{"large-print"}, map[string]int{"vision": 2}},
		{"screen reader caps", map[string]int{"vision": 4}, []string{"screen-reader"}, map[string]int{"vision": 1}},
		{"reduction then cap", map[string]int{"vision": 4}, []string{"large-print", "screen-reader"}, map[string]int{"vision": 1}},
		{"seated work", map[string]int{"standing": 3, "walking": 3}, []string{"seated-work"}, map[string]int{"standing": 0, "walking": 1}},
		{"reductions add up", map[string]int{"social": 4, "stress": 3, "cognition": 2}, []string{"job-coach", "quiet-space"},
			map[string]int{"social": 2, "stress": 2, "cognition": 1}},
		{"never below 0", map[string]int{"stamina": 0}, []string{"flexible-hours"}, map[string]int{"stamina": 0}},
		{"sign language", map[string]int{"hearing": 4, "speech": 3}, []string{"sign-language"}, map[string]int{"hearing": 1, "speech": 1}},
		{"no effect elsewhere", map[string]int{"lifting": 4}, []string{"sign-language", "large-print"}, map[string]int{"lifting": 4}},
	}
	essential := []struct {
		name    string
		demands map[string]int
		acc     []string
		ess     []string
		want    map[string]int
	}{
		{"essential vision keeps its demand", map[string]int{"vision": 4}, []string{"screen-reader", "large-print"}, []string{"vision"}, map[string]int{"vision": 4}},
		{"essential hearing, speech still capped", map[string]int{"hearing": 3, "speech": 3}, []string{"sign-language"}, []string{"hearing"},
			map[string]int{"hearing": 3, "speech": 1}},
		{"essential social, stress still lowered", map[string]int{"social": 3, "stress": 3}, []string{"quiet-space"}, []string{"social"},
			map[string]int{"social": 3, "stress": 2}},
	}
	for _, tc := range essential {
		got := EffectiveDemand(&Post{Demands: tc.demands, Accommodations: tc.acc, EssentialDemands: tc.ess})
		for d, v := range tc.want {
			if int(got[DimensionIndex(d)]) != v {
				t.Errorf("%s: %s = %d, want %d", tc.name, d, got[DimensionIndex(d)], v)
			}
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EffectiveDemand(&Post{Demands: tc.demands, Accommodations: tc.acc})
			for d, v := range tc.want {
				if int(got[DimensionIndex(d)]) != v {
					t.Errorf("%s = %d, want %d", d, got[DimensionIndex(d)], v)
				}
			}
		})
	}
	c := &Class{Demands: map[string]int{"hearing": 4, "speech": 3, "vision": 4, "cognition": 3},
		Accessibility: []string{"sign-language", "screen-reader-materials", "easy-read"}}
	got := ClassEffectiveDemand(c)
	for d, v := range map[string]int{"hearing": 1, "speech": 1, "vision": 1, "cognition": 2} {
		if int(got[DimensionIndex(d)]) != v {
			t.Errorf("class %s = %d, want %d", d, got[DimensionIndex(d)], v)
		}
	}
}

func TestOffers(t *testing.T) {
	t.Parallel()
	p := &Post{Accommodations: []string{"job-coach"}, WorkMode: "onsite"}
	if !PostOffers(p, "job-coach") || PostOffers(p, "accessible-toilet") {
		t.Error("post offers")
	}
	p.WorkMode = "remote"
	if !PostOffers(p, "accessible-toilet") {
		t.Error("remote work offers an accessible toilet (at home)")
	}
	c := &Class{Accessibility: []string{"screen-reader-materials"}, Mode: "onsite", Site: Site{AccessibleToilet: true}}
	for need, want := range map[string]bool{"screen-reader": true, "large-print": true, "sign-language": false,
		"accessible-toilet": true, "quiet-space": false} {
		if ClassOffers(c, need) != want {
			t.Errorf("class offers %s = %v", need, !want)
		}
	}
}

func TestDisabilityDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    Disability
		want map[string]int8
	}{
		{Disability{"vision", 1}, map[string]int8{"vision": 0}},
		{Disability{"vision", 4}, map[string]int8{"vision": 3}},
		{Disability{"hearing", 1}, map[string]int8{"hearing": 0, "speech": 2}},
		{Disability{"hearing", 2}, map[string]int8{"hearing": 1, "speech": 4}},
		{Disability{"speech", 3}, map[string]int8{"speech": 2}},
		{Disability{"physical", 1}, map[string]int8{"walking": 0, "standing": 0, "lifting": 1}},
		{Disability{"physical", 3}, map[string]int8{"walking": 2, "standing": 2, "lifting": 3}},
		{Disability{"physical", 4}, map[string]int8{"walking": 3, "standing": 3, "lifting": 3}},
		{Disability{"intellectual", 2}, map[string]int8{"cognition": 1}},
		{Disability{"psychiatric", 1}, map[string]int8{"stress": 0, "social": 1}},
		{Disability{"psychiatric", 3}, map[string]int8{"stress": 2, "social": 2}},
		{Disability{"multiple", 1}, map[string]int8{}},
	}
	for _, tc := range tests {
		a := DefaultAbilities(tc.d)
		for i, name := range Dimensions {
			want, ok := tc.want[name]
			if !ok {
				want = 4
			}
			if a[i] != want {
				t.Errorf("%v: %s = %d, want %d", tc.d, name, a[i], want)
			}
		}
	}
	s := testSeeker()
	s.Disability = Disability{"physical", 2}
	if !s.NeedsStepFree() {
		t.Error("physical level 2 needs step-free sites")
	}
}

func TestCommute(t *testing.T) {
	t.Parallel()
	a, b := Geo{Lat: 31, Lon: 121}, Geo{Lat: 32, Lon: 121}
	if got, want := HaversineKm(a, b), 6371.0*math.Pi/180; math.Abs(got-want) > 1e-9 {
		t.Errorf("one degree of latitude = %v km, want %v", got, want)
	}
	home, site := Geo{31.19, 121.43}, Geo{31.19, 121.50}
	km := HaversineKm(home, site)
	tests := []struct {
		modes []string
		want  float64
		mode  string
	}{
		{[]string{"walk"}, km * 1.3 / 4.5 * 60, "walk"},
		{[]string{"wheelchair"}, km * 1.3 / 3.5 * 60, "wheelchair"},
		{[]string{"bus"}, 10 + km*1.3/15*60, "bus"},
		{[]string{"metro"}, 12 + km*1.3/30*60, "metro"},
		{[]string{"car"}, 5 + km*1.3/25*60, "car"},
		{[]string{"accessible-taxi"}, 15 + km*1.3/25*60, "accessible-taxi"},
		{[]string{"walk", "bus", "car"}, 5 + km*1.3/25*60, "car"},
		{nil, math.Inf(1), ""},
	}
	for _, tc := range tests {
		got, mode := CommuteMinutes(home, site, tc.modes)
		if math.Abs(got-tc.want) > 1e-9 && !(math.IsInf(got, 1) && math.IsInf(tc.want, 1)) || mode != tc.mode {
			t.Errorf("%v: %v min by %q, want %v by %q", tc.modes, got, mode, tc.want, tc.mode)
		}
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	s, p := testSeeker(), testPost()
	s.Needs = []Need{{"quiet-space", false}}
	p.Skills = append(p.Skills, PostSkill{"excel", 1, true}, PostSkill{"typing", 1, false})
	p.Skills[0].Level = 3
	p.Demands["hearing"] = 3
	p.Site.Lon = 121.52 // ≈ 8.6 km: 34 min by metro
	ev := EvaluatePost(s, p, testToday)
	if ev.Rule != 0 {
		t.Fatalf("rule %d", ev.Rule)
	}
	m, _ := CommuteMinutes(s.Home, Geo{p.Site.Lat, p.Site.Lon}, s.Mobility.Modes)
	want := map[string]Note{
		FactorSkills:         {"具备 1/2 项所需技能，1 项低一级，加分技能 0/1 项", "has 1 of 2 required skills, 1 one level below, 0 of 1 nice-to-have"},
		FactorStrengths:      {"用上了您的 1 项专长：data-entry", "uses 1 of your strengths: data-entry"},
		FactorFit:            {"1 项要求比能力高一级：听力", "1 demand one level above capacity: hearing"},
		FactorCommute:        {"通勤约 " + strconv.Itoa(int(math.Round(m))) + " 分钟（地铁）", "about " + strconv.Itoa(int(math.Round(m))) + " min by metro"},
		FactorAccommodations: {"提供 0/1 项期望的便利，缺：安静空间", "offers 0 of 1 wished-for accommodations; missing: quiet space"},
		FactorPreferences:    {"月薪 6000 元，高于期望 5000 元", "pays 6000 yuan a month, above the 5000 wished"},
	}
	for name, n := range want {
		if got := ev.Result.Factors[name].Note; got != n {
			t.Errorf("%s note = %+v, want %+v", name, got, n)
		}
	}
	p.WorkMode = "remote"
	if n := EvaluatePost(s, p, testToday).Result.Factors[FactorCommute].Note; n.En != "remote work, no commute" {
		t.Errorf("remote note %+v", n)
	}
}

func TestPackedDemand(t *testing.T) {
	t.Parallel()
	for c := int8(0); c <= 4; c++ {
		for d := int8(0); d <= 4; d++ {
			for dim := range NDims {
				var ca, da Abilities
				for i := range ca {
					ca[i], da[i] = 4, 0
				}
				ca[dim], da[dim] = c, d
				cp, dp := packCapacity(ca), packDemand(da)
				if got := overDemand2(cp, dp); got != (d-c >= 2) {
					t.Fatalf("cap %d demand %d dim %d: over2 = %v", c, d, dim, got)
				}
				for _, ess := range []uint16{0, 1 << dim, 1<<NDims - 1, 1<<NDims - 1&^(1<<dim)} {
					want := d-c >= 2 || (d-c >= 1 && ess&(1<<dim) != 0)
					if got := overDemand(cp, dp, ess); got != want {
						t.Fatalf("cap %d demand %d dim %d essential %011b: rule 4 = %v, want %v", c, d, dim, ess, got, want)
					}
				}
				if d-c < 2 {
					want := 0
					if d-c == 1 {
						want = 1
					}
					if got := countOverByOne(cp, dp); got != want {
						t.Fatalf("cap %d demand %d dim %d: overByOne = %d", c, d, dim, got)
					}
				}
			}
		}
	}
}
