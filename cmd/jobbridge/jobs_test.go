package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"jobbridge/engine"
	"jobbridge/fixtures"
)

// TestJobsDemo is the training issue's "done shows" on the demo data: the
// demo trainee's course under way (the demo's history), the provider posts
// the rest of its progressed and passed statements, `jobbridge jobs run training-outcomes` (asking the running
// service) passes the enrollment, the skill is in the file, the counsellor's
// inbox names the new matches. Stopped, the service leaves no control socket,
// and `jobs run` then runs in its own process.
func TestJobsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo data")
	}
	dir := t.TempDir()
	ctx := context.Background()
	root, stop := startServe(t, dir)
	base := root + "/api/v1"
	call := func(token, method, path, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatalf("%s %s: %s", method, path, b)
			}
		}
		return res.StatusCode
	}
	login := func(user string) string {
		var out struct{ Token string }
		if call("", "POST", "/auth/login", fmt.Sprintf(`{"username":%q,"password":%q}`, user, fixtures.DemoPassword), &out); out.Token == "" {
			t.Fatalf("login %s", user)
		}
		return out.Token
	}
	couns, prov := login("demo-counsellor"), login("demo-provider")
	var list struct{ Results []engine.EnrollmentView }
	call(couns, "GET", "/enrollments?seekerId="+fixtures.DemoTraineeSeeker, "", &list)
	var en engine.EnrollmentView
	for _, v := range list.Results {
		if v.ClassID == fixtures.DemoRemoteClass {
			en = v
		}
	}
	if en.Status != engine.EnrollmentActive {
		t.Fatalf("the demo trainee's course in %s: %+v", fixtures.DemoRemoteClass, list.Results)
	}
	var before engine.MatchResponse
	call(couns, "GET", "/seekers/"+fixtures.DemoTraineeSeeker+"/matches?limit=100", "", &before)

	st := func(module, verb, result string) string {
		return fmt.Sprintf(`{"actor":{"account":{"homePage":"https://lms.example","name":%q}},"verb":{"id":%q},"object":{"id":%q},"result":%s}`,
			fixtures.DemoTraineeSeeker, engine.VerbPrefix+verb, engine.ModuleActivity(fixtures.DemoRemoteClass, module), result)
	}
	var progressed []string
	for _, m := range []string{"m01", "m02", "m03", "m04", "m05", "m06"} {
		progressed = append(progressed, st(m, "progressed", fmt.Sprintf(`{"extensions":{%q:100}}`, engine.ProgressExtension)))
	}
	var ids []string
	if code := call(prov, "POST", "/xapi/statements", "["+strings.Join(progressed, ",")+"]", &ids); code != 200 || len(ids) != 6 {
		t.Fatalf("progressed: %d %v", code, ids)
	}
	if code := call(prov, "POST", "/xapi/statements", st("m08", "passed", `{"score":{"scaled":0.85},"success":true}`), &ids); code != 200 {
		t.Fatalf("passed: %d", code)
	}

	if _, err := os.Stat(filepath.Join(dir, controlSocket)); err != nil {
		t.Fatalf("no control socket while serving: %v", err)
	}
	var out, logs bytes.Buffer
	if err := run(ctx, []string{"jobs", "run", "training-outcomes", "--data-dir", dir}, &out, &logs); err != nil {
		t.Fatalf("jobs run: %v\n%s", err, logs.String())
	}
	var jr engine.JobRun
	if err := json.Unmarshal(out.Bytes(), &jr); err != nil || jr.Counts["passed"] != 1 || !strings.Contains(logs.String(), "asking the running service") {
		t.Fatalf("jobs run printed %s (%v)\n%s", out.String(), err, logs.String())
	}

	call(couns, "GET", "/enrollments/"+en.ID, "", &en)
	if en.Status != engine.EnrollmentPassed {
		t.Fatalf("enrollment %s after the job", en.Status)
	}
	var sk engine.Seeker
	call(couns, "GET", "/seekers/"+fixtures.DemoTraineeSeeker, "", &sk)
	hasCAD := false
	for _, s := range sk.Skills {
		hasCAD = hasCAD || s.Code == "cad-drafting"
	}
	if !hasCAD {
		t.Fatalf("skills after passing: %v", sk.Skills)
	}
	var inbox struct{ Results []engine.InboxItem }
	call(couns, "GET", "/inbox?kind=passed", "", &inbox)
	inbox.Results = slices.DeleteFunc(inbox.Results, func(it engine.InboxItem) bool { return it.EnrollmentID != en.ID })
	if len(inbox.Results) != 1 || len(inbox.Results[0].Matches) == 0 {
		t.Fatalf("inbox %+v", inbox)
	}
	var after engine.MatchResponse
	call(couns, "GET", "/seekers/"+fixtures.DemoTraineeSeeker+"/matches?limit=100", "", &after)
	old := map[string]bool{}
	for _, r := range before.Results {
		old[r.ID] = true
	}
	for _, m := range inbox.Results[0].Matches {
		if old[m.ID] {
			t.Errorf("inbox names %s, a match before the class", m.ID)
		}
	}
	t.Logf("%d matches before, %d after; inbox: %s", len(before.Results), len(after.Results), inbox.Results[0].Text.En)

	out.Reset()
	if err := run(ctx, []string{"jobs", "list", "--data-dir", dir}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "training-outcomes") {
		t.Fatalf("jobs list: %v\n%s", err, out.String())
	}

	stop()
	if _, err := os.Stat(filepath.Join(dir, controlSocket)); !os.IsNotExist(err) {
		t.Fatalf("control socket left after shutdown: %v", err)
	}
	out.Reset()
	err := run(context.Background(), []string{"jobs", "run", "rematch", "--data-dir", dir, "--log-level", "warn", "--now", "2026-12-02T02:30:00+08:00"}, &out, io.Discard)
	if err != nil || json.Unmarshal(out.Bytes(), &jr) != nil || jr.Result != engine.RunOK || jr.Now == nil {
		t.Fatalf("jobs run in process: %v\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"jobs", "run"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("jobs run without a name: %v", err)
	}
}
