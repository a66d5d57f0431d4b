package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Post pages: the list (an employer's own, every post for a counsellor), the
// post with its accessibility, the create/edit form, and the ranked candidates.

type postListData struct {
	Q, WorkMode, Status string
	WorkModes, Statuses []option
	Hits                []engine.SearchHit
	Total               uint64
	Page                int
	NextURL, FirstURL   string
	Employer            *engine.Employer
	CanCreate           bool
}

func (st *site) postList(c *gin.Context) error {
	u := pageUser(c)
	q, res, err := st.runScoped(c, engine.KindPost, true)
	if err != nil {
		return err
	}
	lang := c.GetString(langKey)
	d := postListData{Q: q.Text, WorkMode: q.WorkMode, Status: q.Status, Hits: res.Hits, Total: res.Total,
		Page:      max(1, atoiOr(c.Query("page"), 1)),
		WorkModes: withCounts(st.options(lang, "workMode", []string{q.WorkMode}, true), res.Facets["workMode"]),
		Statuses:  withCounts(st.options(lang, "postStatus", []string{q.Status}, true), res.Facets["status"]),
		CanCreate: roles(engine.RoleEmployer).allows(u)}
	if u.Role == engine.RoleEmployer {
		d.Employer, _ = st.svc.Employer(u.EmployerID)
	}
	d.NextURL, d.FirstURL = pageLinks(c, "/posts", res.NextCursor, d.Page)
	titleID := "posts.title"
	if u.Role == engine.RoleEmployer {
		titleID = "posts.titleOwn"
	}
	v := st.view(c, titleID)
	v.Data = d
	st.render(c, http.StatusOK, "posts", v)
	return nil
}

// pageLinks are the next-page and first-page links of a cursor-paged list.
func pageLinks(c *gin.Context, base, cursor string, page int) (next, first string) {
	if cursor != "" {
		q := c.Request.URL.Query()
		q.Set("cursor", cursor)
		q.Set("page", strconv.Itoa(page+1))
		q.Del("done")
		next = base + "?" + q.Encode()
	}
	if c.Query("cursor") != "" {
		q := c.Request.URL.Query()
		q.Del("cursor")
		q.Del("page")
		q.Del("done")
		first = base + "?" + q.Encode()
	}
	return next, first
}

// postData is one post as its employer or a counsellor sees it.
type postData struct {
	P        *engine.Post
	Employer string
	Skills   []postSkillRow
	Demands  []demandRow
	CanEdit  bool
}

type postSkillRow struct {
	Name     string
	Level    int
	Required bool
}

type demandRow struct {
	Dim   string
	Value int
}

func (st *site) postView(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canReadPost); err != nil {
		return err
	}
	lang := c.GetString(langKey)
	u := pageUser(c)
	d := postData{P: &p, CanEdit: roles(engine.RoleEmployer).allows(u) && canWritePost(u, &p) == nil}
	if e, found := st.svc.Employer(p.EmployerID); found {
		d.Employer = e.Name
	}
	for _, s := range p.Skills {
		d.Skills = append(d.Skills, postSkillRow{Name: st.skillName(lang, s.Code), Level: s.Level, Required: s.Required})
	}
	for _, dim := range engine.Dimensions {
		if n := p.Demands[dim]; n > 0 {
			d.Demands = append(d.Demands, demandRow{Dim: dim, Value: n})
		}
	}
	v := st.view(c, "post.title", "Title", p.Title)
	v.Data = d
	st.render(c, http.StatusOK, "post", v)
	return nil
}

// postFormData is the create/edit form of a post with its accessibility checklist.
type postFormData struct {
	P         *engine.Post
	New       bool
	Action    string
	Employers []option // an admin chooses the employer
	WorkModes []option
	Statuses  []option
	Accs      []option
	Demands   []abilityChoice
	SkillRows []postSkillChoice
}

type postSkillChoice struct {
	Index    int
	Skills   []option
	Levels   []option
	Required bool
}

func (st *site) postForm(c *gin.Context, p *engine.Post, isNew bool) postFormData {
	lang := c.GetString(langKey)
	d := postFormData{P: p, New: isNew, Action: "/posts/new",
		WorkModes: st.options(lang, "workMode", []string{p.WorkMode}, false),
		Statuses:  st.options(lang, "postStatus", []string{p.Status}, false),
		Accs:      st.options(lang, "need", p.Accommodations, false)}
	if !isNew {
		d.Action = "/posts/" + url.PathEscape(p.ID) + "/edit"
	}
	for i := range d.Accs {
		d.Accs[i].Help = st.cat.T(lang, "needHelp."+d.Accs[i].Value)
	}
	if pageUser(c).Role == engine.RoleAdmin && isNew {
		for _, e := range st.svc.Employers() {
			d.Employers = append(d.Employers, option{Value: e.ID, Label: e.Name, Selected: e.ID == p.EmployerID})
		}
	}
	for _, dim := range engine.Dimensions {
		cur := strconv.Itoa(p.Demands[dim])
		opts := st.options(lang, "demand", []string{cur}, false)
		for i := range opts {
			opts[i].Label = opts[i].Value + " – " + opts[i].Label
		}
		d.Demands = append(d.Demands, abilityChoice{Dim: dim, Field: "demands." + dim, Current: cur, Options: opts})
	}
	for i := range len(p.Skills) + extraSkillRows {
		var s engine.PostSkill
		if i < len(p.Skills) {
			s = p.Skills[i]
		}
		d.SkillRows = append(d.SkillRows, postSkillChoice{Index: i, Skills: st.skillOptions(lang, s.Code),
			Levels: st.options(lang, "skillLevel", []string{strconv.Itoa(max(1, s.Level))}, false), Required: s.Required})
	}
	return d
}

func (st *site) postNew(c *gin.Context) error {
	p := &engine.Post{WorkMode: "onsite", Status: "open", Hours: engine.Hours{Weekly: 40}, Openings: 1}
	// Start from the site of one of the employer's onsite posts: most employers post at one address.
	if u := pageUser(c); u.Role == engine.RoleEmployer {
		p.EmployerID = u.EmployerID
		res, err := st.svc.Index.Search(c.Request.Context(), engine.SearchQuery{Type: engine.KindPost, EmployerID: u.EmployerID,
			WorkMode: "onsite", Limit: 1})
		if err == nil && len(res.Hits) > 0 {
			var last engine.Post
			if st.svc.Store.Get(c.Request.Context(), engine.KindPost, res.Hits[0].ID, &last) == nil {
				p.Site = last.Site
			}
		}
	}
	v := st.view(c, "postForm.titleNew")
	v.Data = st.postForm(c, p, true)
	st.render(c, http.StatusOK, "post_form", v)
	return nil
}

func (st *site) postCreate(c *gin.Context) error {
	u := pageUser(c)
	p := &engine.Post{}
	f := newForm(c)
	readPostForm(f, p)
	if u.Role == engine.RoleAdmin {
		p.EmployerID = f.str("employerId")
	}
	ctx := c.Request.Context()
	err := ownPost(u, p)
	if err == nil {
		err = f.check(ctx, st.svc, engine.KindPost, p)
	}
	if err == nil {
		err = st.svc.Create(ctx, engine.KindPost, p)
	}
	if err == nil {
		return seeOther(c, "/posts/"+url.PathEscape(p.ID), "created")
	}
	v := st.view(c, "postForm.titleNew")
	if err := st.formFailed(v, err, postFormField); err != nil {
		return err
	}
	v.Data = st.postForm(c, p, true)
	st.render(c, formStatus(v), "post_form", v)
	return nil
}

func (st *site) postEdit(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canWritePost); err != nil {
		return err
	}
	v := st.view(c, "postForm.titleEdit", "Title", p.Title)
	v.Data = st.postForm(c, &p, false)
	st.render(c, http.StatusOK, "post_form", v)
	return nil
}

func (st *site) postSave(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canWritePost); err != nil {
		return err
	}
	title := p.Title
	f := newForm(c)
	readPostForm(f, &p)
	ctx := c.Request.Context()
	err := f.unchanged(engine.KindPost, &p)
	if err == nil {
		err = f.check(ctx, st.svc, engine.KindPost, &p)
	}
	if err == nil {
		err = canWritePost(pageUser(c), &p)
	}
	if err == nil {
		err = st.svc.Replace(ctx, engine.KindPost, &p)
	}
	if err == nil {
		return seeOther(c, "/posts/"+url.PathEscape(p.ID), "saved")
	}
	v := st.view(c, "postForm.titleEdit", "Title", title)
	if err := st.formFailed(v, err, postFormField); err != nil {
		return err
	}
	v.Data = st.postForm(c, &p, false)
	st.render(c, formStatus(v), "post_form", v)
	return nil
}

// readPostForm copies the post form into a post (not its employer).
func readPostForm(f *form, p *engine.Post) {
	p.Title = f.str("title")
	p.Description = f.str("description")
	p.WorkMode = f.str("workMode")
	p.Site.Lat = f.float("site.lat")
	p.Site.Lon = f.float("site.lon")
	p.Site.StepFree = f.bool("site.stepFree")
	p.Site.AccessibleToilet = f.bool("site.accessibleToilet")
	p.Site.Elevator = f.bool("site.elevator")
	p.Accommodations = f.list("accommodations")
	p.Hours.Weekly = f.int("hours.weekly")
	p.Hours.NightShift = f.bool("hours.nightShift")
	p.MonthlyWage = f.int("monthlyWage")
	p.Openings = f.int("openings")
	p.Status = f.str("status")
	p.ClosesOn = f.str("closesOn")
	p.Demands = map[string]int{}
	for _, dim := range engine.Dimensions { // a demand the form sends is stated, 0 included
		if _, sent := f.c.GetPostForm("demands." + dim); sent {
			p.Demands[dim] = f.int("demands." + dim)
		}
	}
	p.Skills = []engine.PostSkill{}
	for i := 0; ; i++ {
		key := fmt.Sprintf("skills[%d]", i)
		if _, present := f.c.GetPostForm(key + ".code"); !present {
			break
		}
		if code := f.str(key + ".code"); code != "" {
			p.Skills = append(p.Skills, engine.PostSkill{Code: code, Level: f.int(key + ".level"), Required: f.bool(key + ".required")})
		}
	}
}

// postFormField maps an engine field to the control that shows its message.
func postFormField(field string) string {
	switch {
	case strings.HasPrefix(field, "accommodations["):
		return "accommodations"
	case field == "site.lat" || field == "site.lon":
		return field
	}
	return field
}

// candidatesData is a post's ranked candidates: anonymous for an employer.
type candidatesData struct {
	P         *engine.Post
	Anonymous bool
	Anon      []anonymousCandidate
	Res       *engine.CandidatesResponse
	Rules     []ruleCount
	Factors   []string
	Weights   map[string]int
}

func (st *site) postCandidatesPage(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canReadPost); err != nil {
		return err
	}
	u := pageUser(c)
	res, err := st.candidatesFor(u, &p, engine.DefaultMatchLimit)
	if err != nil {
		return err
	}
	d := candidatesData{P: &p, Res: res, Rules: ruleCounts(res.Excluded), Factors: factorNames, Weights: factorWeights}
	if u.Role == engine.RoleEmployer {
		d.Anonymous, d.Anon = true, anonymise(res)
	}
	v := st.view(c, "candidates.title", "Title", p.Title)
	v.Data = d
	st.render(c, http.StatusOK, "candidates", v)
	return nil
}
