package api

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
	"jobbridge/engine/xapi"
)

// enrollmentInput is what POST /enrollments takes.
type enrollmentInput struct {
	ID       string          `json:"id"`
	SeekerID string          `json:"seekerId"`
	ClassID  string          `json:"classId"`
	Learner  *engine.Learner `json:"learner"`
}

// seekerStreet is the street of a seeker's file, from the matching state.
func (s *Server) seekerStreet(id string) string {
	info, _ := s.matcher.Seeker(id)
	return info.Street
}

func (s *Server) createEnrollment(c *gin.Context) {
	var in enrollmentInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if engine.ValidID(in.SeekerID) {
		var sk engine.Seeker
		if err := s.svc.Store.Get(ctx, engine.KindSeeker, in.SeekerID, &sk); err != nil {
			fail(c, err)
			return
		}
		if err := canWriteSeeker(user(c), &sk); err != nil {
			fail(c, err)
			return
		}
	}
	if in.Learner != nil {
		if err := in.Learner.Validate(); err != nil {
			fail(c, err)
			return
		}
	}
	v, err := s.svc.Enroll(ctx, &engine.Enrollment{Meta: engine.Meta{ID: in.ID}, SeekerID: in.SeekerID, ClassID: in.ClassID}, user(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	if in.Learner != nil {
		if v, err = s.svc.SetLearner(ctx, v.ID, in.Learner); err != nil {
			fail(c, err)
			return
		}
	}
	if err := s.audit(c, "enroll", v.SeekerID); err != nil {
		fail(c, err)
		return
	}
	created(c, v)
}

func (s *Server) listEnrollments(c *gin.Context) {
	u := user(c)
	seeker, class, status := c.Query("seekerId"), c.Query("classId"), c.Query("status")
	if status != "" && !slices.Contains(engine.EnrollmentStatuses, status) {
		fail(c, invalid("status", "must be one of the enrollment statuses"))
		return
	}
	list := s.svc.Enrollments(func(v *engine.EnrollmentView) bool {
		return (seeker == "" || v.SeekerID == seeker) && (class == "" || v.ClassID == class) &&
			(status == "" || v.Status == status) && canReadEnrollment(u, v, s.seekerStreet(v.SeekerID)) == nil
	})
	page(c, list, func(v *engine.EnrollmentView) string { return v.ID })
}

// loadEnrollment reads the enrollment named by :id (or ?enrollment=) and checks the user may see it.
func (s *Server) loadEnrollment(c *gin.Context, id string) (*engine.EnrollmentView, bool) {
	if !engine.ValidID(id) {
		fail(c, invalid("enrollment", "must be an enrollment id"))
		return nil, false
	}
	v, err := s.svc.Enrollment(c.Request.Context(), id)
	if err == nil {
		err = canReadEnrollment(user(c), v, s.seekerStreet(v.SeekerID))
	}
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return v, true
}

func (s *Server) getEnrollment(c *gin.Context) {
	v, found := s.loadEnrollment(c, c.Param("id"))
	if !found {
		return
	}
	if err := s.audit(c, "read-enrollment", v.SeekerID); err != nil {
		fail(c, err)
		return
	}
	ok(c, v)
}

// enrollmentPatch is what PATCH /enrollments/{id} takes: a withdrawal (the
// outcomes come from the training-outcomes job), or the learner's identity
// on the provider's LMS ({} clears it).
type enrollmentPatch struct {
	Status  string          `json:"status"`
	Learner *engine.Learner `json:"learner"`
}

// patchEnrollment withdraws an enrollment: whoever may read it (admin, the
// seeker's counsellor, the trainee themself) may end it, and its seat goes back.
func (s *Server) patchEnrollment(c *gin.Context) {
	v, found := s.loadEnrollment(c, c.Param("id"))
	if !found {
		return
	}
	var in enrollmentPatch
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.Learner != nil && in.Status == "" {
		s.setLearner(c, v, in.Learner)
		return
	}
	if in.Status != engine.EnrollmentWithdrawn {
		fail(c, invalid("status", "only withdrawn can be set by hand; the training-outcomes job sets the other statuses"))
		return
	}
	out, err := s.svc.Withdraw(c.Request.Context(), v.ID, user(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "withdraw-enrollment", out.SeekerID); err != nil {
		fail(c, err)
		return
	}
	ok(c, out)
}

// setLearner records the learner of an enrollment: the seeker's counsellor or an admin ({} clears it).
func (s *Server) setLearner(c *gin.Context, v *engine.EnrollmentView, l *engine.Learner) {
	if u := user(c); u.Role != engine.RoleAdmin && u.Role != engine.RoleCounsellor {
		fail(c, engine.Errorf(engine.EFORBIDDEN, "the seeker's counsellor records the learner identity"))
		return
	}
	if *l == (engine.Learner{}) {
		l = nil
	}
	out, err := s.svc.SetLearner(c.Request.Context(), v.ID, l)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.audit(c, "set-learner", out.SeekerID); err != nil {
		fail(c, err)
		return
	}
	ok(c, out)
}

// myEnrollments answers a trainee's own enrollments, newest first, each with
// its per-module progress, overall progress, status, score and next module.
func (s *Server) myEnrollments(c *gin.Context) {
	u := user(c)
	out := []*engine.EnrollmentView{}
	if u.SeekerID != "" {
		list, err := s.svc.SeekerEnrollments(c.Request.Context(), u.SeekerID)
		if err != nil {
			fail(c, err)
			return
		}
		out = list
	}
	ok(c, gin.H{"results": out})
}

// postStatements is the JSON API's alias of POST /xapi/statements, with the
// session's user as the sender: one statement or an array, each checked
// before any is stored, answered with their ids.
func (s *Server) postStatements(c *gin.Context) {
	c.Header("X-Experience-API-Version", xapi.Version)
	if v := c.GetHeader("X-Experience-API-Version"); !strings.HasPrefix(strings.TrimSpace(v), "1.0") {
		fail(c, invalid("X-Experience-API-Version", fmt.Sprintf("header must be 1.0.x (this service speaks %s), not %q", xapi.Version, v)))
		return
	}
	if s.lrs == nil {
		fail(c, engine.Errorf(engine.ENOTFOUND, "this server runs no LRS"))
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := xapi.Decode(body)
	if err != nil {
		fail(c, invalid("body", err.Error()))
		return
	}
	in, err := engine.StatementsIn(v)
	if err != nil {
		fail(c, err)
		return
	}
	ids, err := s.lrs.Record(c.Request.Context(), s.lrsClient(c), in)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, ids)
}

// lrsClient is the session's user as an LRS client.
func (s *Server) lrsClient(c *gin.Context) engine.LRSClient {
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return engine.LRSClient{User: user(c), HomePage: scheme + "://" + c.Request.Host + "/"}
}

// getStatements pages through one enrollment's statements, newest first, in
// xAPI's StatementResult shape: {statements, more}.
func (s *Server) getStatements(c *gin.Context) {
	c.Header("X-Experience-API-Version", xapi.Version)
	limit, err := limitParam(c, 50, 200)
	if err != nil {
		fail(c, err)
		return
	}
	offset := 0
	if cur := c.Query("cursor"); cur != "" {
		if offset, err = strconv.Atoi(cur); err != nil || offset < 0 {
			fail(c, invalid("cursor", "is not a cursor this server issued"))
			return
		}
	}
	v, found := s.loadEnrollment(c, c.Query("enrollment"))
	if !found {
		return
	}
	sts, more, err := s.lrs.EnrollmentStatements(c.Request.Context(), v.ID, offset, limit)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]any, len(sts))
	for i, st := range sts {
		out[i] = json.RawMessage(st.Body)
	}
	next := ""
	if more {
		next = fmt.Sprintf("/api/v1/xapi/statements?enrollment=%s&limit=%d&cursor=%d", v.ID, limit, offset+limit)
	}
	ok(c, gin.H{"statements": out, "more": next})
}

// importCourseStructure makes a class's modules the AUs of a cmi5 course
// structure (cmi5.xml, or a zip holding it): an admin, or the provider of
// the class. The modules keep their ids where an AU's activity is theirs.
func (s *Server) importCourseStructure(c *gin.Context) {
	u := user(c)
	id := c.Param("id")
	if u.Role == engine.RoleProvider && !slices.Contains(u.ClassIDs, id) {
		fail(c, notFound(engine.KindClass, id))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, engine.MaxCourseStructure))
	if err != nil {
		fail(c, engine.Errorf(engine.ETOOLARGE, "a course structure is at most %d bytes", engine.MaxCourseStructure))
		return
	}
	cs, err := engine.ParseCourseStructure(body)
	if err != nil {
		fail(c, err)
		return
	}
	var cl engine.Class
	if err := s.svc.Store.Get(c.Request.Context(), engine.KindClass, id, &cl); err != nil {
		fail(c, err)
		return
	}
	if err := ifMatch(c, engine.KindClass, &cl); err != nil {
		fail(c, err)
		return
	}
	cl.ApplyCourseStructure(cs)
	if err := s.svc.Replace(c.Request.Context(), engine.KindClass, &cl); err != nil {
		fail(c, err)
		return
	}
	etag(c, &cl)
	ok(c, &cl)
}

// credentialInput is what POST /lrs/credentials takes.
type credentialInput struct {
	Name   string `json:"name"`
	UserID string `json:"userId"`
}

// createCredential issues an LRS key and secret; the secret is in this answer only.
func (s *Server) createCredential(c *gin.Context) {
	var in credentialInput
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	cred, secret, err := s.lrs.IssueCredential(c.Request.Context(), user(c), in.Name, in.UserID)
	if err != nil {
		fail(c, err)
		return
	}
	created(c, gin.H{"key": cred.Key, "secret": secret, "name": cred.Name, "userId": cred.UserID, "createdAt": cred.CreatedAt})
}

func (s *Server) listCredentials(c *gin.Context) {
	ok(c, gin.H{"results": s.lrs.Credentials()})
}

func (s *Server) deleteCredential(c *gin.Context) {
	if err := s.lrs.RevokeCredential(c.Request.Context(), c.Param("key")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// unmatchedStatement is a statement that maps to no enrollment, and why.
type unmatchedStatement struct {
	ID         string          `json:"id"`
	Stored     time.Time       `json:"stored"`
	Owner      string          `json:"owner"`
	Credential string          `json:"credential,omitempty"`
	Reason     string          `json:"reason"`
	Statement  json.RawMessage `json:"statement"`
}

// unmatchedStatements lists the statements that map to no enrollment, newest first.
func (s *Server) unmatchedStatements(c *gin.Context) {
	limit, err := limitParam(c, 50, 200)
	if err != nil {
		fail(c, err)
		return
	}
	var after []byte
	if cur := c.Query("cursor"); cur != "" {
		if after, err = hex.DecodeString(cur); err != nil || len(after) != 16 {
			fail(c, invalid("cursor", "is not a cursor this server issued"))
			return
		}
	}
	sts, next, err := s.lrs.Unmatched(c.Request.Context(), s.lrsClient(c), after, limit)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]unmatchedStatement, len(sts))
	for i, st := range sts {
		out[i] = unmatchedStatement{ID: st.ID, Stored: st.Stored, Owner: st.Owner, Credential: st.Credential, Reason: st.Match.Unmatched,
			Statement: json.RawMessage(st.Body)}
	}
	res := gin.H{"results": out}
	if next != nil {
		res["nextCursor"] = hex.EncodeToString(next)
	}
	ok(c, res)
}

// inbox answers a counsellor's inbox (an admin's: anyone's, ?counsellorId=), newest first.
func (s *Server) inbox(c *gin.Context) {
	owner, err := inboxOwner(user(c), c.Query("counsellorId"))
	if err != nil {
		fail(c, err)
		return
	}
	kind := c.Query("kind")
	if kind != "" && !slices.Contains(engine.InboxKinds, kind) {
		fail(c, invalid("kind", "must be one of "+strings.Join(engine.InboxKinds, ", ")))
		return
	}
	items := s.svc.Inbox(owner)
	if kind != "" {
		items = slices.DeleteFunc(items, func(it *engine.InboxItem) bool { return it.Kind != kind })
	}
	key := func(it *engine.InboxItem) string {
		return fmt.Sprintf("%020d|%s", math.MaxInt64-it.At.UnixNano(), it.ID) // newest first
	}
	slices.SortFunc(items, func(a, b *engine.InboxItem) int { return strings.Compare(key(a), key(b)) })
	page(c, items, key)
}

// noScheduler answers when this process runs no scheduler.
var noScheduler = engine.Errorf(engine.ENOTFOUND, "this process runs no scheduler")

func (s *Server) listSchedules(c *gin.Context) {
	if s.svc.Jobs == nil {
		fail(c, noScheduler)
		return
	}
	list, err := s.svc.Jobs.Schedules(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, gin.H{"results": list})
}

// runSchedule runs a job now and answers its run record; ?now=RFC3339 runs it
// as if it were that time (to replay a missed day, or in a demo).
func (s *Server) runSchedule(c *gin.Context) {
	if s.svc.Jobs == nil {
		fail(c, noScheduler)
		return
	}
	var at time.Time
	if v := c.Query("now"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			fail(c, invalid("now", "must be an RFC 3339 time"))
			return
		}
		at = t
	}
	// The run outlives a client that hangs up: it holds the job's lease.
	run, err := s.svc.Jobs.RunNow(context.WithoutCancel(c.Request.Context()), c.Param("name"), at)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, run)
}
