package engine

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"jobbridge/engine/xapi"
)

// The cmi5 launch (DESIGN §6, cmi5 §8–§10): jobbridge is the LMS of the AUs a
// class's course structure imported. A launch writes LMS.LaunchData and the
// `launched` statement, and hands the AU a one-time fetch URL for its
// session's credential; the LMS writes `satisfied` when the AU's moveOn rule holds.

// cmi5 identifiers (cmi5 §9.6, §10).
const (
	cmi5Category       = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	cmi5MoveOnCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
	cmi5SessionExt     = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	cmi5LaunchModeExt  = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
	cmi5LaunchURLExt   = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
	cmi5MoveOnExt      = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
	verbLaunched       = "http://adlnet.gov/expapi/verbs/launched"
	verbSatisfied      = "https://w3id.org/xapi/adl/verbs/satisfied"
	// LaunchDataID is the state document an LMS writes before the launch (cmi5 §10).
	LaunchDataID = "LMS.LaunchData"
	// cmi5SessionPrefix starts the keys of launch-session credentials; fetch
	// placeholders add "fetch-" and the hash of their token.
	cmi5SessionPrefix = "cmi5-"
	cmi5FetchPrefix   = cmi5SessionPrefix + "fetch-"
)

// Cmi5SessionTTL is how long a launch session's credential works.
const Cmi5SessionTTL = 12 * time.Hour

// lmsClient is jobbridge writing as the LMS: the authority of `launched` and `satisfied`.
func lmsClient(homePage string) LRSClient {
	return LRSClient{HomePage: homePage, User: &User{Meta: Meta{ID: "jobbridge-lms"}, Username: "jobbridge-lms",
		DisplayName: "jobbridge LMS (cmi5)", Role: RoleAdmin}}
}

// Registration is the cmi5 registration of an enrollment: a UUID made from
// its id, the same for every launch of its AUs.
func Registration(enrollmentID string) string {
	return nameUUID("jobbridge cmi5 registration\x00" + enrollmentID)
}

// nameUUID is a name-based (version 5 layout) UUID of name.
func nameUUID(name string) string {
	sum := sha1.Sum([]byte(name))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// LearnerAgent is the actor a launch names for a seeker: an account on this
// LMS whose name is the seeker id (so the statements map by account.name).
func LearnerAgent(homePage, seekerID string) map[string]any {
	return map[string]any{"objectType": "Agent", "account": map[string]any{"homePage": homePage, "name": seekerID}}
}

// LaunchRequest is a trainee's launch of one AU of one enrollment.
type LaunchRequest struct {
	EnrollmentID, ModuleID string
	// Base is the site's address (scheme://host), ReturnURL where the AU sends the learner back.
	Base, ReturnURL string
}

// LaunchAU launches an AU for the trainee u (cmi5 §8): it checks the
// enrollment is theirs and open, writes LMS.LaunchData and the `launched`
// statement (and `satisfied` at once for a NotApplicable AU), stores a
// one-time fetch placeholder, and answers the URL to send the browser to.
func (l *LRS) LaunchAU(ctx context.Context, u *User, r LaunchRequest) (string, error) {
	v, err := l.svc.Enrollment(ctx, r.EnrollmentID)
	if err != nil {
		return "", err
	}
	if u.Role != RoleTrainee || u.SeekerID == "" || u.SeekerID != v.SeekerID {
		return "", Errorf(EFORBIDDEN, "only the trainee of the enrollment launches its AUs")
	}
	if v.Status == EnrollmentWithdrawn {
		return "", Errorf(ECONFLICT, "enrollment %s is withdrawn", v.ID)
	}
	var c Class
	if err := l.svc.Store.Get(ctx, KindClass, v.ClassID, &c); err != nil {
		return "", err
	}
	i := slices.IndexFunc(c.Modules, func(m Module) bool { return m.ID == r.ModuleID })
	if i < 0 {
		return "", &Error{Code: ENOTFOUND, Message: "no such module", Fields: []FieldError{{"moduleId", "class " + c.ID + " has no module " + r.ModuleID}}}
	}
	m := c.Modules[i]
	if m.LaunchURL == "" {
		return "", &Error{Code: EINVALID, Message: "the module is not a cmi5 AU",
			Fields: []FieldError{{"moduleId", "module " + m.ID + " has no launch URL: import the class's course structure (cmi5.xml)"}}}
	}
	base, err := url.Parse(r.Base + "/")
	if err != nil || base.Host == "" {
		return "", fmt.Errorf("launch: bad site address %q", r.Base)
	}
	au, err := base.Parse(m.LaunchURL)
	if err != nil {
		return "", Errorf(EINVALID, "module %s: launch URL %q is not a URL", m.ID, m.LaunchURL)
	}
	home := base.String()
	actor := LearnerAgent(home, v.SeekerID)
	reg := Registration(v.ID)
	activity := ModuleActivity(c.ID, m.ID)
	session := NewUUID()
	moveOn := cmpOr(m.MoveOn, "NotApplicable")

	grouping := []any{map[string]any{"objectType": "Activity", "id": m.Activity(c.ID)}}
	if c.ActivityID != "" {
		grouping = append(grouping, map[string]any{"objectType": "Activity", "id": c.ActivityID})
	}
	launchData := map[string]any{
		"contextTemplate": map[string]any{"contextActivities": map[string]any{"grouping": grouping},
			"extensions": map[string]any{cmi5SessionExt: session}},
		"launchMode": "Normal", "moveOn": moveOn, "returnURL": r.ReturnURL,
	}
	if m.MasteryScore != nil {
		launchData["masteryScore"] = *m.MasteryScore
	}
	learner := LRSClient{User: u, HomePage: home}
	key := DocumentKey{Kind: DocState, ActivityID: activity, Agent: xapi.AgentKey(actor), Registration: reg, DocID: LaunchDataID}
	body, _ := json.Marshal(launchData)
	if _, err := l.SaveDocument(ctx, learner, key, "application/json", body, false, Precondition{}); err != nil {
		return "", fmt.Errorf("LMS.LaunchData: %w", err)
	}

	var tok [32]byte
	_, _ = rand.Read(tok[:])
	fetch := base64.RawURLEncoding.EncodeToString(tok[:])
	now := l.clock.Now().UTC()
	placeholder := &Credential{Key: cmi5FetchPrefix + HashSecret(fetch), Name: "cmi5: " + m.Title, UserID: u.ID,
		CreatedAt: now, CreatedBy: u.ID, ExpiresAt: now.Add(Cmi5SessionTTL)}
	if err := l.store.PutCredential(ctx, placeholder); err != nil {
		return "", err
	}
	l.credMu.Lock()
	l.creds[placeholder.Key] = placeholder
	l.credMu.Unlock()

	params := url.Values{}
	params.Set("endpoint", base.JoinPath("xapi").String()+"/")
	params.Set("fetch", base.JoinPath("cmi5", "fetch", fetch).String())
	params.Set("actor", string(xapi.Encode(actor)))
	params.Set("registration", reg)
	params.Set("activityId", activity)
	q := au.Query()
	for k, vs := range params {
		q[k] = vs
	}
	au.RawQuery = q.Encode()

	cx := cmi5Context(reg, session, grouping)
	ext := cx["extensions"].(map[string]any)
	ext[cmi5LaunchModeExt], ext[cmi5LaunchURLExt], ext[cmi5MoveOnExt] = "Normal", au.String(), moveOn
	launched := map[string]any{"actor": actor, "verb": map[string]any{"id": verbLaunched, "display": map[string]any{"en-US": "launched", "zh-CN": "启动"}},
		"object": map[string]any{"objectType": "Activity", "id": activity,
			"definition": map[string]any{"name": map[string]any{"zh-CN": m.Title}}},
		"context": cx, "timestamp": now.Format(time.RFC3339Nano)}
	if _, err := l.record(ctx, lmsClient(home), StatementInput{Statements: []any{launched}}); err != nil {
		return "", fmt.Errorf("launched statement: %w", err)
	}
	if moveOn == "NotApplicable" {
		if err := l.satisfy(ctx, home, v, &c, m, session); err != nil {
			return "", err
		}
	}
	return au.String(), nil
}

// cmi5Context is the context of a cmi5 defined statement the LMS writes.
func cmi5Context(reg, session string, grouping []any) map[string]any {
	return map[string]any{"registration": reg,
		"contextActivities": map[string]any{"grouping": grouping,
			"category": []any{map[string]any{"objectType": "Activity", "id": cmi5Category}}},
		"extensions": map[string]any{cmi5SessionExt: session}}
}

// FetchAuthToken answers a launch's fetch URL once (cmi5 §8.2): the
// placeholder goes, a session credential for the trainee takes its place,
// and the token is the Basic credential the AU sends. A second fetch, or an
// unknown or expired token, is ECONFLICT (cmi5 error-code 1).
func (l *LRS) FetchAuthToken(ctx context.Context, fetch string) (string, error) {
	used := Errorf(ECONFLICT, "this fetch URL was used already, or is unknown or expired: launch the AU again")
	key := cmi5FetchPrefix + HashSecret(fetch)
	ph, ok, err := l.credential(ctx, key)
	if err != nil {
		return "", err
	}
	if !ok || l.clock.Now().After(ph.ExpiresAt) {
		return "", used
	}
	if err := l.store.DeleteCredential(ctx, key); err != nil { // the store says who was first
		if ErrorCode(err) == ENOTFOUND {
			return "", used
		}
		return "", err
	}
	l.credMu.Lock()
	delete(l.creds, key)
	l.credMu.Unlock()
	var k [8]byte
	var sec [32]byte
	_, _ = rand.Read(k[:])
	_, _ = rand.Read(sec[:])
	secret := base64.RawURLEncoding.EncodeToString(sec[:])
	c := &Credential{Key: cmi5SessionPrefix + hex.EncodeToString(k[:]), Name: ph.Name, UserID: ph.UserID,
		SecretHash: HashSecret(secret), CreatedAt: l.clock.Now().UTC(), CreatedBy: ph.CreatedBy, ExpiresAt: ph.ExpiresAt}
	if err := l.store.PutCredential(ctx, c); err != nil {
		return "", err
	}
	l.credMu.Lock()
	l.creds[c.Key] = c
	l.credMu.Unlock()
	return base64.StdEncoding.EncodeToString([]byte(c.Key + ":" + secret)), nil
}

// moveOnCandidate is a stored statement that may meet its AU's moveOn rule.
type moveOnCandidate struct {
	match   Match
	verb    string // completed or passed
	actor   string // xapi.AgentKey
	session string
}

// moveOnMet says whether an AU's moveOn rule holds after a `completed` or
// `passed` (verb), given whether the other one was stored before.
func moveOnMet(moveOn, verb string, other bool) bool {
	switch moveOn {
	case "Completed":
		return verb == "completed"
	case "Passed":
		return verb == "passed"
	case "CompletedOrPassed":
		return true
	case "CompletedAndPassed":
		return other
	}
	return false
}

// satisfyMoveOn writes `satisfied` for the AUs whose moveOn rule the just
// stored statements met (cmi5 §9.3.9); each AU of an enrollment is satisfied once.
func (l *LRS) satisfyMoveOn(ctx context.Context, home string, cands []moveOnCandidate) error {
	cc := newClassCache(l.svc.Store)
	for _, cd := range cands {
		c, err := cc.get(ctx, cd.match.ClassID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(c.Modules, func(m Module) bool { return m.ID == cd.match.ModuleID })
		if i < 0 || c.Modules[i].MoveOn == "" || c.Modules[i].MoveOn == "NotApplicable" {
			continue
		}
		m := c.Modules[i]
		other := false
		if m.MoveOn == "CompletedAndPassed" {
			want := map[string]string{"completed": VerbPrefix + "passed", "passed": VerbPrefix + "completed"}[cd.verb]
			for _, a := range slices.Compact([]string{m.Activity(c.ID), ModuleActivity(c.ID, m.ID)}) {
				ids, _, err := l.index.QueryStatements(ctx, StatementQuery{Agent: cd.actor, Verb: want, Activity: a, Limit: 1})
				if err != nil {
					return err
				}
				other = other || len(ids) > 0
			}
		}
		if !moveOnMet(m.MoveOn, cd.verb, other) {
			continue
		}
		v, err := l.svc.Enrollment(ctx, cd.match.EnrollmentID)
		if err != nil {
			return err
		}
		if err := l.satisfy(ctx, home, v, c, m, cd.session); err != nil {
			return err
		}
	}
	return nil
}

// satisfy writes the `satisfied` statement of an AU for an enrollment,
// under an id made from both, so it is written once.
func (l *LRS) satisfy(ctx context.Context, home string, v *EnrollmentView, c *Class, m Module, session string) error {
	id := nameUUID("jobbridge cmi5 satisfied\x00" + v.ID + "\x00" + m.ID)
	known, err := l.index.Lookup(ctx, []string{id})
	if err != nil || len(known) > 0 {
		return err
	}
	if session == "" {
		session = NewUUID()
	}
	grouping := []any{map[string]any{"objectType": "Activity", "id": m.Activity(c.ID)}}
	if c.ActivityID != "" {
		grouping = append(grouping, map[string]any{"objectType": "Activity", "id": c.ActivityID})
	}
	cx := cmi5Context(Registration(v.ID), session, grouping)
	ca := cx["contextActivities"].(map[string]any)
	ca["category"] = append(ca["category"].([]any), map[string]any{"objectType": "Activity", "id": cmi5MoveOnCategory})
	st := map[string]any{"id": id, "actor": LearnerAgent(home, v.SeekerID),
		"verb":    map[string]any{"id": verbSatisfied, "display": map[string]any{"en-US": "satisfied", "zh-CN": "已达成"}},
		"object":  map[string]any{"objectType": "Activity", "id": ModuleActivity(c.ID, m.ID)},
		"context": cx, "timestamp": l.clock.Now().UTC().Format(time.RFC3339Nano)}
	_, err = l.record(ctx, lmsClient(home), StatementInput{Statements: []any{st}})
	return err
}

// isSessionCredential says whether a credential belongs to a cmi5 launch (not listed to admins).
func isSessionCredential(c *Credential) bool { return strings.HasPrefix(c.Key, cmi5SessionPrefix) }

// sessionOf is the cmi5 session id a statement's context carries.
func sessionOf(doc map[string]any) string {
	cx, _ := doc["context"].(map[string]any)
	ext, _ := cx["extensions"].(map[string]any)
	s, _ := ext[cmi5SessionExt].(string)
	return s
}
