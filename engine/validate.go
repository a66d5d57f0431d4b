package engine

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"jobbridge/engine/xapi"
)

var (
	idPattern        = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	skillCodePattern = regexp.MustCompile(`^[a-z0-9-]{1,48}$`)
	usernamePattern  = regexp.MustCompile(`^[a-z0-9._-]{3,32}$`)
)

// Shanghai's bounding box; every site and home must lie inside it.
const (
	MinLat, MaxLat = 30.6, 31.9
	MinLon, MaxLon = 120.8, 122.2
)

// SkillExists tells validation whether a skill code is in the catalog.
type SkillExists func(code string) bool

// ValidID says whether id is a valid client-supplied record id.
func ValidID(id string) bool { return idPattern.MatchString(id) }

func checkID(p *Problems, id string) {
	if id != "" && !ValidID(id) {
		p.Add("id", "must match [a-z0-9-]{1,64}")
	}
}

// checkText checks a one-line text (a name, a title) against the text rule
// (TextProblem) and its length.
func checkText(p *Problems, field, v string, required bool, max int) {
	checkString(p, field, v, required, max, true)
}

// checkProse is checkText for text that may run over lines (a description, a note).
func checkProse(p *Problems, field, v string, required bool, max int) {
	checkString(p, field, v, required, max, false)
}

func checkString(p *Problems, field, v string, required bool, max int, line bool) {
	if required && strings.TrimSpace(v) == "" {
		p.Add(field, "is required")
		return
	}
	if msg := TextProblem(v, line); msg != "" {
		p.Add(field, "%s", msg)
		return
	}
	if utf8.RuneCountInString(v) > max {
		p.Add(field, "must be at most %d characters", max)
	}
}

func checkEnum(p *Problems, field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		p.Add(field, "must be one of %s", strings.Join(allowed, ", "))
	}
}

func checkEnums(p *Problems, field string, vs []string, allowed []string) {
	seen := map[string]bool{}
	for i, v := range vs {
		f := fmt.Sprintf("%s[%d]", field, i)
		checkEnum(p, f, v, allowed)
		if seen[v] {
			p.Add(f, "is listed twice")
		}
		seen[v] = true
	}
}

func checkRange(p *Problems, field string, v, lo, hi int) {
	if v < lo || v > hi {
		p.Add(field, "must be between %d and %d", lo, hi)
	}
}

// ParseDate parses a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func checkDate(p *Problems, field, v string, required bool) {
	if v == "" {
		if required {
			p.Add(field, "is required (YYYY-MM-DD)")
		}
		return
	}
	if _, err := ParseDate(v); err != nil {
		p.Add(field, "must be a date YYYY-MM-DD")
	}
}

// LatInShanghai and LonInShanghai say whether a coordinate lies in
// Shanghai's box; NaN and the infinities never do (written so that a NaN,
// which fails every comparison, fails the check).
func LatInShanghai(lat float64) bool { return lat >= MinLat && lat <= MaxLat }

// LonInShanghai: see LatInShanghai.
func LonInShanghai(lon float64) bool { return lon >= MinLon && lon <= MaxLon }

func checkPoint(p *Problems, field string, lat, lon float64) {
	if !LatInShanghai(lat) {
		p.Add(field+".lat", "must be inside Shanghai (%.1f–%.1f)", MinLat, MaxLat)
	}
	if !LonInShanghai(lon) {
		p.Add(field+".lon", "must be inside Shanghai (%.1f–%.1f)", MinLon, MaxLon)
	}
}

func checkProfile(p *Problems, field string, m map[string]int) {
	for name, v := range m {
		if DimensionIndex(name) < 0 {
			p.Add(field+"."+name, "is not a dimension (%s)", strings.Join(Dimensions, ", "))
			continue
		}
		checkRange(p, field+"."+name, v, 0, 4)
	}
}

func checkSkills(p *Problems, field string, skills []SkillLevel, exists SkillExists) {
	seen := map[string]bool{}
	for i, s := range skills {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !skillCodePattern.MatchString(s.Code) || exists == nil || !exists(s.Code) {
			p.Add(f+".code", "unknown skill %q", s.Code)
		}
		if seen[s.Code] {
			p.Add(f+".code", "is listed twice")
		}
		seen[s.Code] = true
		checkRange(p, f+".level", s.Level, 1, 3)
	}
}

// Validate checks a skill catalog entry.
func (s *Skill) Validate() error {
	var p Problems
	if !skillCodePattern.MatchString(s.Code) {
		p.Add("code", "must match [a-z0-9-]{1,48}")
	}
	checkText(&p, "zh", s.Zh, true, 100)
	checkText(&p, "en", s.En, true, 100)
	checkText(&p, "group", s.Group, false, 50)
	return p.Err()
}

// Normalize fills what a seeker file derives: the disability from the certificate,
// the birth date from the resident ID, and the default status.
func (s *Seeker) Normalize() {
	s.ResidentID = strings.ToUpper(s.ResidentID)
	s.Certificate = strings.ToUpper(s.Certificate)
	if s.Disability.Category == "" && s.Disability.Level == 0 && len(s.Certificate) == 20 {
		s.Disability = CertificateDisability(s.Certificate)
	}
	if s.BirthDate == "" && len(s.ResidentID) == 18 {
		s.BirthDate = ResidentBirthDate(s.ResidentID)
	}
	if s.Status == "" {
		s.Status = "seeking"
	}
	if s.Abilities == nil {
		s.Abilities = map[string]int{}
	}
	s.Skills = nonNil(s.Skills)
	s.Needs = nonNil(s.Needs)
	s.Programs = nonNil(s.Programs)
	s.Mobility.Modes = nonNil(s.Mobility.Modes)
}

// nonNil makes an absent list an empty one, so records answer [] rather than null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// Validate checks a seeker file; today bounds birth dates.
func (s *Seeker) Validate(exists SkillExists, today time.Time) error {
	var p Problems
	checkID(&p, s.ID)
	if s.Erased {
		return p.Err()
	}
	checkText(&p, "name", s.Name, true, 100)
	checkEnum(&p, "gender", s.Gender, Genders)
	checkDate(&p, "birthDate", s.BirthDate, true)
	if s.ResidentID == "" {
		p.Add("residentId", "is required")
	} else if msg := CheckResidentID(s.ResidentID, today); msg != "" {
		p.Add("residentId", "%s", msg)
	} else if s.BirthDate != "" && s.BirthDate != ResidentBirthDate(s.ResidentID) {
		p.Add("birthDate", "must agree with the resident ID (%s)", ResidentBirthDate(s.ResidentID))
	}
	if s.Certificate != "" {
		if msg := CheckCertificate(s.Certificate, s.ResidentID); msg != "" {
			p.Add("certificate", "%s", msg)
		} else if d := CertificateDisability(s.Certificate); d != s.Disability {
			p.Add("disability", "must agree with the certificate (%s level %d)", d.Category, d.Level)
		}
	}
	checkEnum(&p, "disability.category", s.Disability.Category, DisabilityCategories)
	checkRange(&p, "disability.level", s.Disability.Level, 1, 4)
	if s.Disability.Category == "multiple" {
		for _, d := range Dimensions {
			if _, ok := s.Abilities[d]; !ok {
				p.Add("abilities."+d, "is required for a multiple disability (no defaults)")
			}
		}
	}
	checkEnum(&p, "street", s.Street, StreetCodes)
	checkPoint(&p, "home", s.Home.Lat, s.Home.Lon)
	checkProfile(&p, "abilities", s.Abilities)
	checkSkills(&p, "skills", s.Skills, exists)
	checkEnums(&p, "mobility.modes", s.Mobility.Modes, TravelModes)
	if len(s.Mobility.Modes) == 0 && !s.Mobility.RemoteOK {
		p.Add("mobility.modes", "needs at least one mode unless remoteOK")
	}
	checkRange(&p, "mobility.maxCommuteMinutes", s.Mobility.MaxCommuteMinutes, 0, 240)
	needs := make([]string, len(s.Needs))
	for i, n := range s.Needs {
		needs[i] = n.Code
	}
	checkEnums(&p, "needs", needs, NeedCodes)
	checkRange(&p, "preferences.minMonthlyWage", s.Preferences.MinMonthlyWage, 0, 1_000_000)
	checkRange(&p, "preferences.maxWeeklyHours", s.Preferences.MaxWeeklyHours, 0, 84)
	checkDate(&p, "consent.date", s.Consent.Date, false)
	if s.CounsellorID != "" && !ValidID(s.CounsellorID) {
		p.Add("counsellorId", "must match [a-z0-9-]{1,64}")
	}
	checkEnum(&p, "status", s.Status, SeekerStatuses)
	checkEnums(&p, "programs", s.Programs, Programs)
	return p.Err()
}

// Validate checks an employer record.
func (e *Employer) Validate() error {
	var p Problems
	checkID(&p, e.ID)
	checkText(&p, "name", e.Name, true, 200)
	e.CreditCode = strings.ToUpper(e.CreditCode)
	if msg := CheckCreditCode(e.CreditCode); msg != "" {
		p.Add("creditCode", "%s", msg)
	}
	checkEnum(&p, "street", e.Street, StreetCodes)
	checkRange(&p, "staff", e.Staff, 0, 10_000_000)
	checkRange(&p, "avgMonthlyWage", e.AvgMonthlyWage, 0, 10_000_000)
	checkRange(&p, "disabledStaff.level12", e.DisabledStaff.Level12, 0, 10_000_000)
	checkRange(&p, "disabledStaff.level34", e.DisabledStaff.Level34, 0, 10_000_000)
	if e.DisabledStaff.Level12+e.DisabledStaff.Level34 > e.Staff {
		p.Add("disabledStaff", "cannot exceed staff")
	}
	return p.Err()
}

// Normalize fills a post's defaults.
func (x *Post) Normalize() {
	if x.Status == "" {
		x.Status = "open"
	}
	if x.Demands == nil {
		x.Demands = map[string]int{}
	}
	x.Skills = nonNil(x.Skills)
	x.EssentialDemands = nonNil(x.EssentialDemands)
	x.Accommodations = nonNil(x.Accommodations)
}

// Validate checks a job post.
func (x *Post) Validate(exists SkillExists) error {
	var p Problems
	checkID(&p, x.ID)
	if !ValidID(x.EmployerID) {
		p.Add("employerId", "is required")
	}
	checkText(&p, "title", x.Title, true, 200)
	checkProse(&p, "description", x.Description, false, 5000)
	seen := map[string]bool{}
	for i, s := range x.Skills {
		f := fmt.Sprintf("skills[%d]", i)
		if !skillCodePattern.MatchString(s.Code) || exists == nil || !exists(s.Code) {
			p.Add(f+".code", "unknown skill %q", s.Code)
		}
		if seen[s.Code] {
			p.Add(f+".code", "is listed twice")
		}
		seen[s.Code] = true
		checkRange(&p, f+".level", s.Level, 1, 3)
	}
	checkProfile(&p, "demands", x.Demands)
	for _, d := range Dimensions {
		if _, stated := x.Demands[d]; !stated {
			p.Add("demands."+d, "is required: 0 (not needed) to 4 (very high)")
		}
	}
	checkEnums(&p, "essentialDemands", x.EssentialDemands, Dimensions)
	checkEnum(&p, "workMode", x.WorkMode, WorkModes)
	if x.WorkMode != "remote" || x.Site.Lat != 0 || x.Site.Lon != 0 {
		checkPoint(&p, "site", x.Site.Lat, x.Site.Lon)
	}
	checkEnums(&p, "accommodations", x.Accommodations, NeedCodes)
	checkRange(&p, "hours.weekly", x.Hours.Weekly, 1, 84)
	checkRange(&p, "monthlyWage", x.MonthlyWage, 0, 1_000_000)
	checkRange(&p, "openings", x.Openings, 0, 10_000)
	checkEnum(&p, "status", x.Status, PostStatuses)
	checkDate(&p, "closesOn", x.ClosesOn, false)
	return p.Err()
}

// Normalize fills a class's defaults.
func (c *Class) Normalize() {
	if c.Status == "" {
		c.Status = "open"
	}
	if c.Demands == nil {
		c.Demands = map[string]int{}
	}
	c.Skills = nonNil(c.Skills)
	c.Accessibility = nonNil(c.Accessibility)
	c.Modules = nonNil(c.Modules)
}

// Validate checks a training class.
func (c *Class) Validate(exists SkillExists) error {
	var p Problems
	checkID(&p, c.ID)
	checkText(&p, "title", c.Title, true, 200)
	checkProse(&p, "description", c.Description, false, 5000)
	checkText(&p, "provider", c.Provider, true, 200)
	checkSkills(&p, "skills", c.Skills, exists)
	checkEnum(&p, "mode", c.Mode, WorkModes)
	if c.Mode != "remote" || c.Site.Lat != 0 || c.Site.Lon != 0 {
		checkPoint(&p, "site", c.Site.Lat, c.Site.Lon)
	}
	checkEnums(&p, "accessibility", c.Accessibility, ClassAccessibility)
	checkProfile(&p, "demands", c.Demands)
	checkRange(&p, "seats", c.Seats, 1, 10_000)
	checkRange(&p, "seatsTaken", c.SeatsTaken, 0, c.Seats)
	checkDate(&p, "starts", c.Starts, true)
	checkDate(&p, "ends", c.Ends, true)
	if c.Starts != "" && c.Ends != "" && c.Ends < c.Starts {
		p.Add("ends", "must not be before starts")
	}
	ids, activities := map[string]bool{}, map[string]bool{}
	for i, m := range c.Modules {
		f := fmt.Sprintf("modules[%d]", i)
		if !ValidID(m.ID) {
			p.Add(f+".id", "must match [a-z0-9-]{1,64}")
		}
		if ids[m.ID] {
			p.Add(f+".id", "is listed twice")
		}
		ids[m.ID] = true
		checkText(&p, f+".title", m.Title, true, 200)
		activity := m.Activity(c.ID)
		if m.ActivityID != "" && !xapi.IsIRI(m.ActivityID) {
			p.Add(f+".activityId", "must be an absolute IRI")
		} else if activities[activity] {
			p.Add(f+".activityId", "is another module's activity too")
		}
		activities[activity] = true
		if m.LaunchURL != "" {
			checkText(&p, f+".launchUrl", m.LaunchURL, false, 2000)
		}
		if m.MoveOn != "" {
			checkEnum(&p, f+".moveOn", m.MoveOn, MoveOnValues)
		}
		if m.MasteryScore != nil && (*m.MasteryScore < 0 || *m.MasteryScore > 1) {
			p.Add(f+".masteryScore", "must be between 0 and 1")
		}
	}
	if c.ActivityID != "" && !xapi.IsIRI(c.ActivityID) {
		p.Add("activityId", "must be an absolute IRI")
	}
	checkRange(&p, "completion.minProgress", c.Completion.MinProgress, 0, 100)
	if c.Completion.PassScore < 0 || c.Completion.PassScore > 1 {
		p.Add("completion.passScore", "must be between 0 and 1")
	}
	checkEnum(&p, "status", c.Status, ClassStatuses)
	return p.Err()
}

// Validate checks a user account (not its password).
func (u *User) Validate() error {
	var p Problems
	checkID(&p, u.ID)
	if !usernamePattern.MatchString(u.Username) {
		p.Add("username", "must match [a-z0-9._-]{3,32}")
	}
	checkEnum(&p, "role", u.Role, Roles)
	checkText(&p, "displayName", u.DisplayName, false, 100)
	if u.Street != "" {
		checkEnum(&p, "street", u.Street, StreetCodes)
	}
	switch u.Role {
	case RoleEmployer:
		if !ValidID(u.EmployerID) {
			p.Add("employerId", "is required for an employer user")
		}
	case RoleTrainee:
		if !ValidID(u.SeekerID) {
			p.Add("seekerId", "is required for a trainee user")
		}
	}
	for i, id := range u.ClassIDs {
		if !ValidID(id) {
			p.Add(fmt.Sprintf("classIds[%d]", i), "must match [a-z0-9-]{1,64}")
		}
	}
	return p.Err()
}

// CheckPassword says what is wrong with a new password, or "".
func CheckPassword(pw string) string {
	if utf8.RuneCountInString(pw) < 8 {
		return "must be at least 8 characters"
	}
	if len(pw) > 72 {
		return "must be at most 72 bytes"
	}
	return ""
}
