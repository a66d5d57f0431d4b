package engine

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes; the API maps each to one HTTP status.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	EINTERNAL     = "internal"
)

// FieldError names one wrong field of a request and why it is wrong.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the domain's one error type: a code, a message for people and,
// for invalid input, the fields that are wrong.
type Error struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
	changed bool         // an ECONFLICT made by Changed
}

// Changed is the ECONFLICT of a write over a record that someone else wrote
// after it was read.
func Changed(kind Kind, id string) *Error {
	return &Error{Code: ECONFLICT, changed: true,
		Message: fmt.Sprintf("%s %s was changed by someone else since it was read; read it again and retry", kind, id)}
}

// IsChanged says whether err is a conflict made by Changed.
func IsChanged(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.changed
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf makes an *Error with a code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// Problems collects field errors while a record is validated.
type Problems []FieldError

// Add records that field is wrong.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was added, else an EINVALID *Error listing the fields.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "validation failed", Fields: p}
}

// RecordError is what was wrong with one record of a batch (PutMany and the
// imports of a history): its place in the batch, its kind and id, and why.
// Its code is the cause's.
type RecordError struct {
	Kind  Kind
	Index int
	ID    string
	Err   error
}

func (e *RecordError) Error() string { return fmt.Sprintf("%s %s: %v", e.Kind, e.ID, e.Err) }

// Unwrap gives the cause.
func (e *RecordError) Unwrap() error { return e.Err }
