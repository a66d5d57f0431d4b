package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"jobbridge/api"
	"jobbridge/engine"
)

// importPaths imports NDJSON files, or every *.ndjson in a directory (in
// name order), and checks what the import leaves (api.Importer.Done).
func importPaths(ctx context.Context, svc *engine.Service, lrs *engine.LRS, paths ...string) (api.ImportStats, error) {
	im := api.NewImporter(svc, lrs)
	files, err := ndjsonFiles(paths)
	if err != nil {
		return im.Stats, err
	}
	for _, f := range files {
		if err := importFile(ctx, im, os.DirFS(filepath.Dir(f)), filepath.Base(f)); err != nil {
			return im.Stats, err
		}
	}
	return im.Stats, im.Done()
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

// importFile reads one NDJSON file of a file system.
func importFile(ctx context.Context, im *api.Importer, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return im.File(ctx, name, f)
}

// exportStore is what an export reads: the records and the LRS's statements.
type exportStore interface {
	engine.Store
	EachStatement(ctx context.Context, since int64, fn func(*engine.Statement) error) error
}

// export writes every record of a kind as NDJSON lines in the import's shape.
// Seekers' resident IDs and certificates are written in plain text: the file
// is as sensitive as the database.
func export(ctx context.Context, st exportStore, kind engine.Kind, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	n := 0
	line := func(v any) error {
		b, err := api.EncodeLine(kind, v)
		if err != nil {
			return err
		}
		n++
		bw.Write(b)
		return bw.WriteByte('\n')
	}
	var err error
	switch kind {
	case engine.KindStatement:
		err = st.EachStatement(ctx, 0, func(s *engine.Statement) error { return line(s) })
	case engine.KindInbox:
		err = st.EachInbox(ctx, 0, func(it *engine.InboxItem) error { return line(it) })
	default:
		err = st.Each(ctx, kind, 0, func(r engine.Record) error { return line(r) })
	}
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// parseKind accepts a kind in singular or plural.
func parseKind(s string) (engine.Kind, error) {
	k := engine.Kind(s)
	switch {
	case slices.Contains(engine.ImportKinds, k):
	case s == "classes" || s == "inboxes":
		k = engine.Kind(strings.TrimSuffix(s, "es"))
	default:
		k = engine.Kind(strings.TrimSuffix(s, "s"))
	}
	if !slices.Contains(engine.ImportKinds, k) {
		names := make([]string, len(engine.ImportKinds))
		for i, k := range engine.ImportKinds {
			names[i] = string(k)
		}
		return "", fmt.Errorf("unknown kind %q (one of %s)", s, strings.Join(names, ", "))
	}
	return k, nil
}
