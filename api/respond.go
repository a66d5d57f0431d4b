package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/api/lrs"
	"jobbridge/engine"
)

// The API's own error codes: an If-Match naming another version of a record
// than the stored one; a login refused by the limits; no password hasher free.
const (
	ePrecondition = engine.EPRECONDITION
	eTooMany      = "too_many_requests"
	eBusy         = "busy"
)

// statusOf maps the domain's error codes to HTTP statuses: the LRS's table
// (lrs.StatusOf, the one the /xapi/ edge answers with) and the API's own codes.
var statusOf = func() map[string]int {
	m := map[string]int{
		eTooMany: http.StatusTooManyRequests,
		eBusy:    http.StatusServiceUnavailable,
	}
	for code, status := range lrs.StatusOf {
		m[code] = status
	}
	return m
}()

// fail answers with the error shape of DESIGN §5; internal errors are logged and not shown.
func fail(c *gin.Context, err error) {
	var e *engine.Error
	if !errors.As(err, &e) {
		slog.ErrorContext(c.Request.Context(), "request failed", "path", c.FullPath(), "err", err)
		e = &engine.Error{Code: engine.EINTERNAL, Message: "internal error"}
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	retryAfter(c, err)
	c.AbortWithStatusJSON(status, gin.H{"error": e})
}

// retryAfter tells the client when to try again, if err says.
func retryAfter(c *gin.Context, err error) {
	var r *retryError
	if errors.As(err, &r) {
		c.Header("Retry-After", strconv.Itoa(r.retryAfter()))
	}
}

// etag names the version of r a response carries: its rev.
func etag(c *gin.Context, r engine.Record) { c.Header("ETag", etagOf(r)) }

// etagOf is the entity tag of r's version.
func etagOf(r engine.Record) string { return `"` + strconv.FormatInt(r.RecordMeta().Rev, 10) + `"` }

// ifMatch refuses a write whose If-Match header names none of the stored
// version of r (its ETag): the client edited an older copy. No header, or
// "*", asks nothing.
func ifMatch(c *gin.Context, kind engine.Kind, r engine.Record) error {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return nil
	}
	now := etagOf(r)
	for _, tag := range strings.Split(h, ",") {
		if strings.TrimSpace(tag) == now {
			return nil
		}
	}
	return &engine.Error{Code: engine.EPRECONDITION, Message: fmt.Sprintf("%s %s changed since that version: it is %s now; read it again", kind, r.RecordMeta().ID, now),
		Fields: []engine.FieldError{{Field: "If-Match", Message: "names a version that is no longer the stored one (" + now + ")"}}}
}

// ok answers 200 with v.
func ok(c *gin.Context, v any) { c.JSON(http.StatusOK, v) }

// created answers 201 with the stored record.
func created(c *gin.Context, v any) { c.JSON(http.StatusCreated, v) }

// invalid makes an EINVALID error naming one field.
func invalid(field, msg string) error {
	return &engine.Error{Code: engine.EINVALID, Message: "invalid request", Fields: []engine.FieldError{{Field: field, Message: msg}}}
}

// forbidden is the answer to a role that may not do something.
var forbidden = engine.Errorf(engine.EFORBIDDEN, "your role may not do this")

// notFound hides a record from someone who may not know it exists.
func notFound(kind engine.Kind, id string) error {
	return engine.Errorf(engine.ENOTFOUND, "%s %s not found", kind, id)
}
