// Package embedded runs FerretDB (SQLite backend) inside the process, so a
// single binary serves without an external MongoDB; the store reaches it
// through the ordinary MongoDB driver.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// DB is a running in-process FerretDB that only this user's processes can
// reach: it listens on a Unix socket (0600, in a 0700 directory of the data
// dir) and on no TCP port. FerretDB v1.24.2's embedding package offers TCP,
// TLS and Unix listeners but no in-process connection and no way to turn on
// its (experimental) SCRAM users, so the socket's file permissions are what
// keep other local users out; a process of the same user can read the SQLite
// files and the key file anyway.
type DB struct {
	dir     string
	sock    string
	tempDir string // a private directory holding the socket when the data dir's path is too long for one
	uri     string
	cancel  context.CancelFunc
	done    chan error

	closeOnce sync.Once
	closeErr  error
}

// Start runs FerretDB on the SQLite files under dataDir/db, listening on the
// socket dataDir/run/ferretdb.sock, and returns once it accepts connections;
// ctx bounds start-up only, Close stops it and removes the socket. Its logs
// reach log at warn level and above only. FerretDB's embedded mode keeps its
// state in memory with telemetry disabled, so nothing but the SQLite files
// and the socket is written.
func Start(ctx context.Context, dataDir string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	dir, err := filepath.Abs(filepath.Join(dataDir, "db"))
	if err != nil {
		return nil, fmt.Errorf("embedded database dir: %w", err)
	}
	// FerretDB hands the SQLite files' names to SQLite as URIs unescaped, so a
	// '#' or '?' in the path cuts it short and the start fails deep inside
	// (found by TestTryIt, whose temporary dirs were named after "file.md#1").
	if strings.ContainsAny(dir, "#?") {
		return nil, fmt.Errorf("embedded database dir %q: the path must not contain '#' or '?' (the embedded SQLite cannot open it); choose another --data-dir", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded database dir: %w", err)
	}
	db := &DB{dir: dir, done: make(chan error, 1)}
	if err := db.prepareSocket(filepath.Dir(dir)); err != nil {
		return nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: db.sock},
		Logger:    slog.New(minLevel{slog.LevelWarn, log.Handler()}),
		Handler:   "sqlite",
		SQLiteURL: "file:" + (&url.URL{Path: dir}).EscapedPath() + "/",
	})
	if err != nil {
		db.removeSocket()
		return nil, fmt.Errorf("start embedded database: %w", err)
	}
	// The directory is 0700 already; the socket's own mode is the second lock.
	if err := os.Chmod(db.sock, 0o600); err != nil {
		db.removeSocket()
		return nil, fmt.Errorf("embedded database socket: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	db.cancel = cancel
	go func() { db.done <- f.Run(runCtx) }()
	db.uri = "mongodb://" + url.PathEscape(db.sock) + "/"
	return db, nil
}

// socketName ends in .sock: that is how the driver tells a socket path from a host.
const socketName = "ferretdb.sock"

// maxSocketPath is the longest socket path every Unix accepts (sun_path is
// 104 bytes on the BSDs and macOS, 108 on Linux, with the closing NUL).
const maxSocketPath = 103

// prepareSocket chooses the socket's path, <dataDir>/run/ferretdb.sock (or a
// private temporary directory when that path is too long for a socket),
// makes its directory 0700 and removes a socket left behind by a process
// that was killed; a socket that still answers belongs to a running
// process, and starting is refused.
func (db *DB) prepareSocket(dataDir string) error {
	runDir := filepath.Join(dataDir, "run")
	if len(filepath.Join(runDir, socketName)) > maxSocketPath {
		tmp, err := os.MkdirTemp("", "jobbridge-db-")
		if err != nil {
			return fmt.Errorf("embedded database socket dir: %w", err)
		}
		runDir, db.tempDir = tmp, tmp
	}
	if err := os.MkdirAll(runDir, 0o700); err != nil {
		return fmt.Errorf("embedded database socket dir: %w", err)
	}
	if err := os.Chmod(runDir, 0o700); err != nil {
		return fmt.Errorf("embedded database socket dir: %w", err)
	}
	db.sock = filepath.Join(runDir, socketName)
	if c, err := net.DialTimeout("unix", db.sock, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("the embedded database of %s is in use by another process (socket %s): stop it first", dataDir, db.sock)
	}
	if err := os.Remove(db.sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove stale socket: %w", err)
	}
	return nil
}

// removeSocket deletes the socket (FerretDB's listener leaves it behind) and
// the private directory, if one was made for it.
func (db *DB) removeSocket() {
	_ = os.Remove(db.sock)
	if db.tempDir != "" {
		_ = os.RemoveAll(db.tempDir)
	}
}

// URI is the mongodb:// address the driver connects to: the socket's path,
// escaped, as the host.
func (db *DB) URI() string { return db.uri }

// Socket is the path of the Unix socket the database listens on.
func (db *DB) Socket() string { return db.sock }

// Close stops FerretDB, closing its connections and SQLite files, and waits
// for it to finish; the driver should be disconnected first.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.cancel()
		db.closeErr = <-db.done
		db.removeSocket()
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
