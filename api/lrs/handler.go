// Package lrs is the xAPI 1.0.3 LRS at /xapi/ (DESIGN §6): the statement,
// document, activity, agent and about resources over engine.LRS, with HTTP
// Basic LRS credentials or jobbridge session tokens, the version header on
// every response and the alternate request syntax.
package lrs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// Prefix is where the LRS is mounted.
const Prefix = "/xapi"

// MaxBody is the largest request the LRS reads (statements with their attachments); larger → 413.
const MaxBody = 16 << 20

// Handler serves the LRS.
type Handler struct {
	LRS *engine.LRS
	// Session resolves a jobbridge bearer token to its user (nil: Basic only).
	Session func(ctx context.Context, token string) (*engine.User, error)
	Log     *slog.Logger
}

// resource is one LRS resource and the handler of each method it allows.
type resource map[string]func(w http.ResponseWriter, r *http.Request, c engine.LRSClient) error

func (h *Handler) resources() map[string]resource {
	return map[string]resource{
		"/statements": {"GET": h.getStatements, "HEAD": h.getStatements, "PUT": h.putStatement, "POST": h.postStatements},
		"/activities": {"GET": h.getActivity, "HEAD": h.getActivity},
		"/activities/state": {"GET": h.getDocument(engine.DocState), "HEAD": h.getDocument(engine.DocState),
			"PUT": h.saveDocument(engine.DocState, false), "POST": h.saveDocument(engine.DocState, true), "DELETE": h.deleteDocument(engine.DocState)},
		"/activities/profile": {"GET": h.getDocument(engine.DocActivityProfile), "HEAD": h.getDocument(engine.DocActivityProfile),
			"PUT": h.saveDocument(engine.DocActivityProfile, false), "POST": h.saveDocument(engine.DocActivityProfile, true),
			"DELETE": h.deleteDocument(engine.DocActivityProfile)},
		"/agents": {"GET": h.getAgent, "HEAD": h.getAgent},
		"/agents/profile": {"GET": h.getDocument(engine.DocAgentProfile), "HEAD": h.getDocument(engine.DocAgentProfile),
			"PUT": h.saveDocument(engine.DocAgentProfile, false), "POST": h.saveDocument(engine.DocAgentProfile, true),
			"DELETE": h.deleteDocument(engine.DocAgentProfile)},
	}
}

// ServeHTTP answers every LRS request; each response, errors included,
// carries X-Experience-API-Version.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Experience-API-Version", xapi.Version)
	cors(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, Prefix), "/")
	if path == "/about" {
		h.fail(w, r, h.about(w, r))
		return
	}
	res, ok := h.resources()[path]
	if !ok {
		h.fail(w, r, engine.Errorf(engine.ENOTFOUND, "no LRS resource %s (statements, activities, activities/state, activities/profile, agents, agents/profile, about)", path))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if r.Method == http.MethodPost && r.URL.Query().Has("method") {
		alt, err := alternate(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		r = alt
	}
	fn, ok := res[r.Method]
	if !ok {
		w.Header().Set("Allow", strings.Join(slices.Sorted(mapKeys(res)), ", "))
		h.fail(w, r, &engine.Error{Code: eMethod, Message: fmt.Sprintf("%s does not take %s", path, r.Method)})
		return
	}
	c, err := h.client(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v := r.Header.Get("X-Experience-API-Version"); !versionOK(v) {
		h.fail(w, r, invalid("X-Experience-API-Version", fmt.Sprintf("header must be 1.0 or 1.0.x (this LRS speaks %s), not %q", xapi.Version, v)))
		return
	}
	h.fail(w, r, fn(w, r, c))
}

func mapKeys(m resource) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func versionOK(v string) bool {
	v = strings.TrimSpace(v)
	return v == "1.0" || strings.HasPrefix(v, "1.0.") && len(v) > 4 && strings.Trim(v[4:], "0123456789") == ""
}

// cors lets course players in browsers on other origins call the LRS.
func cors(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match")
	h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through")
	h.Add("Vary", "Origin")
}

// client authenticates a request: HTTP Basic with an LRS credential, or a jobbridge session token.
func (h *Handler) client(r *http.Request) (engine.LRSClient, error) {
	c := engine.LRSClient{HomePage: homePage(r)}
	auth := r.Header.Get("Authorization")
	if basic, ok := strings.CutPrefix(auth, "Basic "); ok {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(basic))
		key, secret, found := strings.Cut(string(raw), ":")
		if err != nil || !found {
			return c, engine.Errorf(engine.EUNAUTHORIZED, "Authorization: Basic must carry base64 of key:secret")
		}
		cred, u, err := h.LRS.Authenticate(r.Context(), key, secret)
		if err != nil {
			return c, err
		}
		c.User, c.Credential = u, cred
		return c, nil
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok && h.Session != nil {
		u, err := h.Session(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return c, err
		}
		c.User = u
		return c, nil
	}
	return c, engine.Errorf(engine.EUNAUTHORIZED, "authenticate with HTTP Basic (an LRS key and secret) or Authorization: Bearer <session token>")
}

// homePage is this LRS's address, the homePage of the accounts it names as authority.
func homePage(r *http.Request) string { return SiteBase(r) + "/" }

// SiteBase is the scheme and host the request reached (scheme://host).
func SiteBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// The LRS's own error codes besides the engine's.
const (
	eMethod = "method_not_allowed"
)

// StatusOf maps the domain's error codes to HTTP statuses; the JSON API (api.statusOf) adds its own codes to it.
var StatusOf = map[string]int{
	engine.EINVALID:      http.StatusBadRequest,
	engine.ENOTFOUND:     http.StatusNotFound,
	engine.ECONFLICT:     http.StatusConflict,
	engine.EUNAUTHORIZED: http.StatusUnauthorized,
	engine.EFORBIDDEN:    http.StatusForbidden,
	engine.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	engine.EPRECONDITION: http.StatusPreconditionFailed,
	eMethod:              http.StatusMethodNotAllowed,
	engine.EINTERNAL:     http.StatusInternalServerError,
}

// fail answers an error as the JSON API does ({"error":{code,message,fields}}); nil does nothing.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = engine.Errorf(engine.ETOOLARGE, "the request is larger than %d bytes", MaxBody)
	}
	var e *engine.Error
	if !errors.As(err, &e) {
		log := h.Log
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(r.Context(), "lrs request failed", "path", r.URL.Path, "err", err)
		e = &engine.Error{Code: engine.EINTERNAL, Message: "internal error"}
	}
	status := StatusOf[e.Code]
	if status == 0 {
		status = StatusOf[engine.EINTERNAL]
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="jobbridge LRS"`)
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func invalid(field, msg string) error {
	return &engine.Error{Code: engine.EINVALID, Message: "invalid request", Fields: []engine.FieldError{{Field: field, Message: msg}}}
}

// readBody reads the whole request body.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, invalid("body", "could not be read")
	}
	return b, nil
}

// alternateHeaders are the headers a form of the alternate request syntax may carry.
var alternateHeaders = []string{"Authorization", "X-Experience-API-Version", "Content-Type", "Content-Length", "If-Match", "If-None-Match"}

// alternate turns a request in the alternate syntax (Communication 1.3: a
// POST with ?method=, its headers, content and parameters as form fields)
// into the request it stands for.
func alternate(r *http.Request) (*http.Request, error) {
	q := r.URL.Query()
	method := q.Get("method")
	if len(q) != 1 {
		return nil, invalid("method", "the alternate request syntax takes no other URL parameter than method; put the others in the form")
	}
	if !slices.Contains([]string{"GET", "HEAD", "PUT", "POST", "DELETE"}, method) {
		return nil, invalid("method", "must be GET, HEAD, PUT, POST or DELETE")
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return nil, invalid("Content-Type", "the alternate request syntax sends application/x-www-form-urlencoded")
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, invalid("body", "is not a URL-encoded form")
	}
	alt := r.Clone(r.Context())
	alt.Method = method
	alt.Header = r.Header.Clone()
	alt.Header.Del("Content-Type")
	alt.Header.Del("Content-Length")
	params := url.Values{}
	content := ""
	for k, vs := range form {
		switch {
		case k == "content":
			content = vs[0]
		case slices.ContainsFunc(alternateHeaders, func(h string) bool { return strings.EqualFold(h, k) }):
			alt.Header.Set(k, vs[0])
		default:
			params[k] = vs
		}
	}
	alt.URL.RawQuery = params.Encode()
	alt.Body = io.NopCloser(strings.NewReader(content))
	alt.ContentLength = int64(len(content))
	if alt.Header.Get("Content-Type") == "" && content != "" {
		alt.Header.Set("Content-Type", "application/json")
	}
	return alt, nil
}

// about answers GET /about: the versions this LRS speaks.
func (h *Handler) about(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return &engine.Error{Code: eMethod, Message: "/about takes GET"}
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": []string{"1.0.0", "1.0.1", "1.0.2", "1.0.3"}, "extensions": map[string]any{}})
	return nil
}
