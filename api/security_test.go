package api_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/engine/store"
)

// TestForgedSessionRefused: a process that reaches the database and writes a
// session for the admin cannot use it. The stored id is an HMAC of the token
// keyed with the server's secret, which the database does not hold; the id
// forms an intruder can compute (the token itself, its SHA-256 as before)
// open nothing.
func TestForgedSessionRefused(t *testing.T) {
	t.Parallel()
	e := shared
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(e.db.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	sessions := client.Database(store.DefaultDatabase).Collection("sessions")

	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	sum := sha256.Sum256([]byte(token))
	for _, id := range []string{hex.EncodeToString(sum[:]), token} {
		_, err := sessions.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "userId", Value: "u-admin"},
			{Key: "createdAt", Value: time.Now()}, {Key: "updatedAt", Value: time.Now()},
			{Key: "expiresAt", Value: time.Now().Add(time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	res, body := e.doWith(t, "", "GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer " + token})
	if res.StatusCode != 401 {
		t.Fatalf("a session inserted into the database was accepted: %d %s", res.StatusCode, body)
	}

	// A real login's session is stored under neither form.
	tok := e.token(t, "admin")
	sum = sha256.Sum256([]byte(tok))
	for _, id := range []string{hex.EncodeToString(sum[:]), tok} {
		if n, err := sessions.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}); err != nil || n != 0 {
			t.Errorf("a login's session is stored under an id computable without the key (%d, %v)", n, err)
		}
	}
}

// secondCounsellor adds couns-x2, a second counsellor of xujiahui, once.
var secondCounsellor sync.Once

func mustSecondCounsellor(t *testing.T) {
	t.Helper()
	secondCounsellor.Do(func() {
		hash, err := api.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		u := &engine.User{Meta: engine.Meta{ID: "u-cx2"}, Username: "couns-x2", Role: engine.RoleCounsellor, Street: "xujiahui", PasswordHash: hash}
		if err := shared.svc.Create(context.Background(), engine.KindUser, u); err != nil {
			t.Fatal(err)
		}
	})
}

// storedSeeker reads a seeker file straight from the store.
func storedSeeker(t *testing.T, id string) *engine.Seeker {
	t.Helper()
	var sk engine.Seeker
	if err := shared.store.Get(context.Background(), engine.KindSeeker, id, &sk); err != nil {
		t.Fatal(err)
	}
	return &sk
}

// mustNotBeStored fails when a seeker with the resident ID is stored (a
// count would race the other tests' creates).
func mustNotBeStored(t *testing.T, residentID string) {
	t.Helper()
	if id, err := shared.store.SeekerIDByResidentID(context.Background(), residentID); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("a refused create stored seeker %q (%v)", id, err)
	}
}

// TestCounsellorAssignment: counsellorId decides who sees the plain resident
// ID, so only an admin or the file's own counsellor may change it, and only
// to a counsellor who works the seeker's street (or the whole district).
func TestCounsellorAssignment(t *testing.T) {
	t.Parallel()
	e := shared
	mustSecondCounsellor(t)
	id := mustOutcomeSeeker(t, "xujiahui", nil) // counsellor u-cx
	plain := storedSeeker(t, id).ResidentID
	path := "/api/v1/seekers/" + id

	// Another counsellor of the street may not take the file (and see the plain ID).
	res, body := e.do(t, "couns-x2", "PATCH", path, `{"counsellorId":"u-cx2"}`)
	if res.StatusCode != 403 || !slices.Contains(errorFields(body), "counsellorId") || strings.Contains(string(body), plain) {
		t.Errorf("couns-x2 takes the file: %d %s", res.StatusCode, body)
	}
	if got := storedSeeker(t, id).CounsellorID; got != "u-cx" {
		t.Fatalf("counsellorId is %q after a refused PATCH", got)
	}

	// The own counsellor may hand the file over only to a real counsellor of the street.
	for _, bad := range []string{"u-made-up", "u-ch", "u-e1", "u-admin", "Robert'); DROP"} {
		res, body := e.do(t, "couns-x", "PATCH", path, map[string]string{"counsellorId": bad})
		if res.StatusCode != 400 || !slices.Contains(errorFields(body), "counsellorId") {
			t.Errorf("counsellorId %q: %d %s", bad, res.StatusCode, body)
		}
	}
	if got := storedSeeker(t, id).CounsellorID; got != "u-cx" {
		t.Fatalf("counsellorId is %q after refused PATCHes", got)
	}
	res, body = e.do(t, "couns-x", "PATCH", path, `{"counsellorId":"u-cx2"}`)
	if res.StatusCode != 200 || strings.Contains(string(body), plain) {
		t.Fatalf("handing over to couns-x2: %d %s", res.StatusCode, body)
	}
	res, body = e.do(t, "couns-x2", "GET", path, nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), plain) {
		t.Errorf("the new counsellor does not see the plain ID: %d %s", res.StatusCode, body)
	}

	// An admin assigns any counsellor who works the street, district-wide ones too.
	res, body = e.do(t, "admin", "PATCH", path, `{"counsellorId":"u-ch"}`)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "counsellorId") {
		t.Errorf("admin assigns huajing's counsellor to a xujiahui file: %d %s", res.StatusCode, body)
	}
	res, body = e.do(t, "admin", "PATCH", path, `{"counsellorId":"u-call"}`)
	if res.StatusCode != 200 {
		t.Errorf("admin assigns the district-wide counsellor: %d %s", res.StatusCode, body)
	}

	// A new file may be assigned only to a counsellor of its street.
	n := int(outcomeIDs.Add(1))
	m := seekerJSON(0)
	m["residentId"] = residentID("19770707", n)
	m["certificate"] = m["residentId"].(string) + "42"
	m["counsellorId"] = "u-nobody"
	res, body = e.do(t, "couns-x", "POST", "/api/v1/seekers", m)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "counsellorId") {
		t.Errorf("create with a made-up counsellorId: %d %s", res.StatusCode, body)
	}
	mustNotBeStored(t, m["residentId"].(string))
}

// TestErasedIsNotWritable: erasure happens through DELETE only and is final.
func TestErasedIsNotWritable(t *testing.T) {
	t.Parallel()
	e := shared
	n := int(outcomeIDs.Add(1))
	m := seekerJSON(0)
	m["residentId"] = residentID("19770707", n)
	m["certificate"] = m["residentId"].(string) + "42"
	m["erased"] = true
	res, body := e.do(t, "couns-x", "POST", "/api/v1/seekers", m)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "erased") {
		t.Errorf("create with erased: %d %s", res.StatusCode, body)
	}
	mustNotBeStored(t, m["residentId"].(string))

	id := mustOutcomeSeeker(t, "xujiahui", nil)
	path := "/api/v1/seekers/" + id
	res, body = e.do(t, "couns-x", "PATCH", path, `{"erased":true}`)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "erased") {
		t.Errorf("PATCH erased true: %d %s", res.StatusCode, body)
	}
	if storedSeeker(t, id).Erased {
		t.Fatal("PATCH erased the file")
	}
	if res, body := e.do(t, "couns-x", "DELETE", path, nil); res.StatusCode != 200 {
		t.Fatalf("erase: %d %s", res.StatusCode, body)
	}
	restore := seekerJSON(0) // a whole valid file: nothing but erased could refuse it
	restore["residentId"] = residentID("19770707", int(outcomeIDs.Add(1)))
	restore["certificate"] = restore["residentId"].(string) + "42"
	restore["erased"] = false
	whole, _ := json.Marshal(restore)
	for _, who := range []string{"couns-x", "admin"} {
		for _, patch := range []string{`{"erased":false}`, string(whole), `{"name":"复原"}`} {
			res, body := e.do(t, who, "PATCH", path, patch)
			if res.StatusCode != 400 || !slices.Contains(errorFields(body), "erased") {
				t.Errorf("%s PATCH %s on an erased file: %d %s", who, patch, res.StatusCode, body)
			}
		}
	}
	if sk := storedSeeker(t, id); !sk.Erased || sk.Name != "（已删除）" {
		t.Errorf("the erased file was restored: %+v", sk)
	}
}

// TestTakenResidentID: a duplicate resident ID says it is registered and whom
// to ask, without naming a seeker the counsellor may not know exists.
func TestTakenResidentID(t *testing.T) {
	t.Parallel()
	e := shared
	other := mustOutcomeSeeker(t, "huajing", nil)
	m := seekerJSON(0)
	m["residentId"] = storedSeeker(t, other).ResidentID
	m["certificate"] = m["residentId"].(string) + "42"
	res, body := e.do(t, "couns-x", "POST", "/api/v1/seekers", m)
	if res.StatusCode != 409 || strings.Contains(string(body), other) || !strings.Contains(string(body), "admin") ||
		!slices.Contains(errorFields(body), "residentId") {
		t.Errorf("counsellor creates a duplicate: %d %s", res.StatusCode, body)
	}
	m["street"] = "huajing"
	res, body = e.do(t, "admin", "POST", "/api/v1/seekers", m)
	if res.StatusCode != 409 || !strings.Contains(string(body), other) {
		t.Errorf("admin creates a duplicate: %d %s (an admin may be told which file holds it)", res.StatusCode, body)
	}
}

// TestEmployerReferralShowsRoles: an employer sees who moved a referral by
// role, never by user id (a counsellor's id names the seeker's street).
func TestEmployerReferralShowsRoles(t *testing.T) {
	t.Parallel()
	e := shared
	r := mustRefer(t, mustOutcomeSeeker(t, "xujiahui", nil), mustOutcomePost(t, 3, nil), engine.ReferralInterviewing)
	for _, path := range []string{"/api/v1/referrals/" + r.ID, "/api/v1/referrals?limit=200"} {
		res, body := e.do(t, "emp1", "GET", path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		for _, id := range []string{"u-cx", "u-e1", `"by"`} {
			if strings.Contains(string(body), id) {
				t.Errorf("%s shows the employer %s", path, id)
			}
		}
		if !strings.Contains(string(body), `"role":"counsellor"`) {
			t.Errorf("%s lost the roles: %s", path, body)
		}
	}
	res, body := e.do(t, "couns-x", "GET", "/api/v1/referrals/"+r.ID, nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), `"by":"u-cx"`) {
		t.Errorf("the counsellor's view lost who moved it: %d %s", res.StatusCode, body)
	}
}

// TestAPIResponsesAreNotStored: every API answer (personal data or an error
// about it) tells caches not to keep it.
func TestAPIResponsesAreNotStored(t *testing.T) {
	t.Parallel()
	e := shared
	for _, rq := range []struct{ user, method, path, body string }{
		{"", "POST", "/api/v1/auth/login", `{"username":"couns-x","password":"` + testPassword + `"}`},
		{"", "GET", "/api/v1/me", ""},
		{"couns-x", "GET", "/api/v1/seekers/s-x", ""},
		{"couns-x", "GET", "/api/v1/seekers?limit=5", ""},
		{"couns-x", "GET", "/api/v1/seekers/s-nope", ""},
		{"emp1", "GET", "/api/v1/referrals", ""},
	} {
		res, _ := e.doWith(t, rq.user, rq.method, rq.path, rq.body, nil)
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s %s (%d): Cache-Control %q", rq.method, rq.path, res.StatusCode, got)
		}
	}
}

// TestSeekerEditFormGuards: the pages' edit form goes through the same rules
// as PATCH: a district-wide counsellor cannot move a file away from the
// street its counsellor works, and an erased file's form is refused.
func TestSeekerEditFormGuards(t *testing.T) {
	t.Parallel()
	id := mustOutcomeSeeker(t, "xujiahui", nil) // counsellor u-cx works xujiahui
	b := newBrowser(t, "en").login("couns-all")
	_, page := b.get("/seekers/" + id + "/edit")
	form := formValues(page)
	form.Set("street", "huajing")
	res, body := b.do("POST", "/seekers/"+id+"/edit", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-street-error"`) {
		t.Errorf("moving the file off its counsellor's street: %d", res.StatusCode)
	}
	if got := storedSeeker(t, id).Street; got != "xujiahui" {
		t.Fatalf("the refused form moved the file to %s", got)
	}

	if res, body := shared.do(t, "admin", "DELETE", "/api/v1/seekers/"+id, nil); res.StatusCode != 200 {
		t.Fatalf("erase: %d %s", res.StatusCode, body)
	}
	form.Set("street", "xujiahui")
	form.Set("name", "复原")
	form.Set("rev", fmt.Sprint(storedSeeker(t, id).Rev)) // as if the form were shown after the erasure
	res, _ = b.do("POST", "/seekers/"+id+"/edit", form)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("saving an erased file's form: %d", res.StatusCode)
	}
	if sk := storedSeeker(t, id); !sk.Erased || sk.Name == "复原" {
		t.Errorf("the erased file was edited: %+v", sk)
	}
}

// manualClock is a clock the test moves.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *manualClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestLoginThrottled: over HTTP, on a server of its own (its own limits and
// clock): failures past the free ones answer 429 with Retry-After, even for
// the right password, until the lock ends; X-Forwarded-For from a client that
// is no trusted proxy does not move the address; the login page says so in
// the visitor's language.
func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	clock := &manualClock{now: time.Now()}
	srv := httptest.NewServer(api.New(api.Config{Service: shared.svc, Matcher: shared.matcher, Clock: clock,
		Login: api.LoginLimits{AccountFree: 3, AddressBurst: 100}}).Handler())
	defer srv.Close()
	login := func(pw, forwarded string) *http.Response { return loginAs(t, srv.URL, "couns-h", pw, forwarded) }
	for i := range 4 { // 3 free, the 4th sets a 1 s lock
		if res := login("wrong-password", fmt.Sprintf("192.0.2.%d", i)); res.StatusCode != 401 {
			t.Fatalf("failure %d: %d", i+1, res.StatusCode)
		}
	}
	for _, pw := range []string{"wrong-password", testPassword} {
		res := login(pw, "192.0.2.99")
		if res.StatusCode != 429 || res.Header.Get("Retry-After") != "1" {
			t.Errorf("locked, password %q: %d Retry-After %q", pw, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	clock.add(time.Second)
	if res := login(testPassword, ""); res.StatusCode != 200 {
		t.Fatalf("after the lock, the right password: %d", res.StatusCode)
	}

	// The page: a locked account's form answers 429 and says how long to
	// wait (an account that never logged in from here: the address of a
	// success is not held by the account's lock).
	for range 5 {
		loginAs(t, srv.URL, "couns-all", "wrong-password", "")
	}
	b := newBrowser(t, "zh-CN")
	b.base = srv.URL
	res, body := b.post("/login", "/login", url.Values{"username": {"couns-all"}, "password": {testPassword}, "next": {"/"}})
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "登录失败次数过多") {
		t.Errorf("locked page login: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// loginAs posts a login to the server at base, with an X-Forwarded-For header unless forwarded is empty.
func loginAs(t *testing.T, base, username, pw, forwarded string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": pw})
	req, _ := http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// TestCoordinatesMustBeFinite: NaN and infinities are refused with 400 naming
// the field wherever a coordinate or distance enters (they passed the range
// checks, which NaN never fails, and answered 500).
func TestCoordinatesMustBeFinite(t *testing.T) {
	t.Parallel()
	e := shared
	for _, path := range []string{"/api/v1/search?type=posts", "/api/v1/seekers?", "/api/v1/posts?", "/api/v1/search?type=seekers"} {
		for _, near := range []string{"NaN,NaN", "31.2,NaN", "NaN,121.4", "Inf,121.4", "31.2,-Inf", "+Inf,+Inf", "31.2,121.4&km=NaN", "31.2,121.4&km=Inf"} {
			res, body := e.do(t, "couns-x", "GET", path+"&near="+near, nil)
			field := "near"
			if strings.Contains(near, "km=") {
				field = "km"
			}
			if res.StatusCode != 400 || !slices.Contains(errorFields(body), field) {
				t.Errorf("%s near=%s: %d %s", path, near, res.StatusCode, body)
			}
		}
	}
	// The pages' seeker form parses numbers itself.
	id := mustOutcomeSeeker(t, "xujiahui", nil)
	b := newBrowser(t, "en").login("couns-x")
	_, page := b.get("/seekers/" + id + "/edit")
	for _, v := range []string{"NaN", "Inf", "-Inf"} {
		form := formValues(page)
		form.Set("home.lat", v)
		res, body := b.do("POST", "/seekers/"+id+"/edit", form)
		if res.StatusCode != 400 || !strings.Contains(body, `id="f-home-lat-error"`) {
			t.Errorf("home.lat=%s in the form: %d", v, res.StatusCode)
		}
	}
	if lat := storedSeeker(t, id).Home.Lat; lat != 31.19 {
		t.Errorf("home.lat stored as %v", lat)
	}
}

// TestTextHygiene: names and titles refuse control, bidirectional and
// invisible characters; no text takes NUL or invalid UTF-8 (it was silently
// replaced); nesting and string sizes are bounded in every body, xAPI's
// free-form context included. Each answers 400 naming the field and writes
// nothing.
func TestTextHygiene(t *testing.T) {
	t.Parallel()
	e := shared
	post := func(title string) string {
		p := testPost("", "e-1", title)
		p.Description = "测试"
		b, _ := json.Marshal(p)
		var m map[string]any
		json.Unmarshal(b, &m)
		for _, k := range []string{"id", "createdAt", "updatedAt", "rev"} {
			delete(m, k)
		}
		b, _ = json.Marshal(m)
		return string(b)
	}
	for _, tc := range []struct{ name, title, field string }{
		{"NUL", "面点师\x00", "title"},
		{"bell", "面点师\a", "title"},
		{"newline in a title", "面点师\n招聘", "title"},
		{"right-to-left override", "面点师\u202egnp.exe", "title"},
		{"isolate", "面点师\u2066x\u2069", "title"},
		{"zero-width space", "面点\u200b师", "title"},
		{"zero-width joiner", "面点\u200d师", "title"},
		{"byte-order mark", "\ufeff面点师", "title"},
		{"too long", strings.Repeat("长", MaxJSONStringForTest()), "title"},
	} {
		res, body := e.do(t, "emp1", "POST", "/api/v1/posts", post(tc.title))
		if res.StatusCode != 400 || !slices.Contains(errorFields(body), tc.field) {
			t.Errorf("%s: %d %s", tc.name, res.StatusCode, body)
		}
	}
	// Invalid UTF-8 is refused, not replaced with U+FFFD.
	raw := strings.Replace(post("面点师XX"), "XX", "\xff\xfe", 1)
	res, body := e.do(t, "emp1", "POST", "/api/v1/posts", raw)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "title") {
		t.Errorf("invalid UTF-8: %d %s", res.StatusCode, body)
	}
	// A description may hold line breaks, not a NUL.
	res, body = e.do(t, "emp1", "POST", "/api/v1/posts", strings.Replace(post("面点师"), `"测试"`, `"第一行\n第二行\u0000"`, 1))
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "description") {
		t.Errorf("NUL in a description: %d %s", res.StatusCode, body)
	}
	res, body = e.do(t, "emp1", "POST", "/api/v1/posts", strings.Replace(post("面点师 Pastry cook 🧁"), `"测试"`, `"第一行\n第二行"`, 1))
	if res.StatusCode != 201 {
		t.Errorf("a clean post with lines in its description: %d %s", res.StatusCode, body)
	}
	// A seeker's name through the API.
	m := seekerJSON(0)
	m["residentId"] = residentID("19660606", int(outcomeIDs.Add(1)))
	m["certificate"] = m["residentId"].(string) + "42"
	m["name"] = "王\u202e芳"
	res, body = e.do(t, "couns-x", "POST", "/api/v1/seekers", m)
	if res.StatusCode != 400 || !slices.Contains(errorFields(body), "name") {
		t.Errorf("bidi override in a name: %d %s", res.StatusCode, body)
	}
	mustNotBeStored(t, m["residentId"].(string))
}

// MaxJSONStringForTest is a length in CJK characters (3 bytes each) just over the string limit.
func MaxJSONStringForTest() int { return 16<<10/3 + 1 }

// TestLoginNextStaysOnSite: after login the page sends the visitor only to a
// path of this site; anything a browser could read as another host goes home.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/seekers/s-x?tab=1":   "/seekers/s-x?tab=1",
		"/%09/evil.com":        "/",
		"/\t/evil.com":         "/",
		"/\n/evil.com":         "/",
		"/\r\n/evil.com":       "/",
		"//evil.com":           "/",
		"/\\evil.com":          "/",
		"/x\\..\\..\\evil.com": "/",
		"https://evil.com/":    "/",
		"javascript:alert(1)":  "/",
		"/\x00/evil.com":       "/",
		"/\u202e/moc.live":     "/",
		"evil.com":             "/",
		"":                     "/",
		"/%2F/evil.com":        "/",
		"/%5Cevil.com":         "/",
		"/%E2%80%AE/moc.live":  "/",
		"/%00":                 "/",
		"http:/evil.com":       "/",
		"/ok%zz":               "/",
	} {
		// The POST that logs in and redirects.
		b := newBrowser(t, "en")
		res, _ := b.post("/login", "/login", url.Values{"username": {"couns-x"}, "password": {testPassword}, "next": {next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("POST next=%q: %d to %q, want %q", next, res.StatusCode, res.Header.Get("Location"), want)
		}
		// The GET of the login page by someone logged in redirects at once.
		res, _ = b.get("/login?next=" + url.QueryEscape(next))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("GET next=%q: %d to %q, want %q", next, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	// The login page's own ?next= goes through the same rule.
	b := newBrowser(t, "en")
	_, page := b.get("/login?next=/%09/evil.com")
	if !strings.Contains(page, `name="next" value="/"`) {
		t.Error("the login form keeps a next that leaves the site")
	}
}

// TestXAPIStatementsBounded: the LRS keeps a statement's context as sent, so
// its intake takes the shape part of the one rule (engine.CheckJSONShape):
// 5,000 levels of nesting, a 900 KB string and invalid UTF-8 answer 400
// naming the field, and nothing is stored; a statement within the bounds is.
func TestXAPIStatementsBounded(t *testing.T) {
	e := lrsWorld(t)
	_, prov := issue(t, e, "u-ptr")
	statement := func(n int, context string) string {
		s := xstatement(uuidN(n), "s-lrs-x", "c-lrs", "m2", "progressed", progressResult(10))
		return strings.TrimSuffix(s, "}") + `,"context":` + context + `}`
	}
	deep := strings.Repeat(`{"extensions":{"https://example.org/x":`, 2500) + `1` + strings.Repeat(`}}`, 2500)
	big := `{"extensions":{"https://example.org/x":"` + strings.Repeat("x", 900<<10) + `"}}`
	for n, c := range map[int]struct{ name, body, field string }{
		900001: {"5000 levels", statement(900001, deep), "context"},
		900002: {"a 900 KB string", statement(900002, big), "context.extensions.https://example.org/x"},
		900003: {"invalid UTF-8", statement(900003, "{\"extensions\":{\"https://example.org/x\":\"\xff\xfe\"}}"), "context.extensions.https://example.org/x"},
		900004: {"in a list", "[" + statement(900004, deep) + "]", "[0].context"},
	} {
		res, out := e.doWith(t, "", "POST", "/xapi/statements", c.body, prov)
		if res.StatusCode != 400 || !slices.Contains(errorFields(out), c.field) {
			t.Errorf("%s: %d %.300s, want 400 naming %s", c.name, res.StatusCode, out, c.field)
		}
		if res, _ := e.doWith(t, "", "GET", "/xapi/statements?statementId="+uuidN(n), "", prov); res.StatusCode != 404 {
			t.Errorf("%s: stored (%d)", c.name, res.StatusCode)
		}
	}
	ok := statement(900005, `{"extensions":{"https://example.org/x":{"a":[1,2,{"b":"`+strings.Repeat("长", 1000)+`"}]}}}`)
	if res, out := e.doWith(t, "", "POST", "/xapi/statements", ok, prov); res.StatusCode != 200 {
		t.Errorf("a statement within the bounds: %d %.300s", res.StatusCode, out)
	}
}
