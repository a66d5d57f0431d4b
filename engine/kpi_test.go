package engine

import (
	"testing"
	"time"
)

// kpiWorld is a small hand-counted world: placements A–F, enrollments e1–e6.
func kpiWorld(t *testing.T) (*Service, func(string) string) {
	t.Helper()
	s := NewService(nil, nil, testClock)
	pl := func(id, start, street string, st [4]string, outcomes map[string]*FollowUpOutcome) {
		p := &Placement{Meta: Meta{ID: id, Rev: 1}, Start: start, Street: street, Status: PlacementActive, FollowUps: ScheduleFollowUps(start)}
		for i := range p.FollowUps {
			p.FollowUps[i].Status = st[i]
			p.FollowUps[i].Outcome = outcomes[p.FollowUps[i].Kind]
		}
		s.outcomes.putPlacement(p)
	}
	no := &FollowUpOutcome{}
	d := FollowUpDone
	pl("A", "2026-01-10", "xujiahui", [4]string{d, d, d, d}, map[string]*FollowUpOutcome{"30d": employed(true, 5000), "90d": employed(true, 5000),
		"180d": employed(true, 5000), "365d": employed(true, 5200)})
	pl("B", "2026-02-01", "xujiahui", [4]string{d, d, d, d}, map[string]*FollowUpOutcome{"30d": employed(true, 4000), "90d": employed(true, 4000),
		"180d": employed(false, 4000), "365d": no})
	pl("C", "2026-03-01", "xujiahui", [4]string{d, FollowUpMissed, d, FollowUpScheduled}, map[string]*FollowUpOutcome{"30d": employed(true, 3000), "180d": no})
	pl("D", "2026-04-01", "huajing", [4]string{d, d, FollowUpOverdue, FollowUpScheduled}, map[string]*FollowUpOutcome{"30d": employed(true, 3000), "90d": employed(true, 3000)})
	pl("E", "2025-12-31", "xujiahui", [4]string{d, d, d, d}, map[string]*FollowUpOutcome{"180d": employed(true, 9000), "365d": employed(true, 9000)})
	pl("F", "2026-05-01", "huajing", [4]string{FollowUpDue, d, d, FollowUpScheduled}, map[string]*FollowUpOutcome{"90d": employed(true, 6000), "180d": employed(true, 6000)})

	at := func(date string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, date, Shanghai)
		return t.Add(12 * time.Hour)
	}
	en := func(id, seeker, status, created, outcome string) {
		v := &EnrollmentView{Meta: Meta{ID: id, Rev: 1, CreatedAt: at(created)}, SeekerID: seeker, Status: status}
		if outcome != "" {
			o := at(outcome)
			v.OutcomeAt = &o
		}
		s.training.putEnrollment(v)
	}
	en("e1", "s1", EnrollmentPassed, "2026-02-01", "2026-03-15")
	en("e2", "s1", EnrollmentFailed, "2026-01-05", "2026-04-01")
	en("e3", "s2", EnrollmentActive, "2026-05-01", "")
	en("e4", "s3", EnrollmentWithdrawn, "2025-10-01", "2026-01-20")
	en("e5", "s3", EnrollmentPassed, "2025-09-01", "2025-12-20")
	en("e6", "s2", EnrollmentEnrolled, "2026-07-05", "")
	streets := map[string]string{"s1": "xujiahui", "s2": "xujiahui", "s3": "huajing"}
	return s, func(id string) string { return streets[id] }
}

type wantKPI struct {
	num, den int
	value    float64 // -1: not available
}

func checkGroup(t *testing.T, g KPIGroup, placements int, want map[string]wantKPI, counts map[string]map[string]int) {
	t.Helper()
	if g.Placements != placements {
		t.Errorf("%s: %d placements, want %d", g.Street, g.Placements, placements)
	}
	if len(g.Indicators) != len(KPIKeys) {
		t.Fatalf("%s: %d indicators", g.Street, len(g.Indicators))
	}
	for i, in := range g.Indicators {
		if in.Key != KPIKeys[i] {
			t.Errorf("indicator %d is %s, want %s", i, in.Key, KPIKeys[i])
		}
		w, ok := want[in.Key]
		if !ok {
			continue
		}
		if in.Numerator != w.num || in.Denominator != w.den {
			t.Errorf("%s %s: %d/%d, want %d/%d", g.Street, in.Key, in.Numerator, in.Denominator, w.num, w.den)
		}
		switch {
		case w.value < 0 && (in.Available || in.Value != nil):
			t.Errorf("%s %s: %v, want not available", g.Street, in.Key, *in.Value)
		case w.value >= 0 && (!in.Available || in.Value == nil || *in.Value != w.value):
			t.Errorf("%s %s: %v (available %v), want %v", g.Street, in.Key, in.Value, in.Available, w.value)
		}
		for k, n := range counts[in.Key] {
			if in.Counts[k] != n {
				t.Errorf("%s %s: count %s = %d, want %d", g.Street, in.Key, k, in.Counts[k], n)
			}
		}
	}
}

func TestKPIsHandCounted(t *testing.T) {
	s, streetOf := kpiWorld(t)
	rep, err := s.KPIs(KPIQuery{From: "2026-01-01", To: "2026-06-30"}, streetOf)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("district", func(t *testing.T) {
		checkGroup(t, rep.District, 5, map[string]wantKPI{
			KPIEmploymentQ2:   {3, 4, 0.75},
			KPIEmploymentQ4:   {1, 2, 0.5},
			KPIMedianWageQ2:   {3, 3, 5000},
			KPICredential:     {1, 3, 0.3333},
			KPISkillGains:     {1, 3, 0.3333},
			KPIRetention:      {1, 2, 0.5},
			KPIOverdueFollows: {2, 17, 0.1176},
		}, map[string]map[string]int{
			KPIEmploymentQ2: {"recorded": 4, "employed": 3, "missing": 1, "pending": 0},
			KPIEmploymentQ4: {"recorded": 2, "pending": 3},
			KPIRetention:    {"employedQ2": 3, "q4NotRecorded": 1},
			KPICredential:   {"ended": 3, "passed": 1, "failed": 1, "withdrawn": 1},
		})
	})
	byStreet := map[string]KPIGroup{}
	for _, g := range rep.Streets {
		byStreet[g.Street] = g
	}
	if len(rep.Streets) != len(StreetCodes) {
		t.Errorf("%d streets, want all %d", len(rep.Streets), len(StreetCodes))
	}
	t.Run("xujiahui", func(t *testing.T) {
		checkGroup(t, byStreet["xujiahui"], 3, map[string]wantKPI{
			KPIEmploymentQ2:   {2, 3, 0.6667},
			KPIEmploymentQ4:   {1, 2, 0.5},
			KPIMedianWageQ2:   {2, 2, 4500},
			KPICredential:     {1, 2, 0.5},
			KPISkillGains:     {1, 2, 0.5},
			KPIRetention:      {1, 2, 0.5},
			KPIOverdueFollows: {1, 11, 0.0909},
		}, nil)
	})
	t.Run("huajing", func(t *testing.T) {
		checkGroup(t, byStreet["huajing"], 2, map[string]wantKPI{
			KPIEmploymentQ2:   {1, 1, 1},
			KPIEmploymentQ4:   {0, 0, -1},
			KPIMedianWageQ2:   {1, 1, 6000},
			KPICredential:     {0, 1, 0},
			KPISkillGains:     {0, 1, 0},
			KPIRetention:      {0, 0, -1},
			KPIOverdueFollows: {1, 6, 0.1667},
		}, map[string]map[string]int{
			KPIEmploymentQ2: {"missing": 1},
			KPIEmploymentQ4: {"pending": 2, "placements": 2},
			KPIRetention:    {"employedQ2": 1, "q4NotRecorded": 1},
		})
	})
	t.Run("a street with nothing", func(t *testing.T) {
		g := byStreet["longhua"]
		for _, in := range g.Indicators {
			if in.Available || in.Value != nil || in.Denominator != 0 {
				t.Errorf("longhua %s: %+v, want not available", in.Key, in)
			}
		}
	})
}

func TestKPIsEmptyPeriodAndStreet(t *testing.T) {
	s, streetOf := kpiWorld(t)
	rep, err := s.KPIs(KPIQuery{From: "2020-01-01", To: "2020-12-31"}, streetOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range rep.District.Indicators {
		if in.Available || in.Value != nil || in.Denominator != 0 || in.Counts == nil {
			t.Errorf("empty period %s: %+v, want not available with its counts", in.Key, in)
		}
	}
	rep, err = s.KPIs(KPIQuery{From: "2026-01-01", To: "2026-06-30", Street: "huajing"}, streetOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Streets) != 1 || rep.District.Street != "huajing" || rep.District.Placements != 2 {
		t.Fatalf("street filter: %+v", rep)
	}
	checkGroup(t, rep.District, 2, map[string]wantKPI{KPIEmploymentQ2: {1, 1, 1}, KPICredential: {0, 1, 0}}, nil)
}

func TestKPIsQuery(t *testing.T) {
	s, streetOf := kpiWorld(t)
	for _, q := range []KPIQuery{{From: "2026-1-1", To: "2026-06-30"}, {From: "2026-06-30", To: "2026-01-01"},
		{From: "2026-01-01", To: "2026-06-30", Street: "pudong"}} {
		if _, err := s.KPIs(q, streetOf); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v, want invalid", q, err)
		}
	}
}
