package api

import (
	"encoding/json"
	"fmt"

	"jobbridge/engine"
)

// DecodeLine decodes one NDJSON line of an import: a record in the API's
// shape with a "kind" field. It applies the API's strict decoding (unknown
// fields, wrong types, operator-like keys are errors). A user line carries
// either a "password" or the "passwordHash" an export wrote.
func DecodeLine(line []byte) (engine.Kind, engine.Record, error) {
	var head struct {
		Kind engine.Kind `json:"kind"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return "", nil, fmt.Errorf("not a JSON object: %w", err)
	}
	var (
		r   engine.Record
		err error
	)
	switch head.Kind {
	case engine.KindUser:
		var in struct {
			Kind engine.Kind `json:"kind"`
			userInput
			PasswordHash string `json:"passwordHash"`
		}
		if err = decodeJSON(line, &in); err != nil {
			return "", nil, err
		}
		u := in.User
		switch {
		case in.PasswordHash != "":
			u.PasswordHash = in.PasswordHash
		case engine.CheckPassword(in.Password) != "":
			return "", nil, invalid("password", engine.CheckPassword(in.Password))
		default:
			if u.PasswordHash, err = HashPassword(in.Password); err != nil {
				return "", nil, err
			}
		}
		r = &u
	default:
		r = engine.NewRecord(head.Kind)
		if r == nil {
			return "", nil, invalid("kind", fmt.Sprintf("unknown kind %q", head.Kind))
		}
		var m map[string]json.RawMessage
		if err = json.Unmarshal(line, &m); err != nil {
			return "", nil, invalid("body", "is not a JSON object")
		}
		delete(m, "kind")
		rest, _ := json.Marshal(m)
		if err = decodeJSON(rest, r); err != nil {
			return "", nil, err
		}
	}
	return head.Kind, r, nil
}

// EncodeLine writes a record as an NDJSON line with its kind (users with their password hash).
func EncodeLine(kind engine.Kind, r engine.Record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["kind"], _ = json.Marshal(kind)
	if u, ok := r.(*engine.User); ok {
		m["passwordHash"], _ = json.Marshal(u.PasswordHash)
	}
	return json.Marshal(m)
}
