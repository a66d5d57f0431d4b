package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"jobbridge/engine/xapi"
)

// The verbs whose statements change a module's progress (DESIGN §6), by id.
var effectVerbs = map[string]string{
	"http://adlnet.gov/expapi/verbs/progressed": "progressed",
	"http://adlnet.gov/expapi/verbs/completed":  "completed",
	"http://adlnet.gov/expapi/verbs/passed":     "passed",
	"http://adlnet.gov/expapi/verbs/failed":     "failed",
	"https://w3id.org/xapi/adl/verbs/satisfied": "satisfied",
}

// VerbPrefix starts the ADL verb ids.
const VerbPrefix = "http://adlnet.gov/expapi/verbs/"

// ProgressExtension is the cmi5 result extension that carries progress (0–100).
const ProgressExtension = "https://w3id.org/xapi/cmi5/result/extensions/progress"

// ModuleActivity is the default activity id of a class module.
func ModuleActivity(classID, moduleID string) string {
	return "urn:jobbridge:class:" + classID + ":module:" + moduleID
}

// Activity is the module's activity id: its own, or the default.
func (m Module) Activity(classID string) string {
	if m.ActivityID != "" {
		return m.ActivityID
	}
	return ModuleActivity(classID, m.ID)
}

// moduleRef names one module of one class.
type moduleRef struct{ class, module string }

// putClass files a class's module and course activities, for mapping statements.
func (t *training) putClass(c *Class) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.modules == nil {
		t.modules, t.courses, t.classActivity = map[string][]moduleRef{}, map[string][]string{}, map[string][]string{}
	}
	for _, a := range t.classActivity[c.ID] {
		t.modules[a] = slices.DeleteFunc(t.modules[a], func(r moduleRef) bool { return r.class == c.ID })
		t.courses[a] = slices.DeleteFunc(t.courses[a], func(id string) bool { return id == c.ID })
	}
	var mine []string
	for _, m := range c.Modules {
		// A module answers to its own activity id and to the default one, which
		// the cmi5 launch gives an AU as the LMS's activityId (cmi5 §8.1).
		for _, a := range slices.Compact([]string{m.Activity(c.ID), ModuleActivity(c.ID, m.ID)}) {
			t.modules[a] = append(t.modules[a], moduleRef{c.ID, m.ID})
			mine = append(mine, a)
		}
	}
	if c.ActivityID != "" {
		t.courses[c.ActivityID] = append(t.courses[c.ActivityID], c.ID)
		mine = append(mine, c.ActivityID)
	}
	t.classActivity[c.ID] = mine
	if t.courseOf == nil {
		t.courseOf = map[string]string{}
	}
	t.courseOf[c.ID] = c.ActivityID
}

// mapStatement finds what a stored statement means for progress (DESIGN §6):
// the module its object is (by activity id; with several classes sharing
// it, the one whose course activity is the statement's parent or grouping),
// the enrollment of its actor in that class (account.name = the seeker id,
// or the learner recorded on the enrollment), and the event it adds. A
// statement that maps to nothing says why in Match.Unmatched.
func (s *Service) mapStatement(doc map[string]any, k xapi.Keys, c LRSClient) (Match, *ProgressEvent) {
	if k.Voids != "" {
		return Match{Unmatched: "a voiding statement: it withdraws the effect of " + k.Voids}, nil
	}
	if k.Activity == "" {
		return Match{Unmatched: "its object is not an activity"}, nil
	}
	t := &s.training
	t.mu.RLock()
	defer t.mu.RUnlock()
	cands := slices.Clone(t.modules[k.Activity])
	for _, class := range t.courses[k.Activity] {
		cands = append(cands, moduleRef{class: class})
	}
	if len(cands) == 0 {
		return Match{Unmatched: fmt.Sprintf("the activity %s is no class's or module's activityId", k.Activity)}, nil
	}
	if len(cands) > 1 {
		parents := contextParents(doc)
		narrowed := slices.DeleteFunc(slices.Clone(cands), func(r moduleRef) bool {
			course := t.courseOf[r.class]
			return course == "" || !slices.Contains(parents, course)
		})
		if len(narrowed) > 0 {
			cands = narrowed
		}
	}
	actor, _ := doc["actor"].(map[string]any)
	var seeker string
	if acc, ok := actor["account"].(map[string]any); ok {
		if name, _ := acc["name"].(string); ValidID(name) {
			seeker = name
		}
	}
	learnerOf := t.byLearner[xapi.AgentKey(actor)]
	var found *EnrollmentView
	var ref moduleRef
	for _, r := range cands {
		var v *EnrollmentView
		if id, ok := t.byPair[[2]string{seeker, r.class}]; ok && seeker != "" {
			v = t.byID[id]
		}
		for _, id := range learnerOf {
			if e := t.byID[id]; v == nil && e != nil && e.ClassID == r.class {
				v = e
			}
		}
		if v != nil && (found == nil || found.Status == EnrollmentWithdrawn) {
			found, ref = v, r
		}
	}
	if found == nil {
		classes := make([]string, 0, len(cands))
		for _, r := range cands {
			classes = append(classes, r.class)
		}
		return Match{Unmatched: fmt.Sprintf("the actor is not enrolled in class %s (neither account.name = a seeker id nor the learner recorded on an enrollment)",
			strings.Join(slices.Compact(classes), ", "))}, nil
	}
	m := Match{EnrollmentID: found.ID, SeekerID: found.SeekerID, ClassID: ref.class, ModuleID: ref.module}
	switch {
	case found.Status == EnrollmentWithdrawn:
		return Match{SeekerID: found.SeekerID, ClassID: ref.class, ModuleID: ref.module,
			Unmatched: "enrollment " + found.ID + " is withdrawn"}, nil
	case c.User.Role == RoleProvider && !slices.Contains(c.User.ClassIDs, ref.class):
		return Match{SeekerID: found.SeekerID, ClassID: ref.class, ModuleID: ref.module,
			Unmatched: "class " + ref.class + " is not among this provider's classes"}, nil
	}
	return m, statementEvent(doc, k, ref.module)
}

// contextParents are the ids of a statement's parent and grouping activities.
func contextParents(doc map[string]any) []string {
	cx, _ := doc["context"].(map[string]any)
	ca, _ := cx["contextActivities"].(map[string]any)
	var out []string
	for _, kind := range []string{"parent", "grouping"} {
		list, _ := ca[kind].([]any)
		for _, a := range list {
			if m, ok := a.(map[string]any); ok {
				if id, ok := m["id"].(string); ok {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// statementEvent is the progress event of a mapped statement: the verbs with
// an effect carry progress, completion, success and score; any other verb
// is activity (it counts for the last activity) without an effect.
func statementEvent(doc map[string]any, k xapi.Keys, module string) *ProgressEvent {
	ev := &ProgressEvent{Statement: k.ID, Module: module, At: statementTime(doc)}
	verb, effect := effectVerbs[k.Verb]
	if !effect {
		ev.Verb = k.Verb[strings.LastIndexAny(k.Verb, "/#:")+1:]
		return ev
	}
	ev.Verb = verb
	res, _ := doc["result"].(map[string]any)
	ext, _ := res["extensions"].(map[string]any)
	if n, ok := ext[ProgressExtension].(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			p := int(math.Floor(min(max(f, 0), 100))) // 62.5 counts as 62
			ev.Progress = &p
		}
	}
	completion, _ := res["completion"].(bool)
	ev.Completed = verb == "completed" || verb == "passed" || verb == "satisfied" || completion
	switch verb {
	case "passed":
		ev.Success = new(bool)
		*ev.Success = true
	case "failed":
		ev.Success = new(bool)
	default:
		if b, ok := res["success"].(bool); ok {
			ev.Success = &b
		}
	}
	score, _ := res["score"].(map[string]any)
	if n, ok := score["scaled"].(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			ev.Score = &f
		}
	}
	return ev
}

// statementTime is when the statement says it happened (its timestamp, set to stored when sent without).
func statementTime(doc map[string]any) time.Time {
	if s, ok := doc["timestamp"].(string); ok {
		if t, ok := xapi.ParseTimestamp(s); ok {
			return t.UTC().Truncate(time.Millisecond)
		}
	}
	t, _ := xapi.ParseTimestamp(doc["stored"].(string))
	return t
}

// appendProgress appends events to enrollments' logs and brings the roster
// up to date: with the new events folded in, or, when one withdraws a
// voided statement's effect, folded again from the whole log.
func (s *Service) appendProgress(ctx context.Context, events map[string][]ProgressEvent) error {
	if len(events) == 0 {
		return nil
	}
	revs, err := s.Store.AppendProgress(ctx, events)
	if err != nil {
		return err
	}
	cc := newClassCache(s.Store)
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	for id, evs := range events {
		v, ok := s.training.byIDCopy(id)
		if !ok {
			continue
		}
		c, err := cc.get(ctx, v.ClassID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(evs, func(ev ProgressEvent) bool { return ev.Voids != "" }) {
			full, err := s.Enrollment(ctx, id)
			if err != nil {
				return err
			}
			s.training.putEnrollment(full)
			continue
		}
		v.Progress = v.Progress.Add(evs, c)
		v.Rev, v.UpdatedAt = revs[id], now
		s.training.putEnrollment(v)
	}
	return nil
}

// StatementProgress is the progress event a statement (as decoded by
// xapi.Decode) adds to an enrollment when it maps to module: what the LRS
// appends to the log.
func StatementProgress(doc map[string]any, module string) *ProgressEvent {
	return statementEvent(doc, xapi.KeysOf(doc), module)
}
