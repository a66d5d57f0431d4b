package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jobbridge/fixtures"
)

// TestDamagedDatabaseFile: serve on a copy of a data dir whose SQLite file is
// damaged (pages in the middle overwritten, or the header) exits non-zero
// with one line naming the file and what to do, not FerretDB's error frames.
func TestDamagedDatabaseFile(t *testing.T) {
	t.Setenv("JOBBRIDGE_ADMIN_PASSWORD", "admin-password-1")
	good := t.TempDir()
	data := writeDataset(t, fixtures.Generate(7, fixtures.Counts{Seekers: 200, Posts: 200, Classes: 4}))
	if err := run(context.Background(), []string{"import", "--data-dir", good, "--log-level", "warn", data}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		middle bool // overwrite pages in the middle of the file, else its header
	}{
		{"pages in the middle", true},
		{"the header", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if out, err := exec.Command("cp", "-a", good+"/.", dir).CombinedOutput(); err != nil {
				t.Fatalf("copy: %v %s", err, out)
			}
			file := filepath.Join(dir, "db", "jobbridge.sqlite")
			f, err := os.OpenFile(file, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			var at int64
			if c.middle {
				st, _ := f.Stat()
				at = st.Size() / 2 / 4096 * 4096
			}
			if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad", 4096*8)), at); err != nil {
				t.Fatal(err)
			}
			f.Close()
			err = run(context.Background(), []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--metrics-addr", "",
				"--fixtures", "off", "--log-level", "error"}, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("serve started on a damaged file")
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range []string{file, "is damaged", "restore", "backup", "jobbridge check"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message does not say %q: %s", want, msg)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, ".go:") {
				t.Errorf("not one plain line: %s", msg)
			}
		})
	}
	// The good copy still serves: the check does not refuse a sound file.
	if err := run(context.Background(), []string{"reindex", "--data-dir", good, "--log-level", "warn"}, io.Discard, io.Discard); err != nil {
		t.Fatalf("reindex of the sound data dir: %v", err)
	}
}
