package engine

import (
	"fmt"
	"time"
)

// Inbox item kinds.
const (
	InboxPassed     = "passed"      // a seeker passed a class; Matches lists the new matches
	InboxFailed     = "failed"      // a class ended without the seeker completing or passing it
	InboxInactive   = "inactive"    // no statement for 14 days while the class runs
	InboxNewMatches = "new-matches" // the nightly rematch found posts new to the seeker's top matches
	InboxWithdrawn  = "withdrawn"   // someone other than the seeker's counsellor withdrew them from a class
)

// InboxKinds are every kind of inbox item, in the order pages list them.
var InboxKinds = []string{InboxPassed, InboxFailed, InboxInactive, InboxWithdrawn, InboxNewMatches,
	InboxFollowUpDue, InboxFollowUpOverdue}

// InboxItem is a note to a counsellor about one of their seekers, written by
// the scheduled jobs (and by a withdrawal). Its id is derived from what it reports, so a job that
// runs twice writes it once.
type InboxItem struct {
	ID           string       `json:"id" bson:"_id"`
	CounsellorID string       `json:"counsellorId" bson:"counsellorId"`
	SeekerID     string       `json:"seekerId" bson:"seekerId"`
	SeekerName   string       `json:"seekerName,omitempty" bson:"seekerName,omitempty"`
	Kind         string       `json:"kind" bson:"kind"`
	EnrollmentID string       `json:"enrollmentId,omitempty" bson:"enrollmentId,omitempty"`
	ClassID      string       `json:"classId,omitempty" bson:"classId,omitempty"`
	ClassTitle   string       `json:"classTitle,omitempty" bson:"classTitle,omitempty"`
	Text         Note         `json:"text" bson:"text"`
	Matches      []InboxMatch `json:"matches,omitempty" bson:"matches,omitempty"`
	At           time.Time    `json:"at" bson:"at"`
	Rev          int64        `json:"rev" bson:"rev"`
}

// InboxMatch is a post named in an inbox item.
type InboxMatch struct {
	ID    string  `json:"id" bson:"id"`
	Title string  `json:"title" bson:"title"`
	Score float64 `json:"score" bson:"score"`
}

// MatchSet is the top matches a seeker was last told about, so that the
// rematch job and a passed class report only posts that are new. ScoreVersion
// is the score the set was ranked by: a set ranked by another version says
// nothing about what is new (a new score reorders everyone's matches).
type MatchSet struct {
	SeekerID     string    `json:"seekerId" bson:"_id"`
	Posts        []string  `json:"posts" bson:"posts"`
	ScoreVersion int       `json:"scoreVersion" bson:"scoreVersion"`
	At           time.Time `json:"at" bson:"at"`
}

// NewMatchSet is the match set of a seeker's ranked posts, under this engine's score version.
func NewMatchSet(seekerID string, results []MatchResult, at time.Time) *MatchSet {
	return &MatchSet{SeekerID: seekerID, Posts: MatchIDs(results), ScoreVersion: ScoreVersion, At: at}
}

// Current says whether the set was ranked by this engine's score version.
func (ms *MatchSet) Current() bool { return ms.ScoreVersion == ScoreVersion }

// NewMatches returns the results whose ids were not in the last set.
func (ms *MatchSet) NewMatches(results []MatchResult) []MatchResult {
	old := make(map[string]bool, len(ms.Posts))
	for _, id := range ms.Posts {
		old[id] = true
	}
	var out []MatchResult
	for _, r := range results {
		if !old[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// MatchIDs lists the ids of match results in order.
func MatchIDs(results []MatchResult) []string {
	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.ID
	}
	return ids
}

// InboxMatches turns match results into the posts an inbox item names.
func InboxMatches(results []MatchResult) []InboxMatch {
	out := make([]InboxMatch, len(results))
	for i, r := range results {
		out[i] = InboxMatch{ID: r.ID, Title: r.Title, Score: r.Score}
	}
	return out
}

// The notes about an enrollment, by what happened to it: the training-outcomes
// job files the first three, a withdrawal the last. Each id is made of the
// enrollment (and, for inactivity, the day), so one event is filed once. The
// caller sets whose inbox, the seeker, the enrollment and the time.

// PassedInboxItem says a seeker passed a class and names the posts that became matches.
func PassedInboxItem(enrollmentID string, c *Class, gained []MatchResult) *InboxItem {
	return &InboxItem{ID: "passed:" + enrollmentID, Kind: InboxPassed, Matches: InboxMatches(gained),
		Text: Note{Zh: fmt.Sprintf("通过「%s」— 新增 %d 个匹配岗位", c.Title, len(gained)),
			En: fmt.Sprintf("passed %s — %d new matches", c.Title, len(gained))}}
}

// FailedInboxItem says a class ended without the seeker passing it.
func FailedInboxItem(enrollmentID string, c *Class) *InboxItem {
	return &InboxItem{ID: "failed:" + enrollmentID, Kind: InboxFailed,
		Text: Note{Zh: fmt.Sprintf("未通过「%s」", c.Title), En: fmt.Sprintf("failed %s", c.Title)}}
}

// InactiveInboxItem says a trainee sent no statement for 14 days, found so at at.
func InactiveInboxItem(enrollmentID string, c *Class, at time.Time) *InboxItem {
	return &InboxItem{ID: "inactive:" + enrollmentID + ":" + at.In(Shanghai).Format(time.DateOnly), Kind: InboxInactive,
		Text: Note{Zh: fmt.Sprintf("「%s」已连续 14 天没有学习记录", c.Title), En: fmt.Sprintf("inactive for 14 days in %s", c.Title)}}
}

// WithdrawnInboxItem says someone other than the counsellor withdrew the seeker from a class.
func WithdrawnInboxItem(enrollmentID string, c *Class) *InboxItem {
	return &InboxItem{ID: "withdrawn:" + enrollmentID, Kind: InboxWithdrawn, EnrollmentID: enrollmentID,
		Text: Note{Zh: fmt.Sprintf("退出了「%s」", c.Title), En: fmt.Sprintf("withdrew from %s", c.Title)}}
}
