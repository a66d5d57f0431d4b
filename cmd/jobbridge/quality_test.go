package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"jobbridge/fixtures"
)

func TestQualityCommand(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	args := []string{"quality", "--data", "demo,generated", "--seekers", "300", "--posts", "400", "--json"}
	if err := run(context.Background(), args, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var runs []QualityRun
	if err := json.Unmarshal(out.Bytes(), &runs); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	if len(runs) != 2 || runs[0].Data != "demo" || runs[1].Data != "generated" {
		t.Fatalf("runs %+v, want demo then generated", runs)
	}
	demo, _ := fixtures.DemoDataset()
	looking := 0
	for i := range demo.Seekers {
		if demo.Seekers[i].LookingForWork() {
			looking++
		}
	}
	if q := runs[0].Quality; q.Seekers != looking || q.WithMatch == 0 || q.WithMatch > q.Seekers || q.OpenPosts == 0 {
		t.Errorf("demo: %d seekers measured (want the %d looking for work), %d with a match, %d open posts", q.Seekers, looking, q.WithMatch, q.OpenPosts)
	}
	if r := runs[1]; r.Seekers != 300 || r.Posts != 400 || r.Seed != 42 || r.Today != fixtures.ReferenceDay {
		t.Errorf("generated run %+v, want 300 × 400, seed 42, today %s", r, fixtures.ReferenceDay)
	}
	if n := len(runs[0].Quality.Watches); n != len(fixtures.QualityWatches()) {
		t.Errorf("%d watches reported, want %d", n, len(fixtures.QualityWatches()))
	}

	out.Reset()
	if err := run(context.Background(), []string{"quality", "--data", "demo"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| data", "| demo", "first match uses one", "Braille"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestQualityCommandFlags(t *testing.T) {
	t.Parallel()
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"quality", "--help"}, io.Discard, &errOut); !errors.Is(err, flag.ErrHelp) ||
		!strings.Contains(errOut.String(), "-seekers") {
		t.Errorf("--help: %v, %q", err, errOut.String())
	}
	for _, c := range []struct{ args, want string }{
		{"--data nowhere", "--data"},
		{"--today 2026-13-01", "--today"},
		{"--posts 0", "--posts"},
		{"extra", "no arguments"},
	} {
		err := run(context.Background(), append([]string{"quality"}, strings.Fields(c.args)...), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("quality %s: %v, want an error naming %s", c.args, err, c.want)
		}
	}
}
