package api

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"jobbridge/engine"
)

// FuzzDecodeJSON: the strict decoder of request bodies never panics; it
// refuses with EINVALID naming a field, or accepts exactly one JSON object
// whose every key the target type knows (a second, lenient decode into the
// same type then agrees).
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"name":"施峰","street":"xujiahui","skills":[{"code":"data-entry","level":3}]}`,
		`{"name":"a\u0000b"}`, `{"name":"\u202eevil"}`, "{\"name\":\"\xff\"}", `{"name":"` + strings.Repeat("长", 9000) + `"}`,
		`{"home":{"lat":NaN,"lon":121.4}}`, `{"home":{"lat":1e999}}`, `{"$where":"1"}`, `{"skills.$":1}`,
		`{"unknownField":1}`, `{"name":1}`, `{"erased":true}`, `[]`, `null`, `"x"`, `{} {}`, `{"a":`,
		strings.Repeat(`{"context":`, 150) + `1` + strings.Repeat(`}`, 150),
		`{"name":"a","name":"b"}`, `{"Name":"case"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v engine.Seeker
		err := decodeJSON(b, &v)
		if err != nil {
			var e *engine.Error
			if !errors.As(err, &e) || e.Code != engine.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field == "" {
				t.Fatalf("%q: %v is not an EINVALID naming a field", b, err)
			}
			return
		}
		var raw map[string]any
		if json.Unmarshal(b, &raw) != nil {
			t.Fatalf("%q accepted but is not one JSON object", b)
		}
		var w engine.Seeker
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("%q accepted strictly but not leniently: %v", b, err)
		}
	})
}
