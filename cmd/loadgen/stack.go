package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/engine/search"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
	"jobbridge/fixtures"
)

// stack is a jobbridge wired as cmd/jobbridge wires it (embedded FerretDB,
// store, Bleve index, matcher, service, API) serving on 127.0.0.1:0.
type stack struct {
	base           string
	unlimited      string // the same service behind login limits turned off (what it was before them)
	user, password string // a district-wide counsellor made for the run
	seekerIDs      []string
	counts         fixtures.Counts
	importTime     time.Duration

	closers []func()
}

// startStack starts the stack in a data dir (a temporary one unless given)
// and imports generated data through engine.Service.PutMany, as
// `jobbridge import` does.
func startStack(ctx context.Context, o options, log *slog.Logger) (st *stack, err error) {
	st = &stack{}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	dir := o.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "jobbridge-loadgen-"); err != nil {
			return st, err
		}
		st.closers = append(st.closers, func() { os.RemoveAll(dir) })
	} else if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return st, fmt.Errorf("data dir %s is not empty: loadgen imports into an empty one", dir)
	}
	db, err := embedded.Start(ctx, dir, log)
	if err != nil {
		return st, err
	}
	st.closers = append(st.closers, func() { db.Close() })
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return st, err
	}
	cipher, err := store.NewCipher(key)
	if err != nil {
		return st, err
	}
	s, err := store.Open(ctx, db.URI(), cipher, log)
	if err != nil {
		return st, err
	}
	st.closers = append(st.closers, func() { s.Close(context.Background()) })
	if _, err := db.IndexIDs(ctx); err != nil {
		return st, err
	}
	ix, err := search.Open(filepath.Join(dir, "index"))
	if err != nil {
		return st, err
	}
	st.closers = append(st.closers, func() { ix.Close() })
	matcher := engine.NewMatcher(engine.SystemClock{})
	svc := engine.NewService(s, ix, engine.SystemClock{}, matcher)
	ix.SkillNames = func(code string) (string, string) {
		if sk, ok := svc.Skill(code); ok {
			return sk.Zh, sk.En
		}
		return "", ""
	}
	ix.EmployerStreet = func(id string) string {
		if e, ok := svc.Employer(id); ok {
			return e.Street
		}
		return ""
	}
	if _, err := svc.Load(ctx); err != nil {
		return st, err
	}

	d := fixtures.Generate(int64(o.seed), fixtures.Counts{Posts: o.posts, Seekers: o.seekers, Classes: o.classes})
	st.counts = fixtures.Counts{Posts: len(d.Posts), Seekers: len(d.Seekers), Employers: len(d.Employers), Classes: len(d.Classes)}
	start := time.Now()
	if err := importDataset(ctx, svc, d); err != nil {
		return st, err
	}
	st.importTime = time.Since(start)
	for i := range d.Seekers {
		st.seekerIDs = append(st.seekerIDs, d.Seekers[i].ID)
	}

	var pw [12]byte
	rand.Read(pw[:])
	st.user, st.password = "loadgen-counsellor", base64.RawURLEncoding.EncodeToString(pw[:])
	hash, err := api.HashPassword(st.password)
	if err != nil {
		return st, err
	}
	u := &engine.User{Meta: engine.Meta{ID: "u-loadgen"}, Username: st.user, Role: engine.RoleCounsellor,
		DisplayName: "loadgen (district-wide)", PasswordHash: hash}
	if err := svc.Create(ctx, engine.KindUser, u); err != nil {
		return st, fmt.Errorf("create counsellor: %w", err)
	}

	if st.base, err = st.serve(api.Config{Service: svc, Matcher: matcher, Log: log}); err != nil {
		return st, err
	}
	if st.unlimited, err = st.serve(api.Config{Service: svc, Matcher: matcher, Log: log, Login: api.LoginLimits{Off: true}}); err != nil {
		return st, err
	}
	return st, nil
}

// serve starts an API server of the stack on 127.0.0.1 and returns its base URL.
func (st *stack) serve(cfg api.Config) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: api.New(cfg).Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	st.closers = append(st.closers, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String(), nil
}

// importDataset writes a generated dataset in batches of 500 per kind, in
// the order references need (skills, employers, seekers, posts, classes).
func importDataset(ctx context.Context, svc *engine.Service, d *fixtures.Dataset) error {
	var kinds [5][]engine.Record
	for i := range d.Skills {
		kinds[0] = append(kinds[0], &d.Skills[i])
	}
	for i := range d.Employers {
		kinds[1] = append(kinds[1], &d.Employers[i])
	}
	for i := range d.Seekers {
		kinds[2] = append(kinds[2], &d.Seekers[i])
	}
	for i := range d.Posts {
		kinds[3] = append(kinds[3], &d.Posts[i])
	}
	for i := range d.Classes {
		kinds[4] = append(kinds[4], &d.Classes[i])
	}
	order := [5]engine.Kind{engine.KindSkill, engine.KindEmployer, engine.KindSeeker, engine.KindPost, engine.KindClass}
	const batch = 500
	for k, rs := range kinds {
		for i := 0; i < len(rs); i += batch {
			if _, err := svc.PutMany(ctx, order[k], rs[i:min(i+batch, len(rs))]); err != nil {
				return fmt.Errorf("import %s: %w", order[k], err)
			}
		}
	}
	return nil
}

// close stops what started, in reverse order.
func (st *stack) close() {
	for i := len(st.closers) - 1; i >= 0; i-- {
		st.closers[i]()
	}
	st.closers = nil
}
