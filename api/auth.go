package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"jobbridge/engine"
)

const userKey = "jobbridge.user"

// user is the logged-in user of a request that passed authenticate.
func user(c *gin.Context) *engine.User { return c.MustGet(userKey).(*engine.User) }

// HashPassword hashes a password for storage (bcrypt).
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// dummyHash makes a failed login for an unknown user cost as much as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such user"), bcrypt.DefaultCost)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	token, sess, u, err := s.startSession(c.Request.Context(), req.Username, req.Password, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, gin.H{"token": token, "role": u.Role, "expiresAt": sess.ExpiresAt})
}

// startSession checks a username and password, sent from addr, within the
// login limits and stores a new session; the API answers its token, the
// pages keep it in a cookie.
func (s *Server) startSession(ctx context.Context, username, password, addr string) (string, *engine.Session, *engine.User, error) {
	account := strings.ToLower(username)
	try, wait := s.logins.admit(account, addr, s.clock.Now())
	if wait > 0 {
		return "", nil, nil, tooMany(wait)
	}
	result := abandoned
	defer func() { try.settle(s.clock.Now(), result) }()
	u, err := s.svc.Store.UserByUsername(ctx, account)
	hash := dummyHash
	if err == nil {
		hash = []byte(u.PasswordHash)
	} else if engine.ErrorCode(err) != engine.ENOTFOUND {
		return "", nil, nil, err
	}
	var wrong error
	if err := s.logins.hash(ctx, func() { wrong = bcrypt.CompareHashAndPassword(hash, []byte(password)) }); err != nil {
		return "", nil, nil, err
	}
	if wrong != nil || u == nil || u.Disabled {
		result = failed
		return "", nil, nil, engine.Errorf(engine.EUNAUTHORIZED, "wrong username or password")
	}
	result = succeeded
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.clock.Now()
	sess := &engine.Session{Meta: engine.Meta{ID: s.svc.Store.SessionID(token)}, UserID: u.ID, ExpiresAt: now.Add(s.tokenTTL).UTC()}
	if err := s.svc.Store.PutSession(ctx, sess); err != nil {
		return "", nil, nil, err
	}
	return token, sess, u, nil
}

func (s *Server) logout(c *gin.Context) {
	if err := s.endSession(c.Request.Context(), c.GetString("jobbridge.tokenHash")); err != nil {
		fail(c, err)
		return
	}
	ok(c, gin.H{"status": "logged out"})
}

// authenticate admits a request with a live bearer token and records its user.
func (s *Server) authenticate(c *gin.Context) {
	token, found := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !found || token == "" {
		fail(c, engine.Errorf(engine.EUNAUTHORIZED, "log in first: Authorization: Bearer <token>"))
		return
	}
	u, hash, err := s.userForToken(c.Request.Context(), token)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(userKey, u)
	c.Set("jobbridge.tokenHash", hash)
	c.Next()
}

// userForToken resolves a token to its live session's user.
func (s *Server) userForToken(ctx context.Context, token string) (*engine.User, string, error) {
	hash := s.svc.Store.SessionID(token)
	expired := engine.Errorf(engine.EUNAUTHORIZED, "the session has expired or was logged out")
	sess, err := s.session(ctx, hash)
	if engine.ErrorCode(err) == engine.ENOTFOUND {
		return nil, "", expired
	}
	if err != nil {
		return nil, "", err
	}
	if !s.clock.Now().Before(sess.ExpiresAt) {
		return nil, "", expired
	}
	u, found := s.svc.User(sess.UserID)
	if !found || u.Disabled {
		return nil, "", expired
	}
	return u, hash, nil
}

func (s *Server) me(c *gin.Context) { ok(c, user(c)) }
