package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// maxBody is the largest request body accepted (1 MiB); larger → 413.
const maxBody = 1 << 20

// readBody reads the request body within the size limit.
func readBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, engine.Errorf(engine.ETOOLARGE, "request body is larger than %d bytes", maxBody)
		}
		return nil, invalid("body", "could not be read")
	}
	return body, nil
}

// decode reads a JSON object strictly into v: unknown fields, wrong types,
// trailing data, keys that look like MongoDB operators and text or shapes
// that engine.CheckJSON refuses are rejected with the field that is wrong. When v already holds a record, present fields overwrite it
// (a PATCH).
func decode(c *gin.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

// decodeJSON is decode without the HTTP request: imports use it too.
func decodeJSON(body []byte, v any) error {
	if field, problem := engine.CheckJSON(body, ""); problem != "" {
		if field == "" {
			field = "body"
		}
		return invalid(field, problem)
	}
	var raw any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return invalid("body", "is not valid JSON: "+err.Error())
	}
	if d.More() {
		return invalid("body", "has data after the JSON object")
	}
	if _, isObj := raw.(map[string]any); !isObj {
		return invalid("body", "must be a JSON object")
	}
	d = json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return jsonFieldError(err)
	}
	return nil
}

func jsonFieldError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return invalid(field, fmt.Sprintf("must be %s, not %s", typeName(typeErr.Type.Kind().String()), typeErr.Value))
	}
	msg := err.Error()
	if name, found := strings.CutPrefix(msg, "json: unknown field "); found {
		return invalid(strings.Trim(name, `"`), "is not a known field")
	}
	return invalid("body", msg)
}

func typeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice", "array":
		return "a list"
	case "map", "struct", "ptr":
		return "an object"
	}
	return kind
}

// limitParam reads ?limit= (default def, 1..max).
func limitParam(c *gin.Context, def, max int) (int, error) {
	s := c.Query("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, invalid("limit", fmt.Sprintf("must be an integer from 1 to %d", max))
	}
	return n, nil
}
