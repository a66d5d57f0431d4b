package engine

import (
	"regexp"
	"slices"
	"testing"
)

// TestOccupations checks every row of the occupation table against the rules
// a post made from it must follow, so a post form pre-filled from a row is valid.
func TestOccupations(t *testing.T) {
	t.Parallel()
	if len(Occupations) < 30 {
		t.Fatalf("%d occupations, want at least 30", len(Occupations))
	}
	classCode := regexp.MustCompile(`^[1-8]-\d{2}-\d{2}-\d{2}$`)
	groups := map[string]int{}
	seen := map[string]bool{}
	for i := range Occupations {
		o := &Occupations[i]
		t.Run(o.Code, func(t *testing.T) {
			if !skillCodePattern.MatchString(o.Code) || seen[o.Code] {
				t.Errorf("code %q is malformed or repeated", o.Code)
			}
			seen[o.Code] = true
			if got, ok := LookupOccupation(o.Code); !ok || got != o {
				t.Errorf("LookupOccupation(%q) = %v, %v", o.Code, got, ok)
			}
			if o.Zh == "" || o.En == "" || o.DutiesZh == "" || o.DutiesEn == "" {
				t.Error("names and duties must be given in zh and en")
			}
			if !slices.ContainsFunc(OccupationGroups, func(g OccupationGroup) bool { return g.Code == o.Group }) {
				t.Errorf("group %q is not a skill-catalog group", o.Group)
			}
			groups[o.Group]++
			if (o.ClassCode == "") != (o.ClassSource == "") || (o.ClassCode != "" && (!classCode.MatchString(o.ClassCode) || o.ClassName == "")) {
				t.Errorf("classification %q %q from %q: a code needs a name and a source", o.ClassName, o.ClassCode, o.ClassSource)
			}

			if len(o.RequiredSkills()) == 0 {
				t.Error("requires no skill")
			}
			codes := map[string]bool{}
			for _, s := range o.Skills {
				if codes[s.Code] || s.Level < 1 || s.Level > 3 {
					t.Errorf("skill %+v repeated or level out of 1–3", s)
				}
				codes[s.Code] = true
			}

			if len(o.Demands) != NDims {
				t.Errorf("states %d demands, want all %d", len(o.Demands), NDims)
			}
			for _, d := range Dimensions {
				if v, ok := o.Demands[d]; !ok || v < 0 || v > 4 {
					t.Errorf("demand %s = %d (stated %v), want 0–4", d, v, ok)
				}
			}
			for _, d := range o.EssentialDemands {
				if o.Demands[d] == 0 {
					t.Errorf("essential demand %s is not a demand above 0", d)
				}
			}
			if len(slices.Compact(slices.Sorted(slices.Values(o.EssentialDemands)))) != len(o.EssentialDemands) {
				t.Errorf("essential demands %v repeat", o.EssentialDemands)
			}

			for _, a := range o.Accommodations {
				if !slices.Contains(NeedCodes, a) {
					t.Errorf("accommodation %q is not a need code", a)
				}
			}
			if len(slices.Compact(slices.Sorted(slices.Values(o.Accommodations)))) != len(o.Accommodations) {
				t.Errorf("accommodations %v repeat", o.Accommodations)
			}
			// An accommodation that stands in for an essential function makes no
			// sense for the work: a screen reader on patrol, seated work in a warehouse.
			for need, dims := range map[string][]string{
				"screen-reader": {"vision"},
				"sign-language": {"hearing", "speech"},
				"seated-work":   {"walking", "standing"},
			} {
				for _, d := range dims {
					if o.Allows(need) && slices.Contains(o.EssentialDemands, d) {
						t.Errorf("offers %s though %s is essential", need, d)
					}
				}
			}

			if len(o.WorkModes) == 0 || len(o.WeeklyHours) == 0 {
				t.Error("no usual work modes or hours")
			}
			for _, m := range o.WorkModes {
				if !slices.Contains(WorkModes, m) {
					t.Errorf("work mode %q", m)
				}
			}
			for _, h := range o.WeeklyHours {
				if h < 1 || h > 44 {
					t.Errorf("weekly hours %d outside 1–44 (the Labour Law's weekly ceiling, art. 36)", h)
				}
			}
			if o.WageMin < MinimumMonthlyWage || o.WageMin > o.WageMax {
				t.Errorf("wage %d–%d: must start at or above the minimum wage %d", o.WageMin, o.WageMax, MinimumMonthlyWage)
			}
			if len(o.Unverified()) == 0 && o.WageSource == "" {
				t.Error("Unverified misses the wage")
			}
		})
	}
	for _, g := range OccupationGroups {
		if groups[g.Code] == 0 {
			t.Errorf("no occupation in group %s", g.Code)
		}
	}
	if _, ok := LookupOccupation("astronaut"); ok {
		t.Error("LookupOccupation found an occupation that is not in the table")
	}
}
