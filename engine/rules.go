package engine

// The hard constraints of DESIGN §4, by number. A post or class that breaks
// one is never a match; responses count exclusions under the first one broken.
const (
	RuleOpen     = 1 // open, not past its closing (post) or end (class) date, a free seat (class)
	RuleCommute  = 2 // commute within the limit, or remote work the seeker accepts
	RuleStepFree = 3 // a step-free site for a seeker who needs one
	RuleDemand   = 4 // no demand 2 or more above the seeker's capacity, no essential demand above it
	RuleNeeds    = 5 // every essential need offered
	RuleHours    = 6 // no night shift unless accepted, weekly hours within the maximum
	RuleSkills   = 7 // every required skill at level ≥ max(1, n − 1)
)

// Rule is one hard constraint of DESIGN §4: its number, what it checks in a
// few words for a post (Name) and for a class (ClassName, empty when the rule
// does not apply to classes), and the checks themselves.
type Rule struct {
	Number    int
	Name      Note
	ClassName Note
	post      func(c *postCase) bool  // whether the post passes
	class     func(c *classCase) bool // whether the class passes; nil: the rule does not apply
}

// ForClasses says whether the rule applies to classes.
func (r *Rule) ForClasses() bool { return r.class != nil }

// Rules is DESIGN §4's rulebook, in order: the brute force, Evaluation and
// the explanations read it, and the Matcher's compiled fast path is checked
// against it pair by pair. A new rule is one entry here (its number the next
// one); exclusion counts are sized from the table.
var Rules = [...]Rule{
	{Number: RuleOpen,
		Name:      Note{Zh: "岗位未开放或已截止", En: "not open or past its closing date"},
		ClassName: Note{Zh: "课程未开放、已满或已结束", En: "class not open, full or ended"},
		post:      func(c *postCase) bool { return c.p.open && c.p.closes >= c.today },
		class:     func(c *classCase) bool { return c.c.open && c.c.ends >= c.today }}, // c.open: status open and a seat free
	{Number: RuleCommute,
		Name:      Note{Zh: "通勤超出上限或不接受远程", En: "commute over the limit, or remote not accepted"},
		ClassName: Note{Zh: "通勤超出上限或不接受远程课程", En: "commute over the limit, or remote classes not accepted"},
		post:      func(c *postCase) bool { return c.q.reaches(c.p.mode(), c.minutes) },
		class:     func(c *classCase) bool { return c.q.reaches(c.c.mode, c.minutes) }},
	{Number: RuleStepFree,
		Name:      Note{Zh: "场所无无障碍通道", En: "site not step-free"},
		ClassName: Note{Zh: "上课地点无无障碍通道", En: "classroom not step-free"},
		post:      func(c *postCase) bool { return !c.q.stepFree || c.p.mode() == modeRemote || c.p.is(postStepFree) },
		class:     func(c *classCase) bool { return !c.q.stepFree || c.c.mode == modeRemote || c.c.stepFree }},
	{Number: RuleDemand,
		Name:      Note{Zh: "能力要求高出两级以上，或核心要求高于能力", En: "a demand 2 or more above capacity, or an essential demand above it"},
		ClassName: Note{Zh: "课程的能力要求高出两级以上", En: "a class demand 2 or more above capacity"},
		post:      func(c *postCase) bool { return c.q.bears(c.p.dem, c.p.ess) },
		class:     func(c *classCase) bool { return c.q.bears(c.c.dem, 0) }}, // a class has no essential demands
	{Number: RuleNeeds,
		Name:      Note{Zh: "未提供必需的便利", En: "an essential need not offered"},
		ClassName: Note{Zh: "课程未提供必需的便利", En: "an essential need the class does not offer"},
		post:      func(c *postCase) bool { return c.q.essential&^c.p.offered == 0 },
		class:     func(c *classCase) bool { return c.q.essential&^c.c.offered == 0 }},
	{Number: RuleHours,
		Name: Note{Zh: "夜班或工时超出", En: "night shift or too many weekly hours"},
		post: func(c *postCase) bool {
			return (!c.p.is(postNight) || c.q.nightOK) && (c.q.maxWeekly <= 0 || int32(c.p.weekly) <= c.q.maxWeekly)
		}},
	{Number: RuleSkills,
		Name: Note{Zh: "缺少必需技能", En: "a required skill missing"},
		post: func(c *postCase) bool { return listMissing(c.p, c.levels) == 0 }},
}

// NRules is the number of hard constraints.
const NRules = len(Rules)

// postCase is what the rules read of one seeker and one post: the compact
// forms, today's day number, the seeker's skill levels by code and the commute.
type postCase struct {
	q       *seekerQ
	p       *postC
	today   int32
	levels  []int8
	minutes float64 // 0 for remote work
}

// classCase is postCase for a class.
type classCase struct {
	q       *seekerQ
	c       *classC
	today   int32
	minutes float64
}

// reaches is rule 2: remote work the seeker accepts, or a commute within the limit for the work mode.
func (q *seekerQ) reaches(mode uint8, minutes float64) bool {
	if mode == modeRemote {
		return q.remoteOK
	}
	return minutes <= q.limitFor(mode)
}

// bears is rule 4 read plainly: no dimension's demand is 2 or more above the
// capacity, and no essential one (ess, bit i for dimension i) above it at all:
// a person who cannot perform the function a job exists for cannot do the job.
func (q *seekerQ) bears(demand uint64, ess uint16) bool {
	for i := range NDims {
		capacity := int(q.capP>>(4*i)&15) - 9 // see packCapacity
		over := int(demand>>(4*i)&15) - capacity
		if over >= 2 || (over >= 1 && ess&(1<<i) != 0) {
			return false
		}
	}
	return true
}

// listMissing counts the required skills of a post held below max(1, n − 1), from the skill list.
func listMissing(p *postC, levels []int8) int {
	missing := 0
	for i := range p.skills {
		if s := &p.skills[i]; s.required && levels[s.code] < s.need {
			missing++
		}
	}
	return missing
}

// commuteTo is the commute to a site for a work mode: 0 and no travel mode (-1) for remote work.
func (q *seekerQ) commuteTo(mode uint8, lat, lon, cos float64) (float64, int8) {
	if mode == modeRemote {
		return 0, -1
	}
	return q.travelTo(lat, lon, cos)
}

// postVerdict applies Rules to one post: the first rule broken (0 when
// none), the required skills missing (for rule 7, gaps), the commute.
func (q *seekerQ) postVerdict(p *postC, today int32, levels []int8) (rule, missing int, minutes float64, mode int8) {
	minutes, mode = q.commuteTo(p.mode(), p.lat, p.lon, p.cosLat)
	c := postCase{q: q, p: p, today: today, levels: levels, minutes: minutes}
	for i := range Rules {
		if r := &Rules[i]; !r.post(&c) {
			rule = r.Number
			break
		}
	}
	if rule == RuleSkills {
		missing = listMissing(p, levels)
	}
	return rule, missing, minutes, mode
}

// classVerdict applies the Rules that apply to classes to one class.
func (q *seekerQ) classVerdict(k *classC, today int32) (rule int, minutes float64, mode int8) {
	minutes, mode = q.commuteTo(k.mode, k.lat, k.lon, k.cosLat)
	c := classCase{q: q, c: k, today: today, minutes: minutes}
	for i := range Rules {
		if r := &Rules[i]; r.class != nil && !r.class(&c) {
			return r.Number, minutes, mode
		}
	}
	return 0, minutes, mode
}

// exclusions counts records kept out of results by the first rule (by number) they break.
type exclusions [NRules + 1]int
