package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	tests := []struct {
		kind   engine.Kind
		record engine.Record
		change func(engine.Record)
	}{
		{engine.KindSkill, newSkill("data-entry"), func(r engine.Record) { r.(*engine.Skill).En = "Data input" }},
		{engine.KindSeeker, newSeeker(t, "s1", "31010419900307002"), func(r engine.Record) {
			sk := r.(*engine.Seeker)
			sk.Status = "training"
			sk.Certificate = sk.ResidentID + "34"
		}},
		{engine.KindEmployer, newEmployer("e1"), func(r engine.Record) { r.(*engine.Employer).Staff = 130 }},
		{engine.KindPost, newPost("p1"), func(r engine.Record) { r.(*engine.Post).Status = "closed" }},
		{engine.KindClass, newClass("c1"), func(r engine.Record) { r.(*engine.Class).SeatsTaken = 4 }},
		{engine.KindUser, newUser("u1", "wang"), func(r engine.Record) { r.(*engine.User).Username = "wang.li" }},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			MustCreate(t, s, tt.kind, tt.record)
			m := tt.record.RecordMeta()
			if m.Rev <= 0 || m.CreatedAt.IsZero() || !m.UpdatedAt.Equal(m.CreatedAt) {
				t.Fatalf("create stamped %+v", *m)
			}
			got := engine.NewRecord(tt.kind)
			if err := s.Get(ctx, tt.kind, m.ID, got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.record) {
				t.Fatalf("get after create:\n got %+v\nwant %+v", got, tt.record)
			}

			created, rev := m.CreatedAt, m.Rev
			tt.change(tt.record)
			if err := s.Replace(ctx, tt.kind, tt.record); err != nil {
				t.Fatal(err)
			}
			if m.Rev <= rev || !m.CreatedAt.Equal(created) || !m.UpdatedAt.After(created) {
				t.Fatalf("replace stamped %+v (was rev %d, created %v)", *m, rev, created)
			}
			got = engine.NewRecord(tt.kind)
			if err := s.Get(ctx, tt.kind, m.ID, got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.record) {
				t.Fatalf("get after replace:\n got %+v\nwant %+v", got, tt.record)
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()

	t.Run("id", func(t *testing.T) {
		MustCreate(t, s, engine.KindPost, newPost("p1"))
		again := newPost("p1")
		wantCode(t, s.Create(ctx, engine.KindPost, again), engine.ECONFLICT, "post", "p1", "already exists")
		if again.Rev != 0 || !again.CreatedAt.IsZero() {
			t.Errorf("failed create left meta %+v", again.Meta)
		}
	})

	t.Run("username", func(t *testing.T) {
		MustCreate(t, s, engine.KindUser, newUser("u1", "zhang"))
		wantCode(t, s.Create(ctx, engine.KindUser, newUser("u2", "zhang")), engine.ECONFLICT, "username", "already taken")
		li := newUser("u3", "li")
		MustCreate(t, s, engine.KindUser, li)
		li.Username = "zhang"
		wantCode(t, s.Replace(ctx, engine.KindUser, li), engine.ECONFLICT, "username", "already taken")
		u, err := s.UserByUsername(ctx, "li")
		if err != nil || u.ID != "u3" {
			t.Fatalf("user li after refused rename: %+v, %v", u, err)
		}
	})

	t.Run("resident ID", func(t *testing.T) {
		a := newSeeker(t, "s1", "31010419850615003")
		MustCreate(t, s, engine.KindSeeker, a)
		twin := newSeeker(t, "s2", "31010419850615003")
		err := s.Create(ctx, engine.KindSeeker, twin)
		wantCode(t, err, engine.ECONFLICT, "resident ID", "another file") // names no file: the engine tells admins which
		if !engine.IsResidentIDTaken(err) || strings.Contains(err.Error(), "s1") {
			t.Errorf("the conflict %v names the other file or is not ResidentIDTaken", err)
		}

		other := newSeeker(t, "s3", "31010419920101004")
		MustCreate(t, s, engine.KindSeeker, other)
		other.ResidentID = a.ResidentID
		if err := s.Replace(ctx, engine.KindSeeker, other); !engine.IsResidentIDTaken(err) {
			t.Errorf("replace onto a taken resident ID: %v", err)
		}

		id, err := s.SeekerIDByResidentID(ctx, a.ResidentID)
		if err != nil || id != "s1" {
			t.Fatalf("SeekerIDByResidentID = %q, %v", id, err)
		}
		_, err = s.SeekerIDByResidentID(ctx, ResidentID(t, "31010420000101005"))
		wantCode(t, err, engine.ENOTFOUND)
	})

	t.Run("erased seekers", func(t *testing.T) {
		for _, id := range []string{"s4", "s5"} {
			sk := newSeeker(t, id, "31010419700101006")
			sk.ResidentID, sk.Certificate, sk.Name, sk.Erased = "", "", "", true
			MustCreate(t, s, engine.KindSeeker, sk)
		}
	})

	t.Run("erasing frees the resident ID", func(t *testing.T) {
		sk := newSeeker(t, "s6", "31010419600229008")
		MustCreate(t, s, engine.KindSeeker, sk)
		rid := sk.ResidentID
		sk.ResidentID, sk.Certificate, sk.Erased = "", "", true
		if err := s.Replace(ctx, engine.KindSeeker, sk); err != nil {
			t.Fatal(err)
		}
		_, err := s.SeekerIDByResidentID(ctx, rid)
		wantCode(t, err, engine.ENOTFOUND)
		MustCreate(t, s, engine.KindSeeker, newSeeker(t, "s7", rid[:17]))
	})
}

func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	const n = 16
	posts := make([]*engine.Post, n)
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range posts {
		posts[i] = newPost(fmt.Sprintf("p%02d", i))
		wg.Add(1)
		go func(p *engine.Post) {
			defer wg.Done()
			errs <- s.Create(ctx, engine.KindPost, p)
			p.Openings++
			errs <- s.Replace(ctx, engine.KindPost, p)
		}(posts[i])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int64]bool{}
	last := int64(0)
	err := s.Each(ctx, engine.KindPost, 0, func(r engine.Record) error {
		rev := r.RecordMeta().Rev
		if seen[rev] || rev <= last {
			return fmt.Errorf("rev %d after %d (seen before: %v)", rev, last, seen[rev])
		}
		seen[rev], last = true, rev
		return nil
	})
	if err != nil || len(seen) != n {
		t.Fatalf("Each saw %d posts: %v", len(seen), err)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	wantCode(t, s.Get(ctx, engine.KindSeeker, "nobody", &engine.Seeker{}), engine.ENOTFOUND, "seeker", "nobody")
	wantCode(t, s.Replace(ctx, engine.KindPost, newPost("nothing")), engine.ENOTFOUND, "post", "nothing")
	wantCode(t, s.Delete(ctx, engine.KindUser, "nobody"), engine.ENOTFOUND, "user", "nobody")
	_, err := s.UserByUsername(ctx, "nobody")
	wantCode(t, err, engine.ENOTFOUND)
	wantCode(t, s.Get(ctx, engine.KindPost, "p1", &engine.Seeker{}), engine.EINVALID)
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on an empty store = %d, %v", n, err)
	}
	MustCreate(t, s, engine.KindUser, newUser("u1", "admin"))
	MustCreate(t, s, engine.KindUser, newUser("u2", "zhao"))
	if n, err := s.CountUsers(ctx); err != nil || n != 2 {
		t.Fatalf("CountUsers = %d, %v", n, err)
	}
	if err := s.Delete(ctx, engine.KindUser, "u2"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Get(ctx, engine.KindUser, "u2", &engine.User{}), engine.ENOTFOUND)
	MustCreate(t, s, engine.KindUser, newUser("u3", "zhao")) // the username is free again
	MustCreate(t, s, engine.KindPost, newPost("p1"))
	wantCode(t, s.Delete(ctx, engine.KindPost, "p1"), engine.EINVALID)
}

func TestChangeFeed(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	var revs []int64
	write := func(r engine.Record, create bool) {
		t.Helper()
		var err error
		if create {
			err = s.Create(ctx, engine.KindPost, r)
		} else {
			err = s.Replace(ctx, engine.KindPost, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := len(revs); n > 0 && r.RecordMeta().Rev <= revs[n-1] {
			t.Fatalf("rev %d after %d", r.RecordMeta().Rev, revs[n-1])
		}
		revs = append(revs, r.RecordMeta().Rev)
	}
	p1, p2, p3 := newPost("p1"), newPost("p2"), newPost("p3")
	write(p1, true)
	write(p2, true)
	MustCreate(t, s, engine.KindClass, newClass("c1")) // another kind shares the counter
	since := p2.Rev
	write(p3, true)
	p1.Openings = 5
	write(p1, false)

	var got []string
	var gotRevs []int64
	err := s.Each(ctx, engine.KindPost, since, func(r engine.Record) error {
		got = append(got, r.RecordMeta().ID)
		gotRevs = append(gotRevs, r.RecordMeta().Rev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"p3", "p1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Each since %d = %v, want %v", since, got, want)
	}
	if want := []int64{p3.Rev, p1.Rev}; !reflect.DeepEqual(gotRevs, want) {
		t.Fatalf("Each revs = %v, want %v", gotRevs, want)
	}

	var all int
	if err := s.Each(ctx, engine.KindPost, 0, func(engine.Record) error { all++; return nil }); err != nil || all != 3 {
		t.Fatalf("Each since 0 saw %d posts, %v", all, err)
	}
	stop := errors.New("stop")
	if err := s.Each(ctx, engine.KindPost, 0, func(engine.Record) error { return stop }); err != stop {
		t.Fatalf("Each returned %v, want fn's error", err)
	}

	var seekers []*engine.Seeker
	MustCreate(t, s, engine.KindSeeker, newSeeker(t, "s1", "31010419880808007"))
	err = s.Each(ctx, engine.KindSeeker, 0, func(r engine.Record) error {
		seekers = append(seekers, r.(*engine.Seeker))
		return nil
	})
	if err != nil || len(seekers) != 1 || seekers[0].ResidentID != ResidentID(t, "31010419880808007") {
		t.Fatalf("Each seekers = %+v, %v (resident ID must be decrypted)", seekers, err)
	}
}

// TestEncryptedAtRest writes seekers to a server of its own and reads every
// file of its data dir for their resident IDs and certificate numbers.
func TestEncryptedAtRest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := embedded.Start(ctx, dir, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	s := MustOpenURI(t, db.URI())
	var secrets []string
	for i, first17 := range []string{"31010419750505008", "31010419991231009", "31010420010214000"} {
		sk := newSeeker(t, string(rune('a'+i)), first17)
		MustCreate(t, s, engine.KindSeeker, sk)
		sk.Certificate = sk.ResidentID + "11"
		if err := s.Replace(ctx, engine.KindSeeker, sk); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, sk.ResidentID, sk.Certificate, sk.ResidentID+"23")
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	files, sawName := 0, false
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %s in plain text", path, secret)
			}
		}
		sawName = sawName || bytes.Contains(b, []byte("测试人a"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 || !sawName {
		t.Fatalf("walked %d files and never saw a plain-text name: the check reads the wrong files", files)
	}
}

// TestRestart closes and reopens the embedded database on the same dir.
func TestRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	sk := newSeeker(t, "s1", "31010419660606001")
	for round := 0; round < 2; round++ {
		db, err := embedded.Start(ctx, dir, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, db.URI(), MustCipher(t, testKey), quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			MustCreate(t, s, engine.KindSeeker, sk)
			MustCreate(t, s, engine.KindUser, newUser("u1", "admin"))
		} else {
			var got engine.Seeker
			if err := s.Get(ctx, engine.KindSeeker, "s1", &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&got, sk) {
				t.Fatalf("after restart:\n got %+v\nwant %+v", got, *sk)
			}
			if n, err := s.CountUsers(ctx); err != nil || n != 1 {
				t.Fatalf("CountUsers after restart = %d, %v", n, err)
			}
			next := newPost("p1")
			MustCreate(t, s, engine.KindPost, next)
			if next.Rev <= sk.Rev {
				t.Fatalf("rev %d after restart, not above %d", next.Rev, sk.Rev)
			}
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("wrong key", func(t *testing.T) {
		db, err := embedded.Start(ctx, dir, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		other := make([]byte, store.KeySize)
		s, err := store.Open(ctx, db.URI(), MustCipher(t, other), quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(ctx)
		if err := s.Get(ctx, engine.KindSeeker, "s1", &engine.Seeker{}); err == nil {
			t.Fatal("read a seeker with the wrong key")
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	sess := &engine.Session{Meta: engine.Meta{ID: "9f86d081884c7d65"}, UserID: "u1",
		ExpiresAt: time.Date(2025, 3, 8, 9, 0, 0, 987654321, engine.Shanghai)}
	if err := s.PutSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSession(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sess) {
		t.Fatalf("GetSession:\n got %+v\nwant %+v", got, sess)
	}
	sess.ExpiresAt = sess.ExpiresAt.Add(time.Hour) // refreshed
	if err := s.PutSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetSession(ctx, sess.ID); err != nil || !got.ExpiresAt.Equal(sess.ExpiresAt) {
		t.Fatalf("after refresh: %+v, %v", got, err)
	}
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetSession(ctx, sess.ID)
	wantCode(t, err, engine.ENOTFOUND)
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		t.Fatalf("deleting a deleted session: %v", err)
	}

	// A deleted account's sessions all go; another user's stay.
	for i, uid := range []string{"u2", "u2", "u3"} {
		if err := s.PutSession(ctx, &engine.Session{Meta: engine.Meta{ID: fmt.Sprintf("h%d", i)}, UserID: uid, ExpiresAt: sess.ExpiresAt}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteUserSessions(ctx, "u2"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{engine.ENOTFOUND, engine.ENOTFOUND, ""} {
		if _, err := s.GetSession(ctx, fmt.Sprintf("h%d", i)); engine.ErrorCode(err) != want {
			t.Errorf("session h%d after deleting u2's: %v", i, err)
		}
	}

	// Purging drops the expired sessions and keeps the live one (the test
	// clock reads 2025-03-01; h2 expires on 2025-03-08).
	expired := &engine.Session{Meta: engine.Meta{ID: "expired"}, UserID: "u3", ExpiresAt: time.Date(2025, 2, 28, 9, 0, 0, 0, engine.Shanghai)}
	if err := s.PutSession(ctx, expired); err != nil {
		t.Fatal(err)
	}
	live := &engine.Session{Meta: engine.Meta{ID: "live"}, UserID: "u3", ExpiresAt: time.Date(2025, 3, 2, 9, 0, 0, 0, engine.Shanghai)}
	if err := s.PutSession(ctx, live); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSession(ctx, "expired"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("an expired session after the purge: %v", err)
	}
	for _, id := range []string{"live", "h2"} {
		if _, err := s.GetSession(ctx, id); err != nil {
			t.Errorf("live session %s after the purge: %v", id, err)
		}
	}
}

func TestAudit(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	var written []engine.AuditEntry
	for i := 0; i < 7; i++ {
		e := &engine.AuditEntry{Actor: []string{"u1", "u2"}[i%2], Role: engine.RoleCounsellor, Action: "read",
			SeekerID: []string{"s1", "s2", "s3"}[i%3], Route: "GET /api/seekers/:id"}
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.ID == "" || e.At.IsZero() {
			t.Fatalf("audit entry not stamped: %+v", e)
		}
		if len(written) > 0 && e.ID <= written[len(written)-1].ID {
			t.Fatalf("audit id %s does not sort after %s", e.ID, written[len(written)-1].ID)
		}
		written = append(written, *e)
	}
	ids := func(q engine.AuditQuery) []string {
		t.Helper()
		es, err := s.AuditLog(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	pick := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, written[i].ID)
		}
		return out
	}
	tests := []struct {
		name string
		q    engine.AuditQuery
		want []string
	}{
		{"all newest first", engine.AuditQuery{}, pick(6, 5, 4, 3, 2, 1, 0)},
		{"seeker", engine.AuditQuery{SeekerID: "s1"}, pick(6, 3, 0)},
		{"actor", engine.AuditQuery{Actor: "u2"}, pick(5, 3, 1)},
		{"seeker and actor", engine.AuditQuery{SeekerID: "s1", Actor: "u2"}, pick(3)},
		{"limit", engine.AuditQuery{Limit: 2}, pick(6, 5)},
		{"next page", engine.AuditQuery{Limit: 2, Before: written[5].ID}, pick(4, 3)},
		{"seeker page", engine.AuditQuery{SeekerID: "s1", Before: written[3].ID}, pick(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.q); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AuditLog(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
	es, err := s.AuditLog(ctx, engine.AuditQuery{SeekerID: "s1", Limit: 1})
	if err != nil || len(es) != 1 || !reflect.DeepEqual(es[0], written[6]) {
		t.Fatalf("AuditLog entry = %+v, %v; want %+v", es, err, written[6])
	}
	if es, err := s.AuditLog(ctx, engine.AuditQuery{SeekerID: "nobody"}); err != nil || es == nil || len(es) != 0 {
		t.Fatalf("AuditLog for nobody = %#v, %v; want an empty list", es, err)
	}
}
