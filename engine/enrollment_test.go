package engine

import (
	"reflect"
	"testing"
	"time"
)

func trainingClass() *Class {
	return &Class{Meta: Meta{ID: "c1"}, Title: "CAD", Starts: "2026-09-01", Ends: "2026-11-23",
		Modules: []Module{{ID: "m1", Title: "a", Required: true}, {ID: "m2", Title: "b", Required: true},
			{ID: "opt", Title: "c"}, {ID: "exam", Title: "d", Required: true}},
		Completion: Completion{MinProgress: 80, PassScore: 0.6}}
}

func ev(id, module, verb string, progress int, score float64, at time.Time) ProgressEvent {
	e := ProgressEvent{Statement: id, Module: module, Verb: verb, At: at}
	if progress >= 0 {
		e.Progress = &progress
	}
	if score >= 0 {
		e.Score = &score
	}
	e.Completed = verb == "completed" || verb == "passed"
	return e
}

func TestFold(t *testing.T) {
	c := trainingClass()
	t0 := time.Date(2026, 9, 2, 10, 0, 0, 0, Shanghai)
	tests := []struct {
		name      string
		log       []ProgressEvent
		progress  float64
		score     float64 // -1: none
		next      string
		completed []string
	}{
		{"empty", nil, 0, -1, "m1", nil},
		{"progress only grows", []ProgressEvent{ev("a", "m1", "progressed", 60, -1, t0), ev("b", "m1", "progressed", 30, -1, t0)}, 20, -1, "m1", nil},
		{"completed is 100", []ProgressEvent{ev("a", "m1", "completed", -1, -1, t0), ev("b", "m2", "progressed", 50, -1, t0)}, 50, -1, "m2", []string{"m1"}},
		{"optional module not tracked", []ProgressEvent{ev("a", "opt", "completed", -1, -1, t0)}, 0, -1, "m1", []string{"opt"}},
		{"best score, mean over scored modules", []ProgressEvent{ev("a", "m1", "failed", -1, 0.4, t0), ev("b", "m1", "passed", -1, 0.7, t0), ev("c", "exam", "passed", -1, 0.9, t0)}, 66.6, 0.8, "m2", []string{"m1", "exam"}},
		{"progress 100 completes", []ProgressEvent{ev("a", "m1", "progressed", 100, -1, t0)}, 33.3, -1, "m2", []string{"m1"}},
		{"a statement counts once", []ProgressEvent{ev("a", "m1", "progressed", 90, -1, t0), ev("a", "m1", "progressed", 90, -1, t0)}, 30, -1, "m1", nil},
		{"unknown module ignored", []ProgressEvent{ev("a", "gone", "completed", -1, 1, t0)}, 0, -1, "m1", nil},
		{"all done", []ProgressEvent{ev("a", "m1", "completed", -1, -1, t0), ev("b", "m2", "completed", -1, -1, t0), ev("c", "exam", "passed", -1, 0.6, t0), ev("d", "opt", "progressed", 10, -1, t0)}, 100, 0.6, "opt", []string{"m1", "m2", "exam"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Fold(tt.log, c)
			if p.Progress != tt.progress {
				t.Errorf("progress %v, want %v", p.Progress, tt.progress)
			}
			switch {
			case tt.score < 0 && p.Score != nil:
				t.Errorf("score %v, want none", *p.Score)
			case tt.score >= 0 && (p.Score == nil || *p.Score-tt.score > 1e-9 || tt.score-*p.Score > 1e-9):
				t.Errorf("score %v, want %v", p.Score, tt.score)
			}
			if p.Next == nil || p.Next.ID != tt.next {
				t.Errorf("next %+v, want %s", p.Next, tt.next)
			}
			for _, m := range tt.completed {
				if !p.Modules[m].Completed || p.Modules[m].Progress != 100 {
					t.Errorf("module %s: %+v, want completed", m, p.Modules[m])
				}
			}
			if len(tt.log) > 0 && (p.LastActivity == nil || !p.LastActivity.Equal(t0)) {
				t.Errorf("last activity %v", p.LastActivity)
			}
			// Adding the events one at a time to what came before gives the same.
			inc := Fold(nil, c)
			seen := map[string]bool{}
			for _, e := range tt.log {
				if !seen[e.Statement] {
					seen[e.Statement] = true
					inc = inc.Add([]ProgressEvent{e}, c)
				}
			}
			if !reflect.DeepEqual(inc, p) {
				t.Errorf("Add one by one = %+v, Fold = %+v", inc, p)
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	c := trainingClass()
	enrolled := time.Date(2026, 8, 20, 9, 0, 0, 0, Shanghai)
	day := func(d string, hour int) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, d, Shanghai)
		return t.Add(time.Duration(hour) * time.Hour)
	}
	done := []ProgressEvent{ev("a", "m1", "completed", -1, -1, day("2026-09-10", 10)), ev("b", "m2", "completed", -1, -1, day("2026-09-20", 10)),
		ev("c", "exam", "progressed", 50, -1, day("2026-10-01", 10))}
	passed := append(done[:3:3], ev("d", "exam", "passed", -1, 0.75, day("2026-10-02", 10)))
	low := append(done[:3:3], ev("d", "exam", "failed", -1, 0.4, day("2026-10-02", 10)))
	tests := []struct {
		name   string
		status string
		log    []ProgressEvent
		now    time.Time
		want   string
	}{
		{"nothing yet, before the class", EnrollmentEnrolled, nil, day("2026-08-25", 12), EnrollmentEnrolled},
		{"first statement", EnrollmentEnrolled, done[:1], day("2026-09-10", 12), EnrollmentActive},
		{"no statement 13 days into the class", EnrollmentEnrolled, nil, day("2026-09-14", 0), EnrollmentEnrolled},
		{"no statement 14 days into the class", EnrollmentEnrolled, nil, day("2026-09-15", 0), EnrollmentInactive},
		{"quiet for 14 days", EnrollmentActive, done[:1], day("2026-09-24", 10), EnrollmentInactive},
		{"quiet for 13 days", EnrollmentActive, done[:1], day("2026-09-23", 10), EnrollmentActive},
		{"back from inactive", EnrollmentInactive, done[:2], day("2026-09-21", 10), EnrollmentActive},
		{"progress reached, no score", EnrollmentActive, done, day("2026-10-01", 12), EnrollmentCompleted},
		{"completed stays while the class runs", EnrollmentCompleted, done, day("2026-11-20", 12), EnrollmentCompleted},
		{"passed", EnrollmentCompleted, passed, day("2026-10-02", 12), EnrollmentPassed},
		{"passed in one go", EnrollmentEnrolled, passed, day("2026-10-02", 12), EnrollmentPassed},
		{"score too low", EnrollmentCompleted, low, day("2026-10-02", 12), EnrollmentCompleted},
		{"score too low at the end", EnrollmentCompleted, low, day("2026-11-24", 0), EnrollmentFailed},
		{"last day is still running", EnrollmentActive, done[:1], day("2026-11-23", 23), EnrollmentInactive},
		{"ended without progress", EnrollmentActive, done[:2], day("2026-11-24", 1), EnrollmentFailed},
		{"final stays", EnrollmentPassed, nil, day("2026-12-24", 1), EnrollmentPassed},
		{"withdrawn stays", EnrollmentWithdrawn, done, day("2026-10-24", 1), EnrollmentWithdrawn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Enrollment{Meta: Meta{ID: "en-1", CreatedAt: enrolled}, Status: tt.status, Log: tt.log}
			p := Fold(e.Log, c)
			if got := Outcome(e, &p, c, tt.now); got != tt.want {
				t.Fatalf("got %s, want %s (progress %v)", got, tt.want, p.Progress)
			}
		})
	}

	t.Run("no assessment", func(t *testing.T) {
		c := trainingClass()
		c.Completion.PassScore = 0
		e := &Enrollment{Status: EnrollmentActive, Log: done}
		p := Fold(e.Log, c)
		if got := Outcome(e, &p, c, day("2026-10-01", 12)); got != EnrollmentPassed {
			t.Fatalf("got %s", got)
		}
	})
	t.Run("view rounds progress down", func(t *testing.T) {
		c := &Class{Modules: []Module{{ID: "a", Required: true}, {ID: "b", Required: true}, {ID: "c", Required: true}}}
		e := &Enrollment{Log: []ProgressEvent{ev("1", "a", "progressed", 80, -1, enrolled), ev("2", "b", "progressed", 80, -1, enrolled), ev("3", "c", "progressed", 79, -1, enrolled)}}
		if v := e.View(c); v.Progress.Progress != 79.6 {
			t.Fatalf("view progress %v", v.Progress.Progress)
		}
	})
}
