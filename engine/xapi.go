package engine

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The xAPI 1.0.3 subset this service takes (DESIGN §6).
const (
	// XAPIVersion is the version this service speaks and answers in X-Experience-API-Version.
	XAPIVersion = "1.0.3"
	// VerbPrefix starts the ADL verb ids.
	VerbPrefix = "http://adlnet.gov/expapi/verbs/"
	// ProgressExtension is the cmi5 result extension that carries progress (integer 0–100).
	ProgressExtension = "https://w3id.org/xapi/cmi5/result/extensions/progress"
	// StatementSkew is how far in the future a statement's timestamp may be (clocks differ).
	StatementSkew = 2 * time.Minute
	// MaxStatements is the most statements one request may carry.
	MaxStatements = 500
)

// XAPIVerbs are the verbs accepted, by the last part of their ADL id.
var XAPIVerbs = []string{"progressed", "completed", "passed", "failed", "attempted", "initialized", "terminated"}

// XAPIVersionOK says whether a client's X-Experience-API-Version is one of 1.0.0–1.0.3.
func XAPIVersionOK(v string) bool {
	switch strings.TrimSpace(v) {
	case "1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3":
		return true
	}
	return false
}

// Statement is a stored xAPI statement: what this service read from it, and
// the statement itself as it was sent (Raw), which GET /xapi/statements returns.
type Statement struct {
	ID           string    `json:"id" bson:"_id"`
	SeekerID     string    `json:"seekerId" bson:"seekerId"`
	ClassID      string    `json:"classId" bson:"classId"`
	ModuleID     string    `json:"moduleId" bson:"moduleId"`
	Verb         string    `json:"verb" bson:"verb"`
	Progress     *int      `json:"progress,omitempty" bson:"progress,omitempty"`
	Completion   *bool     `json:"completion,omitempty" bson:"completion,omitempty"`
	Success      *bool     `json:"success,omitempty" bson:"success,omitempty"`
	Scaled       *float64  `json:"scaled,omitempty" bson:"scaled,omitempty"`
	Timestamp    time.Time `json:"timestamp" bson:"timestamp"`
	Stored       time.Time `json:"stored" bson:"stored"`
	EnrollmentID string    `json:"enrollmentId" bson:"enrollmentId"`
	Authority    string    `json:"authority" bson:"authority"` // the user who posted it
	Raw          string    `json:"-" bson:"raw"`
}

// Event is what the statement adds to its enrollment's log. Completed and
// passed mark the module complete (a passed assessment is done).
func (st *Statement) Event() ProgressEvent {
	return ProgressEvent{Statement: st.ID, Module: st.ModuleID, Verb: st.Verb, Progress: st.Progress,
		Completed: st.Verb == "completed" || st.Verb == "passed" || (st.Completion != nil && *st.Completion),
		Success:   st.Success, Score: st.Scaled, At: st.Timestamp}
}

// JSON is the statement as xAPI returns it: as sent, with its id, timestamp,
// stored time and version filled in.
func (st *Statement) JSON() json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(st.Raw), &m); err != nil || m == nil {
		m = map[string]json.RawMessage{}
	}
	set := func(k string, v any) {
		b, _ := json.Marshal(v)
		m[k] = b
	}
	set("id", st.ID)
	if _, ok := m["timestamp"]; !ok {
		set("timestamp", st.Timestamp.UTC().Format(time.RFC3339Nano))
	}
	set("stored", st.Stored.UTC().Format(time.RFC3339Nano))
	if _, ok := m["version"]; !ok {
		set("version", XAPIVersion)
	}
	b, _ := json.Marshal(m)
	return b
}

var (
	objectIDPattern = regexp.MustCompile(`^urn:jobbridge:class:([a-z0-9-]{1,64}):module:([a-z0-9-]{1,64})$`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// ObjectID is the activity id of a class module.
func ObjectID(classID, moduleID string) string {
	return "urn:jobbridge:class:" + classID + ":module:" + moduleID
}

// xStatement is the part of an xAPI statement this service reads; context is
// kept as sent, anything else is refused.
type xStatement struct {
	ID        string          `json:"id"`
	Actor     *xAgent         `json:"actor"`
	Verb      *xVerb          `json:"verb"`
	Object    *xObject        `json:"object"`
	Result    *xResult        `json:"result"`
	Context   json.RawMessage `json:"context"`
	Timestamp string          `json:"timestamp"`
	Version   string          `json:"version"`
}

type xAgent struct {
	ObjectType string    `json:"objectType"`
	Name       string    `json:"name"`
	Account    *xAccount `json:"account"`
}

type xAccount struct {
	HomePage string `json:"homePage"`
	Name     string `json:"name"`
}

type xVerb struct {
	ID      string            `json:"id"`
	Display map[string]string `json:"display"`
}

type xObject struct {
	ObjectType string          `json:"objectType"`
	ID         string          `json:"id"`
	Definition json.RawMessage `json:"definition"`
}

type xResult struct {
	Score      *xScore                    `json:"score"`
	Success    *bool                      `json:"success"`
	Completion *bool                      `json:"completion"`
	Response   string                     `json:"response"`
	Duration   string                     `json:"duration"`
	Extensions map[string]json.RawMessage `json:"extensions"`
}

type xScore struct {
	Scaled *float64 `json:"scaled"`
	Raw    *float64 `json:"raw"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
}

// ParseStatements reads the body of POST /xapi/statements: one statement or
// an array of them. It checks everything a statement says on its own (verb,
// object id, actor, ranges, timestamp against now); whether the class, module
// and enrollment exist is the Service's to check. Errors name the statement
// ([i] in an array) and the field.
func ParseStatements(body []byte, now time.Time) ([]*Statement, error) {
	var raw any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return nil, fieldErr("body", "is not valid JSON: "+err.Error())
	}
	if d.More() {
		return nil, fieldErr("body", "has data after the JSON value")
	}
	var items []json.RawMessage
	prefix := func(i int) string { return "" }
	switch raw.(type) {
	case map[string]any:
		items = []json.RawMessage{body}
	case []any:
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fieldErr("body", err.Error())
		}
		prefix = func(i int) string { return "[" + strconv.Itoa(i) + "]." }
	default:
		return nil, fieldErr("body", "must be a statement or an array of statements")
	}
	if len(items) == 0 {
		return nil, fieldErr("body", "holds no statement")
	}
	if len(items) > MaxStatements {
		return nil, fieldErr("body", fmt.Sprintf("holds %d statements; at most %d per request", len(items), MaxStatements))
	}
	var p Problems
	out := make([]*Statement, 0, len(items))
	for i, item := range items {
		st, probs := parseStatement(item, now)
		for _, f := range probs {
			p.Add(strings.TrimSuffix(prefix(i)+f.Field, "."), "%s", f.Message)
		}
		out = append(out, st)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func fieldErr(field, msg string) error {
	return &Error{Code: EINVALID, Message: "invalid statement", Fields: []FieldError{{field, msg}}}
}

func parseStatement(item json.RawMessage, now time.Time) (*Statement, Problems) {
	var p Problems
	var generic any
	d := json.NewDecoder(bytes.NewReader(item))
	d.UseNumber()
	if err := d.Decode(&generic); err != nil {
		p.Add("", "is not valid JSON")
		return nil, p
	}
	obj, ok := generic.(map[string]any)
	if !ok {
		p.Add("", "must be a JSON object")
		return nil, p
	}
	if field := OperatorKey(obj, "extensions"); field != "" {
		p.Add(field, "keys starting with $ (or containing . outside extensions) are not allowed")
		return nil, p
	}
	var x xStatement
	d = json.NewDecoder(bytes.NewReader(item))
	d.DisallowUnknownFields()
	if err := d.Decode(&x); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			p.Add(typeErr.Field, "has the wrong type (%s)", typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			p.Add(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "is not part of the xAPI subset this service takes")
		default:
			p.Add("", "%s", err.Error())
		}
		return nil, p
	}
	st := &Statement{Stored: now}
	compact := new(bytes.Buffer)
	if err := json.Compact(compact, item); err == nil {
		st.Raw = compact.String()
	}

	st.ID = strings.ToLower(x.ID)
	switch {
	case x.ID == "":
		st.ID = newUUID()
	case !uuidPattern.MatchString(st.ID):
		p.Add("id", "must be a UUID")
	}

	switch {
	case x.Actor == nil:
		p.Add("actor", "is required")
	case x.Actor.ObjectType != "" && x.Actor.ObjectType != "Agent":
		p.Add("actor.objectType", "must be Agent")
	case x.Actor.Account == nil:
		p.Add("actor.account", "is required: {homePage, name: the seeker id}")
	default:
		if u, err := url.Parse(x.Actor.Account.HomePage); err != nil || !u.IsAbs() {
			p.Add("actor.account.homePage", "must be an absolute URL")
		}
		if !ValidID(x.Actor.Account.Name) {
			p.Add("actor.account.name", "must be a seeker id")
		}
		st.SeekerID = x.Actor.Account.Name
	}

	switch {
	case x.Verb == nil || x.Verb.ID == "":
		p.Add("verb.id", "is required")
	case !strings.HasPrefix(x.Verb.ID, VerbPrefix) || !slices.Contains(XAPIVerbs, strings.TrimPrefix(x.Verb.ID, VerbPrefix)):
		p.Add("verb.id", "unknown verb %q: one of %s%s", x.Verb.ID, VerbPrefix, strings.Join(XAPIVerbs, "|"))
	default:
		st.Verb = strings.TrimPrefix(x.Verb.ID, VerbPrefix)
	}

	switch {
	case x.Object == nil || x.Object.ID == "":
		p.Add("object.id", "is required")
	case x.Object.ObjectType != "" && x.Object.ObjectType != "Activity":
		p.Add("object.objectType", "must be Activity")
	default:
		m := objectIDPattern.FindStringSubmatch(x.Object.ID)
		if m == nil {
			p.Add("object.id", "malformed: must be urn:jobbridge:class:{classId}:module:{moduleId}")
		} else {
			st.ClassID, st.ModuleID = m[1], m[2]
		}
	}

	if r := x.Result; r != nil {
		if r.Score != nil && r.Score.Scaled != nil {
			if s := *r.Score.Scaled; s < 0 || s > 1 {
				p.Add("result.score.scaled", "must be between 0 and 1")
			} else {
				st.Scaled = &s
			}
		}
		st.Success, st.Completion = r.Success, r.Completion
		if v, ok := r.Extensions[ProgressExtension]; ok {
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			pr, err := int64(-1), dec.Decode(&n)
			if err == nil {
				pr, err = n.Int64()
			}
			if err != nil || pr < 0 || pr > 100 {
				p.Add("result.extensions."+ProgressExtension, "progress must be an integer from 0 to 100")
			} else {
				v := int(pr)
				st.Progress = &v
			}
		}
	}
	if st.Verb == "progressed" && st.Progress == nil && !p.has("result.extensions."+ProgressExtension) {
		p.Add("result.extensions", "a progressed statement carries its progress in %s", ProgressExtension)
	}
	if st.Success != nil && ((st.Verb == "passed" && !*st.Success) || (st.Verb == "failed" && *st.Success)) {
		p.Add("result.success", "contradicts the verb %s", st.Verb)
	}

	st.Timestamp = now
	if x.Timestamp != "" {
		ts, err := time.Parse(time.RFC3339Nano, x.Timestamp)
		switch {
		case err != nil:
			p.Add("timestamp", "must be an ISO 8601 time with a zone, e.g. 2026-09-01T10:00:00+08:00")
		case ts.After(now.Add(StatementSkew)):
			p.Add("timestamp", "is in the future (more than %s ahead of the server)", StatementSkew)
		default:
			st.Timestamp = ts
		}
	}
	if x.Version != "" && !XAPIVersionOK(x.Version) {
		p.Add("version", "must be 1.0.x")
	}
	return st, p
}

func (p Problems) has(field string) bool {
	return slices.ContainsFunc(p, func(f FieldError) bool { return f.Field == field })
}

// newUUID makes a random (version 4) UUID for a statement sent without an id.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
