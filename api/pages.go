package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// The web pages: server-rendered html/template pages at /, on the same
// sessions (a cookie holds the bearer token) and the same policy as the API.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookies of the pages.
const (
	sessionCookie = "jb_session" // the bearer token of a page login
	preCookie     = "jb_pre"     // the CSRF secret before login
	langCookie    = "jb_lang"    // zh-CN or en
	displayCookie = "jb_display" // large-text and high-contrast choices
)

const csrfField = "csrf"

// site serves the pages of one Server.
type site struct {
	*Server
	cat    *catalog
	pages  map[string]*template.Template // by page name, never executed (cloned per request)
	static string                        // cache-busting version of the static files
}

// pageHandler serves a page; an error it returns is shown as an error page.
type pageHandler func(c *gin.Context) error

// pageRoute is one page and the roles that may open it.
type pageRoute struct {
	method, path string
	who          roleRule
	handle       pageHandler
}

// mountPages adds the pages, their static files and their sessions to r.
func (s *Server) mountPages(r *gin.Engine) {
	cat, err := newCatalog(s.log)
	if err != nil {
		panic(fmt.Sprintf("page messages: %v", err))
	}
	st := &site{Server: s, cat: cat}
	if err := st.parseTemplates(); err != nil {
		panic(fmt.Sprintf("page templates: %v", err))
	}
	sub, _ := fs.Sub(staticFS, "static")
	st.static = staticVersion(sub)
	r.GET("/static/*file", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.FileFromFS(path.Clean(c.Param("file")), http.FS(sub))
	})
	p := r.Group("", st.pageSession, st.csrf)
	for _, rt := range st.publicRoutes() {
		p.Handle(rt.method, rt.path, func(c *gin.Context) {
			if err := rt.handle(c); err != nil {
				st.fail(c, err)
			}
		})
	}
	for _, rt := range st.routes() {
		p.Handle(rt.method, rt.path, st.run(rt))
	}
}

// publicRoutes are the pages anyone may open, logged in or not.
func (st *site) publicRoutes() []pageRoute {
	return []pageRoute{
		{"GET", "/login", nil, st.loginPage},
		{"POST", "/login", nil, st.loginSubmit},
		{"GET", "/settings", nil, st.settingsPage},
		{"POST", "/settings", nil, st.settingsSubmit},
	}
}

// routes is the table of pages with their roles: the page half of the route
// policy, using the same role rules and object checks as the API.
func (st *site) routes() []pageRoute {
	admin := roles()
	couns := roles(engine.RoleCounsellor)
	emp := roles(engine.RoleEmployer)
	return []pageRoute{
		{"GET", "/", everyone, st.home},
		{"POST", "/logout", everyone, st.logoutSubmit},

		{"GET", "/seekers", couns, st.seekerSearch},
		{"GET", "/seekers/:id", roles(engine.RoleCounsellor, engine.RoleTrainee), st.seekerFile},
		{"GET", "/seekers/:id/edit", couns, st.seekerEdit},
		{"POST", "/seekers/:id/edit", couns, st.seekerSave},
		{"GET", "/seekers/:id/matches", roles(engine.RoleCounsellor, engine.RoleTrainee), st.seekerMatches},
		{"GET", "/seekers/:id/gaps", roles(engine.RoleCounsellor, engine.RoleTrainee), st.seekerGaps},
		{"GET", "/seekers/:id/courses", roles(engine.RoleCounsellor, engine.RoleTrainee), st.seekerCourses},
		{"POST", "/enrollments/:id/withdraw", roles(engine.RoleCounsellor, engine.RoleTrainee), st.withdrawSubmit},
		{"POST", "/enrollments/:id/modules/:module/launch", roles(engine.RoleTrainee), st.launchSubmit},
		{"GET", "/seekers/:id/referrals", couns, st.seekerReferrals},
		{"POST", "/seekers/:id/refer", couns, st.referSubmit},
		{"GET", "/referrals", roles(engine.RoleCounsellor, engine.RoleEmployer), st.employerReferrals},
		{"POST", "/referrals/:id/move", roles(engine.RoleCounsellor, engine.RoleEmployer), st.moveSubmit},
		{"GET", "/followups", couns, st.followUpsPage},
		{"POST", "/placements/:id/followups/:kind", couns, st.followUpSubmit},
		{"GET", "/inbox", couns, st.inboxPage},
		{"GET", "/reports/kpis", couns, st.kpiPage},
		{"GET", "/reports/kpis.csv", couns, st.kpiCSVPage},
		{"GET", "/employers/:id/quota", roles(engine.RoleCounsellor, engine.RoleEmployer), st.quotaPage},

		{"GET", "/posts", roles(engine.RoleCounsellor, engine.RoleEmployer), st.postList},
		{"GET", "/posts/new", emp, st.postNew},
		{"POST", "/posts/new", emp, st.postCreate},
		{"GET", "/posts/:id", roles(engine.RoleCounsellor, engine.RoleEmployer), st.postView},
		{"GET", "/posts/:id/edit", emp, st.postEdit},
		{"POST", "/posts/:id/edit", emp, st.postSave},
		{"GET", "/posts/:id/candidates", roles(engine.RoleCounsellor, engine.RoleEmployer), st.postCandidatesPage},

		{"GET", "/admin/users", admin, st.userList},
		{"GET", "/admin/users/new", admin, st.userNew},
		{"POST", "/admin/users/new", admin, st.userCreate},
		{"GET", "/admin/users/:id", admin, st.userEdit},
		{"POST", "/admin/users/:id", admin, st.userSave},
		{"GET", "/admin/skills", admin, st.skillList},
		{"POST", "/admin/skills", admin, st.skillCreate},
		{"GET", "/admin/skills/:id", admin, st.skillEdit},
		{"POST", "/admin/skills/:id", admin, st.skillSave},
		{"GET", "/admin/audit", admin, st.auditPage},
		{"GET", "/admin/schedules", admin, st.schedulesPage},
		{"POST", "/admin/schedules/:name/run", admin, st.scheduleRun},
	}
}

// run applies a page's role rule and shows its error, if any, as a page.
func (st *site) run(rt pageRoute) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := pageUser(c)
		if u == nil {
			st.toLogin(c)
			return
		}
		if !rt.who.allows(u) {
			st.fail(c, forbidden)
			return
		}
		if err := rt.handle(c); err != nil {
			st.fail(c, err)
		}
	}
}

// pageUser is the logged-in user of a page request, or nil.
func pageUser(c *gin.Context) *engine.User {
	if v, found := c.Get(userKey); found {
		return v.(*engine.User)
	}
	return nil
}

// pageSession admits the user of a live session cookie; an expired or unknown
// cookie is dropped. It also keeps the pre-login CSRF secret and the language.
func (st *site) pageSession(c *gin.Context) {
	c.Header("X-Frame-Options", "DENY")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Referrer-Policy", "same-origin")
	c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	c.Set(langKey, pickLang(c))
	if token, err := c.Cookie(sessionCookie); err == nil && token != "" {
		u, hash, err := st.userForToken(c.Request.Context(), token)
		if err == nil {
			c.Set(userKey, u)
			c.Set("jobbridge.tokenHash", hash)
			c.Set(csrfSecretKey, token)
			return
		}
		setCookie(c, sessionCookie, "", -1, true)
	}
	pre, err := c.Cookie(preCookie)
	if err != nil || len(pre) < 20 {
		pre = randomToken()
		setCookie(c, preCookie, pre, 0, true)
	}
	c.Set(csrfSecretKey, pre)
}

const (
	langKey       = "jobbridge.lang"
	csrfSecretKey = "jobbridge.csrfSecret"
)

// csrfToken is the form token of a request: derived from the session token (or
// the pre-login secret), which only this browser's HttpOnly cookie holds.
func csrfToken(c *gin.Context) string {
	sum := sha256.Sum256([]byte("jobbridge-csrf\x00" + c.GetString(csrfSecretKey)))
	return hex.EncodeToString(sum[:16])
}

// csrf refuses an unsafe request whose form does not carry the token (403).
func (st *site) csrf(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	got := c.PostForm(csrfField)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(c))) != 1 {
		st.fail(c, engine.Errorf(engine.EFORBIDDEN, "the form has expired; reload the page and try again"))
		c.Abort()
	}
}

func randomToken() string {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure when served over TLS;
// maxAge 0 is a browser-session cookie, negative deletes it.
func setCookie(c *gin.Context, name, value string, maxAge time.Duration, httpOnly bool) {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: httpOnly, SameSite: http.SameSiteLaxMode,
		Secure: c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
	case maxAge > 0:
		ck.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(c.Writer, ck)
}

// toLogin sends an anonymous visitor to the login page, then back.
func (st *site) toLogin(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	c.Abort()
}

// fail shows an error page with the status the API would answer.
func (st *site) fail(c *gin.Context, err error) {
	var e *engine.Error
	if !errors.As(err, &e) {
		st.log.ErrorContext(c.Request.Context(), "page failed", "path", c.Request.URL.Path, "err", err)
		e = &engine.Error{Code: engine.EINTERNAL}
	}
	if e.Code == engine.EUNAUTHORIZED {
		st.toLogin(c)
		return
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = statusOf[engine.EINTERNAL]
	}
	v := st.view(c, "error."+e.Code)
	v.Data = e
	st.render(c, status, "error", v)
	c.Abort()
}

// safeNext keeps a post-login redirect on this site: a path that starts with
// one slash, with no second slash or backslash a browser could read as
// another host, no scheme, and no control, bidirectional or invisible
// character (browsers drop tabs and line breaks from URLs, so "/\t/evil.com"
// is "//evil.com" to them) — checked as given and percent-decoded.
func safeNext(next string) string {
	for _, s := range []string{next, unescaped(next)} {
		if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') ||
			engine.TextProblem(s, true) != "" {
			return "/"
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// unescaped is s percent-decoded, or s when it does not decode.
func unescaped(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// seeOther redirects after a successful form (post/redirect/get) with a notice.
func seeOther(c *gin.Context, to, done string) error {
	if done != "" {
		path, frag, hasFrag := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		to = path + sep + "done=" + done
		if hasFrag {
			to += "#" + frag
		}
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// Login, logout, settings, home.

type loginData struct {
	Username, Next string
	Failed         bool
	Wait           int  // seconds to wait before trying again (429 or 503)
	Busy           bool // no password hasher was free (503), rather than too many failures (429)
}

func (st *site) loginPage(c *gin.Context) error {
	if pageUser(c) != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return nil
	}
	v := st.view(c, "login.title")
	v.Data = loginData{Next: safeNext(c.DefaultQuery("next", "/"))}
	st.render(c, http.StatusOK, "login", v)
	return nil
}

func (st *site) loginSubmit(c *gin.Context) error {
	username, next := c.PostForm("username"), safeNext(c.PostForm("next"))
	token, sess, _, err := st.startSession(c.Request.Context(), username, c.PostForm("password"), c.ClientIP())
	var wait *retryError
	switch {
	case engine.ErrorCode(err) == engine.EUNAUTHORIZED:
		v := st.view(c, "login.title")
		v.Data = loginData{Username: username, Next: next, Failed: true}
		st.render(c, statusOf[engine.EUNAUTHORIZED], "login", v)
		return nil
	case errors.As(err, &wait):
		retryAfter(c, err)
		v := st.view(c, "login.title")
		v.Data = loginData{Username: username, Next: next, Wait: wait.retryAfter(), Busy: wait.err.Code == eBusy}
		st.render(c, statusOf[wait.err.Code], "login", v)
		return nil
	}
	if err != nil {
		return err
	}
	setCookie(c, sessionCookie, token, sess.ExpiresAt.Sub(st.clock.Now()), true)
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (st *site) logoutSubmit(c *gin.Context) error {
	if err := st.endSession(c.Request.Context(), c.GetString("jobbridge.tokenHash")); err != nil {
		return err
	}
	setCookie(c, sessionCookie, "", -1, true)
	return seeOther(c, "/login", "loggedOut")
}

// display is a visitor's display choices, kept in a cookie.
type display struct{ LargeText, HighContrast bool }

func readDisplay(c *gin.Context) display {
	v, _ := c.Cookie(displayCookie)
	return display{LargeText: strings.Contains(v, "large"), HighContrast: strings.Contains(v, "contrast")}
}

func (st *site) settingsPage(c *gin.Context) error {
	v := st.view(c, "settings.title")
	st.render(c, http.StatusOK, "settings", v)
	return nil
}

func (st *site) settingsSubmit(c *gin.Context) error {
	var parts []string
	if c.PostForm("text") == "large" {
		parts = append(parts, "large")
	}
	if c.PostForm("contrast") == "high" {
		parts = append(parts, "contrast")
	}
	setCookie(c, displayCookie, strings.Join(parts, "-"), 365*24*time.Hour, true)
	if l := c.PostForm("lang"); l == langZh || l == langEn {
		setCookie(c, langCookie, l, 365*24*time.Hour, false)
	}
	back := safeNext(c.PostForm("back"))
	if back == "/" && pageUser(c) == nil {
		back = "/settings"
	}
	return seeOther(c, back, "displaySaved")
}
