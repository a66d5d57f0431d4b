package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// view is what every page template gets: the frame (language, user, navigation,
// CSRF token, notices) and the page's own Data.
type view struct {
	Lang    string
	Title   string
	User    *engine.User
	CSRF    string
	Nav     []navItem
	Switch  []langLink
	Display display
	Done    string
	Static  string
	Path    string
	Errors  *formErrors
	Form    url.Values // what was submitted, shown again beside its errors
	Data    any
}

type navItem struct {
	Href, Label string
	Current     bool
}

type langLink struct{ Href, Lang, Name string }

// doneNotices are the notices a page shows after a form succeeded (?done=).
var doneNotices = []string{"saved", "created", "loggedOut", "displaySaved", "ran", "referred", "moved", "withdrawn"}

// errorCodes are the error pages, by engine error code.
var errorCodes = []string{engine.EINVALID, engine.ENOTFOUND, engine.ECONFLICT, engine.EUNAUTHORIZED,
	engine.EFORBIDDEN, engine.ETOOLARGE, engine.EINTERNAL}

// view starts a page's data; titleID is the message id of its h1 and <title>.
func (st *site) view(c *gin.Context, titleID string, args ...any) *view {
	lang := c.GetString(langKey)
	v := &view{Lang: lang, Title: st.cat.T(lang, titleID, args...), User: pageUser(c), CSRF: csrfToken(c),
		Display: readDisplay(c), Static: st.static, Path: c.Request.URL.Path, Errors: &formErrors{}}
	if c.Request.Method == http.MethodPost {
		v.Form = c.Request.PostForm
	}
	if d := c.Query("done"); slices.Contains(doneNotices, d) {
		v.Done = d
	}
	for _, l := range pageLangs {
		if l == lang {
			continue
		}
		q := c.Request.URL.Query()
		q.Del("done")
		q.Set("lang", l)
		v.Switch = append(v.Switch, langLink{Href: c.Request.URL.Path + "?" + q.Encode(), Lang: l, Name: langName(l)})
	}
	v.Nav = navFor(v.User, c.Request.URL.Path)
	return v
}

// navFor is the main navigation of a role; the current item is the one whose
// address is the longest prefix of the page's.
func navFor(u *engine.User, current string) []navItem {
	var items []navItem
	add := func(href, label string) { items = append(items, navItem{Href: href, Label: label}) }
	if u == nil {
		add("/login", "nav.login")
	} else {
		add("/", "nav.home")
		switch u.Role {
		case engine.RoleCounsellor:
			add("/seekers", "nav.seekers")
			add("/posts", "nav.posts")
			add("/followups", "nav.followups")
			add("/inbox", "nav.inbox")
			add("/reports/kpis", "nav.kpis")
		case engine.RoleEmployer:
			add("/posts", "nav.myPosts")
			add("/posts/new", "nav.newPost")
			add("/referrals", "nav.referrals")
			add("/employers/"+u.EmployerID+"/quota", "nav.quota")
		case engine.RoleTrainee:
			add("/seekers/"+u.SeekerID, "nav.myFile")
			add("/seekers/"+u.SeekerID+"/courses", "nav.myCourses")
			add("/seekers/"+u.SeekerID+"/matches", "nav.myMatches")
		case engine.RoleAdmin:
			add("/seekers", "nav.seekers")
			add("/posts", "nav.posts")
			add("/inbox", "nav.inbox")
			add("/reports/kpis", "nav.kpis")
			add("/admin/users", "nav.users")
			add("/admin/skills", "nav.skills")
			add("/admin/schedules", "nav.schedules")
			add("/admin/audit", "nav.audit")
		}
	}
	best := -1
	for i, it := range items {
		under := it.Href == current || (it.Href != "/" && strings.HasPrefix(current, it.Href+"/"))
		if under && (best < 0 || len(it.Href) > len(items[best].Href)) {
			best = i
		}
	}
	if best >= 0 {
		items[best].Current = true
	}
	return items
}

// render executes a page (a clone of the parsed set, with the request's
// language in its functions) and writes it.
func (st *site) render(c *gin.Context, status int, name string, v *view) {
	base, found := st.pages[name]
	if !found {
		panic("no page template " + name)
	}
	t := template.Must(base.Clone()).Funcs(st.funcs(v))
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		st.log.ErrorContext(c.Request.Context(), "render page", "page", name, "err", err)
		c.String(statusOf[engine.EINTERNAL], "internal error")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// parseTemplates parses every page with the layout and the shared partials.
func (st *site) parseTemplates() error {
	placeholder := st.funcs(&view{Lang: langZh, Errors: &formErrors{}})
	common, err := template.New("common").Funcs(placeholder).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	st.pages = map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t := template.Must(common.Clone())
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		st.pages[name] = t
	}
	return nil
}

// staticVersion is a short hash of the static files, for cache busting.
func staticVersion(fsys fs.FS) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(fsys, p)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// option is one choice of a select, radio group or checkbox list.
type option struct {
	Value, Label, Help string
	Lang               string // of the label, when not the page's
	Selected           bool
	Count              int
}

// optionGroup is a labelled group of a select's choices (an optgroup).
type optionGroup struct {
	Label   string
	Options []option
}

// menu is a select's choices in groups, after the ungrouped ones ("none", "choose").
type menu struct {
	None   []option
	Groups []optionGroup
}

// menuItem is one choice of a grouped select: a catalog skill or an occupation.
type menuItem struct{ group, value, zh, en string }

// groupedMenu lays out choices by group (named as engine.OccupationGroups
// names them, else as written), groups and choices in the reader's order
// (collation).
func groupedMenu(lang string, items []menuItem, current string) []optionGroup {
	compare := collation(lang)
	byLabel := func(a, b option) int { return compare(a.Label, b.Label) }
	var groups []optionGroup
	at := map[string]int{}
	for _, it := range items {
		i, seen := at[it.group]
		if !seen {
			label := it.group
			for _, g := range engine.OccupationGroups {
				if g.Code == it.group {
					label = pick(lang, g.Zh, g.En)
				}
			}
			i = len(groups)
			at[it.group] = i
			groups = append(groups, optionGroup{Label: label})
		}
		groups[i].Options = append(groups[i].Options, option{Value: it.value, Label: pick(lang, it.zh, it.en), Selected: it.value == current})
	}
	for i := range groups {
		slices.SortFunc(groups[i].Options, byLabel)
	}
	slices.SortFunc(groups, func(a, b optionGroup) int { return compare(a.Label, b.Label) })
	return groups
}

// funcs are the template functions of one request.
func (st *site) funcs(v *view) template.FuncMap {
	lang := v.Lang
	return template.FuncMap{
		"t":        func(id string, args ...any) string { return st.cat.T(lang, id, args...) },
		"label":    func(family, value string) string { return st.cat.label(lang, family, value) },
		"date":     func(ymd string) string { return formatDate(lang, ymd) },
		"datetime": func(t time.Time) string { return formatTime(lang, t) },
		"num":      func(n any) string { return st.cat.formatNumber(lang, n) },
		"money":    func(n int) string { return st.cat.formatMoney(lang, n) },
		"pct": func(x float64) string {
			return strings.TrimSuffix(st.cat.printers[lang].Sprintf("%.1f", math.Round(x*1000)/10), ".0") + "%"
		},
		"score":     func(x float64) string { return st.cat.printers[lang].Sprintf("%.1f", x) },
		"note":      func(n engine.Note) string { return pick(lang, n.Zh, n.En) },
		"bilingual": func(zh, en string) string { return pick(lang, zh, en) },
		"street":    func(code string) string { return st.cat.label(lang, "street", code) },
		"opts": func(family, current string, blank bool) []option {
			return st.options(lang, family, []string{current}, blank)
		},
		"optsMulti": func(family string, current []string) []option { return st.options(lang, family, current, false) },
		"fid":       fieldID,
		"val": func(name string, stored any) any {
			if v.Form != nil && v.Errors.by(name) != nil {
				return v.Form.Get(name)
			}
			return stored
		},
		"ferr": func(field string) *shownError { return v.Errors.by(field) },
		"dict": dict,
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"add":      func(a, b int) int { return a + b },
		"itoa":     itoa,
		"contains": slices.Contains[[]string],
		"masked":   func(s string) bool { return strings.Contains(s, "*") },
		"bar":      func(x float64) int { return int(math.Round(math.Max(0, math.Min(1, x))*20)) * 5 },
		"ifelse": func(cond bool, a, b string) string {
			if cond {
				return a
			}
			return b
		},
		"list2": func(v1, l1, v2, l2, current string) []option {
			return []option{{Value: v1, Label: l1, Selected: current == v1}, {Value: v2, Label: l2, Selected: current == v2}}
		},
		"langOpts": func(current string) []option {
			out := make([]option, len(pageLangs))
			for i, l := range pageLangs {
				out[i] = option{Value: l, Label: langName(l), Selected: l == current}
				if l != lang {
					out[i].Lang = l
				}
			}
			return out
		},
		"skillName": func(code string) string { return st.skillName(lang, code) },
		"sep":       func() string { return pick(lang, "、", ", ") },
		"moneyf":    func(x float64) string { return st.cat.formatMoneyf(lang, x) },
		"sub":       func(a, b int) int { return a - b },
		"list3":     func(a, b, c string) []string { return []string{a, b, c} },
		"deref":     func(p *float64) float64 { return *p },
		"nz": func(x any) any {
			switch n := x.(type) {
			case float64:
				if n == 0 {
					return ""
				}
			case int:
				if n == 0 {
					return ""
				}
			}
			return x
		},
	}
}

func pick(lang, zh, en string) string {
	if lang == langEn && en != "" {
		return en
	}
	return zh
}

// options lists an enum family as choices, labelled in the language.
func (st *site) options(lang, family string, current []string, blank bool) []option {
	var out []option
	if blank {
		out = append(out, option{Value: "", Label: st.cat.T(lang, "common.any"), Selected: len(current) == 0 || current[0] == ""})
	}
	for _, v := range enumFamilies()[family] {
		o := option{Value: v, Label: st.cat.T(lang, family+"."+v), Selected: slices.Contains(current, v)}
		out = append(out, o)
	}
	return out
}

var nonIDChars = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// fieldID is the HTML id of the control for an engine field path ("skills[0].code" → "f-skills-0-code").
func fieldID(field string) string {
	return "f-" + strings.Trim(nonIDChars.ReplaceAllString(field, "-"), "-")
}

// dict builds a map for passing several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs name/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		name, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict names must be strings")
		}
		m[name] = kv[i+1]
	}
	return m, nil
}

// shownError is one field's message on a form, in the page's language unless
// the engine's message has no translation (then Lang is "en").
type shownError struct {
	Field, ID, Msg, Lang string
	Label                string // the field's label, for the summary at the top of the form
}

// formErrors are a form's messages by field.
type formErrors struct {
	List    []shownError
	Message string // a message not tied to one field
	Changed bool   // the record changed since the form was shown
}

func (f *formErrors) by(field string) *shownError {
	for i := range f.List {
		if f.List[i].Field == field {
			return &f.List[i]
		}
	}
	return nil
}

// Any says whether the form has errors to show.
func (f *formErrors) Any() bool { return len(f.List) > 0 || f.Message != "" }

// formFailed turns a validation or conflict error into messages beside the
// fields (with known is the set of fields the form shows; others name the
// nearest shown parent); other errors are returned.
func (st *site) formFailed(v *view, err error, known func(field string) string) error {
	var e *engine.Error
	if !errors.As(err, &e) || (e.Code != engine.EINVALID && e.Code != engine.ECONFLICT) {
		return err
	}
	if len(e.Fields) == 0 {
		v.Errors.Message = e.Message
		switch {
		case engine.IsChanged(err):
			v.Errors.Message, v.Errors.Changed = st.cat.T(v.Lang, "err.changed"), true
		case e.Code == engine.ECONFLICT:
			v.Errors.Message = st.cat.T(v.Lang, "err.conflict")
		}
	}
	for _, fe := range e.Fields {
		field := fe.Field
		if known != nil {
			field = known(field)
		}
		if v.Errors.by(field) != nil {
			continue
		}
		msg, translated := st.cat.fieldMessage(v.Lang, fe.Message)
		se := shownError{Field: field, ID: fieldID(field), Msg: msg, Label: st.fieldLabel(v.Lang, field)}
		if !translated && v.Lang != langEn {
			se.Lang = langEn
		}
		v.Errors.List = append(v.Errors.List, se)
	}
	return nil
}

// formStatus is the status of a form shown again with its errors.
func formStatus(v *view) int {
	if v.Errors.Changed {
		return statusOf[engine.ECONFLICT]
	}
	if v.Errors.Any() {
		return statusOf[engine.EINVALID]
	}
	return http.StatusOK
}

// fieldLabels are the message ids of the labels of form fields, so the error
// summary can say which field each message is about.
var fieldLabels = map[string]string{
	"name": "seeker.name", "gender": "seeker.gender", "birthDate": "seeker.birthDate", "residentId": "seeker.residentId",
	"certificate": "seeker.certificate", "disability.category": "seekerEdit.category", "disability.level": "seekerEdit.level",
	"status": "seeker.status", "programs": "seeker.programs", "street": "seekers.street", "home.lat": "seekerEdit.lat",
	"home.lon": "seekerEdit.lon", "mobility.modes": "seeker.modes", "mobility.maxCommuteMinutes": "seekerEdit.maxCommute",
	"needs": "seeker.needs", "preferences.minMonthlyWage": "seekerEdit.minWage", "preferences.maxWeeklyHours": "seekerEdit.maxHours",
	"consent.shareWithEmployers": "seekerEdit.consent",
	"title":                      "post.titleField", "description": "post.description", "workMode": "post.workMode", "monthlyWage": "postForm.wage",
	"hours.weekly": "postForm.hours", "openings": "post.openings", "closesOn": "post.closesOn", "site.lat": "seekerEdit.lat",
	"site.lon": "seekerEdit.lon", "accommodations": "post.accommodations", "employerId": "postForm.employer",
	"essentialDemands": "postForm.essentialLabel", "occupation": "postForm.occupationLabel",
	"username": "users.username", "role": "users.role", "displayName": "users.displayName", "seekerId": "userForm.seekerId",
	"password": "userForm.password", "disabled": "userForm.disable",
	"code": "skills.code", "zh": "skills.zh", "en": "skills.en", "group": "skills.group",
}

var listField = regexp.MustCompile(`^skills\[(\d+)\]\.(code|level|required)$`)

// fieldLabel is the label of a form field in the language, or "" when unknown.
func (st *site) fieldLabel(lang, field string) string {
	if id, found := fieldLabels[field]; found {
		return st.cat.T(lang, id)
	}
	if m := listField.FindStringSubmatch(field); m != nil {
		n := atoiOr(m[1], 0) + 1
		switch m[2] {
		case "level":
			return st.cat.T(lang, "seekerEdit.skillLevel", "N", n)
		case "required":
			return st.cat.T(lang, "postForm.kind", "N", n)
		}
		return st.cat.T(lang, "seekerEdit.skill", "N", n)
	}
	for _, family := range []struct{ prefix, family string }{{"abilities.", "dim"}, {"demands.", "dim"}, {"needs.", "need"}} {
		if rest, found := strings.CutPrefix(field, family.prefix); found {
			return st.cat.label(lang, family.family, rest)
		}
	}
	return ""
}
