package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Training pages: a seeker's courses with their progress (the trainee's own,
// or a counsellor's view of a file), and the counsellor's inbox.

// inboxKinds are the kinds of inbox items the jobs write.
var inboxKinds = []string{engine.InboxPassed, engine.InboxFailed, engine.InboxInactive, engine.InboxNewMatches}

// courseView is one enrollment with its class, for the courses page.
type courseView struct {
	E       *engine.EnrollmentView
	Class   *engine.Class
	Modules []moduleRow
	Done    int
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
		var cl engine.Class
		if err := st.svc.Store.Get(ctx, engine.KindClass, e.ClassID, &cl); err != nil {
			return err
		}
		cv := courseView{E: e, Class: &cl}
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

type inboxData struct{ Items []*engine.InboxItem }

func (st *site) inboxPage(c *gin.Context) error {
	u := pageUser(c)
	owner := u.ID
	if u.Role == engine.RoleAdmin {
		owner = ""
	}
	v := st.view(c, "inbox.title")
	v.Data = inboxData{Items: st.svc.Inbox(owner)}
	st.render(c, http.StatusOK, "inbox", v)
	return nil
}
