package engine

import "math/bits"

// Need bits, in the order of NeedCodes: a seeker's needs and what a post or
// class offers are bit masks over them.
const (
	needSignLanguage uint8 = 1 << iota
	needScreenReader
	needSeatedWork
	needFlexibleHours
	needQuietSpace
	needAccessibleToilet
	needJobCoach
	needLargePrint
)

func needBit(code string) uint8 {
	for i, c := range NeedCodes {
		if c == code {
			return 1 << i
		}
	}
	return 0
}

func needMask(codes []string) uint8 {
	var m uint8
	for _, c := range codes {
		m |= needBit(c)
	}
	return m
}

// needNames lists the need codes in a mask, in NeedCodes order.
func needNames(m uint8) []string {
	var out []string
	for i, c := range NeedCodes {
		if m&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// effect is what an accommodation does to demand: it lowers some dimensions
// (reductions add up) and caps others (the lowest cap wins).
type effect struct {
	reduce [NDims]int8
	cap    [NDims]int8 // -1: no cap
}

func newEffect() effect {
	var e effect
	for i := range e.cap {
		e.cap[i] = -1
	}
	return e
}

func (e *effect) lower(dim int, by int8) { e.reduce[dim] += by }

func (e *effect) capAt(dim int, v int8) {
	if e.cap[dim] < 0 || v < e.cap[dim] {
		e.cap[dim] = v
	}
}

// apply gives min(cap, max(0, demand − reductions)) on each dimension.
func (e *effect) apply(d Abilities) Abilities {
	var out Abilities
	for i, v := range d {
		v = max(0, v-e.reduce[i])
		if c := e.cap[i]; c >= 0 && v > c {
			v = c
		}
		out[i] = v
	}
	return out
}

// postEffect combines the effects of a post's accommodations (DESIGN §4).
func postEffect(offered uint8) effect {
	e := newEffect()
	if offered&needLargePrint != 0 {
		e.lower(DimVision, 1)
	}
	if offered&needFlexibleHours != 0 {
		e.lower(DimStamina, 1)
	}
	if offered&needJobCoach != 0 {
		e.lower(DimCognition, 1)
		e.lower(DimSocial, 1)
	}
	if offered&needQuietSpace != 0 {
		e.lower(DimStress, 1)
		e.lower(DimSocial, 1)
	}
	if offered&needSignLanguage != 0 {
		e.capAt(DimHearing, 1)
		e.capAt(DimSpeech, 1)
	}
	if offered&needScreenReader != 0 {
		e.capAt(DimVision, 1)
	}
	if offered&needSeatedWork != 0 {
		e.capAt(DimStanding, 0)
		e.capAt(DimWalking, 1)
	}
	return e
}

// classEffect combines the effects of a class's accessibility features (DESIGN §4).
func classEffect(features []string) effect {
	e := newEffect()
	for _, f := range features {
		switch f {
		case "captions":
			e.capAt(DimHearing, 1)
		case "sign-language":
			e.capAt(DimHearing, 1)
			e.capAt(DimSpeech, 1)
		case "screen-reader-materials":
			e.capAt(DimVision, 1)
		case "easy-read":
			e.lower(DimCognition, 1)
		}
	}
	return e
}

// EffectiveDemand is what a post asks of a worker once its accommodations have
// lowered or capped its demands, except on its essential demands: no
// accommodation lowers an essential function of the job.
func EffectiveDemand(p *Post) Abilities {
	stated := DemandProfile(p.Demands)
	e := postEffect(needMask(p.Accommodations))
	out := e.apply(stated)
	for _, name := range p.EssentialDemands {
		if i := DimensionIndex(name); i >= 0 {
			out[i] = stated[i]
		}
	}
	return out
}

// ClassEffectiveDemand is what a class asks of a trainee once its accessibility
// features have lowered or capped its demands.
func ClassEffectiveDemand(c *Class) Abilities {
	e := classEffect(c.Accessibility)
	return e.apply(DemandProfile(c.Demands))
}

// postOffers is the mask of needs a post meets: its accommodations, plus an
// accessible toilet at the site or at home for remote work.
func postOffers(p *Post) uint8 {
	m := needMask(p.Accommodations)
	if p.Site.AccessibleToilet || p.WorkMode == "remote" {
		m |= needAccessibleToilet
	}
	return m
}

// classOffers is the mask of needs a class meets through its accessibility features.
func classOffers(c *Class) uint8 {
	var m uint8
	for _, f := range c.Accessibility {
		switch f {
		case "sign-language":
			m |= needSignLanguage
		case "screen-reader-materials":
			m |= needScreenReader | needLargePrint
		case "easy-read":
			m |= needLargePrint
		}
	}
	if c.Site.AccessibleToilet || c.Mode == "remote" {
		m |= needAccessibleToilet
	}
	return m
}

// PostOffers says whether a post meets a need (DESIGN §4 "offered").
func PostOffers(p *Post, need string) bool {
	b := needBit(need)
	return b != 0 && postOffers(p)&b != 0
}

// ClassOffers says whether a class meets a need through its accessibility features.
func ClassOffers(c *Class, need string) bool {
	b := needBit(need)
	return b != 0 && classOffers(c)&b != 0
}

// Demand and capacity profiles are packed into one uint64, four bits per
// dimension, so the over-demand rule is a subtraction and a mask.
//
// A capacity nibble holds 8 + cap + 1 and a demand nibble holds the demand;
// capacity − demand then leaves in each nibble 8 + (cap + 1 − demand), which
// is always ≥ 5 (no borrow between nibbles). The guard bit 8 is cleared exactly
// when demand ≥ cap + 2 (rule 4), and the nibble is exactly 8 when the
// over-demand is exactly 1 (the fit factor).
const (
	nibbleGuards = 0x88888888888 // bit 3 of each of the 11 nibbles
	nibbleLows   = 0x11111111111 // bit 0 of each of the 11 nibbles
)

func clamp4(v int8) uint64 { return uint64(min(max(v, 0), 4)) }

func packDemand(a Abilities) uint64 {
	var x uint64
	for i, v := range a {
		x |= clamp4(v) << (4 * i)
	}
	return x
}

func packCapacity(a Abilities) uint64 {
	var x uint64
	for i, v := range a {
		x |= (9 + clamp4(v)) << (4 * i)
	}
	return x
}

// overDemand is rule 4: the demand exceeds the capacity by 2 or more on any
// dimension, or at all on an essential one (ess, bit i for dimension i).
// Adding 1 to the essential nibbles of the demand lowers their threshold to 1;
// a nibble then holds at most 5 and capacity − demand at least 4, still no borrow.
func overDemand(capacity, demand uint64, ess uint16) bool {
	return overDemand2(capacity, demand+nibbleOnes[0][ess&63]+nibbleOnes[1][ess>>6&31])
}

// nibbleOnes[0][m] has 1 in nibble i for each bit i of m (dimensions 0–5),
// nibbleOnes[1][m] the same for dimensions 6–10 (bit i of m for dimension 6 + i).
var nibbleOnes = func() (t [2][64]uint64) {
	for m := range 64 {
		for i := range 6 {
			if m&(1<<i) != 0 {
				t[0][m] |= 1 << (4 * i)
				t[1][m] |= 1 << (4 * (6 + i))
			}
		}
	}
	return t
}()

// overDemand2 says whether a demand exceeds the capacity by 2 or more on any dimension.
func overDemand2(capacity, demand uint64) bool {
	return (capacity-demand)&nibbleGuards != nibbleGuards
}

// overByOne is the mask of dimensions (bit i for dimension i) where the demand
// exceeds the capacity by exactly 1; valid only when overDemand2 is false.
func overByOne(capacity, demand uint64) uint16 {
	y := (capacity - demand) ^ nibbleGuards // each nibble: cap + 1 − demand, 0..5
	nz := (y | y>>1 | y>>2) & nibbleLows
	var m uint16
	for i := 0; i < NDims; i++ {
		if nz&(1<<(4*i)) == 0 {
			m |= 1 << i
		}
	}
	return m
}

// countOverByOne counts the dimensions where the demand exceeds the capacity by exactly 1.
func countOverByOne(capacity, demand uint64) int {
	y := (capacity - demand) ^ nibbleGuards
	return NDims - bits.OnesCount64((y|y>>1|y>>2)&nibbleLows)
}

// unpackDemand reverses packDemand.
func unpackDemand(x uint64) Abilities {
	var a Abilities
	for i := range a {
		a[i] = int8(x >> (4 * i) & 15)
	}
	return a
}
