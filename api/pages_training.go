package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Training pages: a seeker's courses with their progress (the trainee's own,
// or a counsellor's view of a file), the counsellor's inbox, and the admin's
// schedules. They use the training policy of policy_training.go.

// courseView is one enrollment with its class, for the courses page.
type courseView struct {
	E       *engine.EnrollmentView
	Class   *engine.Class
	Modules []moduleRow
	Done    int
	Open    bool // no outcome yet: it may be withdrawn
}

type moduleRow struct {
	Title     string
	Required  bool
	Progress  int
	Completed bool
	Next      bool
}

type coursesData struct {
	S       *engine.Seeker
	Own     bool
	Courses []courseView
}

func (st *site) seekerCourses(c *gin.Context) error {
	sk, err := st.readSeeker(c, canReadSeeker, "read")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	views, err := st.svc.SeekerEnrollments(ctx, sk.ID)
	if err != nil {
		return err
	}
	u := pageUser(c)
	d := coursesData{S: sk, Own: u.Role == engine.RoleTrainee}
	for _, e := range views {
		if canReadEnrollment(u, e, sk.Street) != nil {
			continue
		}
		var cl engine.Class
		if err := st.svc.Store.Get(ctx, engine.KindClass, e.ClassID, &cl); err != nil {
			return err
		}
		cv := courseView{E: e, Class: &cl, Open: !engine.Final(e.Status)}
		for _, m := range cl.Modules {
			mp := e.Modules[m.ID]
			row := moduleRow{Title: m.Title, Required: m.Required, Progress: mp.Progress, Completed: mp.Completed,
				Next: e.Next != nil && e.Next.ID == m.ID}
			if mp.Completed {
				cv.Done++
			}
			cv.Modules = append(cv.Modules, row)
		}
		d.Courses = append(d.Courses, cv)
	}
	titleID := "courses.title"
	if d.Own {
		titleID = "courses.titleOwn"
	}
	v := st.view(c, titleID, "Name", sk.Name)
	v.Data = d
	st.render(c, http.StatusOK, "courses", v)
	return nil
}

// withdrawSubmit withdraws an enrollment (the API's PATCH with status
// withdrawn) and shows the courses again.
func (st *site) withdrawSubmit(c *gin.Context) error {
	ctx := c.Request.Context()
	v, err := st.svc.Enrollment(ctx, c.Param("id"))
	if err == nil {
		err = canReadEnrollment(pageUser(c), v, st.seekerStreet(v.SeekerID))
	}
	if err != nil {
		return err
	}
	if _, err := st.svc.Withdraw(ctx, v.ID, pageUser(c).ID); err != nil {
		return err
	}
	if err := st.audit(c, "withdraw-enrollment", v.SeekerID); err != nil {
		return err
	}
	return seeOther(c, "/seekers/"+url.PathEscape(v.SeekerID)+"/courses#course-"+v.ID, "withdrawn")
}

type inboxData struct{ Items []*engine.InboxItem }

func (st *site) inboxPage(c *gin.Context) error {
	owner, err := inboxOwner(pageUser(c), c.Query("counsellorId"))
	if err != nil {
		return err
	}
	v := st.view(c, "inbox.title")
	v.Data = inboxData{Items: st.svc.Inbox(owner)}
	st.render(c, http.StatusOK, "inbox", v)
	return nil
}

// jobNames are the scheduled jobs DESIGN §7 names; the catalog explains each.
var jobNames = []string{"training-outcomes", "placement-followups", "rematch"}

// runResults and runTriggers are how a job run ended and what started it.
var (
	runResults  = []string{engine.RunRunning, engine.RunOK, engine.RunError}
	runTriggers = []string{engine.TriggerSchedule, engine.TriggerCatchUp, engine.TriggerManual}
)

type schedulesData struct {
	Schedules []engine.Schedule
	Known     []string
}

func (st *site) schedulesPage(c *gin.Context) error {
	if st.svc.Jobs == nil {
		return noScheduler
	}
	list, err := st.svc.Jobs.Schedules(c.Request.Context())
	if err != nil {
		return err
	}
	v := st.view(c, "schedules.title")
	v.Data = schedulesData{Schedules: list, Known: jobNames}
	st.render(c, http.StatusOK, "schedules", v)
	return nil
}

func (st *site) scheduleRun(c *gin.Context) error {
	if st.svc.Jobs == nil {
		return noScheduler
	}
	name := c.Param("name")
	// The run outlives a browser that goes away: it holds the job's lease.
	if _, err := st.svc.Jobs.RunNow(context.WithoutCancel(c.Request.Context()), name, time.Time{}); err != nil {
		return err
	}
	return seeOther(c, "/admin/schedules#job-"+url.PathEscape(name), "ran")
}
