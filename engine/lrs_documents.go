package engine

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"jobbridge/engine/xapi"
)

// DocumentKey names a document: its kind, the activity (state, activity
// profile), the agent (state, agent profile; an xapi.AgentKey), the
// registration (state) and its own id (stateId or profileId).
type DocumentKey struct {
	Kind, ActivityID, Agent, Registration, DocID string
}

// ID is the store's id of the document: a hash of the key, so any IRI or agent fits.
func (k DocumentKey) ID() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{k.Kind, k.ActivityID, k.Agent, strings.ToLower(k.Registration), k.DocID}, "\x00")))
	return hex.EncodeToString(sum[:])
}

// Precondition is a document write's If-Match and If-None-Match headers;
// Required says the write must carry one when the document exists (a PUT of
// an activity or agent profile, Communication 3.1).
type Precondition struct {
	IfMatch, IfNoneMatch string
	Required             bool
}

// EPRECONDITION is an If-Match or If-None-Match that does not hold (412 at the edge).
const EPRECONDITION = "precondition_failed"

func (p Precondition) check(old *Document) error {
	etag := ""
	if old != nil {
		etag = `"` + old.ETag + `"`
	}
	if p.IfMatch != "" && !tagMatches(p.IfMatch, etag) {
		return &Error{Code: EPRECONDITION, Message: "the document is not at the version If-Match names",
			Fields: []FieldError{{"If-Match", "does not match the document's ETag " + etag}}}
	}
	if p.IfNoneMatch != "" && old != nil && tagMatches(p.IfNoneMatch, etag) {
		return &Error{Code: EPRECONDITION, Message: "the document exists (If-None-Match)",
			Fields: []FieldError{{"If-None-Match", "matches the document's ETag " + etag}}}
	}
	if p.Required && old == nil && p.IfMatch == "" && p.IfNoneMatch == "" {
		return &Error{Code: EINVALID, Message: "a PUT of a profile says which version it replaces: If-Match with its ETag, or If-None-Match: * for a new one",
			Fields: []FieldError{{"If-Match", "or If-None-Match is required"}}}
	}
	if p.Required && old != nil && p.IfMatch == "" && p.IfNoneMatch == "" {
		return &Error{Code: ECONFLICT, Message: "the document exists: send If-Match with its ETag " + etag + " to overwrite it, or If-None-Match: * to create only",
			Fields: []FieldError{{"If-Match", "is required to overwrite a stored document"}}}
	}
	return nil
}

func tagMatches(header, etag string) bool {
	if etag == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || `"`+t+`"` == etag {
			return true
		}
	}
	return false
}

func (c LRSClient) readsDocument(d *Document) bool {
	return c.User.Role == RoleAdmin || d.Owner == c.User.ID
}

// Document reads a document the client may see.
func (l *LRS) Document(ctx context.Context, c LRSClient, k DocumentKey) (*Document, error) {
	d, err := l.store.GetDocument(ctx, k.ID())
	if err != nil {
		return nil, err
	}
	if !c.readsDocument(d) {
		return nil, Errorf(ENOTFOUND, "no such document")
	}
	return d, nil
}

// SaveDocument writes a document: replaced (PUT), or, with merge (POST),
// its JSON object merged into the stored one (both must be JSON objects).
func (l *LRS) SaveDocument(ctx context.Context, c LRSClient, k DocumentKey, contentType string, content []byte, merge bool, pre Precondition) (*Document, error) {
	if err := c.mayWrite(); err != nil {
		return nil, err
	}
	isJSON := strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "application/json")
	var incoming map[string]any
	if merge {
		v, err := xapi.Decode(content)
		m, isObj := v.(map[string]any)
		if err != nil || !isObj {
			return nil, lrsInvalid("body", "a POST merges a JSON object into the document: the body must be a JSON object")
		}
		incoming = m
	}
	d := &Document{ID: k.ID(), Kind: k.Kind, ActivityID: k.ActivityID, Agent: k.Agent, Registration: strings.ToLower(k.Registration),
		DocID: k.DocID, ContentType: contentType, Content: content, Updated: l.clock.Now(), Owner: c.User.ID}
	err := l.store.WriteDocument(ctx, d, func(old *Document) error {
		if old != nil && !c.readsDocument(old) {
			return Errorf(EFORBIDDEN, "this document belongs to another client")
		}
		if err := pre.check(old); err != nil {
			return err
		}
		defer func() { d.ETag = DocumentETag(d.Content) }()
		if !merge || old == nil {
			return nil
		}
		if !strings.HasPrefix(strings.ToLower(old.ContentType), "application/json") || !isJSON {
			return lrsInvalid("Content-Type", "a POST merges JSON documents only: the stored and the sent document must both be application/json")
		}
		v, err := xapi.Decode(old.Content)
		stored, isObj := v.(map[string]any)
		if err != nil || !isObj {
			return lrsInvalid("body", "the stored document is not a JSON object, so nothing can be merged into it")
		}
		for key, val := range incoming {
			stored[key] = val
		}
		d.Content = xapi.Encode(stored)
		d.Owner = old.Owner
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, l.index.PutDocuments(ctx, []*Document{d}, 0)
}

// DeleteDocument deletes one document (a tombstone stays for other processes' directories).
func (l *LRS) DeleteDocument(ctx context.Context, c LRSClient, k DocumentKey, pre Precondition) error {
	if err := c.mayWrite(); err != nil {
		return err
	}
	return l.deleteDocument(ctx, c, k.ID(), pre)
}

func (l *LRS) deleteDocument(ctx context.Context, c LRSClient, id string, pre Precondition) error {
	d := &Document{ID: id, Deleted: true, Updated: l.clock.Now(), Owner: c.User.ID}
	found := true
	err := l.store.WriteDocument(ctx, d, func(old *Document) error {
		if old == nil {
			found = false
			return Errorf(ENOTFOUND, "no such document")
		}
		if !c.readsDocument(old) {
			return Errorf(ENOTFOUND, "no such document")
		}
		d.Kind, d.ActivityID, d.Agent, d.Registration, d.DocID = old.Kind, old.ActivityID, old.Agent, old.Registration, old.DocID
		return pre.check(old)
	})
	if !found {
		return nil // deleting what is not there is done
	}
	if err != nil {
		return err
	}
	return l.index.PutDocuments(ctx, []*Document{d}, 0)
}

// DeleteDocuments deletes every document of a kind, activity, agent and registration the client may see.
func (l *LRS) DeleteDocuments(ctx context.Context, c LRSClient, kind, activityID, agent, registration string) error {
	if err := c.mayWrite(); err != nil {
		return err
	}
	list, err := l.index.ListDocuments(ctx, kind, activityID, agent, strings.ToLower(registration), time.Time{})
	if err != nil {
		return err
	}
	for _, info := range list {
		if err := l.deleteDocument(ctx, c, info.ID, Precondition{}); err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
	}
	return nil
}

// DocumentIDs lists the ids of the documents of a kind, activity, agent and
// registration the client may see, updated after since (zero: all).
func (l *LRS) DocumentIDs(ctx context.Context, c LRSClient, kind, activityID, agent, registration string, since time.Time) ([]string, error) {
	list, err := l.index.ListDocuments(ctx, kind, activityID, agent, strings.ToLower(registration), since)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, info := range list {
		if c.User.Role == RoleAdmin || info.Owner == c.User.ID {
			out = append(out, info.DocID)
		}
	}
	return out, nil
}

// DocumentETag is a content's entity tag: its hex SHA-1.
func DocumentETag(content []byte) string {
	sum := sha1.Sum(content)
	return hex.EncodeToString(sum[:])
}
