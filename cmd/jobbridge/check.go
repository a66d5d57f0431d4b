package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"jobbridge/engine"
)

// checkReport is what `jobbridge check` found: for each indexed kind the
// records in the store (erased seekers left out: they leave the index and the
// matching state), the index and the in-memory matching state, the highest
// revs, and every drift found. Memory is false when no server runs: the
// in-memory state is then not there to compare.
type checkReport struct {
	Kinds        []kindCheck `json:"kinds"`
	StoreMaxRev  int64       `json:"storeMaxRev"`
	IndexLastRev int64       `json:"indexLastRev"`
	MemoryRev    int64       `json:"memoryRev,omitempty"`
	Memory       bool        `json:"memory"`
	Drift        []string    `json:"drift"`
}

type kindCheck struct {
	Kind   engine.Kind `json:"kind"`
	Store  int         `json:"store"`
	Index  uint64      `json:"index"`
	Memory int         `json:"memory,omitempty"`
}

// maxDriftLines bounds how many missing records a report names one by one.
const maxDriftLines = 20

// check compares the store with the index and, when memory, with the matching
// state: every live record of an indexed kind must be in the index (and the
// matching state), the counts must agree, and neither may be ahead of the
// store's highest rev. Every record is looked up, not a sample: a lookup
// costs microseconds.
func (a *app) check(ctx context.Context, memory bool) (*checkReport, error) {
	rep := &checkReport{Memory: memory, Drift: []string{}}
	var err error
	if rep.IndexLastRev, err = a.index.LastRev(); err != nil {
		return nil, err
	}
	missing := 0
	drift := func(format string, args ...any) {
		if missing++; missing <= maxDriftLines {
			rep.Drift = append(rep.Drift, fmt.Sprintf(format, args...))
		}
	}
	var skillRev int64
	err = a.store.Each(ctx, engine.KindSkill, 0, func(r engine.Record) error {
		skillRev = max(skillRev, r.RecordMeta().Rev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, kind := range engine.IndexedKinds {
		kc := kindCheck{Kind: kind}
		err := a.store.Each(ctx, kind, 0, func(r engine.Record) error {
			m := r.RecordMeta()
			rep.StoreMaxRev = max(rep.StoreMaxRev, m.Rev)
			if s, ok := r.(*engine.Seeker); ok && s.Erased {
				return nil
			}
			kc.Store++
			ok, err := a.index.Holds(kind, m.ID)
			if err != nil {
				return err
			}
			if !ok {
				drift("index lacks %s %s (rev %d)", kind, m.ID, m.Rev)
			}
			if memory && !a.matcher.Holds(kind, m.ID) {
				drift("memory lacks %s %s (rev %d)", kind, m.ID, m.Rev)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if kc.Index, err = a.index.Count(ctx, kind); err != nil {
			return nil, err
		}
		if kc.Index != uint64(kc.Store) {
			rep.Drift = append(rep.Drift, fmt.Sprintf("%ss: store %d, index %d", kind, kc.Store, kc.Index))
		}
		if memory {
			st := a.matcher.Stats()
			kc.Memory = map[engine.Kind]int{engine.KindPost: st.OpenPosts + st.ClosedPosts,
				engine.KindClass: st.Classes, engine.KindSeeker: st.Seekers}[kind]
			if kc.Memory != kc.Store {
				rep.Drift = append(rep.Drift, fmt.Sprintf("%ss: store %d, memory %d", kind, kc.Store, kc.Memory))
			}
		}
		rep.Kinds = append(rep.Kinds, kc)
	}
	if missing > maxDriftLines {
		rep.Drift = append(rep.Drift, fmt.Sprintf("… and %d more missing records", missing-maxDriftLines))
	}
	if rep.IndexLastRev > rep.StoreMaxRev {
		rep.Drift = append(rep.Drift, fmt.Sprintf("index last rev %d is ahead of the store's highest %d", rep.IndexLastRev, rep.StoreMaxRev))
	}
	if memory {
		rep.MemoryRev = a.matcher.Stats().Rev
		if want := max(rep.StoreMaxRev, skillRev); rep.MemoryRev > want {
			rep.Drift = append(rep.Drift, fmt.Sprintf("memory rev %d is ahead of the store's highest %d", rep.MemoryRev, want))
		}
	}
	return rep, nil
}

// print writes the report for a person and returns an error when it found drift.
func (rep *checkReport) print(w io.Writer) error {
	for _, k := range rep.Kinds {
		mem := "-"
		if rep.Memory {
			mem = fmt.Sprint(k.Memory)
		}
		fmt.Fprintf(w, "%-8s store %7d  index %7d  memory %7s\n", k.Kind, k.Store, k.Index, mem)
	}
	fmt.Fprintf(w, "revs     store max %d  index last %d", rep.StoreMaxRev, rep.IndexLastRev)
	if rep.Memory {
		fmt.Fprintf(w, "  memory %d", rep.MemoryRev)
	} else {
		fmt.Fprint(w, "  (no server running: in-memory state not compared; a start re-applies the last 30 s of writes to the index)")
	}
	fmt.Fprintln(w)
	if len(rep.Drift) == 0 {
		fmt.Fprintln(w, "ok: store, index and memory agree")
		return nil
	}
	for _, d := range rep.Drift {
		fmt.Fprintln(w, "drift:", d)
	}
	return fmt.Errorf("%d drift findings: restart the server (it re-applies recent writes) or run `jobbridge reindex` with the server stopped; see docs/operations.md", len(rep.Drift))
}

func (a *app) controlCheck(w http.ResponseWriter, r *http.Request) {
	rep, err := a.check(r.Context(), true)
	controlReply(w, rep, err)
}

// check asks the running server for its report.
func (c *control) check(ctx context.Context, stdout io.Writer) error {
	var rep checkReport
	if err := c.do(ctx, http.MethodGet, "/check", nil, &rep); err != nil {
		return err
	}
	return rep.print(stdout)
}

// runCheckOffline checks a data dir no server holds: the store against the
// index as they are on disk, without loading (a load would repair the index).
func runCheckOffline(ctx context.Context, cfg config, stdout io.Writer) error {
	a, err := open(ctx, cfg, newLogger(io.Discard, "error"))
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	rep, err := a.check(ctx, false)
	if err != nil {
		return err
	}
	return rep.print(stdout)
}
