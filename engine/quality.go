package engine

import (
	"slices"
	"sort"
)

// QualityTop is how many places of each seeker's ranking the quality report reads.
const QualityTop = 5

// QualityWatch names a pairing that should not happen — seekers Seeker accepts
// with a post Post accepts among their first Top matches — so the quality
// report can count how often it does (e.g. sighted seekers offered Braille work).
type QualityWatch struct {
	Name   string
	Top    int
	Seeker func(*Seeker) bool
	Post   func(*Post) bool
}

// WatchFigure is what the quality report found for one QualityWatch: of the
// Seekers it applies to, Hits had such a post among their first Top matches.
type WatchFigure struct {
	Name    string  `json:"name"`
	Top     int     `json:"top"`
	Seekers int     `json:"seekers"`
	Hits    int     `json:"hits"`
	Share   float64 `json:"share"`
}

// Quality measures whether rankings are ones a counsellor would accept, not
// only whether they are exact: how often the first match uses what the seeker
// does best (skills held at level ≥ 2), how often asking for no skills wins,
// how far scores spread over the first QualityTop places, and how long first
// matches' commutes are. Shares are 0–1; a share of nothing is 0.
type Quality struct {
	Seekers        int     `json:"seekers"`
	WithMatch      int     `json:"withMatch"`
	WithMatchShare float64 `json:"withMatchShare"`

	// Seekers holding a skill at level ≥ 2 who have a match, and how many of
	// them have a first match whose post lists (required or nice) one of those skills.
	WithStrengths      int     `json:"withStrengths"`
	StrengthsUsed      int     `json:"strengthsUsed"`
	StrengthsUsedShare float64 `json:"strengthsUsedShare"`

	// Open posts, and the share of them that list no skills: what an unbiased
	// ranking would give such posts.
	OpenPosts         int     `json:"openPosts"`
	OpenNoSkillsShare float64 `json:"openNoSkillsShare"`
	// First matches, and top-QualityTop places, whose post lists no skills.
	FirstNoSkillsShare float64 `json:"firstNoSkillsShare"`
	TopPlaces          int     `json:"topPlaces"`
	TopNoSkillsShare   float64 `json:"topNoSkillsShare"`

	// Ties: seekers with at least two matches whose first two scores are
	// equal; seekers with QualityTop matches whose top scores are all equal,
	// and the median of their first score minus their QualityTop-th.
	FirstTiedShare float64 `json:"firstTiedShare"`
	FullTop        int     `json:"fullTop"`
	TopEqualShare  float64 `json:"topEqualShare"`
	MedianTopGap   float64 `json:"medianTopGap"`

	// Commute of first matches in minutes (remote work counts 0), and the share that is remote.
	FirstCommuteMean   float64 `json:"firstCommuteMean"`
	FirstCommuteMedian float64 `json:"firstCommuteMedian"`
	FirstRemoteShare   float64 `json:"firstRemoteShare"`

	Watches []WatchFigure `json:"watches"`
}

// QualityTally accumulates the quality report one seeker's ranking at a time,
// so a large data set's responses need not be held at once.
type QualityTally struct {
	posts   map[string]*Post
	watches []QualityWatch
	q       Quality

	firstNoSkills, firstTied, twoOrMore, topNoSkills, topEqual int
	gaps, commutes                                             []float64
	remote                                                     int
	watchSeekers, watchHits                                    []int
}

// NewQualityTally starts a quality report over posts (the posts the rankings
// come from) with the given watches.
func NewQualityTally(posts []*Post, watches []QualityWatch) *QualityTally {
	t := &QualityTally{posts: make(map[string]*Post, len(posts)), watches: watches,
		watchSeekers: make([]int, len(watches)), watchHits: make([]int, len(watches))}
	noSkills := 0
	for _, p := range posts {
		t.posts[p.ID] = p
		if p.Status == "open" {
			t.q.OpenPosts++
			if len(p.Skills) == 0 {
				noSkills++
			}
		}
	}
	t.q.OpenNoSkillsShare = share(noSkills, t.q.OpenPosts)
	return t
}

// Strengths are the codes of the skills a seeker holds at level ≥ 2: what they
// do best (DESIGN §4, the strengths factor).
func Strengths(s *Seeker) []string {
	var out []string
	for _, sk := range s.Skills {
		if sk.Level >= 2 && !slices.Contains(out, sk.Code) {
			out = append(out, sk.Code)
		}
	}
	return out
}

// LookingForWork says whether a seeker is seeking work or in training: the
// seekers whose matches a counsellor searches, and whom the quality report reads.
func (s *Seeker) LookingForWork() bool { return inPool(s) }

// UsesAny says whether a post lists, required or nice, any of the skill codes.
func UsesAny(p *Post, codes []string) bool {
	for _, sk := range p.Skills {
		if slices.Contains(codes, sk.Code) {
			return true
		}
	}
	return false
}

// Add counts one seeker's ranked posts, best first (a MatchResponse's
// Results); only the first QualityTop are read. A result naming a post the
// tally was not given counts as a post that lists no skills.
func (t *QualityTally) Add(s *Seeker, ranked []MatchResult) {
	top := ranked[:min(len(ranked), QualityTop)]
	t.q.Seekers++
	for i, w := range t.watches {
		if !w.Seeker(s) {
			continue
		}
		t.watchSeekers[i]++
		for _, r := range top[:min(len(top), w.Top)] {
			if p := t.posts[r.ID]; p != nil && w.Post(p) {
				t.watchHits[i]++
				break
			}
		}
	}
	if len(top) == 0 {
		return
	}
	t.q.WithMatch++
	first := t.posts[top[0].ID]
	if st := Strengths(s); len(st) > 0 {
		t.q.WithStrengths++
		if first != nil && UsesAny(first, st) {
			t.q.StrengthsUsed++
		}
	}
	if first == nil || len(first.Skills) == 0 {
		t.firstNoSkills++
	}
	for _, r := range top {
		t.q.TopPlaces++
		if p := t.posts[r.ID]; p == nil || len(p.Skills) == 0 {
			t.topNoSkills++
		}
	}
	if len(top) >= 2 {
		t.twoOrMore++
		if top[0].Score == top[1].Score {
			t.firstTied++
		}
	}
	if len(top) == QualityTop {
		t.q.FullTop++
		if top[0].Score == top[QualityTop-1].Score {
			t.topEqual++
		}
		t.gaps = append(t.gaps, top[0].Score-top[QualityTop-1].Score)
	}
	minutes := max(0, top[0].CommuteMinutes)
	if first != nil && first.WorkMode == "remote" {
		minutes = 0
		t.remote++
	}
	t.commutes = append(t.commutes, minutes)
}

// Report returns the figures counted so far.
func (t *QualityTally) Report() Quality {
	q := t.q
	q.WithMatchShare = share(q.WithMatch, q.Seekers)
	q.StrengthsUsedShare = share(q.StrengthsUsed, q.WithStrengths)
	q.FirstNoSkillsShare = share(t.firstNoSkills, q.WithMatch)
	q.TopNoSkillsShare = share(t.topNoSkills, q.TopPlaces)
	q.FirstTiedShare = share(t.firstTied, t.twoOrMore)
	q.TopEqualShare = share(t.topEqual, q.FullTop)
	q.MedianTopGap = median(t.gaps)
	q.FirstCommuteMean = mean(t.commutes)
	q.FirstCommuteMedian = median(t.commutes)
	q.FirstRemoteShare = share(t.remote, q.WithMatch)
	q.Watches = make([]WatchFigure, len(t.watches))
	for i, w := range t.watches {
		q.Watches[i] = WatchFigure{Name: w.Name, Top: w.Top, Seekers: t.watchSeekers[i], Hits: t.watchHits[i],
			Share: share(t.watchHits[i], t.watchSeekers[i])}
	}
	return q
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// median is the middle value, or the mean of the two middle values; 0 of nothing.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
