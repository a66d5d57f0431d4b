package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB v1.24.2's SQLite backend creates each collection's _id index on the
// expression _ferretdb_sjson->"_id" but looks documents up by id with
// _ferretdb_sjson->'$._id'. SQLite uses an expression index only for the very
// expression it was built on, so every lookup by id scanned the whole
// collection and parsed every document (an import slowed down quadratically).
// IndexIDs adds, once per collection, the index the lookups actually need. It
// changes no data: the documents are still read and written only through the
// MongoDB driver.
func (db *DB) IndexIDs(ctx context.Context) (int, error) {
	files, err := filepath.Glob(filepath.Join(db.dir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		k, err := indexIDs(ctx, f)
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

func indexIDs(ctx context.Context, file string) (int, error) {
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?_pragma=busy_timeout(10000)"
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", file, err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM "_ferretdb_collections"`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return 0, nil
		}
		return 0, fmt.Errorf("list collections of %s: %w", file, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_jobbridge_id_path", t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("index ids of %s: %w", t, err)
		}
	}
	return len(tables), nil
}
