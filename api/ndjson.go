package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// An NDJSON line of an import or an export is a record in the API's JSON
// shape with a "kind" field (engine.ImportKinds): a user line carries a
// "password" or the "passwordHash" an export wrote; an enrollment line has no
// log (its progress comes from its statement lines); a statement line is an
// xAPI statement as the LRS stores it (an export writes it so, with its
// stored time and authority; the import keeps them); an inbox line holds
// the item under "item" (an item has a "kind" of its own).

// Line is one decoded line: its kind and a record, a statement or an inbox item.
type Line struct {
	Kind      engine.Kind
	Record    engine.Record
	Statement any // an xAPI statement as decoded for the LRS (engine.LRS.Import)
	Inbox     *engine.InboxItem
}

// DecodeLine decodes one NDJSON line of an import with the API's strict
// decoding (unknown fields, wrong types, operator-like keys are errors);
// a statement is decoded as the LRS decodes one (keys as sent) and checked
// when it is imported.
func DecodeLine(line []byte) (Line, error) {
	var head struct {
		Kind engine.Kind `json:"kind"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return Line{}, fmt.Errorf("not a JSON object: %w", err)
	}
	out := Line{Kind: head.Kind}
	switch head.Kind {
	case engine.KindUser:
		var in struct {
			Kind engine.Kind `json:"kind"`
			userInput
			PasswordHash string `json:"passwordHash"`
		}
		if err := decodeJSON(line, &in); err != nil {
			return out, err
		}
		u := in.User
		switch {
		case in.PasswordHash != "":
			u.PasswordHash = in.PasswordHash
		case engine.CheckPassword(in.Password) != "":
			return out, invalid("password", engine.CheckPassword(in.Password))
		default:
			var err error
			if u.PasswordHash, err = HashPassword(in.Password); err != nil {
				return out, err
			}
		}
		out.Record = &u
		return out, nil
	case engine.KindStatement:
		st, err := decodeStatementLine(line)
		out.Statement = st
		return out, err
	case engine.KindInbox:
		if f := badTime(line, engine.KindInbox, "item"); f != "" {
			return out, timeError(f)
		}
		var in struct {
			Kind engine.Kind       `json:"kind"`
			Item *engine.InboxItem `json:"item"`
		}
		if err := decodeJSON(line, &in); err != nil {
			return out, err
		}
		if in.Item == nil {
			return out, invalid("item", "is required: the inbox item as GET /inbox shows it")
		}
		out.Inbox = in.Item
		return out, nil
	}
	r := engine.NewRecord(head.Kind)
	if r == nil {
		return out, invalid("kind", fmt.Sprintf("unknown kind %q: one of %s", head.Kind, kindList()))
	}
	rest, err := without(line, "kind")
	if err != nil {
		return out, err
	}
	if f := badTime(rest, head.Kind, ""); f != "" {
		return out, timeError(f)
	}
	if err := decodeJSON(rest, r); err != nil {
		return out, err
	}
	out.Record = r
	return out, nil
}

// badTime names the first of a kind's time fields (engine.TimeFields, under
// the key under when not empty) whose value is not an RFC 3339 time.
func badTime(line []byte, kind engine.Kind, under string) string {
	var v any
	if json.Unmarshal(line, &v) != nil {
		return ""
	}
	if under != "" {
		m, _ := v.(map[string]any)
		v = m[under]
		under += "."
	}
	for _, path := range engine.TimeFields[kind] {
		if f := badTimeAt(v, strings.Split(path, "."), under); f != "" {
			return f
		}
	}
	return ""
}

func badTimeAt(v any, path []string, at string) string {
	switch x := v.(type) {
	case map[string]any:
		next, ok := x[path[0]]
		if !ok || next == nil {
			return ""
		}
		name := at + path[0]
		if len(path) == 1 {
			if s, ok := next.(string); !ok || !isTime(s) {
				return name
			}
			return ""
		}
		if _, list := next.([]any); !list {
			name += "."
		}
		return badTimeAt(next, path[1:], name)
	case []any:
		for i, e := range x {
			if f := badTimeAt(e, path[1:], fmt.Sprintf("%s[%d].", at, i)); f != "" {
				return f
			}
		}
	}
	return ""
}

func isTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

func timeError(field string) error {
	return invalid(field, "must be an RFC 3339 time with its zone, e.g. 2026-09-01T10:00:00+08:00")
}

// kindList names the kinds an import takes.
func kindList() string {
	names := make([]string, len(engine.ImportKinds))
	for i, k := range engine.ImportKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// without returns a JSON object without some of its keys.
func without(line []byte, keys ...string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return nil, invalid("body", "is not a JSON object")
	}
	for _, k := range keys {
		delete(m, k)
	}
	return json.Marshal(m)
}

// decodeStatementLine reads a statement line: the xAPI statement without
// the line's kind, decoded as the LRS decodes a request's body.
func decodeStatementLine(line []byte) (any, error) {
	rest, err := without(line, "kind")
	if err != nil {
		return nil, err
	}
	v, err := xapi.Decode(rest)
	if err != nil {
		return nil, invalid("body", err.Error())
	}
	return v, nil
}

// EncodeLine writes a record, a statement or an inbox item as an NDJSON line
// in the shape DecodeLine reads (users with their password hash, enrollments
// without their log, statements as GET /xapi/statements shows them).
func EncodeLine(kind engine.Kind, v any) ([]byte, error) {
	var b []byte
	var err error
	switch x := v.(type) {
	case *engine.Statement:
		b = []byte(x.Body)
	case *engine.InboxItem:
		return json.Marshal(struct {
			Kind engine.Kind       `json:"kind"`
			Item *engine.InboxItem `json:"item"`
		}{kind, x})
	default:
		if b, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["kind"], _ = json.Marshal(kind)
	switch x := v.(type) {
	case *engine.User:
		m["passwordHash"], _ = json.Marshal(x.PasswordHash)
	case *engine.Enrollment:
		delete(m, "log")
	}
	return json.Marshal(m)
}

// ImportStats counts what an import put, by kind.
type ImportStats struct {
	Records int
	ByKind  map[engine.Kind]int
}

// Importer puts NDJSON files into a service, in runs of one kind of at most
// importBatch lines: what `jobbridge import` and the demo data's load at the
// first start do. A refused line stops the import with an error naming the
// file, the line and the field; nothing of its batch is written.
type Importer struct {
	Service *engine.Service
	LRS     *engine.LRS // where statement lines go
	Stats   ImportStats
}

// importBatch is the most lines put at a time.
const importBatch = 500

// NewImporter makes an importer into svc and its LRS.
func NewImporter(svc *engine.Service, lrs *engine.LRS) *Importer {
	return &Importer{Service: svc, LRS: lrs, Stats: ImportStats{ByKind: map[engine.Kind]int{}}}
}

// pending is a run of lines of one kind not yet put.
type pending struct {
	kind  engine.Kind
	lines []int
	recs  []engine.Record
	sts   []any
	items []*engine.InboxItem
}

// File imports the lines of r, named name in errors.
func (im *Importer) File(ctx context.Context, name string, r io.Reader) error {
	var run pending
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		l, err := DecodeLine(b)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if l.Kind != run.kind || len(run.lines) >= importBatch {
			if err := im.put(ctx, name, &run); err != nil {
				return err
			}
			run = pending{kind: l.Kind}
		}
		run.lines = append(run.lines, n)
		switch {
		case l.Statement != nil:
			run.sts = append(run.sts, l.Statement)
		case l.Inbox != nil:
			run.items = append(run.items, l.Inbox)
		default:
			run.recs = append(run.recs, l.Record)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, n+1, err)
	}
	return im.put(ctx, name, &run)
}

// Files imports files given by name and content, in name order (the demo
// data), and checks what they leave (Done).
func (im *Importer) Files(ctx context.Context, files map[string][]byte) error {
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := im.File(ctx, name, bytes.NewReader(files[name])); err != nil {
			return err
		}
	}
	return im.Done()
}

// put writes a run of lines, naming the line of a refused record.
func (im *Importer) put(ctx context.Context, name string, run *pending) error {
	if len(run.lines) == 0 {
		return nil
	}
	svc := im.Service
	var n int
	var err error
	switch run.kind {
	case engine.KindStatement:
		if im.LRS == nil {
			return fmt.Errorf("%s:%d: statement lines need the LRS", name, run.lines[0])
		}
		n, err = im.LRS.Import(ctx, run.sts)
	case engine.KindInbox:
		n, err = svc.ImportInbox(ctx, run.items)
	default:
		n, err = svc.PutMany(ctx, run.kind, run.recs)
	}
	im.Stats.Records += n
	im.Stats.ByKind[run.kind] += n
	var re *engine.RecordError
	if errors.As(err, &re) && re.Index >= 0 && re.Index < len(run.lines) {
		return fmt.Errorf("%s:%d: %w", name, run.lines[re.Index], err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Done checks what an import leaves: every hired referral has its placement.
func (im *Importer) Done() error {
	lost := im.Service.HiresWithoutPlacement()
	if len(lost) == 0 {
		return nil
	}
	ids := make([]string, 0, 3)
	for _, r := range lost[:min(3, len(lost))] {
		ids = append(ids, r.ID+" (placement "+r.PlacementID+")")
	}
	return fmt.Errorf("%d hired referrals have no placement line: %s; import their placements (kind placement), "+
		"or the placement-followups job makes them from the posts' terms", len(lost), strings.Join(ids, ", "))
}
