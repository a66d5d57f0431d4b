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

// Counsellor pages: seeker search, the seeker file and its edit form, matches, gaps.

// seekerSearchData is the search form, its facets and one page of hits.
type seekerSearchData struct {
	Q, Street, Category, Status string
	FixedStreet                 string // a street counsellor's own street (no street choice)
	Streets, Categories         []option
	Statuses                    []option
	Hits                        []engine.SearchHit
	Total                       uint64
	Page                        int
	NextURL, FirstURL           string
}

func (st *site) seekerSearch(c *gin.Context) error {
	u := pageUser(c)
	q, res, err := st.runScoped(c, engine.KindSeeker, true)
	if err != nil {
		return err
	}
	lang := c.GetString(langKey)
	d := seekerSearchData{Q: q.Text, Street: q.Street, Category: q.Category, Status: q.Status,
		Hits: res.Hits, Total: res.Total, Page: max(1, atoiOr(c.Query("page"), 1))}
	if u.Role == engine.RoleCounsellor && u.Street != "" {
		d.FixedStreet = u.Street
	}
	d.Streets = withCounts(st.options(lang, "street", []string{q.Street}, true), res.Facets["street"])
	d.Categories = withCounts(st.options(lang, "category", []string{q.Category}, true), res.Facets["category"])
	d.Statuses = withCounts(st.options(lang, "status", []string{q.Status}, true), res.Facets["status"])
	if res.NextCursor != "" {
		next := c.Request.URL.Query()
		next.Set("cursor", res.NextCursor)
		next.Set("page", strconv.Itoa(d.Page+1))
		next.Del("done")
		d.NextURL = "/seekers?" + next.Encode()
	}
	if c.Query("cursor") != "" {
		first := c.Request.URL.Query()
		first.Del("cursor")
		first.Del("page")
		d.FirstURL = "/seekers?" + first.Encode()
	}
	v := st.view(c, "seekers.title")
	v.Data = d
	st.render(c, http.StatusOK, "seekers", v)
	return nil
}

// withCounts adds facet counts to options.
func withCounts(opts []option, counts []engine.FacetCount) []option {
	for i := range opts {
		for _, fc := range counts {
			if fc.Value == opts[i].Value {
				opts[i].Count = fc.Count
			}
		}
	}
	return opts
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// seekerFileData is a seeker file as the user may see it.
type seekerFileData struct {
	S         *engine.Seeker
	Abilities []abilityRow
	Skills    []skillRow
	CanEdit   bool
	PlainIDs  bool
}

type abilityRow struct {
	Dim     string
	Value   int
	Default bool
}

type skillRow struct {
	Code, Name string
	Level      int
}

// readSeeker reads the :id seeker file for the user and audits the read.
func (st *site) readSeeker(c *gin.Context, may access[*engine.Seeker], action string) (*engine.Seeker, error) {
	var sk engine.Seeker
	if err := getAllowed(c, st.Server, engine.KindSeeker, &sk, may); err != nil {
		return nil, err
	}
	if err := st.audit(c, action, sk.ID); err != nil {
		return nil, err
	}
	return &sk, nil
}

func (st *site) seekerFile(c *gin.Context) error {
	sk, err := st.readSeeker(c, canReadSeeker, "read")
	if err != nil {
		return err
	}
	u := pageUser(c)
	d := seekerFileData{S: seekerView(u, sk, true), CanEdit: roles(engine.RoleCounsellor).allows(u) && canWriteSeeker(u, sk) == nil,
		PlainIDs: seesPlainIDs(u, sk)}
	eff := sk.EffectiveAbilities()
	for i, dim := range engine.Dimensions {
		_, set := sk.Abilities[dim]
		d.Abilities = append(d.Abilities, abilityRow{Dim: dim, Value: int(eff[i]), Default: !set})
	}
	d.Skills = st.skillRows(c.GetString(langKey), sk.Skills)
	v := st.view(c, "seeker.title", "Name", sk.Name)
	v.Data = d
	st.render(c, http.StatusOK, "seeker", v)
	return nil
}

func (st *site) skillRows(lang string, skills []engine.SkillLevel) []skillRow {
	rows := make([]skillRow, 0, len(skills))
	for _, s := range skills {
		rows = append(rows, skillRow{Code: s.Code, Name: st.skillName(lang, s.Code), Level: s.Level})
	}
	return rows
}

// skillName is a catalog skill's name in the language, or its code.
func (st *site) skillName(lang, code string) string {
	if sk, found := st.svc.Skill(code); found {
		return pick(lang, sk.Zh, sk.En)
	}
	return code
}

// skillMenu lists the catalog for a skill select whose current choice is
// current: "none", then the skills by group in the reader's order.
func (st *site) skillMenu(lang, current string) menu {
	var items []menuItem
	known := false
	for _, sk := range st.svc.Skills() {
		items = append(items, menuItem{group: sk.Group, value: sk.Code, zh: sk.Zh, en: sk.En})
		known = known || sk.Code == current
	}
	m := menu{None: []option{{Value: "", Label: st.cat.T(lang, "common.none"), Selected: current == ""}},
		Groups: groupedMenu(lang, items, current)}
	if !known && current != "" { // shown as it is, so saving names it rather than dropping it unseen
		m.None = append(m.None, option{Value: current, Label: current, Selected: true})
	}
	return m
}

// seekerFormData is the edit form of a seeker file.
type seekerFormData struct {
	S          *engine.Seeker
	PlainIDs   bool
	Streets    []option
	Abilities  []abilityChoice
	SkillRows  []skillChoice
	Needs      []needChoice
	Modes      []option
	Programs   []option
	Statuses   []option
	Genders    []option
	Categories []option
	Levels     []option
	OwnStreet  string
}

type abilityChoice struct {
	Dim     string
	Field   string
	Current string // "" = default from the disability
	Options []option
}

type skillChoice struct {
	Index   int
	Skills  menu
	Levels  []option
	Current int
}

type needChoice struct {
	Code, Current string // "", "wished", "essential"
	Options       []option
}

// extraSkillRows is how many empty skill rows the form offers.
const extraSkillRows = 2

func (st *site) seekerForm(c *gin.Context, sk *engine.Seeker, plain bool) seekerFormData {
	lang := c.GetString(langKey)
	u := pageUser(c)
	d := seekerFormData{S: sk, PlainIDs: plain,
		Streets:    st.options(lang, "street", []string{sk.Street}, false),
		Modes:      st.options(lang, "mode", sk.Mobility.Modes, false),
		Programs:   st.options(lang, "program", sk.Programs, false),
		Statuses:   st.options(lang, "status", []string{sk.Status}, false),
		Genders:    st.options(lang, "gender", []string{sk.Gender}, false),
		Categories: st.options(lang, "category", []string{sk.Disability.Category}, false),
		Levels:     st.options(lang, "level", []string{strconv.Itoa(sk.Disability.Level)}, false),
	}
	if u.Role == engine.RoleCounsellor {
		d.OwnStreet = u.Street
	}
	for _, dim := range engine.Dimensions {
		cur := ""
		if v, set := sk.Abilities[dim]; set {
			cur = strconv.Itoa(v)
		}
		opts := []option{{Value: "", Label: st.cat.T(lang, "seeker.abilityDefault"), Selected: cur == ""}}
		for _, o := range st.options(lang, "capacity", []string{cur}, false) {
			o.Label = o.Value + " – " + o.Label
			opts = append(opts, o)
		}
		d.Abilities = append(d.Abilities, abilityChoice{Dim: dim, Field: "abilities." + dim, Current: cur, Options: opts})
	}
	for i := range len(sk.Skills) + extraSkillRows {
		var s engine.SkillLevel
		if i < len(sk.Skills) {
			s = sk.Skills[i]
		}
		lv := st.options(lang, "skillLevel", []string{strconv.Itoa(max(1, s.Level))}, false)
		d.SkillRows = append(d.SkillRows, skillChoice{Index: i, Skills: st.skillMenu(lang, s.Code), Levels: lv, Current: s.Level})
	}
	for _, code := range engine.NeedCodes {
		cur := ""
		for _, n := range sk.Needs {
			if n.Code == code {
				cur = "wished"
				if n.Essential {
					cur = "essential"
				}
			}
		}
		opts := []option{{Value: "", Label: st.cat.T(lang, "need.none")},
			{Value: "wished", Label: st.cat.T(lang, "need.wished")},
			{Value: "essential", Label: st.cat.T(lang, "need.essential")}}
		for i := range opts {
			opts[i].Selected = opts[i].Value == cur
		}
		d.Needs = append(d.Needs, needChoice{Code: code, Current: cur, Options: opts})
	}
	return d
}

func (st *site) seekerEdit(c *gin.Context) error {
	sk, err := st.readSeeker(c, canWriteSeeker, "read")
	if err != nil {
		return err
	}
	if sk.Erased {
		return invalid("erased", "an erased file cannot be edited")
	}
	u := pageUser(c)
	plain := seesPlainIDs(u, sk)
	v := st.view(c, "seekerEdit.title", "Name", sk.Name)
	v.Data = st.seekerForm(c, seekerView(u, sk, true), plain)
	st.render(c, http.StatusOK, "seeker_edit", v)
	return nil
}

func (st *site) seekerSave(c *gin.Context) error {
	var sk engine.Seeker
	if err := getAllowed(c, st.Server, engine.KindSeeker, &sk, canWriteSeeker); err != nil {
		return err
	}
	u := pageUser(c)
	plain := seesPlainIDs(u, &sk)
	f := newForm(c)
	readSeekerForm(f, &sk, plain, engine.Today(st.clock))
	ctx := c.Request.Context()
	err := f.unchanged(engine.KindSeeker, &sk)
	if err == nil {
		err = f.check(ctx, st.svc, engine.KindSeeker, &sk)
	}
	if err == nil {
		err = st.svc.UpdateSeeker(ctx, u, &sk)
	}
	if err == nil {
		if err := st.audit(c, "update", sk.ID); err != nil {
			return err
		}
		return seeOther(c, "/seekers/"+url.PathEscape(sk.ID), "saved")
	}
	v := st.view(c, "seekerEdit.title", "Name", sk.Name)
	if err := st.formFailed(v, err, seekerFormField); err != nil {
		return err
	}
	shown := sk
	if !plain {
		shown = *seekerView(u, &sk, false)
	}
	v.Data = st.seekerForm(c, &shown, plain)
	st.render(c, formStatus(v), "seeker_edit", v)
	return nil
}

// readSeekerForm copies the edit form into a seeker file. Resident ID and
// certificate are editable only by those who may see them in plain text.
func readSeekerForm(f *form, sk *engine.Seeker, plain bool, today string) {
	sk.Name = f.str("name")
	sk.Gender = f.str("gender")
	sk.BirthDate = f.str("birthDate")
	if plain {
		sk.ResidentID = strings.ToUpper(f.str("residentId"))
		sk.Certificate = strings.ToUpper(f.str("certificate"))
	}
	sk.Disability.Category = f.str("disability.category")
	sk.Disability.Level = f.int("disability.level")
	sk.Street = f.str("street")
	sk.Home.Lat = f.float("home.lat")
	sk.Home.Lon = f.float("home.lon")
	sk.Abilities = map[string]int{}
	for _, dim := range engine.Dimensions {
		if f.str("abilities."+dim) != "" {
			sk.Abilities[dim] = f.int("abilities." + dim)
		}
	}
	sk.Skills = []engine.SkillLevel{}
	for i := 0; ; i++ {
		key := fmt.Sprintf("skills[%d]", i)
		if _, present := f.c.GetPostForm(key + ".code"); !present {
			break
		}
		if code := f.str(key + ".code"); code != "" {
			sk.Skills = append(sk.Skills, engine.SkillLevel{Code: code, Level: f.int(key + ".level")})
		}
	}
	sk.Mobility.Modes = f.list("mobility.modes")
	sk.Mobility.MaxCommuteMinutes = f.int("mobility.maxCommuteMinutes")
	sk.Mobility.NeedsStepFree = f.bool("mobility.needsStepFree")
	sk.Mobility.RemoteOK = f.bool("mobility.remoteOK")
	sk.Needs = []engine.Need{}
	for _, code := range engine.NeedCodes {
		switch f.str("needs." + code) {
		case "wished":
			sk.Needs = append(sk.Needs, engine.Need{Code: code})
		case "essential":
			sk.Needs = append(sk.Needs, engine.Need{Code: code, Essential: true})
		}
	}
	sk.Preferences.MinMonthlyWage = f.int("preferences.minMonthlyWage")
	sk.Preferences.MaxWeeklyHours = f.int("preferences.maxWeeklyHours")
	sk.Preferences.NightShiftOK = f.bool("preferences.nightShiftOK")
	share := f.bool("consent.shareWithEmployers")
	if share != sk.Consent.ShareWithEmployers {
		sk.Consent.Date = today
	}
	sk.Consent.ShareWithEmployers = share
	sk.Status = f.str("status")
	sk.Programs = f.list("programs")
}

// seekerFormField maps an engine field to the control that shows its message:
// list items name their row, derived fields the control they come from.
func seekerFormField(field string) string {
	switch {
	case field == "disability":
		return "disability.category"
	case strings.HasPrefix(field, "needs["):
		return "needs"
	case strings.HasPrefix(field, "mobility.modes["):
		return "mobility.modes"
	case strings.HasPrefix(field, "programs["):
		return "programs"
	case field == "consent.date":
		return "consent.shareWithEmployers"
	}
	return field
}

// Matches and gaps.

// matchesData is a seeker's ranked posts or classes with every factor explained.
type matchesData struct {
	SeekerID, Name string
	Type           string
	Res            *engine.MatchResponse
	Rules          []ruleCount
	Factors        []string
	Weights        map[string]int
	LinkPosts      bool
	CanRefer       bool              // the user may refer this seeker (posts only)
	Referred       map[string]string // post id → status of the seeker's referral to it
}

// ruleCount is how many results one hard constraint left out, with the rule
// named for what it applies to (a post or a class).
type ruleCount struct {
	Rule, Label string
	Count       int
}

// seekerName reads a seeker's name for a heading (the access was already checked and audited).
func (st *site) seekerName(c *gin.Context, id string) (string, error) {
	var sk engine.Seeker
	if err := st.svc.Store.Get(c.Request.Context(), engine.KindSeeker, id, &sk); err != nil {
		return "", err
	}
	return sk.Name, nil
}

func (st *site) seekerMatches(c *gin.Context) error {
	typ, typName := engine.KindPost, "posts"
	switch c.DefaultQuery("type", "posts") {
	case "posts":
	case "classes":
		typ, typName = engine.KindClass, "classes"
	default:
		return invalid("type", "must be posts or classes")
	}
	id, err := st.checkMatchedSeeker(c, "matches")
	if err != nil {
		return err
	}
	res, err := st.matcher.Matches(id, typ, engine.DefaultMatchLimit)
	if err != nil {
		return err
	}
	name, err := st.seekerName(c, id)
	if err != nil {
		return err
	}
	u := pageUser(c)
	d := matchesData{SeekerID: id, Name: name, Type: typName, Res: res, Rules: st.ruleCounts(c.GetString(langKey), typ, res.Excluded),
		Factors: factorNames, Weights: factorWeights, LinkPosts: roles(engine.RoleCounsellor).allows(u)}
	if typ == engine.KindPost && d.LinkPosts {
		info, _ := st.matcher.Seeker(id)
		d.CanRefer = canReferSeeker(u, &engine.Seeker{Meta: engine.Meta{ID: id}, Street: info.Street}) == nil
		d.Referred = map[string]string{}
		for _, r := range st.svc.Referrals(func(r *engine.Referral) bool { return r.SeekerID == id }) {
			d.Referred[r.PostID] = r.Status
		}
	}
	titleID := "matches.titlePosts"
	if typ == engine.KindClass {
		titleID = "matches.titleClasses"
	}
	v := st.view(c, titleID, "Name", name)
	v.Data = d
	st.render(c, http.StatusOK, "matches", v)
	return nil
}

// ruleCounts lists the excluded counts by rule number, each rule named as
// engine.Rules names it for what it was applied to (posts for matches and
// candidates, or classes).
func (st *site) ruleCounts(lang string, kind engine.Kind, e engine.Excluded) []ruleCount {
	var out []ruleCount
	for _, r := range engine.Rules {
		n := e.ByRule[strconv.Itoa(r.Number)]
		if n == 0 {
			continue
		}
		name := r.Name
		if kind == engine.KindClass {
			name = r.ClassName
		}
		out = append(out, ruleCount{Rule: strconv.Itoa(r.Number), Count: n,
			Label: st.cat.T(lang, "excluded.ruleName", "N", r.Number, "Name", pick(lang, name.Zh, name.En))})
	}
	return out
}

// gapsData is a seeker's posts missed only on skills, with the classes that close them.
type gapsData struct {
	SeekerID, Name string
	Res            *engine.GapsResponse
	ClassTitles    map[string]string
	LinkPosts      bool
}

func (st *site) seekerGaps(c *gin.Context) error {
	id, err := st.checkMatchedSeeker(c, "gaps")
	if err != nil {
		return err
	}
	res, err := st.gapsFor(id, engine.DefaultMatchLimit)
	if err != nil {
		return err
	}
	name, err := st.seekerName(c, id)
	if err != nil {
		return err
	}
	v := st.view(c, "gaps.title", "Name", name)
	v.Data = gapsData{SeekerID: id, Name: name, Res: res, LinkPosts: roles(engine.RoleCounsellor).allows(pageUser(c))}
	st.render(c, http.StatusOK, "gaps", v)
	return nil
}
