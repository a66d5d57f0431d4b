package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// DamagedError says which SQLite file of the embedded database is damaged
// and what the operator should do, in one line.
type DamagedError struct {
	File    string // the damaged file's path
	Problem string // what SQLite found, on one line
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the database file %s is damaged (%s): stop jobbridge, restore the data dir from its backup, then run `jobbridge check`", e.File, e.Problem)
}

// CheckFiles runs SQLite's quick_check, read-only, on every file of the
// embedded database under dataDir/db and returns a *DamagedError for the
// first one that fails it (or cannot be read as a database), nil when all
// pass. It reads every page, so it is for when something already went wrong
// (a start that failed), not for every start.
func CheckFiles(ctx context.Context, dataDir string) error {
	files, err := filepath.Glob(filepath.Join(dataDir, "db", "*.sqlite"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if problem := quickCheck(ctx, f); problem != "" {
			if abs, err := filepath.Abs(f); err == nil {
				f = abs
			}
			return &DamagedError{File: f, Problem: problem}
		}
	}
	return nil
}

// quickCheck is "" when file passes SQLite's quick_check, else its first complaint.
func quickCheck(ctx context.Context, file string) string {
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return oneLine(err.Error())
	}
	defer conn.Close()
	var first string
	if err := conn.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&first); err != nil {
		return oneLine(err.Error())
	}
	if first != "ok" {
		return oneLine(first)
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
