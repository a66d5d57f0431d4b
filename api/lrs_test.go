package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/fixtures"
)

var lrsOnce sync.Once

// lrsWorld adds to the training world a class whose first module and course
// have activity ids of a provider's LMS, two seekers of their own (s-lrs-x of
// Xujiahui, with the trainee login trainee-lrs; s-lrs-h of Huajing) and their
// enrollments in it.
func lrsWorld(t *testing.T) *env {
	t.Helper()
	e := trainingWorld(t)
	lrsOnce.Do(func() {
		ctx := context.Background()
		c := trainingClass("c-lrs", 5)
		c.ActivityID = "https://lms.example.cn/course/excel"
		c.Modules[0].ActivityID = "https://lms.example.cn/course/excel/au/keyboard"
		if err := e.svc.Create(ctx, engine.KindClass, c); err != nil {
			t.Fatal(err)
		}
		for i, street := range []string{"xujiahui", "huajing"} {
			sk := testSeeker([]string{"s-lrs-x", "s-lrs-h"}[i], street, 0)
			sk.ResidentID = residentID("19950505", i+1)
			sk.Certificate = sk.ResidentID + "42"
			if err := e.svc.Create(ctx, engine.KindSeeker, sk); err != nil {
				t.Fatal(err)
			}
		}
		hash, _ := api.HashPassword(testPassword)
		if err := e.svc.Create(ctx, engine.KindUser, &engine.User{Meta: engine.Meta{ID: "u-tlrs"}, Username: "trainee-lrs", Role: engine.RoleTrainee,
			SeekerID: "s-lrs-x", PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		for _, en := range [][2]string{{"en-lrs-x", "s-lrs-x"}, {"en-lrs-h", "s-lrs-h"}} {
			if _, err := e.svc.Enroll(ctx, &engine.Enrollment{Meta: engine.Meta{ID: en[0]}, SeekerID: en[1], ClassID: "c-lrs"}, "u-admin"); err != nil {
				t.Fatal(err)
			}
		}
		var u engine.User
		if err := e.store.Get(ctx, engine.KindUser, "u-ptr", &u); err != nil {
			t.Fatal(err)
		}
		u.ClassIDs = append(u.ClassIDs, "c-lrs")
		if err := e.svc.Replace(ctx, engine.KindUser, &u); err != nil {
			t.Fatal(err)
		}
	})
	return e
}

// basic is the Authorization header of an LRS credential, with the version header.
func basic(key, secret string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret)),
		"X-Experience-API-Version": "1.0.3"}
}

// issue has the admin issue a credential for a user and answers its headers.
func issue(t *testing.T, e *env, userID string) (string, map[string]string) {
	t.Helper()
	res, out := e.do(t, "admin", "POST", "/api/v1/lrs/credentials", fmt.Sprintf(`{"name":"LMS of %s","userId":%q}`, userID, userID))
	var cred struct{ Key, Secret string }
	json.Unmarshal(out, &cred)
	if res.StatusCode != 201 || cred.Key == "" || len(cred.Secret) < 40 {
		t.Fatalf("issue: %d %s", res.StatusCode, out)
	}
	return cred.Key, basic(cred.Key, cred.Secret)
}

func progressOf(t *testing.T, e *env, enrollment, module string) engine.ModuleProgress {
	t.Helper()
	v, err := e.svc.Enrollment(context.Background(), enrollment)
	if err != nil {
		t.Fatal(err)
	}
	return v.Modules[module]
}

func TestLRSCredentials(t *testing.T) {
	e := lrsWorld(t)
	key, prov := issue(t, e, "u-ptr")
	t.Run("the list shows no secret", func(t *testing.T) {
		res, out := e.do(t, "admin", "GET", "/api/v1/lrs/credentials", nil)
		if res.StatusCode != 200 || !strings.Contains(string(out), key) || strings.Contains(string(out), "ecret") {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
	})
	t.Run("only an admin issues them, to a provider or admin", func(t *testing.T) {
		for _, u := range []string{"couns-x", "prov-tr", "trainee-x"} {
			if res, _ := e.do(t, u, "POST", "/api/v1/lrs/credentials", `{"name":"x","userId":"u-ptr"}`); res.StatusCode != 403 {
				t.Errorf("%s issues: %d", u, res.StatusCode)
			}
		}
		for body, field := range map[string]string{`{"name":"x","userId":"u-cx"}`: "userId", `{"name":"x","userId":"u-nobody"}`: "userId",
			`{"userId":"u-ptr"}`: "name", `{"name":"x","userId":"u-ptr","secret":"mine"}`: "secret"} {
			res, out := e.do(t, "admin", "POST", "/api/v1/lrs/credentials", body)
			if res.StatusCode != 400 || !strings.Contains(strings.Join(errorFields(out), " "), field) {
				t.Errorf("%s: %d %s, want 400 naming %s", body, res.StatusCode, out, field)
			}
		}
	})
	t.Run("every answer carries the version, refusals too", func(t *testing.T) {
		for _, h := range []map[string]string{nil, basic(key, "wrong"), basic("lrs-none", "x"), {"Authorization": "Bearer nope", "X-Experience-API-Version": "1.0.3"}} {
			res, out := e.doWith(t, "", "GET", "/xapi/statements", "", h)
			if res.StatusCode != 401 || res.Header.Get("X-Experience-API-Version") != "1.0.3" || res.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%v: %d %v %s", h, res.StatusCode, res.Header, out)
			}
		}
		res, _ := e.doWith(t, "", "GET", "/xapi/about", "", nil)
		if res.StatusCode != 200 || res.Header.Get("X-Experience-API-Version") != "1.0.3" {
			t.Errorf("about: %d", res.StatusCode)
		}
		noVersion := map[string]string{"Authorization": prov["Authorization"]}
		res, out := e.doWith(t, "", "GET", "/xapi/statements", "", noVersion)
		if res.StatusCode != 400 || !strings.Contains(string(out), "X-Experience-API-Version") || res.Header.Get("X-Experience-API-Version") != "1.0.3" {
			t.Errorf("no version header: %d %s", res.StatusCode, out)
		}
	})
	t.Run("roles: a counsellor's session may not write, an employer's neither", func(t *testing.T) {
		for _, u := range []string{"couns-x", "emp1"} {
			h := map[string]string{"Authorization": "Bearer " + e.token(t, u), "X-Experience-API-Version": "1.0.3"}
			res, out := e.doWith(t, "", "POST", "/xapi/statements", xstatement("", "s-lrs-x", "c-lrs", "m2", "completed", ""), h)
			if res.StatusCode != 403 {
				t.Errorf("%s: %d %s", u, res.StatusCode, out)
			}
		}
	})
	t.Run("revoked, it opens nothing", func(t *testing.T) {
		k2, h2 := issue(t, e, "u-ptr")
		if res, _ := e.doWith(t, "", "GET", "/xapi/statements", "", h2); res.StatusCode != 200 {
			t.Fatalf("before: %d", res.StatusCode)
		}
		if res, _ := e.do(t, "admin", "DELETE", "/api/v1/lrs/credentials/"+k2, nil); res.StatusCode != 204 {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		if res, _ := e.doWith(t, "", "GET", "/xapi/statements", "", h2); res.StatusCode != 401 {
			t.Fatalf("after: %d", res.StatusCode)
		}
		if res, _ := e.do(t, "admin", "DELETE", "/api/v1/lrs/credentials/"+k2, nil); res.StatusCode != 404 {
			t.Fatalf("revoke twice: %d", res.StatusCode)
		}
	})
}

func TestLRSProgress(t *testing.T) {
	e := lrsWorld(t)
	ctx := context.Background()
	key, prov := issue(t, e, "u-ptr")
	keyboard := "https://lms.example.cn/course/excel/au/keyboard"
	stmt := func(id, actor, object, verb, result string) string {
		if result != "" {
			result = `,"result":` + result
		}
		return fmt.Sprintf(`{"id":%q,"actor":%s,"verb":{"id":%q},"object":{"id":%q},"context":{"contextActivities":{"parent":[{"id":"https://lms.example.cn/course/excel"}]}}%s}`,
			id, actor, verb, object, result)
	}
	xActor := `{"account":{"homePage":"https://lms.example.cn","name":"s-lrs-x"}}`

	t.Run("a module's own activity id maps, with cmi5's progress", func(t *testing.T) {
		res, out := e.doWith(t, "", "POST", "/xapi/statements", stmt(uuidN(100), xActor, keyboard, engine.VerbPrefix+"progressed",
			`{"extensions":{"`+engine.ProgressExtension+`":62.5}}`), prov)
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
		if p := progressOf(t, e, "en-lrs-x", "m1"); p.Progress != 62 || p.Completed {
			t.Fatalf("m1 %+v", p)
		}
	})
	t.Run("voiding withdraws the effect", func(t *testing.T) {
		res, out := e.doWith(t, "", "POST", "/xapi/statements", stmt(uuidN(101), xActor, keyboard, engine.VerbPrefix+"completed", ""), prov)
		if res.StatusCode != 200 || !progressOf(t, e, "en-lrs-x", "m1").Completed {
			t.Fatalf("completed: %d %s", res.StatusCode, out)
		}
		void := fmt.Sprintf(`{"id":%q,"actor":%s,"verb":{"id":%q},"object":{"objectType":"StatementRef","id":%q}}`, uuidN(102), xActor, "http://adlnet.gov/expapi/verbs/voided", uuidN(101))
		if res, out := e.doWith(t, "", "POST", "/xapi/statements", void, prov); res.StatusCode != 200 {
			t.Fatalf("void: %d %s", res.StatusCode, out)
		}
		if p := progressOf(t, e, "en-lrs-x", "m1"); p.Progress != 62 || p.Completed {
			t.Fatalf("after voiding m1 is %+v, want 62 and not completed", p)
		}
		var en engine.Enrollment
		if err := e.store.Get(ctx, engine.KindEnrollment, "en-lrs-x", &en); err != nil || engine.Fold(en.Log, mustClass(t, e, "c-lrs")).Modules["m1"].Completed {
			t.Fatalf("the stored log, folded again, still counts the voided statement: %v", err)
		}
		res, out = e.doWith(t, "", "GET", "/xapi/statements?statementId="+uuidN(101), "", prov)
		if res.StatusCode != 404 {
			t.Fatalf("a voided statement by statementId: %d %s", res.StatusCode, out)
		}
		res, out = e.doWith(t, "", "GET", "/xapi/statements?voidedStatementId="+uuidN(101), "", prov)
		if res.StatusCode != 200 || !strings.Contains(string(out), uuidN(101)) {
			t.Fatalf("by voidedStatementId: %d %s", res.StatusCode, out)
		}
	})
	t.Run("the learner recorded on the enrollment maps an mbox actor", func(t *testing.T) {
		hActor := `{"mbox":"mailto:xiaohong@lms.example.cn","name":"小红"}`
		body := stmt(uuidN(103), hActor, keyboard, engine.VerbPrefix+"passed", `{"score":{"scaled":0.9}}`)
		if res, out := e.doWith(t, "", "POST", "/xapi/statements", body, prov); res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
		if p := progressOf(t, e, "en-lrs-h", "m1"); p.Completed {
			t.Fatal("mapped before the learner was recorded")
		}
		res, out := e.do(t, "couns-h", "PATCH", "/api/v1/enrollments/en-lrs-h", `{"learner":{"mbox":"mailto:xiaohong@lms.example.cn"}}`)
		if res.StatusCode != 200 || !strings.Contains(string(out), "xiaohong") {
			t.Fatalf("record the learner: %d %s", res.StatusCode, out)
		}
		for body, field := range map[string]string{`{"learner":{"mbox":"xiaohong@lms"}}`: "learner.mbox",
			`{"learner":{"mbox":"mailto:a@b.c","openid":"http://o.example/1"}}`: "learner"} {
			if res, out := e.do(t, "couns-h", "PATCH", "/api/v1/enrollments/en-lrs-h", body); res.StatusCode != 400 || !strings.Contains(strings.Join(errorFields(out), " "), field) {
				t.Errorf("%s: %d %s", body, res.StatusCode, out)
			}
		}
		if res, _ := e.do(t, "couns-x", "PATCH", "/api/v1/enrollments/en-lrs-h", `{"learner":{"mbox":"mailto:x@y.z"}}`); res.StatusCode != 404 {
			t.Errorf("another street's counsellor: %d", res.StatusCode)
		}
		body = stmt(uuidN(104), hActor, keyboard, engine.VerbPrefix+"passed", `{"score":{"scaled":0.9}}`)
		if res, out := e.doWith(t, "", "POST", "/xapi/statements", body, prov); res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
		if p := progressOf(t, e, "en-lrs-h", "m1"); !p.Completed || p.Score == nil || *p.Score != 0.9 {
			t.Fatalf("m1 of s-h %+v", p)
		}
	})
	t.Run("bad input: 400 naming the property, nothing stored", func(t *testing.T) {
		for body, field := range map[string]string{
			strings.Replace(stmt(uuidN(105), xActor, keyboard, engine.VerbPrefix+"completed", ""), `"verb"`, `"Verb"`, 1):                                                    "Verb",
			stmt(uuidN(105), `{"mbox":"xiaohong@lms.example.cn"}`, keyboard, engine.VerbPrefix+"completed", ""):                                                              "actor.mbox",
			stmt(uuidN(105), xActor, keyboard, engine.VerbPrefix+"completed", `{"duration":"1 hour"}`):                                                                       "result.duration",
			"[" + stmt(uuidN(105), xActor, keyboard, engine.VerbPrefix+"completed", "") + "," + stmt(uuidN(106), xActor, "https://lms.example.cn/x", "not an iri", "") + "]": "[1].verb.id",
		} {
			res, out := e.doWith(t, "", "POST", "/xapi/statements", body, prov)
			if res.StatusCode != 400 || !strings.Contains(strings.Join(errorFields(out), " "), field) {
				t.Errorf("want 400 naming %s: %d %s", field, res.StatusCode, out)
			}
		}
		got, err := e.store.GetStatements(ctx, []string{uuidN(105), uuidN(106)})
		if err != nil || len(got) != 0 {
			t.Fatalf("stored: %v %v", got, err)
		}
	})
	t.Run("a provider reads what its credentials sent, a trainee their own", func(t *testing.T) {
		_, other := issue(t, e, "u-admin")
		if res, out := e.doWith(t, "", "POST", "/xapi/statements", stmt(uuidN(107), xActor, "https://elsewhere.example/a", engine.VerbPrefix+"experienced", ""), other); res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
		agent := url.QueryEscape(xActor)
		res, out := e.doWith(t, "", "GET", "/xapi/statements?agent="+agent, "", prov)
		if res.StatusCode != 200 || !strings.Contains(string(out), uuidN(100)) || strings.Contains(string(out), uuidN(107)) {
			t.Fatalf("the provider's read: %d %s", res.StatusCode, out)
		}
		if !strings.Contains(string(out), `"name":"`+key+`"`) {
			t.Fatalf("authority is not the credential: %s", out)
		}
		res, out = e.doWith(t, "", "GET", "/xapi/statements?agent="+agent, "", other)
		if !strings.Contains(string(out), uuidN(107)) || !strings.Contains(string(out), uuidN(100)) {
			t.Fatalf("an admin's credential reads everything: %s", out)
		}
		trainee := map[string]string{"Authorization": "Bearer " + e.token(t, "trainee-lrs"), "X-Experience-API-Version": "1.0.3"}
		res, out = e.doWith(t, "", "GET", "/xapi/statements?limit=100", "", trainee)
		if res.StatusCode != 200 || !strings.Contains(string(out), uuidN(100)) || strings.Contains(string(out), uuidN(104)) || strings.Contains(string(out), uuidN(107)) {
			t.Fatalf("the trainee's own: %d %s", res.StatusCode, out)
		}
	})
	t.Run("profiles: If-Match and If-None-Match", func(t *testing.T) {
		path := "/xapi/activities/profile?activityId=" + url.QueryEscape("https://lms.example.cn/course/excel") + "&profileId=settings"
		put := func(body string, h map[string]string) int {
			all := map[string]string{}
			for k, v := range prov {
				all[k] = v
			}
			for k, v := range h {
				all[k] = v
			}
			res, _ := e.doWith(t, "", "PUT", path, body, all)
			return res.StatusCode
		}
		if code := put(`{"a":1}`, nil); code != 400 {
			t.Fatalf("new profile without a precondition: %d", code)
		}
		if code := put(`{"a":1}`, map[string]string{"If-None-Match": "*"}); code != 204 {
			t.Fatalf("create: %d", code)
		}
		res, out := e.doWith(t, "", "GET", path, "", prov)
		etag := res.Header.Get("ETag")
		if res.StatusCode != 200 || string(out) != `{"a":1}` || len(etag) != 42 {
			t.Fatalf("get: %d %s %q", res.StatusCode, out, etag)
		}
		if code := put(`{"a":2}`, nil); code != 409 {
			t.Fatalf("overwrite without If-Match: %d", code)
		}
		if code := put(`{"a":2}`, map[string]string{"If-Match": `"0000"`}); code != 412 {
			t.Fatalf("stale If-Match: %d", code)
		}
		if code := put(`{"a":2}`, map[string]string{"If-Match": etag}); code != 204 {
			t.Fatalf("If-Match: %d", code)
		}
		_, other := issue(t, e, "u-admin")
		if res, _ := e.doWith(t, "", "GET", path, "", other); res.StatusCode != 200 {
			t.Fatalf("an admin's credential reads any document: %d", res.StatusCode)
		}
	})
}

func mustClass(t *testing.T, e *env, id string) *engine.Class {
	t.Helper()
	var c engine.Class
	if err := e.store.Get(context.Background(), engine.KindClass, id, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestCourseStructureImport(t *testing.T) {
	e := lrsWorld(t)
	if err := e.svc.Create(context.Background(), engine.KindClass, trainingClass("c-cmi5", 5)); err != nil {
		t.Fatal(err)
	}
	course := `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://lms.example.cn/course/cmi5"><title><langstring lang="zh-CN">课程</langstring></title></course>
  <au id="https://lms.example.cn/course/cmi5/au/1" moveOn="CompletedOrPassed" masteryScore="0.7"><title><langstring lang="zh-CN">第一单元</langstring></title><url>https://lms.example.cn/au/1.html</url></au>
</courseStructure>`
	put := func(user, class, body string) (*http.Response, []byte) {
		return e.doWith(t, user, "PUT", "/api/v1/classes/"+class+"/course-structure", body, map[string]string{"Content-Type": "application/xml"})
	}
	if res, out := put("prov1", "c-cmi5", course); res.StatusCode != 404 {
		t.Fatalf("another provider's class: %d %s", res.StatusCode, out)
	}
	if res, _ := put("couns-x", "c-cmi5", course); res.StatusCode != 403 {
		t.Fatalf("a counsellor: %d", res.StatusCode)
	}
	if res, out := put("admin", "c-cmi5", strings.Replace(course, `moveOn="CompletedOrPassed"`, `moveOn="Whenever"`, 1)); res.StatusCode != 400 ||
		!strings.Contains(strings.Join(errorFields(out), " "), "au[0].moveOn") {
		t.Fatalf("a bad moveOn: %d %s", res.StatusCode, out)
	}
	res, out := put("admin", "c-cmi5", course)
	var c engine.Class
	json.Unmarshal(out, &c)
	if res.StatusCode != 200 || c.ActivityID != "https://lms.example.cn/course/cmi5" || len(c.Modules) != 1 || c.Modules[0].ID != "au-1" ||
		c.Modules[0].MoveOn != "CompletedOrPassed" || c.Modules[0].LaunchURL != "https://lms.example.cn/au/1.html" || res.Header.Get("ETag") == "" {
		t.Fatalf("import: %d %s", res.StatusCode, out)
	}
}

// TestCmi5Launch: a trainee's launch of an imported AU (DESIGN §6): the
// launch parameters, the one-time fetch URL, LMS.LaunchData, the session's
// credential (about the trainee only), and satisfied by moveOn.
func TestCmi5Launch(t *testing.T) {
	e := lrsWorld(t)
	ctx := context.Background()
	if err := e.svc.Create(ctx, engine.KindClass, trainingClass("c-au", 5)); err != nil {
		t.Fatal(err)
	}
	if res, out := e.doWith(t, "admin", "PUT", "/api/v1/classes/c-au/course-structure", string(fixtures.DemoCourseStructure()),
		map[string]string{"Content-Type": "application/xml"}); res.StatusCode != 200 {
		t.Fatalf("import: %d %s", res.StatusCode, out)
	}
	if _, err := e.svc.Enroll(ctx, &engine.Enrollment{Meta: engine.Meta{ID: "en-au-x"}, SeekerID: "s-lrs-x", ClassID: "c-au"}, "u-admin"); err != nil {
		t.Fatal(err)
	}
	trainee, _ := e.svc.User("u-tlrs")
	req := engine.LaunchRequest{EnrollmentID: "en-au-x", ModuleID: "au-1", Base: e.srv.URL, ReturnURL: e.srv.URL + "/seekers/s-lrs-x/courses"}
	if _, err := e.lrs.LaunchAU(ctx, &engine.User{Meta: engine.Meta{ID: "u-other"}, Role: engine.RoleTrainee, SeekerID: "s-lrs-h"}, req); engine.ErrorCode(err) != engine.EFORBIDDEN {
		t.Errorf("another trainee's launch: %v", err)
	}
	bad := req
	bad.ModuleID = "au-9"
	if _, err := e.lrs.LaunchAU(ctx, trainee, bad); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("no such module: %v", err)
	}
	to, err := e.lrs.LaunchAU(ctx, trainee, req)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	q := u.Query()
	if u.Path != "/content/cmi5-demo/au.html" || q.Get("endpoint") != e.srv.URL+"/xapi/" || q.Get("registration") != engine.Registration("en-au-x") ||
		q.Get("activityId") != engine.ModuleActivity("c-au", "au-1") || !strings.Contains(q.Get("actor"), `"name":"s-lrs-x"`) {
		t.Fatalf("launch URL %s", to)
	}
	fetch := func(method string) (int, map[string]string) {
		r, _ := http.NewRequest(method, q.Get("fetch"), nil)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]string
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	if st, _ := fetch("GET"); st != 405 {
		t.Errorf("GET of the fetch URL: %d", st)
	}
	st, tok := fetch("POST")
	if st != 200 || tok["auth-token"] == "" {
		t.Fatalf("fetch: %d %v", st, tok)
	}
	if st, again := fetch("POST"); st != 200 || again["error-code"] != "1" || again["auth-token"] != "" {
		t.Errorf("second fetch: %d %v", st, again)
	}
	au := map[string]string{"Authorization": "Basic " + tok["auth-token"], "X-Experience-API-Version": "1.0.3"}
	state := "/xapi/activities/state?" + url.Values{"activityId": {q.Get("activityId")}, "agent": {q.Get("actor")},
		"registration": {q.Get("registration")}, "stateId": {"LMS.LaunchData"}}.Encode()
	res, out := e.doWith(t, "", "GET", state, "", au)
	var ld struct {
		ContextTemplate               struct{ Extensions map[string]string }
		MoveOn, ReturnURL, LaunchMode string
	}
	json.Unmarshal(out, &ld)
	session := ld.ContextTemplate.Extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
	if res.StatusCode != 200 || ld.MoveOn != "Completed" || ld.LaunchMode != "Normal" || ld.ReturnURL != req.ReturnURL || session == "" {
		t.Fatalf("LMS.LaunchData: %d %s", res.StatusCode, out)
	}
	statement := func(seeker, verb string) string {
		return fmt.Sprintf(`{"actor":{"account":{"homePage":%q,"name":%q}},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s"},"object":{"id":%q},
			"context":{"registration":%q,"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":%q}}}`,
			e.srv.URL+"/", seeker, verb, q.Get("activityId"), q.Get("registration"), session)
	}
	if res, out := e.doWith(t, "", "POST", "/xapi/statements", statement("s-lrs-h", "completed"), au); res.StatusCode != 403 {
		t.Errorf("the session's credential about someone else: %d %s", res.StatusCode, out)
	}
	if res, out := e.doWith(t, "", "POST", "/xapi/statements", statement("s-lrs-x", "completed"), au); res.StatusCode != 200 {
		t.Fatalf("completed: %d %s", res.StatusCode, out)
	}
	if mp := progressOf(t, e, "en-au-x", "au-1"); !mp.Completed {
		t.Errorf("after completed: %+v", mp)
	}
	res, out = e.doWith(t, "admin", "GET", "/xapi/statements?ascending=true&registration="+q.Get("registration"), "", map[string]string{"X-Experience-API-Version": "1.0.3"})
	var page struct {
		Statements []struct {
			Verb      struct{ ID string }
			Authority struct{ Name string }
		}
	}
	json.Unmarshal(out, &page)
	var verbs []string
	for _, s := range page.Statements {
		verbs = append(verbs, s.Verb.ID[strings.LastIndex(s.Verb.ID, "/")+1:]+"/"+s.Authority.Name)
	}
	lms := "jobbridge LMS (cmi5)"
	if want := "launched/" + lms + " completed/cmi5: 居家远程办公入门（三页） satisfied/" + lms; res.StatusCode != 200 || strings.Join(verbs, " ") != want {
		t.Errorf("the registration's statements (verb/authority): %d %v, want %s", res.StatusCode, verbs, want)
	}
	// Completing again writes no second satisfied.
	e.doWith(t, "", "POST", "/xapi/statements", statement("s-lrs-x", "completed"), au)
	res, out = e.doWith(t, "admin", "GET", "/xapi/statements?verb="+url.QueryEscape("https://w3id.org/xapi/adl/verbs/satisfied")+"&registration="+q.Get("registration"), "",
		map[string]string{"X-Experience-API-Version": "1.0.3"})
	if n := strings.Count(string(out), `"satisfied"`); res.StatusCode != 200 || n != 1 {
		t.Errorf("satisfied statements after a second completed: %d (%d)", n, res.StatusCode)
	}
	for _, c := range e.lrs.Credentials() {
		if strings.HasPrefix(c.Key, "cmi5-") {
			t.Errorf("the admin's credential list shows a launch session: %s", c.Key)
		}
	}
}
