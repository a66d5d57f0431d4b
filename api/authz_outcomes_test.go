package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"jobbridge/engine"
)

var (
	outcomeWorldOnce sync.Once
	outcomeWorld     struct{ placementX, placementH string }
)

// authzUsers are the logins the matrices walk ("" is anonymous).
var authzUsers = []string{"", "admin", "couns-x", "couns-h", "couns-all", "emp1", "emp2", "trainee-x", "prov1"}

// mustOutcomeWorld makes the referrals and placements the authorization
// matrix reads: r-az-x (a Xujiahui seeker to e-1's post, hired → placementX),
// r-az-h (a Huajing seeker to e-2's post, hired → placementH), one referred
// referral r-az-m-{user} per user to move, and one seeker s-azr-{user} per user to refer.
func mustOutcomeWorld(t *testing.T) {
	t.Helper()
	outcomeWorldOnce.Do(func() {
		ctx := context.Background()
		svc := shared.svc
		admin, _ := svc.User("u-admin")
		yes := func(*engine.Seeker, *engine.Post) error { return nil }
		postX := mustOutcomePost(t, 50, nil)
		postH := mustOutcomePost(t, 5, func(p *engine.Post) { p.EmployerID = "e-2" })
		hire := func(id, seeker, post string) string {
			if _, err := svc.Refer(ctx, &engine.Referral{Meta: engine.Meta{ID: id}, SeekerID: seeker, PostID: post}, "", admin, yes); err != nil {
				t.Fatal(err)
			}
			for _, to := range []string{"interviewing", "hired"} {
				if _, _, err := svc.MoveReferral(ctx, id, engine.Move{Status: to}, admin, func(*engine.Referral) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
			r, _ := svc.Referral(id)
			return r.PlacementID
		}
		outcomeWorld.placementX = hire("r-az-x", mustOutcomeSeeker(t, "xujiahui", nil), postX)
		outcomeWorld.placementH = hire("r-az-h", mustOutcomeSeeker(t, "huajing", nil), postH)
		for i, u := range authzUsers {
			name := userSlug(u)
			if _, err := svc.Refer(ctx, &engine.Referral{Meta: engine.Meta{ID: "r-az-m-" + name}, SeekerID: mustOutcomeSeeker(t, "xujiahui", nil), PostID: postX}, "", admin, yes); err != nil {
				t.Fatal(err)
			}
			sk := testSeeker("s-azr-"+name, "xujiahui", 0)
			sk.ResidentID = residentID("19770707", i)
			sk.Certificate = sk.ResidentID + "42"
			if err := svc.Create(ctx, engine.KindSeeker, sk); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Create(ctx, engine.KindPost, testPost("p-azr", "e-1", "授权测试岗位")); err != nil {
			t.Fatal(err)
		}
	})
}

// userSlug makes a user name usable in an id.
func userSlug(u string) string {
	if u == "" {
		return "anon"
	}
	return u
}

// TestAuthorizationOutcomes walks the referral, placement, follow-up, report
// and quota routes with every role, on own and other records (DESIGN §5).
// In paths and bodies, {u} stands for the user.
func TestAuthorizationOutcomes(t *testing.T) {
	mustOutcomeWorld(t)
	e := shared
	px, ph := outcomeWorld.placementX, outcomeWorld.placementH
	type row struct {
		method, path, body string
		want               map[string]int
		def                int
	}
	counsellors := func(admin, x, h, all int) map[string]int {
		return map[string]int{"": 401, "admin": admin, "couns-x": x, "couns-h": h, "couns-all": all}
	}
	with := func(m map[string]int, more map[string]int) map[string]int {
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	rows := []row{
		{"GET", "/api/v1/referrals", "", with(counsellors(200, 200, 200, 200), map[string]int{"emp1": 200, "emp2": 200}), 403},
		{"POST", "/api/v1/referrals", `{"seekerId":"s-azr-{u}","postId":"p-azr"}`, counsellors(201, 201, 404, 201), 403},
		{"GET", "/api/v1/referrals/r-az-x", "", with(counsellors(200, 200, 404, 200), map[string]int{"emp1": 200, "emp2": 404}), 403},
		{"GET", "/api/v1/referrals/r-az-h", "", with(counsellors(200, 404, 200, 200), map[string]int{"emp1": 404, "emp2": 200}), 403},
		{"GET", "/api/v1/referrals/r-none", "", with(counsellors(404, 404, 404, 404), map[string]int{"emp1": 404, "emp2": 404}), 403},
		{"PATCH", "/api/v1/referrals/r-az-m-{u}", `{"status":"interviewing"}`, with(counsellors(200, 200, 404, 200), map[string]int{"emp1": 200, "emp2": 404}), 403},
		{"GET", "/api/v1/placements", "", counsellors(200, 200, 200, 200), 403},
		{"GET", "/api/v1/placements/" + px, "", counsellors(200, 200, 404, 200), 403},
		{"GET", "/api/v1/placements/" + ph, "", counsellors(200, 404, 200, 200), 403},
		// Allowed callers reach the follow-up and are told it is not due yet.
		{"PATCH", "/api/v1/placements/" + px + "/followups/30d", `{"employed":true}`, counsellors(409, 409, 404, 409), 403},
		{"PATCH", "/api/v1/placements/" + ph + "/followups/30d", `{"employed":true}`, counsellors(409, 404, 409, 409), 403},
		{"GET", "/api/v1/followups?state=due,overdue", "", counsellors(200, 200, 200, 200), 403},
		{"GET", "/api/v1/reports/kpis", "", counsellors(200, 200, 200, 200), 403},
		{"GET", "/api/v1/reports/kpis?format=csv", "", counsellors(200, 200, 200, 200), 403},
		{"GET", "/api/v1/employers/e-1/quota", "", with(counsellors(200, 200, 200, 200), map[string]int{"emp1": 200, "emp2": 404}), 403},
		{"GET", "/api/v1/employers/e-2/quota", "", with(counsellors(200, 200, 200, 200), map[string]int{"emp1": 404, "emp2": 200}), 403},
	}
	for _, r := range rows {
		for _, u := range authzUsers {
			want, found := r.want[u]
			if !found {
				want = r.def
			}
			path := strings.ReplaceAll(r.path, "{u}", userSlug(u))
			t.Run(fmt.Sprintf("%s %s as %q", r.method, path, u), func(t *testing.T) {
				var body any
				if r.body != "" {
					body = strings.ReplaceAll(r.body, "{u}", userSlug(u))
				}
				res, out := e.do(t, u, r.method, path, body)
				if res.StatusCode != want {
					t.Errorf("got %d, want %d: %s", res.StatusCode, want, out)
				}
			})
		}
	}
}

// TestEmployerMovesStatusOnly: an employer moves its own referrals, but
// neither withdraws them (the seeker's decision) nor changes what they name.
func TestEmployerMovesStatusOnly(t *testing.T) {
	e := shared
	r := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), mustOutcomePost(t, 2, nil))
	if res, body := e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"withdrawn"}`); res.StatusCode != 403 {
		t.Fatalf("an employer's withdrawal: %d %s", res.StatusCode, body)
	}
	if res, body := e.do(t, "emp1", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"interviewing","postId":"p-2"}`); res.StatusCode != 400 {
		t.Fatalf("an employer moving the referral to another post: %d %s", res.StatusCode, body)
	}
	if res, body := e.do(t, "emp2", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"rejected"}`); res.StatusCode != 404 {
		t.Fatalf("another employer: %d %s", res.StatusCode, body)
	}
	if res, body := e.do(t, "couns-x", "PATCH", "/api/v1/referrals/"+r.ID, `{"status":"withdrawn","note":"本人放弃"}`); res.StatusCode != 200 {
		t.Fatalf("the counsellor's withdrawal: %d %s", res.StatusCode, body)
	}
}
