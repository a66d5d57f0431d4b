package xapi

import (
	"strings"
	"testing"
)

const base = `{"actor":{"objectType":"Agent","mbox":"mailto:a@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"zh-CN":"完成","en-US":"completed"}},"object":{"id":"http://example.com/a/1"}}`

// with replaces the first occurrence of old in base.
func with(old, new string) string { return strings.Replace(base, old, new, 1) }

// add puts extra properties into the base statement.
func add(props string) string { return strings.TrimSuffix(base, "}") + "," + props + "}" }

func TestCheckStatement(t *testing.T) {
	accepted := map[string]string{
		"the base statement":  base,
		"an id in upper case": add(`"id":"AA97B177-9383-4934-8543-0F91A7A02836"`),
		"a group actor with members": with(`{"objectType":"Agent","mbox":"mailto:a@example.com"}`,
			`{"objectType":"Group","member":[{"mbox":"mailto:b@example.com"},{"account":{"homePage":"http://lms.example","name":"7"}}]}`),
		"an identified group":    with(`"objectType":"Agent","mbox"`, `"objectType":"Group","mbox"`),
		"an openid":              with(`"mbox":"mailto:a@example.com"`, `"openid":"http://openid.example.org/1"`),
		"an mbox_sha1sum":        with(`"mbox":"mailto:a@example.com"`, `"mbox_sha1sum":"cd9b00a5611f94eaa7b1661edab976068e364975"`),
		"a verb with any IRI":    with(`http://adlnet.gov/expapi/verbs/completed`, `https://w3id.org/xapi/adl/verbs/satisfied`),
		"a publisher IRI object": with(`http://example.com/a/1`, `https://courses.example.cn/au/intro?x=1`),
		"scores and durations": add(`"result":{"score":{"scaled":-0.2,"raw":3,"min":0,"max":10},"success":false,"completion":true,` +
			`"duration":"P3Y1M29DT4H35M59.14S","extensions":{"https://w3id.org/xapi/cmi5/result/extensions/progress":62.5}}`),
		"a week duration": add(`"result":{"duration":"P2W"}`),
		"a context": add(`"context":{"registration":"ec531277-b57b-4c15-8d91-d292c5b2b8f7","instructor":{"mbox":"mailto:t@example.com"},` +
			`"team":{"objectType":"Group","mbox":"mailto:team@example.com"},"contextActivities":{"parent":{"id":"http://example.com/course"},"grouping":[{"id":"http://example.com/g"}]},` +
			`"revision":"2","platform":"Moodle","language":"zh-Hans-CN","statement":{"objectType":"StatementRef","id":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"},` +
			`"extensions":{"http://lrs.example.com/ext/a.b.c":{"k.with.dots":1,"$odd":null}}}`),
		"timestamps with zones": add(`"timestamp":"2026-09-01T10:00:00.123+08:00"`),
		"a Z timestamp":         add(`"timestamp":"2026-09-01T02:00:00Z"`),
		"a +0800 timestamp":     add(`"timestamp":"2026-09-01T10:00:00+0800"`),
		"a substatement": with(`{"id":"http://example.com/a/1"}`,
			`{"objectType":"SubStatement","actor":{"mbox":"mailto:b@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/b"}}`),
		"a statement ref": with(`{"id":"http://example.com/a/1"}`, `{"objectType":"StatementRef","id":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"}`),
		"a definition": with(`{"id":"http://example.com/a/1"}`, `{"id":"http://example.com/q","definition":{"name":{"zh-CN":"题"},`+
			`"type":"http://adlnet.gov/expapi/activities/cmi.interaction","interactionType":"choice","correctResponsesPattern":["a"],`+
			`"choices":[{"id":"a","description":{"en":"A"}},{"id":"b"}]}}`),
		"an authority pair": add(`"authority":{"objectType":"Group","member":[{"account":{"homePage":"http://example.com/oauth","name":"c"}},{"mbox":"mailto:u@example.com"}]}`),
		"version 1.0":       add(`"version":"1.0"`),
		"an attachment":     add(`"attachments":[{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain; charset=utf-8","length":3,"sha2":"` + strings.Repeat("ab", 32) + `"}]`),
	}
	for name, body := range accepted {
		t.Run("accepts "+name, func(t *testing.T) {
			v, err := Decode([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if p := CheckStatement(v); len(p) > 0 {
				t.Fatalf("refused: %+v", p)
			}
		})
	}
	refused := []struct{ name, body, field string }{
		{"Verb in the wrong case", with(`"verb"`, `"Verb"`), "Verb"},
		{"an unknown property", add(`"extra":1`), "extra"},
		{"two IFIs", with(`"mbox":"mailto:a@example.com"`, `"mbox":"mailto:a@example.com","openid":"http://o.example/1"`), "actor"},
		{"no IFI", with(`"mbox":"mailto:a@example.com"`, `"name":"x"`), "actor"},
		{"an mbox without mailto", with(`mailto:a@example.com`, `a@example.com`), "actor.mbox"},
		{"agent in lower case", with(`"objectType":"Agent"`, `"objectType":"agent"`), "actor.objectType"},
		{"an account without homePage", with(`"mbox":"mailto:a@example.com"`, `"account":{"name":"x"}`), "actor.account.homePage"},
		{"a homePage without scheme", with(`"mbox":"mailto:a@example.com"`, `"account":{"homePage":"ab=c://x","name":"x"}`), "actor.account.homePage"},
		{"an anonymous group without members", with(`"objectType":"Agent","mbox":"mailto:a@example.com"`, `"objectType":"Group"`), "actor.member"},
		{"a group in a group", with(`{"objectType":"Agent","mbox":"mailto:a@example.com"}`, `{"objectType":"Group","member":[{"objectType":"Group","mbox":"mailto:g@example.com"}]}`), "actor.member[0].objectType"},
		{"a verb id without scheme", with(`http://adlnet.gov/expapi/verbs/completed`, `adlnet.gov/expapi/verbs/completed`), "verb.id"},
		{"a bad language tag", with(`"zh-CN"`, `"a12345"`), "verb.display.a12345"},
		{"a non-UUID id", add(`"id":"MA97B177-9383-4934-8543-0F91A7A02836"`), "id"},
		{"scaled below -1", add(`"result":{"score":{"scaled":-1.2}}`), "result.score.scaled"},
		{"raw above max", add(`"result":{"score":{"raw":11,"min":0,"max":10}}`), "result.score.raw"},
		{"min above max", add(`"result":{"score":{"min":5,"max":1}}`), "result.score.min"},
		{"a bad duration", add(`"result":{"duration":"PA1H0M0S"}`), "result.duration"},
		{"a duration of P alone", add(`"result":{"duration":"P"}`), "result.duration"},
		{"an extension key that is no IRI", add(`"result":{"extensions":{"progress":10}}`), "result.extensions.progress"},
		{"a registration that is no UUID", add(`"context":{"registration":"reg-1"}`), "context.registration"},
		{"a team that is an agent", add(`"context":{"team":{"mbox":"mailto:t@example.com"}}`), "context.team"},
		{"platform on an agent object", with(`{"id":"http://example.com/a/1"}`, `{"objectType":"Agent","mbox":"mailto:o@example.com"},"context":{"platform":"x"}`), "context.platform"},
		{"a timestamp without zone", add(`"timestamp":"2026-09-01T10:00:00"`), "timestamp"},
		{"a timestamp with -00:00", add(`"timestamp":"2026-09-01T10:00:00-00:00"`), "timestamp"},
		{"a date only", add(`"timestamp":"2026-09-01"`), "timestamp"},
		{"version 1.1.0", add(`"version":"1.1.0"`), "version"},
		{"a substatement in a substatement", with(`{"id":"http://example.com/a/1"}`,
			`{"objectType":"SubStatement","actor":{"mbox":"mailto:b@example.com"},"verb":{"id":"http://example.com/v"},"object":{"objectType":"SubStatement"}}`), "object.object.objectType"},
		{"an id in a substatement", with(`{"id":"http://example.com/a/1"}`,
			`{"objectType":"SubStatement","id":"ec531277-b57b-4c15-8d91-d292c5b2b8f7","actor":{"mbox":"mailto:b@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/b"}}`), "object.id"},
		{"a voiding statement on an activity", with(`http://adlnet.gov/expapi/verbs/completed`, VerbVoided), "object.objectType"},
		{"choices without interactionType", with(`{"id":"http://example.com/a/1"}`, `{"id":"http://example.com/q","definition":{"choices":[{"id":"a"}]}}`), "object.definition.interactionType"},
		{"repeated component ids", with(`{"id":"http://example.com/a/1"}`, `{"id":"http://example.com/q","definition":{"interactionType":"choice","choices":[{"id":"a"},{"id":"a"}]}}`), "object.definition.choices[1].id"},
		{"an authority group with an IFI", add(`"authority":{"objectType":"Group","mbox":"mailto:g@example.com","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"}]}`), "authority"},
		{"an attachment without sha2", add(`"attachments":[{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain","length":3}]`), "attachments[0].sha2"},
		{"a null verb", with(`{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"zh-CN":"完成","en-US":"completed"}}`, `null`), "verb"},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			v, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			p := CheckStatement(v)
			for _, pr := range p {
				if pr.Field == tt.field {
					return
				}
			}
			t.Fatalf("want a problem with %s, got %+v", tt.field, p)
		})
	}
}

func TestKeysAndFormats(t *testing.T) {
	v, _ := Decode([]byte(add(`"id":"EC531277-B57B-4C15-8D91-D292C5B2B8F7","context":{"registration":"AB531277-B57B-4C15-8D91-D292C5B2B8F7",` +
		`"instructor":{"mbox":"mailto:t@example.com"},"contextActivities":{"parent":{"id":"http://example.com/course"}}}`)))
	st := v.(map[string]any)
	Normalize(st)
	k := KeysOf(st)
	if k.ID != "ec531277-b57b-4c15-8d91-d292c5b2b8f7" || k.Registration != "ab531277-b57b-4c15-8d91-d292c5b2b8f7" ||
		k.Activity != "http://example.com/a/1" || len(k.Activities) != 2 || len(k.Agents) != 1 || len(k.Related) != 2 {
		t.Fatalf("keys %+v", k)
	}
	if _, isList := st["context"].(map[string]any)["contextActivities"].(map[string]any)["parent"].([]any); !isList {
		t.Fatal("a single parent activity was not made an array")
	}
	ids := Formatted(st, FormatIDs, nil)
	if verb := ids["verb"].(map[string]any); len(verb) != 1 {
		t.Fatalf("ids verb %v", verb)
	}
	if obj := ids["object"].(map[string]any); len(obj) != 1 || obj["id"] != "http://example.com/a/1" {
		t.Fatalf("ids object %v", obj)
	}
	canon := Formatted(st, FormatCanonical, AcceptLanguages("en-GB;q=0.8, zh;q=0.9"))
	if d := canon["verb"].(map[string]any)["display"].(map[string]any); len(d) != 1 || d["zh-CN"] != "完成" {
		t.Fatalf("canonical display %v", d)
	}
	if d := st["verb"].(map[string]any)["display"].(map[string]any); len(d) != 2 {
		t.Fatal("canonical changed the stored statement")
	}
}

func TestParseTimestamp(t *testing.T) {
	for s, ok := range map[string]bool{"2026-09-01T10:00:00Z": true, "2026-09-01T10:00:00.123456+08:00": true, "2026-09-01T10:00:00+08": true,
		"2026-02-30T10:00:00Z": false, "2026-09-01 10:00:00Z": false, "2026-09-01T10:00:00-0000": false, "01/011/2015": false} {
		if _, got := ParseTimestamp(s); got != ok {
			t.Errorf("%s: %v, want %v", s, got, ok)
		}
	}
}
