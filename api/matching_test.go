package api_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"testing"

	"jobbridge/engine"
)

// The matching tests add their own records through the API on top of seed():
// a post of e-1 every test seeker can take, a night-shift post of e-2 none of
// them can (rule 6), a post of e-2 they miss only on a skill (a gap) and a
// remote class that teaches it; three seekers near the posts: one of Xujiahui
// who consents, one of Xujiahui who does not, one of Huajing who consents.
const (
	mtPost      = "mt-post"
	mtNightPost = "mt-night"
	mtGapPost   = "mt-gap"
	mtClass     = "mt-class"
	mtSeekerX   = "mt-sx"    // xujiahui, consents
	mtSeekerXNo = "mt-sx-nc" // xujiahui, does not consent
	mtSeekerH   = "mt-sh"    // huajing, consents
)

var matchingOnce sync.Once

// matchingWorld creates the records above once per test process.
func matchingWorld(t *testing.T) *env {
	t.Helper()
	e := shared
	matchingOnce.Do(func() {
		create := func(user, path string, rec any) {
			res, body := e.do(t, user, "POST", path, rec)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("POST %s as %s: %d %s", path, user, res.StatusCode, body)
			}
		}
		seeker := func(id, street string, seq int, consent bool) map[string]any {
			s := testSeeker(id, street, 0)
			s.ResidentID = residentID("19870707", seq)
			s.Certificate = s.ResidentID + "42"
			s.Mobility.RemoteOK = true
			s.Consent.ShareWithEmployers = consent
			s.CounsellorID = ""
			return apiRecord(s)
		}
		create("couns-x", "/api/v1/seekers", seeker(mtSeekerX, "xujiahui", 1, true))
		create("couns-x", "/api/v1/seekers", seeker(mtSeekerXNo, "xujiahui", 2, false))
		create("couns-h", "/api/v1/seekers", seeker(mtSeekerH, "huajing", 3, true))

		create("emp1", "/api/v1/posts", apiRecord(testPost(mtPost, "", "数据录入员（匹配测试）"), "employerId"))
		night := testPost(mtNightPost, "", "夜班数据录入员")
		night.Hours.NightShift = true
		create("emp2", "/api/v1/posts", apiRecord(night, "employerId"))
		gap := testPost(mtGapPost, "", "西点装饰助理")
		gap.Skills = []engine.PostSkill{{Code: "pastry-decoration", Level: 2, Required: true}}
		create("emp2", "/api/v1/posts", apiRecord(gap, "employerId"))

		create("admin", "/api/v1/classes", map[string]any{"id": mtClass, "title": "远程西点装饰班", "provider": "匹配测试中心",
			"mode": "remote", "seats": 20, "starts": "2026-09-01", "ends": "2099-03-01",
			"skills":     []map[string]any{{"code": "pastry-decoration", "level": 2}},
			"completion": map[string]any{"minProgress": 80, "passScore": 0.6}})
	})
	if t.Failed() {
		t.FailNow()
	}
	return e
}

// apiRecord is a record as a create request's body: its JSON without the
// fields the server sets, and without drop.
func apiRecord(r any, drop ...string) map[string]any {
	b, _ := json.Marshal(r)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range append([]string{"createdAt", "updatedAt", "rev"}, drop...) {
		delete(m, k)
	}
	return m
}

// matchBody is the shape shared by matches, candidates and gaps responses.
type matchBody struct {
	SeekerID string `json:"seekerId"`
	PostID   string `json:"postId"`
	Type     string `json:"type"`
	Total    int    `json:"total"`
	Results  []struct {
		ID        string                   `json:"id"`
		Candidate string                   `json:"candidate"`
		Score     float64                  `json:"score"`
		Factors   map[string]engine.Factor `json:"factors"`
		Missing   []engine.MissingSkill    `json:"missing"`
		Classes   []engine.GapClass        `json:"classes"`
	} `json:"results"`
	Excluded *engine.Excluded `json:"excluded"`
}

// getMatches calls a matching route and decodes its answer, failing unless it is 200.
func getMatches(t *testing.T, e *env, user, path string) (*matchBody, []byte) {
	t.Helper()
	res, body := e.do(t, user, "GET", path, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %s", path, user, res.StatusCode, body)
	}
	var m matchBody
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
	return &m, body
}

func (m *matchBody) ids() []string {
	out := make([]string, len(m.Results))
	for i, r := range m.Results {
		out[i] = r.ID
	}
	return out
}

func TestMatchingRoutesByRole(t *testing.T) {
	e := matchingWorld(t)
	seekerRoutes := []string{"/matches", "/matches?type=classes", "/gaps"}
	type want map[string]int // user → status; others get def
	for _, tc := range []struct {
		seeker string
		want   want
		def    int
	}{
		{mtSeekerX, want{"": 401, "admin": 200, "couns-x": 200, "couns-h": 404, "couns-all": 200, "trainee-x": 404}, 403},
		{mtSeekerH, want{"": 401, "admin": 200, "couns-x": 404, "couns-h": 200, "couns-all": 200, "trainee-x": 404}, 403},
		{"s-x", want{"": 401, "admin": 200, "couns-x": 200, "couns-h": 404, "couns-all": 200, "trainee-x": 200}, 403},
		{"mt-nobody", want{"": 401, "admin": 404, "couns-x": 404, "couns-h": 404, "couns-all": 404, "trainee-x": 404}, 403},
	} {
		for _, route := range seekerRoutes {
			path := "/api/v1/seekers/" + tc.seeker + route
			for _, u := range []string{"", "admin", "couns-x", "couns-h", "couns-all", "emp1", "emp2", "trainee-x", "prov1"} {
				w, found := tc.want[u]
				if !found {
					w = tc.def
				}
				t.Run(fmt.Sprintf("%s as %q", path, u), func(t *testing.T) {
					res, body := e.do(t, u, "GET", path, nil)
					if res.StatusCode != w {
						t.Fatalf("got %d, want %d: %s", res.StatusCode, w, body)
					}
				})
			}
		}
	}
	for _, tc := range []struct {
		post string
		want want
	}{
		{mtPost, want{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 200, "emp2": 404}},
		{mtNightPost, want{"": 401, "admin": 200, "couns-x": 200, "couns-h": 200, "couns-all": 200, "emp1": 404, "emp2": 200}},
		{"mt-no-post", want{"": 401, "admin": 404, "couns-x": 404, "couns-h": 404, "couns-all": 404, "emp1": 404, "emp2": 404}},
	} {
		path := "/api/v1/posts/" + tc.post + "/candidates"
		for _, u := range []string{"", "admin", "couns-x", "couns-h", "couns-all", "emp1", "emp2", "trainee-x", "prov1"} {
			w, found := tc.want[u]
			if !found {
				w = 403
			}
			t.Run(fmt.Sprintf("%s as %q", path, u), func(t *testing.T) {
				res, body := e.do(t, u, "GET", path, nil)
				if res.StatusCode != w {
					t.Fatalf("got %d, want %d: %s", res.StatusCode, w, body)
				}
			})
		}
	}
}

func TestMatchingBadParameters(t *testing.T) {
	e := matchingWorld(t)
	for _, tc := range []struct{ path, field string }{
		{"/api/v1/seekers/" + mtSeekerX + "/matches?type=jobs", "type"},
		{"/api/v1/seekers/" + mtSeekerX + "/matches?type=", "type"},
		{"/api/v1/seekers/" + mtSeekerX + "/matches?limit=0", "limit"},
		{"/api/v1/seekers/" + mtSeekerX + "/matches?limit=101", "limit"},
		{"/api/v1/seekers/" + mtSeekerX + "/matches?type=classes&limit=ten", "limit"},
		{"/api/v1/seekers/" + mtSeekerX + "/gaps?limit=-1", "limit"},
		{"/api/v1/seekers/" + mtSeekerX + "/gaps?limit=1000", "limit"},
		{"/api/v1/posts/" + mtPost + "/candidates?limit=0", "limit"},
		{"/api/v1/posts/" + mtPost + "/candidates?limit=x", "limit"},
	} {
		for _, u := range []string{"couns-x", "admin"} {
			t.Run(tc.path+" as "+u, func(t *testing.T) {
				res, body := e.do(t, u, "GET", tc.path, nil)
				if res.StatusCode != http.StatusBadRequest || !slices.Equal(errorFields(body), []string{tc.field}) {
					t.Fatalf("got %d fields %v, want 400 naming %q: %s", res.StatusCode, errorFields(body), tc.field, body)
				}
			})
		}
	}
	t.Run("limit 100 is allowed", func(t *testing.T) {
		getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/matches?limit=100")
	})
	t.Run("limit caps the results", func(t *testing.T) {
		all, _ := getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/matches?limit=100")
		one, _ := getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/matches?limit=1")
		if len(all.Results) < 2 || len(one.Results) != 1 || one.Results[0].ID != all.Results[0].ID {
			t.Fatalf("limit=1 gave %v, limit=100 gave %v", one.ids(), all.ids())
		}
	})
}

// checkExplained checks that every result carries the six factors, each
// 0–1 with a note in both languages, that the score is their weighted sum,
// and that the excluded counts add up.
func checkExplained(t *testing.T, m *matchBody, wantExcluded bool) {
	t.Helper()
	var factors []string
	for _, f := range engine.ScoreFactors {
		factors = append(factors, f.Name)
	}
	for _, r := range m.Results {
		if len(r.Factors) != len(factors) {
			t.Errorf("result %s%s has factors %v, want %v", r.ID, r.Candidate, r.Factors, factors)
		}
		for _, name := range factors {
			f, ok := r.Factors[name]
			if !ok || f.Note.Zh == "" || f.Note.En == "" || f.Value < 0 || f.Value > 1 {
				t.Errorf("result %s%s factor %s = %+v: want a value 0–1 with zh and en notes", r.ID, r.Candidate, name, f)
			}
		}
		v := func(name string) float64 { return r.Factors[name].Value }
		want := engine.Score(v(engine.FactorSkills), v(engine.FactorStrengths), v(engine.FactorFit),
			v(engine.FactorCommute), v(engine.FactorAccommodations), v(engine.FactorPreferences))
		if math.Abs(r.Score-want) > 1e-9 {
			t.Errorf("result %s%s score %v, weighted factors give %v", r.ID, r.Candidate, r.Score, want)
		}
	}
	if !wantExcluded {
		return
	}
	if m.Excluded == nil || m.Excluded.ByRule == nil {
		t.Fatalf("no excluded counts")
	}
	sum := 0
	for rule, n := range m.Excluded.ByRule {
		if rule < "1" || rule > "7" || len(rule) != 1 || n <= 0 {
			t.Errorf("excluded by rule %q: %d", rule, n)
		}
		sum += n
	}
	if sum != m.Excluded.Total {
		t.Errorf("excluded total %d, by rule %v adds up to %d", m.Excluded.Total, m.Excluded.ByRule, sum)
	}
}

func TestMatchesExplained(t *testing.T) {
	e := matchingWorld(t)
	t.Run("posts", func(t *testing.T) {
		m, _ := getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/matches?limit=100")
		if m.SeekerID != mtSeekerX || m.Type != "posts" || !slices.Contains(m.ids(), mtPost) {
			t.Fatalf("seeker %q type %q results %v: want %s among posts", m.SeekerID, m.Type, m.ids(), mtPost)
		}
		if slices.Contains(m.ids(), mtNightPost) || slices.Contains(m.ids(), mtGapPost) {
			t.Fatalf("a post that breaks a rule is a match: %v", m.ids())
		}
		checkExplained(t, m, true)
		if m.Excluded.ByRule["6"] < 1 || m.Excluded.ByRule["7"] < 1 {
			t.Fatalf("excluded %+v: want the night-shift post under rule 6 and the gap post under rule 7", m.Excluded)
		}
	})
	t.Run("classes", func(t *testing.T) {
		m, _ := getMatches(t, e, "trainee-x", "/api/v1/seekers/s-x/matches?type=classes")
		if m.Type != "classes" {
			t.Fatalf("type %q", m.Type)
		}
		checkExplained(t, m, true)
		m, _ = getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/matches?type=classes&limit=100")
		if !slices.Contains(m.ids(), mtClass) {
			t.Fatalf("classes %v: want the remote class %s", m.ids(), mtClass)
		}
		checkExplained(t, m, true)
	})
	t.Run("gaps", func(t *testing.T) {
		m, _ := getMatches(t, e, "couns-x", "/api/v1/seekers/"+mtSeekerX+"/gaps?limit=100")
		checkExplained(t, m, false)
		if m.Total < len(m.Results) {
			t.Fatalf("total %d below %d results", m.Total, len(m.Results))
		}
		i := slices.Index(m.ids(), mtGapPost)
		if i < 0 {
			t.Fatalf("gaps %v: want %s", m.ids(), mtGapPost)
		}
		g := m.Results[i]
		if len(g.Missing) != 1 || g.Missing[0].Code != "pastry-decoration" || g.Missing[0].Zh == "" || g.Missing[0].En == "" ||
			g.Missing[0].Have != 0 || g.Missing[0].Need != 1 || g.Missing[0].Level != 2 {
			t.Fatalf("missing %+v: want pastry-decoration (have 0, need 1, level 2) named in zh and en", g.Missing)
		}
		k := slices.IndexFunc(g.Classes, func(c engine.GapClass) bool { return c.ID == mtClass })
		if k < 0 || !slices.Equal(g.Classes[k].Teaches, []string{"pastry-decoration"}) || g.Classes[k].Unlocks < 1 {
			t.Fatalf("classes %+v: want %s teaching pastry-decoration and unlocking this post", g.Classes, mtClass)
		}
	})
}

// seekerFile reads a seeker's street and consent as admin.
func seekerFile(t *testing.T, e *env, id string) (street string, consent bool) {
	t.Helper()
	res, body := e.do(t, "admin", "GET", "/api/v1/seekers/"+id, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET seeker %s: %d %s", id, res.StatusCode, body)
	}
	var s engine.Seeker
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("seeker %s: %v", id, err)
	}
	return s.Street, s.Consent.ShareWithEmployers
}

func TestCandidatesForCounsellors(t *testing.T) {
	e := matchingWorld(t)
	path := "/api/v1/posts/" + mtPost + "/candidates?limit=100"
	all, _ := getMatches(t, e, "admin", path)
	for _, id := range []string{mtSeekerX, mtSeekerXNo, mtSeekerH} {
		if !slices.Contains(all.ids(), id) {
			t.Fatalf("admin's candidates %v: want %s", all.ids(), id)
		}
	}
	checkExplained(t, all, true)
	streets := map[string]string{}
	for _, id := range all.ids() {
		streets[id], _ = seekerFile(t, e, id)
	}
	for _, tc := range []struct{ user, street string }{{"couns-x", "xujiahui"}, {"couns-h", "huajing"}, {"couns-all", ""}} {
		t.Run(tc.user, func(t *testing.T) {
			m, _ := getMatches(t, e, tc.user, path)
			checkExplained(t, m, true)
			var want []string
			for _, id := range all.ids() {
				if tc.street == "" || streets[id] == tc.street {
					want = append(want, id)
				}
			}
			if !slices.Equal(m.ids(), want) {
				t.Fatalf("candidates %v, want the admin's of street %q: %v", m.ids(), tc.street, want)
			}
			for _, r := range m.Results {
				if r.ID == "" || r.Candidate != "" {
					t.Fatalf("a counsellor sees candidates in full, got %+v", r)
				}
			}
		})
	}
}

func TestCandidatesForEmployersAreAnonymousAndConsenting(t *testing.T) {
	e := matchingWorld(t)
	path := "/api/v1/posts/" + mtPost + "/candidates?limit=100"
	all, _ := getMatches(t, e, "admin", path)
	var consenting []float64
	sawRefusal := false
	for _, r := range all.Results {
		_, consent := seekerFile(t, e, r.ID)
		if consent {
			consenting = append(consenting, r.Score)
		} else {
			sawRefusal = true
		}
	}
	if !sawRefusal || len(consenting) == 0 {
		t.Fatalf("admin's candidates %v: want consenting ones and %s, who does not consent", all.ids(), mtSeekerXNo)
	}

	m, body := getMatches(t, e, "emp1", path)
	checkExplained(t, m, true)
	var scores []float64
	for i, r := range m.Results {
		scores = append(scores, r.Score)
		if r.ID != "" || r.Candidate != fmt.Sprintf("#%d", i+1) {
			t.Fatalf("result %d: id %q candidate %q; want no id and a rank", i, r.ID, r.Candidate)
		}
	}
	if !slices.Equal(scores, consenting) {
		t.Fatalf("employer sees scores %v, want the consenting seekers' %v", scores, consenting)
	}

	// Nothing in the answer may name or place a seeker.
	var doc any
	json.Unmarshal(body, &doc)
	banned := map[string]bool{"id": true, "seekerId": true, "name": true, "title": true, "disability": true,
		"category": true, "level": true, "home": true, "lat": true, "lon": true, "street": true, "residentId": true,
		"certificate": true, "counsellorId": true, "consent": true}
	secrets := map[string]bool{"vision": true, "hearing": true, "speech": true, "physical": true, "intellectual": true,
		"psychiatric": true, "multiple": true, "xujiahui": true, "huajing": true}
	for _, r := range all.Results {
		secrets[r.ID] = true
		res, b := e.do(t, "admin", "GET", "/api/v1/seekers/"+r.ID, nil)
		if res.StatusCode == http.StatusOK {
			var s engine.Seeker
			json.Unmarshal(b, &s)
			secrets[s.Name] = true
			secrets[s.ResidentID] = true
		}
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if banned[k] {
					t.Errorf("employer's candidates hold %s.%s = %v", path, k, val)
				}
				walk(path+"."+k, val)
			}
		case []any:
			for i, val := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), val)
			}
		case string:
			if secrets[x] {
				t.Errorf("employer's candidates hold %s = %q", path, x)
			}
		}
	}
	walk("", doc)
	if t.Failed() {
		t.Logf("answer: %s", body)
	}

	t.Run("another employer's post", func(t *testing.T) {
		res, body := e.do(t, "emp2", "GET", path, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("got %d, want 404: %s", res.StatusCode, body)
		}
	})
}
