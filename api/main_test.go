package api_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/engine/lrsindex"
	"jobbridge/engine/search"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
	"jobbridge/fixtures"
)

// env is one running stack: embedded FerretDB, store, Bleve index, service, HTTP server.
type env struct {
	dir     string
	db      *embedded.DB
	store   *store.Store
	index   *search.Index
	svc     *engine.Service
	matcher *engine.Matcher
	lrsIx   *lrsindex.Index
	lrs     *engine.LRS
	srv     *httptest.Server
	tokens  map[string]string // username → bearer token
	// password is every user's password (testPassword when empty).
	password string
}

var shared *env

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jobbridge-api-")
	if err != nil {
		panic(err)
	}
	shared, err = startEnv(dir, seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		os.Exit(1)
	}
	code := m.Run()
	shared.close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startEnv starts a stack in dir and fills it with fill (the test world, or the demo data).
func startEnv(dir string, fill func(context.Context, *env) error) (*env, error) {
	ctx := context.Background()
	e := &env{dir: dir, tokens: map[string]string{}}
	var err error
	if e.db, err = embedded.Start(ctx, dir, nil); err != nil {
		return nil, err
	}
	key, _ := store.LoadOrCreateKeyFile(filepath.Join(dir, "secret.key"))
	cipher, _ := store.NewCipher(key)
	if e.store, err = store.Open(ctx, e.db.URI(), cipher, nil); err != nil {
		return nil, err
	}
	if _, err := e.db.IndexIDs(ctx); err != nil {
		return nil, err
	}
	if e.index, err = search.Open(filepath.Join(dir, "index")); err != nil {
		return nil, err
	}
	e.index.EmployerStreet = e.employerStreet
	e.matcher = engine.NewMatcher(engine.SystemClock{})
	e.svc = engine.NewService(e.store, e.index, nil, e.matcher)
	if _, err := e.svc.Load(ctx); err != nil {
		return nil, err
	}
	if e.lrsIx, err = lrsindex.Open(filepath.Join(dir, "lrs.db")); err != nil {
		return nil, err
	}
	e.lrs = engine.NewLRS(e.svc, e.store, e.lrsIx)
	if _, err := e.lrs.Load(ctx); err != nil {
		return nil, err
	}
	if err := fill(ctx, e); err != nil {
		return nil, err
	}
	e.srv = httptest.NewServer(api.New(api.Config{Service: e.svc, LRS: e.lrs, Matcher: e.matcher, Content: fixtures.Content()}).Handler())
	return e, nil
}

func (e *env) employerStreet(id string) string {
	if emp, ok := e.svc.Employer(id); ok {
		return emp.Street
	}
	return ""
}

func (e *env) close() {
	e.srv.Close()
	e.lrsIx.Close()
	e.index.Close()
	e.store.Close(context.Background())
	e.db.Close()
}

const testPassword = "test-password-1"

// residentID makes a valid synthetic resident ID from a birth date and a sequence.
func residentID(birth string, seq int) string {
	first := fmt.Sprintf("310104%s%03d", birth, seq)
	c, _ := engine.ResidentIDCheck(first)
	return first + string(c)
}

// creditCode makes a valid synthetic unified social credit code.
func creditCode(seq int) string {
	first := fmt.Sprintf("91310104MA1K%05d", seq)
	c, _ := engine.CreditCodeCheck(first)
	return first + string(c)
}

func testSeeker(id, street string, seq int) *engine.Seeker {
	rid := residentID("19900512", seq)
	return &engine.Seeker{Meta: engine.Meta{ID: id}, Name: "测试" + id, Gender: "female", ResidentID: rid,
		Certificate: rid + "42", Street: street, Home: engine.Geo{Lat: 31.19, Lon: 121.43},
		Skills:   []engine.SkillLevel{{Code: "data-entry", Level: 2}},
		Mobility: engine.Mobility{Modes: []string{"metro", "bus"}, MaxCommuteMinutes: 60},
		Consent:  engine.Consent{ShareWithEmployers: true, Date: "2026-01-10"}, CounsellorID: "u-cx"}
}

func testPost(id, employer, title string) *engine.Post {
	return &engine.Post{Meta: engine.Meta{ID: id}, EmployerID: employer, Title: title, Description: "测试岗位",
		Skills:   []engine.PostSkill{{Code: "data-entry", Level: 2, Required: true}},
		Demands:  engine.StatedDemands(map[string]int{"vision": 2, "cognition": 2}),
		Site:     engine.Site{Lat: 31.195, Lon: 121.437, StepFree: true, AccessibleToilet: true, Elevator: true},
		WorkMode: "onsite", Hours: engine.Hours{Weekly: 40}, MonthlyWage: 5200, Openings: 2}
}

// seed writes the fixed test world: two streets, two employers, users of every role.
func seed(ctx context.Context, e *env) error {
	svc := e.svc
	hash, err := api.HashPassword(testPassword)
	if err != nil {
		return err
	}
	recs := []struct {
		kind engine.Kind
		r    engine.Record
	}{
		{engine.KindSkill, &engine.Skill{Code: "data-entry", Zh: "数据录入", En: "Data entry", Group: "office"}},
		{engine.KindSkill, &engine.Skill{Code: "pastry-decoration", Zh: "西式面点装饰", En: "Pastry decoration", Group: "food"}},
		{engine.KindEmployer, &engine.Employer{Meta: engine.Meta{ID: "e-1"}, Name: "徐汇测试甲公司", CreditCode: creditCode(1), Street: "xujiahui", Staff: 200, AvgMonthlyWage: 9000}},
		{engine.KindEmployer, &engine.Employer{Meta: engine.Meta{ID: "e-2"}, Name: "华泾测试乙公司", CreditCode: creditCode(2), Street: "huajing", Staff: 50, AvgMonthlyWage: 7000}},
		{engine.KindSeeker, testSeeker("s-x", "xujiahui", 1)},
		{engine.KindSeeker, testSeeker("s-h", "huajing", 2)},
		{engine.KindPost, testPost("p-1", "e-1", "数据录入员 Data entry clerk")},
		{engine.KindPost, testPost("p-2", "e-2", "西式面点师 Pastry cook")},
		{engine.KindClass, &engine.Class{Meta: engine.Meta{ID: "c-1"}, Title: "远程数据录入班", Provider: "测试培训中心",
			Skills: []engine.SkillLevel{{Code: "data-entry", Level: 2}}, Mode: "remote", Seats: 10,
			Starts: "2026-09-01", Ends: "2027-03-01", Modules: []engine.Module{{ID: "m1", Title: "键盘", Required: true}},
			Completion: engine.Completion{MinProgress: 80, PassScore: 0.6}}},
		{engine.KindClass, &engine.Class{Meta: engine.Meta{ID: "c-2"}, Title: "面点班", Provider: "另一中心",
			Skills: []engine.SkillLevel{{Code: "pastry-decoration", Level: 1}}, Mode: "onsite",
			Site: engine.Site{Lat: 31.15, Lon: 121.45, StepFree: true}, Seats: 10,
			Starts: "2026-09-01", Ends: "2027-03-01", Completion: engine.Completion{MinProgress: 80, PassScore: 0.6}}},
	}
	users := []*engine.User{
		{Meta: engine.Meta{ID: "u-admin"}, Username: "admin", Role: "admin"},
		{Meta: engine.Meta{ID: "u-cx"}, Username: "couns-x", Role: "counsellor", Street: "xujiahui"},
		{Meta: engine.Meta{ID: "u-ch"}, Username: "couns-h", Role: "counsellor", Street: "huajing"},
		{Meta: engine.Meta{ID: "u-call"}, Username: "couns-all", Role: "counsellor"},
		{Meta: engine.Meta{ID: "u-e1"}, Username: "emp1", Role: "employer", EmployerID: "e-1"},
		{Meta: engine.Meta{ID: "u-e2"}, Username: "emp2", Role: "employer", EmployerID: "e-2"},
		{Meta: engine.Meta{ID: "u-tx"}, Username: "trainee-x", Role: "trainee", SeekerID: "s-x"},
		{Meta: engine.Meta{ID: "u-p1"}, Username: "prov1", Role: "provider", ClassIDs: []string{"c-1"}},
	}
	for _, r := range recs {
		if err := svc.Create(ctx, r.kind, r.r); err != nil {
			return fmt.Errorf("seed %s: %w", r.kind, err)
		}
	}
	for _, u := range users {
		u.PasswordHash = hash
		if err := svc.Create(ctx, engine.KindUser, u); err != nil {
			return fmt.Errorf("seed user %s: %w", u.Username, err)
		}
	}
	return nil
}

// token logs a user in once and caches the bearer token.
func (e *env) token(t testing.TB, username string) string {
	t.Helper()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	res, body := e.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": cmp.Or(e.password, testPassword)})
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d %s", username, res.StatusCode, body)
	}
	var out struct{ Token string }
	json.Unmarshal(body, &out)
	e.tokens[username] = out.Token
	return out.Token
}

// do sends a request as a user ("" = anonymous); body may be a string of raw JSON or a value to encode.
func (e *env) do(t testing.TB, username, method, path string, body any) (*http.Response, []byte) {
	t.Helper()
	var raw string
	switch b := body.(type) {
	case nil:
	case string:
		raw = b
	case []byte:
		raw = string(b)
	default:
		j, _ := json.Marshal(b)
		raw = string(j)
	}
	return e.doWith(t, username, method, path, raw, nil)
}

// doWith is e.do with a body as it is and extra request headers.
func (e *env) doWith(t testing.TB, username, method, path string, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if username != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(t, username))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

// errorFields decodes the field names of an error response.
func errorFields(body []byte) []string {
	var out struct {
		Error struct {
			Fields []struct{ Field string }
		}
	}
	json.Unmarshal(body, &out)
	var f []string
	for _, x := range out.Error.Fields {
		f = append(f, x.Field)
	}
	return f
}
