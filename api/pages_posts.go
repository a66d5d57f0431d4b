package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	Accs      []option // the accommodations offered, without the accessible toilet
	Toilet    bool     // the one question about the toilet: site.accessibleToilet
	Demands   []demandChoice
	SkillRows []postSkillChoice
	SiteFrom  string // the title of the employer's post a new post's site was copied from
}

// demandChoice is one of the eleven demands: chosen by the employer, never defaulted.
type demandChoice struct {
	Dim, Field string
	Options    []option // "choose" first, then 0–4
}

// postSkillChoice is one skill row: the skill, its level, required or nice.
type postSkillChoice struct {
	Index  int
	Skills skillMenu
	Levels []option
	Kinds  []option
}

// needToilet is the accessible toilet: offered by a post whose site has one
// (DESIGN §4), so the form asks about it once, as a site feature.
const needToilet = "accessible-toilet"

// Skill kinds on the form: a post's skill is required or nice to have.
const (
	kindRequired = "required"
	kindNice     = "nice"
)

// postForm lays out a post for its form.
func (st *site) postForm(c *gin.Context, p *engine.Post, isNew bool, state postFormState) postFormData {
	lang := c.GetString(langKey)
	accs := slices.DeleteFunc(slices.Clone(engine.NeedCodes), func(n string) bool { return n == needToilet })
	d := postFormData{P: p, New: isNew, Action: "/posts/new",
		WorkModes: st.options(lang, "workMode", []string{p.WorkMode}, false),
		Statuses:  st.options(lang, "postStatus", []string{p.Status}, false),
		Toilet:    p.Site.AccessibleToilet || slices.Contains(p.Accommodations, needToilet), SiteFrom: state.siteFrom}
	if !isNew {
		d.Action = "/posts/" + url.PathEscape(p.ID) + "/edit"
	}
	for _, n := range accs {
		d.Accs = append(d.Accs, option{Value: n, Label: st.cat.T(lang, "need."+n), Help: st.cat.T(lang, "needHelp."+n),
			Selected: slices.Contains(p.Accommodations, n)})
	}
	if pageUser(c).Role == engine.RoleAdmin && isNew {
		for _, e := range st.svc.Employers() {
			d.Employers = append(d.Employers, option{Value: e.ID, Label: e.Name, Selected: e.ID == p.EmployerID})
		}
	}
	choose := option{Value: "", Label: st.cat.T(lang, "postForm.choose")}
	for _, dim := range engine.Dimensions {
		cur := ""
		if n, stated := p.Demands[dim]; stated {
			cur = strconv.Itoa(n)
		}
		opts := append([]option{choose}, st.options(lang, "demand", []string{cur}, false)...)
		opts[0].Selected = cur == ""
		for i := range opts[1:] {
			opts[i+1].Label = opts[i+1].Value + " – " + opts[i+1].Label
		}
		d.Demands = append(d.Demands, demandChoice{Dim: dim, Field: "demands." + dim, Options: opts})
	}
	for i := range len(p.Skills) + extraSkillRows {
		var s engine.PostSkill
		kind := ""
		if i < len(p.Skills) {
			s = p.Skills[i]
			kind = kindNice
			if s.Required {
				kind = kindRequired
			}
			if state.kinds != nil {
				kind = state.kinds[i]
			}
		}
		level := ""
		if s.Level > 0 {
			level = strconv.Itoa(s.Level)
		}
		levels := append([]option{choose}, st.options(lang, "skillLevel", []string{level}, false)...)
		levels[0].Selected = level == ""
		d.SkillRows = append(d.SkillRows, postSkillChoice{Index: i, Skills: st.skillMenu(lang, s.Code), Levels: levels,
			Kinds: []option{{Value: kindRequired, Label: st.cat.T(lang, "post.required"), Selected: kind == kindRequired},
				{Value: kindNice, Label: st.cat.T(lang, "post.nice"), Selected: kind == kindNice}}})
	}
	return d
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
	return st.showPostForm(c, st.view(c, "postForm.titleNew"), p, true, state, nil)
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
	return st.showPostForm(c, st.view(c, "postForm.titleEdit", "Title", p.Title), &p, false, postFormState{}, nil)
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

// showPostForm renders the post form; err, when not nil, is why saving failed
// and is shown beside the fields.
func (st *site) showPostForm(c *gin.Context, v *view, p *engine.Post, isNew bool, state postFormState, err error) error {
	if err != nil {
		if err := st.formFailed(v, err, postFormField); err != nil {
			return err
		}
	}
	v.Data = st.postForm(c, p, isNew, state)
	st.render(c, formStatus(v), "post_form", v)
	return nil
}

// postFormState is what the form shows besides the post itself.
type postFormState struct {
	kinds    []string // the skill rows' required/nice as submitted, by row of the post's skills ("" = not chosen)
	siteFrom string   // the title of the post a new post's site was copied from
}

// readPostForm copies the post form into a post (not its employer). A demand,
// the wage, and a listed skill's level and kind must be chosen: nothing is
// assumed for the employer.
func readPostForm(f *form, p *engine.Post) postFormState {
	var state postFormState
	p.Title = f.str("title")
	p.Description = f.str("description")
	p.WorkMode = f.str("workMode")
	p.Site.Lat = f.float("site.lat")
	p.Site.Lon = f.float("site.lon")
	p.Site.StepFree = f.bool("site.stepFree")
	p.Site.AccessibleToilet = f.bool("site.accessibleToilet")
	p.Site.Elevator = f.bool("site.elevator")
	p.Accommodations = slices.DeleteFunc(f.list("accommodations"), func(n string) bool { return n == needToilet })
	p.Hours.Weekly = f.int("hours.weekly")
	p.Hours.NightShift = f.bool("hours.nightShift")
	p.MonthlyWage = f.chosenInt("monthlyWage", "is required")
	p.Openings = f.int("openings")
	p.Status = f.str("status")
	p.ClosesOn = f.str("closesOn")
	p.Demands = map[string]int{}
	for _, dim := range engine.Dimensions {
		if f.str("demands."+dim) != "" {
			p.Demands[dim] = f.int("demands." + dim)
		} else {
			f.problems.Add("demands."+dim, "must be chosen")
		}
	}
	p.Skills = []engine.PostSkill{}
	for i := 0; ; i++ {
		key := fmt.Sprintf("skills[%d]", i)
		if _, present := f.c.GetPostForm(key + ".code"); !present {
			break
		}
		code := f.str(key + ".code")
		if code == "" {
			continue
		}
		// Messages name the row as it is shown again: the listed skills, in order.
		row := fmt.Sprintf("skills[%d]", len(p.Skills))
		s := engine.PostSkill{Code: code}
		if f.str(key+".level") == "" {
			f.problems.Add(row+".level", "must be chosen")
		} else {
			s.Level = f.int(key + ".level")
		}
		kind := f.str(key + ".required")
		switch kind {
		case kindRequired:
			s.Required = true
		case kindNice:
		default:
			f.problems.Add(row+".required", "must be chosen")
			kind = ""
		}
		p.Skills = append(p.Skills, s)
		state.kinds = append(state.kinds, kind)
	}
	return state
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
	d := candidatesData{P: &p, Res: res, Rules: st.ruleCounts(c.GetString(langKey), engine.KindPost, res.Excluded), Factors: factorNames, Weights: factorWeights}
	if u.Role == engine.RoleEmployer {
		d.Anonymous, d.Anon = true, anonymise(res)
	}
	v := st.view(c, "candidates.title", "Title", p.Title)
	v.Data = d
	st.render(c, http.StatusOK, "candidates", v)
	return nil
}
