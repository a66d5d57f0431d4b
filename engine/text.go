package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one rule for the text this service takes, wherever it comes from (JSON
// bodies, forms, imports, xAPI statements): CheckJSON applies it to every
// string of a body before it is decoded, record validation applies the
// stricter line rule to names and titles.

// Limits on the shape of any JSON the service takes. MongoDB refuses
// documents nested deeper than 100 levels; no field of ours needs strings
// longer than MaxJSONString (the longest text field, a description, is 5,000
// characters; an xAPI context or extension value may use the rest).
const (
	MaxJSONDepth  = 100
	MaxJSONString = 16 << 10 // bytes
)

// TextProblem says what is wrong with s as text of a field, "" when nothing.
// Every text refuses invalid UTF-8, NUL and the other control characters
// (prose may hold tabs and line breaks) and the bidirectional embeddings,
// overrides and isolates (U+202A–202E, U+2066–2069), which make text read
// differently from what it holds. A line (line true: a name, a title) also
// refuses every other invisible formatting character: zero-width spaces and
// joiners, direction marks, the byte-order mark, soft hyphens.
func TextProblem(s string, line bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if line {
				return "must be one line, without tabs"
			}
		case unicode.IsControl(r):
			return fmt.Sprintf("must not contain control characters (U+%04X)", r)
		case bidiControl(r):
			return fmt.Sprintf("must not contain bidirectional control characters (U+%04X)", r)
		case line && unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("must not contain invisible formatting characters (U+%04X)", r)
		}
	}
	return ""
}

func bidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// CheckJSON checks a JSON text against the limits above and the text rule
// for prose, and refuses keys that could act as MongoDB operators or paths
// (a leading $, a dot; dots are allowed in the keys of an object under a key
// named dotsAllowedUnder, such as xAPI's "extensions" whose keys are IRIs; ""
// allows them nowhere). It returns the path of the first offending value or
// key ("" for the whole text) and what is wrong, or "", "" when the text
// passes. Invalid JSON is left to the decoder, which says more about it.
func CheckJSON(body []byte, dotsAllowedUnder string) (field, problem string) {
	return jsonWalk(body, walkRules{dotsAllowedUnder: dotsAllowedUnder, text: true})
}

// CheckJSONShape is the part of CheckJSON that keeps to the JSON a standard
// allows: invalid UTF-8, nesting deeper than MaxJSONDepth and strings (keys
// too) longer than MaxJSONString, without the text rule or the operator
// keys. The LRS uses it for xAPI statements, whose content xAPI defines and
// which reach MongoDB only as an encoded body.
func CheckJSONShape(body []byte) (field, problem string) {
	return jsonWalk(body, walkRules{})
}

// walkRules says what jsonWalk checks beyond the shape.
type walkRules struct {
	text             bool   // the text rule for prose, and operator keys
	dotsAllowedUnder string // with text: the key under which keys may hold dots
}

// frame is an open object or array of a walk: where it is and what comes next.
type frame struct {
	path   string
	object bool
	key    string // an object's current key ("" before the first)
	index  int    // an array's next index
	dotsOK bool   // keys may hold dots
	expect bool   // an object: the next token is a key
}

func jsonWalk(body []byte, rules walkRules) (string, string) {
	// With invalid UTF-8 somewhere, find the string holding the bad bytes:
	// the decoder would replace them.
	findUTF8 := !utf8.Valid(body)
	dotsAllowedUnder := rules.dotsAllowedUnder
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var stack []*frame
	// here is the path of the value the next token starts.
	here := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.object {
			return join(f.path, f.key)
		}
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	}
	// done moves past a complete value in the frame on top.
	done := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.expect = true
		} else {
			f.index++
		}
	}
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if findUTF8 {
				return "", "is not valid UTF-8"
			}
			return "", "" // the decoder reports it
		}
		raw := body[start:d.InputOffset()]
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			// A key (or the closing brace).
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				done()
				continue
			}
			k := tok.(string)
			top.key, top.expect = k, false
			p := join(top.path, k)
			switch {
			case findUTF8 && !utf8.Valid(raw):
				return p, "is a key that is not valid UTF-8"
			case rules.text && (strings.HasPrefix(k, "$") || (!top.dotsOK && strings.Contains(k, "."))):
				return p, "keys starting with $ or containing . are not allowed"
			case len(k) > MaxJSONString:
				return p, fmt.Sprintf("is a key longer than %d bytes", MaxJSONString)
			}
			if msg := TextProblem(k, false); rules.text && msg != "" {
				return p, "is a key that " + strings.TrimPrefix(msg, "is ")
			}
			continue
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if len(stack) >= MaxJSONDepth {
					return outermostField(stack, here()), fmt.Sprintf("nests deeper than %d levels", MaxJSONDepth)
				}
				f := &frame{path: here(), object: v == '{', expect: v == '{'}
				if f.object && top != nil && top.object && dotsAllowedUnder != "" && top.key == dotsAllowedUnder {
					f.dotsOK = true
				}
				stack = append(stack, f)
			case ']', '}':
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			p := here()
			switch {
			case findUTF8 && !utf8.Valid(raw):
				return p, "is not valid UTF-8"
			case len(v) > MaxJSONString:
				return p, fmt.Sprintf("is longer than %d bytes", MaxJSONString)
			}
			if msg := TextProblem(v, false); rules.text && msg != "" {
				return p, msg
			}
			done()
		default:
			done()
		}
	}
	if findUTF8 {
		return "", "is not valid UTF-8"
	}
	return "", ""
}

// outermostField names the field a too-deep value lies under: the outermost
// open container reached through a key (not the hundred-level path to it).
func outermostField(stack []*frame, deepest string) string {
	for _, f := range stack {
		if strings.Trim(f.path, "[]0123456789") != "" {
			return f.path
		}
	}
	return deepest
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
