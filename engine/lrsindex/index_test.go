package lrsindex

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

func mustOpen(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "lrs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func id(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

var t0 = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// entry n is stored n seconds after t0; agent and verb alternate.
func entryN(n int) engine.StatementEntry {
	return engine.StatementEntry{Rev: int64(n), Stored: t0.Add(time.Duration(n) * time.Second), Owner: "u-" + fmt.Sprint(n%2),
		Keys: xapi.Keys{ID: id(n), Verb: fmt.Sprintf("http://example.com/v%d", n%2), Agents: []string{fmt.Sprintf("Agent|mbox|mailto:%d@example.com", n%3)},
			Related:  []string{fmt.Sprintf("Agent|mbox|mailto:%d@example.com", n%3), "Agent|mbox|mailto:teacher@example.com"},
			Activity: "http://example.com/a", Activities: []string{"http://example.com/a", "http://example.com/course"}}}
}

func query(t *testing.T, ix *Index, q engine.StatementQuery) []string {
	t.Helper()
	var all []string
	for {
		ids, next, err := ix.QueryStatements(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ids...)
		if next == nil {
			return all
		}
		if len(ids) != q.Limit {
			t.Fatalf("a page of %d with more to come (limit %d)", len(ids), q.Limit)
		}
		q.After = next
	}
}

// brute is the reference: each entry's keys with those of the statement it
// references (filed before it) added, every entry that is not voided and
// passes every filter, in stored order.
func brute(entries []engine.StatementEntry, voided map[string]bool, q engine.StatementQuery) []string {
	eff := map[string]xapi.Keys{}
	var out []string
	for _, e := range entries {
		k := e.Keys
		if t, ok := eff[cmpOr(k.Voids, k.Ref)]; ok {
			k.Agents, k.Related = union(slices.Clone(k.Agents), t.Agents), union(slices.Clone(k.Related), t.Related)
			k.Activities = union(slices.Clone(k.Activities), t.Activities)
			k.Verb = k.Verb + " " + t.Verb
			if t.Activity != "" {
				k.Activity = k.Activity + " " + t.Activity
			}
		}
		eff[k.ID] = k
		has := func(list string, v string) bool { return slices.Contains(strings.Fields(list), v) }
		switch {
		case voided[k.ID]:
		case q.Agent != "" && !slices.Contains(k.Agents, q.Agent) && !(q.RelatedAgents && slices.Contains(k.Related, q.Agent)):
		case q.Verb != "" && !has(k.Verb, q.Verb):
		case q.Activity != "" && !has(k.Activity, q.Activity) && !(q.RelatedActivities && slices.Contains(k.Activities, q.Activity)):
		case q.Owner != "" && e.Owner != q.Owner:
		case !q.Since.IsZero() && !e.Stored.After(q.Since), !q.Until.IsZero() && e.Stored.After(q.Until):
		default:
			out = append(out, k.ID)
		}
	}
	if !q.Ascending {
		slices.Reverse(out)
	}
	return out
}

func TestQueryEqualsBruteForce(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	var entries []engine.StatementEntry
	for n := 1; n <= 60; n++ {
		entries = append(entries, entryN(n))
	}
	if err := ix.AddStatements(ctx, entries, 60); err != nil {
		t.Fatal(err)
	}
	// statement 61 voids 7; 62 voids 61 (a voiding statement: no effect); 63 refers to 8.
	void := func(n, target int) engine.StatementEntry {
		e := entryN(n)
		e.Keys.Verb, e.Keys.Voids, e.Keys.Activity, e.Keys.Activities = xapi.VerbVoided, id(target), "", nil
		return e
	}
	ref := entryN(63)
	ref.Keys.Ref, ref.Keys.Agents, ref.Keys.Activity, ref.Keys.Activities = id(8), []string{"Agent|mbox|mailto:other@example.com"}, "", nil
	extra := []engine.StatementEntry{void(61, 7), void(62, 61), ref}
	if err := ix.AddStatements(ctx, extra, 63); err != nil {
		t.Fatal(err)
	}
	all := append(entries, extra...)
	voided := map[string]bool{id(7): true}

	for _, tt := range []struct {
		name string
		q    engine.StatementQuery
	}{
		{"all", engine.StatementQuery{}},
		{"by agent", engine.StatementQuery{Agent: "Agent|mbox|mailto:1@example.com"}},
		{"by agent of a referenced statement", engine.StatementQuery{Agent: "Agent|mbox|mailto:2@example.com"}},
		{"by verb", engine.StatementQuery{Verb: "http://example.com/v0"}},
		{"by voided verb", engine.StatementQuery{Verb: xapi.VerbVoided}},
		{"by related agent", engine.StatementQuery{Agent: "Agent|mbox|mailto:teacher@example.com", RelatedAgents: true}},
		{"by activity, since and until", engine.StatementQuery{Activity: "http://example.com/a", Since: t0.Add(10 * time.Second), Until: t0.Add(20 * time.Second)}},
		{"by related activity", engine.StatementQuery{Activity: "http://example.com/course", RelatedActivities: true}},
		{"by owner and verb", engine.StatementQuery{Owner: "u-1", Verb: "http://example.com/v1"}},
	} {
		for _, asc := range []bool{false, true} {
			for _, limit := range []int{1, 7, 100} {
				t.Run(fmt.Sprintf("%s asc=%v limit=%d", tt.name, asc, limit), func(t *testing.T) {
					q := tt.q
					q.Ascending, q.Limit = asc, limit
					got := query(t, ix, q)
					want := brute(all, voided, q)
					if len(want) == 0 || !slices.Equal(got, want) {
						t.Fatalf("got %v\nwant %v", got, want)
					}
				})
			}
		}
	}
	info, err := ix.Lookup(ctx, []string{id(7), id(61), id(62), id(999)})
	if err != nil || !info[id(7)].Voided || info[id(61)].Voided || !info[id(61)].Voiding || len(info) != 3 {
		t.Fatalf("lookup %+v %v", info, err)
	}
	if last, _ := ix.LastStatementRev(); last != 63 {
		t.Fatalf("last rev %d", last)
	}
}

func TestVoidBeforeTarget(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	v := entryN(2)
	v.Keys.Verb, v.Keys.Voids = xapi.VerbVoided, id(5)
	if err := ix.AddStatements(ctx, []engine.StatementEntry{v}, 2); err != nil {
		t.Fatal(err)
	}
	if err := ix.AddStatements(ctx, []engine.StatementEntry{entryN(5), entryN(5)}, 5); err != nil {
		t.Fatal(err)
	}
	info, _ := ix.Lookup(ctx, []string{id(5)})
	if !info[id(5)].Voided {
		t.Fatal("a statement voided before it arrived is not voided")
	}
	if got := query(t, ix, engine.StatementQuery{Limit: 10}); !slices.Equal(got, []string{id(2)}) {
		t.Fatalf("got %v", got)
	}
}

func TestDocuments(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	doc := func(docID string, at time.Time, rev int64) *engine.Document {
		return &engine.Document{ID: "x" + docID, Kind: engine.DocState, ActivityID: "http://example.com/a", Agent: "Agent|mbox|mailto:a@example.com",
			DocID: docID, Updated: at, Rev: rev, Owner: "u1"}
	}
	if err := ix.PutDocuments(ctx, []*engine.Document{doc("s1", t0, 1), doc("s2", t0.Add(time.Minute), 2)}, 0); err != nil {
		t.Fatal(err)
	}
	list, err := ix.ListDocuments(ctx, engine.DocState, "http://example.com/a", "Agent|mbox|mailto:a@example.com", "", t0)
	if err != nil || len(list) != 1 || list[0].DocID != "s2" {
		t.Fatalf("since: %+v %v", list, err)
	}
	gone := doc("s1", t0, 3)
	gone.Deleted = true
	if err := ix.PutDocuments(ctx, []*engine.Document{gone}, 3); err != nil {
		t.Fatal(err)
	}
	list, _ = ix.ListDocuments(ctx, engine.DocState, "http://example.com/a", "Agent|mbox|mailto:a@example.com", "", time.Time{})
	if len(list) != 1 || list[0].DocID != "s2" {
		t.Fatalf("after delete: %+v", list)
	}
	if last, _ := ix.LastDocumentRev(); last != 3 {
		t.Fatalf("last document rev %d", last)
	}
}
