package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"jobbridge/engine"
)

// TestAuditGroupCommit: many concurrent audited reads each return only after
// their own entry is stored, and every entry is stored exactly once; a
// duplicate id fails only its own caller.
func TestAuditGroupCommit(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	const n = 64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Audit(ctx, &engine.AuditEntry{Actor: "u-group", Role: engine.RoleCounsellor, Action: "read",
				SeekerID: fmt.Sprintf("s-%d", i), Route: "GET /api/v1/seekers/:id"})
		}()
	}
	dup := &engine.AuditEntry{Meta: engine.Meta{ID: "fixed-id"}, Actor: "u-dup", Action: "read", SeekerID: "s-x"}
	if err := s.Audit(ctx, dup); err != nil {
		t.Fatal(err)
	}
	wg.Add(2)
	var dupErr, okErr error
	go func() {
		defer wg.Done()
		dupErr = s.Audit(ctx, &engine.AuditEntry{Meta: engine.Meta{ID: "fixed-id"}, Actor: "u-dup", Action: "read", SeekerID: "s-x"})
	}()
	go func() {
		defer wg.Done()
		okErr = s.Audit(ctx, &engine.AuditEntry{Actor: "u-dup", Action: "read", SeekerID: "s-y"})
	}()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	if engine.ErrorCode(dupErr) != engine.ECONFLICT || okErr != nil {
		t.Fatalf("duplicate: %v; its neighbour: %v", dupErr, okErr)
	}
	got, err := s.AuditLog(ctx, engine.AuditQuery{Actor: "u-group", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.SeekerID] = true
	}
	if len(got) != n || len(seen) != n {
		t.Fatalf("%d entries for %d seekers, want %d each", len(got), len(seen), n)
	}
}
