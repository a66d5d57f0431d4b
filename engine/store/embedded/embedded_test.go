package embedded

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestStartClose(t *testing.T) {
	t.Parallel()
	db, err := Start(context.Background(), t.TempDir(), slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(db.URI(), "mongodb://%2F") {
		t.Errorf("URI = %q", db.URI())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestMinLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(minLevel{slog.LevelWarn, slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})}).
		With("name", "listener")
	log.Info("Listening on TCP 127.0.0.1:1234...")
	log.Warn("Response header: length: 121")
	log.Warn("Response message:\n{}")
	log.Warn("Connection stopped")
	log.Error("Response header: closing")
	out := buf.String()
	for _, want := range []string{"Connection stopped", "closing", "name=listener"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"Listening", "length: 121", "Response message"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("log has %q:\n%s", unwanted, out)
		}
	}
}

// TestRefusesURIPath: a data dir whose path holds '#' or '?' is refused at
// once with a message naming it (the embedded SQLite would fail deep inside).
func TestRefusesURIPath(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a#1", "b?x"} {
		dir := t.TempDir() + "/" + name
		_, err := Start(context.Background(), dir, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
		if err == nil || !strings.Contains(err.Error(), "must not contain") || !strings.Contains(err.Error(), name) {
			t.Errorf("Start(%q) = %v, want a refusal naming the path", dir, err)
		}
	}
}
