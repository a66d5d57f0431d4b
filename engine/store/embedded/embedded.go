// Package embedded runs FerretDB (SQLite backend) inside the process, so a
// single binary serves without an external MongoDB; the store reaches it
// through the ordinary MongoDB driver.
package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// DB is a running in-process FerretDB listening on a loopback port.
type DB struct {
	dir    string
	uri    string
	cancel context.CancelFunc
	done   chan error

	closeOnce sync.Once
	closeErr  error
}

// Start runs FerretDB on the SQLite files under dataDir/db and returns once it
// accepts connections; ctx bounds start-up only, Close stops it. Its logs reach log at warn level and above only.
// FerretDB's embedded mode keeps its state in memory with telemetry disabled,
// so nothing but the SQLite files is written.
func Start(ctx context.Context, dataDir string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	dir, err := filepath.Abs(filepath.Join(dataDir, "db"))
	if err != nil {
		return nil, fmt.Errorf("embedded database dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded database dir: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(minLevel{slog.LevelWarn, log.Handler()}),
		Handler:   "sqlite",
		SQLiteURL: "file:" + (&url.URL{Path: dir}).EscapedPath() + "/",
	})
	if err != nil {
		return nil, fmt.Errorf("start embedded database: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	db := &DB{dir: dir, cancel: cancel, done: make(chan error, 1)}
	go func() { db.done <- f.Run(runCtx) }()
	db.uri = f.MongoDBURI()
	return db, nil
}

// URI is the mongodb:// address the driver connects to.
func (db *DB) URI() string { return db.uri }

// Close stops FerretDB, closing its connections and SQLite files, and waits
// for it to finish; the driver should be disconnected first.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.cancel()
		db.closeErr = <-db.done
	})
	return db.closeErr
}

// minLevel passes records at or above a level to another handler, except
// FerretDB's echo of every failed command (such as a duplicate key or the
// driver's endSessions): the driver returns those errors to the caller, and
// the echo would print whole response documents.
type minLevel struct {
	level slog.Level
	next  slog.Handler
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.next.Enabled(ctx, l)
}

func (h minLevel) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelError &&
		(strings.HasPrefix(r.Message, "Response header: ") || strings.HasPrefix(r.Message, "Response message:")) {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.level, h.next.WithAttrs(as)}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.level, h.next.WithGroup(name)}
}
