package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/engine/lrsindex"
	"jobbridge/engine/search"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
)

// lrsIndexFile is the statement index in the data dir (engine/lrsindex);
// deleting it rebuilds it from the store at the next start.
const lrsIndexFile = "lrs.db"

// app holds the running parts, opened in order and closed in reverse.
type app struct {
	cfg     config
	log     *slog.Logger
	db      *embedded.DB // nil with an external MongoDB
	store   *store.Store
	index   *search.Index
	svc     *engine.Service
	matcher *engine.Matcher
	lrsIx   *lrsindex.Index
	lrs     *engine.LRS
	closers []func(context.Context) error
}

// open starts the embedded database (unless a MongoDB URI is given), connects
// the store, opens the index and loads the in-memory state.
func open(ctx context.Context, cfg config, log *slog.Logger) (a *app, err error) {
	a = &app{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			a.close(context.Background())
			err = explainDamage(ctx, cfg, err)
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return a, fmt.Errorf("data dir: %w", err)
	}
	key, err := a.secretKey()
	if err != nil {
		return a, err
	}
	cipher, err := store.NewCipher(key)
	if err != nil {
		return a, err
	}
	uri := cfg.MongoURI
	if uri == "" {
		a.db, err = embedded.Start(ctx, cfg.DataDir, log)
		if err != nil {
			return a, fmt.Errorf("embedded database: %w", err)
		}
		a.closers = append(a.closers, func(context.Context) error { a.db.Close(); return nil })
		uri = a.db.URI()
	}
	a.store, err = store.Open(ctx, uri, cipher, log)
	if err != nil {
		return a, fmt.Errorf("store: %w", err)
	}
	a.closers = append(a.closers, a.store.Close)
	if a.db != nil {
		if _, err := a.db.IndexIDs(ctx); err != nil {
			return a, fmt.Errorf("embedded database: %w", err)
		}
	}
	a.index, err = search.Open(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		return a, fmt.Errorf("index: %w", err)
	}
	a.closers = append(a.closers, func(context.Context) error { return a.index.Close() })
	a.lrsIx, err = lrsindex.Open(filepath.Join(cfg.DataDir, lrsIndexFile))
	if err != nil {
		return a, fmt.Errorf("statement index: %w", err)
	}
	a.closers = append(a.closers, func(context.Context) error { return a.lrsIx.Close() })
	a.matcher = engine.NewMatcher(engine.SystemClock{})
	a.svc = engine.NewService(a.store, a.index, engine.SystemClock{}, a.matcher)
	a.svc.Shared = a.db == nil // an external MongoDB: other processes may write to it
	a.lrs = engine.NewLRS(a.svc, a.store, a.lrsIx)
	if cfg.QuotaPolicy != "" {
		if a.svc.QuotaPolicies, err = loadQuotaPolicies(cfg.QuotaPolicy); err != nil {
			return a, err
		}
	}
	if a.svc.Jobs, err = newScheduler(a); err != nil {
		return a, err
	}
	a.index.SkillNames = a.skillNames
	a.index.EmployerStreet = a.employerStreet
	return a, nil
}

// skillNames gives the index the zh/en names of a skill so text search finds them.
func (a *app) skillNames(code string) (string, string) {
	if sk, ok := a.svc.Skill(code); ok {
		return sk.Zh, sk.En
	}
	return "", ""
}

// explainDamage replaces err, when the embedded database's files are
// damaged, with the one line that names the file and what to do (instead of
// the FerretDB error it caused, frames and all); otherwise it is err.
func explainDamage(ctx context.Context, cfg config, err error) error {
	if cfg.MongoURI != "" {
		return err
	}
	var damaged *embedded.DamagedError
	if errors.As(embedded.CheckFiles(context.WithoutCancel(ctx), cfg.DataDir), &damaged) {
		return damaged
	}
	return err
}

// load brings the in-memory state and the index up to date with the store;
// a damaged database file is reported as explainDamage says.
func (a *app) load(ctx context.Context) error {
	if err := a.loadState(ctx); err != nil {
		return explainDamage(ctx, a.cfg, err)
	}
	return nil
}

func (a *app) loadState(ctx context.Context) error {
	start := time.Now()
	st, err := a.svc.Load(ctx)
	if err != nil {
		return err
	}
	lst, err := a.lrs.Load(ctx)
	if err != nil {
		return err
	}
	a.log.Info("loaded", "records", st.Records, "indexLastRev", st.IndexLastRev, "indexApplied", st.IndexApplied, "indexRechecked", st.IndexRechecked,
		"lrsCaughtUp", lst.Statements+lst.Documents, "ms", time.Since(start).Milliseconds())
	return nil
}

// close stops everything in reverse start order.
func (a *app) close(ctx context.Context) {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](ctx); err != nil {
			a.log.Warn("shutdown", "err", err)
		}
	}
	a.closers = nil
}

// secretKey is JOBBRIDGE_SECRET_KEY, or the key file in the data dir (created
// on first start of an embedded database). An external database needs the env key,
// so that every replica encrypts alike.
func (a *app) secretKey() ([]byte, error) {
	if a.cfg.SecretKey != "" {
		return store.ParseKey(a.cfg.SecretKey)
	}
	if a.cfg.MongoURI != "" {
		return nil, errors.New("JOBBRIDGE_SECRET_KEY is required with an external MongoDB (32 bytes, hex or base64)")
	}
	return store.LoadOrCreateKeyFile(filepath.Join(a.cfg.DataDir, "secret.key"))
}

// ensureAdmin creates the first admin when there are no users at all; it
// reports whether the database was empty.
func (a *app) ensureAdmin(ctx context.Context) (bool, error) {
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	pw := a.cfg.AdminPassword
	generated := pw == ""
	if generated {
		var b [12]byte
		_, _ = rand.Read(b[:])
		pw = base64.RawURLEncoding.EncodeToString(b[:])
	} else if msg := engine.CheckPassword(pw); msg != "" {
		return false, fmt.Errorf("JOBBRIDGE_ADMIN_PASSWORD %s", msg)
	}
	hash, err := api.HashPassword(pw)
	if err != nil {
		return false, err
	}
	admin := &engine.User{Meta: engine.Meta{ID: "u-admin"}, Username: "admin", Role: engine.RoleAdmin, DisplayName: "Administrator", PasswordHash: hash}
	if err := a.svc.Create(ctx, engine.KindUser, admin); err != nil {
		return false, fmt.Errorf("create admin: %w", err)
	}
	if generated {
		fmt.Fprintf(os.Stderr, "\n  first start: created user admin with password %s\n  (shown once; set JOBBRIDGE_ADMIN_PASSWORD to choose it)\n\n", pw)
	}
	a.log.Info("created first admin", "username", "admin", "generatedPassword", generated)
	return true, nil
}

// employerStreet files a post under its employer's street for street filters and facets.
func (a *app) employerStreet(id string) string {
	if e, ok := a.svc.Employer(id); ok {
		return e.Street
	}
	return ""
}
