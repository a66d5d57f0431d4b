package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
)

// outcomeIDs numbers the seekers and posts the outcome tests make, so each test has its own.
var outcomeIDs atomic.Int64

// mustOutcomeSeeker stores a new consenting seeker of street and returns its id.
func mustOutcomeSeeker(t *testing.T, street string, change func(*engine.Seeker)) string {
	t.Helper()
	n := int(outcomeIDs.Add(1))
	sk := testSeeker(fmt.Sprintf("s-oc-%03d", n), street, 0)
	sk.ResidentID = residentID("19880808", n)
	sk.Certificate = sk.ResidentID + "42"
	if change != nil {
		change(sk)
	}
	if err := shared.svc.Create(context.Background(), engine.KindSeeker, sk); err != nil {
		t.Fatal(err)
	}
	return sk.ID
}

// mustOutcomePost stores a new open post of employer e-1 with openings and returns its id.
func mustOutcomePost(t *testing.T, openings int, change func(*engine.Post)) string {
	t.Helper()
	p := testPost(fmt.Sprintf("p-oc-%03d", outcomeIDs.Add(1)), "e-1", "结果测试岗位 Outcome test post")
	p.Openings = openings
	if change != nil {
		change(p)
	}
	if err := shared.svc.Create(context.Background(), engine.KindPost, p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

type referralOut struct {
	ID          string
	SeekerID    string
	Status      string
	PlacementID string
	History     []engine.ReferralMove
}

// mustRefer refers a seeker to a post as couns-x and moves the referral along path as emp1.
func mustRefer(t *testing.T, seeker, post string, path ...string) referralOut {
	t.Helper()
	res, body := shared.do(t, "couns-x", "POST", "/api/v1/referrals", map[string]string{"seekerId": seeker, "postId": post, "note": "面试安排在周二"})
	if res.StatusCode != 201 {
		t.Fatalf("refer %s to %s: %d %s", seeker, post, res.StatusCode, body)
	}
	var r referralOut
	json.Unmarshal(body, &r)
	for _, to := range path {
		who := "emp1"
		if to == engine.ReferralWithdrawn {
			who = "couns-x"
		}
		res, body := shared.do(t, who, "PATCH", "/api/v1/referrals/"+r.ID, map[string]string{"status": to})
		if res.StatusCode != 200 {
			t.Fatalf("move %s to %s: %d %s", r.ID, to, res.StatusCode, body)
		}
	}
	r.Status = append([]string{engine.ReferralReferred}, path...)[len(path)]
	return r
}

func TestReferralFlow(t *testing.T) {
	e := shared
	seeker := mustOutcomeSeeker(t, "xujiahui", nil)
	post := mustOutcomePost(t, 2, nil)

	res, body := e.do(t, "couns-x", "POST", "/api/v1/referrals", map[string]string{"seekerId": seeker, "postId": post})
	if res.StatusCode != 201 {
		t.Fatalf("refer: %d %s", res.StatusCode, body)
	}
	var r referralOut
	json.Unmarshal(body, &r)
	if r.Status != "referred" || len(r.History) != 1 || r.History[0].By != "u-cx" || r.History[0].Role != "counsellor" {
		t.Fatalf("new referral %s", body)
	}

	t.Run("a second open referral to the same post is refused", func(t *testing.T) {
		res, body := e.do(t, "couns-x", "POST", "/api/v1/referrals", map[string]string{"seekerId": seeker, "postId": post})
		if res.StatusCode != 409 || !strings.Contains(string(body), r.ID) {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})

	t.Run("the employer sees it without the seeker", func(t *testing.T) {
		res, body := e.do(t, "emp1", "GET", "/api/v1/referrals/"+r.ID, nil)
		if res.StatusCode != 200 || strings.Contains(string(body), seeker) || strings.Contains(string(body), "xujiahui") {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})

	res, body = e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, map[string]string{"status": "interviewing", "note": "周二 10:00"})
	if res.StatusCode != 200 {
		t.Fatalf("interviewing: %d %s", res.StatusCode, body)
	}
	res, body = e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, map[string]any{"status": "hired", "monthlyWage": 5600})
	if res.StatusCode != 200 {
		t.Fatalf("hired: %d %s", res.StatusCode, body)
	}
	var hired struct {
		Referral  referralOut
		Placement *engine.Placement
	}
	json.Unmarshal(body, &hired)
	if hired.Placement != nil || hired.Referral.PlacementID == "" || hired.Referral.Status != "hired" {
		t.Fatalf("the employer's answer to a hire: %s", body)
	}
	h := hired.Referral.History // an employer sees roles, not user ids
	if len(h) != 3 || h[1].From != "referred" || h[1].To != "interviewing" || h[1].Note != "周二 10:00" || h[2].By != "" || h[2].Role != "employer" || h[2].At.IsZero() {
		t.Fatalf("history %+v", h)
	}

	t.Run("the placement and its follow-ups", func(t *testing.T) {
		res, body := e.do(t, "couns-x", "GET", "/api/v1/placements/"+hired.Referral.PlacementID, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		var p engine.Placement
		json.Unmarshal(body, &p)
		today := time.Now().In(engine.Shanghai).Format(time.DateOnly)
		if p.SeekerID != seeker || p.PostID != post || p.EmployerID != "e-1" || p.Status != "active" || p.Start != today ||
			p.MonthlyWage != 5600 || p.WeeklyHours != 40 || p.Street != "xujiahui" || p.EmployerName == "" {
			t.Fatalf("placement %s", body)
		}
		if len(p.FollowUps) != 4 || p.FollowUps[1].Kind != "90d" || p.FollowUps[1].Status != "scheduled" {
			t.Fatalf("follow-ups %+v", p.FollowUps)
		}
		var pst engine.Post
		if err := e.store.Get(context.Background(), engine.KindPost, post, &pst); err != nil || pst.Openings != 1 || pst.Status != "open" {
			t.Fatalf("post after the hire: %d openings, %s (%v)", pst.Openings, pst.Status, err)
		}
		var sk engine.Seeker
		if err := e.store.Get(context.Background(), engine.KindSeeker, seeker, &sk); err != nil || sk.Status != "placed" {
			t.Fatalf("seeker after the hire: %s (%v)", sk.Status, err)
		}
	})

	t.Run("lists by role", func(t *testing.T) {
		for user, want := range map[string]bool{"couns-x": true, "couns-all": true, "couns-h": false, "admin": true} {
			_, body := e.do(t, user, "GET", "/api/v1/placements?seekerId="+seeker, nil)
			if got := strings.Contains(string(body), hired.Referral.PlacementID); got != want {
				t.Errorf("%s sees the placement: %v, want %v", user, got, want)
			}
			_, body = e.do(t, user, "GET", "/api/v1/referrals?status=hired&limit=200", nil)
			if got := strings.Contains(string(body), r.ID); got != want {
				t.Errorf("%s sees the referral: %v, want %v", user, got, want)
			}
		}
		_, body := e.do(t, "emp2", "GET", "/api/v1/referrals?limit=200", nil)
		if strings.Contains(string(body), r.ID) {
			t.Errorf("another employer sees the referral: %s", body)
		}
		_, body = e.do(t, "emp1", "GET", "/api/v1/referrals?limit=200&postId="+post, nil)
		if !strings.Contains(string(body), r.ID) || strings.Contains(string(body), seeker) {
			t.Errorf("the employer's list: %s", body)
		}
	})
}

func TestReferralRefusals(t *testing.T) {
	e := shared
	tests := []struct {
		name   string
		seeker func(*engine.Seeker)
		post   func(*engine.Post)
		status int
		words  []string
	}{
		{"no consent", func(s *engine.Seeker) { s.Consent = engine.Consent{} }, nil, 400, []string{"consent"}},
		{"a closed post", nil, func(p *engine.Post) { p.Status = "closed" }, 409, []string{"closed", "hard constraint 1"}},
		{"a post past its closing date", nil, func(p *engine.Post) { p.ClosesOn = "2020-01-01" }, 409, []string{"2020-01-01"}},
		{"no opening left", nil, func(p *engine.Post) { p.Openings = 0 }, 409, []string{"no opening"}},
		{"a night shift the seeker does not take", nil, func(p *engine.Post) { p.Hours.NightShift = true }, 400, []string{"hard constraint 6"}},
		{"a required skill missing", func(s *engine.Seeker) { s.Skills = []engine.SkillLevel{} }, nil, 400, []string{"hard constraint 7", "data-entry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seeker := mustOutcomeSeeker(t, "xujiahui", tt.seeker)
			post := mustOutcomePost(t, 1, tt.post)
			res, body := e.do(t, "couns-x", "POST", "/api/v1/referrals", map[string]string{"seekerId": seeker, "postId": post})
			if res.StatusCode != tt.status {
				t.Fatalf("%d %s, want %d", res.StatusCode, body, tt.status)
			}
			for _, w := range tt.words {
				if !strings.Contains(string(body), w) {
					t.Errorf("%s does not say %q", body, w)
				}
			}
			if n := len(e.svc.Referrals(func(r *engine.Referral) bool { return r.SeekerID == seeker })); n != 0 {
				t.Errorf("%d referrals stored", n)
			}
		})
	}
	t.Run("a seeker of another street", func(t *testing.T) {
		seeker := mustOutcomeSeeker(t, "huajing", nil)
		res, body := e.do(t, "couns-x", "POST", "/api/v1/referrals", map[string]string{"seekerId": seeker, "postId": mustOutcomePost(t, 1, nil)})
		if res.StatusCode != 404 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for _, b := range []string{`{"seekerId":"s-x"}`, `{"seekerId":"s-x","postId":"p-1","extra":1}`, `{"seekerId":{"$ne":""},"postId":"p-1"}`} {
			if res, body := e.do(t, "couns-x", "POST", "/api/v1/referrals", b); res.StatusCode != 400 {
				t.Errorf("%s: %d %s", b, res.StatusCode, body)
			}
		}
	})
}

// TestIllegalReferralMoves tries every move the state machine does not
// allow, from every status, and expects 409 naming the allowed moves.
func TestIllegalReferralMoves(t *testing.T) {
	e := shared
	paths := map[string][]string{
		"referred":     nil,
		"interviewing": {"interviewing"},
		"hired":        {"interviewing", "hired"},
		"rejected":     {"interviewing", "rejected"},
		"withdrawn":    {"withdrawn"},
	}
	for from, path := range paths {
		r := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), mustOutcomePost(t, 3, nil), path...)
		allowed := engine.ReferralMoves(from)
		for _, to := range engine.ReferralStatuses {
			if slices.Contains(allowed, to) {
				continue
			}
			t.Run(from+" → "+to, func(t *testing.T) {
				res, body := e.do(t, "couns-x", "PATCH", "/api/v1/referrals/"+r.ID, map[string]string{"status": to})
				if res.StatusCode != 409 {
					t.Fatalf("%d %s", res.StatusCode, body)
				}
				for _, a := range allowed {
					if !strings.Contains(string(body), a) {
						t.Errorf("%s does not name the allowed move %s", body, a)
					}
				}
				if len(allowed) == 0 && !strings.Contains(string(body), "final") {
					t.Errorf("%s does not say %s is final", body, from)
				}
			})
		}
	}
	t.Run("unknown status", func(t *testing.T) {
		r := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), mustOutcomePost(t, 1, nil))
		if res, body := e.do(t, "couns-x", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"placed"}`); res.StatusCode != 400 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		if res, body := e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"interviewing","seekerId":"s-h"}`); res.StatusCode != 400 {
			t.Fatalf("an employer changing more than the status: %d %s", res.StatusCode, body)
		}
		if res, body := e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"interviewing","monthlyWage":4000}`); res.StatusCode != 400 {
			t.Fatalf("hire terms without a hire: %d %s", res.StatusCode, body)
		}
	})
}

// TestLastOpeningRace hires two people at once for a post's last opening:
// one hire succeeds, the other is refused, and the post closes.
func TestLastOpeningRace(t *testing.T) {
	e := shared
	for round := range 5 {
		post := mustOutcomePost(t, 1, nil)
		a := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), post, "interviewing")
		b := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), post, "interviewing")
		e.token(t, "emp1")
		e.token(t, "couns-x")
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, r := range []referralOut{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := []string{"emp1", "couns-x"}[i]
				res, body := e.do(t, who, "PATCH", "/api/v1/referrals/"+r.ID, map[string]string{"status": "hired"})
				codes[i] = res.StatusCode
				if res.StatusCode == 409 && !strings.Contains(string(body), "opening") {
					t.Errorf("the refused hire does not say why: %s", body)
				}
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, codes)
		}
		var p engine.Post
		if err := e.store.Get(context.Background(), engine.KindPost, post, &p); err != nil || p.Openings != 0 || p.Status != "closed" {
			t.Fatalf("post after the race: %+v %v", p, err)
		}
		if n := len(e.svc.Placements(func(pl *engine.Placement) bool { return pl.PostID == post })); n != 1 {
			t.Fatalf("%d placements for the post", n)
		}
	}
}

func TestFollowUpsAndWorklist(t *testing.T) {
	e := shared
	ctx := context.Background()
	r := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), mustOutcomePost(t, 1, nil), "interviewing", "hired")
	var ref engine.Referral
	if err := e.store.Get(ctx, engine.KindReferral, r.ID, &ref); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/placements/" + ref.PlacementID + "/followups/"

	res, body := e.do(t, "couns-x", "PATCH", path+"30d", `{"employed":true,"sameEmployer":true,"monthlyWage":5200}`)
	if res.StatusCode != 409 || !strings.Contains(string(body), "can be recorded from") {
		t.Fatalf("recording a month early: %d %s", res.StatusCode, body)
	}
	// The job runs 31 days on: the 30-day follow-up falls due.
	run, err := e.svc.AdvanceFollowUps(ctx, time.Now().Add(31*24*time.Hour))
	if err != nil || len(run.Failed) > 0 {
		t.Fatalf("advance: %+v %v", run, err)
	}
	res, body = e.do(t, "couns-x", "GET", "/api/v1/followups?state=due&limit=200", nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), ref.PlacementID) {
		t.Fatalf("worklist: %d %s", res.StatusCode, body)
	}
	var wl struct{ Results []engine.FollowUpView }
	json.Unmarshal(body, &wl)
	for i := 1; i < len(wl.Results); i++ {
		if wl.Results[i-1].Due > wl.Results[i].Due {
			t.Fatalf("worklist not the most overdue first: %s after %s", wl.Results[i].Due, wl.Results[i-1].Due)
		}
	}
	if _, body := e.do(t, "couns-h", "GET", "/api/v1/followups?state=due&limit=200", nil); strings.Contains(string(body), ref.PlacementID) {
		t.Fatalf("another street's counsellor sees the follow-up: %s", body)
	}
	if res, _ := e.do(t, "couns-x", "GET", "/api/v1/followups?street=huajing", nil); res.StatusCode != 403 {
		t.Fatalf("another street's worklist: %d", res.StatusCode)
	}
	items := e.svc.Inbox("u-cx")
	found := false
	for _, it := range items {
		found = found || it.ID == "fu-"+ref.PlacementID+"-30d-due" && it.Kind == engine.InboxFollowUpDue
	}
	if !found {
		t.Fatalf("no inbox item for the due follow-up")
	}

	for _, b := range []string{`{"sameEmployer":true}`, `{"employed":false,"sameEmployer":true}`, `{"employed":true,"monthlyWage":"a lot"}`} {
		if res, body := e.do(t, "couns-x", "PATCH", path+"30d", b); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", b, res.StatusCode, body)
		}
	}
	if res, _ := e.do(t, "couns-x", "PATCH", path+"45d", `{"employed":true}`); res.StatusCode != 400 {
		t.Errorf("an unknown kind: %d", res.StatusCode)
	}
	res, body = e.do(t, "couns-x", "PATCH", path+"30d", `{"employed":true,"sameEmployer":true,"monthlyWage":5200,"note":"适应良好"}`)
	if res.StatusCode != 200 {
		t.Fatalf("record: %d %s", res.StatusCode, body)
	}
	var p engine.Placement
	json.Unmarshal(body, &p)
	f := p.FollowUp("30d")
	if f.Status != "done" || f.Outcome == nil || f.Outcome.MonthlyWage != 5200 || f.DoneBy != "u-cx" || f.DoneAt == nil {
		t.Fatalf("recorded follow-up %+v", f)
	}
	if _, body := e.do(t, "couns-x", "GET", "/api/v1/followups?state=due&limit=200", nil); strings.Contains(string(body), ref.PlacementID) {
		t.Fatalf("a done follow-up is still on the worklist")
	}
}

func TestKPIRoute(t *testing.T) {
	e := shared
	res, body := e.do(t, "couns-x", "GET", "/api/v1/reports/kpis?from=2019-01-01&to=2019-12-31", nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var rep engine.KPIReport
	json.Unmarshal(body, &rep)
	if len(rep.Streets) != 13 || len(rep.District.Indicators) != 7 {
		t.Fatalf("report shape %s", body)
	}
	for _, in := range rep.District.Indicators {
		if in.Available || in.Value != nil {
			t.Errorf("an empty period shows %s", in.Key)
		}
	}
	res, body = e.do(t, "couns-x", "GET", "/api/v1/reports/kpis?format=csv&street=xujiahui", nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 1+7 || rows[0][4] != "indicator" || rows[1][2] != "xujiahui" {
		t.Fatalf("csv rows %v %v", rows, err)
	}
	for _, q := range []string{"from=2026-13-01", "street=pudong", "format=xml", "from=2026-06-01&to=2026-01-01"} {
		if res, body := e.do(t, "couns-x", "GET", "/api/v1/reports/kpis?"+q, nil); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", q, res.StatusCode, body)
		}
	}
}

func TestQuotaRoute(t *testing.T) {
	e := shared
	res, body := e.do(t, "emp1", "GET", "/api/v1/employers/e-1/quota?year=2026", nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var q engine.Quota
	json.Unmarshal(body, &q)
	// e-1: 200 staff (or as the authorization test left it), no disabled staff, 9000 a month.
	var emp engine.Employer
	if err := e.store.Get(context.Background(), engine.KindEmployer, "e-1", &emp); err != nil {
		t.Fatal(err)
	}
	want := engine.ComputeQuota(&emp, &engine.DefaultQuotaPolicies[6])
	if q.Year != 2026 || q.Required != want.Required || q.LevyAfterReduction != want.LevyAfterReduction || len(q.Why) == 0 || len(q.Policy.Sources) == 0 {
		t.Fatalf("quota %s, want %+v", body, want)
	}
	for _, tt := range []struct {
		user, path string
		status     int
	}{
		{"emp1", "/api/v1/employers/e-1/quota?year=2031", 404},
		{"emp1", "/api/v1/employers/e-1/quota?year=twenty", 400},
		{"emp1", "/api/v1/employers/e-1/quota", 200},
		{"emp1", "/api/v1/employers/e-none/quota", 404},
	} {
		if res, body := e.do(t, tt.user, "GET", tt.path, nil); res.StatusCode != tt.status {
			t.Errorf("%s %s: %d %s", tt.user, tt.path, res.StatusCode, body)
		}
	}
}
