package engine

import "sort"

// MaxGapSkills is the most required skills a post may miss and still be a gap.
const MaxGapSkills = 2

// gapClassesPerPost is how many classes a gap result suggests.
const gapClassesPerPost = 3

// gapKey is what a gap post misses: up to two (code, needed level) pairs,
// sorted by code, the unused pair zero.
type gapKey [MaxGapSkills]qskill

func missingKey(p *postC, levels []int8) gapKey {
	var k gapKey
	n := 0
	for _, s := range p.skills {
		if s.required && levels[s.code] < s.need {
			if n < len(k) {
				k[n] = qskill{code: s.code, level: s.need}
			}
			n++
		}
	}
	if n >= 2 && k[1].code < k[0].code {
		k[0], k[1] = k[1], k[0]
	}
	return k
}

// teachesAt says whether a class teaches a skill at a level or above.
func (c *classC) teachesAt(code uint32, level int8) bool {
	for _, s := range c.skills {
		if s.code == code && s.level >= level {
			return true
		}
	}
	return false
}

// covered counts the pairs of k the class teaches at the needed level.
func (c *classC) covered(k *gapKey) (n, of int) {
	for _, m := range k {
		if m.level == 0 {
			continue
		}
		of++
		if c.teachesAt(m.code, m.level) {
			n++
		}
	}
	return n, of
}

// gapSet is what a scan for gaps collects: the best gap posts by the score
// they would have, and how many gap posts miss each combination of skills.
type gapSet struct {
	top   *topK
	keys  map[gapKey]int
	total int
}

func newGapSet(k int) *gapSet { return &gapSet{top: newTopK(k), keys: map[gapKey]int{}} }

func (g *gapSet) add(p *postC, levels []int8, h hit) {
	g.total++
	g.keys[missingKey(p, levels)]++
	g.top.offer(h)
}

// gapPost gives a gap hit's compact post, id and title.
type gapPost func(h *hit) (p *postC, id, title string)

// buildGaps turns a gap set into results: missing skills, and for each post up
// to three classes the seeker can attend that teach what is missing.
// eligible are the classes passing rules 1–5 for the seeker, scored.
func (q *seekerQ) buildGaps(g *gapSet, post gapPost, classes []classC, eligible []hit, levels []int8,
	names skillNames) []GapResult {
	unlocks := make(map[int32]int)
	unlocked := func(ci int32) int {
		if n, ok := unlocks[ci]; ok {
			return n
		}
		n := 0
		for k, cnt := range g.keys {
			if got, of := classes[ci].covered(&k); got == of {
				n += cnt
			}
		}
		unlocks[ci] = n
		return n
	}
	hits := g.top.sorted()
	out := make([]GapResult, 0, len(hits))
	for i := range hits {
		h := &hits[i]
		p, id, title := post(h)
		r := GapResult{MatchResult: q.postResult(p, id, title, h, levels, names, forSeeker), Missing: []MissingSkill{}, Classes: []GapClass{}}
		for _, s := range p.skills {
			if have := levels[s.code]; s.required && have < s.need {
				code, zh, en := names(s.code)
				r.Missing = append(r.Missing, MissingSkill{Code: code, Zh: zh, En: en, Have: int(have), Need: int(s.need), Level: int(s.level)})
			}
		}
		key := missingKey(p, levels)
		type option struct {
			h                *hit
			got, of, unlocks int
		}
		var opts []option
		for j := range eligible {
			e := &eligible[j]
			if got, of := classes[e.ref].covered(&key); got > 0 {
				opts = append(opts, option{h: e, got: got, of: of, unlocks: unlocked(e.ref)})
			}
		}
		sort.Slice(opts, func(a, b int) bool {
			x, y := &opts[a], &opts[b]
			if x.got != y.got {
				return x.got > y.got
			}
			if x.unlocks != y.unlocks {
				return x.unlocks > y.unlocks
			}
			return better(x.h, y.h)
		})
		for _, o := range opts[:min(len(opts), gapClassesPerPost)] {
			c := &classes[o.h.ref]
			gc := GapClass{ID: c.id, Title: c.title, Score: o.h.score, Unlocks: o.unlocks, Teaches: []string{}}
			gc.ScoreAfter, gc.ClosesGap = q.afterClass(p, c, h, levels)
			for _, s := range p.skills { // in the post's order
				if s.required && levels[s.code] < s.need && c.teachesAt(s.code, s.need) {
					code, _, _ := names(s.code)
					gc.Teaches = append(gc.Teaches, code)
				}
			}
			r.Classes = append(r.Classes, gc)
		}
		out = append(out, r)
	}
	return out
}

// afterClass is a gap post's score for the seeker once they hold every skill
// class c teaches at the taught level, as the training-outcomes job adds them
// (a level only rises), and whether the post then passes every hard
// constraint: it passes rules 1–6 already, so that is rule 7. h is the post's
// hit now; its commute, fit, accommodations and preferences do not change.
// levels holds the seeker's skill levels and is as it was on return.
func (q *seekerQ) afterClass(p *postC, c *classC, h *hit, levels []int8) (float64, bool) {
	l := *q
	saved := make([]int8, len(c.skills))
	for i, s := range c.skills {
		saved[i] = levels[s.code]
		l.learn(s, levels)
	}
	f := l.postFactors(p, levels)
	f.commute = h.f.commute
	closes := l.missingSkills(p, levels) == 0
	for i := len(c.skills) - 1; i >= 0; i-- {
		levels[c.skills[i].code] = saved[i]
	}
	return f.score(), closes
}

// learn raises the seeker's level of a skill to s.level (never lowers it), in
// the dense table levels and in the masks. q.skills is left as it was: a
// learnt seeker is only scored, not stored.
func (q *seekerQ) learn(s qskill, levels []int8) {
	old := levels[s.code]
	if s.level <= old {
		return
	}
	levels[s.code] = s.level
	if old < 2 && s.level >= 2 && q.strengths < 2 {
		q.strengths++
	}
	if s.code >= maskCodes {
		q.hasExact = false
		return
	}
	for lv := range s.level {
		q.has[lv] |= 1 << s.code
	}
}

// eligibleClasses scores every class that passes rules 1–5 for the seeker.
func (q *seekerQ) eligibleClasses(classes []classC, today int32, levels []int8) []hit {
	var out []hit
	for i := range classes {
		c := &classes[i]
		rule, minutes, mode := q.classVerdict(c, today)
		if rule != 0 {
			continue
		}
		h := q.classHit(c, levels, minutes, mode)
		h.ref = int32(i)
		out = append(out, h)
	}
	return out
}

// Gaps finds the posts a stored seeker misses only on skills (rule 7, one or
// two skills), ranked by the score they would have, each with the skills
// missing and up to three classes the seeker can attend that teach them.
func (m *Matcher) Gaps(seekerID string, limit int) (*GapsResponse, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	q, err := m.storedSeeker(seekerID)
	if err != nil {
		return nil, err
	}
	return m.gaps(&q, seekerID, limit), nil
}

// GapsSeeker is Gaps for a seeker record passed in.
func (m *Matcher) GapsSeeker(s *Seeker, limit int) *GapsResponse {
	m.mu.RLock()
	defer m.mu.RUnlock()
	q := compileSeeker(s, m.codes.lookup)
	return m.gaps(&q, s.ID, limit)
}

func (m *Matcher) gaps(q *seekerQ, seekerID string, limit int) *GapsResponse {
	sc := m.getScratch()
	defer m.putScratch(sc)
	q.setLevels(sc.levels)
	defer q.clearLevels(sc.levels)
	today := m.today()
	g := newGapSet(matchLimit(limit))
	var excl exclusions
	m.scanPosts(q, today, sc, nil, g, &excl)
	post := func(h *hit) (*postC, string, string) { return m.postAt(h.ref), h.id, m.posts[h.ref].title }
	results := q.buildGaps(g, post, m.classes, q.eligibleClasses(m.classes, today, sc.levels), sc.levels, m.skillName)
	return &GapsResponse{SeekerID: seekerID, Type: "gaps", Total: g.total, Results: results}
}
