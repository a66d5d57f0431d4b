package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/fixtures"
	"jobbridge/jobs"
)

// getAll reads every page of a list as user into results.
func getAll[T any](t *testing.T, e *env, user, path string) []T {
	t.Helper()
	var all []T
	cursor := ""
	for {
		q := path
		sep := "?"
		if strings.Contains(q, "?") {
			sep = "&"
		}
		q += sep + "limit=200"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		res, body := e.do(t, user, "GET", q, nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s as %s: %d %s", q, user, res.StatusCode, body)
		}
		var out struct {
			Results    []T
			NextCursor string
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		all = append(all, out.Results...)
		if cursor = out.NextCursor; cursor == "" {
			return all
		}
	}
}

// TestDemoHistory loads the demo data as a first start does and checks,
// through the API and the pages, that the history gives every page something
// to show, and that the scheduled jobs' first runs find nothing to change.
func TestDemoHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo data")
	}
	t.Parallel()
	ctx := context.Background()
	start := time.Now()
	demo, err := startEnv(t.TempDir(), loadDemo)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.close()
	demo.password = fixtures.DemoPassword
	t.Logf("demo loaded in %s", time.Since(start).Round(time.Millisecond))
	today := time.Now().In(engine.Shanghai)
	const couns = "demo-counsellor"

	t.Run("referrals in every status", func(t *testing.T) {
		refs := getAll[engine.Referral](t, demo, couns, "/api/v1/referrals")
		got := map[string]int{}
		for _, r := range refs {
			if r.Street != "xujiahui" {
				t.Errorf("demo-counsellor sees referral %s of %s", r.ID, r.Street)
			}
			got[r.Status]++
		}
		for _, st := range engine.ReferralStatuses {
			if got[st] == 0 {
				t.Errorf("no %s referral of the counsellor's street: %v", st, got)
			}
		}
		emp := getAll[engine.Referral](t, demo, "demo-employer", "/api/v1/referrals")
		open := slices.IndexFunc(emp, func(r engine.Referral) bool { return r.Status == engine.ReferralReferred })
		if open < 0 {
			t.Errorf("the demo employer has no referral to move: %d referrals", len(emp))
		}
	})

	t.Run("follow-ups in every status", func(t *testing.T) {
		pls := getAll[engine.Placement](t, demo, couns, "/api/v1/placements")
		placements, follow := map[string]int{}, map[string]int{}
		for _, p := range pls {
			placements[p.Status]++
			for _, f := range p.FollowUps {
				follow[f.Status]++
			}
		}
		for _, st := range engine.PlacementStatuses {
			if placements[st] == 0 {
				t.Errorf("no %s placement in the counsellor's street: %v", st, placements)
			}
		}
		for _, st := range engine.FollowUpStatuses {
			if follow[st] == 0 {
				t.Errorf("no %s follow-up in the counsellor's street: %v", st, follow)
			}
		}
		work := getAll[engine.FollowUpView](t, demo, couns, "/api/v1/followups?state=due,overdue,missed")
		states := map[string]int{}
		for _, v := range work {
			states[v.Status]++
		}
		if states["due"] == 0 || states["overdue"] == 0 || states["missed"] == 0 {
			t.Errorf("the worklist has %v; want due, overdue and missed follow-ups", states)
		}
	})

	t.Run("KPIs of the last twelve months", func(t *testing.T) {
		from := today.AddDate(-1, 0, 1).Format(time.DateOnly)
		res, body := demo.do(t, couns, "GET", "/api/v1/reports/kpis?from="+from+"&to="+today.Format(time.DateOnly), nil)
		if res.StatusCode != 200 {
			t.Fatalf("kpis: %d %s", res.StatusCode, body)
		}
		var rep engine.KPIReport
		json.Unmarshal(body, &rep)
		for _, in := range rep.District.Indicators {
			if !in.Available || in.Numerator == 0 || in.Value == nil || *in.Value == 0 {
				t.Errorf("%s of the last 12 months: %d/%d %v", in.Key, in.Numerator, in.Denominator, in.Counts)
			}
		}
		streets := 0
		for _, g := range rep.Streets {
			if g.Placements > 0 {
				streets++
			}
		}
		if streets < 10 {
			t.Errorf("only %d streets have placements in the last 12 months", streets)
		}
	})

	t.Run("the trainee's course under way", func(t *testing.T) {
		var mine struct{ Results []engine.EnrollmentView }
		_, body := demo.do(t, "demo-trainee", "GET", "/api/v1/me/enrollments", nil)
		json.Unmarshal(body, &mine)
		i := slices.IndexFunc(mine.Results, func(v engine.EnrollmentView) bool { return v.ClassID == fixtures.DemoRemoteClass })
		if i < 0 {
			t.Fatalf("demo-trainee's enrollments %s: none in %s", body, fixtures.DemoRemoteClass)
		}
		v := mine.Results[i]
		done := 0
		for _, m := range v.Modules {
			if m.Completed {
				done++
			}
		}
		if v.Status != engine.EnrollmentActive || v.Progress.Progress <= 0 || v.Progress.Progress >= 80 || done == 0 || v.Statements == 0 || v.Next == nil {
			t.Errorf("the trainee's course: %s %.1f%%, %d modules done, %d statements, next %v", v.Status, v.Progress.Progress, done, v.Statements, v.Next)
		}
		page := newBrowserOn(t, demo, "zh-CN").login("demo-trainee")
		_, html := page.get("/seekers/" + fixtures.DemoTraineeSeeker + "/courses")
		if got := courseProgress(t, html, v.ClassTitle); got != fmt.Sprint(v.Progress.Progress) {
			t.Errorf("the courses page shows %s, the API %.1f", got, v.Progress.Progress)
		}
		res, body := demo.do(t, couns, "GET", "/api/v1/xapi/statements?enrollment="+v.ID, nil)
		if res.StatusCode != 200 || !strings.Contains(string(body), engine.ModuleActivity(v.ClassID, "m01")) {
			t.Errorf("the course's statements: %d %.300s", res.StatusCode, body)
		}
		// The LRS answers them at /xapi/: to the trainee (mapped to her) and to
		// the provider whose course player sent them (their authority).
		for _, who := range []string{"demo-trainee", "demo-provider"} {
			res, body := demo.doWith(t, who, "GET", "/xapi/statements?activity="+url.QueryEscape(engine.ModuleActivity(v.ClassID, "m01")), "",
				map[string]string{"X-Experience-API-Version": "1.0.3"})
			var got struct{ Statements []map[string]any }
			json.Unmarshal(body, &got)
			if res.StatusCode != 200 || len(got.Statements) == 0 {
				t.Errorf("%s reads the course's statements at /xapi/: %d %.300s", who, res.StatusCode, body)
			}
			for _, st := range got.Statements {
				if stored, err := time.Parse(time.RFC3339, fmt.Sprint(st["stored"])); err != nil || !stored.Before(start.Add(-time.Hour)) {
					t.Errorf("%s: an imported statement stored %v, not when it was made (%v)", who, st["stored"], err)
				}
			}
		}
	})

	t.Run("the counsellor's inbox", func(t *testing.T) {
		items := getAll[engine.InboxItem](t, demo, couns, "/api/v1/inbox")
		kinds := map[string]int{}
		for _, it := range items {
			kinds[it.Kind]++
		}
		if kinds[engine.InboxFollowUpDue] == 0 || kinds[engine.InboxFollowUpOverdue] == 0 || len(kinds) < 3 {
			t.Errorf("demo-counsellor's inbox: %v", kinds)
		}
	})

	t.Run("seats agree with enrollments", func(t *testing.T) {
		taken := map[string]int{}
		for _, v := range demo.svc.Enrollments(nil) {
			if v.Status != engine.EnrollmentWithdrawn {
				taken[v.ClassID]++
			}
		}
		err := demo.store.Each(ctx, engine.KindClass, 0, func(r engine.Record) error {
			if c := r.(*engine.Class); c.SeatsTaken != taken[c.ID] {
				t.Errorf("class %s: %d seats taken, %d enrollments not withdrawn", c.ID, c.SeatsTaken, taken[c.ID])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	// Last: the jobs' first runs, as on a first start, leave the history as it is.
	t.Run("the jobs find nothing to change", func(t *testing.T) {
		before := map[string]string{}
		for _, v := range demo.svc.Enrollments(nil) {
			before[v.ID] = v.Status
		}
		outcomes := &jobs.TrainingOutcomes{Service: demo.svc, Matcher: demo.matcher, Clock: engine.SystemClock{}}
		if err := outcomes.Run(ctx); err != nil {
			t.Fatal(err)
		}
		for _, v := range demo.svc.Enrollments(nil) {
			if before[v.ID] != v.Status {
				t.Errorf("training-outcomes moved %s from %s to %s", v.ID, before[v.ID], v.Status)
			}
		}
		fu, err := demo.svc.AdvanceFollowUps(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if fu.Changed != 0 || fu.Repaired != 0 || fu.Inbox != 0 {
			t.Errorf("placement-followups changed %d placements, repaired %d, filed %d items: %v", fu.Changed, fu.Repaired, fu.Inbox, fu.Statuses)
		}
	})
}

// The valid history of the test world (seed): s-x in class c-1 with one
// statement, s-x referred to p-1, s-h hired into p-2 with a placement
// closed successfully at 90 days, and the note of its 180-day follow-up.
var historyLines = []string{
	`{"kind":"enrollment","id":"en-h1","seekerId":"s-x","classId":"c-1","enrolledAt":"2026-09-01T09:00:00+08:00","status":"active","statusAt":"2026-09-02T10:00:00+08:00","enrolledBy":"u-cx"}`,
	`{"kind":"statement","id":"1f0c3a52-7d7e-4b7e-9d3e-2a6f3c9e8b11","actor":{"objectType":"Agent","account":{"homePage":"https://lms.example.com","name":"s-x"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/progressed","display":{"en-US":"progressed"}},"object":{"objectType":"Activity","id":"urn:jobbridge:class:c-1:module:m1"},"result":{"extensions":{"https://w3id.org/xapi/cmi5/result/extensions/progress":40}},"timestamp":"2026-09-02T09:30:00+08:00"}`,
	`{"kind":"referral","id":"r-h1","seekerId":"s-x","postId":"p-1","status":"referred","history":[{"to":"referred","by":"u-cx","role":"counsellor","at":"2026-10-01T10:00:00+08:00","note":"本人有意向"}]}`,
	`{"kind":"referral","id":"r-h2","seekerId":"s-h","postId":"p-2","status":"hired","placementId":"pl-h1","history":[` +
		`{"to":"referred","by":"u-cx","role":"counsellor","at":"2026-05-01T10:00:00+08:00"},` +
		`{"from":"referred","to":"interviewing","by":"u-e2","role":"employer","at":"2026-05-10T10:00:00+08:00"},` +
		`{"from":"interviewing","to":"hired","by":"u-e2","role":"employer","at":"2026-05-25T10:00:00+08:00"}]}`,
	`{"kind":"placement","id":"pl-h1","referralId":"r-h2","start":"2026-06-01","status":"closed-successful","closedOn":"2026-09-02","followUps":[` +
		`{"kind":"30d","due":"2026-07-01","status":"done","outcome":{"employed":true,"sameEmployer":true,"monthlyWage":5200},"doneAt":"2026-07-02T10:00:00+08:00","doneBy":"u-cx"},` +
		`{"kind":"90d","due":"2026-08-30","status":"done","outcome":{"employed":true,"sameEmployer":true,"monthlyWage":5300},"doneAt":"2026-09-01T10:00:00+08:00","doneBy":"u-cx"},` +
		`{"kind":"180d","due":"2026-11-28","status":"due"},{"kind":"365d","due":"2027-06-01","status":"scheduled"}]}`,
	`{"kind":"inbox","item":{"id":"fu-pl-h1-180d-due","counsellorId":"u-cx","seekerId":"s-h","kind":"followup-due","text":{"zh":"180天回访已到期","en":"180-day follow-up due"},"at":"2026-11-28T06:00:00+08:00"}}`,
}

// importLines imports NDJSON lines as the file name.
func importLines(ctx context.Context, e *env, name string, lines ...string) error {
	im := api.NewImporter(e.svc, e.lrs)
	if err := im.File(ctx, name, strings.NewReader(strings.Join(lines, "\n")+"\n")); err != nil {
		return err
	}
	return im.Done()
}

// historyState is what the history put, read back: the enrollment's
// progress, c-1's seats, the referrals, the placement and the inbox.
func historyState(t *testing.T, e *env) string {
	t.Helper()
	ctx := context.Background()
	v, err := e.svc.Enrollment(ctx, "en-h1")
	if err != nil {
		t.Fatal(err)
	}
	var c engine.Class
	e.store.Get(ctx, engine.KindClass, "c-1", &c)
	r1, _ := e.svc.Referral("r-h1")
	r2, _ := e.svc.Referral("r-h2")
	pl, _ := e.svc.Placement("pl-h1")
	var items []string
	for _, it := range e.svc.Inbox("u-cx") {
		items = append(items, it.ID)
	}
	return fmt.Sprintf("enrollment %s %.0f%% %d statements; c-1 %d seats taken; r-h1 %s; r-h2 %s → %s; pl-h1 %s %s/%s %s %d %s; inbox %v",
		v.Status, v.Progress.Progress, v.Statements, c.SeatsTaken, r1.Status, r2.Status, r2.PlacementID,
		pl.Status, pl.PostTitle, pl.EmployerName, pl.SeekerID, pl.MonthlyWage, pl.FollowUps[2].Status, items)
}

// TestImportHistory imports each history kind into the test world: valid
// lines through the same paths as the API (the class's seats, the roster's
// progress, the referrals and placements in memory), each kind of invalid
// line refused with its file, line and field and nothing of it written, and
// a second import of the same lines changing nothing.
func TestImportHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := startEnv(t.TempDir(), seed)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	nc := testSeeker("s-nc", "xujiahui", 9)
	nc.Consent = engine.Consent{}
	if err := e.svc.Create(ctx, engine.KindSeeker, nc); err != nil {
		t.Fatal(err)
	}
	if err := importLines(ctx, e, "history.ndjson", historyLines...); err != nil {
		t.Fatal(err)
	}
	want := "enrollment active 40% 1 statements; c-1 1 seats taken; r-h1 referred; r-h2 hired → pl-h1; " +
		"pl-h1 closed-successful 西式面点师 Pastry cook/华泾测试乙公司 s-h 5200 due; inbox [fu-pl-h1-180d-due]"
	if got := historyState(t, e); got != want {
		t.Fatalf("after the import:\n got %s\nwant %s", got, want)
	}
	// Through the API, as a counsellor sees them.
	if res, body := e.do(t, "couns-x", "GET", "/api/v1/enrollments/en-h1", nil); res.StatusCode != 200 || !strings.Contains(string(body), `"progress":40`) {
		t.Errorf("GET the imported enrollment: %d %s", res.StatusCode, body)
	}
	if res, body := e.do(t, "couns-h", "GET", "/api/v1/followups?state=due", nil); res.StatusCode != 200 || !strings.Contains(string(body), "pl-h1") {
		t.Errorf("the imported placement's due follow-up: %d %s", res.StatusCode, body)
	}

	t.Run("again changes nothing", func(t *testing.T) {
		if err := importLines(ctx, e, "history.ndjson", historyLines...); err != nil {
			t.Fatal(err)
		}
		if got := historyState(t, e); got != want {
			t.Errorf("after importing again:\n got %s\nwant %s", got, want)
		}
	})

	line := func(i int, edits ...func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(historyLines[i]), &m)
		for _, edit := range edits {
			edit(m)
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	set := func(kv ...any) func(map[string]any) {
		return func(m map[string]any) {
			for i := 0; i < len(kv); i += 2 {
				if kv[i+1] == nil {
					delete(m, kv[i].(string))
				} else {
					m[kv[i].(string)] = kv[i+1]
				}
			}
		}
	}
	at := func(f func(map[string]any)) func(map[string]any) { // edits an inbox line's item
		return func(m map[string]any) { f(m["item"].(map[string]any)) }
	}
	follow := func(k int, kv ...any) func(map[string]any) { // edits a placement's k-th follow-up
		return func(m map[string]any) { set(kv...)(m["followUps"].([]any)[k].(map[string]any)) }
	}
	move := func(k int, kv ...any) func(map[string]any) { // edits a referral's k-th move
		return func(m map[string]any) { set(kv...)(m["history"].([]any)[k].(map[string]any)) }
	}
	const en, st, ref, hired, plc, inbox = 0, 1, 2, 3, 4, 5
	bad := []struct {
		name, line, field string
	}{
		{"enrollment: unknown seeker", line(en, set("id", "en-bad", "seekerId", "s-nope")), "seekerId"},
		{"enrollment: unknown class", line(en, set("id", "en-bad", "classId", "c-nope")), "classId"},
		{"enrollment: bad status", line(en, set("id", "en-bad", "status", "studying")), "status"},
		{"enrollment: bad time", line(en, set("id", "en-bad", "enrolledAt", "2026-09-01")), "enrolledAt"},
		{"enrollment: in the future", line(en, set("id", "en-bad", "enrolledAt", "2099-01-01T00:00:00Z", "statusAt", "2099-01-01T00:00:00Z")), "enrolledAt"},
		{"enrollment: status before enrolment", line(en, set("id", "en-bad", "statusAt", "2026-08-01T09:00:00+08:00")), "statusAt"},
		{"enrollment: an outcome without one", line(en, set("id", "en-bad", "outcomeAt", "2026-09-03T09:00:00+08:00")), "outcomeAt"},
		{"enrollment: passed without outcomeAt", line(en, set("id", "en-bad", "status", "passed")), "outcomeAt"},
		{"enrollment: a log", line(en, set("id", "en-bad", "log", []any{map[string]any{"statement": "x", "module": "m1", "verb": "completed", "at": "2026-09-02T09:30:00+08:00"}})), "log"},
		{"enrollment: twice in a class", line(en, set("id", "en-bad")), "classId"},
		{"enrollment: no id", line(en, set("id", nil)), "id"},
		{"enrollment: unknown user", line(en, set("id", "en-bad", "enrolledBy", "u-nope")), "enrolledBy"},
		{"statement: no id", strings.Replace(historyLines[st], `"id":"1f0c3a52-7d7e-4b7e-9d3e-2a6f3c9e8b11",`, "", 1), "id"},
		{"statement: a verb that is no IRI", strings.Replace(historyLines[st], "http://adlnet.gov/expapi/verbs/progressed", "progressed", 1), "verb.id"},
		{"statement: bad timestamp", strings.Replace(historyLines[st], "2026-09-02T09:30:00+08:00", "soon", 1), "timestamp"},
		{"statement: in the future", strings.Replace(historyLines[st], "2026-09-02T09:30:00+08:00", "2099-09-02T09:30:00+08:00", 1), "timestamp"},
		{"statement: an unknown property", strings.Replace(historyLines[st], `"timestamp"`, `"Timestamp"`, 1), "Timestamp"},
		{"referral: no consent", line(ref, set("id", "r-bad", "seekerId", "s-nc")), "seekerId"},
		{"referral: unknown post", line(ref, set("id", "r-bad", "postId", "p-nope")), "postId"},
		{"referral: bad status", line(ref, set("id", "r-bad", "status", "parked")), "status"},
		{"referral: another employer", line(ref, set("id", "r-bad", "postId", "p-2", "employerId", "e-1")), "employerId"},
		{"referral: a second open one", line(ref, set("id", "r-bad")), "postId"},
		{"referral: starts interviewing", line(ref, set("id", "r-bad", "postId", "p-2", "status", "interviewing"), move(0, "to", "interviewing")), "history[0].to"},
		{"referral: referred to hired", line(hired, set("id", "r-bad", "seekerId", "s-x", "placementId", "pl-bad"), func(m map[string]any) {
			m["history"] = []any{m["history"].([]any)[0], m["history"].([]any)[2]}
			m["history"].([]any)[1].(map[string]any)["from"] = "referred"
		}), "history[1].to"},
		{"referral: status not the last move's", line(ref, set("id", "r-bad", "postId", "p-2", "status", "interviewing")), "status"},
		{"referral: hired without placement", line(hired, set("id", "r-bad", "seekerId", "s-x", "placementId", nil)), "placementId"},
		{"referral: moves out of order", line(hired, set("id", "r-bad", "seekerId", "s-x", "placementId", "pl-bad"), move(1, "at", "2026-04-01T10:00:00+08:00")), "history[1].at"},
		{"referral: bad time", line(hired, set("id", "r-bad", "seekerId", "s-x", "placementId", "pl-bad"), move(2, "at", "soon")), "history[2].at"},
		{"referral: unknown user", line(ref, set("id", "r-bad", "postId", "p-2"), move(0, "by", "u-nope")), "history[0].by"},
		{"placement: unknown referral", line(plc, set("id", "pl-bad", "referralId", "r-nope")), "referralId"},
		{"placement: referral not hired into it", line(plc, set("id", "pl-bad", "referralId", "r-h1")), "referralId"},
		{"placement: another seeker", line(plc, set("seekerId", "s-x")), "seekerId"},
		{"placement: bad start", line(plc, set("start", "June")), "start"},
		{"placement: due not the start's", line(plc, follow(0, "due", "2026-07-05")), "followUps[0].due"},
		{"placement: done without outcome", line(plc, follow(0, "outcome", nil)), "followUps[0].outcome"},
		{"placement: wage without a job", line(plc, follow(0, "outcome", map[string]any{"employed": false, "monthlyWage": 5000})), "followUps[0].outcome.monthlyWage"},
		{"placement: missed before its time", line(plc, follow(3, "status", "missed")), "followUps[3].status"},
		{"placement: an outcome not done", line(plc, follow(2, "outcome", map[string]any{"employed": true})), "followUps[2].status"},
		{"placement: recorded too early", line(plc, follow(1, "doneAt", "2026-06-10T10:00:00+08:00")), "followUps[1].doneAt"},
		{"placement: bad doneAt", line(plc, follow(1, "doneAt", "yesterday")), "followUps[1].doneAt"},
		{"placement: a kind twice", line(plc, follow(3, "kind", "180d")), "followUps[3].kind"},
		{"placement: closed without its 90 days", line(plc, follow(1, "status", "overdue", "outcome", nil, "doneAt", nil, "doneBy", nil)), "status"},
		{"placement: closed with no date", line(plc, set("closedOn", nil)), "closedOn"},
		{"placement: bad status", line(plc, set("status", "paused")), "status"},
		{"inbox: unknown seeker", line(inbox, at(set("id", "in-bad", "seekerId", "s-nope"))), "seekerId"},
		{"inbox: unknown user", line(inbox, at(set("id", "in-bad", "counsellorId", "u-nope"))), "counsellorId"},
		{"inbox: bad kind", line(inbox, at(set("id", "in-bad", "kind", "gossip"))), "kind"},
		{"inbox: no text", line(inbox, at(set("id", "in-bad", "text", map[string]any{"en": "x"}))), "text.zh"},
		{"inbox: bad time", line(inbox, at(set("id", "in-bad", "at", "noon"))), "item.at"},
		{"inbox: no item", `{"kind":"inbox","id":"in-bad"}`, "id"},
	}
	// A bad line is the second of its file, after a new valid line of its
	// kind (a placement: the valid one again), which must not be written either.
	good := map[string]string{
		"enrollment": line(en, set("id", "en-ok", "seekerId", "s-h")),
		"statement":  strings.Replace(historyLines[st], "1f0c3a52-7d7e-4b7e-9d3e-2a6f3c9e8b11", "1f0c3a52-7d7e-4b7e-9d3e-2a6f3c9e8b12", 1),
		"referral":   line(ref, set("id", "r-ok", "seekerId", "s-h")),
		"placement":  historyLines[plc],
		"inbox":      line(inbox, at(set("id", "in-ok"))),
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			kind := c.line[9 : strings.Index(c.line[9:], `"`)+9]
			err := importLines(ctx, e, "bad.ndjson", good[kind], c.line)
			if err == nil {
				t.Fatalf("accepted %s", c.line)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "bad.ndjson:2: ") || !strings.Contains(msg, c.field+": ") {
				t.Errorf("error %q; want bad.ndjson:2 and the field %s", msg, c.field)
			}
			if got := historyState(t, e); got != want {
				t.Errorf("a refused line changed the history:\n got %s\nwant %s", got, want)
			}
		})
	}
	for _, id := range []string{"en-bad", "en-ok", "r-bad", "r-ok", "pl-bad"} {
		for _, k := range []engine.Kind{engine.KindEnrollment, engine.KindReferral, engine.KindPlacement} {
			if err := e.store.Get(ctx, k, id, engine.NewRecord(k)); engine.ErrorCode(err) != engine.ENOTFOUND {
				t.Errorf("%s %s was written: %v", k, id, err)
			}
		}
	}
	if got, err := e.store.GetStatements(ctx, []string{"1f0c3a52-7d7e-4b7e-9d3e-2a6f3c9e8b12"}); len(got) != 0 || err != nil {
		t.Errorf("the valid statement before a bad one was written: %v %v", got, err)
	}

	t.Run("a hire without its placement", func(t *testing.T) {
		err := importLines(ctx, e, "hire.ndjson", line(hired, set("id", "r-lone", "seekerId", "s-x", "placementId", "pl-lone")))
		if err == nil || !strings.Contains(err.Error(), "r-lone (placement pl-lone)") {
			t.Errorf("a hire without its placement line: %v", err)
		}
	})
}
