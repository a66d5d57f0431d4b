package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

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
	Toilet   bool     // the site has one, or the post lists it as an accommodation
	Accs     []string // the other accommodations
	CanEdit  bool
}

type postSkillRow struct {
	Name     string
	Level    int
	Required bool
}

type demandRow struct {
	Dim       string
	Value     int
	Essential bool
}

func (st *site) postView(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canReadPost); err != nil {
		return err
	}
	lang := c.GetString(langKey)
	u := pageUser(c)
	d := postData{P: &p, CanEdit: roles(engine.RoleEmployer).allows(u) && canWritePost(u, &p) == nil,
		Toilet: p.Site.AccessibleToilet || slices.Contains(p.Accommodations, needToilet),
		Accs:   slices.DeleteFunc(slices.Clone(p.Accommodations), func(n string) bool { return n == needToilet })}
	if e, found := st.svc.Employer(p.EmployerID); found {
		d.Employer = e.Name
	}
	for _, s := range p.Skills {
		d.Skills = append(d.Skills, postSkillRow{Name: st.skillName(lang, s.Code), Level: s.Level, Required: s.Required})
	}
	for _, dim := range engine.Dimensions {
		if n := p.Demands[dim]; n > 0 {
			d.Demands = append(d.Demands, demandRow{Dim: dim, Value: n, Essential: slices.Contains(p.EssentialDemands, dim)})
		}
	}
	v := st.view(c, "post.title", "Title", p.Title)
	v.Data = d
	st.render(c, http.StatusOK, "post", v)
	return nil
}

func (st *site) postNew(c *gin.Context) error {
	p := &engine.Post{WorkMode: "onsite", Status: "open", Hours: engine.Hours{Weekly: 40}, Openings: 1}
	var state postFormState
	// Start from the site of one of the employer's onsite posts: most employers
	// post at one address. The form says so, so nothing is ticked unseen.
	if u := pageUser(c); u.Role == engine.RoleEmployer {
		p.EmployerID = u.EmployerID
		res, err := st.svc.Index.Search(c.Request.Context(), engine.SearchQuery{Type: engine.KindPost, EmployerID: u.EmployerID,
			WorkMode: "onsite", Limit: 1})
		if err == nil && len(res.Hits) > 0 {
			var last engine.Post
			if st.svc.Store.Get(c.Request.Context(), engine.KindPost, res.Hits[0].ID, &last) == nil {
				p.Site = last.Site
				p.Site.AccessibleToilet = last.Site.AccessibleToilet || slices.Contains(last.Accommodations, needToilet)
				state.siteFrom = last.Title
			}
		}
	}
	err := fillFromOccupation(c, p, &state)
	return st.showPostForm(c, st.view(c, "postForm.titleNew"), p, true, state, err)
}

func (st *site) postCreate(c *gin.Context) error {
	u := pageUser(c)
	p := &engine.Post{}
	f := newForm(c)
	state := readPostForm(f, p)
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
	return st.showPostForm(c, st.view(c, "postForm.titleNew"), p, true, state, err)
}

func (st *site) postEdit(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canWritePost); err != nil {
		return err
	}
	title := p.Title
	var state postFormState
	err := fillFromOccupation(c, &p, &state)
	return st.showPostForm(c, st.view(c, "postForm.titleEdit", "Title", title), &p, false, state, err)
}

func (st *site) postSave(c *gin.Context) error {
	var p engine.Post
	if err := getAllowed(c, st.Server, engine.KindPost, &p, canWritePost); err != nil {
		return err
	}
	title := p.Title
	f := newForm(c)
	state := readPostForm(f, &p)
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
	return st.showPostForm(c, st.view(c, "postForm.titleEdit", "Title", title), &p, false, state, err)
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
	d := candidatesData{P: &p, Res: res, Rules: st.ruleCounts(c.GetString(langKey), engine.KindPost, res.Excluded), Factors: factorNames, Weights: factorWeights}
	if u.Role == engine.RoleEmployer {
		d.Anonymous, d.Anon = true, anonymise(res)
	}
	v := st.view(c, "candidates.title", "Title", p.Title)
	v.Data = d
	st.render(c, http.StatusOK, "candidates", v)
	return nil
}
