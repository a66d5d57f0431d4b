package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/lrsindex"
	"jobbridge/engine/search"
)

// mustStackOn starts a service on an existing database, as a second process would.
func mustStackOn(tb testing.TB, uri string, clock *simClock) *stack {
	tb.Helper()
	return openStack(tb, uri, clock, filepath.Join(tb.TempDir(), "index"), false)
}

// openStack starts a stack on the database at uri with its index in dir,
// shared (engine.Service.Shared) or not, and loads it.
func openStack(tb testing.TB, uri string, clock *simClock, dir string, shared bool) *stack {
	tb.Helper()
	st := MustStore(tb, uri, clock)
	ix, err := search.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	m := engine.NewMatcher(clock)
	svc := engine.NewService(st, ix, clock, m)
	svc.Shared = shared
	if _, err := svc.Load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	lix, err := lrsindex.Open(filepath.Join(filepath.Dir(dir), "lrs.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { lix.Close() })
	l := engine.NewLRS(svc, st, lix)
	if _, err := l.Load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &stack{store: st, svc: svc, matcher: m, clock: clock, index: ix, lrs: l, lrsIx: lix}
}

// standardJob picks one job of Standard by name, as the scheduler registers it.
func standardJob(tb testing.TB, s *stack, name string) Job {
	tb.Helper()
	for _, j := range Standard(s.svc, s.matcher, s.clock) {
		if j.Name == name {
			return j
		}
	}
	tb.Fatalf("no job %s in Standard", name)
	return Job{}
}

// TestYearOfPlacements simulates fifteen months day by day on an injected
// clock: a hire every week, counsellors recording some follow-ups and not
// others, and two scheduler instances (two owners of the lease) both firing
// placement-followups at every 06:00 slot. Each follow-up falls due on its
// due date, goes overdue 7 days and missed 60 days later unless recorded,
// the counsellor is told once of each, the 90-day rule closes placements,
// and every slot runs once.
func TestYearOfPlacements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := func(d string, hour int) time.Time {
		v, err := time.ParseInLocation(time.DateOnly, d, engine.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v.Add(time.Duration(hour) * time.Hour)
	}
	begin, end := at("2026-01-01", 0), at("2027-04-01", 0)
	clock := &simClock{t: begin}
	uri := newDatabase()
	a := mustStackOn(t, uri, clock)
	a.seedTraining(t)
	post := remotePost("p-many", "远程客服 Remote service", "office-software", 2)
	post.Openings = 1000
	a.MustCreate(t, engine.KindPost, post)
	job := standardJob(t, a, "placement-followups")
	if job.Spec != "0 6 * * *" {
		t.Fatalf("spec %q", job.Spec)
	}
	scheds := []*Scheduler{mustScheduler(t, a.store, clock, "instance-1", job), mustScheduler(t, a.store, clock, "instance-2", job)}
	counsellor := &engine.User{Meta: engine.Meta{ID: "u-c1"}, Role: engine.RoleCounsellor, Street: "xujiahui"}
	allow := func(*engine.Placement) error { return nil }

	var events []event
	on := func(t time.Time, f func()) { events = append(events, event{t, f}) }
	// A hire every Monday of 2026; placement i records its 30-day follow-up
	// the day after it falls due when i is even; its 90-day one: employed (i%3 == 0),
	// out of work (i%3 == 1) or never (i%3 == 2).
	type hire struct {
		seeker, placement string
		i                 int
	}
	var hires []*hire
	for i, d := 0, at("2026-01-05", 10); d.Year() == 2026; i, d = i+1, d.AddDate(0, 0, 7) {
		h := &hire{seeker: fmt.Sprintf("s-%03d", i), i: i}
		hires = append(hires, h)
		on(d, func() {
			a.MustCreate(t, engine.KindSeeker, remoteSeeker(h.seeker, 100+h.i, "u-c1"))
			r, err := a.svc.Refer(ctx, &engine.Referral{SeekerID: h.seeker, PostID: "p-many"}, "", counsellor, func(*engine.Seeker, *engine.Post) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			for _, to := range []string{engine.ReferralInterviewing, engine.ReferralHired} {
				if _, _, err := a.svc.MoveReferral(ctx, r.ID, engine.Move{Status: to}, counsellor, func(*engine.Referral) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
			r, _ = a.svc.Referral(r.ID)
			h.placement = r.PlacementID
		})
		record := func(kind string, o engine.FollowUpOutcome) {
			due := d.AddDate(0, 0, engine.FollowUpDays[kind])
			on(time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, engine.Shanghai).AddDate(0, 0, 1).Add(15*time.Hour), func() {
				if _, err := a.svc.RecordFollowUp(ctx, h.placement, kind, o, counsellor, allow); err != nil {
					t.Fatalf("record %s of %s: %v", kind, h.placement, err)
				}
			})
		}
		if i%2 == 0 {
			record(engine.FollowUp30, engine.FollowUpOutcome{Employed: true, SameEmployer: true, MonthlyWage: 5000})
		}
		switch i % 3 {
		case 0:
			record(engine.FollowUp90, engine.FollowUpOutcome{Employed: true, SameEmployer: true, MonthlyWage: 5200})
		case 1:
			record(engine.FollowUp90, engine.FollowUpOutcome{Employed: false})
		}
	}
	// Each day both crons fire, in turn first.
	slots := 0
	firstSeen := map[string]string{} // placement/kind/status → date, and placement/status
	snapshot := func() {
		today := clock.Now().In(engine.Shanghai).Format(time.DateOnly)
		for _, p := range a.svc.Placements(nil) {
			note := func(key string) {
				if _, ok := firstSeen[key]; !ok {
					firstSeen[key] = today
				}
			}
			note(p.ID + "/" + p.Status)
			for _, f := range p.FollowUps {
				note(p.ID + "/" + f.Kind + "/" + f.Status)
			}
		}
	}
	for d := at("2026-01-01", 6); d.Before(end); d = d.AddDate(0, 0, 1) {
		slots++
		first := slots % 2
		on(d, func() {
			scheds[first].fire(&scheds[first].jobs[0], engine.TriggerSchedule)
			scheds[1-first].fire(&scheds[1-first].jobs[0], engine.TriggerSchedule)
			snapshot()
		})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	start := time.Now()
	for _, ev := range events {
		clock.Set(ev.at)
		ev.what()
	}
	t.Logf("simulated %d days, %d placements, in %s", slots, len(hires), time.Since(start).Round(time.Millisecond))

	dayAfter := func(date string, days int) string {
		v, _ := time.Parse(time.DateOnly, date)
		return v.AddDate(0, 0, days).Format(time.DateOnly)
	}
	last := "2027-03-31" // the last day the job ran
	wantInbox := map[string]bool{}
	for _, h := range hires {
		p, ok := a.svc.Placement(h.placement)
		if !ok || len(p.FollowUps) != 4 {
			t.Fatalf("placement of %s: %+v", h.seeker, p)
		}
		for k, f := range p.FollowUps {
			if f.Kind != engine.FollowUpKinds[k] || f.Due != dayAfter(p.Start, engine.FollowUpDays[f.Kind]) {
				t.Fatalf("%s follow-up %d: %+v", p.ID, k, f)
			}
			recorded := f.Kind == engine.FollowUp30 && h.i%2 == 0 || f.Kind == engine.FollowUp90 && h.i%3 != 2
			seen := func(status string) string { return firstSeen[p.ID+"/"+f.Kind+"/"+status] }
			if f.Due >= last {
				if f.Status != engine.FollowUpScheduled || seen(engine.FollowUpDue) != "" {
					t.Errorf("%s %s due %s after the simulation: %+v", p.ID, f.Kind, f.Due, f)
				}
				continue
			}
			if got := seen(engine.FollowUpDue); got != f.Due {
				t.Errorf("%s %s fell due on %q, want %s", p.ID, f.Kind, got, f.Due)
			}
			wantInbox["fu-"+p.ID+"-"+f.Kind+"-due"] = true
			if recorded {
				// Recorded at 15:00 the day after it fell due: done at the next morning's look.
				if f.Status != engine.FollowUpDone || seen(engine.FollowUpOverdue) != "" || seen(engine.FollowUpDone) != dayAfter(f.Due, 2) {
					t.Errorf("%s %s recorded the day after: %+v, overdue seen %q", p.ID, f.Kind, f, seen(engine.FollowUpOverdue))
				}
				continue
			}
			for status, days := range map[string]int{engine.FollowUpOverdue: engine.OverdueAfter, engine.FollowUpMissed: engine.MissedAfter} {
				on := dayAfter(f.Due, days)
				if on > last {
					continue
				}
				if status == engine.FollowUpOverdue {
					wantInbox["fu-"+p.ID+"-"+f.Kind+"-overdue"] = true
				}
				if got := seen(status); got != on {
					t.Errorf("%s %s became %s on %q, want %s", p.ID, f.Kind, status, got, on)
				}
			}
		}
		due90 := p.FollowUp(engine.FollowUp90).Due
		var status, on string
		switch h.i % 3 {
		case 0:
			status, on = engine.PlacementSuccessful, dayAfter(due90, 2) // recorded at 15:00, closed at the next 06:00
		case 1:
			status, on = engine.PlacementEnded, dayAfter(due90, 2)
		default:
			status, on = engine.PlacementEnded, dayAfter(due90, engine.MissedAfter)
		}
		if on > last {
			status, on = engine.PlacementActive, firstSeen[p.ID+"/"+engine.PlacementActive]
		}
		if p.Status != status || firstSeen[p.ID+"/"+status] != on || (status != engine.PlacementActive && p.ClosedOn != on) {
			t.Errorf("%s (i=%d) is %s since %q (closed on %q), want %s since %s", p.ID, h.i, p.Status, firstSeen[p.ID+"/"+p.Status], p.ClosedOn, status, on)
		}
	}

	// The counsellor was told once of each follow-up that fell due or overdue, and of nothing else.
	got := map[string]bool{}
	for _, it := range a.svc.Inbox("u-c1") {
		if got[it.ID] {
			t.Errorf("inbox item %s twice", it.ID)
		}
		got[it.ID] = true
		if !wantInbox[it.ID] {
			t.Errorf("unexpected inbox item %s (%s)", it.ID, it.Text.En)
		}
		if it.SeekerName == "" || it.CounsellorID != "u-c1" {
			t.Errorf("inbox item %+v", it)
		}
	}
	for id := range wantInbox {
		if !got[id] {
			t.Errorf("no inbox item %s", id)
		}
	}

	// Every daily slot ran exactly once, by one of the two instances.
	runs, err := a.store.JobRuns(ctx, "placement-followups", 5000)
	if err != nil {
		t.Fatal(err)
	}
	seenSlot := map[time.Time]bool{}
	owners := map[string]int{}
	for _, r := range runs {
		if r.Result != engine.RunOK || r.Slot == nil || seenSlot[*r.Slot] {
			t.Fatalf("run %+v", r)
		}
		seenSlot[*r.Slot] = true
		owners[r.Owner]++
	}
	if len(runs) != slots {
		t.Errorf("%d runs for %d slots", len(runs), slots)
	}
	if owners["instance-1"] == 0 || owners["instance-2"] == 0 {
		t.Errorf("runs by instance: %v", owners)
	}
}

// TestFollowUpsRunTwice runs the job twice at one time, and once with an
// earlier time: the second run changes nothing and the earlier one moves no
// follow-up back.
func TestFollowUpsRunTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, engine.Shanghai)
	s := MustStack(t, start)
	s.seedTraining(t)
	s.MustCreate(t, engine.KindSeeker, remoteSeeker("s-1", 1, "u-c1"))
	c := &engine.User{Meta: engine.Meta{ID: "u-c1"}, Role: engine.RoleCounsellor}
	r, err := s.svc.Refer(ctx, &engine.Referral{SeekerID: "s-1", PostID: "p-office"}, "", c, func(*engine.Seeker, *engine.Post) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"interviewing", "hired"} {
		if _, _, err = s.svc.MoveReferral(ctx, r.ID, engine.Move{Status: to}, c, func(*engine.Referral) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	j := &PlacementFollowUps{Service: s.svc, Clock: s.clock}
	s.clock.Set(start.AddDate(0, 0, 40))
	if err := j.Run(ctx); err != nil {
		t.Fatal(err)
	}
	r, _ = s.svc.Referral(r.ID)
	p, _ := s.svc.Placement(r.PlacementID)
	if p.FollowUps[0].Status != engine.FollowUpOverdue {
		t.Fatalf("after 40 days: %+v", p.FollowUps[0])
	}
	items := len(s.svc.Inbox("u-c1"))
	for _, when := range []time.Time{start.AddDate(0, 0, 40), start.AddDate(0, 0, 10)} {
		run, err := s.svc.AdvanceFollowUps(ctx, when)
		if err != nil || run.Changed != 0 || run.Inbox != 0 {
			t.Fatalf("run at %s: %+v %v", when, run, err)
		}
	}
	if again, _ := s.svc.Placement(p.ID); again.Rev != p.Rev || len(s.svc.Inbox("u-c1")) != items {
		t.Fatalf("a repeated run wrote: rev %d → %d, inbox %d → %d", p.Rev, again.Rev, items, len(s.svc.Inbox("u-c1")))
	}
}

// TestFollowUpsStaleProcess: a second process whose in-memory state is
// older than a counsellor's record runs the job; it reads each placement it
// changes again, so the record stands and the placement closes on it.
func TestFollowUpsStaleProcess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, engine.Shanghai)
	clock := &simClock{t: start}
	uri := newDatabase()
	a := mustStackOn(t, uri, clock)
	a.seedTraining(t)
	a.MustCreate(t, engine.KindSeeker, remoteSeeker("s-1", 1, "u-c1"))
	b := mustStackOn(t, uri, clock)
	c := &engine.User{Meta: engine.Meta{ID: "u-c1"}, Role: engine.RoleCounsellor}
	r, err := a.svc.Refer(ctx, &engine.Referral{SeekerID: "s-1", PostID: "p-office"}, "", c, func(*engine.Seeker, *engine.Post) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"interviewing", "hired"} {
		if _, _, err = a.svc.MoveReferral(ctx, r.ID, engine.Move{Status: to}, c, func(*engine.Referral) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.svc.Poll(ctx); err != nil { // b learns of the placement, then goes stale
		t.Fatal(err)
	}
	r, _ = a.svc.Referral(r.ID)
	clock.Set(start.AddDate(0, 0, 89))
	employed := engine.FollowUpOutcome{Employed: true, SameEmployer: true, MonthlyWage: 5100}
	for _, kind := range []string{engine.FollowUp30, engine.FollowUp90} {
		if _, err := a.svc.RecordFollowUp(ctx, r.PlacementID, kind, employed, c, func(*engine.Placement) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	run, err := b.svc.AdvanceFollowUps(ctx, start.AddDate(0, 0, 100))
	if err != nil || len(run.Failed) > 0 || run.Changed != 1 {
		t.Fatalf("stale run: %+v %v", run, err)
	}
	var p engine.Placement
	if err := a.store.Get(ctx, engine.KindPlacement, r.PlacementID, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != engine.PlacementSuccessful || p.FollowUp(engine.FollowUp30).Status != engine.FollowUpDone ||
		p.FollowUp(engine.FollowUp90).Outcome == nil || p.FollowUp(engine.FollowUp90).Outcome.MonthlyWage != 5100 {
		t.Fatalf("after the stale process's run: %+v", p)
	}
	for _, it := range b.svc.Inbox("u-c1") {
		t.Errorf("an inbox item about follow-ups already recorded: %s", it.ID)
	}
}
