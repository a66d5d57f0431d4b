package engine

import "strconv"

// Note is a short explanation for people, in Chinese and English.
type Note struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Factor is one part of a match score: its value 0–1 and what it means.
type Factor struct {
	Value float64 `json:"value"`
	Note  Note    `json:"note"`
}

// MatchResult is one ranked post, class or (for candidates) seeker. Score is
// exactly Score() of the factor values, unrounded, so clients can check it;
// round for display only.
type MatchResult struct {
	ID             string            `json:"id"`
	Title          string            `json:"title,omitempty"`
	Score          float64           `json:"score"`
	CommuteMinutes float64           `json:"commuteMinutes"`
	Factors        map[string]Factor `json:"factors"`
}

// Excluded counts the records a hard constraint kept out of the results,
// each under the first rule (by number) it breaks.
type Excluded struct {
	Total  int            `json:"total"`
	ByRule map[string]int `json:"byRule"`
}

func newExcluded(byRule *exclusions) Excluded {
	e := Excluded{ByRule: map[string]int{}}
	for r := 1; r < len(byRule); r++ {
		if n := byRule[r]; n > 0 {
			e.ByRule[strconv.Itoa(r)] = n
			e.Total += n
		}
	}
	return e
}

// MatchResponse is a seeker's ranked posts or classes (GET /seekers/{id}/matches).
type MatchResponse struct {
	SeekerID string        `json:"seekerId"`
	Type     string        `json:"type"` // posts or classes
	Results  []MatchResult `json:"results"`
	Excluded Excluded      `json:"excluded"`
}

// CandidatesResponse is a post's ranked seekers (GET /posts/{id}/candidates).
// Result IDs are seeker ids; the API decides what else a caller may see.
type CandidatesResponse struct {
	PostID   string        `json:"postId"`
	Results  []MatchResult `json:"results"`
	Excluded Excluded      `json:"excluded"`
}

// MissingSkill is a required skill a seeker lacks for a post: the level they
// have (0 = none), the level that would meet rule 7 (Need) and the level the post lists.
type MissingSkill struct {
	Code  string `json:"code"`
	Zh    string `json:"zh,omitempty"`
	En    string `json:"en,omitempty"`
	Have  int    `json:"have"`
	Need  int    `json:"need"`
	Level int    `json:"level"`
}

// GapClass is an open class the seeker can attend that teaches missing skills
// at the needed level: its match score for the seeker, which missing skills of
// this post it teaches, and how many of the seeker's gap posts it alone would
// unlock. ScoreAfter is the post's score once the seeker holds every skill the
// class teaches at the taught level (as the training-outcomes job adds them),
// and ClosesGap says whether the post then passes every hard constraint.
type GapClass struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Score      float64  `json:"score"`
	Teaches    []string `json:"teaches"`
	Unlocks    int      `json:"unlocks"`
	ScoreAfter float64  `json:"scoreAfter"`
	ClosesGap  bool     `json:"closesGap"`
}

// GapResult is a post the seeker misses only on skills (one or two), with the
// score they would have and the classes that close the gap.
type GapResult struct {
	MatchResult
	Missing []MissingSkill `json:"missing"`
	Classes []GapClass     `json:"classes"`
}

// GapsResponse is a seeker's training gaps (GET /seekers/{id}/gaps): Total
// counts every gap post, Results the best of them.
type GapsResponse struct {
	SeekerID string      `json:"seekerId"`
	Type     string      `json:"type"` // gaps
	Total    int         `json:"total"`
	Results  []GapResult `json:"results"`
}

// SeekerInfo is what the Matcher keeps about a seeker besides the matching
// profile, so a caller can filter candidates (consent, street) without another lookup.
type SeekerInfo struct {
	ID           string
	Street       string
	CounsellorID string
	Status       string
	Consent      bool
}

// DefaultMatchLimit is the number of results when a caller asks for none.
const DefaultMatchLimit = 20

func matchLimit(limit int) int {
	if limit <= 0 {
		return DefaultMatchLimit
	}
	return limit
}

func typeName(k Kind) string {
	if k == KindClass {
		return "classes"
	}
	return "posts"
}
