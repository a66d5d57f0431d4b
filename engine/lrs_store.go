package engine

import (
	"context"
	"time"

	"jobbridge/engine/xapi"
)

// Statement is an xAPI statement as the LRS keeps it: the statement as
// stored (Body: with its id, stored, authority, version and timestamp), who
// sent it, whether it is voided, and what it meant for training progress.
type Statement struct {
	ID     string    `json:"id" bson:"_id"` // lower case
	Rev    int64     `json:"rev" bson:"rev"`
	Stored time.Time `json:"stored" bson:"stored"`
	Body   string    `json:"-" bson:"body"`
	// SentHash is the SHA-256 of the statement as it was sent (with its id),
	// so that sending it again is told from sending another under its id.
	SentHash    string   `json:"-" bson:"sentHash"`
	Voided      bool     `json:"voided,omitempty" bson:"-"` // from the index, which follows the voiding statements
	Owner       string   `json:"owner" bson:"owner"`        // the user whose credential or session sent it
	Credential  string   `json:"credential,omitempty" bson:"credential,omitempty"`
	Attachments []string `json:"-" bson:"attachments,omitempty"` // sha2 of the attachment contents held
	Match       Match    `json:"match" bson:"match"`
}

// Match is what a statement means for progress: the enrollment and module
// it maps to, or why it maps to none (it is then "unmatched").
type Match struct {
	EnrollmentID string `json:"enrollmentId,omitempty" bson:"enrollmentId,omitempty"`
	SeekerID     string `json:"seekerId,omitempty" bson:"seekerId,omitempty"`
	ClassID      string `json:"classId,omitempty" bson:"classId,omitempty"`
	ModuleID     string `json:"moduleId,omitempty" bson:"moduleId,omitempty"`
	Unmatched    string `json:"unmatched,omitempty" bson:"unmatched,omitempty"`
}

// Attachment is the content of a statement attachment, kept once per hash.
type Attachment struct {
	SHA2        string `bson:"_id"`
	ContentType string `bson:"contentType"`
	Content     []byte `bson:"content"`
}

// Document kinds of the LRS's document resources.
const (
	DocState           = "state"
	DocActivityProfile = "activityProfile"
	DocAgentProfile    = "agentProfile"
)

// Document is a state, activity profile or agent profile document.
type Document struct {
	ID           string    `bson:"_id"` // DocumentKey.ID()
	Rev          int64     `bson:"rev"`
	Kind         string    `bson:"kind"`
	ActivityID   string    `bson:"activityId,omitempty"`
	Agent        string    `bson:"agent,omitempty"` // xapi.AgentKey
	Registration string    `bson:"registration,omitempty"`
	DocID        string    `bson:"docId"`
	ContentType  string    `bson:"contentType"`
	Content      []byte    `bson:"content"`
	ETag         string    `bson:"etag"` // hex SHA-1 of the content
	Updated      time.Time `bson:"updated"`
	Owner        string    `bson:"owner"`
	Deleted      bool      `bson:"deleted,omitempty"` // a tombstone, so the directory of other processes follows
}

// Credential is an LRS key/secret pair an admin issued to a user.
type Credential struct {
	Key        string    `json:"key" bson:"_id"`
	Name       string    `json:"name" bson:"name"`
	UserID     string    `json:"userId" bson:"userId"`
	SecretHash string    `json:"-" bson:"secretHash"` // hex SHA-256 of the secret
	CreatedAt  time.Time `json:"createdAt" bson:"createdAt"`
	CreatedBy  string    `json:"createdBy" bson:"createdBy"`
	// ExpiresAt ends a cmi5 launch session's credential (zero: never).
	ExpiresAt time.Time `json:"expiresAt,omitzero" bson:"expiresAt,omitempty"`
}

// LRSStore keeps what the LRS stores, by _id only (the StatementIndex answers
// every query): statements, attachments, activity definitions, documents and
// credentials.
type LRSStore interface {
	// InsertStatements stores new statements, each with a rev from one counter
	// update (set on them), and returns the ids stored already; those are left as they were.
	InsertStatements(ctx context.Context, sts []*Statement) (map[string]bool, error)
	// GetStatements loads statements by id; absent ones are left out.
	GetStatements(ctx context.Context, ids []string) (map[string]*Statement, error)
	// EachStatement calls fn for every statement with rev > since, in rev order.
	EachStatement(ctx context.Context, since int64, fn func(*Statement) error) error
	// LastWritten is the highest rev a statement and a document write took
	// (recorded before the write), so a start-up knows without reading the
	// collections whether the index has anything to catch up.
	LastWritten(ctx context.Context) (statements, documents int64, err error)
	// PutAttachments stores attachment contents (a hash stored already is kept).
	PutAttachments(ctx context.Context, as []*Attachment) error
	// GetAttachment loads one attachment content; ENOTFOUND when absent.
	GetAttachment(ctx context.Context, sha2 string) (*Attachment, error)
	// PutActivities stores activity definitions by activity id (JSON of the Activity).
	PutActivities(ctx context.Context, defs map[string]string) error
	// GetActivity loads an activity's JSON; ENOTFOUND when absent.
	GetActivity(ctx context.Context, id string) (string, error)
	// GetDocument loads a document by id; ENOTFOUND when absent or deleted.
	GetDocument(ctx context.Context, id string) (*Document, error)
	// WriteDocument stores d (a new rev) after check accepted the stored
	// version (nil when there is none), in one step against other writers of it.
	WriteDocument(ctx context.Context, d *Document, check func(old *Document) error) error
	// EachDocument calls fn for every document (tombstones too) with rev > since.
	EachDocument(ctx context.Context, since int64, fn func(*Document) error) error
	// PutCredential stores a new credential; DeleteCredential removes one
	// (ENOTFOUND when absent); Credentials lists them all.
	PutCredential(ctx context.Context, c *Credential) error
	DeleteCredential(ctx context.Context, key string) error
	Credentials(ctx context.Context) ([]*Credential, error)
}

// StatementEntry is what the statement index holds of one statement.
type StatementEntry struct {
	Keys      xapi.Keys
	Rev       int64
	Stored    time.Time
	Owner     string
	SeekerID  string // the mapped seeker, for a trainee's own reads
	Unmatched bool
}

// StatementQuery is a query of GET /statements in the index's terms, with
// the reader's scope.
type StatementQuery struct {
	Agent             string // xapi.AgentKey
	RelatedAgents     bool
	Verb              string
	Activity          string
	RelatedActivities bool
	Registration      string // lower case
	Since, Until      time.Time
	Ascending         bool
	Limit             int
	// The scope: only statements sent by Owner, or mapped to SeekerID, or
	// unmatched ones (empty asks nothing).
	Owner     string
	SeekerID  string
	Unmatched bool
	// After continues a page: the position the previous page ended at.
	After []byte
}

// StatementIndex files statements by their keys and answers queries in
// stored order without reading the store; it keeps the last rev it holds, so
// it follows the store like the search index and can be rebuilt from it.
type StatementIndex interface {
	// AddStatements files entries (a voiding statement voids its target
	// unless that is a voiding statement itself) and stores mark as the last rev.
	AddStatements(ctx context.Context, entries []StatementEntry, mark int64) error
	// Lookup says which of ids are stored, whether each is voided and whether it voids another.
	Lookup(ctx context.Context, ids []string) (map[string]IndexedStatement, error)
	// QueryStatements answers ids in order and the position to continue from (nil at the end).
	QueryStatements(ctx context.Context, q StatementQuery) ([]string, []byte, error)
	// LastStatementRev is the last rev the index holds.
	LastStatementRev() (int64, error)
	// PutDocuments files documents in the directory (tombstones remove them), with mark as the last rev.
	PutDocuments(ctx context.Context, docs []*Document, mark int64) error
	// ListDocuments lists the document ids of a kind, activity, agent and
	// registration updated after since (zero: all).
	ListDocuments(ctx context.Context, kind, activityID, agent, registration string, since time.Time) ([]DocumentInfo, error)
	// LastDocumentRev is the last document rev the directory holds.
	LastDocumentRev() (int64, error)
}

// IndexedStatement is what the index knows of a stored statement.
type IndexedStatement struct {
	Voided  bool
	Voiding bool   // it voids another
	Owner   string // who sent it
}

// DocumentInfo is a document's entry in the directory.
type DocumentInfo struct {
	ID      string // the store's id
	DocID   string
	Updated time.Time
	Owner   string
}
