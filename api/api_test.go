package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"jobbridge/api"
)

func TestHealth(t *testing.T) {
	for _, path := range []string{"/healthz", "/readyz"} {
		res, body := shared.do(t, "", "GET", path, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
}

func TestLoginLogout(t *testing.T) {
	e := shared
	res, _ := e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"couns-x","password":"wrong-password"}`)
	if res.StatusCode != 401 {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ = e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"nobody","password":"wrong-password"}`)
	if res.StatusCode != 401 {
		t.Fatalf("unknown user: %d", res.StatusCode)
	}
	res, body := e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"couns-x","password":"`+testPassword+`"}`)
	var out struct {
		Token, Role, ExpiresAt string
	}
	json.Unmarshal(body, &out)
	if res.StatusCode != 200 || out.Token == "" || out.Role != "counsellor" || out.ExpiresAt == "" {
		t.Fatalf("login: %d %s", res.StatusCode, body)
	}
	if strings.Contains(string(mustAll(t, e)), out.Token) {
		t.Fatal("token stored in plain text")
	}
	e.tokens["logout-x"] = out.Token
	res, _ = e.do(t, "logout-x", "GET", "/api/v1/me", nil)
	if res.StatusCode != 200 {
		t.Fatalf("me: %d", res.StatusCode)
	}
	res, _ = e.do(t, "logout-x", "POST", "/api/v1/auth/logout", nil)
	if res.StatusCode != 200 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	res, _ = e.do(t, "logout-x", "GET", "/api/v1/me", nil)
	if res.StatusCode != 401 {
		t.Fatalf("after logout: %d", res.StatusCode)
	}
	res, _ = e.do(t, "", "GET", "/api/v1/me", nil)
	if res.StatusCode != 401 {
		t.Fatalf("anonymous: %d", res.StatusCode)
	}
}

// mustAll returns the session ids stored, to check tokens are kept hashed.
func mustAll(t *testing.T, e *env) []byte {
	t.Helper()
	var b strings.Builder
	for _, tok := range e.tokens {
		sess, err := e.store.GetSession(t.Context(), tok)
		if err == nil {
			b.WriteString(sess.ID)
		}
	}
	return []byte(b.String())
}

// TestMetrics: /metrics is on the operators' listener only (the public port
// answers 404), in the Prometheus format of client_golang, with per-route
// latency under the route template (no raw ids), the matching state and the
// Go runtime.
func TestMetrics(t *testing.T) {
	srv := api.New(api.Config{Service: shared.svc, Matcher: shared.matcher})
	pub := httptest.NewServer(srv.Handler())
	defer pub.Close()
	ops := httptest.NewServer(srv.OpsHandler())
	defer ops.Close()
	get := func(base, path string) (int, string) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	get(pub.URL, "/healthz")
	get(pub.URL, "/api/v1/seekers/s-secret-id-1")
	if code, _ := get(pub.URL, "/metrics"); code != 404 {
		t.Fatalf("public /metrics: %d, want 404", code)
	}
	code, body := get(ops.URL, "/metrics")
	for _, want := range []string{
		`jobbridge_http_request_duration_seconds_count{code="200",method="GET",route="/healthz"} 1`,
		`route="/api/v1/seekers/:id"`,
		`jobbridge_matching_records{kind="open_post"} `,
		`jobbridge_change_feed_rev `, `jobbridge_index_lag_revs `,
		`go_goroutines `, `go_memstats_heap_alloc_bytes `,
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("ops /metrics %d lacks %q:\n%s", code, want, body)
		}
	}
	if strings.Contains(body, "s-secret-id-1") {
		t.Fatal("a raw path reached the metrics")
	}
}
