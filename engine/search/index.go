package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"jobbridge/engine"
)

// Internal keys kept inside the index next to the documents.
var (
	keyLastRev = []byte("lastRev")
	keyMapping = []byte("jobbridgeMapping")
)

// Index is the Bleve index of posts, classes and seekers on disk.
type Index struct {
	// SkillNames gives a skill code's zh and en names so that text searches
	// find records by the names of their skills; nil indexes codes only.
	// Set it before the first Apply; a changed catalog needs a reindex.
	SkillNames func(code string) (zh, en string)
	// EmployerStreet gives an employer's street, under which its posts are
	// filed (posts carry no street of their own); nil leaves posts without one.
	EmployerStreet func(employerID string) string

	bi     bleve.Index
	mu     sync.Mutex // serialises Apply's read-modify-write of lastRev and Close
	closed bool
}

var _ engine.Index = (*Index)(nil)

// Open opens the index at dir, creating it when dir is missing or empty. An
// index written with an older mapping is removed and created afresh, so its
// last rev is 0 and the change feed refills it from the store.
func Open(dir string) (*Index, error) {
	bi, err := bleve.Open(dir)
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
		return create(dir)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	v, err := bi.GetInternal(keyMapping)
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if string(v) == mappingVersion {
		return &Index{bi: bi}, nil
	}
	if err := bi.Close(); err != nil {
		return nil, fmt.Errorf("close outdated index %s: %w", dir, err)
	}
	if err := removeIndex(dir); err != nil {
		return nil, err
	}
	return create(dir)
}

// create makes a new, empty index at dir.
func create(dir string) (*Index, error) {
	bi, err := bleve.New(dir, newMapping())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := bi.SetInternal(keyMapping, []byte(mappingVersion)); err != nil {
		bi.Close()
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return &Index{bi: bi}, nil
}

// removeIndex deletes what Bleve keeps in dir, and only that.
func removeIndex(dir string) error {
	for _, name := range []string{"index_meta.json", "store"} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("remove outdated index %s: %w", dir, err)
		}
	}
	return nil
}

// Apply indexes records of one kind and, when mark is above the last rev,
// stores mark as the last rev in the same batch, so the index is never ahead
// of what it holds. Erased seekers leave it.
func (ix *Index) Apply(ctx context.Context, kind engine.Kind, records []engine.Record, mark int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	last, err := ix.LastRev()
	if err != nil {
		return err
	}
	b := ix.bi.NewBatch()
	last = max(last, mark)
	for _, r := range records {
		m := r.RecordMeta()
		if got := kindOf(r); got != kind {
			return fmt.Errorf("index %s %s: record is a %q", kind, m.ID, got)
		}
		if s, ok := r.(*engine.Seeker); ok && s.Erased {
			b.Delete(docID(kind, m.ID))
			continue
		}
		d, err := ix.document(kind, r)
		if err != nil {
			return err
		}
		doc, err := ix.bleveDocument(docID(kind, m.ID), kind, d)
		if err == nil {
			err = b.IndexAdvanced(doc)
		}
		if err != nil {
			return fmt.Errorf("index %s %s: %w", kind, m.ID, err)
		}
	}
	b.SetInternal(keyLastRev, []byte(strconv.FormatInt(last, 10)))
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("apply %d %s records: %w", len(records), kind, err)
	}
	return nil
}

// kindOf names the kind of an indexed record, or "" for any other.
func kindOf(r engine.Record) engine.Kind {
	switch r.(type) {
	case *engine.Post:
		return engine.KindPost
	case *engine.Class:
		return engine.KindClass
	case *engine.Seeker:
		return engine.KindSeeker
	}
	return ""
}

// LastRev is the highest change-feed rev applied; 0 for a new index.
func (ix *Index) LastRev() (int64, error) {
	v, err := ix.bi.GetInternal(keyLastRev)
	if err != nil {
		return 0, fmt.Errorf("read last rev: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read last rev %q: %w", v, err)
	}
	return n, nil
}

// Close flushes and closes the index; closing it again does nothing.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if err := ix.bi.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// Holds says whether the index has a document for the record kind/id.
func (ix *Index) Holds(kind engine.Kind, id string) (bool, error) {
	d, err := ix.bi.Document(docID(kind, id))
	if err != nil {
		return false, fmt.Errorf("index document %s %s: %w", kind, id, err)
	}
	return d != nil, nil
}

// Count is the number of documents of a kind in the index.
func (ix *Index) Count(ctx context.Context, kind engine.Kind) (uint64, error) {
	req := bleve.NewSearchRequestOptions(term(fieldKind, string(kind)), 0, 0, false)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("count %ss in the index: %w", kind, err)
	}
	return res.Total, nil
}
