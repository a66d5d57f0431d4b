package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
)

// serverURI is the embedded FerretDB shared by the tests of this binary; each
// test gets a database of its own on it.
var serverURI string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "jobbridge-store-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	db, err := embedded.Start(context.Background(), dir, quietLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	serverURI = db.URI()
	return m.Run()
}

func quietLogger() *slog.Logger {
	if os.Getenv("STORE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// testKey is a fixed master key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// MustCipher makes a cipher from key.
func MustCipher(tb testing.TB, key []byte) *store.Cipher {
	tb.Helper()
	c, err := store.NewCipher(key)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// databases numbers the test databases on the shared server, so that -count=N
// starts every run on empty ones.
var databases atomic.Int64

// MustOpen opens a store on a database of its own on the shared server, closed when tb ends.
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	return MustOpenURI(tb, fmt.Sprintf("%st%d", serverURI, databases.Add(1)))
}

// MustOpenURI opens a store at uri with the test key and a moving test clock.
func MustOpenURI(tb testing.TB, uri string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), uri, MustCipher(tb, testKey), quietLogger())
	if err != nil {
		tb.Fatal(err)
	}
	s.Clock = &testClock{t: time.Date(2025, 3, 1, 9, 0, 0, 123456789, engine.Shanghai)}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// testClock starts at a fixed time and moves one second each time it is read.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// ResidentID completes 17 digits with their GB 11643 check character.
func ResidentID(tb testing.TB, first17 string) string {
	tb.Helper()
	c, ok := engine.ResidentIDCheck(first17)
	if !ok {
		tb.Fatalf("bad resident ID prefix %q", first17)
	}
	return first17 + string(c)
}

// MustCreate creates r or fails the test.
func MustCreate(tb testing.TB, s *store.Store, kind engine.Kind, r engine.Record) {
	tb.Helper()
	if err := s.Create(context.Background(), kind, r); err != nil {
		tb.Fatalf("create %s: %v", kind, err)
	}
}

// wantCode fails the test unless err is an *engine.Error with code and a message mentioning each of words.
func wantCode(tb testing.TB, err error, code string, words ...string) {
	tb.Helper()
	var e *engine.Error
	if !errors.As(err, &e) || e.Code != code {
		tb.Fatalf("got error %v, want code %s", err, code)
	}
	for _, w := range words {
		if !strings.Contains(e.Message, w) {
			tb.Errorf("message %q does not mention %q", e.Message, w)
		}
	}
}
