package xapi

import (
	"slices"
	"strings"
)

// AgentKey is the identity of an Agent or identified Group: its objectType
// and its one IFI ("Agent|mbox|mailto:a@example.com"). Two agents are the
// same when their keys are. An anonymous Group (no IFI) has none ("").
func AgentKey(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	kind := "Agent"
	if m["objectType"] == "Group" {
		kind = "Group"
	}
	if s, ok := m["mbox"].(string); ok {
		return kind + "|mbox|" + s
	}
	if s, ok := m["mbox_sha1sum"].(string); ok {
		return kind + "|sha1|" + strings.ToLower(s)
	}
	if s, ok := m["openid"].(string); ok {
		return kind + "|openid|" + s
	}
	if a, ok := m["account"].(map[string]any); ok {
		hp, _ := a["homePage"].(string)
		name, _ := a["name"].(string)
		return kind + "|account|" + hp + "|" + name
	}
	return ""
}

// Keys are what the statement index files a statement under.
type Keys struct {
	ID   string // lower case
	Verb string
	// Agents are the actor and an agent object: what ?agent= matches.
	Agents []string
	// Related are every agent the statement names (actor, object, authority,
	// instructor, team, group members, and a SubStatement's): related_agents=true.
	Related []string
	// Activity is the object's id when it is an Activity: what ?activity= matches.
	Activity string
	// Activities are the object and every context activity, a SubStatement's
	// too: related_activities=true.
	Activities   []string
	Registration string // lower case
	// Voids is the id of the statement a voiding statement voids (lower case).
	Voids string
	// Ref is the id a StatementRef object names, when not voiding (lower case).
	Ref string
}

// KeysOf reads a stored statement's keys.
func KeysOf(st map[string]any) Keys {
	var k Keys
	k.ID = strings.ToLower(str(st["id"]))
	verb, _ := st["verb"].(map[string]any)
	k.Verb = str(verb["id"])
	add := func(list *[]string, s string) {
		if s != "" && !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	related := func(v any) {
		add(&k.Related, AgentKey(v))
		if m, ok := v.(map[string]any); ok {
			if members, ok := m["member"].([]any); ok {
				for _, mem := range members {
					add(&k.Related, AgentKey(mem))
				}
			}
		}
	}
	var walk func(s map[string]any, top bool)
	walk = func(s map[string]any, top bool) {
		related(s["actor"])
		if top {
			add(&k.Agents, AgentKey(s["actor"]))
		}
		obj, _ := s["object"].(map[string]any)
		switch ot := str(obj["objectType"]); ot {
		case "", "Activity":
			id := str(obj["id"])
			if top {
				k.Activity = id
			}
			add(&k.Activities, id)
		case "Agent", "Group":
			related(obj)
			if top {
				add(&k.Agents, AgentKey(obj))
			}
		case "SubStatement":
			if top {
				walk(obj, false)
			}
		case "StatementRef":
			if top {
				if k.Verb == VerbVoided {
					k.Voids = strings.ToLower(str(obj["id"]))
				} else {
					k.Ref = strings.ToLower(str(obj["id"]))
				}
			}
		}
		if cx, ok := s["context"].(map[string]any); ok {
			related(cx["instructor"])
			related(cx["team"])
			if top {
				k.Registration = strings.ToLower(str(cx["registration"]))
			}
			if ca, ok := cx["contextActivities"].(map[string]any); ok {
				for _, kind := range []string{"parent", "grouping", "category", "other"} {
					for _, a := range asList(ca[kind]) {
						if am, ok := a.(map[string]any); ok {
							add(&k.Activities, str(am["id"]))
						}
					}
				}
			}
		}
		if top {
			related(s["authority"])
		}
	}
	walk(st, true)
	return k
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	}
	return []any{v}
}

// Normalize puts a checked statement in the form the LRS stores: single
// context activities become arrays of one (Data 2.4.6.2), in the statement
// and in a SubStatement.
func Normalize(st map[string]any) {
	fix := func(s map[string]any) {
		cx, _ := s["context"].(map[string]any)
		ca, _ := cx["contextActivities"].(map[string]any)
		for k, v := range ca {
			if _, isList := v.([]any); !isList {
				ca[k] = []any{v}
			}
		}
	}
	fix(st)
	if obj, ok := st["object"].(map[string]any); ok && obj["objectType"] == "SubStatement" {
		fix(obj)
	}
}
