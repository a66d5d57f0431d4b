package api

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Admin pages: users, the skill catalog, the audit log.

type userListData struct{ Users []*engine.User }

func (st *site) userList(c *gin.Context) error {
	v := st.view(c, "users.title")
	v.Data = userListData{Users: st.svc.Users()}
	st.render(c, http.StatusOK, "users", v)
	return nil
}

// userFormData is the form of a new or existing account.
type userFormData struct {
	U         *engine.User
	New       bool
	Action    string
	Roles     []option
	Streets   []option
	Employers []option
}

func (st *site) userForm(c *gin.Context, u *engine.User, isNew bool) userFormData {
	lang := c.GetString(langKey)
	d := userFormData{U: u, New: isNew, Action: "/admin/users/new",
		Roles:   st.options(lang, "role", []string{u.Role}, false),
		Streets: st.options(lang, "street", []string{u.Street}, true)}
	if !isNew {
		d.Action = "/admin/users/" + url.PathEscape(u.ID)
	}
	d.Streets[0].Label = st.cat.T(lang, "users.districtWide")
	d.Employers = []option{{Value: "", Label: st.cat.T(lang, "common.none"), Selected: u.EmployerID == ""}}
	for _, e := range st.svc.Employers() {
		d.Employers = append(d.Employers, option{Value: e.ID, Label: e.Name, Selected: e.ID == u.EmployerID})
	}
	return d
}

func (st *site) userNew(c *gin.Context) error {
	v := st.view(c, "userForm.titleNew")
	v.Data = st.userForm(c, &engine.User{Role: engine.RoleCounsellor}, true)
	st.render(c, http.StatusOK, "user_form", v)
	return nil
}

// readUserForm copies the account form into a user and returns the new password ("" = keep).
func readUserForm(f *form, u *engine.User, isNew bool) string {
	if isNew {
		u.Username = trimLower(f.str("username"))
		u.Role = f.str("role")
	}
	u.DisplayName = f.str("displayName")
	u.Street, u.EmployerID, u.SeekerID = "", "", ""
	switch u.Role {
	case engine.RoleCounsellor:
		u.Street = f.str("street")
	case engine.RoleEmployer:
		u.EmployerID = f.str("employerId")
	case engine.RoleTrainee:
		u.SeekerID = f.str("seekerId")
	}
	u.Disabled = f.bool("disabled")
	pw := f.c.PostForm("password")
	if pw != "" || isNew {
		if msg := engine.CheckPassword(pw); msg != "" {
			f.problems.Add("password", "%s", msg)
		}
	}
	return pw
}

func (st *site) userCreate(c *gin.Context) error {
	u := &engine.User{}
	f := newForm(c)
	pw := readUserForm(f, u, true)
	err := st.saveUser(c, f, u, pw, true)
	if err == nil {
		return seeOther(c, "/admin/users", "created")
	}
	v := st.view(c, "userForm.titleNew")
	if err := st.formFailed(v, err, nil); err != nil {
		return err
	}
	v.Data = st.userForm(c, u, true)
	st.render(c, formStatus(v), "user_form", v)
	return nil
}

// saveUser validates and writes an account with its password hashed.
func (st *site) saveUser(c *gin.Context, f *form, u *engine.User, pw string, isNew bool) error {
	ctx := c.Request.Context()
	if err := f.check(ctx, st.svc, engine.KindUser, u); err != nil {
		return err
	}
	if pw != "" {
		h, err := HashPassword(pw)
		if err != nil {
			return err
		}
		u.PasswordHash = h
	}
	if isNew {
		return st.svc.Create(ctx, engine.KindUser, u)
	}
	return st.svc.Replace(ctx, engine.KindUser, u)
}

func (st *site) userEdit(c *gin.Context) error {
	var u engine.User
	if err := getAllowed(c, st.Server, engine.KindUser, &u, anyone); err != nil {
		return err
	}
	v := st.view(c, "userForm.titleEdit", "Name", u.Username)
	v.Data = st.userForm(c, &u, false)
	st.render(c, http.StatusOK, "user_form", v)
	return nil
}

func (st *site) userSave(c *gin.Context) error {
	var u engine.User
	if err := getAllowed(c, st.Server, engine.KindUser, &u, anyone); err != nil {
		return err
	}
	f := newForm(c)
	pw := readUserForm(f, &u, false)
	if u.ID == pageUser(c).ID && u.Disabled {
		f.problems.Add("disabled", "you cannot disable your own account")
	}
	err := f.unchanged(engine.KindUser, &u)
	if err == nil {
		err = st.saveUser(c, f, &u, pw, false)
	}
	if err == nil {
		return seeOther(c, "/admin/users", "saved")
	}
	v := st.view(c, "userForm.titleEdit", "Name", u.Username)
	if err := st.formFailed(v, err, nil); err != nil {
		return err
	}
	v.Data = st.userForm(c, &u, false)
	st.render(c, formStatus(v), "user_form", v)
	return nil
}

// Skills.

type skillsData struct {
	Skills []*engine.Skill
	New    *engine.Skill
}

func (st *site) skillList(c *gin.Context) error {
	v := st.view(c, "skills.title")
	v.Data = skillsData{Skills: st.svc.Skills(), New: &engine.Skill{}}
	st.render(c, http.StatusOK, "skills", v)
	return nil
}

func readSkillForm(f *form, sk *engine.Skill) {
	sk.Zh = f.str("zh")
	sk.En = f.str("en")
	sk.Group = f.str("group")
}

func (st *site) skillCreate(c *gin.Context) error {
	f := newForm(c)
	sk := &engine.Skill{Code: trimLower(f.str("code"))}
	readSkillForm(f, sk)
	ctx := c.Request.Context()
	err := f.check(ctx, st.svc, engine.KindSkill, sk)
	if err == nil {
		err = st.svc.Create(ctx, engine.KindSkill, sk)
	}
	if err == nil {
		return seeOther(c, "/admin/skills", "created")
	}
	v := st.view(c, "skills.title")
	if err := st.formFailed(v, err, nil); err != nil {
		return err
	}
	v.Data = skillsData{Skills: st.svc.Skills(), New: sk}
	st.render(c, formStatus(v), "skills", v)
	return nil
}

func (st *site) skillEdit(c *gin.Context) error {
	var sk engine.Skill
	if err := getAllowed(c, st.Server, engine.KindSkill, &sk, anyone); err != nil {
		return err
	}
	v := st.view(c, "skillForm.title", "Code", sk.Code)
	v.Data = &sk
	st.render(c, http.StatusOK, "skill_form", v)
	return nil
}

func (st *site) skillSave(c *gin.Context) error {
	var sk engine.Skill
	if err := getAllowed(c, st.Server, engine.KindSkill, &sk, anyone); err != nil {
		return err
	}
	f := newForm(c)
	readSkillForm(f, &sk)
	ctx := c.Request.Context()
	err := f.unchanged(engine.KindSkill, &sk)
	if err == nil {
		err = f.check(ctx, st.svc, engine.KindSkill, &sk)
	}
	if err == nil {
		err = st.svc.Replace(ctx, engine.KindSkill, &sk)
	}
	if err == nil {
		return seeOther(c, "/admin/skills", "saved")
	}
	v := st.view(c, "skillForm.title", "Code", sk.Code)
	if err := st.formFailed(v, err, nil); err != nil {
		return err
	}
	v.Data = &sk
	st.render(c, formStatus(v), "skill_form", v)
	return nil
}

// Audit log.

type auditData struct {
	SeekerID, Actor string
	Entries         []engine.AuditEntry
	NextURL         string
	FirstURL        string
	Names           map[string]string
}

func (st *site) auditPage(c *gin.Context) error {
	const pageSize = 50
	q := engine.AuditQuery{SeekerID: c.Query("seekerId"), Actor: c.Query("actor"), Before: c.Query("cursor"), Limit: pageSize}
	entries, err := st.svc.Store.AuditLog(c.Request.Context(), q)
	if err != nil {
		return err
	}
	d := auditData{SeekerID: q.SeekerID, Actor: q.Actor, Entries: entries, Names: map[string]string{}}
	next := ""
	if len(entries) == pageSize {
		next = entries[len(entries)-1].ID
	}
	d.NextURL, d.FirstURL = pageLinks(c, "/admin/audit", next, 0)
	for _, e := range entries {
		if u, found := st.svc.User(e.Actor); found {
			d.Names[e.Actor] = u.Username
		}
	}
	v := st.view(c, "audit.title")
	v.Data = d
	st.render(c, http.StatusOK, "audit", v)
	return nil
}
