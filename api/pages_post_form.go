package api

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// The post form: an employer states what a job asks and offers. It can start
// from an occupation of engine.Occupations, whose skills, demands and
// accommodations it fills in visibly, for the employer to change; nothing is
// assumed for them: every demand, the wage and each skill's level and kind
// must be chosen.

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
	// The occupation chooser, the occupation the form was filled from (nil:
	// none) and whether it was filled just now (the form then says what it filled).
	Occupations menu
	Occupation  *engine.Occupation
	Filled      bool
	MinWage     int // Shanghai's monthly minimum, for the wage hint
	MinWageFrom string
}

// demandChoice is one of the eleven demands: chosen by the employer, never
// defaulted, and whether it is an essential function of the job.
type demandChoice struct {
	Dim, Field string
	Options    []option // "choose" first, then 0–4
	Essential  bool
}

// postSkillChoice is one skill row: the skill, its level, required or nice.
type postSkillChoice struct {
	Index  int
	Skills menu
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
		Toilet:    p.Site.AccessibleToilet || slices.Contains(p.Accommodations, needToilet), SiteFrom: state.siteFrom,
		Occupation: state.occupation, Filled: state.filled, MinWage: engine.MinimumMonthlyWage, MinWageFrom: engine.MinimumWageSince}
	var jobs []menuItem
	for _, o := range engine.Occupations {
		jobs = append(jobs, menuItem{group: o.Group, value: o.Code, zh: o.Zh, en: o.En})
	}
	current := ""
	if state.occupation != nil {
		current = state.occupation.Code
	}
	d.Occupations = menu{None: []option{{Value: "", Label: st.cat.T(lang, "postForm.chooseOccupation"), Selected: current == ""}},
		Groups: groupedMenu(lang, jobs, current)}
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
		d.Demands = append(d.Demands, demandChoice{Dim: dim, Field: "demands." + dim, Options: opts,
			Essential: slices.Contains(p.EssentialDemands, dim)})
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
	kinds      []string // the skill rows' required/nice as submitted, by row of the post's skills ("" = not chosen)
	siteFrom   string   // the title of the post a new post's site was copied from
	occupation *engine.Occupation
	filled     bool // the post was filled from the occupation just now
}

// fillFromOccupation fills p from the occupation the form's chooser sent
// (?occupation=), if any.
func fillFromOccupation(c *gin.Context, p *engine.Post, state *postFormState) error {
	code := c.Query("occupation")
	if code == "" {
		return nil
	}
	o, found := engine.LookupOccupation(code)
	if !found {
		return invalid("occupation", "unknown occupation")
	}
	useOccupation(c.GetString(langKey), p, o)
	state.occupation, state.filled = o, true
	return nil
}

// useOccupation fills a post from an occupation, as a start for the employer
// to check and change: its skills, all eleven demands and which are essential, its accommodations
// (the accessible toilet stays the site's question), usual hours and night
// shift, a usual work mode, and a blank title and description. The wage is
// left to the employer.
func useOccupation(lang string, p *engine.Post, o *engine.Occupation) {
	p.Skills = slices.Clone(o.Skills)
	p.Demands = maps.Clone(o.Demands)
	p.EssentialDemands = slices.Clone(o.EssentialDemands)
	p.Accommodations = slices.DeleteFunc(slices.Clone(o.Accommodations), func(n string) bool { return n == needToilet })
	if len(o.WeeklyHours) > 0 {
		p.Hours.Weekly = o.WeeklyHours[0]
	}
	p.Hours.NightShift = o.NightShift
	if len(o.WorkModes) > 0 && !slices.Contains(o.WorkModes, p.WorkMode) {
		p.WorkMode = o.WorkModes[0]
	}
	if p.Title == "" {
		p.Title = pick(lang, o.Zh, o.En)
	}
	if p.Description == "" {
		p.Description = pick(lang, o.DutiesZh, o.DutiesEn)
	}
}

// readPostForm copies the post form into a post (not its employer). A demand,
// the wage, and a listed skill's level and kind must be chosen: nothing is
// assumed for the employer.
func readPostForm(f *form, p *engine.Post) postFormState {
	var state postFormState
	state.occupation, _ = engine.LookupOccupation(f.str("occupation"))
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
	p.EssentialDemands = f.list("essentialDemands")
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
	case strings.HasPrefix(field, "essentialDemands["):
		return "essentialDemands"
	case field == "site.lat" || field == "site.lon":
		return field
	}
	return field
}
