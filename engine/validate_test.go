package engine

import (
	"math"
	"slices"
	"testing"
)

func knownSkill(code string) bool { return code == "data-entry" || code == "massage" }

func fieldsOf(err error) []string {
	e, ok := err.(*Error)
	if !ok {
		return nil
	}
	var f []string
	for _, x := range e.Fields {
		f = append(f, x.Field)
	}
	return f
}

func validSeeker() *Seeker {
	return &Seeker{Name: "林晓雯", Gender: "female", ResidentID: "310104199005121069",
		Certificate: "31010419900512106942", Street: "xujiahui", Home: Geo{Lat: 31.19, Lon: 121.43},
		Skills:   []SkillLevel{{Code: "data-entry", Level: 2}},
		Mobility: Mobility{Modes: []string{"metro"}, MaxCommuteMinutes: 45},
		Needs:    []Need{{Code: "seated-work", Essential: true}}}
}

func TestSeekerValidation(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(s *Seeker)
		field string // "" = valid
	}{
		{"valid", func(s *Seeker) {}, ""},
		{"disability from certificate", func(s *Seeker) { s.Disability = Disability{} }, ""},
		{"no certificate, disability given", func(s *Seeker) { s.Certificate = ""; s.Disability = Disability{"vision", 1} }, ""},
		{"bad id", func(s *Seeker) { s.ID = "Bad ID" }, "id"},
		{"no name", func(s *Seeker) { s.Name = " " }, "name"},
		{"gender", func(s *Seeker) { s.Gender = "x" }, "gender"},
		{"resident id checksum", func(s *Seeker) { s.ResidentID = "310104199005121068"; s.Certificate = "" }, "residentId"},
		{"birth date disagrees", func(s *Seeker) { s.BirthDate = "1990-05-13" }, "birthDate"},
		{"certificate of someone else", func(s *Seeker) { s.Certificate = "11010519491231002X42" }, "certificate"},
		{"certificate disagrees with disability", func(s *Seeker) { s.Disability = Disability{"vision", 2} }, "disability"},
		{"level out of range", func(s *Seeker) { s.Certificate = ""; s.Disability = Disability{"vision", 5} }, "disability.level"},
		{"category", func(s *Seeker) { s.Certificate = ""; s.Disability = Disability{"tired", 2} }, "disability.category"},
		{"multiple needs every ability", func(s *Seeker) { s.Certificate = ""; s.Disability = Disability{"multiple", 2} }, "abilities.vision"},
		{"street", func(s *Seeker) { s.Street = "pudong" }, "street"},
		{"home outside Shanghai", func(s *Seeker) { s.Home = Geo{Lat: 39.9, Lon: 116.4} }, "home.lat"},
		{"home lat NaN", func(s *Seeker) { s.Home.Lat = math.NaN() }, "home.lat"},
		{"home lon NaN", func(s *Seeker) { s.Home.Lon = math.NaN() }, "home.lon"},
		{"home lon infinite", func(s *Seeker) { s.Home.Lon = math.Inf(1) }, "home.lon"},
		{"ability range", func(s *Seeker) { s.Abilities = map[string]int{"vision": -1} }, "abilities.vision"},
		{"unknown dimension", func(s *Seeker) { s.Abilities = map[string]int{"flying": 1} }, "abilities.flying"},
		{"unknown skill", func(s *Seeker) { s.Skills = []SkillLevel{{Code: "juggling", Level: 1}} }, "skills[0].code"},
		{"skill level", func(s *Seeker) { s.Skills = []SkillLevel{{Code: "data-entry", Level: 4}} }, "skills[0].level"},
		{"skill twice", func(s *Seeker) { s.Skills = append(s.Skills, SkillLevel{Code: "data-entry", Level: 1}) }, "skills[1].code"},
		{"travel mode", func(s *Seeker) { s.Mobility.Modes = []string{"rocket"} }, "mobility.modes[0]"},
		{"no mode and not remote", func(s *Seeker) { s.Mobility.Modes = nil }, "mobility.modes"},
		{"remote only", func(s *Seeker) { s.Mobility.Modes = nil; s.Mobility.RemoteOK = true }, ""},
		{"commute range", func(s *Seeker) { s.Mobility.MaxCommuteMinutes = 500 }, "mobility.maxCommuteMinutes"},
		{"need code", func(s *Seeker) { s.Needs = []Need{{Code: "telepathy"}} }, "needs[0]"},
		{"weekly hours", func(s *Seeker) { s.Preferences.MaxWeeklyHours = 100 }, "preferences.maxWeeklyHours"},
		{"consent date", func(s *Seeker) { s.Consent.Date = "yesterday" }, "consent.date"},
		{"status", func(s *Seeker) { s.Status = "asleep" }, "status"},
		{"program", func(s *Seeker) { s.Programs = []string{"other"} }, "programs[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validSeeker()
			c.spoil(s)
			s.Normalize()
			err := s.Validate(knownSkill, today)
			if c.field == "" {
				if err != nil {
					t.Fatalf("want valid: %v", err)
				}
				return
			}
			if !slices.Contains(fieldsOf(err), c.field) {
				t.Fatalf("fields %v, want %q (%v)", fieldsOf(err), c.field, err)
			}
		})
	}
	s := validSeeker()
	s.Disability = Disability{}
	s.Normalize()
	if s.Disability != (Disability{"physical", 2}) || s.BirthDate != "1990-05-12" || s.Status != "seeking" {
		t.Errorf("normalize derived %+v %s %s", s.Disability, s.BirthDate, s.Status)
	}
}

func TestOtherRecordValidation(t *testing.T) {
	post := func() *Post {
		return &Post{EmployerID: "e-1", Title: "数据录入员", WorkMode: "onsite", Site: Site{Lat: 31.2, Lon: 121.4},
			Hours: Hours{Weekly: 40}, Openings: 1, Skills: []PostSkill{{Code: "data-entry", Level: 2, Required: true}},
			Demands: noDemands(), EssentialDemands: []string{"vision"}}
	}
	class := func() *Class {
		return &Class{Title: "按摩班", Provider: "中心", Mode: "remote", Seats: 10, Starts: "2027-01-01", Ends: "2027-03-01",
			Skills: []SkillLevel{{Code: "massage", Level: 1}}, Modules: []Module{{ID: "m1", Title: "基础", Required: true}},
			Completion: Completion{MinProgress: 80, PassScore: 0.6}}
	}
	employer := func() *Employer {
		return &Employer{Name: "某公司", CreditCode: "91350100M000100Y43", Street: "tianlin", Staff: 100}
	}
	cases := []struct {
		name  string
		err   func() error
		field string
	}{
		{"post valid", func() error { p := post(); p.Normalize(); return p.Validate(knownSkill) }, ""},
		{"remote post without site", func() error {
			p := post()
			p.WorkMode = "remote"
			p.Site = Site{}
			p.Normalize()
			return p.Validate(knownSkill)
		}, ""},
		{"onsite post without site", func() error { p := post(); p.Site = Site{}; return p.Validate(knownSkill) }, "site.lat"},
		{"site lat NaN", func() error { p := post(); p.Site.Lat = math.NaN(); return p.Validate(knownSkill) }, "site.lat"},
		{"site lon -Inf", func() error { p := post(); p.Site.Lon = math.Inf(-1); return p.Validate(knownSkill) }, "site.lon"},
		{"post work mode", func() error { p := post(); p.WorkMode = "sometimes"; return p.Validate(knownSkill) }, "workMode"},
		{"post demand", func() error { p := post(); p.Demands["lifting"] = 9; return p.Validate(knownSkill) }, "demands.lifting"},
		{"post demand not stated", func() error { p := post(); delete(p.Demands, "cognition"); return p.Validate(knownSkill) }, "demands.cognition"},
		{"post demands missing", func() error { p := post(); p.Demands = nil; p.Normalize(); return p.Validate(knownSkill) }, "demands.stress"},
		{"post demand 0 is stated", func() error { p := post(); p.Demands["cognition"] = 0; p.Normalize(); return p.Validate(knownSkill) }, ""},
		{"post unknown demand", func() error { p := post(); p.Demands["charm"] = 2; return p.Validate(knownSkill) }, "demands.charm"},
		{"post essential demand unknown", func() error {
			p := post()
			p.EssentialDemands = []string{"vision", "charm"}
			return p.Validate(knownSkill)
		}, "essentialDemands[1]"},
		{"post essential demand twice", func() error {
			p := post()
			p.EssentialDemands = []string{"vision", "vision"}
			return p.Validate(knownSkill)
		}, "essentialDemands[1]"},
		{"post accommodation", func() error { p := post(); p.Accommodations = []string{"cake"}; return p.Validate(knownSkill) }, "accommodations[0]"},
		{"post hours", func() error { p := post(); p.Hours.Weekly = 0; return p.Validate(knownSkill) }, "hours.weekly"},
		{"post closes on", func() error { p := post(); p.ClosesOn = "2027-02-30"; return p.Validate(knownSkill) }, "closesOn"},
		{"post skill", func() error { p := post(); p.Skills[0].Code = "x"; return p.Validate(knownSkill) }, "skills[0].code"},
		{"class valid", func() error { c := class(); c.Normalize(); return c.Validate(knownSkill) }, ""},
		{"class ends before start", func() error { c := class(); c.Ends = "2026-12-01"; return c.Validate(knownSkill) }, "ends"},
		{"class pass score", func() error { c := class(); c.Completion.PassScore = 1.5; return c.Validate(knownSkill) }, "completion.passScore"},
		{"class module twice", func() error { c := class(); c.Modules = append(c.Modules, c.Modules[0]); return c.Validate(knownSkill) }, "modules[1].id"},
		{"class accessibility", func() error { c := class(); c.Accessibility = []string{"subtitles"}; return c.Validate(knownSkill) }, "accessibility[0]"},
		{"class seats", func() error { c := class(); c.Seats = 0; return c.Validate(knownSkill) }, "seats"},
		{"employer valid", func() error { return employer().Validate() }, ""},
		{"employer credit code", func() error { e := employer(); e.CreditCode = "91350100M000100Y44"; return e.Validate() }, "creditCode"},
		{"employer disabled staff", func() error { e := employer(); e.DisabledStaff.Level34 = 101; return e.Validate() }, "disabledStaff"},
		{"user valid", func() error { return (&User{Username: "li.ming", Role: "counsellor", Street: "hunan"}).Validate() }, ""},
		{"user role", func() error { return (&User{Username: "li.ming", Role: "boss"}).Validate() }, "role"},
		{"employer user needs employer", func() error { return (&User{Username: "hr-1", Role: "employer"}).Validate() }, "employerId"},
		{"trainee needs seeker", func() error { return (&User{Username: "trainee-1", Role: "trainee"}).Validate() }, "seekerId"},
		{"skill code", func() error { return (&Skill{Code: "Bad", Zh: "坏", En: "bad"}).Validate() }, "code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if c.field == "" {
				if err != nil {
					t.Fatalf("want valid: %v", err)
				}
				return
			}
			if !slices.Contains(fieldsOf(err), c.field) {
				t.Fatalf("fields %v, want %q (%v)", fieldsOf(err), c.field, err)
			}
		})
	}
}
