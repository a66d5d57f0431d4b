package api

import (
	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// userInput is a user record as an admin writes it: the account plus a password.
type userInput struct {
	engine.User
	Password string `json:"password"`
}

func (s *Server) listUsers(c *gin.Context) {
	page(c, s.svc.Users(), func(u *engine.User) string { return u.ID })
}

func (s *Server) createUser(c *gin.Context) {
	var in userInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	if msg := engine.CheckPassword(in.Password); msg != "" {
		fail(c, invalid("password", msg))
		return
	}
	u := in.User
	u.Meta = engine.Meta{ID: u.ID}
	hash, err := HashPassword(in.Password)
	if err != nil {
		fail(c, err)
		return
	}
	u.PasswordHash = hash
	if err := s.svc.Create(c.Request.Context(), engine.KindUser, &u); err != nil {
		fail(c, err)
		return
	}
	created(c, &u)
}

func (s *Server) patchUser(c *gin.Context) {
	var in userInput
	if err := s.svc.Store.Get(c.Request.Context(), engine.KindUser, c.Param("id"), &in.User); err != nil {
		fail(c, err)
		return
	}
	if err := ifMatch(c, engine.KindUser, &in.User); err != nil {
		fail(c, err)
		return
	}
	meta, hash := in.Meta, in.PasswordHash
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	in.Meta, in.PasswordHash = meta, hash
	if in.Password != "" {
		if msg := engine.CheckPassword(in.Password); msg != "" {
			fail(c, invalid("password", msg))
			return
		}
		h, err := HashPassword(in.Password)
		if err != nil {
			fail(c, err)
			return
		}
		in.PasswordHash = h
	}
	if err := s.svc.Replace(c.Request.Context(), engine.KindUser, &in.User); err != nil {
		fail(c, err)
		return
	}
	etag(c, &in.User)
	ok(c, &in.User)
}

func (s *Server) deleteUser(c *gin.Context) {
	id := c.Param("id")
	if id == user(c).ID {
		fail(c, engine.Errorf(engine.ECONFLICT, "you cannot delete your own account"))
		return
	}
	if err := s.svc.DeleteUser(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	ok(c, gin.H{"id": id, "deleted": true})
}
