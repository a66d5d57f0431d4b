package engine

import (
	"strings"
	"testing"
)

func TestTextProblem(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		s     string
		line  bool
		wants string // "" when the text passes
	}{
		{"Chinese name", "王芳", true, ""},
		{"English with emoji", "Pastry cook 🧁", true, ""},
		{"prose with lines and tabs", "第一行\n\t第二行\r\n", false, ""},
		{"NUL", "王\x00芳", true, "control"},
		{"NUL in prose", "a\x00b", false, "control"},
		{"DEL", "a\x7fb", false, "control"},
		{"C1 control", "a\u0085b", false, "control"},
		{"newline in a line", "王\n芳", true, "one line"},
		{"RLO", "abc\u202egnp.exe", true, "bidirectional"},
		{"RLO in prose", "abc\u202e", false, "bidirectional"},
		{"isolate", "a\u2067b\u2069", false, "bidirectional"},
		{"zero-width space", "王\u200b芳", true, "invisible"},
		{"zero-width joiner", "王\u200d芳", true, "invisible"},
		{"byte-order mark", "\ufeff王芳", true, "invisible"},
		{"soft hyphen", "co\u00adop", true, "invisible"},
		{"LRM", "a\u200eb", true, "invisible"},
		{"invalid UTF-8", "王\xff芳", true, "UTF-8"},
		{"invalid UTF-8 in prose", "\xc3\x28", false, "UTF-8"},
	}
	for _, c := range cases {
		got := TextProblem(c.s, c.line)
		if (c.wants == "") != (got == "") || !strings.Contains(got, c.wants) {
			t.Errorf("%s: %q, want a problem with %q", c.name, got, c.wants)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	cases := []struct {
		name, body, under string
		field, wants      string // wants "" when the text passes
	}{
		{"clean", `{"name":"x","home":{"lat":31.2}}`, "", "", ""},
		{"dollar key", `{"$where":"1"}`, "", "$where", "$"},
		{"operator value", `{"name":{"$gt":""}}`, "", "name.$gt", "$"},
		{"dotted key", `{"abilities":{"vision.x":1}}`, "", "abilities.vision.x", "."},
		{"in a list", `{"skills":[{"code":"a"},{"$ne":1}]}`, "", "skills[1].$ne", "$"},
		{"IRI under extensions allowed", `{"result":{"extensions":{"https://w3id.org/x.y":40}}}`, "extensions", "", ""},
		{"IRI elsewhere refused", `{"result":{"https://w3id.org/x.y":40}}`, "extensions", "result.https://w3id.org/x.y", "."},
		{"dollar under extensions refused", `{"extensions":{"$set":1}}`, "extensions", "extensions.$set", "$"},
		{"dots not allowed below the extensions object", `{"extensions":{"k":{"a.b":1}}}`, "extensions", "extensions.k.a.b", "."},
		{"top-level array", `[{"ok":1},{"x":{"$y":1}}]`, "", "[1].x.$y", "$"},
		{"100 levels", deep(100), "", "", ""},
		{"101 levels", deep(101), "", "a", "deeper than 100"},
		{"arrays count", `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, "", "a", "deeper"},
		{"string at the limit", `{"s":"` + strings.Repeat("x", MaxJSONString) + `"}`, "", "", ""},
		{"string over the limit", `{"list":["a","` + strings.Repeat("x", MaxJSONString+1) + `"]}`, "", "list[1]", "longer"},
		{"NUL escaped", `{"name":"a\u0000b"}`, "", "name", "control"},
		{"RLO escaped", `{"note":"a\u202eb"}`, "", "note", "bidirectional"},
		{"line breaks pass", `{"description":"a\nb"}`, "", "", ""},
		{"invalid UTF-8 value", "{\"a\":\"ok\",\"name\":\"\xff\"}", "", "name", "UTF-8"},
		{"invalid UTF-8 key", "{\"n\xffm\":1}", "", "n\ufffdm", "UTF-8"},
		{"invalid JSON is the decoder's", `{"a":`, "", "", ""},
	}
	for _, c := range cases {
		field, problem := CheckJSON([]byte(c.body), c.under)
		if (c.wants == "") != (problem == "") || !strings.Contains(problem, c.wants) || field != c.field {
			t.Errorf("%s: %q %q, want field %q and a problem with %q", c.name, field, problem, c.field, c.wants)
		}
	}
}

// TestCheckJSONShape: the shape part alone takes what only the text rule or
// the operator keys refuse, and refuses the rest like CheckJSON.
func TestCheckJSONShape(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	cases := []struct{ name, body, field, wants string }{
		{"operator key passes", `{"$where":"1","a.b":2}`, "", ""},
		{"control character passes", `{"name":"a\u0000\u202eb"}`, "", ""},
		{"100 levels", deep(100), "", ""},
		{"101 levels", `{"context":` + deep(100) + `}`, "context", "deeper than 100"},
		{"string over the limit", `{"context":{"x":"` + strings.Repeat("x", MaxJSONString+1) + `"}}`, "context.x", "longer"},
		{"key over the limit", `{"` + strings.Repeat("k", MaxJSONString+1) + `":1}`, strings.Repeat("k", MaxJSONString+1), "key longer"},
		{"invalid UTF-8", "{\"verb\":{\"display\":{\"en\":\"\xff\"}}}", "verb.display.en", "UTF-8"},
	}
	for _, c := range cases {
		field, problem := CheckJSONShape([]byte(c.body))
		if (c.wants == "") != (problem == "") || !strings.Contains(problem, c.wants) || field != c.field {
			t.Errorf("%s: %q %q, want field %q and a problem with %q", c.name, field, problem, c.field, c.wants)
		}
	}
}
