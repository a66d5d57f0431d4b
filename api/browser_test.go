package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jobbridge/api"
	"jobbridge/engine"
	"jobbridge/fixtures"
	"jobbridge/jobs"
)

// The browser suite: Debian's chromium, driven by chromedp, on a server with
// the demo data. Each role does its main task end to end; axe-core checks every
// page in both languages; a keyboard-only pass walks the counsellor and trainee
// pages; every page is photographed at 1280×800 and 390×844.
//
// It skips when chromium or npm is missing, except under CI=true, where that
// is a failure: CI installs both.

// axeVersion is the pinned axe-core release, installed from npm at test time.
const axeVersion = "4.14.1"

// axeTags are the rule sets that must report no violation.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// chromiumFlags are the flags the browser starts with (plus a fresh user-data dir).
var chromiumFlags = []string{"headless", "no-sandbox", "disable-gpu", "disable-background-networking",
	"disable-component-update", "disable-sync", "no-first-run"}

// needTool finds a program the suite needs, skipping (or failing under CI) without it.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("browser tests need %s (apt-get install -y chromium fonts-noto-cjk; npm)", strings.Join(names, " or "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + ": missing on CI")
	}
	t.Skip(msg)
	return ""
}

// axeSource installs the pinned axe-core with npm into the user cache (once)
// and returns its script.
func axeSource(t *testing.T) string {
	t.Helper()
	npm := needTool(t, "npm")
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "jobbridge", "axe-core-"+axeVersion)
	script := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(script); err != nil {
		cmd := exec.Command(npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--silent", "axe-core@"+axeVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install axe-core@%s: %v\n%s", axeVersion, err, out)
		}
	}
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// loadDemo fills a stack with the demo data, as `jobbridge serve` does on a first start.
func loadDemo(ctx context.Context, e *env) error {
	files, _ := fixtures.DemoAt(e.svc.Clock.Now())
	return api.NewImporter(e.svc, e.lrs).Files(ctx, files)
}

// apiToken logs in to the API and returns the bearer token.
func apiToken(t testing.TB, base, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("login %s: %d %v", username, res.StatusCode, err)
	}
	return out.Token
}

// axeViolation is one failed axe rule on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// tab drives one chromium tab against the demo server.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axe   string
	shots string
	audit *auditLog
}

// auditLog collects the axe results of every page, for the report.
type auditLog struct {
	rows []string
	bad  int
}

func (a *auditLog) add(page, lang string, v []axeViolation) {
	a.rows = append(a.rows, fmt.Sprintf("| %s | %s | %d |", page, lang, len(v)))
	a.bad += len(v)
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.60s: %v", js, err)
	}
	return v
}

// open loads a page and waits for it.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady("body"))
}

// submit clicks a button that sends a form and waits for the next page.
func (b *tab) submit(sel string) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(sel)); err != nil {
		b.t.Fatalf("submit %s: %v", sel, err)
	}
	b.do(chromedp.WaitReady("body"))
}

// setValue replaces a control's value, as selecting its text and typing over it would.
func (b *tab) setValue(sel, v string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; return true })()`, sel, v))
}

func (b *tab) path() string {
	loc := eval[string](b, `location.pathname + location.search`)
	return loc
}

func (b *tab) text(sel string) string {
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

// login logs in through the form, typing like a person.
func (b *tab) login(username string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys("#f-username", username), chromedp.SendKeys("#f-password", "jobbridge-demo"))
	b.submit(`main form button[type="submit"]`)
	if p := b.path(); p != "/" {
		b.t.Fatalf("login %s ended on %s", username, p)
	}
}

// setLang switches the language the way the switch link does (remembered in a cookie).
func (b *tab) setLang(lang string) { b.open("/settings?lang=" + lang) }

// check runs axe on the page that reach brings up, in both languages, and
// photographs it at desktop and phone sizes.
func (b *tab) check(name string, reach func()) {
	b.t.Helper()
	for _, lang := range []string{"zh-CN", "en"} {
		b.setLang(lang)
		reach()
		if got := eval[string](b, `document.documentElement.lang`); got != lang {
			b.t.Errorf("%s: lang attribute %q, want %q", name, got, lang)
		}
		eval[bool](b, b.axe+";true")
		tags, _ := jsonString(axeTags)
		v := eval[[]axeViolation](b, `axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"]})
			.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`)
		b.audit.add(name, lang, v)
		for _, x := range v {
			b.t.Errorf("axe %s (%s): %s [%s] %s", name, lang, x.ID, x.Impact, x.Help+": "+strings.Join(x.Nodes, "; "))
		}
		for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
			opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
			if size[0] < 500 {
				opts = append(opts, chromedp.EmulateMobile)
			}
			b.do(chromedp.EmulateViewport(size[0], size[1], opts...))
			png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				b.t.Fatal(err)
			}
			file := filepath.Join(b.shots, fmt.Sprintf("%s.%s.%d.png", name, lang, size[0]))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				b.t.Fatal(err)
			}
		}
		b.do(chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(1)))
	}
	b.setLang("zh-CN")
}

func jsonString(v []string) (string, error) {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]", nil
}

// focusStop is where focus is after one Tab press.
type focusStop struct {
	KB      string `json:"kb"`
	Tag     string `json:"tag"`
	Label   string `json:"label"`
	Visible bool   `json:"visible"`
}

// markTabbables numbers the elements Tab should reach, in document order (one
// per radio group: the radios of one form with one name); it returns how many there are.
const markTabbables = `(() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const seen = new Map();
  let n = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    if (el.type === 'radio') {
      const names = seen.get(el.form) || new Set();
      seen.set(el.form, names);
      if (names.has(el.name)) continue;
      names.add(el.name);
      const group = [...document.querySelectorAll('input[type=radio][name="' + el.name + '"]')].filter(r => r.form === el.form);
      const stop = group.find(r => r.checked) || group[0];
      stop.dataset.kb = n++;
      continue;
    }
    el.dataset.kb = n++;
  }
  return n;
})()`

// whereIsFocus describes the focused element and whether its focus is visible.
const whereIsFocus = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {kb: "", tag: "BODY", label: "", visible: false};
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
  return {kb: e.dataset.kb ?? "", tag: e.tagName, label: (e.innerText || e.value || e.name || e.id || '').trim().slice(0, 40), visible: ring};
})()`

// keyboardPass presses Tab through a page: focus must reach every control in
// document order, starting with the skip link, and always be visible.
func (b *tab) keyboardPass(path string) {
	b.t.Helper()
	b.open(path)
	n := eval[int](b, markTabbables)
	if n == 0 {
		b.t.Fatalf("%s: nothing to tab to", path)
	}
	prev := ""
	for i, presses := 0, 0; i < n; presses++ {
		if presses > n+3*n/2 {
			b.t.Errorf("%s: %d Tab presses did not reach all %d controls", path, presses, n)
			return
		}
		b.do(chromedp.KeyEvent(kb.Tab))
		at := eval[focusStop](b, whereIsFocus)
		if at.KB == prev && at.Tag == "INPUT" {
			continue // a date input stops on its year, month and day
		}
		prev = at.KB
		if at.KB != fmt.Sprint(i) {
			b.t.Errorf("%s: Tab %d reached %s %q (kb %q), want control %d in document order", path, i+1, at.Tag, at.Label, at.KB, i)
			return
		}
		if i == 0 && !strings.Contains(eval[string](b, `document.activeElement.className`), "skip-link") {
			b.t.Errorf("%s: the first Tab does not reach the skip link", path)
		}
		if !at.Visible {
			b.t.Errorf("%s: focus on %s %q is not visible", path, at.Tag, at.Label)
		}
		i++
	}
	// The skip link moves focus to the main content.
	b.open(path)
	b.do(chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	if id := eval[string](b, `document.activeElement.id`); id != "main" {
		b.t.Errorf("%s: the skip link moved focus to %q, not main", path, id)
	}
}

func TestBrowser(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium-browser")
	axe := axeSource(t)
	start := time.Now()

	dir := t.TempDir()
	demo, err := startEnv(dir, loadDemo)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.close()
	clock := engine.SystemClock{}
	sched, err := jobs.New(demo.store, clock, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Standard(demo.svc, demo.matcher, clock))
	if err != nil {
		t.Fatal(err)
	}
	demo.svc.Jobs = sched
	t.Logf("demo server ready in %s", time.Since(start).Round(time.Millisecond))

	shots := os.Getenv("JOBBRIDGE_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800)}
	for _, f := range chromiumFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	audit := &auditLog{}

	// role opens a fresh browser context (own cookies) for one person.
	role := func(t *testing.T) *tab {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
		t.Cleanup(cancelT)
		b := &tab{t: t, ctx: ctx, base: demo.srv.URL, axe: axe, shots: shots, audit: audit}
		b.do(chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(1)))
		b.setLang("zh-CN")
		return b
	}

	// The demo's history gives each role something to do: the demo trainee's
	// course is under way (the next unit to report on), the demo employer has
	// a referral to move, the counsellor's worklist has follow-ups due.
	ctx := context.Background()
	var class engine.Class
	if err := demo.store.Get(ctx, engine.KindClass, fixtures.DemoRemoteClass, &class); err != nil {
		t.Fatal(err)
	}
	course := demo.svc.Enrollments(func(v *engine.EnrollmentView) bool {
		return v.SeekerID == fixtures.DemoTraineeSeeker && v.ClassID == class.ID
	})
	if len(course) != 1 || course[0].Next == nil {
		t.Fatalf("the demo trainee's course in %s: %+v", class.ID, course)
	}
	next := course[0].Next.ID
	counsellor, _ := demo.svc.User("u-demo-counsellor")
	referred := demo.svc.Referrals(func(r *engine.Referral) bool {
		return r.EmployerID == fixtures.DemoEmployer && r.Status == engine.ReferralReferred
	})
	if len(referred) == 0 {
		t.Fatal("the demo history has no referral for the demo employer to move")
	}
	if due := demo.svc.FollowUpWorklist([]string{engine.FollowUpDue, engine.FollowUpOverdue}, func(p *engine.Placement) bool { return p.Street == "xujiahui" }); len(due) == 0 {
		t.Fatal("the demo history has no follow-up due in xujiahui")
	}

	t.Run("visitor", func(t *testing.T) {
		b := role(t)
		b.check("login", func() { b.open("/login") })
		b.check("settings", func() { b.open("/settings") })
		b.check("login-failed", func() {
			b.open("/login")
			b.do(chromedp.SendKeys("#f-username", "demo-counsellor"), chromedp.SendKeys("#f-password", "wrong-password"))
			b.submit(`main form button[type="submit"]`)
		})
	})

	t.Run("counsellor", func(t *testing.T) {
		b := role(t)
		b.login("demo-counsellor")
		// Main task: find a seeker from the home page, open the file, then the matches.
		b.do(chromedp.SendKeys("#f-q", "施峰"))
		b.submit(`main form button[type="submit"]`)
		if !strings.HasPrefix(b.path(), "/seekers?") {
			t.Fatalf("search went to %s", b.path())
		}
		b.submit(`a[href="/seekers/s-000002"]`)
		if h1 := b.text("h1"); !strings.Contains(h1, "施峰") {
			t.Fatalf("seeker file h1 %q", h1)
		}
		b.submit(`a[href="/seekers/s-000002/matches"]`)
		if n := eval[int](b, `document.querySelectorAll(".match-list > li").length`); n == 0 {
			t.Fatal("no matches shown")
		}
		if n := eval[int](b, `document.querySelectorAll(".match-list > li:first-child .factors tbody tr").length`); n != len(engine.ScoreFactors) {
			t.Errorf("the first match explains %d factors, want %d", n, len(engine.ScoreFactors))
		}
		if !strings.Contains(b.text("#excluded-title"), "排除") {
			t.Error("the excluded counts are not shown")
		}
		// ... and refers them to the best match.
		b.submit(`.match-list > li:first-child .refer-form button`)
		if !strings.HasPrefix(b.path(), "/seekers/s-000002/referrals") || !strings.Contains(b.text(".notice"), "已推荐") {
			t.Errorf("after referring: %s %q", b.path(), b.text(".notice"))
		}
		// The follow-up worklist: record the first (the most overdue) follow-up.
		b.open("/followups")
		b.do(chromedp.Click(`.followup-list > li:first-child label[for$="-employed-yes"]`),
			chromedp.Click(`.followup-list > li:first-child input[name="sameEmployer"]`))
		b.submit(`.followup-list > li:first-child button[type="submit"]`)
		if !strings.Contains(b.text(".notice"), "已保存") {
			t.Errorf("after recording a follow-up: %q", b.text("main"))
		}
		// The edit form shows a wrong number beside its field and focuses the summary.
		b.open("/seekers/s-000002/edit")
		b.setValue("#f-mobility-maxCommuteMinutes", "很久")
		b.submit(`form[action$="/edit"] button[type="submit"]`)
		if id := eval[string](b, `document.activeElement.id`); id != "error-summary" {
			t.Errorf("after a failed save focus is on %q, not the error summary", id)
		}
		if got := eval[string](b, `document.getElementById("f-mobility-maxCommuteMinutes").getAttribute("aria-describedby")`); !strings.Contains(got, "f-mobility-maxCommuteMinutes-error") {
			t.Errorf("the field is described by %q", got)
		}

		b.check("counsellor-home", func() { b.open("/") })
		b.check("counsellor-seekers", func() { b.open("/seekers?category=hearing") })
		b.check("counsellor-seeker", func() { b.open("/seekers/s-000002") })
		b.check("counsellor-seeker-edit", func() { b.open("/seekers/s-000002/edit") })
		b.check("counsellor-seeker-edit-errors", func() {
			b.open("/seekers/s-000002/edit")
			b.setValue("#f-preferences-maxWeeklyHours", "99")
			b.submit(`form[action$="/edit"] button[type="submit"]`)
		})
		b.check("counsellor-matches", func() { b.open("/seekers/s-000002/matches") })
		b.check("counsellor-matches-classes", func() { b.open("/seekers/s-000002/matches?type=classes") })
		b.check("counsellor-gaps", func() { b.open("/seekers/s-000002/gaps") })
		b.gapNumbers(demo.matcher, counsellor.Street)
		b.check("counsellor-posts", func() { b.open("/posts?status=open") })
		b.check("counsellor-post", func() { b.open("/posts/p-000001") })
		b.check("counsellor-candidates", func() { b.open("/posts/p-000001/candidates") })
		b.check("counsellor-inbox", func() { b.open("/inbox") })
		b.check("counsellor-kpis", func() { b.open("/reports/kpis") })
		b.check("counsellor-referrals", func() { b.open("/seekers/s-000002/referrals") })
		b.check("counsellor-followups", func() { b.open("/followups") })

		for _, p := range []string{"/", "/seekers?category=hearing", "/seekers/s-000002", "/seekers/s-000002/matches", "/seekers/s-000002/edit", "/followups"} {
			b.keyboardPass(p)
		}
	})

	// The seekers a tour starts from, each seen by their street's counsellor
	// (before the employer's flow adds posts, so the screenshots show the demo data).
	t.Run("street-counsellors", func(t *testing.T) {
		for _, id := range []string{fixtures.DemoWheelchairSeeker, fixtures.DemoBlindSeeker} {
			info, found := demo.matcher.Seeker(id)
			if !found {
				t.Fatalf("demo seeker %s missing", id)
			}
			b := role(t)
			b.login("counsellor-" + info.Street)
			b.check("counsellor-matches-"+id, func() { b.open("/seekers/" + id + "/matches") })
		}
	})

	t.Run("employer", func(t *testing.T) {
		b := role(t)
		b.login("demo-employer")
		// Main task: post a job from an occupation, in both languages.
		var created string
		for _, lang := range []string{"zh-CN", "en"} {
			b.setLang(lang)
			created = b.postFromOccupation(lang, "cad-drafter")
		}
		b.setLang("zh-CN")
		// Main task: move a referral to interviewing.
		b.open("/referrals")
		form := fmt.Sprintf(`form[action="/referrals/%s/move"]`, referred[0].ID)
		b.do(chromedp.Click(form + ` label[for$="-status-interviewing"]`))
		b.submit(form + ` button[type="submit"]`)
		if !strings.Contains(b.text(".notice"), "状态已更新") || !strings.Contains(b.text("#ref-"+referred[0].ID), "面试中") {
			t.Errorf("after moving the referral: %q", b.text("main"))
		}
		b.check("employer-home", func() { b.open("/") })
		b.check("employer-posts", func() { b.open("/posts") })
		b.check("employer-post-new", func() { b.open("/posts/new") })
		b.check("employer-post-new-errors", func() {
			b.open("/posts/new")
			b.setValue("#f-site-lat", "40")
			b.submit(`form[method="post"][action="/posts/new"] button[type="submit"]`)
		})
		b.check("employer-post-new-occupation", func() { b.open("/posts/new?occupation=cad-drafter") })
		b.check("employer-post", func() { b.open(created) })
		b.check("employer-post-edit", func() { b.open(created + "/edit") })
		b.check("employer-candidates", func() { b.open("/posts/p-000001/candidates") })
		b.check("employer-quota", func() { b.open("/employers/e-0001/quota") })
		b.check("employer-referrals", func() { b.open("/referrals") })
		b.check("employer-forbidden", func() { b.open("/seekers/s-000002") })
	})

	t.Run("trainee", func(t *testing.T) {
		b := role(t)
		b.login("demo-trainee")
		// Main task: see my course's progress change after the learning platform reports a statement.
		b.submit(`.main-nav a[href="/seekers/s-000002/courses"]`)
		before := eval[float64](b, `document.querySelector("progress").value`)
		postStatement(t, demo.srv.URL, apiToken(t, demo.srv.URL, "demo-trainee", "jobbridge-demo"),
			xapiProgress("0b6f3c1e-2d4a-4e8f-9b7c-1a2b3c4d5e6f", "s-000002", class.ID, next, 100))
		b.open("/seekers/s-000002/courses")
		after := eval[float64](b, `document.querySelector("progress").value`)
		if after <= before {
			t.Errorf("progress %v before the statement, %v after", before, after)
		}
		if txt := b.text(".progress-text"); !strings.Contains(txt, fmt.Sprint(after)) && !strings.Contains(txt, fmt.Sprintf("%.1f", after)) {
			t.Errorf("the progress text %q does not say %v", txt, after)
		}
		b.check("trainee-courses", func() { b.open("/seekers/s-000002/courses") })
		b.keyboardPass("/seekers/s-000002/courses")
		// Make the text large and the contrast high from the home page.
		b.open("/")
		b.do(chromedp.Click(`label[for="f-text-large"]`), chromedp.Click(`label[for="f-contrast-high"]`))
		b.submit(`.display-form button[type="submit"]`)
		if cls := eval[string](b, `document.body.className`); !strings.Contains(cls, "large-text") || !strings.Contains(cls, "high-contrast") {
			t.Errorf("body class after the display switch: %q", cls)
		}
		b.check("trainee-home-large", func() { b.open("/") })
		b.open("/settings")
		b.do(chromedp.Click(`label[for="f-text-normal"]`), chromedp.Click(`label[for="f-contrast-normal"]`))
		b.submit(`.display-form button[type="submit"]`)
		b.check("trainee-home", func() { b.open("/") })
		b.check("trainee-file", func() { b.open("/seekers/s-000002") })
		b.check("trainee-matches", func() { b.open("/seekers/s-000002/matches") })
		b.check("trainee-gaps", func() { b.open("/seekers/s-000002/gaps") })
		b.keyboardPass("/")
		b.keyboardPass("/seekers/s-000002/matches")
	})

	// The demo trainee takes the shipped cmi5 AU (fixtures/content/cmi5-demo)
	// from her courses page: the launch, the AU's fetch, LMS.LaunchData and its
	// statements all really happen, and the unit shows done with the LMS's satisfied.
	t.Run("trainee-cmi5", func(t *testing.T) {
		if class.ID != fixtures.DemoRemoteClass {
			if _, err := demo.svc.Enroll(ctx, &engine.Enrollment{SeekerID: fixtures.DemoTraineeSeeker, ClassID: fixtures.DemoRemoteClass},
				fixtures.DemoCounsellor); err != nil {
				t.Fatal(err)
			}
		}
		b := role(t)
		b.login("demo-trainee")
		courses := "/seekers/" + fixtures.DemoTraineeSeeker + "/courses"
		b.open(courses)
		enr := eval[string](b, `document.querySelector('form.launch').action.split("/")[4]`)
		launch := fmt.Sprintf(`form[action="/enrollments/%s/modules/%s/launch"] button`, enr, fixtures.DemoAUModule)
		b.submit(launch)
		if p := b.path(); !strings.HasPrefix(p, "/content/cmi5-demo/au.html?") {
			t.Fatalf("the launch went to %s", p)
		}
		for _, want := range []string{"endpoint", "fetch", "actor", "registration", "activityId"} {
			if !strings.Contains(b.path(), want+"=") {
				t.Errorf("launch parameter %s missing from %s", want, b.path())
			}
		}
		waitFor := func(cond, what string) {
			t.Helper()
			if !eval[bool](b, `new Promise((ok) => { const t0 = Date.now(); (function w() {
				if (`+cond+`) ok(true); else if (Date.now() - t0 > 15000) ok(false); else setTimeout(w, 50); })(); })`) {
				t.Fatalf("waiting for %s: page says %q", what, b.text("main"))
			}
		}
		waitFor(`!document.getElementById("next").hidden`, "the AU's first page")
		b.do(chromedp.Click("#next"))
		waitFor(`document.getElementById("status").innerText.includes("2 / 3")`, "page 2")
		b.do(chromedp.Click("#next"))
		waitFor(`!document.getElementById("finish").hidden && document.getElementById("status").innerText.includes("3 / 3")`, "page 3")
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, "trainee-cmi5-au.png"), png, 0o644)
		b.do(chromedp.Click("#finish"))
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			// The AU navigates away by itself: poll from here, not in the page.
			p, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`))
			if err == nil && p == courses {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the AU did not return to the courses page: %q %v", p, err)
			}
		}
		b.do(chromedp.WaitReady("body"))
		row := b.text("#course-" + enr + " ol.modules li:first-child")
		if !strings.Contains(row, "已完成") {
			t.Errorf("the AU's unit after finishing: %q", row)
		}
		v, err := demo.svc.Enrollment(ctx, enr)
		if err != nil {
			t.Fatal(err)
		}
		if mp := v.Modules[fixtures.DemoAUModule]; !mp.Completed || mp.Progress != 100 {
			t.Errorf("the AU's module progress %+v", mp)
		}
		// What the AU and the LMS wrote, in order, as the admin reads it.
		admin := engine.LRSClient{User: &engine.User{Meta: engine.Meta{ID: "u-demo-admin"}, Role: engine.RoleAdmin}}
		sts, _, _, err := demo.lrs.Statements(ctx, admin, engine.StatementQuery{Registration: engine.Registration(enr), Ascending: true, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var verbs []string
		for _, st := range sts {
			var doc struct {
				Verb struct{ ID string } `json:"verb"`
			}
			json.Unmarshal([]byte(st.Body), &doc)
			verbs = append(verbs, doc.Verb.ID[strings.LastIndex(doc.Verb.ID, "/")+1:])
		}
		if want := "launched initialized progressed progressed completed satisfied terminated"; strings.Join(verbs, " ") != want {
			t.Errorf("statements of the registration: %v, want %s", verbs, want)
		}
		b.check("trainee-cmi5-courses", func() { b.open(courses) })
	})

	t.Run("provider", func(t *testing.T) {
		b := role(t)
		b.login("demo-provider")
		b.check("provider-home", func() { b.open("/") })
	})

	t.Run("admin", func(t *testing.T) {
		b := role(t)
		b.login("demo-admin")
		// Main task: run a scheduled job now and see its run recorded.
		b.open("/admin/schedules")
		b.submit(`form[action="/admin/schedules/training-outcomes/run"] button`)
		if !strings.Contains(b.text(".notice"), "任务已运行") {
			t.Errorf("no notice after running a job: %q", b.text("main"))
		}
		if !strings.Contains(b.text("#job-training-outcomes table"), "手动") {
			t.Error("the manual run is not in the job's recent runs")
		}
		// And add a skill to the catalog.
		b.open("/admin/skills")
		b.do(chromedp.SendKeys("#f-code", "sign-interpreting"), chromedp.SendKeys("#f-zh", "手语翻译"),
			chromedp.SendKeys("#f-en", "Sign language interpreting"), chromedp.SendKeys("#f-group", "service"))
		b.submit(`form[action="/admin/skills"] button[type="submit"]`)
		if !strings.Contains(b.text("main table"), "sign-interpreting") {
			t.Error("the new skill is not in the catalog")
		}
		b.check("admin-home", func() { b.open("/") })
		b.check("admin-users", func() { b.open("/admin/users") })
		b.check("admin-user-new", func() { b.open("/admin/users/new") })
		b.check("admin-user-edit", func() { b.open("/admin/users/u-demo-counsellor") })
		b.check("admin-skills", func() { b.open("/admin/skills") })
		b.check("admin-skill-edit", func() { b.open("/admin/skills/data-entry") })
		b.check("admin-schedules", func() { b.open("/admin/schedules") })
		b.check("admin-audit", func() { b.open("/admin/audit?" + url.Values{"seekerId": {"s-000002"}}.Encode()) })
	})

	report := "| page | language | axe violations |\n|---|---|---|\n" + strings.Join(audit.rows, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(shots, "axe-report.md"), []byte(report), 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("axe: %d page views, %d violations; browser suite %s; screenshots in %s",
		len(audit.rows), audit.bad, time.Since(start).Round(time.Second), shots)
}

// postFromOccupation is an employer posting a job: the form starts with no
// demand chosen, the toilet asked once and skills by group in the reader's
// order; choosing an occupation fills it visibly; the employer changes a
// demand, leaves one unchosen and the wage blank, is told about both by name,
// fixes them and posts. It returns the new post's address.
func (b *tab) postFromOccupation(lang, code string) string {
	b.t.Helper()
	t := b.t
	occ, found := engine.LookupOccupation(code)
	if !found {
		t.Fatalf("no occupation %s", code)
	}
	zh := lang == "zh-CN"
	b.open("/posts/new")
	if n := eval[int](b, `[...document.querySelectorAll("select[name^='demands.']")].filter(s => s.value !== "").length`); n != 0 {
		t.Errorf("%s: %d demands start chosen", lang, n)
	}
	if n := eval[int](b, `document.querySelectorAll("input[name='site.accessibleToilet'], input[name='accommodations'][value='accessible-toilet']").length`); n != 1 {
		t.Errorf("%s: the accessible toilet is asked %d times", lang, n)
	}
	// Groups and the skills in each are in the reader's order, by the browser's own collation.
	unordered := eval[[]string](b, `(() => {
		const col = new Intl.Collator(document.documentElement.lang);
		const sel = document.querySelector("select[name='skills[0].code']");
		const groups = [...sel.querySelectorAll("optgroup")];
		const bad = [];
		const inOrder = xs => xs.every((x, i) => i === 0 || col.compare(xs[i-1], x) <= 0);
		if (groups.length < 8) bad.push("only " + groups.length + " groups");
		if (!inOrder(groups.map(g => g.label))) bad.push("groups: " + groups.map(g => g.label).join(" | "));
		for (const g of groups) {
			const names = [...g.querySelectorAll("option")].map(o => o.textContent);
			if (!inOrder(names)) bad.push(g.label + ": " + names.join(" | "));
		}
		return bad;
	})()`)
	for _, u := range unordered {
		t.Errorf("%s: skills not in the reader's order: %s", lang, u)
	}

	// Choose the occupation: the form comes back filled, and says so.
	b.setValue("#f-occupation", code)
	b.submit(`form.occupation-form button[type="submit"]`)
	name := occ.Zh
	if !zh {
		name = occ.En
	}
	if txt := b.text("#filled-from"); !strings.Contains(txt, name) || eval[float64](b, `document.getElementById("filled-from").getBoundingClientRect().height`) == 0 {
		t.Errorf("%s: no visible notice that the form was filled from %q: %q", lang, name, txt)
	}
	for _, dim := range engine.Dimensions {
		if got := eval[string](b, fmt.Sprintf(`document.getElementById("f-demands-%s").value`, dim)); got != fmt.Sprint(occ.Demands[dim]) {
			t.Errorf("%s: demand %s shows %q, the occupation's is %d", lang, dim, got, occ.Demands[dim])
		}
	}
	if got := eval[string](b, `document.getElementById("f-skills-0-code").value`); got != occ.Skills[0].Code {
		t.Errorf("%s: the first skill is %q, the occupation's is %q", lang, got, occ.Skills[0].Code)
	}
	if !eval[bool](b, `document.getElementById("f-accommodations-seated-work").checked`) {
		t.Errorf("%s: the occupation's accommodations are not ticked", lang)
	}

	// The employer changes what differs here, and forgets the wage and one demand.
	title := name + " " + lang
	b.setValue("#f-title", title)
	b.setValue("#f-demands-vision", "2")
	b.setValue("#f-demands-hearing", "")
	b.setValue("#f-site-lat", "31.1925")
	b.setValue("#f-site-lon", "121.437")
	b.do(chromedp.Click(`label[for="f-accommodations-screen-reader"]`))
	b.submit(`form[method="post"][action="/posts/new"] button[type="submit"]`)
	if id := eval[string](b, `document.activeElement.id`); id != "error-summary" {
		t.Errorf("%s: after a refused post focus is on %q, not the error summary", lang, id)
	}
	summary := b.text(".error-summary")
	for _, field := range []struct{ id, zh, en string }{{"f-demands-hearing", "听力", "Hearing"}, {"f-monthlyWage", "月薪", "Monthly pay"}} {
		label := field.en
		if zh {
			label = field.zh
		}
		if !strings.Contains(summary, label) {
			t.Errorf("%s: the error summary does not name %q: %q", lang, label, summary)
		}
		if got := eval[string](b, fmt.Sprintf(`document.getElementById(%q).getAttribute("aria-invalid") || ""`, field.id)); got != "true" {
			t.Errorf("%s: %s is not marked invalid", lang, field.id)
		}
	}
	if got := eval[string](b, `document.getElementById("f-demands-vision").value`); got != "2" {
		t.Errorf("%s: the changed demand came back as %q", lang, got)
	}
	b.setValue("#f-demands-hearing", "0")
	b.setValue("#f-monthlyWage", "7200")
	b.submit(`form[method="post"][action="/posts/new"] button[type="submit"]`)
	if h1 := b.text("h1"); !strings.Contains(h1, title) {
		t.Fatalf("%s: after posting the page is %q (%s): %s", lang, h1, b.path(), b.text(".error-summary"))
	}
	if !strings.Contains(b.text(".notice"), map[bool]string{true: "已创建", false: "Created"}[zh]) {
		t.Errorf("%s: no notice that the post was created: %q", lang, b.text(".notice"))
	}
	return strings.Split(b.path(), "?")[0]
}

// gapNumbers checks the gaps page of a seeker of the street against the
// engine's gaps, in both languages: the post's number is labelled as today's
// score with the skills missing, and each class shows the score after it and
// whether it alone closes the gap.
func (b *tab) gapNumbers(m *engine.Matcher, street string) {
	b.t.Helper()
	t := b.t
	var seeker string
	var gap *engine.GapResult
	for i := 2; i <= 300 && gap == nil; i++ {
		id := fmt.Sprintf("s-%06d", i)
		if info, found := m.Seeker(id); !found || (street != "" && info.Street != street) {
			continue
		}
		res, err := m.Gaps(id, engine.DefaultMatchLimit)
		if err != nil {
			t.Fatal(err)
		}
		for j := range res.Results {
			if len(res.Results[j].Classes) > 0 && gap == nil {
				seeker, gap = id, &res.Results[j]
			}
		}
	}
	if gap == nil {
		t.Fatalf("no demo seeker of %q has a gap with a class", street)
	}
	type shown struct {
		Line    string   `json:"line"`
		Classes []string `json:"classes"`
		After   []string `json:"after"`
		Closes  []bool   `json:"closes"`
	}
	for _, lang := range []string{"zh-CN", "en"} {
		b.setLang(lang)
		b.open("/seekers/" + seeker + "/gaps")
		got := eval[shown](b, fmt.Sprintf(`(() => {
			const a = document.querySelector('.match-list a[href="/posts/%s"]');
			if (!a) return {line: "", classes: [], after: [], closes: []};
			const card = a.closest("li.card");
			const items = [...card.querySelectorAll("li.gap-class")];
			return {line: card.querySelector(".score-line").innerText,
				classes: items.map(li => li.querySelector("strong").innerText),
				after: items.map(li => li.querySelector(".score-after").innerText),
				closes: items.map(li => !!li.querySelector(".yes"))};
		})()`, gap.ID))
		today := fmt.Sprintf("Score today, with the skills missing: %.1f out of 100", gap.Score)
		if lang == "zh-CN" {
			today = fmt.Sprintf("今天的得分（缺少这些技能）：%.1f / 100", gap.Score)
		}
		if got.Line != today {
			t.Errorf("%s %s gaps, post %s: %q, want %q", lang, seeker, gap.ID, got.Line, today)
		}
		if len(got.Classes) != len(gap.Classes) {
			t.Fatalf("%s %s gaps: %d classes shown for %s, the engine suggests %d", lang, seeker, len(got.Classes), gap.ID, len(gap.Classes))
		}
		for i, c := range gap.Classes {
			after := fmt.Sprintf("after this class: %.1f", c.ScoreAfter)
			if lang == "zh-CN" {
				after = fmt.Sprintf("学完本课程后：%.1f 分", c.ScoreAfter)
			}
			if got.Classes[i] != c.Title || got.After[i] != after || got.Closes[i] != c.ClosesGap {
				t.Errorf("%s %s gaps, class %d: %q %q closes %v, want %q %q closes %v", lang, seeker, i,
					got.Classes[i], got.After[i], got.Closes[i], c.Title, after, c.ClosesGap)
			}
		}
	}
	b.setLang("zh-CN")
}
