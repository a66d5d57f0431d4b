package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"jobbridge/engine"
)

// FuzzDecodeCursor: any cursor string is refused with a 400-class error
// naming "cursor", or read as exactly n sort values (the first a number for
// a scored search) that encode back to the same cursor.
func FuzzDecodeCursor(f *testing.F) {
	enc := func(vals ...string) string {
		b, _ := json.Marshal(vals)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	for _, s := range []string{
		enc("a", "b"), enc("1.5", "p-000001"), enc("NaN", "x"), enc("1e999", "x"), enc("\x00", "\u202e"),
		enc("only one"), enc(), "", "====", "e30", "bnVsbA", base64.RawURLEncoding.EncodeToString([]byte(`["a",1]`)),
		base64.RawURLEncoding.EncodeToString([]byte("[\"\xff\"]")), "%00", "../../etc/passwd",
	} {
		f.Add(s, 1)
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, c string, n int) {
		n = 1 + n&1 // 1 or 2, the two orderings
		vals, err := decodeCursor(c, n)
		if err != nil {
			var e *engine.Error
			if !errors.As(err, &e) || e.Code != engine.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
				t.Fatalf("cursor %q: error %v does not name the cursor", c, err)
			}
			return
		}
		if len(vals) != n {
			t.Fatalf("cursor %q: %d values, want %d", c, len(vals), n)
		}
		again, err := decodeCursor(enc(vals...), n)
		if err != nil || !slices.Equal(again, vals) {
			t.Fatalf("cursor %q: %q does not round-trip (%q, %v)", c, vals, again, err)
		}
	})
}
