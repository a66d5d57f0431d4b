package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobbridge/engine"
	"jobbridge/engine/lrsindex"
	"jobbridge/engine/search"
	"jobbridge/engine/store"
	"jobbridge/engine/store/embedded"
	"jobbridge/engine/xapi"
)

// testDB is the embedded FerretDB the tests share; each test opens a database of its own.
var (
	testDB    *embedded.DB
	serverURI string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "jobbridge-jobs-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	db, err := embedded.Start(context.Background(), dir, quiet())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	testDB, serverURI = db, db.URI()
	return m.Run()
}

func quiet() *slog.Logger {
	if os.Getenv("JOBS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

var databases atomic.Int64

// newDatabase names a fresh database on the shared server.
func newDatabase() string { return fmt.Sprintf("%sj%d", serverURI, databases.Add(1)) }

// simClock is a clock the test moves by hand.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// MustStore opens a store on uri, closed when tb ends.
func MustStore(tb testing.TB, uri string, clock engine.Clock) *store.Store {
	tb.Helper()
	cipher, err := store.NewCipher([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := store.Open(context.Background(), uri, cipher, quiet())
	if err != nil {
		tb.Fatal(err)
	}
	s.Clock = clock
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	if _, err := testDB.IndexIDs(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

// stack is a service on its own database and index, on the simulated clock.
type stack struct {
	store   *store.Store
	svc     *engine.Service
	matcher *engine.Matcher
	clock   *simClock
	index   *search.Index
	lrs     *engine.LRS
	lrsIx   *lrsindex.Index
}

// MustStack starts a stack on a fresh database at time t.
func MustStack(tb testing.TB, t time.Time) *stack {
	tb.Helper()
	return mustStackOn(tb, newDatabase(), &simClock{t: t})
}

// MustCreate stores records through the service or fails the test.
func (s *stack) MustCreate(tb testing.TB, kind engine.Kind, rs ...engine.Record) {
	tb.Helper()
	for _, r := range rs {
		if err := s.svc.Create(context.Background(), kind, r); err != nil {
			tb.Fatalf("create %s %s: %v", kind, r.RecordMeta().ID, err)
		}
	}
}

// residentID makes a valid synthetic resident ID.
func residentID(seq int) string {
	first := fmt.Sprintf("31010419880214%03d", seq)
	c, _ := engine.ResidentIDCheck(first)
	return first + string(c)
}

func creditCode(seq int) string {
	first := fmt.Sprintf("91310104MA1K%05d", seq)
	c, _ := engine.CreditCodeCheck(first)
	return first + string(c)
}

// remoteSeeker is a hearing-impaired seeker of Xujiahui who works from home.
func remoteSeeker(id string, seq int, counsellor string) *engine.Seeker {
	rid := residentID(seq)
	return &engine.Seeker{Meta: engine.Meta{ID: id}, Name: "学员" + id, Gender: "female", ResidentID: rid,
		Certificate: rid + "22", Street: "xujiahui", Home: engine.Geo{Lat: 31.19, Lon: 121.44},
		Skills:   []engine.SkillLevel{{Code: "office-software", Level: 2}},
		Mobility: engine.Mobility{Modes: []string{"metro", "bus"}, MaxCommuteMinutes: 45, RemoteOK: true},
		Consent:  engine.Consent{ShareWithEmployers: true, Date: "2026-08-01"}, CounsellorID: counsellor, Status: "training"}
}

// remotePost is a remote post asking for a skill at a level.
func remotePost(id, title, skill string, level int) *engine.Post {
	return &engine.Post{Meta: engine.Meta{ID: id}, EmployerID: "e1", Title: title, Description: "远程岗位",
		Skills: []engine.PostSkill{{Code: skill, Level: level, Required: true}}, Demands: engine.StatedDemands(map[string]int{"vision": 2}),
		WorkMode: "remote", Hours: engine.Hours{Weekly: 30}, MonthlyWage: 5000, Openings: 3, Status: "open"}
}

// seedTraining writes skills, an employer and an office post every test seeker matches.
func (s *stack) seedTraining(tb testing.TB) {
	tb.Helper()
	s.MustCreate(tb, engine.KindSkill,
		&engine.Skill{Code: "cad-drafting", Zh: "CAD 制图", En: "CAD drafting", Group: "design"},
		&engine.Skill{Code: "office-software", Zh: "办公软件", En: "Office software", Group: "office"})
	s.MustCreate(tb, engine.KindEmployer, &engine.Employer{Meta: engine.Meta{ID: "e1"}, Name: "测试设计公司",
		CreditCode: creditCode(1), Street: "xujiahui", Staff: 120, AvgMonthlyWage: 9000})
	s.MustCreate(tb, engine.KindPost, remotePost("p-office", "远程文员 Remote clerk", "office-software", 2))
}

// remoteClass is a remote class with six required units and a required exam.
func remoteClass(id, starts, ends string, seats int) *engine.Class {
	mods := []engine.Module{}
	for i := 1; i <= 6; i++ {
		mods = append(mods, engine.Module{ID: fmt.Sprintf("m%02d", i), Title: fmt.Sprintf("单元 %d", i), Required: true})
	}
	mods = append(mods, engine.Module{ID: "extra", Title: "选修"}, engine.Module{ID: "exam", Title: "结业考核", Required: true})
	return &engine.Class{Meta: engine.Meta{ID: id}, Title: "CAD 制图（远程）", Provider: "云帆", Mode: "remote",
		Skills: []engine.SkillLevel{{Code: "cad-drafting", Level: 2}}, Accessibility: []string{"captions", "sign-language"},
		Demands: map[string]int{"vision": 2}, Seats: seats, Starts: starts, Ends: ends, Modules: mods,
		Completion: engine.Completion{MinProgress: 80, PassScore: 0.6}, Status: "open"}
}

// statement is the JSON of an xAPI statement about a module.
func statement(seeker, class, module, verb string, progress int, scaled float64, at time.Time) string {
	result := ""
	switch {
	case progress >= 0:
		result = fmt.Sprintf(`,"result":{"extensions":{%q:%d}}`, engine.ProgressExtension, progress)
	case scaled >= 0:
		result = fmt.Sprintf(`,"result":{"score":{"scaled":%v}}`, scaled)
	}
	return fmt.Sprintf(`{"actor":{"account":{"homePage":"https://provider.example","name":%q}},"verb":{"id":%q},"object":{"id":%q}%s,"timestamp":%q}`,
		seeker, engine.VerbPrefix+verb, engine.ModuleActivity(class, module), result, at.Format(time.RFC3339))
}

// record records statements as the provider would post them to the LRS
// and answers their ids.
func (s *stack) record(tb testing.TB, body string) []string {
	tb.Helper()
	v, err := xapi.Decode([]byte(body))
	if err != nil {
		tb.Fatalf("parse: %v\n%s", err, body)
	}
	in, err := engine.StatementsIn(v)
	if err != nil {
		tb.Fatal(err)
	}
	provider := &engine.User{Meta: engine.Meta{ID: "u-provider"}, Username: "provider", Role: engine.RoleAdmin}
	ids, err := s.lrs.Record(context.Background(), engine.LRSClient{User: provider, HomePage: "https://jobbridge.test/"}, in)
	if err != nil {
		tb.Fatalf("record: %v", err)
	}
	return ids
}
