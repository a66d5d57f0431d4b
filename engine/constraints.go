package engine

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Work modes of compact posts and classes.
const (
	modeOnsite uint8 = iota
	modeHybrid
	modeRemote
)

func workMode(s string) uint8 {
	switch s {
	case "hybrid":
		return modeHybrid
	case "remote":
		return modeRemote
	}
	return modeOnsite
}

// Day numbers (days since 1970-01-01) stand for dates in compact records.
const (
	noDate      = math.MaxInt32 // no closing or end date: never passed
	invalidDate = math.MinInt32 // an unreadable date counts as passed
)

func dayNumber(s string) int32 {
	if s == "" {
		return noDate
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return invalidDate
	}
	return int32(t.Unix() / 86400)
}

// skillNeed is what rule 7 asks of a required skill of level n: max(1, n − 1).
func skillNeed(level int) int8 { return int8(max(1, level-1)) }

// codeOf maps a skill code to its interned number; false for codes nothing uses.
type codeOf func(code string) (uint32, bool)

// interner numbers skill codes so compact records compare small ints.
type interner struct {
	ids   map[string]uint32
	names []string
}

func newInterner() *interner { return &interner{ids: map[string]uint32{}} }

func (in *interner) intern(code string) (uint32, bool) {
	if id, ok := in.ids[code]; ok {
		return id, true
	}
	code = strings.Clone(code)
	id := uint32(len(in.names))
	in.ids[code] = id
	in.names = append(in.names, code)
	return id, true
}

// codeOnly names an interned code by the code itself: the brute force has no catalog.
func (in *interner) codeOnly(code uint32) (string, string, string) { return in.names[code], "", "" }

func (in *interner) lookup(code string) (uint32, bool) {
	id, ok := in.ids[code]
	return id, ok
}

// pskill is a skill a post asks for, compact.
type pskill struct {
	code     uint32
	level    int8 // 1..3
	need     int8 // max(1, level − 1)
	required bool
}

// qskill is a skill a seeker has or a class teaches, compact.
type qskill struct {
	code  uint32
	level int8
}

// Skill masks decide rule 7 and the strengths factor without reading skill
// lists: bit code&63 of req[0] (req[1]) is set for a required skill that needs
// level ≥ 1 (≥ 2), of listed for any skill a post lists, and of a seeker's
// has[0] (has[1]) for a skill held at level ≥ 1 (≥ 2). A required bit the
// seeker lacks always means a missing skill; when every code involved is
// below 64 (no two codes share a bit) the masks are the whole answer.
const maskCodes = 64

// postRules is the part of a compact post the hard constraints and the first
// score bound read, 48 bytes: the Matcher scans these for every post it visits
// and reads the rest (postC) only for posts on the edge of the seeker's reach
// or that may enter the results.
type postRules struct {
	dem     uint64    // packed effective demand
	req     [2]uint64 // required skills by needed level, see maskCodes
	listed  uint64    // every skill listed, required or nice
	closes  int32     // day number of closesOn
	wage    int32
	weekly  uint16
	ess     uint16 // essential demands, bit i for dimension i
	offered uint8  // need mask
	flags   uint8  // work mode (low 2 bits) and the post flags below
}

// Post flags.
const (
	postStepFree uint8 = 1 << (2 + iota)
	postNight
	postReqExact  // req says exactly which required skills there are
	postListExact // listed says exactly which skills there are
)

func (r *postRules) mode() uint8        { return r.flags & 3 }
func (r *postRules) is(flag uint8) bool { return r.flags&flag != 0 }

// postC is a post compiled for matching: 104 bytes plus 8 per skill.
type postC struct {
	postRules
	lat, lon, cosLat float64
	skills           []pskill
	slot             int32 // the Matcher's id/title slot, or the index in a brute-force list
	open             bool
}

func compilePost(p *Post, code codeOf, slot int32) postC {
	c := postC{
		postRules: postRules{
			dem:     packDemand(EffectiveDemand(p)),
			closes:  dayNumber(p.ClosesOn),
			wage:    int32(min(max(p.MonthlyWage, 0), math.MaxInt32)),
			weekly:  uint16(min(max(p.Hours.Weekly, 0), math.MaxUint16)),
			ess:     dimensionMask(p.EssentialDemands),
			offered: postOffers(p),
			flags:   workMode(p.WorkMode),
		},
		lat: p.Site.Lat, lon: p.Site.Lon, cosLat: cosLat(p.Site.Lat),
		slot: slot,
		open: p.Status == "open",
	}
	if p.Site.StepFree {
		c.flags |= postStepFree
	}
	if p.Hours.NightShift {
		c.flags |= postNight
	}
	if len(p.Skills) > 0 {
		c.skills = make([]pskill, 0, len(p.Skills))
		for _, s := range p.Skills {
			id, ok := code(s.Code)
			if !ok {
				continue
			}
			lv := min(max(s.Level, 1), 3)
			c.skills = append(c.skills, pskill{code: id, level: int8(lv), need: skillNeed(lv), required: s.Required})
		}
	}
	exact, listExact := true, true
	for _, s := range c.skills {
		bit := uint64(1) << (s.code % maskCodes)
		listExact = listExact && s.code < maskCodes
		c.listed |= bit
		if !s.required {
			continue
		}
		if s.code >= maskCodes || (c.req[0]|c.req[1])&bit != 0 {
			exact = false // a code beyond the mask, or listed twice
		}
		c.req[s.need-1] |= bit
	}
	if exact {
		c.flags |= postReqExact
	}
	if listExact {
		c.flags |= postListExact
	}
	return c
}

// classC is a class compiled for matching.
type classC struct {
	id, title        string
	lat, lon, cosLat float64
	dem              uint64
	skills           []qskill
	ends             int32
	open             bool // status open and a free seat
	mode             uint8
	offered          uint8
	stepFree         bool
}

func compileClass(c *Class, code codeOf) classC {
	k := classC{
		id: strings.Clone(c.ID), title: strings.Clone(c.Title),
		lat: c.Site.Lat, lon: c.Site.Lon, cosLat: cosLat(c.Site.Lat),
		dem:      packDemand(ClassEffectiveDemand(c)),
		ends:     dayNumber(c.Ends),
		open:     c.Status == "open" && c.Seats > c.SeatsTaken,
		mode:     workMode(c.Mode),
		offered:  classOffers(c),
		stepFree: c.Site.StepFree,
	}
	for _, s := range c.Skills {
		if id, ok := code(s.Code); ok {
			k.skills = append(k.skills, qskill{code: id, level: int8(min(max(s.Level, 1), 3))})
		}
	}
	return k
}

// seekerQ is a seeker compiled for matching (the query side of a match, and
// the stored form of a candidate).
type seekerQ struct {
	lat, lon, cosLat float64
	limit            [2]float64 // commute limit L for onsite and hybrid work
	reach            [2]float64 // km reachable within L, -1 when nothing is
	capP             uint64     // packed capacity
	has              [3]uint64  // skills held at level ≥ 1, ≥ 2, ≥ 3, see maskCodes
	skills           []qskill
	minWage          int32
	maxWeekly        int32
	slot             int32
	modes            uint8
	essential        uint8 // need masks
	wished           uint8
	strengths        uint8 // min(2, the distinct skills held at level ≥ 2): all the strengths factor needs of |T|
	stepFree         bool
	remoteOK         bool
	nightOK          bool
	hasExact         bool // every skill code held is below maskCodes
}

func compileSeeker(s *Seeker, code codeOf) seekerQ {
	q := seekerQ{
		lat: s.Home.Lat, lon: s.Home.Lon, cosLat: cosLat(s.Home.Lat),
		capP:      packCapacity(s.EffectiveAbilities()),
		minWage:   int32(min(max(s.Preferences.MinMonthlyWage, 0), math.MaxInt32)),
		maxWeekly: int32(max(s.Preferences.MaxWeeklyHours, 0)),
		modes:     modeMask(s.Mobility.Modes),
		stepFree:  s.NeedsStepFree(),
		remoteOK:  s.Mobility.RemoteOK,
		nightOK:   s.Preferences.NightShiftOK,
	}
	l := float64(s.Mobility.MaxCommuteMinutes)
	q.limit = [2]float64{l, l * HybridLimitFactor}
	q.reach = [2]float64{reachKm(q.limit[0], q.modes), reachKm(q.limit[1], q.modes)}
	for _, n := range s.Needs {
		if n.Essential {
			q.essential |= needBit(n.Code)
		} else {
			q.wished |= needBit(n.Code)
		}
	}
	q.wished &^= q.essential
	q.strengths = uint8(min(2, countStrengths(s.Skills)))
	for _, sk := range s.Skills {
		if id, ok := code(sk.Code); ok {
			q.skills = append(q.skills, qskill{code: id, level: int8(min(max(sk.Level, 0), 3))})
		}
	}
	q.hasExact = true
	for _, sk := range q.skills {
		bit := uint64(1) << (sk.code % maskCodes)
		q.hasExact = q.hasExact && sk.code < maskCodes
		if sk.level >= 1 {
			q.has[0] |= bit
		}
		if sk.level >= 2 {
			q.has[1] |= bit
		}
		if sk.level >= 3 {
			q.has[2] |= bit
		}
	}
	return q
}

// countStrengths counts the distinct skill codes held at level ≥ 2, whether or
// not any post or class uses them (|T| of the strengths factor).
func countStrengths(skills []SkillLevel) int {
	n := 0
	for i, sk := range skills {
		if sk.Level >= 2 && !slices.ContainsFunc(skills[:i], func(o SkillLevel) bool { return o.Code == sk.Code && o.Level >= 2 }) {
			n++
		}
	}
	return n
}

// have is the seeker's level of a skill: from the masks when they are exact,
// else from levels (see setLevels).
func (q *seekerQ) have(code uint32, levels []int8) int8 {
	if !q.hasExact {
		return levels[code]
	}
	if code >= maskCodes {
		return 0
	}
	return int8(q.has[0]>>code&1 + q.has[1]>>code&1 + q.has[2]>>code&1)
}

// setLevels writes the seeker's skill levels into a dense table indexed by skill code.
func (q *seekerQ) setLevels(levels []int8) {
	for _, s := range q.skills {
		if int(s.code) < len(levels) && s.level > levels[s.code] {
			levels[s.code] = s.level
		}
	}
}

// clearLevels undoes setLevels.
func (q *seekerQ) clearLevels(levels []int8) {
	for _, s := range q.skills {
		if int(s.code) < len(levels) {
			levels[s.code] = 0
		}
	}
}

// limitFor is the commute limit for a work mode.
func (q *seekerQ) limitFor(mode uint8) float64 {
	if mode == modeHybrid {
		return q.limit[1]
	}
	return q.limit[0]
}

// travelTo is the commute from the seeker's home to a site.
func (q *seekerQ) travelTo(lat, lon, cos float64) (float64, int8) {
	return travelMinutes(haversine(q.lat, q.lon, q.cosLat, lat, lon, cos), q.modes)
}

// The compiled fast path of the hard constraints: the Matcher's scans decide
// rule 1 by closing day and rule 2 by the geo grid themselves, and these
// decide rules 3–7 from the compact forms. Rules (rules.go) is the reference
// they must agree with; TestFastPathFollowsTheRules checks every pair.

// postAccess checks rules 3–6: step-free site, demands (an essential demand
// may not exceed the capacity at all), essential needs, hours.
func (q *seekerQ) postAccess(p *postRules) int {
	if q.stepFree && p.mode() != modeRemote && !p.is(postStepFree) {
		return RuleStepFree
	}
	if overDemand(q.capP, p.dem, p.ess) {
		return RuleDemand
	}
	if q.essential&^p.offered != 0 {
		return RuleNeeds
	}
	if (p.is(postNight) && !q.nightOK) || (q.maxWeekly > 0 && int32(p.weekly) > q.maxWeekly) {
		return RuleHours
	}
	return 0
}

// missingSkills counts the required skills below the level rule 7 needs.
func (q *seekerQ) missingSkills(p *postC, levels []int8) int {
	if n, ok := q.maskMissing(&p.postRules); ok {
		return n
	}
	return listMissing(p, levels)
}

// maskMissing counts the missing required skills from the masks alone, when they are exact.
func (q *seekerQ) maskMissing(p *postRules) (int, bool) {
	if !q.hasExact || !p.is(postReqExact) {
		return 0, false
	}
	return bits.OnesCount64(p.req[0]&^q.has[0]) + bits.OnesCount64(p.req[1]&^q.has[1]), true
}
