package xapi

import (
	"bytes"
	"strings"
	"testing"
)

// hostile are inputs a hostile test sent (issue 11): control and bidi
// characters, invalid UTF-8, deep nesting, huge strings and numbers, operator
// keys, trailing data.
var hostile = []string{
	base,
	with(`"mailto:a@example.com"`, `"mailto:a\u0000@example.com"`),
	with(`"完成"`, `"\u202e完成\u200b"`),
	with(`"完成"`, "\"\xff\xfe\""),
	add(`"context":` + strings.Repeat(`{"extensions":{"http://e/x":`, 200) + `1` + strings.Repeat(`}}`, 200)),
	add(`"result":{"score":{"scaled":1e999,"raw":-0,"min":NaN}}`),
	add(`"$where":"1"`),
	add(`"timestamp":"2026-02-30T25:61:61Z"`),
	base + `{}`,
	`[` + base + `,` + base + `]`,
	`null`, `""`, `{`, `{"actor":[]}`,
	add(`"object":{"objectType":"SubStatement","actor":{"mbox":"mailto:b@e.com"},"verb":{"id":"http://v"},"object":{"objectType":"SubStatement"}}`),
}

// FuzzStatement: the statement decoder and checker never panic, and a value
// that decodes encodes back to JSON that decodes to the same encoding.
func FuzzStatement(f *testing.F) {
	for _, s := range hostile {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Decode(b)
		if err != nil {
			return
		}
		_ = CheckStatement(v)
		if list, ok := v.([]any); ok {
			for _, st := range list {
				_ = CheckStatement(st)
			}
		}
		enc := Encode(v)
		w, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", enc, err)
		}
		if again := Encode(w); !bytes.Equal(again, enc) {
			t.Fatalf("encoding is not stable: %q then %q", enc, again)
		}
	})
}
