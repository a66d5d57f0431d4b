package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"jobbridge/api"
	"jobbridge/engine"
)

// importStats counts what an import did.
type importStats struct {
	Records int
	ByKind  map[engine.Kind]int
}

// importPaths imports NDJSON files, or every *.ndjson in a directory.
func importPaths(ctx context.Context, svc *engine.Service, paths ...string) (importStats, error) {
	st := importStats{ByKind: map[engine.Kind]int{}}
	files, err := ndjsonFiles(paths)
	if err != nil {
		return st, err
	}
	for _, f := range files {
		if err := importFile(ctx, svc, os.DirFS(filepath.Dir(f)), filepath.Base(f), &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// ndjsonFiles lists the files an import reads: each FILE, and each DIR's *.ndjson in name order.
func ndjsonFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		in, _ := filepath.Glob(filepath.Join(p, "*.ndjson"))
		sort.Strings(in)
		files = append(files, in...)
	}
	return files, nil
}

// importFS imports every *.ndjson file of a file system (the embedded demo data), in name order.
func importFS(ctx context.Context, svc *engine.Service, fsys fs.FS) (importStats, error) {
	st := importStats{ByKind: map[engine.Kind]int{}}
	files, err := fs.Glob(fsys, "*.ndjson")
	if err != nil {
		return st, err
	}
	sort.Strings(files)
	for _, f := range files {
		if err := importFile(ctx, svc, fsys, f, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// importFile reads one NDJSON file of a file system.
func importFile(ctx context.Context, svc *engine.Service, fsys fs.FS, name string, st *importStats) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return importReader(ctx, svc, name, f, st)
}

// importReader reads NDJSON lines, putting runs of records of one kind in
// batches; name is the source the errors name.
func importReader(ctx context.Context, svc *engine.Service, name string, f io.Reader, st *importStats) error {
	var (
		batch []engine.Record
		kind  engine.Kind
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := svc.PutMany(ctx, kind, batch)
		st.Records += n
		st.ByKind[kind] += n
		batch = nil
		return err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		k, r, err := api.DecodeLine(b)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if k != kind || len(batch) >= 500 {
			if err := flush(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			kind = k
		}
		batch = append(batch, r)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// export writes every record of a kind as NDJSON lines in the import's shape.
// Seekers' resident IDs and certificates are written in plain text: the file
// is as sensitive as the database.
func export(ctx context.Context, st engine.Store, kind engine.Kind, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	n := 0
	err := st.Each(ctx, kind, 0, func(r engine.Record) error {
		b, err := api.EncodeLine(kind, r)
		if err != nil {
			return err
		}
		n++
		bw.Write(b)
		return bw.WriteByte('\n')
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// parseKind accepts a kind in singular or plural.
func parseKind(s string) (engine.Kind, error) {
	k := engine.Kind(strings.TrimSuffix(strings.TrimSuffix(s, "es"), "s"))
	if s == "classes" {
		k = engine.KindClass
	}
	if engine.NewRecord(k) == nil {
		names := make([]string, len(engine.Kinds))
		for i, k := range engine.Kinds {
			names[i] = string(k)
		}
		return "", fmt.Errorf("unknown kind %q (one of %s)", s, strings.Join(names, ", "))
	}
	return k, nil
}
