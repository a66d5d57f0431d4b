package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"jobbridge/engine/xapi"
)

// StatementSkew is how far ahead of now an imported history's time may be
// (clocks differ).
const StatementSkew = 2 * time.Minute

// ImportHomePage is the homePage of the authority an imported statement
// gets when its line names none.
const ImportHomePage = "urn:jobbridge:import"

// Import stores the xAPI statements of an imported history (statement
// lines: the statement as the LRS stores it) in the LRS's collections and
// index, as Record would have when they were sent: each checked as xAPI
// 1.0.3; its stored time kept (the line's stored, or its timestamp), not
// now; its authority kept (an import's own when the line has none), and
// its owner the user the authority's account names (a user id, or a
// credential key), so each provider reads what its course player sent. It
// maps to progress as a statement sent then would have; one about a
// withdrawn enrollment from before the withdrawal counts. A statement stored
// already with the same content is a repeat and changes nothing; under its
// id with other content, or repeated within the batch, it is refused, and
// so is one whose attachment has no fileUrl (attachment contents are not
// imported). Nothing of the batch is written when one is refused: the error
// is a *RecordError naming it. It returns how many statements it was given.
func (l *LRS) Import(ctx context.Context, raws []any) (int, error) {
	now := l.clock.Now()
	preps := make([]*prepared, 0, len(raws))
	seen := map[string]int{}
	defs := map[string]map[string]any{}
	admin := LRSClient{User: &User{Meta: Meta{ID: "import"}, Role: RoleAdmin}}
	for i, raw := range raws {
		pr, err := l.importPrep(raw, now, i, seen)
		if err != nil {
			id, _ := raw.(map[string]any)["id"].(string)
			return 0, &RecordError{Kind: KindStatement, Index: i, ID: id, Err: err}
		}
		preps = append(preps, pr)
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	fresh, err := l.importFresh(ctx, preps)
	if err != nil {
		return 0, err
	}
	for _, pr := range fresh {
		activityDefinitions(pr.doc, defs)
		pr.st.Match, pr.event = l.svc.mapStatement(pr.doc, pr.keys, admin)
		l.svc.mapBeforeWithdrawal(pr)
	}
	if len(fresh) == 0 {
		return len(raws), nil
	}
	if err := l.commit(ctx, fresh, nil, defs); err != nil {
		return 0, err
	}
	return len(raws), nil
}

// importPrep checks one imported statement and makes it ready to store.
func (l *LRS) importPrep(raw any, now time.Time, i int, seen map[string]int) (*prepared, error) {
	var p Problems
	for _, pr := range xapi.CheckStatement(raw) {
		p.Add(pr.Field, "%s", pr.Message)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	doc := xapi.Clone(raw).(map[string]any)
	id, _ := doc["id"].(string)
	ts, _ := doc["timestamp"].(string)
	stored, _ := doc["stored"].(string)
	switch {
	case id == "":
		p.Add("id", "is required: a history's statement is imported by its id")
	case ts == "" && stored == "":
		p.Add("timestamp", "is required (or stored): when the statement was made")
	}
	if j, dup := seen[strings.ToLower(id)]; dup && id != "" {
		p.Add("id", "repeats the id of the statement %d lines before", i-j)
	}
	seen[strings.ToLower(id)] = i
	for k, a := range asAttachmentList(doc) {
		if _, ok := a["fileUrl"]; !ok {
			p.Add(fmt.Sprintf("attachments[%d].fileUrl", k), "is required in an import (attachment contents are not imported)")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	at, _ := xapi.ParseTimestamp(cmpOr(stored, ts))
	at = at.UTC().Truncate(time.Millisecond)
	if at.After(now.Add(StatementSkew)) {
		p.Add(map[bool]string{true: "stored", false: "timestamp"}[stored != ""], "is in the future")
		return nil, p.Err()
	}
	xapi.Normalize(doc)
	doc["stored"] = at.Format("2006-01-02T15:04:05.000Z")
	if ts == "" {
		doc["timestamp"] = doc["stored"]
	}
	if _, ok := doc["version"]; !ok {
		doc["version"] = xapi.StoredVersion
	}
	if _, ok := doc["authority"]; !ok {
		doc["authority"] = map[string]any{"objectType": "Agent", "name": "import",
			"account": map[string]any{"homePage": ImportHomePage, "name": "import"}}
	}
	body := xapi.Encode(doc)
	sum := sha256.Sum256(body)
	return &prepared{doc: doc, keys: xapi.KeysOf(doc), st: &Statement{ID: strings.ToLower(id), Stored: at,
		Body: string(body), SentHash: hex.EncodeToString(sum[:]), Owner: l.ownerOf(doc)}}, nil
}

// asAttachmentList is a statement's attachments as objects.
func asAttachmentList(doc map[string]any) []map[string]any {
	list, _ := doc["attachments"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, a := range list {
		if m, ok := a.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// ownerOf is the user an imported statement's authority names: by user id,
// or by the key of one of the LRS's credentials; "" for none.
func (l *LRS) ownerOf(doc map[string]any) string {
	auth, _ := doc["authority"].(map[string]any)
	acc, _ := auth["account"].(map[string]any)
	name, _ := acc["name"].(string)
	if name == "" {
		return ""
	}
	if u, ok := l.svc.User(name); ok {
		return u.ID
	}
	l.credMu.RLock()
	defer l.credMu.RUnlock()
	if c, ok := l.creds[name]; ok {
		return c.UserID
	}
	return ""
}

// importFresh leaves out the statements stored already as imported (the
// same body, or the same statement as sent), and refuses the batch when one
// is stored with other content.
func (l *LRS) importFresh(ctx context.Context, preps []*prepared) ([]*prepared, error) {
	ids := make([]string, len(preps))
	for i, pr := range preps {
		ids[i] = pr.st.ID
	}
	known, err := l.index.Lookup(ctx, ids)
	if err != nil || len(known) == 0 {
		return preps, err
	}
	stored, err := l.store.GetStatements(ctx, slices.Collect(maps.Keys(known)))
	if err != nil {
		return nil, err
	}
	var fresh []*prepared
	for i, pr := range preps {
		old, ok := stored[pr.st.ID]
		switch {
		case !ok:
			fresh = append(fresh, pr)
		case old.Body != pr.st.Body && old.SentHash != pr.st.SentHash:
			return nil, &RecordError{Kind: KindStatement, Index: i, ID: pr.st.ID,
				Err: Errorf(ECONFLICT, "statement %s is stored already with other content; a statement cannot be changed", pr.st.ID)}
		}
	}
	return fresh, nil
}

// mapBeforeWithdrawal maps an imported statement about a withdrawn
// enrollment when it was made before the withdrawal: the trainee's work
// then counted, as it did when it was sent.
func (s *Service) mapBeforeWithdrawal(pr *prepared) {
	m := pr.st.Match
	if m.EnrollmentID != "" || m.SeekerID == "" || m.ModuleID == "" {
		return
	}
	v, ok := s.training.enrollmentOf(m.SeekerID, m.ClassID)
	if !ok || v.Status != EnrollmentWithdrawn || v.OutcomeAt == nil || statementTime(pr.doc).After(*v.OutcomeAt) {
		return
	}
	pr.st.Match = Match{EnrollmentID: v.ID, SeekerID: m.SeekerID, ClassID: m.ClassID, ModuleID: m.ModuleID}
	pr.event = statementEvent(pr.doc, pr.keys, m.ModuleID)
}
