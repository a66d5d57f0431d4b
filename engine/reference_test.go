package engine

import (
	"math"
	"slices"
	"time"
)

// This file is an independent, straightforward reading of DESIGN §4, written
// from the records without the compact forms, so tests can check the engine
// against it.

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// testToday is the date every test runs on.
const testToday = "2026-06-01"

var testClock = fixedClock{time.Date(2026, 6, 1, 9, 0, 0, 0, Shanghai)}

var refSpeeds = map[string][2]float64{ // km/h, overhead minutes
	"walk": {4.5, 0}, "wheelchair": {3.5, 0}, "bus": {15, 10}, "metro": {30, 12}, "car": {25, 5}, "accessible-taxi": {25, 15},
}

func refKm(a, b Geo) float64 {
	const r = 6371.0
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla, dlo := la2-la1, (b.Lon-a.Lon)*math.Pi/180
	h := math.Pow(math.Sin(dla/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin(dlo/2), 2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

func refCommute(s *Seeker, site Geo) float64 {
	best := math.Inf(1)
	km := refKm(s.Home, site)
	for _, m := range s.Mobility.Modes {
		v := refSpeeds[m]
		best = math.Min(best, v[1]+km*1.3/v[0]*60)
	}
	return best
}

func refLimit(s *Seeker, mode string) float64 {
	l := float64(s.Mobility.MaxCommuteMinutes)
	if mode == "hybrid" {
		l *= 1.5
	}
	return l
}

func refCapacity(s *Seeker) map[string]int {
	c := map[string]int{}
	for _, d := range Dimensions {
		c[d] = 4
	}
	l := s.Disability.Level
	switch s.Disability.Category {
	case "vision":
		c["vision"] = l - 1
	case "hearing":
		c["hearing"] = l - 1
		if l == 1 {
			c["speech"] = 2
		}
	case "speech":
		c["speech"] = l - 1
	case "physical":
		c["walking"], c["standing"] = l-1, l-1
		c["lifting"] = []int{1, 2, 3, 3}[l-1]
	case "intellectual":
		c["cognition"] = l - 1
	case "psychiatric":
		c["stress"] = l - 1
		c["social"] = []int{1, 2, 2, 3}[l-1]
	}
	for k, v := range s.Abilities {
		c[k] = v
	}
	return c
}

func refEffective(demands map[string]int, reduce map[string]int, caps map[string]int) map[string]int {
	out := map[string]int{}
	for _, d := range Dimensions {
		v := max(0, demands[d]-reduce[d])
		if c, ok := caps[d]; ok {
			v = min(v, c)
		}
		out[d] = v
	}
	return out
}

func addCap(caps map[string]int, d string, v int) {
	if c, ok := caps[d]; !ok || v < c {
		caps[d] = v
	}
}

func refPostDemand(p *Post) map[string]int {
	red, caps := map[string]int{}, map[string]int{}
	for _, a := range p.Accommodations {
		switch a {
		case "large-print":
			red["vision"]++
		case "flexible-hours":
			red["stamina"]++
		case "job-coach":
			red["cognition"]++
			red["social"]++
		case "quiet-space":
			red["stress"]++
			red["social"]++
		case "sign-language":
			addCap(caps, "hearing", 1)
			addCap(caps, "speech", 1)
		case "screen-reader":
			addCap(caps, "vision", 1)
		case "seated-work":
			addCap(caps, "standing", 0)
			addCap(caps, "walking", 1)
		}
	}
	out := refEffective(p.Demands, red, caps)
	for _, d := range p.EssentialDemands { // no accommodation lowers an essential function
		out[d] = p.Demands[d]
	}
	return out
}

func refClassDemand(c *Class) map[string]int {
	red, caps := map[string]int{}, map[string]int{}
	for _, a := range c.Accessibility {
		switch a {
		case "captions":
			addCap(caps, "hearing", 1)
		case "sign-language":
			addCap(caps, "hearing", 1)
			addCap(caps, "speech", 1)
		case "screen-reader-materials":
			addCap(caps, "vision", 1)
		case "easy-read":
			red["cognition"]++
		}
	}
	return refEffective(c.Demands, red, caps)
}

func refPostOffers(p *Post, need string) bool {
	if need == "accessible-toilet" && (p.Site.AccessibleToilet || p.WorkMode == "remote") {
		return true
	}
	return slices.Contains(p.Accommodations, need)
}

func refClassOffers(c *Class, need string) bool {
	has := func(f string) bool { return slices.Contains(c.Accessibility, f) }
	switch need {
	case "sign-language":
		return has("sign-language")
	case "screen-reader":
		return has("screen-reader-materials")
	case "large-print":
		return has("screen-reader-materials") || has("easy-read")
	case "accessible-toilet":
		return c.Site.AccessibleToilet || c.Mode == "remote"
	}
	return false
}

func refLevel(s *Seeker, code string) int {
	lv := 0
	for _, k := range s.Skills {
		if k.Code == code {
			lv = max(lv, k.Level)
		}
	}
	return lv
}

// refLearnt is the seeker once they hold a class's taught skills at the taught level (never lower).
func refLearnt(s *Seeker, c *Class) *Seeker {
	t := *s
	t.Skills = slices.Clone(s.Skills)
	for _, k := range c.Skills {
		if i := slices.IndexFunc(t.Skills, func(h SkillLevel) bool { return h.Code == k.Code }); i < 0 {
			t.Skills = append(t.Skills, k)
		} else {
			t.Skills[i].Level = max(t.Skills[i].Level, k.Level)
		}
	}
	return &t
}

func refNeedsStepFree(s *Seeker) bool {
	return s.Mobility.NeedsStepFree || (s.Disability.Category == "physical" && s.Disability.Level <= 2)
}

// refAccess checks rules 2–5, shared by posts and classes (a class has no essential demands).
func refAccess(s *Seeker, mode string, site Site, demand map[string]int, essential []string, offers func(string) bool) (broken []int) {
	if mode == "remote" {
		if !s.Mobility.RemoteOK {
			broken = append(broken, 2)
		}
	} else if refCommute(s, Geo{site.Lat, site.Lon}) > refLimit(s, mode) {
		broken = append(broken, 2)
	}
	if refNeedsStepFree(s) && mode != "remote" && !site.StepFree {
		broken = append(broken, 3)
	}
	capacity := refCapacity(s)
	for _, d := range Dimensions {
		if over := demand[d] - capacity[d]; over >= 2 || (over >= 1 && slices.Contains(essential, d)) {
			broken = append(broken, 4)
			break
		}
	}
	for _, n := range s.Needs {
		if n.Essential && !offers(n.Code) {
			broken = append(broken, 5)
			break
		}
	}
	return broken
}

// refPostRules lists every hard constraint s and p break, and the required skills missing.
func refPostRules(s *Seeker, p *Post, today string) (broken []int, missing int) {
	if p.Status != "open" || (p.ClosesOn != "" && p.ClosesOn < today) {
		broken = append(broken, 1)
	}
	broken = append(broken, refAccess(s, p.WorkMode, p.Site, refPostDemand(p), p.EssentialDemands, func(n string) bool { return refPostOffers(p, n) })...)
	if (p.Hours.NightShift && !s.Preferences.NightShiftOK) ||
		(s.Preferences.MaxWeeklyHours > 0 && p.Hours.Weekly > s.Preferences.MaxWeeklyHours) {
		broken = append(broken, 6)
	}
	for _, k := range p.Skills {
		if k.Required && refLevel(s, k.Code) < max(1, k.Level-1) {
			missing++
		}
	}
	if missing > 0 {
		broken = append(broken, 7)
	}
	return broken, missing
}

func refClassRules(s *Seeker, c *Class, today string) []int {
	var broken []int
	if c.Status != "open" || c.Seats <= c.SeatsTaken || (c.Ends != "" && c.Ends < today) {
		broken = append(broken, 1)
	}
	return append(broken, refAccess(s, c.Mode, c.Site, refClassDemand(c), nil, func(n string) bool { return refClassOffers(c, n) })...)
}

func refOverByOne(s *Seeker, demand map[string]int) int {
	capacity, n := refCapacity(s), 0
	for _, d := range Dimensions {
		if demand[d]-capacity[d] == 1 {
			n++
		}
	}
	return n
}

func refAccFactor(s *Seeker, offers func(string) bool) float64 {
	var wished, got int
	for _, n := range s.Needs {
		if !n.Essential {
			wished++
			if offers(n.Code) {
				got++
			}
		}
	}
	if wished == 0 {
		return 1
	}
	return float64(got) / float64(wished)
}

func refCommuteFactor(s *Seeker, mode string, site Site) float64 {
	if mode == "remote" {
		return 1
	}
	m, l := refCommute(s, Geo{site.Lat, site.Lon}), refLimit(s, mode)
	if m <= 15 || l <= 15 {
		return 1
	}
	return math.Max(0, (l-m)/(l-15))
}

// refStrengths is the strengths factor: T is the seeker's skills at level ≥ 2.
func refStrengths(s *Seeker, p *Post) float64 {
	t := map[string]bool{}
	for _, k := range s.Skills {
		if refLevel(s, k.Code) >= 2 {
			t[k.Code] = true
		}
	}
	if len(t) == 0 {
		return 1
	}
	used := map[string]bool{}
	for _, k := range p.Skills {
		if t[k.Code] {
			used[k.Code] = true
		}
	}
	return math.Min(1, float64(len(used))/float64(min(len(t), 2)))
}

// refScore is DESIGN §4's score, version 2, of the factors.
func refScore(f map[string]float64) float64 {
	return 100 * (0.25*f["skills"] + 0.20*f["strengths"] + 0.20*f["fit"] + 0.15*f["commute"] +
		0.10*f["accommodations"] + 0.10*f["preferences"])
}

// refPostFactors computes the six factors of a post for a seeker.
func refPostFactors(s *Seeker, p *Post) map[string]float64 {
	f := map[string]float64{}
	var sum, weight float64
	for _, k := range p.Skills {
		r := math.Min(1, float64(refLevel(s, k.Code))/float64(k.Level))
		if k.Required {
			sum, weight = sum+r, weight+1
		} else {
			sum, weight = sum+0.5*r, weight+0.5
		}
	}
	f["skills"] = 1
	if weight > 0 {
		f["skills"] = sum / weight
	}
	f["strengths"] = refStrengths(s, p)
	f["fit"] = math.Max(0, 1-0.2*float64(refOverByOne(s, refPostDemand(p))))
	f["commute"] = refCommuteFactor(s, p.WorkMode, p.Site)
	f["accommodations"] = refAccFactor(s, func(n string) bool { return refPostOffers(p, n) })
	f["preferences"] = 1
	if s.Preferences.MinMonthlyWage > 0 {
		f["preferences"] = math.Min(1, float64(p.MonthlyWage)/float64(s.Preferences.MinMonthlyWage))
	}
	return f
}

func refClassFactors(s *Seeker, c *Class) map[string]float64 {
	f := map[string]float64{}
	gain := 0
	for _, k := range c.Skills {
		if refLevel(s, k.Code) < k.Level {
			gain++
		}
	}
	if len(c.Skills) > 0 {
		f["skills"] = float64(gain) / float64(len(c.Skills))
	}
	f["strengths"] = 1
	f["fit"] = math.Max(0, 1-0.2*float64(refOverByOne(s, refClassDemand(c))))
	f["commute"] = refCommuteFactor(s, c.Mode, c.Site)
	f["accommodations"] = refAccFactor(s, func(n string) bool { return refClassOffers(c, n) })
	f["preferences"] = 1
	return f
}
