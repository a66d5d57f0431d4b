package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestAuthorizationMatrix walks every route with every role, on own and other
// records, and checks the status the policy of DESIGN §5 gives.
func TestAuthorizationMatrix(t *testing.T) {
	e := shared
	users := []string{"", "admin", "couns-x", "couns-h", "couns-all", "emp1", "emp2", "trainee-x", "prov1"}
	type row struct {
		method, path string
		body         any
		want         map[string]int // by user; missing users expect the default
		def          int
	}
	seekerPatch := `{"preferences":{"minMonthlyWage":3000,"maxWeeklyHours":40,"nightShiftOK":false}}`
	rows := []row{
		{"GET", "/api/v1/me", nil, map[string]int{"": 401}, 200},
		{"GET", "/api/v1/skills", nil, map[string]int{"": 401}, 200},
		{"POST", "/api/v1/skills", `{"code":"skill-%s","zh":"测试","en":"Test","group":"t"}`, map[string]int{"": 401, "admin": 201}, 403},
		{"PATCH", "/api/v1/skills/data-entry", `{"en":"Data entry"}`, map[string]int{"": 401, "admin": 200}, 403},
		{"GET", "/api/v1/users", nil, map[string]int{"": 401, "admin": 200}, 403},
		{"POST", "/api/v1/users", `{"username":"new-%s","role":"counsellor","street":"tianlin","password":"long-enough-pw"}`, map[string]int{"": 401, "admin": 201}, 403},
		{"PATCH", "/api/v1/users/u-p1", `{"displayName":"Provider One"}`, map[string]int{"": 401, "admin": 200}, 403},
		{"DELETE", "/api/v1/users/u-nobody", nil, map[string]int{"": 401, "admin": 404}, 403},

		{"GET", "/api/v1/seekers", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200}, 403},
		{"GET", "/api/v1/seekers/s-x", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 404, "couns-all": 200, "trainee-x": 200}, 403},
		{"GET", "/api/v1/seekers/s-h", nil, map[string]int{"": 401, "admin": 200, "couns-x": 404, "couns-h": 200, "couns-all": 200, "trainee-x": 404}, 403},
		{"PATCH", "/api/v1/seekers/s-x", seekerPatch, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 404, "couns-all": 200}, 403},
		{"PATCH", "/api/v1/seekers/s-h", seekerPatch, map[string]int{"": 401, "admin": 200, "couns-x": 404, "couns-h": 200, "couns-all": 200}, 403},
		{"DELETE", "/api/v1/seekers/s-none", nil, map[string]int{"": 401, "admin": 404, "couns-x": 404, "couns-h": 404, "couns-all": 404}, 403},

		{"GET", "/api/v1/employers", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 200}, 403},
		{"POST", "/api/v1/employers", nil, map[string]int{"": 401, "admin": 201}, 403},
		{"GET", "/api/v1/employers/e-1", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 404}, 403},
		{"PATCH", "/api/v1/employers/e-1", `{"staff":200}`, map[string]int{"": 401, "admin": 200, "emp1": 200, "emp2": 404}, 403},
		{"PATCH", "/api/v1/employers/e-2", `{"staff":50}`, map[string]int{"": 401, "admin": 200, "emp1": 404, "emp2": 200}, 403},

		{"GET", "/api/v1/posts", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 200}, 403},
		{"POST", "/api/v1/posts", nil, map[string]int{"": 401, "admin": 201, "emp1": 201, "emp2": 400}, 403},
		{"GET", "/api/v1/posts/p-1", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 404}, 403},
		{"PATCH", "/api/v1/posts/p-1", `{"openings":2}`, map[string]int{"": 401, "admin": 200, "emp1": 200, "emp2": 404}, 403},
		{"PATCH", "/api/v1/posts/p-2", `{"openings":2}`, map[string]int{"": 401, "admin": 200, "emp1": 404, "emp2": 200}, 403},

		{"GET", "/api/v1/classes", nil, map[string]int{"": 401, "emp1": 403, "emp2": 403}, 200},
		{"POST", "/api/v1/classes", nil, map[string]int{"": 401, "admin": 201}, 403},
		{"GET", "/api/v1/classes/c-1", nil, map[string]int{"": 401, "emp1": 403, "emp2": 403}, 200},
		{"GET", "/api/v1/classes/c-2", nil, map[string]int{"": 401, "emp1": 403, "emp2": 403, "prov1": 404}, 200},
		{"PATCH", "/api/v1/classes/c-1", `{"seats":10}`, map[string]int{"": 401, "admin": 200}, 403},

		{"GET", "/api/v1/search?type=posts&q=数据", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 200}, 403},
		{"GET", "/api/v1/search?type=seekers", nil, map[string]int{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200}, 403},
		{"GET", "/api/v1/search?type=seekers&street=huajing", nil, map[string]int{"": 401, "admin": 200, "couns-x": 403, "couns-h": 200, "couns-all": 200}, 403},
		{"GET", "/api/v1/admin/audit", nil, map[string]int{"": 401, "admin": 200}, 403},
	}
	for i, r := range rows {
		for _, u := range users {
			want, found := r.want[u]
			if !found {
				want = r.def
			}
			name := fmt.Sprintf("%s %s as %q", r.method, r.path, u)
			t.Run(name, func(t *testing.T) {
				body := r.body
				if s, isStr := body.(string); isStr && strings.Contains(s, "%s") {
					body = fmt.Sprintf(s, fmt.Sprintf("%d-%s", i, u))
				}
				if body == nil && r.method == "POST" {
					body = newRecordBody(r.path, fmt.Sprintf("m%d-%s", i, u), u)
				}
				res, out := e.do(t, u, r.method, r.path, body)
				if res.StatusCode != want {
					t.Errorf("got %d, want %d: %s", res.StatusCode, want, out)
				}
			})
		}
	}
}

// newRecordBody makes a valid new record for a POST route, unique per call.
func newRecordBody(path, suffix, user string) any {
	n := 0
	for _, c := range suffix {
		n = n*31 + int(c)
	}
	n = n%90000 + 100
	switch path {
	case "/api/v1/employers":
		return map[string]any{"name": "新公司" + suffix, "creditCode": creditCode(n), "street": "tianlin", "staff": 40, "avgMonthlyWage": 8000}
	case "/api/v1/posts":
		p := testPost("", "e-1", "新岗位 "+suffix)
		if user == "emp2" {
			p.EmployerID = "e-1" // another employer's id: refused
		}
		if user == "emp1" {
			p.EmployerID = ""
		}
		return p
	case "/api/v1/classes":
		return map[string]any{"title": "新班 " + suffix, "provider": "中心", "mode": "remote", "seats": 5,
			"starts": "2026-12-01", "ends": "2027-02-01", "completion": map[string]any{"minProgress": 80, "passScore": 0.6}}
	}
	return nil
}

func TestEmployerSeesOnlyOwnPosts(t *testing.T) {
	res, body := shared.do(t, "emp2", "GET", "/api/v1/posts?limit=200", nil)
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode, string(body))
	}
	var out struct {
		Results []struct{ EmployerID string }
	}
	json.Unmarshal(body, &out)
	if len(out.Results) == 0 {
		t.Fatal("no posts")
	}
	for _, p := range out.Results {
		if p.EmployerID != "e-2" {
			t.Fatalf("employer e-2 sees a post of %s", p.EmployerID)
		}
	}
}
