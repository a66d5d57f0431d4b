package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// statementJSON builds a statement, replacing or (with nil) deleting top-level parts.
func statementJSON(t *testing.T, change map[string]any) string {
	t.Helper()
	st := map[string]any{
		"id":     "6fbd4d3c-2b8a-4c2e-9a51-0d6c1c7c9f10",
		"actor":  map[string]any{"objectType": "Agent", "account": map[string]any{"homePage": "https://jobbridge.example", "name": "s-000002"}},
		"verb":   map[string]any{"id": VerbPrefix + "progressed", "display": map[string]any{"en-US": "progressed"}},
		"object": map[string]any{"objectType": "Activity", "id": ObjectID("c-0001", "m01")},
		"result": map[string]any{"extensions": map[string]any{ProgressExtension: 40}},
		"context": map[string]any{"registration": "0b6c6f0a-6a59-4c8b-9d3f-6b1f1c5e8c11",
			"extensions": map[string]any{"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "x"}},
		"timestamp": "2026-09-02T10:00:00+08:00",
	}
	for k, v := range change {
		if v == nil {
			delete(st, k)
		} else {
			st[k] = v
		}
	}
	b, _ := json.Marshal(st)
	return string(b)
}

func TestParseStatements(t *testing.T) {
	now := time.Date(2026, 9, 2, 12, 0, 0, 0, Shanghai)
	t.Run("valid", func(t *testing.T) {
		sts, err := ParseStatements([]byte(statementJSON(t, nil)), now)
		if err != nil {
			t.Fatal(err)
		}
		st := sts[0]
		if st.SeekerID != "s-000002" || st.ClassID != "c-0001" || st.ModuleID != "m01" || st.Verb != "progressed" ||
			*st.Progress != 40 || !st.Timestamp.Equal(time.Date(2026, 9, 2, 10, 0, 0, 0, Shanghai)) {
			t.Fatalf("parsed %+v", st)
		}
		var back map[string]any
		if err := json.Unmarshal(st.JSON(), &back); err != nil || back["stored"] == nil || back["context"] == nil {
			t.Fatalf("JSON() = %s", st.JSON())
		}
	})
	t.Run("array, id and timestamp filled", func(t *testing.T) {
		body := "[" + statementJSON(t, map[string]any{"id": nil, "timestamp": nil}) + "," +
			statementJSON(t, map[string]any{"id": "6FBD4D3C-2B8A-4C2E-9A51-0D6C1C7C9F11", "verb": map[string]any{"id": VerbPrefix + "passed"},
				"result": map[string]any{"score": map[string]any{"scaled": 0.8}, "success": true}}) + "]"
		sts, err := ParseStatements([]byte(body), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) != 2 || !uuidPattern.MatchString(sts[0].ID) || !sts[0].Timestamp.Equal(now) {
			t.Fatalf("parsed %+v", sts[0])
		}
		if sts[1].ID != "6fbd4d3c-2b8a-4c2e-9a51-0d6c1c7c9f11" || *sts[1].Scaled != 0.8 || !sts[1].Event().Completed {
			t.Fatalf("parsed %+v", sts[1])
		}
	})

	bad := []struct {
		name   string
		body   string
		field  string
		phrase string
	}{
		{"unknown verb", statementJSON(t, map[string]any{"verb": map[string]any{"id": VerbPrefix + "liked"}}), "verb.id", "unknown verb"},
		{"verb outside ADL", statementJSON(t, map[string]any{"verb": map[string]any{"id": "https://example.com/verbs/progressed"}}), "verb.id", "unknown verb"},
		{"malformed object id", statementJSON(t, map[string]any{"object": map[string]any{"id": "urn:jobbridge:class:c-0001"}}), "object.id", "malformed"},
		{"object id with uppercase", statementJSON(t, map[string]any{"object": map[string]any{"id": "urn:jobbridge:class:C1:module:m1"}}), "object.id", "malformed"},
		{"progress over 100", statementJSON(t, map[string]any{"result": map[string]any{"extensions": map[string]any{ProgressExtension: 101}}}), "result.extensions." + ProgressExtension, "0 to 100"},
		{"progress negative", statementJSON(t, map[string]any{"result": map[string]any{"extensions": map[string]any{ProgressExtension: -1}}}), "result.extensions." + ProgressExtension, "0 to 100"},
		{"progress not an integer", statementJSON(t, map[string]any{"result": map[string]any{"extensions": map[string]any{ProgressExtension: 40.5}}}), "result.extensions." + ProgressExtension, "integer"},
		{"progressed without progress", statementJSON(t, map[string]any{"result": nil}), "result.extensions", "progress"},
		{"scaled over 1", statementJSON(t, map[string]any{"result": map[string]any{"score": map[string]any{"scaled": 1.2}, "extensions": map[string]any{ProgressExtension: 4}}}), "result.score.scaled", "between 0 and 1"},
		{"scaled negative", statementJSON(t, map[string]any{"result": map[string]any{"score": map[string]any{"scaled": -0.5}, "extensions": map[string]any{ProgressExtension: 4}}}), "result.score.scaled", "between 0 and 1"},
		{"future timestamp", statementJSON(t, map[string]any{"timestamp": now.Add(10 * time.Minute).Format(time.RFC3339)}), "timestamp", "future"},
		{"timestamp without zone", statementJSON(t, map[string]any{"timestamp": "2026-09-02T10:00:00"}), "timestamp", "zone"},
		{"actor by mbox", statementJSON(t, map[string]any{"actor": map[string]any{"mbox": "mailto:a@b.c"}}), "mbox", "not part"},
		{"actor without account", statementJSON(t, map[string]any{"actor": map[string]any{"name": "x"}}), "actor.account", "required"},
		{"actor name not an id", statementJSON(t, map[string]any{"actor": map[string]any{"account": map[string]any{"homePage": "https://x.y", "name": "S 1"}}}), "actor.account.name", "seeker id"},
		{"id not a uuid", statementJSON(t, map[string]any{"id": "abc"}), "id", "UUID"},
		{"operator key", statementJSON(t, map[string]any{"context": map[string]any{"$where": "1"}}), "context.$where", "not allowed"},
		{"dotted key outside extensions", statementJSON(t, map[string]any{"context": map[string]any{"a.b": 1}}), "context.a.b", "not allowed"},
		{"unknown top-level field", statementJSON(t, map[string]any{"attachments": []any{}}), "attachments", "not part"},
		{"passed with success false", statementJSON(t, map[string]any{"verb": map[string]any{"id": VerbPrefix + "passed"}, "result": map[string]any{"success": false}}), "result.success", "contradicts"},
		{"empty array", "[]", "body", "no statement"},
		{"not an object", `"x"`, "body", "must be"},
		{"second of two", "[" + statementJSON(t, nil) + "," + statementJSON(t, map[string]any{"verb": map[string]any{"id": "x"}}) + "]", "[1].verb.id", "unknown verb"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStatements([]byte(tt.body), now)
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID {
				t.Fatalf("got %v, want invalid", err)
			}
			for _, f := range e.Fields {
				if f.Field == tt.field && strings.Contains(f.Message, tt.phrase) {
					return
				}
			}
			t.Fatalf("fields %+v do not name %s with %q", e.Fields, tt.field, tt.phrase)
		})
	}
}

func TestXAPIVersionOK(t *testing.T) {
	for v, want := range map[string]bool{"1.0.3": true, "1.0.0": true, "1.0": true, "": false, "0.95": false, "2.0.0": false, "1.0.3 ": true} {
		if XAPIVersionOK(v) != want {
			t.Errorf("XAPIVersionOK(%q) != %v", v, want)
		}
	}
}
