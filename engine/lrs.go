package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"jobbridge/engine/xapi"
)

// MaxStatements is the most statements one request may carry.
const MaxStatements = 1000

// LRS is the learning record store of DESIGN §6: it checks statements
// against xAPI 1.0.3, stores them, files them in the statement index, maps
// them to training progress, and keeps the document resources. It guards its
// own rules: who may write, what each reader sees.
type LRS struct {
	svc   *Service
	store LRSStore
	index StatementIndex
	clock Clock

	writeMu    sync.Mutex // one statement batch at a time in this process: stored order, voids
	lastStored time.Time

	credMu sync.RWMutex
	creds  map[string]*Credential

	// activities caches stored activity JSON by id (under writeMu), so a
	// batch reads and rewrites only the definitions it changes.
	activities map[string]string
}

// maxCachedActivities bounds the activity cache; past it the cache starts again.
const maxCachedActivities = 50_000

// NewLRS wires the LRS over the service (users, enrollments), its store and index; call Load before serving.
func NewLRS(svc *Service, st LRSStore, ix StatementIndex) *LRS {
	return &LRS{svc: svc, store: st, index: ix, clock: svc.Clock, creds: map[string]*Credential{}}
}

// LRSLoad says what Load did.
type LRSLoad struct {
	Statements int // statements the index caught up with
	Documents  int
}

// Load brings the statement index and the document directory up to date
// with the store (only what is newer than their last rev) and reads the credentials.
func (l *LRS) Load(ctx context.Context) (LRSLoad, error) {
	var out LRSLoad
	creds, err := l.store.Credentials(ctx)
	if err != nil {
		return out, err
	}
	now := l.clock.Now()
	l.credMu.Lock()
	for _, c := range creds {
		if !c.ExpiresAt.IsZero() && now.After(c.ExpiresAt) {
			_ = l.store.DeleteCredential(ctx, c.Key) // an ended cmi5 session; another start retries
			continue
		}
		l.creds[c.Key] = c
	}
	l.credMu.Unlock()
	n, err := l.follow(ctx)
	out.Statements, out.Documents = n[0], n[1]
	return out, err
}

// Poll picks up what other processes wrote to a shared database.
func (l *LRS) Poll(ctx context.Context) (int, error) {
	n, err := l.follow(ctx)
	return n[0] + n[1], err
}

func (l *LRS) follow(ctx context.Context) ([2]int, error) {
	var n [2]int
	wroteSt, wroteDoc, err := l.store.LastWritten(ctx)
	if err != nil {
		return n, err
	}
	last, err := l.index.LastStatementRev()
	if err != nil {
		return n, err
	}
	lastDoc, err := l.index.LastDocumentRev()
	if err != nil {
		return n, err
	}
	if last >= wroteSt && lastDoc >= wroteDoc {
		return n, nil // nothing written since: no collection is read
	}
	var batch []StatementEntry
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := l.index.AddStatements(ctx, batch, batch[len(batch)-1].Rev)
		n[0] += len(batch)
		batch = batch[:0]
		return err
	}
	err = l.store.EachStatement(ctx, last, func(st *Statement) error {
		e, err := entryOf(st)
		if err != nil {
			return err
		}
		batch = append(batch, e)
		if len(batch) >= 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil && !l.svc.Shared && wroteSt > last {
		err = l.index.AddStatements(ctx, nil, wroteSt) // a rev taken by a write that never happened
	}
	if err != nil {
		return n, fmt.Errorf("catch up statement index: %w", err)
	}
	var docs []*Document
	err = l.store.EachDocument(ctx, lastDoc, func(d *Document) error {
		docs = append(docs, d)
		return nil
	})
	if err == nil && (len(docs) > 0 || !l.svc.Shared && wroteDoc > lastDoc) {
		err = l.index.PutDocuments(ctx, docs, max(wroteDoc, lastDoc))
		n[1] = len(docs)
	}
	if err != nil {
		return n, fmt.Errorf("catch up document directory: %w", err)
	}
	return n, nil
}

func entryOf(st *Statement) (StatementEntry, error) {
	v, err := xapi.Decode([]byte(st.Body))
	if err != nil {
		return StatementEntry{}, fmt.Errorf("statement %s: %w", st.ID, err)
	}
	m, _ := v.(map[string]any)
	return StatementEntry{Keys: xapi.KeysOf(m), Rev: st.Rev, Stored: st.Stored, Owner: st.Owner,
		SeekerID: st.Match.SeekerID, Unmatched: st.Match.EnrollmentID == ""}, nil
}

// LRSClient is who calls the LRS: the user of a credential or of a session.
type LRSClient struct {
	User       *User
	Credential *Credential // nil for a session
	// HomePage is the LRS's own address, the homePage of the authority's account.
	HomePage string
}

// Authority is the agent the LRS writes as a statement's authority: the credential (or user) that sent it.
func (c LRSClient) Authority() map[string]any {
	name, key := c.User.DisplayName, c.User.ID
	if c.Credential != nil {
		name, key = c.Credential.Name, c.Credential.Key
	}
	if name == "" {
		name = c.User.Username
	}
	return map[string]any{"objectType": "Agent", "name": name,
		"account": map[string]any{"homePage": c.HomePage, "name": key}}
}

// scope narrows a query to what the client may read (DESIGN §6): an admin
// reads everything, a trainee the statements mapped to them, anyone else
// what their user's credentials and sessions sent.
func (c LRSClient) scope(q *StatementQuery) {
	switch c.User.Role {
	case RoleAdmin:
	case RoleTrainee:
		q.SeekerID = c.User.SeekerID
		if q.SeekerID == "" {
			q.SeekerID = "\x00none"
		}
	default:
		q.Owner = c.User.ID
	}
}

func (c LRSClient) reads(st *Statement) bool {
	switch c.User.Role {
	case RoleAdmin:
		return true
	case RoleTrainee:
		return c.User.SeekerID != "" && st.Match.SeekerID == c.User.SeekerID
	}
	return st.Owner == c.User.ID
}

// mayWrite says whether a role may send statements and documents at all.
func (c LRSClient) mayWrite() error {
	switch c.User.Role {
	case RoleAdmin, RoleProvider, RoleTrainee:
		return nil
	}
	return Errorf(EFORBIDDEN, "a %s may not write to the LRS", c.User.Role)
}

// StatementInput is one statements request: the statements as decoded, the
// statementId of a PUT, and the attachment parts of a multipart request by hash.
type StatementInput struct {
	Statements []any
	Batch      bool   // sent as an array: problems are named [i].field
	PutID      string // PUT ?statementId=
	Parts      map[string]*Attachment
}

// StatementsIn reads a decoded statements body: one statement, or an array of them.
func StatementsIn(v any) (StatementInput, error) {
	switch x := v.(type) {
	case map[string]any:
		return StatementInput{Statements: []any{x}}, nil
	case []any:
		return StatementInput{Statements: x, Batch: true}, nil
	}
	return StatementInput{}, lrsInvalid("body", "must be a statement or an array of statements")
}

// prepared is a statement checked and ready to store.
type prepared struct {
	st    *Statement
	doc   map[string]any
	keys  xapi.Keys
	event *ProgressEvent
}

// Record checks and stores statements (DESIGN §6): every one is checked
// before any is stored; a statement whose id is stored already with the same
// content changes nothing, with other content the request is a conflict; a
// statement that maps to no enrollment is stored as unmatched. It returns
// the ids in the order sent.
//
// A `completed` or `passed` that meets a cmi5 AU's moveOn rule makes the LMS
// write the AU's `satisfied` statement after it.
func (l *LRS) Record(ctx context.Context, c LRSClient, in StatementInput) ([]string, error) {
	ids, cands, err := l.recordMapped(ctx, c, in)
	if err == nil && len(cands) > 0 {
		err = l.satisfyMoveOn(ctx, c.HomePage, cands)
	}
	return ids, err
}

// record stores statements as Record does, without the moveOn step.
func (l *LRS) record(ctx context.Context, c LRSClient, in StatementInput) ([]string, error) {
	ids, _, err := l.recordMapped(ctx, c, in)
	return ids, err
}

// recordMapped stores statements and answers their ids and the stored ones
// that may meet an AU's moveOn rule.
func (l *LRS) recordMapped(ctx context.Context, c LRSClient, in StatementInput) ([]string, []moveOnCandidate, error) {
	if err := c.mayWrite(); err != nil {
		return nil, nil, err
	}
	if len(in.Statements) == 0 {
		return nil, nil, lrsInvalid("body", "holds no statement")
	}
	if len(in.Statements) > MaxStatements {
		return nil, nil, lrsInvalid("body", fmt.Sprintf("holds %d statements; at most %d per request", len(in.Statements), MaxStatements))
	}
	name := func(i int, f string) string {
		if in.Batch {
			return strings.TrimSuffix(fmt.Sprintf("[%d].%s", i, f), ".")
		}
		return f
	}
	var p Problems
	preps := make([]*prepared, 0, len(in.Statements))
	seen := map[string]int{}
	usedParts := map[string]bool{}
	for i, raw := range in.Statements {
		probs := xapi.CheckStatement(raw)
		for _, pr := range probs {
			p.Add(name(i, pr.Field), "%s", pr.Message)
		}
		if len(probs) > 0 {
			continue
		}
		doc := xapi.Clone(raw).(map[string]any)
		id, _ := doc["id"].(string)
		if in.PutID != "" {
			if id != "" && !strings.EqualFold(id, in.PutID) {
				p.Add(name(i, "id"), "differs from the statementId parameter %s", in.PutID)
				continue
			}
			id = in.PutID
		}
		if id == "" {
			id = NewUUID()
		}
		doc["id"] = id
		lower := strings.ToLower(id)
		if j, dup := seen[lower]; dup {
			p.Add(name(i, "id"), "repeats the id of statement [%d]", j)
			continue
		}
		seen[lower] = i
		if msg := attachmentsPresent(doc, in.Parts, usedParts); msg != nil {
			p.Add(name(i, msg.Field), "%s", msg.Message)
			continue
		}
		xapi.Normalize(doc)
		sent := sha256.Sum256(xapi.Encode(doc))
		preps = append(preps, &prepared{doc: doc, st: &Statement{ID: lower, SentHash: hex.EncodeToString(sent[:]),
			Owner: c.User.ID}})
	}
	for sha := range in.Parts {
		if !usedParts[sha] {
			p.Add("attachments", "the request has a part (X-Experience-API-Hash %s) that no statement's attachment names", sha)
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(preps))
	for i, pr := range preps {
		ids[i] = pr.doc["id"].(string)
	}

	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	fresh, err := l.dropRepeats(ctx, preps)
	if err != nil {
		return nil, nil, err
	}
	if len(fresh) == 0 {
		return ids, nil, nil
	}
	stored := l.storedTime()
	stamp := stored.UTC().Format("2006-01-02T15:04:05.000Z")
	var atts []*Attachment
	defs := map[string]map[string]any{}
	for _, pr := range fresh {
		pr.doc["stored"] = stamp
		if _, ok := pr.doc["timestamp"]; !ok {
			pr.doc["timestamp"] = stamp
		}
		if _, ok := pr.doc["version"]; !ok {
			pr.doc["version"] = xapi.StoredVersion
		}
		pr.doc["authority"] = c.Authority()
		pr.st.Stored = stored
		if c.Credential != nil {
			pr.st.Credential = c.Credential.Key
		}
		pr.keys = xapi.KeysOf(pr.doc)
		pr.st.Body = string(xapi.Encode(pr.doc))
		for _, a := range asAttachments(pr.doc) {
			if part, ok := in.Parts[a]; ok {
				atts = append(atts, part)
				pr.st.Attachments = append(pr.st.Attachments, a)
			}
		}
		activityDefinitions(pr.doc, defs)
		pr.st.Match, pr.event = l.svc.mapStatement(pr.doc, pr.keys, c)
		pr.st.Match.SeekerID = cmpOr(pr.st.Match.SeekerID, "")
	}
	if err := l.checkWriter(c, fresh); err != nil {
		return nil, nil, err
	}
	if err := l.commit(ctx, fresh, atts, defs); err != nil {
		return nil, nil, err
	}
	var cands []moveOnCandidate
	for _, pr := range fresh {
		if ev := pr.event; ev != nil && (ev.Verb == "completed" || ev.Verb == "passed") {
			cands = append(cands, moveOnCandidate{match: pr.st.Match, verb: ev.Verb, actor: xapi.AgentKey(pr.doc["actor"]), session: sessionOf(pr.doc)})
		}
	}
	return ids, cands, nil
}

// commit writes checked statements that are not stored yet: their
// attachments, the statements, the activity definitions, the index entries
// (voiding what they void) and the progress events of those that map to an
// enrollment.
func (l *LRS) commit(ctx context.Context, fresh []*prepared, atts []*Attachment, defs map[string]map[string]any) error {
	if err := l.store.PutAttachments(ctx, atts); err != nil {
		return err
	}
	sts := make([]*Statement, len(fresh))
	for i, pr := range fresh {
		sts[i] = pr.st
	}
	if _, err := l.store.InsertStatements(ctx, sts); err != nil {
		return err
	}
	if err := l.saveActivities(ctx, defs); err != nil {
		return err
	}
	entries := make([]StatementEntry, len(fresh))
	for i, pr := range fresh {
		entries[i] = StatementEntry{Keys: pr.keys, Rev: pr.st.Rev, Stored: pr.st.Stored, Owner: pr.st.Owner,
			SeekerID: pr.st.Match.SeekerID, Unmatched: pr.st.Match.EnrollmentID == ""}
	}
	voids, err := l.voidTargets(ctx, fresh)
	if err != nil {
		return err
	}
	if err := l.index.AddStatements(ctx, entries, entries[len(entries)-1].Rev); err != nil {
		return err
	}
	events := map[string][]ProgressEvent{}
	for _, pr := range fresh {
		if pr.event != nil {
			events[pr.st.Match.EnrollmentID] = append(events[pr.st.Match.EnrollmentID], *pr.event)
		}
	}
	for target, voiding := range voids {
		if target.Match.EnrollmentID != "" {
			events[target.Match.EnrollmentID] = append(events[target.Match.EnrollmentID],
				ProgressEvent{Statement: voiding.st.ID, Voids: target.ID, Verb: "voided", At: voiding.st.Stored})
		}
	}
	return l.svc.appendProgress(ctx, events)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkWriter refuses what a client may not write: a trainee sends
// statements about themself only.
func (l *LRS) checkWriter(c LRSClient, preps []*prepared) error {
	if c.User.Role != RoleTrainee {
		return nil
	}
	for _, pr := range preps {
		if pr.st.Match.SeekerID != c.User.SeekerID || c.User.SeekerID == "" {
			return Errorf(EFORBIDDEN, "a trainee sends statements about themself only (statement %s is about someone else or no enrollment)", pr.st.ID)
		}
	}
	return nil
}

// dropRepeats leaves out the statements stored already with the same
// content, and refuses the request when one is stored with other content.
func (l *LRS) dropRepeats(ctx context.Context, preps []*prepared) ([]*prepared, error) {
	ids := make([]string, len(preps))
	for i, pr := range preps {
		ids[i] = pr.st.ID
	}
	known, err := l.index.Lookup(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(known) == 0 {
		return preps, nil
	}
	stored, err := l.store.GetStatements(ctx, slices.Collect(maps.Keys(known)))
	if err != nil {
		return nil, err
	}
	var fresh []*prepared
	for _, pr := range preps {
		old, ok := stored[pr.st.ID]
		switch {
		case !ok:
			fresh = append(fresh, pr)
		case old.SentHash != pr.st.SentHash:
			return nil, Errorf(ECONFLICT, "statement %s is stored already with other content; a statement cannot be changed", pr.doc["id"])
		}
	}
	return fresh, nil
}

// voidTargets finds the statements the fresh voiding statements void: stored
// (or in this batch), not voiding statements themselves, not voided yet.
func (l *LRS) voidTargets(ctx context.Context, fresh []*prepared) (map[*Statement]*prepared, error) {
	want := map[string]*prepared{}
	for _, pr := range fresh {
		if pr.keys.Voids != "" {
			want[pr.keys.Voids] = pr
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	ids := slices.Collect(maps.Keys(want))
	known, err := l.index.Lookup(ctx, ids)
	if err != nil {
		return nil, err
	}
	var load []string
	for id, info := range known {
		if !info.Voided && !info.Voiding {
			load = append(load, id)
		}
	}
	stored, err := l.store.GetStatements(ctx, load)
	if err != nil {
		return nil, err
	}
	out := map[*Statement]*prepared{}
	for id, st := range stored {
		out[st] = want[id]
	}
	for _, pr := range fresh { // a target sent in the same batch
		if v, ok := want[pr.st.ID]; ok && pr.keys.Voids == "" {
			out[pr.st] = v
		}
	}
	return out, nil
}

// storedTime is the stored time of the next batch: now, and always after the
// previous batch's (to the millisecond), so stored order is write order here.
func (l *LRS) storedTime() time.Time {
	t := l.clock.Now().UTC().Truncate(time.Millisecond)
	if !t.After(l.lastStored) {
		t = l.lastStored.Add(time.Millisecond)
	}
	l.lastStored = t
	return t
}

// attachmentsPresent checks that every attachment without a fileUrl came
// as a part of the request, and that a signature is a JWS of the statement.
func attachmentsPresent(doc map[string]any, parts map[string]*Attachment, used map[string]bool) *xapi.Problem {
	list, _ := doc["attachments"].([]any)
	for i, a := range list {
		m := a.(map[string]any)
		sha, _ := m["sha2"].(string)
		part, ok := parts[sha]
		if ok {
			used[sha] = true
		}
		if _, hasURL := m["fileUrl"]; !ok && !hasURL {
			return &xapi.Problem{Field: fmt.Sprintf("attachments[%d].sha2", i),
				Message: "names no part of the request (send the content as multipart/mixed with X-Experience-API-Hash, or give a fileUrl)"}
		}
		if m["usageType"] == xapi.SignatureUsage {
			if !ok {
				return &xapi.Problem{Field: fmt.Sprintf("attachments[%d]", i), Message: "a signature must come as a part of the request"}
			}
			if m["contentType"] != "application/octet-stream" {
				return &xapi.Problem{Field: fmt.Sprintf("attachments[%d].contentType", i), Message: "a signature's content type is application/octet-stream"}
			}
			if msg := xapi.CheckSignature(doc, part.Content); msg != "" {
				return &xapi.Problem{Field: fmt.Sprintf("attachments[%d]", i), Message: msg}
			}
		}
	}
	return nil
}

func asAttachments(doc map[string]any) []string {
	list, _ := doc["attachments"].([]any)
	var out []string
	for _, a := range list {
		if m, ok := a.(map[string]any); ok {
			if s, ok := m["sha2"].(string); ok && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// activityDefinitions collects the definitions a statement gives its
// activities (object, context activities, a SubStatement's), merged by id,
// so GET /activities can answer all that was said of an activity.
func activityDefinitions(doc map[string]any, defs map[string]map[string]any) {
	add := func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if ot, has := m["objectType"]; has && ot != "Activity" {
			return
		}
		id, _ := m["id"].(string)
		def, _ := m["definition"].(map[string]any)
		if id == "" || def == nil {
			return
		}
		defs[id] = xapi.MergeDefinition(defs[id], def)
	}
	var walk func(s map[string]any)
	walk = func(s map[string]any) {
		obj, _ := s["object"].(map[string]any)
		if obj["objectType"] == "SubStatement" {
			walk(obj)
		} else {
			add(obj)
		}
		cx, _ := s["context"].(map[string]any)
		ca, _ := cx["contextActivities"].(map[string]any)
		for _, list := range ca {
			for _, a := range list.([]any) {
				add(a)
			}
		}
	}
	walk(doc)
}

// saveActivities merges the batch's definitions into the stored ones and
// stores those that changed (l.writeMu held).
func (l *LRS) saveActivities(ctx context.Context, defs map[string]map[string]any) error {
	if l.activities == nil || len(l.activities) > maxCachedActivities {
		l.activities = map[string]string{}
	}
	out := make(map[string]string, len(defs))
	for id, def := range defs {
		js, cached := l.activities[id]
		if !cached {
			var err error
			js, err = l.store.GetActivity(ctx, id)
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return err
			}
		}
		if js != "" {
			if v, err := xapi.Decode([]byte(js)); err == nil {
				old, _ := v.(map[string]any)
				if od, ok := old["definition"].(map[string]any); ok {
					def = xapi.MergeDefinition(od, def)
				}
			}
		}
		merged := string(xapi.Encode(map[string]any{"objectType": "Activity", "id": id, "definition": def}))
		if merged != js {
			out[id] = merged
		}
		l.activities[id] = merged
	}
	if err := l.store.PutActivities(ctx, out); err != nil {
		for id := range out {
			delete(l.activities, id) // not stored: read it again next time
		}
		return err
	}
	return nil
}

// NewUUID makes a random (version 4) UUID.
func NewUUID() string { return newUUID() }

func lrsInvalid(field, msg string) error {
	return &Error{Code: EINVALID, Message: "invalid request", Fields: []FieldError{{field, msg}}}
}

// Statement reads one statement by id (voided: by voidedStatementId, which
// finds only voided ones; else only statements not voided).
func (l *LRS) Statement(ctx context.Context, c LRSClient, id string, voided bool) (*Statement, error) {
	id = strings.ToLower(id)
	known, err := l.index.Lookup(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	got := map[string]*Statement{}
	if info, ok := known[id]; ok && info.Voided == voided {
		if got, err = l.store.GetStatements(ctx, []string{id}); err != nil {
			return nil, err
		}
	}
	st, ok := got[id]
	if ok {
		st.Voided = voided
	}
	if !ok || !c.reads(st) {
		if voided {
			return nil, Errorf(ENOTFOUND, "no voided statement %s", id)
		}
		return nil, Errorf(ENOTFOUND, "no statement %s (a voided statement is read with voidedStatementId)", id)
	}
	return st, nil
}

// Statements answers a query in the reader's scope: the statements in
// order, the position of the next page (nil at the end) and the time up to
// which the results are complete.
func (l *LRS) Statements(ctx context.Context, c LRSClient, q StatementQuery) ([]*Statement, []byte, time.Time, error) {
	c.scope(&q)
	consistent := l.clock.Now().UTC()
	if l.svc.Shared {
		consistent = consistent.Add(-FeedGrace)
	}
	ids, next, err := l.index.QueryStatements(ctx, q)
	if err != nil {
		return nil, nil, consistent, err
	}
	got, err := l.store.GetStatements(ctx, ids)
	if err != nil {
		return nil, nil, consistent, err
	}
	out := make([]*Statement, 0, len(ids))
	for _, id := range ids {
		if st, ok := got[id]; ok {
			out = append(out, st)
		}
	}
	return out, next, consistent, nil
}

// Attachment loads an attachment's content.
func (l *LRS) Attachment(ctx context.Context, sha2 string) (*Attachment, error) {
	return l.store.GetAttachment(ctx, sha2)
}

// Activity answers the stored definition of an activity.
func (l *LRS) Activity(ctx context.Context, id string) (json.RawMessage, error) {
	s, err := l.store.GetActivity(ctx, id)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// EnrollmentStatements pages through the statements an enrollment's log
// names, newest first: offset skipped, at most limit, and whether more remain.
func (l *LRS) EnrollmentStatements(ctx context.Context, enrollmentID string, offset, limit int) ([]*Statement, bool, error) {
	var e Enrollment
	if err := l.svc.Store.Get(ctx, KindEnrollment, enrollmentID, &e); err != nil {
		return nil, false, err
	}
	seen := map[string]bool{}
	var ids []string
	for i := len(e.Log) - 1; i >= 0; i-- {
		if id := e.Log[i].Statement; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if offset >= len(ids) {
		return []*Statement{}, false, nil
	}
	end := min(offset+limit, len(ids))
	page := ids[offset:end]
	got, err := l.store.GetStatements(ctx, page)
	if err != nil {
		return nil, false, err
	}
	known, err := l.index.Lookup(ctx, page)
	if err != nil {
		return nil, false, err
	}
	out := make([]*Statement, 0, len(page))
	for _, id := range page {
		if st, ok := got[id]; ok {
			st.Voided = known[id].Voided
			out = append(out, st)
		}
	}
	return out, end < len(ids), nil
}

// Unmatched pages through the statements that map to no enrollment, newest
// first (admins: a provider's misconfiguration shows here).
func (l *LRS) Unmatched(ctx context.Context, c LRSClient, after []byte, limit int) ([]*Statement, []byte, error) {
	if c.User.Role != RoleAdmin {
		return nil, nil, Errorf(EFORBIDDEN, "only an admin lists unmatched statements")
	}
	sts, next, _, err := l.Statements(ctx, c, StatementQuery{Unmatched: true, Limit: limit, After: after})
	return sts, next, err
}
