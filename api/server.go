package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/api/lrs"
	"jobbridge/engine"
)

// Server is the HTTP API over one engine.Service.
type Server struct {
	svc      *engine.Service
	lrs      *engine.LRS
	matcher  *engine.Matcher
	clock    engine.Clock
	log      *slog.Logger
	tokenTTL time.Duration
	ready    func(ctx context.Context) error
	reqs     *metrics
	sessions sessionCache
	logins   *loginThrottle
	proxies  []string
	content  fs.FS
}

// Config wires a Server.
type Config struct {
	Service  *engine.Service
	LRS      *engine.LRS // the LRS at /xapi/; nil serves none
	Matcher  *engine.Matcher
	Log      *slog.Logger
	TokenTTL time.Duration                   // default 12h
	Ready    func(ctx context.Context) error // /readyz; nil = always ready
	Login    LoginLimits                     // password guessing limits (throttle.go)
	Clock    engine.Clock                    // default the service's
	// TrustedProxies are the addresses (or CIDRs) of reverse proxies whose
	// X-Forwarded-For names the client; none by default, so a client cannot
	// name its own address to the login limits.
	TrustedProxies []string
	// Content is course content jobbridge hosts itself at /content/ (the
	// shipped cmi5 AU, fixtures.Content); nil hosts none.
	Content fs.FS
}

// New builds the server.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, lrs: cfg.LRS, matcher: cfg.Matcher, clock: cfg.Clock, log: cfg.Log,
		tokenTTL: cfg.TokenTTL, ready: cfg.Ready, logins: newLoginThrottle(cfg.Login), proxies: cfg.TrustedProxies, content: cfg.Content}
	if s.clock == nil {
		s.clock = cfg.Service.Clock
	}
	s.reqs = newMetrics(s)
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.tokenTTL == 0 {
		s.tokenTTL = 12 * time.Hour
	}
	return s
}

// Handler returns the gin engine serving every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(s.proxies); err != nil {
		s.log.Error("trusted proxies", "err", err) // checked when the configuration is read
	}
	r.Use(gin.CustomRecovery(func(c *gin.Context, rec any) {
		s.log.Error("panic", "path", c.Request.URL.Path, "panic", rec)
		fail(c, engine.Errorf(engine.EINTERNAL, "internal error"))
	}))
	r.Use(s.accessLog)
	r.Use(s.reqs.observe)
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { fail(c, engine.Errorf(engine.ENOTFOUND, "no such route")) })
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, gin.H{"error": engine.Error{Code: "method_not_allowed", Message: "method not allowed"}})
	})

	s.mountHealth(r)
	s.mountPages(r)
	if s.lrs != nil {
		xapiHandler := gin.WrapH(&lrs.Handler{LRS: s.lrs, Log: s.log, Session: func(ctx context.Context, token string) (*engine.User, error) {
			u, _, err := s.userForToken(ctx, token)
			return u, err
		}})
		r.Any(lrs.Prefix+"/*resource", xapiHandler)
		r.Any(lrs.FetchPrefix+":token", gin.WrapH(http.HandlerFunc((&lrs.Handler{LRS: s.lrs, Log: s.log}).Fetch)))
	}
	if s.content != nil {
		r.GET("/content/*file", s.serveContent)
	}

	v1 := r.Group("/api/v1", noStore)
	v1.POST("/auth/login", s.login)
	a := v1.Group("", s.authenticate)
	a.POST("/auth/logout", s.logout)
	for _, rt := range s.routes() {
		a.Handle(rt.method, rt.path, s.guard(rt.who), rt.handle)
	}
	return r
}

// serveContent serves the hosted course content: static files, which may
// script only themselves and talk only to this site (the LRS, the fetch URL).
func (s *Server) serveContent(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'")
	c.Header("Referrer-Policy", "no-referrer") // the launch URL carries the fetch token
	c.Header("Cache-Control", "no-cache")
	c.FileFromFS(path.Clean(c.Param("file")), http.FS(s.content))
}

// noStore tells browsers and proxies to keep no copy of an API answer: most
// carry personal data, and the others are errors about it.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// OpsHandler serves the health checks and /metrics on the operators' own
// listener (--metrics-addr), which answers when the public one is at its
// connection limit; the public port has no /metrics.
func (s *Server) OpsHandler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	s.mountHealth(r)
	r.GET("/metrics", s.reqs.handler())
	return r
}

// mountHealth adds GET /healthz (the process answers) and GET /readyz (it has loaded).
func (s *Server) mountHealth(r *gin.Engine) {
	r.GET("/healthz", func(c *gin.Context) { ok(c, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.readyz)
}

// route is one authenticated API route and the roles that may call it.
type route struct {
	method, path string
	who          roleRule
	handle       gin.HandlerFunc
}

// routes is the table of every authenticated route with its roles: the
// route half of the policy (object checks live in policy.go).
func (s *Server) routes() []route {
	admin := roles()
	return []route{
		{"GET", "/me", everyone, s.me},

		{"GET", "/skills", everyone, s.listSkills},
		{"POST", "/skills", admin, s.createSkill},
		{"PATCH", "/skills/:id", admin, s.patchSkill},

		{"GET", "/users", admin, s.listUsers},
		{"POST", "/users", admin, s.createUser},
		{"PATCH", "/users/:id", admin, s.patchUser},
		{"DELETE", "/users/:id", admin, s.deleteUser},

		{"GET", "/seekers", roles(engine.RoleCounsellor), s.listSeekers},
		{"POST", "/seekers", roles(engine.RoleCounsellor), s.createSeeker},
		{"GET", "/seekers/:id", roles(engine.RoleCounsellor, engine.RoleTrainee), s.getSeeker},
		{"PATCH", "/seekers/:id", roles(engine.RoleCounsellor), s.patchSeeker},
		{"DELETE", "/seekers/:id", roles(engine.RoleCounsellor), s.eraseSeeker},
		{"GET", "/seekers/:id/matches", roles(engine.RoleCounsellor, engine.RoleTrainee), s.seekerMatches},
		{"GET", "/seekers/:id/gaps", roles(engine.RoleCounsellor, engine.RoleTrainee), s.seekerGaps},

		{"GET", "/employers", roles(engine.RoleCounsellor, engine.RoleEmployer), s.listEmployers},
		{"POST", "/employers", admin, s.createEmployer},
		{"GET", "/employers/:id", roles(engine.RoleCounsellor, engine.RoleEmployer), s.getEmployer},
		{"PATCH", "/employers/:id", roles(engine.RoleEmployer), s.patchEmployer},

		{"GET", "/posts", roles(engine.RoleCounsellor, engine.RoleEmployer), s.listPosts},
		{"POST", "/posts", roles(engine.RoleEmployer), s.createPost},
		{"GET", "/posts/:id", roles(engine.RoleCounsellor, engine.RoleEmployer), s.getPost},
		{"PATCH", "/posts/:id", roles(engine.RoleEmployer), s.patchPost},
		{"GET", "/posts/:id/candidates", roles(engine.RoleCounsellor, engine.RoleEmployer), s.postCandidates},

		{"GET", "/classes", roles(engine.RoleCounsellor, engine.RoleTrainee, engine.RoleProvider), s.listClasses},
		{"POST", "/classes", admin, s.createClass},
		{"GET", "/classes/:id", roles(engine.RoleCounsellor, engine.RoleTrainee, engine.RoleProvider), s.getClass},
		{"PATCH", "/classes/:id", admin, s.patchClass},
		{"PUT", "/classes/:id/course-structure", roles(engine.RoleProvider), s.importCourseStructure},

		{"GET", "/search", roles(engine.RoleCounsellor, engine.RoleEmployer), s.search},

		{"GET", "/admin/audit", admin, s.auditLog},

		{"GET", "/enrollments", roles(engine.RoleCounsellor), s.listEnrollments},
		{"POST", "/enrollments", roles(engine.RoleCounsellor), s.createEnrollment},
		{"GET", "/enrollments/:id", roles(engine.RoleCounsellor, engine.RoleTrainee), s.getEnrollment},
		{"PATCH", "/enrollments/:id", roles(engine.RoleCounsellor, engine.RoleTrainee), s.patchEnrollment},
		{"GET", "/me/enrollments", roles(engine.RoleTrainee), s.myEnrollments},
		{"POST", "/xapi/statements", roles(engine.RoleProvider, engine.RoleTrainee), s.postStatements},
		{"GET", "/xapi/statements", roles(engine.RoleCounsellor), s.getStatements},
		{"GET", "/lrs/credentials", admin, s.listCredentials},
		{"POST", "/lrs/credentials", admin, s.createCredential},
		{"DELETE", "/lrs/credentials/:key", admin, s.deleteCredential},
		{"GET", "/lrs/unmatched", admin, s.unmatchedStatements},
		{"GET", "/inbox", roles(engine.RoleCounsellor), s.inbox},
		{"GET", "/admin/schedules", admin, s.listSchedules},
		{"POST", "/admin/schedules/:name/run", admin, s.runSchedule},

		{"GET", "/referrals", roles(engine.RoleCounsellor, engine.RoleEmployer), s.listReferrals},
		{"POST", "/referrals", roles(engine.RoleCounsellor), s.createReferral},
		{"GET", "/referrals/:id", roles(engine.RoleCounsellor, engine.RoleEmployer), s.getReferral},
		{"PATCH", "/referrals/:id", roles(engine.RoleCounsellor, engine.RoleEmployer), s.moveReferral},
		{"GET", "/placements", roles(engine.RoleCounsellor), s.listPlacements},
		{"GET", "/placements/:id", roles(engine.RoleCounsellor), s.getPlacement},
		{"PATCH", "/placements/:id/followups/:kind", roles(engine.RoleCounsellor), s.recordFollowUp},
		{"GET", "/followups", roles(engine.RoleCounsellor), s.followUps},
		{"GET", "/reports/kpis", roles(engine.RoleCounsellor), s.kpis},
		{"GET", "/employers/:id/quota", roles(engine.RoleCounsellor, engine.RoleEmployer), s.employerQuota},
	}
}

// guard refuses a role the route does not name.
func (s *Server) guard(who roleRule) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !who.allows(user(c)) {
			fail(c, forbidden)
			return
		}
		c.Next()
	}
}

func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	if c.Writer.Status() >= 500 && c.Request.URL.Path != "/readyz" {
		s.log.Warn("http", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "ms", time.Since(start).Milliseconds())
	}
}

func (s *Server) readyz(c *gin.Context) {
	if s.ready != nil {
		if err := s.ready(c.Request.Context()); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "not ready", "reason": err.Error()})
			return
		}
	}
	ok(c, gin.H{"status": "ready"})
}
