package api

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// form reads a submitted HTML form into record fields, collecting the fields
// that are not numbers where numbers belong.
type form struct {
	c        *gin.Context
	problems engine.Problems
}

func newForm(c *gin.Context) *form { return &form{c: c} }

// unchanged says r is as it was when its edit form was shown: the form's
// hidden rev is r's. Else someone saved r meanwhile and this form, saved,
// would undo their change: the conflict shows the form again with what was
// typed and the rev now, so saving once more is a decision.
func (f *form) unchanged(kind engine.Kind, r engine.Record) error {
	shown := f.str("rev")
	if shown == "" || shown == strconv.FormatInt(r.RecordMeta().Rev, 10) {
		return nil
	}
	return engine.Changed(kind, r.RecordMeta().ID)
}

// str is a trimmed text field; text that breaks engine.TextProblem's rule for
// prose is a problem of the field (names and titles get the line rule when
// their record is validated).
func (f *form) str(name string) string {
	s := strings.TrimSpace(f.c.PostForm(name))
	if msg := engine.TextProblem(s, false); msg != "" {
		f.problems.Add(name, "%s", msg)
	}
	return s
}

// int is a whole-number field; empty is 0.
func (f *form) int(name string) int {
	s := f.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.problems.Add(name, "must be a whole number")
	}
	return n
}

// chosenInt is a whole-number field that must be filled in: empty is the
// problem msg, never 0.
func (f *form) chosenInt(name, msg string) int {
	if f.str(name) == "" {
		f.problems.Add(name, "%s", msg)
		return 0
	}
	return f.int(name)
}

// float is a decimal field; empty is 0.
func (f *form) float(name string) float64 {
	s := f.str(name)
	if s == "" {
		return 0
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.problems.Add(name, "must be a number")
		return 0
	}
	return x
}

// bool is a checkbox.
func (f *form) bool(name string) bool { return f.c.PostForm(name) != "" }

// list is a group of checkboxes.
func (f *form) list(name string) []string {
	out := []string{}
	for _, v := range f.c.PostFormArray(name) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// check validates a record read from a form without writing it: the form's own
// problems first, then the engine's; nil when both are clean.
func (f *form) check(ctx context.Context, svc *engine.Service, kind engine.Kind, r engine.Record) error {
	err := svc.Prepare(ctx, kind, r)
	if len(f.problems) == 0 {
		return err
	}
	all := append(engine.Problems{}, f.problems...)
	if e, isErr := err.(*engine.Error); isErr {
		all = append(all, e.Fields...)
	} else if err != nil {
		return err
	}
	return all.Err()
}
