package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"jobbridge/engine"
)

// count is how many records of a kind the store holds.
func count(t *testing.T, kind engine.Kind) int {
	t.Helper()
	n := 0
	if err := shared.store.Each(context.Background(), kind, 0, func(engine.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// seekerJSON is a valid new seeker as a map, for tests to spoil one field at a time.
func seekerJSON(seq int) map[string]any {
	s := testSeeker("", "xujiahui", seq)
	b, _ := json.Marshal(s)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"id", "createdAt", "updatedAt", "rev", "counsellorId"} {
		delete(m, k)
	}
	return m
}

func TestBadInputIsRejectedAndNothingWritten(t *testing.T) {
	e := shared
	rid := residentID("19851120", 77)
	badSum := rid[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", rid[17])+1)%11])
	cases := []struct {
		name   string
		spoil  func(m map[string]any) any
		status int
		field  string
	}{
		{"unknown field", func(m map[string]any) any { m["favouriteColour"] = "blue"; return m }, 400, "favouriteColour"},
		{"wrong type", func(m map[string]any) any { m["name"] = 123; return m }, 400, "name"},
		{"wrong nested type", func(m map[string]any) any { m["mobility"].(map[string]any)["maxCommuteMinutes"] = "lots"; return m }, 400, "mobility.maxCommuteMinutes"},
		{"bad enum", func(m map[string]any) any { m["gender"] = "robot"; return m }, 400, "gender"},
		{"bad street", func(m map[string]any) any { m["street"] = "pudong"; return m }, 400, "street"},
		{"bad resident id checksum", func(m map[string]any) any { m["residentId"] = badSum; m["certificate"] = ""; return m }, 400, "residentId"},
		{"certificate disagrees", func(m map[string]any) any {
			m["certificate"] = m["residentId"].(string) + "13"
			m["disability"] = map[string]any{"category": "physical", "level": 2}
			return m
		}, 400, "disability"},
		{"operator value", func(m map[string]any) any { m["name"] = map[string]any{"$gt": ""}; return m }, 400, "name.$gt"},
		{"operator key", func(m map[string]any) any { m["$where"] = "1"; return m }, 400, "$where"},
		{"dotted key", func(m map[string]any) any { m["abilities"] = map[string]any{"vision.x": 1}; return m }, 400, "abilities.vision.x"},
		{"ability out of range", func(m map[string]any) any { m["abilities"] = map[string]any{"vision": 5}; return m }, 400, "abilities.vision"},
		{"unknown dimension", func(m map[string]any) any { m["abilities"] = map[string]any{"telepathy": 2}; return m }, 400, "abilities.telepathy"},
		{"home outside Shanghai", func(m map[string]any) any { m["home"] = map[string]any{"lat": 39.9, "lon": 116.4}; return m }, 400, "home.lat"},
		{"unknown skill", func(m map[string]any) any {
			m["skills"] = []any{map[string]any{"code": "juggling", "level": 1}}
			return m
		}, 400, "skills[0].code"},
		{"bad need", func(m map[string]any) any { m["needs"] = []any{map[string]any{"code": "telepathy"}}; return m }, 400, "needs[0]"},
		{"not JSON", func(m map[string]any) any { return "{not json" }, 400, "body"},
		{"array body", func(m map[string]any) any { return "[1,2]" }, 400, "body"},
		{"trailing data", func(m map[string]any) any { b, _ := json.Marshal(m); return string(b) + "{}" }, 400, "body"},
		{"too large", func(m map[string]any) any { m["name"] = strings.Repeat("名", 400_000); return m }, 413, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := count(t, engine.KindSeeker)
			res, body := e.do(t, "couns-x", "POST", "/api/v1/seekers", c.spoil(seekerJSON(100+i)))
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, c.status, body)
			}
			if c.field != "" && !slices.Contains(errorFields(body), c.field) {
				t.Errorf("fields %v do not name %q: %s", errorFields(body), c.field, body)
			}
			if after := count(t, engine.KindSeeker); after != before {
				t.Errorf("seekers %d → %d: something was written", before, after)
			}
		})
	}
	t.Run("valid control", func(t *testing.T) {
		res, body := e.do(t, "couns-x", "POST", "/api/v1/seekers", seekerJSON(99))
		if res.StatusCode != 201 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})
	t.Run("duplicate resident id conflicts", func(t *testing.T) {
		before := count(t, engine.KindSeeker)
		res, body := e.do(t, "couns-x", "POST", "/api/v1/seekers", seekerJSON(99))
		if res.StatusCode != 409 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		if count(t, engine.KindSeeker) != before {
			t.Error("written")
		}
	})
}

func TestBadInputOtherKinds(t *testing.T) {
	e := shared
	cases := []struct {
		user, method, path string
		body               any
		kind               engine.Kind
		status             int
		field              string
	}{
		{"admin", "POST", "/api/v1/employers", map[string]any{"name": "坏公司", "creditCode": "91310104MA1K000010", "street": "tianlin", "staff": 10}, engine.KindEmployer, 400, "creditCode"},
		{"emp1", "POST", "/api/v1/posts", map[string]any{"title": "x", "workMode": "sometimes", "hours": map[string]any{"weekly": 40}}, engine.KindPost, 400, "workMode"},
		{"emp1", "POST", "/api/v1/posts", map[string]any{"title": "x", "workMode": "remote", "hours": map[string]any{"weekly": 40}, "skills": []any{map[string]any{"code": "nope", "level": 1}}}, engine.KindPost, 400, "skills[0].code"},
		{"emp1", "POST", "/api/v1/posts", postMissing("cognition", nil), engine.KindPost, 400, "demands.cognition"},
		{"emp1", "POST", "/api/v1/posts", postMissing("", []string{"vision", "charm"}), engine.KindPost, 400, "essentialDemands[1]"},
		{"emp1", "POST", "/api/v1/posts", postMissing("", []string{"vision", "vision"}), engine.KindPost, 400, "essentialDemands[1]"},
		{"admin", "POST", "/api/v1/classes", map[string]any{"title": "x", "provider": "p", "mode": "remote", "seats": 5, "starts": "2027-02-01", "ends": "2027-01-01"}, engine.KindClass, 400, "ends"},
		{"admin", "POST", "/api/v1/skills", map[string]any{"code": "Bad Code", "zh": "坏", "en": "bad"}, engine.KindSkill, 400, "code"},
		{"admin", "POST", "/api/v1/users", map[string]any{"username": "x", "role": "wizard", "password": "short"}, engine.KindUser, 400, "password"},
		{"admin", "POST", "/api/v1/users", map[string]any{"username": "valid-name", "role": "wizard", "password": "long-enough-pw"}, engine.KindUser, 400, "role"},
		{"admin", "POST", "/api/v1/users", map[string]any{"username": "couns-x", "role": "counsellor", "password": "long-enough-pw"}, engine.KindUser, 409, ""},
		{"admin", "PATCH", "/api/v1/posts/p-1", map[string]any{"openings": -1}, engine.KindPost, 400, "openings"},
		{"admin", "PATCH", "/api/v1/posts/p-1", map[string]any{"status": map[string]any{"$ne": "open"}}, engine.KindPost, 400, "status.$ne"},
		{"emp1", "PATCH", "/api/v1/posts/p-1", map[string]any{"employerId": "e-2"}, engine.KindPost, 404, ""},
		{"couns-x", "PATCH", "/api/v1/seekers/s-x", map[string]any{"street": "huajing"}, engine.KindSeeker, 400, "street"},
		{"couns-x", "GET", "/api/v1/search?type=posts&near=40,116", nil, "", 400, "near"},
		{"couns-x", "GET", "/api/v1/search?type=jobs", nil, "", 400, "type"},
		{"couns-x", "GET", "/api/v1/posts?limit=201", nil, "", 400, "limit"},
		{"couns-x", "GET", "/api/v1/posts?cursor=not-a-cursor", nil, "", 400, "cursor"},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path+" "+c.field, func(t *testing.T) {
			var before []byte
			if c.kind != "" {
				before = dump(t, c.kind)
			}
			res, body := e.do(t, c.user, c.method, c.path, c.body)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, c.status, body)
			}
			if c.field != "" && !slices.Contains(errorFields(body), c.field) {
				t.Errorf("fields %v do not name %q: %s", errorFields(body), c.field, body)
			}
			if c.kind != "" && string(dump(t, c.kind)) != string(before) {
				t.Error("the collection changed")
			}
		})
	}
}

// postMissing is a valid post's JSON without the demand on dimension missing
// (none when empty) and with the essential demands given.
func postMissing(missing string, essential []string) map[string]any {
	p := apiRecord(testPost("p-missing", "", "缺少要求的岗位"), "employerId")
	demands := p["demands"].(map[string]any)
	delete(demands, missing)
	p["essentialDemands"] = essential
	return p
}

// dump is every record of a kind as JSON, to compare a collection before and after.
func dump(t *testing.T, kind engine.Kind) []byte {
	t.Helper()
	var all []engine.Record
	shared.store.Each(context.Background(), kind, 0, func(r engine.Record) error { all = append(all, r); return nil })
	b, _ := json.Marshal(all)
	return b
}

func TestMaskingAndAudit(t *testing.T) {
	e := shared
	full := testSeeker("", "", 1).ResidentID // s-x's resident ID
	get := func(user string) map[string]any {
		res, body := e.do(t, user, "GET", "/api/v1/seekers/s-x", nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", user, res.StatusCode, body)
		}
		var m map[string]any
		json.Unmarshal(body, &m)
		return m
	}
	if got := get("admin")["residentId"]; got != full {
		t.Errorf("admin sees %v, want plain", got)
	}
	if got := get("couns-x")["residentId"]; got != full {
		t.Errorf("own counsellor sees %v, want plain", got)
	}
	for _, u := range []string{"couns-all", "trainee-x"} {
		got, _ := get(u)["residentId"].(string)
		if got != full[:6]+"********"+full[14:] {
			t.Errorf("%s sees %q, want masked", u, got)
		}
		if cert, _ := get(u)["certificate"].(string); strings.Contains(cert, full[6:14]) {
			t.Errorf("%s sees certificate %q", u, cert)
		}
	}
	res, body := e.do(t, "couns-x", "GET", "/api/v1/seekers?limit=50", nil)
	if res.StatusCode != 200 || strings.Contains(string(body), full) {
		t.Errorf("list leaks resident ID or failed: %d", res.StatusCode)
	}
	res, body = e.do(t, "admin", "GET", "/api/v1/admin/audit?seekerId=s-x&actor=u-tx", nil)
	var audit struct {
		Results []struct{ Actor, SeekerID, Action, Route string }
	}
	json.Unmarshal(body, &audit)
	if res.StatusCode != 200 || len(audit.Results) == 0 {
		t.Fatalf("no audit entries for the trainee's reads: %d %s", res.StatusCode, body)
	}
	for _, a := range audit.Results {
		if a.Actor != "u-tx" || a.SeekerID != "s-x" || a.Action != "read" {
			t.Errorf("audit entry %+v", a)
		}
	}
}

// TestIfMatch: a GET names the record's version in ETag; a PATCH whose
// If-Match names an older one is 412 and writes nothing; the current one (or
// none, or *) goes through and answers the new ETag.
func TestIfMatch(t *testing.T) {
	e := shared
	ctx := context.Background()
	post := &engine.Post{Meta: engine.Meta{ID: "p-ifmatch"}, EmployerID: "e-1", Title: "并发编辑测试", WorkMode: "remote", Demands: engine.StatedDemands(nil),
		Hours: engine.Hours{Weekly: 30}, MonthlyWage: 5000, Openings: 1, Status: "open", ClosesOn: "2027-12-31"}
	if err := e.svc.Create(ctx, engine.KindPost, post); err != nil {
		t.Fatal(err)
	}
	patch := func(ifMatch, body string) (*http.Response, []byte) {
		return e.doWith(t, "emp1", "PATCH", "/api/v1/posts/p-ifmatch", body, map[string]string{"If-Match": ifMatch})
	}
	res, _ := e.do(t, "emp1", "GET", "/api/v1/posts/p-ifmatch", nil)
	first := res.Header.Get("ETag")
	if first != fmt.Sprintf(`"%d"`, post.Rev) {
		t.Fatalf("ETag %q, want the rev %d", first, post.Rev)
	}
	res, _ = patch(first, `{"openings":2}`)
	second := res.Header.Get("ETag")
	if res.StatusCode != 200 || second == "" || second == first {
		t.Fatalf("PATCH with the current ETag: %d, ETag %q", res.StatusCode, second)
	}
	res, out := patch(first, `{"openings":5}`)
	if res.StatusCode != http.StatusPreconditionFailed || !strings.Contains(strings.Join(errorFields(out), " "), "If-Match") {
		t.Fatalf("PATCH with an old ETag: %d %s, want 412 naming If-Match", res.StatusCode, out)
	}
	var p engine.Post
	if err := e.store.Get(ctx, engine.KindPost, "p-ifmatch", &p); err != nil || p.Openings != 2 {
		t.Fatalf("after the refused PATCH: %d openings (%v), want 2", p.Openings, err)
	}
	for _, h := range []string{`"1", ` + second, "*", ""} {
		if res, out := patch(h, `{"openings":3}`); res.StatusCode != 200 {
			t.Errorf("If-Match %q: %d %s", h, res.StatusCode, out)
		}
	}
}
