package engine

import "testing"

func TestOperatorKey(t *testing.T) {
	obj := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name  string
		v     any
		under string
		want  string
	}{
		{"clean", obj("name", "x", "home", obj("lat", 31.2)), "", ""},
		{"dollar key", obj("$where", "1"), "", "$where"},
		{"operator value", obj("name", obj("$gt", "")), "", "name.$gt"},
		{"dotted key", obj("abilities", obj("vision.x", 1)), "", "abilities.vision.x"},
		{"in a list", obj("skills", []any{obj("code", "a"), obj("$ne", 1)}), "", "skills[1].$ne"},
		{"IRI under extensions allowed", obj("result", obj("extensions", obj("https://w3id.org/x.y", 40))), "extensions", ""},
		{"IRI elsewhere refused", obj("result", obj("https://w3id.org/x.y", 40)), "extensions", "result.https://w3id.org/x.y"},
		{"dollar under extensions refused", obj("extensions", obj("$set", 1)), "extensions", "extensions.$set"},
		{"dots not allowed below the extensions object", obj("extensions", obj("k", obj("a.b", 1))), "extensions", "extensions.k.a.b"},
	}
	for _, c := range cases {
		if got := OperatorKey(c.v, c.under); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
