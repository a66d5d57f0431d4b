package lrs

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// checkParams refuses parameters a resource does not know (names are case-sensitive).
func checkParams(q url.Values, known ...string) error {
	for k := range q {
		if !slices.Contains(known, k) {
			return invalid(k, "is not a parameter of this resource ("+strings.Join(known, ", ")+")")
		}
	}
	return nil
}

// readStatements reads a PUT or POST body: JSON, or multipart/mixed with the
// statements first and their attachments after, each part with its hash.
func readStatements(r *http.Request) (any, map[string]*engine.Attachment, error) {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return nil, nil, invalid("Content-Type", "must be application/json or multipart/mixed")
	}
	switch mt {
	case "application/json":
		body, err := readBody(r)
		if err != nil {
			return nil, nil, err
		}
		v, err := decodeStatements(body, "")
		return v, nil, err
	case "multipart/mixed":
		return readMultipart(r.Body, params["boundary"])
	}
	return nil, nil, invalid("Content-Type", "must be application/json or multipart/mixed, not "+mt)
}

// decodeStatements decodes the statements of a request after the shape part
// of the service's one rule (engine.CheckJSONShape: valid UTF-8, nesting and
// string sizes); what xAPI itself requires of them is checked later. what
// names the part of a multipart request in a message.
func decodeStatements(b []byte, what string) (any, error) {
	if field, problem := engine.CheckJSONShape(b); problem != "" {
		if field == "" {
			field = "body"
		}
		return nil, invalid(field, what+problem)
	}
	v, err := xapi.Decode(b)
	if err != nil {
		return nil, invalid("body", what+err.Error())
	}
	return v, nil
}

func readMultipart(body io.Reader, boundary string) (any, map[string]*engine.Attachment, error) {
	if boundary == "" {
		return nil, nil, invalid("Content-Type", "multipart/mixed needs a boundary")
	}
	mr := multipart.NewReader(body, boundary)
	first, err := mr.NextPart()
	if err != nil {
		return nil, nil, invalid("body", "multipart/mixed body has no statement part")
	}
	if mt, _, _ := mime.ParseMediaType(first.Header.Get("Content-Type")); mt != "application/json" {
		return nil, nil, invalid("body", "the first part of a multipart/mixed request must be the statements, application/json")
	}
	b, err := io.ReadAll(first)
	if err != nil {
		return nil, nil, invalid("body", "the statement part could not be read")
	}
	v, err := decodeStatements(b, "the statement part ")
	if err != nil {
		return nil, nil, err
	}
	parts := map[string]*engine.Attachment{}
	for i := 1; ; i++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, invalid("body", "multipart/mixed body could not be read: "+err.Error())
		}
		field := fmt.Sprintf("part[%d]", i)
		sha := p.Header.Get("X-Experience-API-Hash")
		if sha == "" {
			return nil, nil, invalid(field, "an attachment part needs X-Experience-API-Hash (its SHA-2)")
		}
		if enc := p.Header.Get("Content-Transfer-Encoding"); !strings.EqualFold(enc, "binary") {
			return nil, nil, invalid(field, "an attachment part needs Content-Transfer-Encoding: binary")
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, invalid(field, "could not be read")
		}
		if !hashMatches(sha, content) {
			return nil, nil, invalid(field, "its X-Experience-API-Hash is not the SHA-2 of its content")
		}
		parts[sha] = &engine.Attachment{SHA2: sha, ContentType: p.Header.Get("Content-Type"), Content: content}
	}
	return v, parts, nil
}

// putStatement stores one statement under ?statementId= and answers 204.
func (h *Handler) putStatement(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
	q := r.URL.Query()
	if err := checkParams(q, "statementId"); err != nil {
		return err
	}
	id := q.Get("statementId")
	if id == "" {
		return invalid("statementId", "is required: PUT stores the statement under this id")
	}
	if !xapi.IsUUID(id) {
		return invalid("statementId", "must be a UUID")
	}
	v, parts, err := readStatements(r)
	if err != nil {
		return err
	}
	if _, isObj := v.(map[string]any); !isObj {
		return invalid("body", "a PUT carries one statement (a JSON object)")
	}
	if _, err := h.LRS.Record(r.Context(), c, engine.StatementInput{Statements: []any{v}, PutID: id, Parts: parts}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// postStatements stores one statement or an array and answers their ids.
func (h *Handler) postStatements(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	v, parts, err := readStatements(r)
	if err != nil {
		return err
	}
	in, err := engine.StatementsIn(v)
	if err != nil {
		return err
	}
	in.Parts = parts
	ids, err := h.LRS.Record(r.Context(), c, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ids)
	return nil
}

var statementParams = []string{"statementId", "voidedStatementId", "agent", "verb", "activity", "registration", "related_activities",
	"related_agents", "since", "until", "limit", "format", "attachments", "ascending", "more"}

// getStatements answers GET and HEAD /statements: one statement by
// statementId or voidedStatementId, or a StatementResult page.
func (h *Handler) getStatements(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error {
	w.Header().Set("X-Experience-API-Consistent-Through", time.Now().UTC().Format(time.RFC3339Nano))
	q := r.URL.Query()
	if err := checkParams(q, statementParams...); err != nil {
		return err
	}
	if more := q.Get("more"); more != "" {
		if len(q) != 1 {
			return invalid("more", "a more link is followed as given, with no other parameter")
		}
		var err error
		if q, err = decodeMore(more); err != nil {
			return err
		}
	}
	format := q.Get("format")
	if format == "" {
		format = xapi.FormatExact
	}
	if !slices.Contains([]string{xapi.FormatExact, xapi.FormatIDs, xapi.FormatCanonical}, format) {
		return invalid("format", "must be exact, ids or canonical")
	}
	attachments, err := boolParam(q, "attachments")
	if err != nil {
		return err
	}
	langs := xapi.AcceptLanguages(r.Header.Get("Accept-Language"))
	for _, single := range []string{"statementId", "voidedStatementId"} {
		if !q.Has(single) {
			continue
		}
		for k := range q {
			if k != single && k != "format" && k != "attachments" {
				return invalid(k, "cannot be combined with "+single)
			}
		}
		id := q.Get(single)
		if !xapi.IsUUID(id) {
			return invalid(single, "must be a UUID")
		}
		st, err := h.LRS.Statement(r.Context(), c, id, single == "voidedStatementId")
		if err != nil {
			return err
		}
		doc, err := statementDoc(st, format, langs)
		if err != nil {
			return err
		}
		w.Header().Set("Last-Modified", st.Stored.UTC().Format(http.TimeFormat))
		return h.answer(w, r, doc, []*engine.Statement{st}, attachments)
	}
	sq, err := statementQuery(q)
	if err != nil {
		return err
	}
	sts, next, consistent, err := h.LRS.Statements(r.Context(), c, sq)
	if err != nil {
		return err
	}
	w.Header().Set("X-Experience-API-Consistent-Through", consistent.Format(time.RFC3339Nano))
	list := make([]any, len(sts))
	for i, st := range sts {
		if list[i], err = statementDoc(st, format, langs); err != nil {
			return err
		}
	}
	result := map[string]any{"statements": list, "more": ""}
	if next != nil {
		q.Del("more")
		result["more"] = Prefix + "/statements?more=" + encodeMore(q, next)
	}
	return h.answer(w, r, result, sts, attachments)
}

// answer writes a statement or a StatementResult: as JSON, or, with
// attachments, as multipart/mixed with the attachments' contents after it.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, v any, sts []*engine.Statement, attachments bool) error {
	if !attachments {
		writeJSON(w, http.StatusOK, v)
		return nil
	}
	var shas []string
	for _, st := range sts {
		for _, a := range st.Attachments {
			if !slices.Contains(shas, a) {
				shas = append(shas, a)
			}
		}
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	_, _ = part.Write(xapi.Encode(v))
	for _, sha := range shas {
		a, err := h.LRS.Attachment(r.Context(), sha)
		if err != nil {
			return err
		}
		part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {a.ContentType}, "Content-Transfer-Encoding": {"binary"},
			"X-Experience-API-Hash": {a.SHA2}})
		_, _ = part.Write(a.Content)
	}
	_ = mw.Close()
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

func statementDoc(st *engine.Statement, format string, langs []string) (any, error) {
	v, err := xapi.Decode([]byte(st.Body))
	if err != nil {
		return nil, fmt.Errorf("stored statement %s: %w", st.ID, err)
	}
	return xapi.Formatted(v.(map[string]any), format, langs), nil
}

func boolParam(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, invalid(name, "must be true or false")
}

// statementQuery reads the filter parameters of a statement query.
func statementQuery(q url.Values) (engine.StatementQuery, error) {
	var sq engine.StatementQuery
	if s := q.Get("agent"); q.Has("agent") {
		v, err := xapi.Decode([]byte(s))
		if err != nil {
			return sq, invalid("agent", "must be an Agent or identified Group as JSON: "+err.Error())
		}
		if probs := xapi.CheckAgent(v); len(probs) > 0 {
			return sq, invalid(strings.TrimSuffix("agent."+probs[0].Field, "."), probs[0].Message)
		}
		sq.Agent = xapi.AgentKey(v)
	}
	if s := q.Get("verb"); q.Has("verb") {
		if !xapi.IsIRI(s) {
			return sq, invalid("verb", "must be an IRI")
		}
		sq.Verb = s
	}
	if s := q.Get("activity"); q.Has("activity") {
		if !xapi.IsIRI(s) {
			return sq, invalid("activity", "must be an IRI")
		}
		sq.Activity = s
	}
	if s := q.Get("registration"); q.Has("registration") {
		if !xapi.IsUUID(s) {
			return sq, invalid("registration", "must be a UUID")
		}
		sq.Registration = strings.ToLower(s)
	}
	for _, p := range []struct {
		name string
		to   *time.Time
	}{{"since", &sq.Since}, {"until", &sq.Until}} {
		if s := q.Get(p.name); q.Has(p.name) {
			t, ok := xapi.ParseTimestamp(s)
			if !ok {
				return sq, invalid(p.name, "must be an ISO 8601 timestamp with a zone")
			}
			*p.to = t
		}
	}
	var err error
	for _, p := range []struct {
		name string
		to   *bool
	}{{"related_activities", &sq.RelatedActivities}, {"related_agents", &sq.RelatedAgents}, {"ascending", &sq.Ascending}} {
		if *p.to, err = boolParam(q, p.name); err != nil {
			return sq, err
		}
	}
	if s := q.Get("limit"); q.Has("limit") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return sq, invalid("limit", "must be a whole number (0: the server's page size)")
		}
		sq.Limit = min(n, maxPage)
	}
	if sq.Limit == 0 {
		sq.Limit = maxPage
	}
	if s := q.Get("after"); s != "" {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 16 {
			return sq, invalid("more", "is not a more link this LRS gave")
		}
		sq.After = b
	}
	return sq, nil
}

// maxPage is the most statements one page holds (and the page size of limit=0).
const maxPage = 100

// moreKey signs nothing: a more token is the query and the position, which
// a client could write itself without reading more than it may.
func encodeMore(q url.Values, after []byte) string {
	q = cloneValues(q)
	q.Set("after", hex.EncodeToString(after))
	return base64.RawURLEncoding.EncodeToString([]byte(q.Encode()))
}

func decodeMore(s string) (url.Values, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, invalid("more", "is not a more link this LRS gave")
	}
	q, err := url.ParseQuery(string(b))
	if err != nil || !q.Has("after") {
		return nil, invalid("more", "is not a more link this LRS gave")
	}
	return q, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}
