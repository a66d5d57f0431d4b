package engine

// Abilities is a compact capacity or demand profile, one 0–4 value per dimension
// in the order of Dimensions.
type Abilities [NDims]int8

// DimensionIndex returns the position of a dimension name, or -1.
func DimensionIndex(name string) int {
	for i, d := range Dimensions {
		if d == name {
			return i
		}
	}
	return -1
}

// dimensionMask sets bit i for each named dimension i; unknown names are ignored.
func dimensionMask(names []string) uint16 {
	var m uint16
	for _, n := range names {
		if i := DimensionIndex(n); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}

// DefaultAbilities is the capacity a disability implies when a counsellor has not
// assessed a dimension: the disability lowers its own dimensions, all others are 4.
func DefaultAbilities(d Disability) Abilities {
	var a Abilities
	for i := range a {
		a[i] = 4
	}
	if d.Level < 1 || d.Level > 4 {
		return a
	}
	l := int8(d.Level - 1) // 0..3, the capacity for levels 1..4
	switch d.Category {
	case "vision":
		a[DimVision] = l
	case "hearing":
		a[DimHearing] = l
		if d.Level == 1 {
			a[DimSpeech] = 2
		}
	case "speech":
		a[DimSpeech] = l
	case "physical":
		a[DimWalking] = l
		a[DimStanding] = l
		a[DimLifting] = [4]int8{1, 2, 3, 3}[d.Level-1]
	case "intellectual":
		a[DimCognition] = l
	case "psychiatric":
		a[DimStress] = l
		a[DimSocial] = [4]int8{1, 2, 2, 3}[d.Level-1]
	}
	return a
}

// EffectiveAbilities is the seeker's capacity: disability defaults, overridden
// dimension by dimension by the counsellor's assessment.
func (s *Seeker) EffectiveAbilities() Abilities {
	a := DefaultAbilities(s.Disability)
	for name, v := range s.Abilities {
		if i := DimensionIndex(name); i >= 0 {
			a[i] = int8(v)
		}
	}
	return a
}

// AddSkills raises the seeker's skills to the levels a class taught (a level
// never falls; a new skill is added) and says how many changed: what passing
// a class does to a file, and what a gap's score after the class assumes.
func (s *Seeker) AddSkills(taught []SkillLevel) int {
	changed := 0
	for _, t := range taught {
		found := false
		for i := range s.Skills {
			if s.Skills[i].Code == t.Code {
				found = true
				if s.Skills[i].Level < t.Level {
					s.Skills[i].Level = t.Level
					changed++
				}
			}
		}
		if !found {
			s.Skills = append(s.Skills, t)
			changed++
		}
	}
	return changed
}

// NeedsStepFree says whether the seeker needs step-free sites: set on the file,
// or implied by a level 1–2 physical disability.
func (s *Seeker) NeedsStepFree() bool {
	return s.Mobility.NeedsStepFree || (s.Disability.Category == "physical" && s.Disability.Level <= 2)
}

// StatedDemands is the eleven demands of a post that needs only what needed
// names: every other dimension is stated 0 (not needed). Tests and generators
// use it; a post form asks for each demand.
func StatedDemands(needed map[string]int) map[string]int {
	m := make(map[string]int, NDims)
	for _, d := range Dimensions {
		m[d] = needed[d]
	}
	for d, v := range needed { // an unknown name stays for validation to name
		m[d] = v
	}
	return m
}

// DemandProfile turns a demands map into a compact profile (missing dimensions are 0).
func DemandProfile(m map[string]int) Abilities {
	var a Abilities
	for name, v := range m {
		if i := DimensionIndex(name); i >= 0 {
			a[i] = int8(v)
		}
	}
	return a
}
