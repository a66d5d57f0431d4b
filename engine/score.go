package engine

import (
	"math"
	"math/bits"
	"sort"
)

// The six score factors, as results name them.
const (
	FactorSkills         = "skills"
	FactorStrengths      = "strengths"
	FactorFit            = "fit"
	FactorCommute        = "commute"
	FactorAccommodations = "accommodations"
	FactorPreferences    = "preferences"
)

// ScoreVersion is the version of DESIGN §4's score the engine computes.
// Version 2 added the strengths factor and lowered the skills weight: under
// version 1 a post that asked for nothing scored as high as one built on what
// the seeker does best. Match sets kept under another version are not compared.
const ScoreVersion = 2

// Weights of the score factors (DESIGN §4, version 2); they add up to 1.
const (
	WeightSkills         = 0.25
	WeightStrengths      = 0.20
	WeightFit            = 0.20
	WeightCommute        = 0.15
	WeightAccommodations = 0.10
	WeightPreferences    = 0.10
)

// ScoreFactors lists the factors in DESIGN §4's order with their weights, so
// pages and reports name and weigh them as the engine does.
var ScoreFactors = []struct {
	Name   string
	Weight float64
}{
	{FactorSkills, WeightSkills}, {FactorStrengths, WeightStrengths}, {FactorFit, WeightFit},
	{FactorCommute, WeightCommute}, {FactorAccommodations, WeightAccommodations}, {FactorPreferences, WeightPreferences},
}

// factors are the six factor values of one match, each 0–1.
type factors struct{ skills, strengths, fit, commute, acc, pref float64 }

// Score is 100 × the weighted sum of the factors, each factor 0–1, so 0–100.
// Every result's Score equals Score(its factor values) exactly, and the
// conversions keep the compiler from fusing operations, so the value is the
// same on every platform and in every code path. Each term is monotone in its
// factor, so a score computed with a factor at its upper bound bounds the score.
func Score(skills, strengths, fit, commute, accommodations, preferences float64) float64 {
	return 100 * (float64(WeightSkills*skills) + float64(WeightStrengths*strengths) + float64(WeightFit*fit) +
		float64(WeightCommute*commute) + float64(WeightAccommodations*accommodations) + float64(WeightPreferences*preferences))
}

func (f *factors) score() float64 {
	return Score(f.skills, f.strengths, f.fit, f.commute, f.acc, f.pref)
}

// scoreBound is the highest score a match with these factors can have whatever
// its commute: rounding is monotone, so it is never below the score.
func (f *factors) scoreBound() float64 { return Score(f.skills, f.strengths, f.fit, 1, f.acc, f.pref) }

// skillRatio[have][level] = min(1, have/level), the credit for one skill.
var skillRatio = func() (t [4][4]float64) {
	for have := range 4 {
		for level := 1; level < 4; level++ {
			t[have][level] = math.Min(1, float64(have)/float64(level))
		}
	}
	return t
}()

func clampHave(v int8) int8 { return min(max(v, 0), 3) }

// postSkillsFactor is (Σ_required min(1, have/n) + 0.5 Σ_nice min(1, have/n)) /
// (n_required + 0.5 n_nice), 1 when the post lists no skills.
func (q *seekerQ) postSkillsFactor(ps []pskill, levels []int8) float64 {
	if len(ps) == 0 {
		return 1
	}
	var req, nice float64
	var nReq, nNice int
	for i := range ps {
		s := &ps[i]
		r := skillRatio[clampHave(q.have(s.code, levels))][s.level]
		if s.required {
			req += r
			nReq++
		} else {
			nice += r
			nNice++
		}
	}
	return (req + float64(0.5*nice)) / (float64(nReq) + float64(0.5*float64(nNice)))
}

// classSkillsFactor is the share of a class's taught skills the seeker has
// below the taught level: what they would gain. A class that lists no skills gains nothing.
func classSkillsFactor(cs []qskill, levels []int8) float64 {
	if len(cs) == 0 {
		return 0
	}
	gain := 0
	for _, s := range cs {
		if levels[s.code] < s.level {
			gain++
		}
	}
	return float64(gain) / float64(len(cs))
}

// strengthsFactor is min(1, used / min(|T|, 2)) for a seeker whose strengths T
// (skills held at level ≥ 2) number strengths, of which the post lists used;
// 1 when the seeker has none.
func strengthsFactor(used, strengths int) float64 {
	if strengths <= 0 {
		return 1
	}
	d := min(strengths, 2)
	return float64(min(used, d)) / float64(d)
}

// usedStrengths counts the seeker's strengths a post lists, required or nice:
// from the masks when they are exact, else from the skill list (a code listed
// twice counts once).
func (q *seekerQ) usedStrengths(p *postC, levels []int8) int {
	if n, ok := q.maskStrengths(&p.postRules); ok {
		return n
	}
	n := 0
	for i := range p.skills {
		if s := &p.skills[i]; q.have(s.code, levels) >= 2 && !listedBefore(p.skills[:i], s.code) {
			n++
		}
	}
	return n
}

// maskStrengths counts the seeker's strengths a post lists from the masks alone, when they are exact.
func (q *seekerQ) maskStrengths(p *postRules) (int, bool) {
	if !q.hasExact || !p.is(postListExact) {
		return 0, false
	}
	return bits.OnesCount64(q.has[1] & p.listed), true
}

func listedBefore(ps []pskill, code uint32) bool {
	for i := range ps {
		if ps[i].code == code {
			return true
		}
	}
	return false
}

// fitFactor is max(0, 1 − 0.2 × the dimensions with over-demand exactly 1).
func fitFactor(overByOne int) float64 { return math.Max(0, 1-float64(0.2*float64(overByOne))) }

// accFactor is the share of the seeker's non-essential needs offered, 1 when there are none.
func accFactor(wished, offered uint8) float64 {
	if wished == 0 {
		return 1
	}
	return float64(bits.OnesCount8(wished&offered)) / float64(bits.OnesCount8(wished))
}

// prefFactor is min(1, wage / minimum), 1 when the seeker sets no minimum.
func prefFactor(wage, minWage int32) float64 {
	if minWage <= 0 {
		return 1
	}
	return math.Min(1, float64(wage)/float64(minWage))
}

// postFactors are the factors of a post for a seeker, except the commute.
func (q *seekerQ) postFactors(p *postC, levels []int8) factors {
	return factors{
		skills:    q.postSkillsFactor(p.skills, levels),
		strengths: strengthsFactor(q.usedStrengths(p, levels), int(q.strengths)),
		fit:       fitFactor(countOverByOne(q.capP, p.dem)),
		acc:       accFactor(q.wished, p.offered),
		pref:      prefFactor(p.wage, q.minWage),
	}
}

// classFactors are the factors of a class for a seeker, except the commute;
// strengths and preferences do not apply to a class and are 1.
func (q *seekerQ) classFactors(c *classC, levels []int8) factors {
	return factors{
		skills:    classSkillsFactor(c.skills, levels),
		strengths: 1,
		fit:       fitFactor(countOverByOne(q.capP, c.dem)),
		acc:       accFactor(q.wished, c.offered),
		pref:      1,
	}
}

// hit is a scored candidate on its way into a top-k.
type hit struct {
	f       factors
	score   float64
	minutes float64
	id      string
	ref     int32 // slot, index or position of the record
	mode    int8  // travel mode index, -1 for remote
	missing int   // gaps: required skills missing
}

// better is the result order: score desc, commute minutes asc, id asc.
func better(a, b *hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.minutes != b.minutes {
		return a.minutes < b.minutes
	}
	return a.id < b.id
}

// topK keeps the k best hits; its root is the worst kept.
type topK struct {
	k int
	h []hit
}

func newTopK(k int) *topK { return &topK{k: k, h: make([]hit, 0, min(k, 1024))} }

func (t *topK) full() bool { return len(t.h) >= t.k }

// beats says whether a hit with this score bound could still enter (ties may win on commute or id).
func (t *topK) admits(bound float64) bool { return len(t.h) < t.k || bound >= t.h[0].score }

// hopeless says whether no hit with a score at most bound and a commute of at
// least minutes can enter a full top-k.
func (t *topK) hopeless(bound, minutes float64) bool {
	if len(t.h) < t.k {
		return false
	}
	w := &t.h[0]
	return bound < w.score || (bound == w.score && minutes > w.minutes)
}

func (t *topK) offer(x hit) {
	if t.k <= 0 {
		return
	}
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !better(&t.h[p], &t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if !better(&x, &t.h[0]) {
		return
	}
	t.h[0] = x
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && better(&t.h[w], &t.h[l]) {
			w = l
		}
		if r < len(t.h) && better(&t.h[w], &t.h[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

// sorted returns the kept hits best first.
func (t *topK) sorted() []hit {
	out := t.h
	sort.Slice(out, func(i, j int) bool { return better(&out[i], &out[j]) })
	return out
}
