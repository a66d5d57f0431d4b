package engine

import (
	"math"
	"slices"
	"time"
)

// KPI keys, in report order (DESIGN §8, after the WIOA §116 indicators).
const (
	KPIEmploymentQ2   = "employmentQ2"
	KPIEmploymentQ4   = "employmentQ4"
	KPIMedianWageQ2   = "medianWageQ2"
	KPICredential     = "credentialAttainment"
	KPISkillGains     = "measurableSkillGains"
	KPIRetention      = "retentionSameEmployer"
	KPIOverdueFollows = "overdueFollowUps"
)

// KPIKeys lists the indicators in report order.
var KPIKeys = []string{KPIEmploymentQ2, KPIEmploymentQ4, KPIMedianWageQ2, KPICredential, KPISkillGains, KPIRetention, KPIOverdueFollows}

// KPINames names the indicators in both languages.
var KPINames = map[string]Note{
	KPIEmploymentQ2:   {Zh: "第二季度就业率（180天回访）", En: "Employment rate, 2nd quarter (180-day follow-up)"},
	KPIEmploymentQ4:   {Zh: "第四季度就业率（365天回访）", En: "Employment rate, 4th quarter (365-day follow-up)"},
	KPIMedianWageQ2:   {Zh: "第二季度月工资中位数（元）", En: "Median monthly wage, 2nd quarter (yuan)"},
	KPICredential:     {Zh: "结业证书获得率", En: "Credential attainment rate"},
	KPISkillGains:     {Zh: "可衡量技能提升率", En: "Measurable skill gains rate"},
	KPIRetention:      {Zh: "同一雇主留任率", En: "Retention with the same employer"},
	KPIOverdueFollows: {Zh: "回访逾期率", En: "Overdue follow-ups"},
}

// Indicator is one KPI of one group: the value is the numerator over the
// denominator (for the median wage: the median of the denominator's wages);
// with a zero denominator it is not available and Value is null, and the
// counts still say why.
type Indicator struct {
	Key         string         `json:"key"`
	Name        Note           `json:"name"`
	Numerator   int            `json:"numerator"`
	Denominator int            `json:"denominator"`
	Value       *float64       `json:"value"`
	Available   bool           `json:"available"`
	Counts      map[string]int `json:"counts"`
}

// KPIGroup is the indicators of one street, or of the whole district (Street "").
type KPIGroup struct {
	Street     string      `json:"street"`
	StreetName string      `json:"streetName"`
	Placements int         `json:"placements"`
	Indicators []Indicator `json:"indicators"`
}

// KPIReport is the outcome report of a period.
type KPIReport struct {
	From     string     `json:"from"`
	To       string     `json:"to"`
	Street   string     `json:"street,omitempty"`
	AsOf     time.Time  `json:"asOf"`
	District KPIGroup   `json:"district"`
	Streets  []KPIGroup `json:"streets"`
}

// KPIQuery is a report's period (dates in Asia/Shanghai, both included) and optional street.
type KPIQuery struct {
	From, To string
	Street   string
}

// followUpTally counts one follow-up kind over a cohort.
type followUpTally struct{ recorded, employed, pending, missing int }

func (t *followUpTally) add(f *FollowUp) {
	switch f.Status {
	case FollowUpDone:
		t.recorded++
		if f.Outcome != nil && f.Outcome.Employed {
			t.employed++
		}
	case FollowUpOverdue, FollowUpMissed:
		t.missing++
	default:
		t.pending++
	}
}

// kpiTally gathers one group's counts.
type kpiTally struct {
	placements             int
	q2, q4                 followUpTally
	wages                  []int
	retainBase, retained   int
	q2NoQ4                 int
	followUpsCame, overdue int
	ended, passed          int
	failed, withdrawn      int
	trained, gained        map[string]bool
}

func newTally() *kpiTally { return &kpiTally{trained: map[string]bool{}, gained: map[string]bool{}} }

// KPIs computes the report from the in-memory placements and enrollments.
// streetOf gives an enrollment's seeker's street (placements carry theirs).
// The definitions are the README's "KPI definitions".
func (s *Service) KPIs(q KPIQuery, streetOf func(seekerID string) string) (*KPIReport, error) {
	var p Problems
	from, err1 := ParseDate(q.From)
	to, err2 := ParseDate(q.To)
	if err1 != nil {
		p.Add("from", "must be a date YYYY-MM-DD")
	}
	if err2 != nil {
		p.Add("to", "must be a date YYYY-MM-DD")
	}
	if err1 == nil && err2 == nil && to.Before(from) {
		p.Add("to", "must not be before from")
	}
	if q.Street != "" && Streets[q.Street] == "" {
		p.Add("street", "is not a street code")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	groups := map[string]*kpiTally{"": newTally()}
	tally := func(street string) []*kpiTally {
		if q.Street != "" && street != q.Street {
			return nil
		}
		g := groups[street]
		if g == nil {
			g = newTally()
			groups[street] = g
		}
		return []*kpiTally{groups[""], g}
	}

	s.outcomes.mu.RLock()
	for _, pl := range s.outcomes.placements {
		if pl.Start < q.From || pl.Start > q.To {
			continue
		}
		for _, g := range tally(pl.Street) {
			g.addPlacement(pl)
		}
	}
	s.outcomes.mu.RUnlock()

	for _, e := range s.Enrollments(nil) {
		startedOn := orTime(e.EnrolledAt, e.CreatedAt).In(Shanghai).Format(time.DateOnly)
		outcome := ""
		if e.OutcomeAt != nil {
			outcome = e.OutcomeAt.In(Shanghai).Format(time.DateOnly)
		}
		final := Final(e.Status) && outcome != ""
		inTraining := startedOn <= q.To && (!final || outcome >= q.From)
		endedIn := final && outcome >= q.From && outcome <= q.To
		if !inTraining && !endedIn {
			continue
		}
		for _, g := range tally(streetOf(e.SeekerID)) {
			if inTraining {
				g.trained[e.SeekerID] = true
			}
			if endedIn {
				g.ended++
				switch e.Status {
				case EnrollmentPassed:
					g.passed++
					g.gained[e.SeekerID] = true
				case EnrollmentFailed:
					g.failed++
				case EnrollmentWithdrawn:
					g.withdrawn++
				}
			}
		}
	}

	rep := &KPIReport{From: q.From, To: q.To, Street: q.Street, AsOf: s.Clock.Now().UTC()}
	rep.District = groups[""].group("")
	streets := StreetCodes
	if q.Street != "" {
		streets = []string{q.Street}
		rep.District = groups[""].group(q.Street)
	}
	for _, st := range streets {
		g := groups[st]
		if g == nil {
			g = newTally()
		}
		rep.Streets = append(rep.Streets, g.group(st))
	}
	return rep, nil
}

func (t *kpiTally) addPlacement(pl *Placement) {
	t.placements++
	q2, q4 := pl.FollowUp(FollowUp180), pl.FollowUp(FollowUp365)
	if q2 != nil {
		t.q2.add(q2)
		if q2.Status == FollowUpDone && q2.Outcome != nil && q2.Outcome.Employed && q2.Outcome.MonthlyWage > 0 {
			t.wages = append(t.wages, q2.Outcome.MonthlyWage)
		}
	}
	if q4 != nil {
		t.q4.add(q4)
	}
	if q2 != nil && q4 != nil && q2.Status == FollowUpDone && q2.Outcome != nil && q2.Outcome.Employed {
		if q4.Status == FollowUpDone && q4.Outcome != nil {
			t.retainBase++
			if q2.Outcome.SameEmployer && q4.Outcome.Employed && q4.Outcome.SameEmployer {
				t.retained++
			}
		} else {
			t.q2NoQ4++
		}
	}
	for i := range pl.FollowUps {
		switch pl.FollowUps[i].Status {
		case FollowUpScheduled:
		case FollowUpOverdue, FollowUpMissed:
			t.overdue++
			t.followUpsCame++
		default:
			t.followUpsCame++
		}
	}
}

// group turns the counts into the indicators.
func (t *kpiTally) group(street string) KPIGroup {
	g := KPIGroup{Street: street, StreetName: Streets[street], Placements: t.placements}
	if street == "" {
		g.StreetName = "徐汇区"
	}
	fu := func(key string, f followUpTally) Indicator {
		return rate(key, f.employed, f.recorded, map[string]int{"placements": t.placements, "employed": f.employed,
			"recorded": f.recorded, "pending": f.pending, "missing": f.missing})
	}
	median := Indicator{Key: KPIMedianWageQ2, Name: KPINames[KPIMedianWageQ2], Numerator: len(t.wages), Denominator: len(t.wages),
		Counts: map[string]int{"wages": len(t.wages), "employedQ2": t.q2.employed}}
	if len(t.wages) > 0 {
		w := slices.Clone(t.wages)
		slices.Sort(w)
		m := float64(w[len(w)/2])
		if len(w)%2 == 0 {
			m = math.Round(float64(w[len(w)/2-1]+w[len(w)/2]) / 2)
		}
		median.Value, median.Available = &m, true
	}
	g.Indicators = []Indicator{
		fu(KPIEmploymentQ2, t.q2),
		fu(KPIEmploymentQ4, t.q4),
		median,
		rate(KPICredential, t.passed, t.ended, map[string]int{"ended": t.ended, "passed": t.passed, "failed": t.failed, "withdrawn": t.withdrawn}),
		rate(KPISkillGains, len(t.gained), len(t.trained), map[string]int{"seekersInTraining": len(t.trained), "seekersPassed": len(t.gained)}),
		rate(KPIRetention, t.retained, t.retainBase, map[string]int{"employedQ2": t.q2.employed, "employedQ2WithQ4": t.retainBase,
			"sameEmployerQ2AndQ4": t.retained, "q4NotRecorded": t.q2NoQ4}),
		rate(KPIOverdueFollows, t.overdue, t.followUpsCame, map[string]int{"cameDue": t.followUpsCame, "overdueOrMissed": t.overdue}),
	}
	return g
}

// rate is numerator ÷ denominator, or not available when the denominator is 0.
func rate(key string, num, den int, counts map[string]int) Indicator {
	in := Indicator{Key: key, Name: KPINames[key], Numerator: num, Denominator: den, Counts: counts}
	if den > 0 {
		v := math.Round(float64(num)/float64(den)*10000) / 10000
		in.Value, in.Available = &v, true
	}
	return in
}
