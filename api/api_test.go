package api_test

import (
	"encoding/json"
	"strings"
	"testing"
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

func TestMetrics(t *testing.T) {
	shared.do(t, "", "GET", "/healthz", nil)
	res, body := shared.do(t, "", "GET", "/metrics", nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), `jobbridge_http_requests_total{code="2xx"}`) ||
		!strings.Contains(string(body), `jobbridge_matching_records{kind="open_post"} `) {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
}
