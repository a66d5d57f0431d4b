package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"jobbridge/engine"
)

var (
	benchOnce       sync.Once
	benchStatements int // statement ids used so far: every run posts new ones
	benchBatches    int // batches posted so far: the next batch's trainees follow on
)

// BenchmarkXAPIIngest posts batches of 100 statements to POST
// /xapi/statements over HTTP, on the embedded database: 50 trainees of one
// class, 2 statements each, the next batch the next 50 of the class's 500,
// so each enrollment's log grows as a class's would. Each batch is parsed,
// checked, stored in one insert (repeats found by their ids), and appended
// to its 50 enrollments in one bulk write.
//
//	go test ./api/ -run '^$' -bench XAPIIngest -benchtime 100x
func BenchmarkXAPIIngest(b *testing.B) {
	e := shared
	ctx := context.Background()
	const trainees, perBatch, perTrainee = 500, 50, 2
	benchOnce.Do(func() {
		c := trainingClass("c-bench", trainees)
		if err := e.svc.Create(ctx, engine.KindClass, c); err != nil {
			b.Fatal(err)
		}
		seekers := make([]engine.Record, trainees)
		for i := range trainees {
			sk := testSeeker(fmt.Sprintf("s-bench-%03d", i), "xujiahui", 0)
			sk.ResidentID = residentID("19940404", i)
			sk.Certificate = sk.ResidentID + "42"
			seekers[i] = sk
		}
		if _, err := e.svc.PutMany(ctx, engine.KindSeeker, seekers); err != nil {
			b.Fatal(err)
		}
		for i := range trainees {
			if _, err := e.svc.Enroll(ctx, &engine.Enrollment{SeekerID: fmt.Sprintf("s-bench-%03d", i), ClassID: "c-bench"}, "u-admin"); err != nil {
				b.Fatal(err)
			}
		}
	})
	modules := []string{"m1", "m2", "extra", "exam"}
	bodies := make([]string, b.N)
	for i := range bodies {
		parts := make([]string, 0, perBatch*perTrainee)
		for t := range perBatch {
			seeker := fmt.Sprintf("s-bench-%03d", (benchBatches*perBatch+t)%trainees)
			for k := range perTrainee {
				benchStatements++
				parts = append(parts, xstatement(fmt.Sprintf("10000000-0000-4000-8000-%012d", benchStatements), seeker,
					"c-bench", modules[(benchBatches+k)%len(modules)], "progressed", progressResult((benchBatches*7+k*13)%101)))
			}
		}
		benchBatches++
		bodies[i] = "[" + strings.Join(parts, ",") + "]"
	}
	e.token(b, "admin")
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		res, out := e.doWith(b, "admin", "POST", "/api/v1/xapi/statements", bodies[i], xapiHeader)
		if res.StatusCode != 200 {
			b.Fatalf("%d %s", res.StatusCode, out)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*perBatch*perTrainee)/elapsed.Seconds(), "statements/s")
	b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N), "ms/batch")
}
