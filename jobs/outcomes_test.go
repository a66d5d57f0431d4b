package jobs

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"jobbridge/engine"
)

// event is something that happens at a time in the simulation: statements
// arrive, a post is opened, or cron reaches a job's slot.
type event struct {
	at   time.Time
	what func()
}

// TestTwelveWeekRemoteClass simulates a 12-week remote class hour by hour on
// an injected clock: three trainees' statements arrive, cron fires the
// hourly training-outcomes job and the nightly rematch at every slot, and the
// enrollments move: one enrolled → active → completed → passed (skills added,
// a post becomes a match, the counsellor is told), one goes inactive after 14
// quiet days (and fails at the end), one fails when the class ends.
func TestTwelveWeekRemoteClass(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	day := func(d string, hour int) time.Time {
		v, err := time.ParseInLocation(time.DateOnly, d, engine.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v.Add(time.Duration(hour) * time.Hour)
	}
	begin, end := day("2026-08-31", 9), day("2026-12-01", 0)
	s := MustStack(t, begin)
	s.seedTraining(t)
	s.MustCreate(t, engine.KindPost, remotePost("p-cad", "远程 CAD 绘图员 CAD drafter", "cad-drafting", 2))
	s.MustCreate(t, engine.KindClass, remoteClass("c1", "2026-09-07", "2026-11-29", 12))
	names := map[string]string{"s-pass": "passes", "s-quiet": "goes quiet", "s-fail": "fails"}
	for i, id := range []string{"s-pass", "s-quiet", "s-fail"} {
		s.MustCreate(t, engine.KindSeeker, remoteSeeker(id, i+1, "u-c1"))
	}
	enrollment := map[string]string{}
	for _, id := range []string{"s-pass", "s-quiet", "s-fail"} {
		v, err := s.svc.Enroll(ctx, &engine.Enrollment{SeekerID: id, ClassID: "c1"}, "u-c1")
		if err != nil {
			t.Fatal(err)
		}
		enrollment[v.ID] = id
	}
	if ms, _ := s.matcher.Matches("s-pass", engine.KindPost, 20); slices.Contains(engine.MatchIDs(ms.Results), "p-cad") {
		t.Fatal("p-cad is a match before the class")
	}

	sched := mustScheduler(t, s.store, s.clock, "sim", Standard(s.svc, s.matcher, s.clock)...)
	var events []event
	at := func(t time.Time, f func()) { events = append(events, event{t, f}) }
	post := func(seeker, module, verb string, progress int, scaled float64) func() {
		return func() {
			s.record(t, statement(seeker, "c1", module, verb, progress, scaled, s.clock.Now()))
		}
	}
	week := func(w, d, hour int) time.Time { return day("2026-09-07", hour).AddDate(0, 0, 7*(w-1)+d) }
	// s-pass: a unit a week for six weeks (85.7% of the required work, no
	// score yet: completed), the exam in weeks 8 and 9 (passed, 0.85).
	for w := 1; w <= 6; w++ {
		m := fmt.Sprintf("m%02d", w)
		at(week(w, 1, 10), post("s-pass", m, "progressed", 50, -1))
		at(week(w, 3, 20), post("s-pass", m, "completed", -1, -1))
	}
	at(week(8, 2, 19), post("s-pass", "exam", "progressed", 60, -1))
	at(week(9, 2, 19), post("s-pass", "exam", "passed", -1, 0.85))
	// s-quiet: two weeks of unit 1, then nothing.
	at(week(1, 2, 9), post("s-quiet", "m01", "progressed", 30, -1))
	at(week(2, 2, 9), post("s-quiet", "m01", "completed", -1, -1))
	// s-fail: every week, a little of one unit; never 80%.
	for w := 1; w <= 12; w++ {
		at(week(w, 4, 15), post("s-fail", fmt.Sprintf("m%02d", (w-1)%6+1), "progressed", 40, -1))
	}
	// A new remote post in week 4: the nightly rematch tells the counsellor.
	at(week(4, 0, 12), func() {
		s.MustCreate(t, engine.KindPost, remotePost("p-new", "远程数据录入 Remote data entry", "office-software", 1))
	})
	// Cron: every slot of both jobs between begin and end.
	history := map[string][]string{}
	changedAt := map[string]map[string]time.Time{}
	snapshot := func() {
		for _, v := range s.svc.Enrollments(nil) {
			h := history[v.SeekerID]
			if len(h) == 0 || h[len(h)-1] != v.Status {
				history[v.SeekerID] = append(h, v.Status)
				if changedAt[v.SeekerID] == nil {
					changedAt[v.SeekerID] = map[string]time.Time{}
				}
				changedAt[v.SeekerID][v.Status] = s.clock.Now()
			}
		}
	}
	slots := map[string]int{}
	for i := range sched.jobs {
		e := &sched.jobs[i]
		for slot := e.schedule.Next(begin); !slot.After(end); slot = e.schedule.Next(slot) {
			slots[e.Name]++
			at(slot, func() {
				sched.fire(e, engine.TriggerSchedule)
				snapshot()
			})
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })

	start := time.Now()
	snapshot()
	sched.CatchUp(ctx) // the first start: each job runs once
	for _, ev := range events {
		s.clock.Set(ev.at)
		ev.what()
	}
	t.Logf("simulated %s in %s (%d events)", end.Sub(begin), time.Since(start).Round(time.Millisecond), len(events))

	want := map[string][]string{
		"s-pass":  {"enrolled", "active", "completed", "passed"},
		"s-quiet": {"enrolled", "active", "inactive", "failed"},
		"s-fail":  {"enrolled", "active", "failed"},
	}
	for id, w := range want {
		if !slices.Equal(history[id], w) {
			t.Errorf("%s (%s) went %v, want %v", id, names[id], history[id], w)
		}
	}
	// Each status came in the first hourly run after its cause.
	checkAt := func(seeker, status string, cause time.Time) {
		got := changedAt[seeker][status]
		if got.Before(cause) || got.Sub(cause) > time.Hour {
			t.Errorf("%s became %s at %s, want within the hour after %s", seeker, status, got, cause)
		}
	}
	checkAt("s-pass", "active", week(1, 1, 10))
	checkAt("s-pass", "completed", week(6, 3, 20))
	checkAt("s-pass", "passed", week(9, 2, 19))
	checkAt("s-quiet", "inactive", week(2, 2, 9).Add(engine.InactiveAfter))
	checkAt("s-fail", "failed", day("2026-11-30", 0))
	checkAt("s-quiet", "failed", day("2026-11-30", 0))

	// Every hourly slot ran exactly once, and every nightly one (plus the catch-up).
	for name, n := range slots {
		runs, err := s.store.JobRuns(ctx, name, 5000)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[time.Time]bool{}
		for _, r := range runs {
			if r.Result != engine.RunOK || seen[*r.Slot] {
				t.Fatalf("%s run %+v", name, r)
			}
			seen[*r.Slot] = true
		}
		if len(runs) != n+1 {
			t.Errorf("%s ran %d times for %d slots and one catch-up", name, len(runs), n)
		}
	}

	// Passing added the taught skill, and p-cad became a match.
	var sk engine.Seeker
	if err := s.store.Get(ctx, engine.KindSeeker, "s-pass", &sk); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sk.Skills, engine.SkillLevel{Code: "cad-drafting", Level: 2}) {
		t.Errorf("skills after passing: %v", sk.Skills)
	}
	ms, err := s.matcher.Matches("s-pass", engine.KindPost, 20)
	if err != nil || !slices.Contains(engine.MatchIDs(ms.Results), "p-cad") {
		t.Errorf("matches after passing: %v %v", engine.MatchIDs(ms.Results), err)
	}

	// The counsellor's inbox: passed with the new match, inactive, two
	// failed, and new-matches for all three once p-new opened.
	kinds := map[string][]string{}
	for _, it := range s.svc.Inbox("u-c1") {
		kinds[it.Kind] = append(kinds[it.Kind], it.SeekerID)
		switch it.Kind {
		case engine.InboxPassed:
			if it.SeekerID != "s-pass" || len(it.Matches) != 1 || it.Matches[0].ID != "p-cad" || !strings.Contains(it.Text.En, "1 new match") {
				t.Errorf("passed item %+v", it)
			}
		case engine.InboxNewMatches:
			if len(it.Matches) != 1 || it.Matches[0].ID != "p-new" {
				t.Errorf("new-matches item %+v", it)
			}
		}
	}
	sort.Strings(kinds[engine.InboxNewMatches])
	sort.Strings(kinds[engine.InboxFailed])
	if !slices.Equal(kinds[engine.InboxPassed], []string{"s-pass"}) || !slices.Equal(kinds[engine.InboxInactive], []string{"s-quiet"}) ||
		!slices.Equal(kinds[engine.InboxFailed], []string{"s-fail", "s-quiet"}) || !slices.Equal(kinds[engine.InboxNewMatches], []string{"s-fail", "s-pass", "s-quiet"}) {
		t.Errorf("inbox %v", kinds)
	}
	if len(s.svc.Inbox("u-other")) != 0 {
		t.Error("another counsellor sees the items")
	}

	// Running the job again changes nothing.
	if _, err := sched.RunNow(ctx, "training-outcomes", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.svc.Inbox("")); n != 7 {
		t.Errorf("%d inbox items after a rerun, want 7", n)
	}
}
