package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// statusOf maps the domain's error codes to HTTP statuses; the only place that does.
var statusOf = map[string]int{
	engine.EINVALID:      http.StatusBadRequest,
	engine.ENOTFOUND:     http.StatusNotFound,
	engine.ECONFLICT:     http.StatusConflict,
	engine.EUNAUTHORIZED: http.StatusUnauthorized,
	engine.EFORBIDDEN:    http.StatusForbidden,
	engine.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	engine.EINTERNAL:     http.StatusInternalServerError,
}

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
	c.AbortWithStatusJSON(status, gin.H{"error": e})
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
