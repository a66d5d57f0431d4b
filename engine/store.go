package engine

import (
	_ "time/tzdata" // Asia/Shanghai on machines without zoneinfo

	"context"
	"slices"
	"time"
)

// Kind names a collection of records; it is also the `kind` of an NDJSON line.
type Kind string

// The record kinds.
const (
	KindSkill    Kind = "skill"
	KindSeeker   Kind = "seeker"
	KindEmployer Kind = "employer"
	KindPost     Kind = "post"
	KindClass    Kind = "class"
	KindUser     Kind = "user"
	// The history kinds: what happened to the records above. Enrollments,
	// referrals and placements are made by the Service's use cases (Enroll,
	// Refer, MoveReferral), statements by the LRS, inbox items by the jobs;
	// an import brings a history made elsewhere (HistoryKinds).
	KindEnrollment Kind = "enrollment"
	KindStatement  Kind = "statement" // an xAPI statement; not a Record
	KindReferral   Kind = "referral"
	KindPlacement  Kind = "placement"
	KindInbox      Kind = "inbox" // a counsellor's inbox item; not a Record
)

// Kinds lists the catalog kinds in dependency order: a record comes after the
// records it names (skills before seekers, seekers and employers before the
// users tied to them). Load and Poll follow them; the history kinds have their
// own in-memory state.
var Kinds = []Kind{KindSkill, KindEmployer, KindSeeker, KindPost, KindClass, KindUser}

// HistoryKinds lists the history kinds in dependency order, each after the
// records it names: enrollments (seekers, classes), their xAPI statements,
// referrals (seekers, posts), placements (hired referrals), inbox items.
var HistoryKinds = []Kind{KindEnrollment, KindStatement, KindReferral, KindPlacement, KindInbox}

// ImportKinds lists every kind an import takes, in import order: Kinds, then HistoryKinds.
var ImportKinds = append(slices.Clip(Kinds), HistoryKinds...)

// IndexedKinds are the kinds the search index and matching state follow through the change feed.
var IndexedKinds = []Kind{KindSeeker, KindPost, KindClass}

// NewRecord returns an empty record of a kind, or nil for an unknown kind.
func NewRecord(k Kind) Record {
	switch k {
	case KindSkill:
		return &Skill{}
	case KindSeeker:
		return &Seeker{}
	case KindEmployer:
		return &Employer{}
	case KindPost:
		return &Post{}
	case KindClass:
		return &Class{}
	case KindUser:
		return &User{}
	case KindEnrollment:
		return &Enrollment{}
	case KindReferral:
		return &Referral{}
	case KindPlacement:
		return &Placement{}
	}
	return nil
}

// Store is the system of record. Every write stamps the record with the next
// revision of the change feed and its time; reads by id are the only queries on
// hot paths (lists and searches go to the Index or in-memory state).
type Store interface {
	// Get loads the record of kind with id into r; ENOTFOUND when absent.
	Get(ctx context.Context, kind Kind, id string, r Record) error
	// Create inserts r (its ID set by the caller); ECONFLICT on a duplicate id or unique field.
	Create(ctx context.Context, kind Kind, r Record) error
	// CreateMany inserts new records of one kind in one batch; ECONFLICT when any
	// already exists (then some may be stored: put them one by one).
	CreateMany(ctx context.Context, kind Kind, rs []Record) error
	// ReplaceMany overwrites, in bulk, those of rs that are stored (whatever
	// their revs), as Replace does each, and returns the others untouched;
	// ECONFLICT when one changed meanwhile or a unique value is taken (then
	// some may be stored: put them one by one).
	ReplaceMany(ctx context.Context, kind Kind, rs []Record) (missing []Record, err error)
	// Replace overwrites the record with r's ID; ENOTFOUND when absent, ECONFLICT on a
	// unique field, and ECONFLICT when r carries a rev (the one it was read at)
	// that is no longer the stored one.
	Replace(ctx context.Context, kind Kind, r Record) error
	// Delete removes a record that is not followed by the change feed (users).
	Delete(ctx context.Context, kind Kind, id string) error
	// Each calls fn for every record of kind with rev > since, in rev order.
	Each(ctx context.Context, kind Kind, since int64, fn func(Record) error) error
	// UserByUsername finds a login; ENOTFOUND when absent.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// SeekerIDByResidentID finds the seeker holding a resident ID through its blind index.
	SeekerIDByResidentID(ctx context.Context, residentID string) (string, error)
	// CountUsers counts login accounts (zero on a first start).
	CountUsers(ctx context.Context) (int64, error)

	// SessionID is the id under which the session of a bearer token is
	// stored: a keyed HMAC of the token, so that writing to the database is
	// not enough to make a working session.
	SessionID(token string) string
	// PutSession stores a login session; GetSession loads it; DeleteSession revokes it.
	PutSession(ctx context.Context, s *Session) error
	GetSession(ctx context.Context, tokenHash string) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteUserSessions revokes every session of a user.
	DeleteUserSessions(ctx context.Context, userID string) error

	// Audit appends an entry to the audit log; AuditLog lists entries newest first.
	Audit(ctx context.Context, e *AuditEntry) error
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)

	// TrainingStore keeps seat claims, enrollments, xAPI statements and the inbox (training.go).
	TrainingStore
	// PlacementStore takes openings and moves referrals and placements atomically (outcomes.go).
	PlacementStore
}

// AuditQuery filters the audit log; Before pages on the entry id.
type AuditQuery struct {
	SeekerID string
	Actor    string
	Before   string
	Limit    int
}

// Index is the search index of posts, classes and seekers, kept in step with the
// store by the change feed.
type Index interface {
	// Apply indexes the records and, when mark is above the last rev, stores
	// mark as the rev up to which the index holds every write, in the same
	// batch (records may be none, to store a mark alone).
	Apply(ctx context.Context, kind Kind, records []Record, mark int64) error
	// LastRev is the last mark stored: the index holds every write up to it.
	LastRev() (int64, error)
	// Search runs a query.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// Close flushes and closes the index.
	Close() error
}

// SearchQuery is a search over one kind.
type SearchQuery struct {
	Text       string
	Type       Kind
	Street     string
	WorkMode   string
	Status     string
	Category   string // seekers: disability category
	EmployerID string // posts: only this employer's
	Near       *Geo
	Km         float64
	Facets     bool
	Limit      int
	Cursor     string
}

// SearchHit is one result: the record's id, its relevance and a few display fields.
type SearchHit struct {
	ID       string  `json:"id"`
	Kind     Kind    `json:"kind"`
	Score    float64 `json:"score"`
	Title    string  `json:"title"`
	Street   string  `json:"street,omitempty"`
	WorkMode string  `json:"workMode,omitempty"`
	Status   string  `json:"status,omitempty"`
}

// FacetCount is one value of a facet and how many results have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchResult is a page of hits, the total, optional facets and the cursor of the next page.
type SearchResult struct {
	Total      uint64                  `json:"total"`
	Hits       []SearchHit             `json:"results"`
	Facets     map[string][]FacetCount `json:"facets,omitempty"`
	NextCursor string                  `json:"nextCursor,omitempty"`
}

// Clock gives the current time; tests inject a fixed or moving one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Shanghai is the service's time zone: "today" is a date there.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Today returns the date in Asia/Shanghai as YYYY-MM-DD.
func Today(c Clock) string { return c.Now().In(Shanghai).Format(time.DateOnly) }
