package api_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jobbridge/engine"
)

// browser is a cookie-keeping HTTP client that does not follow redirects, like
// a person's browser session with one tab.
type browser struct {
	t        testing.TB
	base     string
	c        *http.Client
	lang     string
	password string
}

func newBrowser(t testing.TB, lang string) *browser { return newBrowserOn(t, shared, lang) }

// newBrowserOn is a browser on the stack e.
func newBrowserOn(t testing.TB, e *env, lang string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.srv.URL, lang: lang, password: cmp.Or(e.password, testPassword), c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil) }

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token of a page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

// post submits a form the way the page at from would, with its token.
func (b *browser) post(from, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	form.Set("csrf", b.csrf(from))
	return b.do("POST", path, form)
}

// login logs in through the login form.
func (b *browser) login(username string) *browser {
	b.t.Helper()
	res, body := b.post("/login", "/login", url.Values{"username": {username}, "password": {b.password}, "next": {"/"}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("login %s: %d %s", username, res.StatusCode, body)
	}
	return b
}

func TestPageRoles(t *testing.T) {
	t.Parallel()
	type visit struct {
		user, path string
		want       int
	}
	visits := []visit{
		{"", "/", http.StatusSeeOther},
		{"", "/seekers/s-x", http.StatusSeeOther},
		{"", "/login", http.StatusOK},
		{"emp1", "/seekers", http.StatusForbidden},
		{"emp1", "/seekers/s-x", http.StatusForbidden},
		{"emp1", "/seekers/s-x/matches", http.StatusForbidden},
		{"emp1", "/seekers/s-x/edit", http.StatusForbidden},
		{"emp1", "/posts/p-1", http.StatusOK},
		{"emp1", "/posts/p-1/candidates", http.StatusOK},
		{"emp1", "/posts/p-2", http.StatusNotFound},
		{"emp1", "/posts/p-2/edit", http.StatusNotFound},
		{"emp1", "/posts/p-2/candidates", http.StatusNotFound},
		{"emp1", "/admin/users", http.StatusForbidden},
		{"trainee-x", "/", http.StatusOK},
		{"trainee-x", "/seekers/s-x", http.StatusOK},
		{"trainee-x", "/seekers/s-x/matches", http.StatusOK},
		{"trainee-x", "/seekers/s-h", http.StatusNotFound},
		{"trainee-x", "/seekers/s-h/matches", http.StatusNotFound},
		{"trainee-x", "/seekers/s-h/gaps", http.StatusNotFound},
		{"trainee-x", "/seekers/s-x/edit", http.StatusForbidden},
		{"trainee-x", "/seekers", http.StatusForbidden},
		{"trainee-x", "/posts", http.StatusForbidden},
		{"trainee-x", "/inbox", http.StatusForbidden},
		{"emp1", "/inbox", http.StatusForbidden},
		{"emp1", "/seekers/s-x/courses", http.StatusForbidden},
		{"couns-x", "/seekers/s-h/courses", http.StatusNotFound},
		{"emp1", "/employers/e-1/quota", http.StatusOK},
		{"emp1", "/employers/e-2/quota", http.StatusNotFound},
		{"emp1", "/reports/kpis", http.StatusForbidden},
		{"trainee-x", "/employers/e-1/quota", http.StatusForbidden},
		{"couns-h", "/employers/e-1/quota", http.StatusOK},
		{"couns-h", "/reports/kpis.csv", http.StatusOK},
		{"emp1", "/followups", http.StatusForbidden},
		{"emp1", "/seekers/s-x/referrals", http.StatusForbidden},
		{"trainee-x", "/referrals", http.StatusForbidden},
		{"couns-h", "/seekers/s-x/referrals", http.StatusNotFound},
		{"couns-x", "/seekers/s-x", http.StatusOK},
		{"couns-x", "/seekers/s-x/edit", http.StatusOK},
		{"couns-x", "/seekers/s-h", http.StatusNotFound},
		{"couns-x", "/seekers/s-h/edit", http.StatusNotFound},
		{"couns-x", "/seekers?street=huajing", http.StatusForbidden},
		{"couns-x", "/posts/p-2", http.StatusOK},
		{"couns-x", "/posts/p-2/edit", http.StatusForbidden},
		{"couns-x", "/posts/new", http.StatusForbidden},
		{"couns-x", "/admin/audit", http.StatusForbidden},
		{"couns-all", "/seekers/s-h", http.StatusOK},
		{"prov1", "/", http.StatusOK},
		{"prov1", "/seekers/s-x", http.StatusForbidden},
		{"admin", "/seekers/s-h/edit", http.StatusOK},
		{"admin", "/admin/users", http.StatusOK},
	}
	sessions := map[string]*browser{}
	for _, v := range visits {
		b, found := sessions[v.user]
		if !found {
			b = newBrowser(t, "")
			if v.user != "" {
				b.login(v.user)
			}
			sessions[v.user] = b
		}
		res, body := b.get(v.path)
		if res.StatusCode != v.want {
			t.Errorf("%q GET %s: got %d, want %d", v.user, v.path, res.StatusCode, v.want)
		}
		if v.want >= 400 && strings.Contains(body, "测试") {
			t.Errorf("%q GET %s: the refusal shows record data", v.user, v.path)
		}
	}
}

func TestPageCSRF(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, "").login("couns-x")
	form := url.Values{"name": {"不应保存"}}
	for _, token := range []string{"", "0123456789abcdef0123456789abcdef"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if token != "" {
			f.Set("csrf", token)
		}
		res, _ := b.do("POST", "/seekers/s-x/edit", f)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("edit with token %q: got %d, want 403", token, res.StatusCode)
		}
	}
	if res, _ := b.do("POST", "/logout", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout without token: got %d, want 403", res.StatusCode)
	}
	if res, _ := b.get("/seekers/s-x"); res.StatusCode != http.StatusOK {
		t.Errorf("the session should survive a refused logout: %d", res.StatusCode)
	}
	anon := newBrowser(t, "")
	res, _ := anon.do("POST", "/login", url.Values{"username": {"couns-x"}, "password": {testPassword}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("login without token: got %d, want 403", res.StatusCode)
	}
	// A token from another session does not work either.
	other := newBrowser(t, "").login("couns-x")
	f := url.Values{"csrf": {other.csrf("/")}, "name": {"不应保存"}}
	if res, _ := b.do("POST", "/seekers/s-x/edit", f); res.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: got %d, want 403", res.StatusCode)
	}
}

func TestPageCookies(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, "")
	form := url.Values{"username": {"couns-x"}, "password": {testPassword}, "csrf": {b.csrf("/login")}}
	res, _ := b.do("POST", "/login", form)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "jb_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Fatalf("session cookie over plain HTTP: %+v", session)
	}
	// The cookie holds a token of the API's session store: it works as a bearer token.
	req, _ := http.NewRequest("GET", shared.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+session.Value)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Errorf("the page session is not an API session: %d", r.StatusCode)
	}
	// Behind a TLS-terminating proxy the cookie is Secure.
	req, _ = http.NewRequest("GET", shared.srv.URL+"/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	r, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	for _, c := range r.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure under TLS", c.Name)
		}
	}
	// Logging out ends the session for the API too.
	b.post("/", "/logout", url.Values{})
	r, err = http.DefaultClient.Do(func() *http.Request {
		req, _ := http.NewRequest("GET", shared.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+session.Value)
		return req
	}())
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("after logout the token still works: %d", r.StatusCode)
	}
}

func TestPageLanguage(t *testing.T) {
	t.Parallel()
	first := newBrowser(t, "en-GB,en;q=0.9")
	if _, body := first.get("/login"); !strings.Contains(body, `<html lang="en">`) {
		t.Error("Accept-Language en did not give an English page")
	}
	zh := newBrowser(t, "")
	if _, body := zh.get("/login"); !strings.Contains(body, `<html lang="zh-CN">`) {
		t.Error("the default is not zh-CN")
	}
	if _, body := zh.get("/login?lang=en"); !strings.Contains(body, `<html lang="en">`) {
		t.Error("?lang=en did not switch")
	}
	if _, body := zh.get("/login"); !strings.Contains(body, `<html lang="en">`) {
		t.Error("the language choice was not remembered")
	}
	if _, body := first.get("/login?lang=zh-CN"); !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "登录") {
		t.Error("?lang=zh-CN did not switch back")
	}
}

var h1s = regexp.MustCompile(`<h1[ >]`)

// TestPagesRender opens every page of every role in both languages: each
// answers 200 with one h1, the page's lang, and no missing message.
func TestPagesRender(t *testing.T) {
	t.Parallel()
	trainingWorld(t)
	pages := map[string][]string{
		"":          {"/login", "/settings"},
		"couns-x":   {"/", "/seekers", "/seekers?q=测试&status=seeking", "/seekers/s-x", "/seekers/s-x/edit", "/seekers/s-x/matches", "/seekers/s-x/matches?type=classes", "/seekers/s-x/gaps", "/posts", "/posts/p-1", "/posts/p-1/candidates", "/settings", "/seekers/s-x/courses", "/inbox", "/reports/kpis", "/reports/kpis?street=xujiahui", "/employers/e-2/quota", "/followups", "/seekers/s-x/referrals"},
		"emp1":      {"/", "/posts", "/posts/new", "/posts/p-1", "/posts/p-1/edit", "/posts/p-1/candidates", "/employers/e-1/quota", "/employers/e-1/quota?year=2024", "/referrals"},
		"trainee-x": {"/", "/seekers/s-x", "/seekers/s-x/matches", "/seekers/s-x/gaps", "/seekers/s-x/courses"},
		"prov1":     {"/"},
		"admin":     {"/", "/admin/users", "/admin/users/new", "/admin/users/u-cx", "/admin/skills", "/admin/skills/data-entry", "/admin/audit", "/admin/schedules", "/seekers", "/posts/new", "/inbox", "/seekers/s-none"},
	}
	for _, lang := range []string{"zh-CN", "en"} {
		for user, paths := range pages {
			b := newBrowser(t, "")
			b.get("/login?lang=" + lang)
			if user != "" {
				b.login(user)
			}
			for _, p := range paths {
				res, body := b.get(p)
				want := http.StatusOK
				if strings.Contains(p, "s-none") {
					want = http.StatusNotFound
				}
				if res.StatusCode != want {
					t.Errorf("%s %q %s: status %d", lang, user, p, res.StatusCode)
				}
				if strings.Contains(body, "[[missing:") {
					t.Errorf("%s %q %s: a message is missing: %s", lang, user, p, regexp.MustCompile(`\[\[missing:[^\]]*`).FindString(body))
				}
				if n := len(h1s.FindAllString(body, -1)); n != 1 {
					t.Errorf("%s %q %s: %d h1 elements", lang, user, p, n)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s %q %s: wrong lang attribute", lang, user, p)
				}
			}
		}
	}
}

func TestSeekerEditForm(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, "").login("couns-x")
	_, page := b.get("/seekers/s-x/edit")
	form := formValues(page)
	form.Set("mobility.maxCommuteMinutes", "a lot")
	form.Set("preferences.maxWeeklyHours", "99")
	res, body := b.do("POST", "/seekers/s-x/edit", form)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid form: got %d, want 400", res.StatusCode)
	}
	for _, field := range []string{"f-mobility-maxCommuteMinutes", "f-preferences-maxWeeklyHours"} {
		if !strings.Contains(body, `id="`+field+`-error"`) {
			t.Errorf("no message beside %s", field)
		}
		if !regexp.MustCompile(`id="` + field + `"[^>]*aria-describedby="[^"]*` + field + `-error"`).MatchString(body) {
			t.Errorf("%s is not described by its message", field)
		}
	}
	if !strings.Contains(body, `value="a lot"`) {
		t.Error("the form lost what was typed")
	}
	form = formValues(page)
	form.Set("preferences.minMonthlyWage", "4321")
	res, _ = b.do("POST", "/seekers/s-x/edit", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid form: got %d", res.StatusCode)
	}
	_, body = b.get(res.Header.Get("Location"))
	if !strings.Contains(body, "4,321") {
		t.Error("the change was not saved or not shown")
	}
}

func TestEmployerCreatesPost(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, "").login("emp1")
	_, page := b.get("/posts/new")
	form := formValues(page)
	form.Set("title", "页面测试岗位 Page test post")
	form.Set("site.lat", "31.19")
	form.Set("site.lon", "121.44")
	form.Set("monthlyWage", "6000")
	form.Add("accommodations", "screen-reader")
	form.Set("site.stepFree", "on")
	stateDemands(form, "1")
	res, body := b.do("POST", "/posts/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	_, body = b.get(res.Header.Get("Location"))
	if !strings.Contains(body, "页面测试岗位") || !strings.Contains(body, "读屏软件") {
		t.Error("the new post does not show what was entered")
	}
	// The next new post starts at the same workplace.
	if _, body := b.get("/posts/new"); !strings.Contains(body, `name="site.lat" value="31.19`) {
		t.Error("a new post does not start from the employer's last site")
	}
	form.Set("title", "")
	if res, body := b.do("POST", "/posts/new", form); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-title-error"`) {
		t.Errorf("an empty title: %d, message beside the field: %v", res.StatusCode, strings.Contains(body, `id="f-title-error"`))
	}
}

// editFormOf stores a record, logs user in, and reads the record's edit form
// at path as a browser would submit it.
func editFormOf(t *testing.T, user string, kind engine.Kind, r engine.Record, path string) (*browser, url.Values) {
	t.Helper()
	if err := shared.svc.Create(context.Background(), kind, r); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, "").login(user)
	_, page := b.get(path)
	return b, formValues(page)
}

// stateDemands chooses every one of the eleven demands of a post form.
func stateDemands(form url.Values, level string) {
	for _, dim := range engine.Dimensions {
		form.Set("demands."+dim, level)
	}
}

var (
	inputRe    = regexp.MustCompile(`<input([^>]*)>`)
	selectRe   = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	attrRe     = regexp.MustCompile(`(\w[\w-]*)="([^"]*)"`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads the values a browser would submit from the page's forms.
func formValues(page string) url.Values {
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(page, -1) {
		a := map[string]string{}
		for _, kv := range attrRe.FindAllStringSubmatch(m[1], -1) {
			a[kv[1]] = kv[2]
		}
		if a["name"] == "" {
			continue
		}
		checkable := a["type"] == "checkbox" || a["type"] == "radio"
		if checkable && !strings.Contains(m[1], " checked") {
			continue
		}
		v.Add(a["name"], htmlUnescape(a["value"]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(page, -1) {
		if s := selectedRe.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], htmlUnescape(s[1]))
		}
	}
	for _, m := range textareaRe.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

// xapiProgress is an xAPI statement that a trainee progressed through a module.
func xapiProgress(id, seekerID, classID, moduleID string, progress int) []byte {
	return []byte(fmt.Sprintf(`{"id": %q, "actor": {"objectType": "Agent", "account": {"homePage": "https://jobbridge.example", "name": %q}},
		"verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"},
		"object": {"id": %q},
		"result": {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": %d}}}`,
		id, seekerID, engine.ModuleActivity(classID, moduleID), progress))
}

// postStatement sends an xAPI statement to the API with a bearer token, as a learning platform does.
func postStatement(t testing.TB, base, token string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/xapi/statements", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("xAPI statement: %d %s", res.StatusCode, out)
	}
}

// courseProgress reads the value of the progress bar of the course titled title.
func courseProgress(t testing.TB, page, title string) string {
	t.Helper()
	i := strings.Index(page, title)
	if i < 0 {
		t.Fatalf("no course %q on the page", title)
	}
	m := regexp.MustCompile(`<progress [^>]*value="([^"]*)"`).FindStringSubmatch(page[i:])
	if m == nil {
		t.Fatalf("no progress bar for %q", title)
	}
	return m[1]
}

func TestSeekerCourses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cl := &engine.Class{Meta: engine.Meta{ID: "c-pages"}, Title: "页面测试班 Pages class", Provider: "测试培训中心",
		Skills: []engine.SkillLevel{{Code: "data-entry", Level: 3}}, Mode: "onsite",
		Site: engine.Site{Lat: 31.195, Lon: 121.437, StepFree: true}, Seats: 5, Starts: "2026-01-05", Ends: "2027-06-30",
		Modules:    []engine.Module{{ID: "m1", Title: "键盘入门", Required: true}, {ID: "m2", Title: "表格录入", Required: true}},
		Completion: engine.Completion{MinProgress: 80, PassScore: 0.6}}
	if err := shared.svc.Create(ctx, engine.KindClass, cl); err != nil {
		t.Fatal(err)
	}
	if _, err := shared.svc.Enroll(ctx, &engine.Enrollment{SeekerID: "s-x", ClassID: "c-pages"}, "u-cx"); err != nil {
		t.Fatal(err)
	}
	trainee := newBrowser(t, "").login("trainee-x")
	_, body := trainee.get("/seekers/s-x/courses")
	if got := courseProgress(t, body, "页面测试班"); got != "0" {
		t.Fatalf("a new course shows progress %s", got)
	}
	postStatement(t, shared.srv.URL, shared.token(t, "trainee-x"), xapiProgress("7d3c6a52-8c1e-4b7e-9a61-5f0d2e4b9c10", "s-x", "c-pages", "m1", 60))
	_, body = trainee.get("/seekers/s-x/courses")
	if got := courseProgress(t, body, "页面测试班"); got != "30" || !strings.Contains(body, "已完成 30.0%") {
		t.Errorf("progress after a statement (60%% of one of two modules) is %s, not 30", got)
	}
	if res, _ := trainee.get("/seekers/s-h/courses"); res.StatusCode != http.StatusNotFound {
		t.Errorf("another trainee's courses: %d", res.StatusCode)
	}
	if res, _ := newBrowser(t, "").login("emp1").get("/seekers/s-x/courses"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an employer on a trainee's courses: %d", res.StatusCode)
	}
	if res, body := newBrowser(t, "").login("couns-x").get("/seekers/s-x/courses"); res.StatusCode != http.StatusOK || !strings.Contains(body, "页面测试班") {
		t.Errorf("the counsellor does not see the courses: %d", res.StatusCode)
	}

	// The trainee withdraws through the course's form; the seat goes back.
	en, ok := enrollmentOf(shared.svc, "s-x", "c-pages")
	if !ok {
		t.Fatal("no enrollment of s-x in c-pages")
	}
	form := "/enrollments/" + en + "/withdraw"
	if !strings.Contains(body, `action="`+form+`"`) {
		t.Fatalf("the course has no withdraw form")
	}
	if res, _ := newBrowser(t, "").login("couns-h").post("/", form, url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another street's counsellor withdrawing: %d", res.StatusCode)
	}
	res, _ := trainee.post("/seekers/s-x/courses", form, url.Values{})
	if to := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || to != "/seekers/s-x/courses?done=withdrawn#course-"+en {
		t.Fatalf("withdraw: %d to %q", res.StatusCode, to)
	}
	_, body = trainee.get("/seekers/s-x/courses?done=withdrawn")
	if !strings.Contains(body, "已退出该课程") || strings.Contains(body, `action="`+form+`"`) {
		t.Errorf("after withdrawing: no notice, or the form is still there")
	}
	var after engine.Class
	if err := shared.store.Get(ctx, engine.KindClass, "c-pages", &after); err != nil || after.SeatsTaken != 0 {
		t.Errorf("seats taken after the withdrawal: %d (%v)", after.SeatsTaken, err)
	}
	if res, _ := trainee.post("/seekers/s-x/courses", form, url.Values{}); res.StatusCode != http.StatusConflict {
		t.Errorf("withdrawing twice: %d", res.StatusCode)
	}
	_, body = newBrowser(t, "").login("couns-x").get("/inbox")
	if !strings.Contains(body, "退出了「页面测试班") {
		t.Errorf("the counsellor's inbox does not name the withdrawal")
	}
}

// enrollmentOf finds a seeker's enrollment in a class.
func enrollmentOf(svc *engine.Service, seeker, class string) (string, bool) {
	for _, v := range svc.Enrollments(func(v *engine.EnrollmentView) bool { return v.SeekerID == seeker && v.ClassID == class }) {
		return v.ID, true
	}
	return "", false
}

func TestSchedulesPage(t *testing.T) {
	t.Parallel()
	trainingWorld(t)
	admin := newBrowser(t, "").login("admin")
	res, body := admin.get("/admin/schedules")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `action="/admin/schedules/training-outcomes/run"`) {
		t.Fatalf("schedules page: %d", res.StatusCode)
	}
	if res, _ := admin.do("POST", "/admin/schedules/training-outcomes/run", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("run without a CSRF token: %d", res.StatusCode)
	}
	res, _ = admin.post("/admin/schedules", "/admin/schedules/training-outcomes/run", url.Values{})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/schedules?done=ran") {
		t.Fatalf("run now: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = admin.get(res.Header.Get("Location"))
	if !strings.Contains(body, "手动") || !strings.Contains(body, "任务已运行") {
		t.Error("the manual run is not listed")
	}
	if res, _ := admin.post("/admin/schedules", "/admin/schedules/nope/run", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("running an unknown job: %d", res.StatusCode)
	}
	if res, _ := newBrowser(t, "").login("couns-x").get("/admin/schedules"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a counsellor on the schedules: %d", res.StatusCode)
	}
}

func TestQuotaPage(t *testing.T) {
	t.Parallel()
	q, err := shared.svc.Quota("e-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, body := newBrowser(t, "").login("emp1").get("/employers/e-1/quota")
	for _, why := range q.Why {
		if !strings.Contains(html.UnescapeString(body), why.Zh) {
			t.Errorf("the worked calculation lacks %q", why.Zh)
		}
	}
	if res, _ := newBrowser(t, "").login("emp1").get("/employers/e-1/quota?year=2010"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a year without a policy: %d", res.StatusCode)
	}
}

func TestKPIPage(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, "").login("couns-x")
	_, body := b.get("/reports/kpis?from=2026-01-01&to=2026-12-31")
	if n := strings.Count(body, `<svg class="bars" role="img"`); n != len(engine.KPIKeys) {
		t.Errorf("%d charts, want %d", n, len(engine.KPIKeys))
	}
	if n := strings.Count(body, "<caption id=\"kpi-"); n != len(engine.KPIKeys) {
		t.Errorf("%d data tables, want %d", n, len(engine.KPIKeys))
	}
	if n := strings.Count(body, `href="/reports/kpis.csv?`); n != len(engine.KPIKeys)+1 {
		t.Errorf("%d CSV links, want %d", n, len(engine.KPIKeys)+1)
	}
	res, csvBody := b.get("/reports/kpis.csv?from=2026-01-01&to=2026-12-31&key=employmentQ2")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 1+1+len(engine.StreetCodes) || rows[1][4] != "employmentQ2" {
		t.Errorf("csv rows %d (%v): %v", len(rows), err, rows[:min(2, len(rows))])
	}
	if res, body := b.get("/reports/kpis?from=2026-12-31&to=2026-01-01"); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-to-error"`) {
		t.Errorf("a period that ends before it starts: %d", res.StatusCode)
	}
}

func TestReferralPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sk := testSeeker("s-pg", "xujiahui", 77)
	p := testPost("p-pg", "e-1", "页面推荐测试岗位 Referral page post")
	p.Site.Lat, p.Site.Lon = sk.Home.Lat, sk.Home.Lon // the nearest post: first among equal scores
	if err := shared.svc.Create(ctx, engine.KindSeeker, sk); err != nil {
		t.Fatal(err)
	}
	if err := shared.svc.Create(ctx, engine.KindPost, p); err != nil {
		t.Fatal(err)
	}
	couns := newBrowser(t, "").login("couns-x")
	_, body := couns.get("/seekers/s-pg/matches")
	if !strings.Contains(body, `action="/seekers/s-pg/refer"`) || !strings.Contains(body, `name="postId" value="p-pg"`) {
		t.Fatal("the matches page offers no referral to p-pg")
	}
	if res, _ := couns.do("POST", "/seekers/s-pg/refer", url.Values{"postId": {"p-pg"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("refer without a CSRF token: %d", res.StatusCode)
	}
	res, _ := couns.post("/seekers/s-pg/matches", "/seekers/s-pg/refer", url.Values{"postId": {"p-pg"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/seekers/s-pg/referrals?done=referred") {
		t.Fatalf("refer: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := newBrowser(t, "").login("couns-h").post("/", "/seekers/s-pg/refer", url.Values{"postId": {"p-pg"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another street's counsellor refers: %d", res.StatusCode)
	}

	emp := newBrowser(t, "").login("emp1")
	_, body = emp.get("/referrals")
	if !strings.Contains(body, "页面推荐测试岗位") || strings.Contains(body, sk.Name) || strings.Contains(body, "s-pg") {
		t.Fatal("the employer's referral is missing or not anonymous")
	}
	id := regexp.MustCompile(`action="/referrals/([^"/]+)/move"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no move form")
	}
	if strings.Contains(body, `value="withdrawn"`) {
		t.Error("an employer is offered a withdrawal")
	}
	if res, _ := newBrowser(t, "").login("emp2").post("/", "/referrals/"+id[1]+"/move", url.Values{"status": {"interviewing"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another employer moves the referral: %d", res.StatusCode)
	}
	if res, _ := emp.post("/referrals", "/referrals/"+id[1]+"/move", url.Values{"status": {"withdrawn"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the employer withdraws: %d", res.StatusCode)
	}
	res, _ = emp.post("/referrals", "/referrals/"+id[1]+"/move", url.Values{"status": {"interviewing"}, "note": {"周三面试"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move to interviewing: %d", res.StatusCode)
	}
	res, body = emp.post("/referrals", "/referrals/"+id[1]+"/move", url.Values{"status": {"hired"}, "start": {"someday"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-`+id[1]+`-start-error"`) {
		t.Errorf("a hire without a start date: %d, message beside the field: %v", res.StatusCode, strings.Contains(body, "-start-error"))
	}
	_, body = couns.get("/seekers/s-pg/referrals")
	if !strings.Contains(body, "面试中") || !strings.Contains(body, "周三面试") {
		t.Error("the counsellor does not see the employer's move")
	}
	if res, _ := newBrowser(t, "").login("couns-x").get("/followups"); res.StatusCode != http.StatusOK {
		t.Errorf("follow-up worklist: %d", res.StatusCode)
	}
}

// TestEditFormConflict: a form saved after someone else saved the record is
// shown again (409) with what was typed, instead of undoing their change;
// saving it again is then a decision, and goes through.
func TestEditFormConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, form := editFormOf(t, "couns-x", engine.KindSeeker, testSeeker("s-edit", "xujiahui", 88), "/seekers/s-edit/edit")
	if form.Get("rev") == "" {
		t.Fatal("the edit form carries no rev")
	}
	// Someone saves the file through the API meanwhile.
	if res, out := shared.do(t, "admin", "PATCH", "/api/v1/seekers/s-edit", `{"preferences":{"minMonthlyWage":5555,"maxWeeklyHours":40}}`); res.StatusCode != 200 {
		t.Fatalf("PATCH: %d %s", res.StatusCode, out)
	}
	form.Set("preferences.minMonthlyWage", "4321")
	res, body := b.do("POST", "/seekers/s-edit/edit", form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被其他人或系统修改") || !strings.Contains(body, `value="4321"`) {
		t.Fatalf("stale form: got %d, want 409 with the message and what was typed", res.StatusCode)
	}
	var now engine.Seeker
	if err := shared.store.Get(ctx, engine.KindSeeker, "s-edit", &now); err != nil || now.Preferences.MinMonthlyWage != 5555 {
		t.Fatalf("the stale form overwrote the change: %d (%v)", now.Preferences.MinMonthlyWage, err)
	}
	res, _ = b.do("POST", "/seekers/s-edit/edit", formValues(body))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving again: got %d", res.StatusCode)
	}
	if err := shared.store.Get(ctx, engine.KindSeeker, "s-edit", &now); err != nil || now.Preferences.MinMonthlyWage != 4321 {
		t.Fatalf("after saving again: %d (%v)", now.Preferences.MinMonthlyWage, err)
	}
}
