package engine

// This file holds the plain, unpruned application of the rules: every post,
// class or seeker is checked and scored in turn. It is the reference the
// Matcher's pruned search must equal (tests compare them) and the baseline of
// the benchmarks.

import "math"

// postHit scores a post that passes the hard constraints (or, for gaps, would).
func (q *seekerQ) postHit(p *postC, levels []int8, minutes float64, mode int8) hit {
	f := q.postFactors(p, levels)
	f.commute = commuteFactor(p.mode() == modeRemote, minutes, q.limitFor(p.mode()))
	return hit{f: f, score: f.score(), minutes: minutes, mode: mode}
}

// classHit scores a class that passes the hard constraints.
func (q *seekerQ) classHit(c *classC, levels []int8, minutes float64, mode int8) hit {
	f := q.classFactors(c, levels)
	f.commute = commuteFactor(c.mode == modeRemote, minutes, q.limitFor(c.mode))
	return hit{f: f, score: f.score(), minutes: minutes, mode: mode, id: c.id}
}

// rankClasses ranks classes for a seeker; classes are few, so the Matcher uses this plain loop too.
func (q *seekerQ) rankClasses(classes []classC, today int32, levels []int8, k int, excl *exclusions) []MatchResult {
	top := newTopK(k)
	for i := range classes {
		c := &classes[i]
		rule, minutes, mode := q.classVerdict(c, today)
		if rule != 0 {
			excl[rule]++
			continue
		}
		h := q.classHit(c, levels, minutes, mode)
		h.ref = int32(i)
		top.offer(h)
	}
	hits := top.sorted()
	out := make([]MatchResult, len(hits))
	for i := range hits {
		out[i] = q.classResult(&classes[hits[i].ref], &hits[i], levels)
	}
	return out
}

// bruteSeeker compiles a seeker against the skills that posts and classes use.
func bruteSeeker(s *Seeker, posts []*Post, classes []*Class) (seekerQ, *interner, []int8) {
	in := newInterner()
	for _, p := range posts {
		for _, sk := range p.Skills {
			in.intern(sk.Code)
		}
	}
	for _, c := range classes {
		for _, sk := range c.Skills {
			in.intern(sk.Code)
		}
	}
	q := compileSeeker(s, in.lookup)
	levels := make([]int8, len(in.names))
	q.setLevels(levels)
	return q, in, levels
}

// BruteForce ranks posts for a seeker by checking and scoring every one:
// the reference for Matcher.Matches.
func BruteForce(s *Seeker, posts []*Post, today string, limit int) *MatchResponse {
	q, in, levels := bruteSeeker(s, posts, nil)
	td := dayNumber(today)
	top := newTopK(matchLimit(limit))
	var excl exclusions
	compiled := make([]postC, len(posts))
	for i, p := range posts {
		c := compilePost(p, in.lookup, int32(i))
		compiled[i] = c
		rule, _, minutes, mode := q.postVerdict(&c, td, levels)
		if rule != 0 {
			excl[rule]++
			continue
		}
		h := q.postHit(&c, levels, minutes, mode)
		h.id, h.ref = p.ID, int32(i)
		top.offer(h)
	}
	hits := top.sorted()
	res := &MatchResponse{SeekerID: s.ID, Type: typeName(KindPost), Results: make([]MatchResult, len(hits)), Excluded: newExcluded(&excl)}
	for i := range hits {
		h := &hits[i]
		res.Results[i] = q.postResult(&compiled[h.ref], posts[h.ref].ID, posts[h.ref].Title, h, levels, in.codeOnly, forSeeker)
	}
	return res
}

// BruteForceClasses ranks classes for a seeker by checking and scoring every one.
func BruteForceClasses(s *Seeker, classes []*Class, today string, limit int) *MatchResponse {
	q, in, levels := bruteSeeker(s, nil, classes)
	compiled := make([]classC, len(classes))
	for i, c := range classes {
		compiled[i] = compileClass(c, in.lookup)
	}
	var excl exclusions
	results := q.rankClasses(compiled, dayNumber(today), levels, matchLimit(limit), &excl)
	return &MatchResponse{SeekerID: s.ID, Type: typeName(KindClass), Results: results, Excluded: newExcluded(&excl)}
}

// BruteForceCandidates ranks seekers for a post by checking and scoring every
// one that keep accepts (nil keeps all): the reference for Matcher.Candidates.
// Like the Matcher it leaves out erased files and seekers who are placed or inactive.
func BruteForceCandidates(p *Post, seekers []*Seeker, today string, limit int, keep func(*SeekerInfo) bool) *CandidatesResponse {
	in := newInterner()
	for _, sk := range p.Skills {
		in.intern(sk.Code)
	}
	pc := compilePost(p, in.lookup, 0)
	levels := make([]int8, len(in.names))
	td := dayNumber(today)
	top := newTopK(matchLimit(limit))
	var excl exclusions
	qs := make([]seekerQ, len(seekers))
	for i, s := range seekers {
		if !inPool(s) {
			continue
		}
		if keep != nil && !keep(&SeekerInfo{ID: s.ID, Street: s.Street, CounsellorID: s.CounsellorID, Status: s.Status, Consent: s.Consent.ShareWithEmployers}) {
			continue
		}
		q := compileSeeker(s, in.lookup)
		qs[i] = q
		q.setLevels(levels)
		rule, _, minutes, mode := q.postVerdict(&pc, td, levels)
		if rule != 0 {
			excl[rule]++
		} else {
			h := q.postHit(&pc, levels, minutes, mode)
			h.id, h.ref = s.ID, int32(i)
			top.offer(h)
		}
		q.clearLevels(levels)
	}
	hits := top.sorted()
	res := &CandidatesResponse{PostID: p.ID, Results: make([]MatchResult, len(hits)), Excluded: newExcluded(&excl)}
	for i := range hits {
		h := &hits[i]
		q := &qs[h.ref]
		q.setLevels(levels)
		res.Results[i] = q.postResult(&pc, h.id, "", h, levels, in.codeOnly, forCandidate)
		q.clearLevels(levels)
	}
	return res
}

// BruteForceGaps finds a seeker's gap posts and the classes that close them
// by checking every post and class: the reference for Matcher.Gaps.
func BruteForceGaps(s *Seeker, posts []*Post, classes []*Class, today string, limit int) *GapsResponse {
	q, in, levels := bruteSeeker(s, posts, classes)
	td := dayNumber(today)
	g := newGapSet(matchLimit(limit))
	compiled := make([]postC, len(posts))
	for i, p := range posts {
		c := compilePost(p, in.lookup, int32(i))
		compiled[i] = c
		rule, missing, minutes, mode := q.postVerdict(&c, td, levels)
		if rule != RuleSkills || missing > MaxGapSkills {
			continue
		}
		h := q.postHit(&c, levels, minutes, mode)
		h.id, h.ref, h.missing = p.ID, int32(i), missing
		g.add(&c, levels, h)
	}
	cc := make([]classC, len(classes))
	for i, c := range classes {
		cc[i] = compileClass(c, in.lookup)
	}
	post := func(h *hit) (*postC, string, string) {
		return &compiled[h.ref], posts[h.ref].ID, posts[h.ref].Title
	}
	results := q.buildGaps(g, post, cc, q.eligibleClasses(cc, td, levels), levels, in.codeOnly)
	return &GapsResponse{SeekerID: s.ID, Type: "gaps", Total: g.total, Results: results}
}

// Evaluation is the verdict of the rules on one seeker and one post or class:
// the first hard constraint broken (0 when none) and its name (Rules' Name for
// a post, ClassName for a class), the required skills missing, and the score
// and factors the match has, or would have without the broken rule.
type Evaluation struct {
	Rule    int            `json:"rule"`
	Why     *Note          `json:"why,omitempty"`
	Missing []MissingSkill `json:"missing,omitempty"`
	Result  MatchResult    `json:"result"`
}

// EvaluatePost applies the rules to one seeker and one post, e.g. to tell a
// counsellor why a post is not among the matches.
func EvaluatePost(s *Seeker, p *Post, today string) Evaluation {
	q, in, levels := bruteSeeker(s, []*Post{p}, nil)
	c := compilePost(p, in.lookup, 0)
	rule, _, minutes, mode := q.postVerdict(&c, dayNumber(today), levels)
	h := q.postHit(&c, levels, minutes, mode)
	ev := Evaluation{Rule: rule, Result: q.postResult(&c, p.ID, p.Title, &h, levels, in.codeOnly, forSeeker)}
	if rule > 0 {
		why := Rules[rule-1].Name // a copy: the table is not the caller's to change
		ev.Why = &why
	}
	ev.Result.CommuteMinutes = finite(ev.Result.CommuteMinutes)
	for _, sk := range c.skills {
		if have := levels[sk.code]; sk.required && have < sk.need {
			ev.Missing = append(ev.Missing, MissingSkill{Code: in.names[sk.code], Have: int(have), Need: int(sk.need), Level: int(sk.level)})
		}
	}
	return ev
}

// EvaluateClass applies the rules to one seeker and one class.
func EvaluateClass(s *Seeker, c *Class, today string) Evaluation {
	q, in, levels := bruteSeeker(s, nil, []*Class{c})
	k := compileClass(c, in.lookup)
	rule, minutes, mode := q.classVerdict(&k, dayNumber(today))
	h := q.classHit(&k, levels, minutes, mode)
	ev := Evaluation{Rule: rule, Result: q.classResult(&k, &h, levels)}
	if rule > 0 {
		why := Rules[rule-1].ClassName
		ev.Why = &why
	}
	ev.Result.CommuteMinutes = finite(ev.Result.CommuteMinutes)
	return ev
}

// finite stands -1 for an unreachable site's infinite commute, which JSON cannot carry.
func finite(minutes float64) float64 {
	if math.IsInf(minutes, 0) {
		return -1
	}
	return minutes
}
