package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/api/lrs"
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
	// Launchable says some module is a cmi5 AU the trainee may launch.
	Launchable bool
}

type moduleRow struct {
	ID        string
	Title     string
	Launch    bool // a cmi5 AU the trainee may launch from here
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
			row := moduleRow{ID: m.ID, Title: m.Title, Required: m.Required, Progress: mp.Progress, Completed: mp.Completed,
				Next: e.Next != nil && e.Next.ID == m.ID, Launch: d.Own && m.LaunchURL != "" && e.Status != engine.EnrollmentWithdrawn}
			if mp.Completed {
				cv.Done++
			}
			cv.Launchable = cv.Launchable || row.Launch
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

// launchSubmit launches a cmi5 AU of the trainee's enrollment (DESIGN §6):
// the LRS writes LMS.LaunchData and the `launched` statement, and the
// browser goes to the AU with its launch parameters.
func (st *site) launchSubmit(c *gin.Context) error {
	if st.lrs == nil {
		return engine.Errorf(engine.ENOTFOUND, "this server runs no LRS")
	}
	u := pageUser(c)
	base := lrs.SiteBase(c.Request)
	id := c.Param("id")
	to, err := st.lrs.LaunchAU(c.Request.Context(), u, engine.LaunchRequest{EnrollmentID: id, ModuleID: c.Param("module"), Base: base,
		ReturnURL: base + "/seekers/" + url.PathEscape(u.SeekerID) + "/courses#course-" + url.PathEscape(id)})
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
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
