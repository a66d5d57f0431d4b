package lrs

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// hashMatches says whether sha is the hex SHA-2 (224, 256, 384 or 512) of content.
func hashMatches(sha string, content []byte) bool {
	var sum []byte
	switch len(sha) {
	case 56:
		s := sha256.Sum224(content)
		sum = s[:]
	case 64:
		s := sha256.Sum256(content)
		sum = s[:]
	case 96:
		s := sha512.Sum384(content)
		sum = s[:]
	case 128:
		s := sha512.Sum512(content)
		sum = s[:]
	default:
		return false
	}
	return strings.EqualFold(hex.EncodeToString(sum), sha)
}

// docParams are each document resource's parameters: the one naming the
// document, and those naming where it is.
var docParams = map[string]struct {
	id    string
	where []string
}{
	engine.DocState:           {"stateId", []string{"activityId", "agent", "registration"}},
	engine.DocActivityProfile: {"profileId", []string{"activityId"}},
	engine.DocAgentProfile:    {"profileId", []string{"agent"}},
}

// documentKey reads a document resource's parameters; the document's own id may be absent (a list or a clear).
func documentKey(kind string, q url.Values, extra ...string) (engine.DocumentKey, error) {
	p := docParams[kind]
	if err := checkParams(q, append(append([]string{p.id}, p.where...), extra...)...); err != nil {
		return engine.DocumentKey{}, err
	}
	k := engine.DocumentKey{Kind: kind, DocID: q.Get(p.id)}
	for _, name := range p.where {
		s, has := q.Get(name), q.Has(name)
		switch name {
		case "activityId":
			if !has {
				return k, invalid(name, "is required")
			}
			if !xapi.IsIRI(s) {
				return k, invalid(name, "must be an IRI")
			}
			k.ActivityID = s
		case "agent":
			if !has {
				return k, invalid(name, "is required")
			}
			v, err := xapi.Decode([]byte(s))
			if err != nil {
				return k, invalid("agent", "must be an Agent as JSON: "+err.Error())
			}
			if probs := xapi.CheckAgent(v); len(probs) > 0 {
				return k, invalid(strings.TrimSuffix("agent."+probs[0].Field, "."), probs[0].Message)
			}
			k.Agent = xapi.AgentKey(v)
		case "registration":
			if has && !xapi.IsUUID(s) {
				return k, invalid(name, "must be a UUID")
			}
			k.Registration = strings.ToLower(s)
		}
	}
	return k, nil
}

func precondition(r *http.Request, kind string) engine.Precondition {
	return engine.Precondition{IfMatch: r.Header.Get("If-Match"), IfNoneMatch: r.Header.Get("If-None-Match"),
		Required: r.Method == http.MethodPut && kind != engine.DocState}
}

// getDocument answers one document, or, without its id, the ids stored (since= filters by update).
func (h *Handler) getDocument(kind string) func(http.ResponseWriter, *http.Request, engine.LRSClient) error {
	return func(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
		q := r.URL.Query()
		k, err := documentKey(kind, q, "since")
		if err != nil {
			return err
		}
		idName := docParams[kind].id
		if q.Has(idName) {
			if q.Has("since") {
				return invalid("since", "lists ids; it cannot be combined with "+idName)
			}
			d, err := h.LRS.Document(r.Context(), c, k)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", d.ContentType)
			w.Header().Set("ETag", `"`+d.ETag+`"`)
			w.Header().Set("Last-Modified", d.Updated.UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(d.Content)
			return nil
		}
		var since time.Time
		if s := q.Get("since"); q.Has("since") {
			t, ok := xapi.ParseTimestamp(s)
			if !ok {
				return invalid("since", "must be an ISO 8601 timestamp with a zone")
			}
			since = t
		}
		ids, err := h.LRS.DocumentIDs(r.Context(), c, kind, k.ActivityID, k.Agent, k.Registration, since)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, ids)
		return nil
	}
}

// saveDocument stores a document (PUT replaces, POST merges JSON) and answers 204.
func (h *Handler) saveDocument(kind string, merge bool) func(http.ResponseWriter, *http.Request, engine.LRSClient) error {
	return func(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
		q := r.URL.Query()
		k, err := documentKey(kind, q)
		if err != nil {
			return err
		}
		if k.DocID == "" {
			return invalid(docParams[kind].id, "is required")
		}
		body, err := readBody(r)
		if err != nil {
			return err
		}
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		d, err := h.LRS.SaveDocument(r.Context(), c, k, ct, body, merge, precondition(r, kind))
		if err != nil {
			return err
		}
		w.Header().Set("ETag", `"`+d.ETag+`"`)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// deleteDocument deletes one document, or (state only) every state of the activity and agent.
func (h *Handler) deleteDocument(kind string) func(http.ResponseWriter, *http.Request, engine.LRSClient) error {
	return func(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
		q := r.URL.Query()
		k, err := documentKey(kind, q)
		if err != nil {
			return err
		}
		switch {
		case k.DocID != "":
			err = h.LRS.DeleteDocument(r.Context(), c, k, precondition(r, kind))
		case kind == engine.DocState:
			err = h.LRS.DeleteDocuments(r.Context(), c, kind, k.ActivityID, k.Agent, k.Registration)
		default:
			err = invalid(docParams[kind].id, "is required")
		}
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// getActivity answers the stored definition of an activity.
func (h *Handler) getActivity(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
	q := r.URL.Query()
	if err := checkParams(q, "activityId"); err != nil {
		return err
	}
	id := q.Get("activityId")
	if !q.Has("activityId") {
		return invalid("activityId", "is required")
	}
	if !xapi.IsIRI(id) {
		return invalid("activityId", "must be an IRI")
	}
	a, err := h.LRS.Activity(r.Context(), id)
	if engine.ErrorCode(err) == engine.ENOTFOUND {
		writeJSON(w, http.StatusOK, map[string]any{"objectType": "Activity", "id": id})
		return nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a)
	return nil
}

// getAgent answers the Person object of an agent: what this LRS knows of
// them is the identity given (it merges no identities).
func (h *Handler) getAgent(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
	q := r.URL.Query()
	if err := checkParams(q, "agent"); err != nil {
		return err
	}
	if !q.Has("agent") {
		return invalid("agent", "is required")
	}
	v, err := xapi.Decode([]byte(q.Get("agent")))
	if err != nil {
		return invalid("agent", "must be an Agent as JSON: "+err.Error())
	}
	if probs := xapi.CheckAgent(v); len(probs) > 0 {
		return invalid(strings.TrimSuffix("agent."+probs[0].Field, "."), probs[0].Message)
	}
	m := v.(map[string]any)
	person := map[string]any{"objectType": "Person"}
	for _, k := range []string{"name", "mbox", "mbox_sha1sum", "openid", "account"} {
		if x, ok := m[k]; ok {
			person[k] = []any{x}
		}
	}
	writeJSON(w, http.StatusOK, person)
	return nil
}
