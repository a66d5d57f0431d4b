package engine

// This file holds the occupation table: the kinds of work the district places
// people in, each with what it asks of a worker. An employer's post form starts
// from an occupation; the demo data and the benchmark generator make every post
// an instance of one, so skills, demands and accommodations agree with the work.
//
// What is sourced and what is judgement:
//   - Classification. ClassName/ClassCode name the occupation of 《中华人民共和国职业分类大典
//     （2022年版）》 (the national occupation classification) that the work falls under; where
//     the table's occupation is narrower or differs (a text-chat agent under 呼叫中心服务员, a
//     Braille transcriber under 校对员), the match is the nearest one and a judgement. Codes and
//     names were read in the 2022 catalogue as published at osta.org.cn/career (through a public
//     copy of it, see srcCatalogue) or in the national occupational standard named by
//     ClassSource. An occupation with no ClassCode has no match that could be read there.
//   - Wages. WageMin/WageMax are monthly CNY for full-time work in Shanghai. The Shanghai
//     human-resources market wage levels (上海市人力资源和社会保障局《人力资源市场工资价位》)
//     could not be read here, so no range is verified against them: WageSource is empty on
//     every entry and the ranges are the modelling ranges the fixtures used before this
//     table, kept at or above MinimumMonthlyWage. Treat them as placeholders to replace.
//   - Demands, essential demands and accommodations are modelling judgements, not data:
//     each dimension (DESIGN §3) rated 0–4 the way an IMBA/MELBA profile rates a workplace,
//     read against the O*NET abilities (Near/Far Vision, Hearing Sensitivity, Speech
//     Clarity, Finger/Manual Dexterity, Static Strength, Stamina, …) and work activities
//     of the nearest O*NET occupation named in each entry's comment. Essential demands are
//     the functions the job exists for (a guard watches and listens on patrol); the
//     accommodations are those that make sense for the work (DESIGN §4 effects): nobody
//     offers a screen reader for patrol work, nor seated work in a warehouse.

// MinimumMonthlyWage is Shanghai's monthly minimum wage in CNY for full-time work,
// in force since MinimumWageSince (raised from 2,690; the hourly minimum from 24 to 25).
// Sources: "What does Shanghai's minimum wage rise imply for the economy?" (CBBC,
// focus.cbbc.org, 2025-07-20) and the report at 10100.com/article/1972071; the city's own
// notice could not be read here, nor whether a later adjustment has been announced.
const (
	MinimumMonthlyWage = 2740
	MinimumWageSince   = "2025-07-01"
)

// OccupationGroup is a group of the skill catalog, which occupations share.
type OccupationGroup struct {
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

// OccupationGroups lists the skill catalog's groups in the order a counsellor files them.
var OccupationGroups = []OccupationGroup{
	{"office", "办公与客服", "Office and customer service"},
	{"accessibility", "信息无障碍与沟通", "Digital accessibility and communication"},
	{"design", "设计与媒体", "Design and media"},
	{"food", "食品与餐饮", "Food"},
	{"production", "生产加工", "Production"},
	{"logistics", "仓储物流", "Logistics"},
	{"services", "生活服务", "Services"},
	{"wellness", "保健按摩", "Wellness"},
}

// Occupation is a kind of work: what it is called, the skills it asks for, what
// it demands of a worker and which accommodations make sense for it, and how it
// is usually worked and paid in Shanghai.
type Occupation struct {
	Code  string `json:"code"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
	Group string `json:"group"`
	// ClassName is the occupation of the national classification this work falls
	// under; ClassCode its code where verified (ClassSource names the document), else "".
	ClassName   string `json:"className"`
	ClassCode   string `json:"classCode,omitempty"`
	ClassSource string `json:"classSource,omitempty"`
	// DutiesZh and DutiesEn say what the work is, for a post's description.
	DutiesZh string `json:"dutiesZh"`
	DutiesEn string `json:"dutiesEn"`
	// Skills are the catalog skills the work asks for: required ones at the level
	// every post of the occupation requires, nice ones that posts may add.
	Skills []PostSkill `json:"skills"`
	// Demands rates all eleven dimensions 0–4; EssentialDemands are those no
	// accommodation lowers (DESIGN §4), each with a demand above 0.
	Demands          map[string]int `json:"demands"`
	EssentialDemands []string       `json:"essentialDemands"`
	// Accommodations are the need codes that make sense for the work; a post of
	// the occupation offers only these.
	Accommodations []string `json:"accommodations"`
	// WorkModes are the usual modes, the most common first.
	WorkModes []string `json:"workModes"`
	// WeeklyHours are the usual weekly hours, the most common first.
	WeeklyHours []int `json:"weeklyHours"`
	// NightShift says the work usually includes night shifts.
	NightShift bool `json:"nightShift"`
	// WageMin and WageMax are the usual full-time monthly wage in Shanghai, CNY;
	// WageSource names where they were read, "" when not verified.
	WageMin    int    `json:"wageMin"`
	WageMax    int    `json:"wageMax"`
	WageSource string `json:"wageSource,omitempty"`
	// HiresUntrained says employers of the work commonly take on people with no
	// experience and train them on the job (招聘启事的"不限经验，岗前培训"): a post
	// may then list the occupation's skills as nice to have, not required. Set
	// from O*NET's Job Zone One ("Little or No Preparation Needed": "a few days to
	// a few months of training. Usually, an experienced worker could show you how
	// to do the job"), whose examples name food preparation workers, sewing
	// machine operators, landscaping and groundskeeping workers, baristas
	// (onetcenter.org/dictionary/26.3/oracle/job_zone_reference.html) and maids
	// and housekeeping cleaners (mynextmove.org's Job Zones; a later O*NET release
	// rates them Zone Two). Packers: O*NET's Job Zone could not be read here; set
	// by judgement (the work is shown on the first day), marked on the entry.
	HiresUntrained bool `json:"hiresUntrained,omitempty"`
}

// RequiredSkills returns the skills every post of the occupation requires.
func (o *Occupation) RequiredSkills() []PostSkill {
	var out []PostSkill
	for _, s := range o.Skills {
		if s.Required {
			out = append(out, s)
		}
	}
	return out
}

// Allows reports whether an accommodation makes sense for the occupation.
func (o *Occupation) Allows(need string) bool {
	for _, a := range o.Accommodations {
		if a == need {
			return true
		}
	}
	return false
}

// AccommodatedDemand is what the work asks of a worker once the given
// accommodations lower or cap its demands (DESIGN §4); an essential demand
// stays as it is.
func (o *Occupation) AccommodatedDemand(accommodations []string) Abilities {
	raw := DemandProfile(o.Demands)
	e := postEffect(needMask(accommodations))
	eff := e.apply(raw)
	for _, d := range o.EssentialDemands {
		if i := DimensionIndex(d); i >= 0 {
			eff[i] = raw[i]
		}
	}
	return eff
}

// Unverified lists what of the entry could not be verified here ("classCode", "wage").
func (o *Occupation) Unverified() []string {
	var out []string
	if o.ClassCode == "" {
		out = append(out, "classCode")
	}
	if o.WageSource == "" {
		out = append(out, "wage")
	}
	return out
}

// LookupOccupation returns the occupation with a code.
func LookupOccupation(code string) (*Occupation, bool) {
	i, ok := occupationIndex[code]
	if !ok {
		return nil, false
	}
	return &Occupations[i], true
}

var occupationIndex = func() map[string]int {
	m := make(map[string]int, len(Occupations))
	for i, o := range Occupations {
		m[o.Code] = i
	}
	return m
}()

// demands builds a demand profile naming all eleven dimensions; the parameters
// follow the order of Dimensions, so a row of the table cannot leave one out.
func demands(vision, hearing, speech, walking, standing, lifting, fineMotor, stamina, cognition, social, stress int) map[string]int {
	return map[string]int{
		"vision": vision, "hearing": hearing, "speech": speech, "walking": walking,
		"standing": standing, "lifting": lifting, "fineMotor": fineMotor, "stamina": stamina,
		"cognition": cognition, "social": social, "stress": stress,
	}
}

func req(code string, level int) PostSkill {
	return PostSkill{Code: code, Level: level, Required: true}
}
func nice(code string, level int) PostSkill { return PostSkill{Code: code, Level: level} }

// Where an occupation's classification was read.
const (
	srcCatalogue = "职业分类大典（2022年版）职业目录，osta.org.cn/career；经公开副本核对：github.com/Tre-Liu/XuetangX-JobCenter work/job-occupation-mapping/osta_occupation_catalog.json（taxonomyVersion 2，1676 个职业）"
	srcBaker     = "国家职业标准 糕点面包烘焙师（试行）（2024年版），职业编码 6-02-01-01，依据大典 2022 年版"
	srcMassage   = "国家职业技能标准 保健按摩师（2020年版），职业编码 4-10-04-02：本职业包含足部按摩师等工种"
)

// The modes rows use.
var (
	anyMode    = []string{"onsite", "hybrid", "remote"}
	remoteMode = []string{"remote", "hybrid", "onsite"}
	deskMode   = []string{"onsite", "hybrid"}
	onsite     = []string{"onsite"}
)

// Occupations is the table. Demands columns, in order:
// vision hearing speech walking standing lifting fineMotor stamina cognition social stress.
var Occupations = []Occupation{
	// ── office ──────────────────────────────────────────────────────────────
	{ // O*NET: Data Entry Keyers
		Code: "data-entry-clerk", Zh: "数据录入员", En: "Data-entry clerk", Group: "office",
		ClassName: "打字员", ClassCode: "3-01-02-05", ClassSource: srcCatalogue,
		DutiesZh: "将纸质资料和表单录入系统，核对数据准确性，整理电子档案", DutiesEn: "Enter and check data from paper forms and keep electronic files",
		Skills:  []PostSkill{req("data-entry", 2), nice("chinese-typing", 2), nice("office-software", 1)},
		Demands: demands(3, 0, 0, 0, 0, 0, 2, 1, 2, 0, 1), EssentialDemands: []string{},
		Accommodations: []string{"seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "job-coach", "large-print", "sign-language"},
		WorkModes:      anyMode, WeeklyHours: []int{40, 30, 20}, WageMin: 3500, WageMax: 6500,
	},
	{ // O*NET: Customer Service Representatives (written channels)
		Code: "text-chat-agent", Zh: "文字客服", En: "Text-chat customer service agent", Group: "office",
		ClassName: "呼叫中心服务员", ClassCode: "4-04-05-03", ClassSource: srcCatalogue,
		DutiesZh: "通过在线文字渠道解答顾客咨询，处理订单、售后与投诉记录", DutiesEn: "Answer customers by text chat and handle orders and complaints",
		Skills:  []PostSkill{req("text-customer-service", 2), nice("chinese-typing", 2), nice("ecommerce-customer-service", 1), nice("office-software", 1)},
		Demands: demands(2, 0, 0, 0, 0, 0, 2, 1, 2, 2, 3), EssentialDemands: []string{},
		Accommodations: []string{"screen-reader", "seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "large-print", "sign-language"},
		WorkModes:      remoteMode, WeeklyHours: []int{40, 36, 30}, WageMin: 4000, WageMax: 7500,
	},
	{ // O*NET: Customer Service Representatives (telephone)
		Code: "call-centre-agent", Zh: "电话客服", En: "Call-centre agent", Group: "office",
		ClassName: "呼叫中心服务员", ClassCode: "4-04-05-03", ClassSource: srcCatalogue,
		DutiesZh: "接听热线电话，解答咨询并记录工单（系统支持读屏软件）", DutiesEn: "Answer hotline calls and log tickets (the system works with a screen reader)",
		Skills:  []PostSkill{req("call-center", 2), nice("office-software", 1), nice("screen-reader", 2)},
		Demands: demands(1, 3, 3, 0, 0, 0, 1, 2, 2, 3, 3), EssentialDemands: []string{"hearing", "speech"},
		Accommodations: []string{"screen-reader", "seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "large-print"},
		WorkModes:      anyMode, WeeklyHours: []int{40, 36}, NightShift: true, WageMin: 4000, WageMax: 7000,
	},
	{ // O*NET: Bookkeeping, Accounting, and Auditing Clerks
		Code: "bookkeeper", Zh: "记账员", En: "Bookkeeper", Group: "office",
		ClassName: "会计专业人员", ClassCode: "2-06-03-00", ClassSource: srcCatalogue,
		DutiesZh: "录入凭证、核对账目、整理票据，编制月度报表", DutiesEn: "Post vouchers, reconcile accounts and prepare monthly reports",
		Skills:  []PostSkill{req("bookkeeping", 2), req("office-software", 2), nice("data-entry", 2)},
		Demands: demands(2, 0, 1, 0, 0, 0, 1, 1, 3, 1, 2), EssentialDemands: []string{"cognition"},
		Accommodations: []string{"seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "large-print", "screen-reader", "sign-language"},
		WorkModes:      deskMode, WeeklyHours: []int{40}, WageMin: 4500, WageMax: 8500,
	},
	{ // O*NET: File Clerks / Document Management Specialists
		Code: "archive-digitiser", Zh: "档案数字化员", En: "Archive digitiser", Group: "office",
		ClassName: "档案数字化管理师", ClassCode: "4-13-01-06", ClassSource: srcCatalogue,
		DutiesZh: "扫描纸质档案、编目和质检，建立电子档案", DutiesEn: "Scan, index and check paper archives into electronic records",
		Skills:  []PostSkill{req("archive-digitization", 2), nice("data-entry", 2), nice("office-software", 1)},
		Demands: demands(3, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "quiet-space", "flexible-hours", "accessible-toilet", "job-coach", "sign-language"},
		WorkModes:      deskMode, WeeklyHours: []int{40, 30}, WageMin: 3500, WageMax: 6000,
	},
	{ // O*NET: Receptionists and Information Clerks
		Code: "receptionist", Zh: "前台接待", En: "Receptionist", Group: "office",
		ClassName: "行政办事员", ClassCode: "3-01-01-01", ClassSource: srcCatalogue,
		DutiesZh: "接待访客、接听电话、收发快递、处理行政事务", DutiesEn: "Welcome visitors, answer the phone and handle office admin",
		Skills:  []PostSkill{req("reception", 2), nice("office-software", 1), nice("chinese-typing", 1)},
		Demands: demands(2, 3, 3, 1, 1, 1, 1, 2, 2, 3, 2), EssentialDemands: []string{"hearing", "speech"},
		Accommodations: []string{"seated-work", "flexible-hours", "accessible-toilet", "large-print"},
		WorkModes:      onsite, WeeklyHours: []int{40}, WageMin: 4000, WageMax: 7000,
	},
	{ // O*NET: Content moderation has no O*NET title; compare Proofreaders and Copy Markers
		Code: "content-moderator", Zh: "内容审核员", En: "Content moderator", Group: "office",
		DutiesZh: "审核平台图文和评论内容，按规则标注和处理", DutiesEn: "Review posts and comments against the platform's rules",
		Skills:  []PostSkill{req("content-moderation", 2), nice("chinese-typing", 2), nice("office-software", 1)},
		Demands: demands(3, 1, 0, 0, 0, 0, 1, 2, 2, 0, 3), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "sign-language"},
		WorkModes:      anyMode, WeeklyHours: []int{40}, NightShift: true, WageMin: 4500, WageMax: 8000,
	},
	{ // O*NET: Library Assistants, Clerical
		Code: "library-assistant", Zh: "图书馆助理", En: "Library assistant", Group: "office",
		ClassName: "图书馆服务员", ClassCode: "4-13-01-07", ClassSource: srcCatalogue,
		DutiesZh: "图书上架、借还登记、整理阅览室", DutiesEn: "Shelve books, run the loan desk and keep the reading room",
		Skills:  []PostSkill{req("library-assistant", 1), nice("archive-digitization", 1), nice("office-software", 1)},
		Demands: demands(2, 1, 1, 2, 2, 2, 1, 2, 2, 2, 1), EssentialDemands: []string{"vision"},
		Accommodations: []string{"quiet-space", "job-coach", "flexible-hours", "accessible-toilet", "sign-language"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30, 20}, WageMin: 3200, WageMax: 5500,
	},

	// ── accessibility ───────────────────────────────────────────────────────
	{ // O*NET: Software Quality Assurance Analysts and Testers (accessibility audits)
		Code: "web-accessibility-tester", Zh: "网站无障碍测试员", En: "Web accessibility tester", Group: "accessibility",
		ClassName: "计算机软件测试员", ClassCode: "4-04-05-02", ClassSource: srcCatalogue,
		DutiesZh: "用读屏软件测试网站和 App 的无障碍问题并撰写报告", DutiesEn: "Test websites and apps with a screen reader and report the barriers",
		Skills:  []PostSkill{req("web-accessibility-testing", 2), req("screen-reader", 2), nice("software-testing", 1)},
		Demands: demands(0, 2, 0, 0, 0, 0, 2, 1, 3, 1, 2), EssentialDemands: []string{"cognition"},
		Accommodations: []string{"screen-reader", "seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "large-print", "sign-language"},
		WorkModes:      remoteMode, WeeklyHours: []int{40}, WageMin: 6000, WageMax: 12000,
	},
	{ // No O*NET title; compare Proofreaders and Copy Markers (tactile reading)
		Code: "braille-transcriber", Zh: "盲文转录员", En: "Braille transcriber", Group: "accessibility",
		ClassName: "校对员", ClassCode: "2-10-03-00", ClassSource: srcCatalogue,
		DutiesZh: "将文字材料转录为盲文并逐页校对", DutiesEn: "Transcribe texts into Braille and proofread them page by page",
		Skills:  []PostSkill{req("braille", 2), nice("screen-reader", 2), nice("chinese-typing", 1)},
		Demands: demands(0, 1, 0, 0, 0, 0, 3, 1, 3, 0, 1), EssentialDemands: []string{"fineMotor", "cognition"},
		Accommodations: []string{"screen-reader", "quiet-space", "seated-work", "flexible-hours", "accessible-toilet", "large-print"},
		WorkModes:      anyMode, WeeklyHours: []int{40, 30}, WageMin: 4000, WageMax: 7000,
	},
	{ // O*NET: Interpreters and Translators (sign language)
		Code: "sign-language-interpreter-assistant", Zh: "手语翻译助理", En: "Sign-language interpreter assistant", Group: "accessibility",
		ClassName: "手语翻译", ClassCode: "4-13-01-08", ClassSource: srcCatalogue,
		DutiesZh: "在窗口、医院和活动中协助手语翻译员，在手语和口语之间传译", DutiesEn: "Assist sign-language interpreters between sign and speech at counters, clinics and events",
		Skills:  []PostSkill{req("sign-language", 3), nice("reception", 1)},
		Demands: demands(3, 3, 3, 1, 2, 0, 3, 2, 3, 3, 2), EssentialDemands: []string{"vision", "hearing", "speech", "fineMotor"},
		Accommodations: []string{"seated-work", "flexible-hours", "accessible-toilet"},
		WorkModes:      deskMode, WeeklyHours: []int{40, 30, 20}, WageMin: 4500, WageMax: 8000,
	},
	{ // O*NET: Self-Enrichment Teachers (sign language)
		Code: "sign-language-tutor", Zh: "手语教员", En: "Sign-language tutor", Group: "accessibility",
		ClassName: "职业培训师", ClassCode: "4-07-03-05", ClassSource: srcCatalogue,
		DutiesZh: "教授手语课程，为企业和社区开设手语入门班", DutiesEn: "Teach sign-language courses to firms and neighbourhoods",
		Skills:  []PostSkill{req("sign-language", 3), nice("office-software", 1)},
		Demands: demands(3, 0, 0, 1, 2, 0, 3, 2, 2, 3, 1), EssentialDemands: []string{"vision", "fineMotor"},
		Accommodations: []string{"sign-language", "seated-work", "flexible-hours", "accessible-toilet"},
		WorkModes:      anyMode, WeeklyHours: []int{30, 40, 20}, WageMin: 4000, WageMax: 8000,
	},

	// ── design ──────────────────────────────────────────────────────────────
	{ // O*NET: Architectural and Civil Drafters
		Code: "cad-drafter", Zh: "CAD 制图员", En: "CAD drafter", Group: "design",
		ClassName: "制图员", ClassCode: "3-01-02-07", ClassSource: srcCatalogue,
		DutiesZh: "根据设计师草图绘制和修改 CAD 图纸，整理图层与标注，按规范出图", DutiesEn: "Draw and revise CAD drawings from designers' sketches",
		Skills:  []PostSkill{req("cad-drafting", 2), nice("office-software", 2)},
		Demands: demands(3, 0, 1, 0, 0, 0, 2, 1, 3, 1, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "flexible-hours", "sign-language", "quiet-space", "accessible-toilet"},
		WorkModes:      anyMode, WeeklyHours: []int{40}, WageMin: 5000, WageMax: 11000,
	},
	{ // O*NET: Graphic Designers
		Code: "graphic-designer", Zh: "平面设计师", En: "Graphic designer", Group: "design",
		ClassName: "视觉传达设计人员", ClassCode: "2-09-06-01", ClassSource: srcCatalogue,
		DutiesZh: "设计海报、电商详情页和品牌物料", DutiesEn: "Design posters, product pages and brand materials",
		Skills:  []PostSkill{req("graphic-design", 2), nice("photo-retouching", 2), nice("photography", 1)},
		Demands: demands(4, 0, 1, 0, 0, 0, 2, 1, 3, 2, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "flexible-hours", "sign-language", "quiet-space", "accessible-toilet"},
		WorkModes:      anyMode, WeeklyHours: []int{40}, WageMin: 5000, WageMax: 12000,
	},
	{ // O*NET: Photographers (retouching); Desktop Publishers
		Code: "photo-retoucher", Zh: "修图师", En: "Photo retoucher", Group: "design",
		ClassName: "商业摄影师", ClassCode: "4-08-09-01", ClassSource: srcCatalogue,
		DutiesZh: "完成商品图片精修、抠图和调色", DutiesEn: "Retouch, cut out and colour-correct product photos",
		Skills:  []PostSkill{req("photo-retouching", 2), nice("graphic-design", 1), nice("photography", 1)},
		Demands: demands(4, 0, 0, 0, 0, 0, 3, 1, 2, 0, 2), EssentialDemands: []string{"vision", "fineMotor"},
		Accommodations: []string{"seated-work", "flexible-hours", "sign-language", "quiet-space", "accessible-toilet"},
		WorkModes:      anyMode, WeeklyHours: []int{40, 30}, WageMin: 4500, WageMax: 10000,
	},
	{ // O*NET: Film and Video Editors
		Code: "video-editor", Zh: "视频剪辑师", En: "Video editor", Group: "design",
		ClassName: "剪辑师", ClassCode: "2-09-03-06", ClassSource: srcCatalogue,
		DutiesZh: "剪辑短视频，添加字幕和包装，按时交付成片", DutiesEn: "Edit short videos, add captions and deliver on time",
		Skills:  []PostSkill{req("video-editing", 2), nice("graphic-design", 1), nice("photography", 1)},
		Demands: demands(3, 2, 0, 0, 0, 0, 2, 1, 3, 1, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "flexible-hours", "sign-language", "quiet-space", "accessible-toilet"},
		WorkModes:      anyMode, WeeklyHours: []int{40}, WageMin: 5000, WageMax: 12000,
	},
	{ // O*NET: Photographers
		Code: "product-photographer", Zh: "产品摄影师", En: "Product photographer", Group: "design",
		ClassName: "商业摄影师", ClassCode: "4-08-09-01", ClassSource: srcCatalogue,
		DutiesZh: "拍摄电商产品图和活动照片，布光、整理素材", DutiesEn: "Shoot product and event photos, set the lights and sort the takes",
		Skills:  []PostSkill{req("photography", 2), nice("photo-retouching", 1)},
		Demands: demands(4, 1, 2, 3, 3, 2, 2, 2, 2, 2, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"sign-language", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30}, WageMin: 4500, WageMax: 9000,
	},

	// ── food ────────────────────────────────────────────────────────────────
	{ // O*NET: Bakers (decoration)
		Code: "pastry-cook", Zh: "西式面点师", En: "Pastry cook", Group: "food",
		ClassName: "西式面点师", ClassCode: "4-03-02-04", ClassSource: srcCatalogue,
		DutiesZh: "制作西式面点，完成蛋糕裱花、面点装饰和摆盘，遵守食品安全规范", DutiesEn: "Make pastries and decorate cakes to food-safety rules",
		Skills:  []PostSkill{req("pastry-decoration", 2), req("food-hygiene", 1), nice("bakery", 1)},
		Demands: demands(3, 0, 0, 2, 3, 2, 3, 2, 2, 1, 2), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"sign-language", "job-coach", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, WageMin: 4000, WageMax: 8000,
	},
	{ // O*NET: Bakers
		Code: "baker", Zh: "面包烘焙工", En: "Baker", Group: "food",
		ClassName: "糕点面包烘焙师", ClassCode: "6-02-01-01", ClassSource: srcBaker,
		DutiesZh: "和面、发酵、烘烤面包和点心，清洁烘焙设备", DutiesEn: "Mix, prove and bake bread and pastries, clean the ovens",
		Skills:  []PostSkill{req("bakery", 2), req("food-hygiene", 1), nice("packaging", 1)},
		Demands: demands(2, 1, 0, 2, 3, 3, 2, 3, 2, 1, 2), EssentialDemands: []string{"standing"},
		Accommodations: []string{"sign-language", "job-coach", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3500, WageMax: 7000,
	},
	{ // O*NET: Bakers (Chinese dough work); Cooks, Institution and Cafeteria
		Code: "chinese-pastry-cook", Zh: "中式面点师", En: "Chinese pastry cook", Group: "food",
		ClassName: "中式面点师", ClassCode: "4-03-02-02", ClassSource: srcCatalogue,
		DutiesZh: "和面、制馅，包制包子饺子和糕团，蒸制出品", DutiesEn: "Make dough and fillings, shape and steam buns, dumplings and rice cakes",
		Skills:  []PostSkill{req("chinese-pastry", 2), req("food-hygiene", 1), nice("food-prep", 1)},
		Demands: demands(2, 1, 0, 2, 3, 2, 3, 3, 2, 1, 2), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"sign-language", "job-coach", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3800, WageMax: 7500,
	},
	{ // O*NET: Baristas
		Code: "barista", Zh: "咖啡师", En: "Barista", Group: "food",
		ClassName: "咖啡师", ClassCode: "4-03-02-08", ClassSource: srcCatalogue,
		DutiesZh: "制作意式咖啡和饮品，接待顾客点单（可用手语或点单屏），保持吧台整洁", DutiesEn: "Make coffee, take orders (in sign or on the order screen) and keep the bar clean",
		Skills:  []PostSkill{req("coffee-making", 2), nice("cashier", 1), nice("food-hygiene", 1)},
		Demands: demands(2, 2, 2, 2, 3, 1, 3, 2, 2, 3, 3), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"sign-language", "job-coach", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30, 20}, WageMin: 3800, WageMax: 7000,
		HiresUntrained: true, // O*NET Job Zone One example: baristas
	},
	{ // O*NET: Food Preparation Workers
		Code: "food-prep-worker", Zh: "食品加工员", En: "Food-preparation worker", Group: "food",
		DutiesZh: "食材清洗切配、分装和厨房清洁", DutiesEn: "Wash, cut and portion ingredients and clean the kitchen",
		Skills:  []PostSkill{req("food-prep", 1), req("food-hygiene", 1), nice("chinese-pastry", 1)},
		Demands: demands(2, 1, 0, 2, 3, 2, 2, 3, 1, 1, 2), EssentialDemands: []string{"standing"},
		Accommodations: []string{"job-coach", "sign-language", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3500, WageMax: 6000,
		HiresUntrained: true, // O*NET Job Zone One example: food preparation workers
	},

	// ── production ──────────────────────────────────────────────────────────
	{ // O*NET: Packers and Packagers, Hand
		Code: "packer", Zh: "包装工", En: "Packer", Group: "production",
		ClassName: "包装工", ClassCode: "6-31-05-00", ClassSource: srcCatalogue,
		DutiesZh: "按标准完成产品分装、贴标和装箱，配有就业辅导员带教", DutiesEn: "Pack, label and box products to a standard, with a job coach",
		Skills:  []PostSkill{req("packaging", 1), nice("quality-inspection", 1)},
		Demands: demands(2, 0, 0, 1, 2, 2, 2, 2, 1, 1, 1), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"job-coach", "seated-work", "flexible-hours", "quiet-space", "sign-language", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30, 20}, WageMin: 2800, WageMax: 5000,
		HiresUntrained: true, // judgement: O*NET's Job Zone for hand packers not read here
	},
	{ // O*NET: Electrical, Electronic, and Electromechanical Assemblers
		Code: "assembler", Zh: "装配工", En: "Assembler", Group: "production",
		ClassName: "电子设备装接工", ClassCode: "6-25-04-07", ClassSource: srcCatalogue,
		DutiesZh: "按作业指导书装配零部件和电子元件，完成自检", DutiesEn: "Assemble parts and components to work instructions and self-check",
		Skills:  []PostSkill{req("assembly", 2), nice("electronics-soldering", 1), nice("quality-inspection", 1)},
		Demands: demands(3, 0, 0, 1, 2, 1, 3, 2, 2, 1, 2), EssentialDemands: []string{"vision", "fineMotor"},
		Accommodations: []string{"seated-work", "job-coach", "sign-language", "quiet-space", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3500, WageMax: 6500,
	},
	{ // O*NET: Inspectors, Testers, Sorters, Samplers, and Weighers
		Code: "quality-inspector", Zh: "质检员", En: "Quality inspector", Group: "production",
		ClassName: "质检员", ClassCode: "6-31-03-05", ClassSource: srcCatalogue,
		DutiesZh: "对产品进行外观和尺寸检验，记录检验结果并隔离不良品", DutiesEn: "Inspect products by eye and gauge, record results and set aside rejects",
		Skills:  []PostSkill{req("quality-inspection", 2), nice("assembly", 1), nice("data-entry", 1)},
		Demands: demands(4, 0, 1, 1, 2, 1, 2, 2, 2, 1, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "sign-language", "quiet-space", "job-coach", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40}, NightShift: true, WageMin: 3800, WageMax: 7000,
	},
	{ // O*NET: Sewing Machine Operators
		Code: "sewing-operator", Zh: "缝纫工", En: "Sewing-machine operator", Group: "production",
		ClassName: "缝纫工", ClassCode: "6-05-01-03", ClassSource: srcCatalogue,
		DutiesZh: "操作缝纫机完成服装和布艺产品车缝", DutiesEn: "Sew garments and textile goods on a machine",
		Skills:  []PostSkill{req("sewing", 2), nice("embroidery", 1), nice("quality-inspection", 1)},
		Demands: demands(3, 0, 0, 0, 0, 1, 3, 2, 1, 1, 2), EssentialDemands: []string{"vision", "fineMotor"},
		Accommodations: []string{"seated-work", "sign-language", "job-coach", "quiet-space", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, WageMin: 3500, WageMax: 6500,
		HiresUntrained: true, // O*NET Job Zone One example: sewing machine operators
	},
	{ // O*NET: Craft Artists
		Code: "handicraft-maker", Zh: "手工艺制作员", En: "Handicraft maker", Group: "production",
		ClassName: "民间工艺品制作工", ClassCode: "6-09-03-17", ClassSource: srcCatalogue,
		DutiesZh: "制作剪纸、刺绣、编织等手工艺品，可居家加工", DutiesEn: "Make paper-cuts, embroidery and woven crafts, also from home",
		Skills:  []PostSkill{req("handicrafts", 1), nice("embroidery", 1), nice("weaving", 1)},
		Demands: demands(2, 0, 0, 0, 0, 0, 3, 1, 1, 0, 1), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"seated-work", "quiet-space", "job-coach", "flexible-hours", "sign-language", "accessible-toilet", "large-print"},
		WorkModes:      anyMode, WeeklyHours: []int{30, 40, 20}, WageMin: 2900, WageMax: 5500,
	},

	// ── logistics ───────────────────────────────────────────────────────────
	{ // O*NET: Stockers and Order Fillers
		Code: "warehouse-picker", Zh: "仓库拣货员", En: "Warehouse picker", Group: "logistics",
		ClassName: "理货员", ClassCode: "4-02-06-02", ClassSource: srcCatalogue,
		DutiesZh: "根据订单拣货、复核和打包，使用手持终端扫码", DutiesEn: "Pick, check and pack orders with a handheld scanner",
		Skills:  []PostSkill{req("warehouse-picking", 1), nice("inventory", 1), nice("packaging", 1)},
		Demands: demands(2, 1, 0, 3, 3, 3, 1, 3, 1, 1, 2), EssentialDemands: []string{"walking", "lifting"},
		Accommodations: []string{"job-coach", "sign-language", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 4000, WageMax: 7000,
	},
	{ // O*NET: Laborers and Freight, Stock, and Material Movers, Hand
		Code: "parcel-sorter", Zh: "快件分拣员", En: "Parcel sorter", Group: "logistics",
		ClassName: "快件处理员", ClassCode: "4-02-07-09", ClassSource: srcCatalogue,
		DutiesZh: "在分拣中心按路由分拣、封装包裹，操作自动分拣线", DutiesEn: "Sort and bag parcels by route at a sorting centre",
		Skills:  []PostSkill{req("parcel-sorting", 1), nice("packaging", 1)},
		Demands: demands(2, 1, 0, 2, 3, 3, 1, 3, 1, 0, 2), EssentialDemands: []string{"standing", "lifting"},
		Accommodations: []string{"job-coach", "sign-language", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 4000, WageMax: 7000,
	},
	{ // O*NET: Shipping, Receiving, and Inventory Clerks
		Code: "stock-clerk", Zh: "库存盘点员", En: "Stock clerk", Group: "logistics",
		ClassName: "仓储管理员", ClassCode: "4-02-06-01", ClassSource: srcCatalogue,
		DutiesZh: "盘点库存、核对出入库单据并录入系统", DutiesEn: "Count stock, check delivery notes and enter them in the system",
		Skills:  []PostSkill{req("inventory", 2), nice("data-entry", 1), nice("warehouse-picking", 1)},
		Demands: demands(3, 1, 1, 2, 2, 2, 1, 2, 2, 1, 1), EssentialDemands: []string{"vision"},
		Accommodations: []string{"job-coach", "sign-language", "flexible-hours", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40}, WageMin: 3800, WageMax: 6500,
	},

	// ── services ────────────────────────────────────────────────────────────
	{ // O*NET: Janitors and Cleaners
		Code: "cleaner", Zh: "保洁员", En: "Cleaner", Group: "services",
		ClassName: "保洁员", ClassCode: "4-09-08-01", ClassSource: srcCatalogue,
		DutiesZh: "负责办公区域和公共区域的日常清洁与垃圾分类", DutiesEn: "Clean offices and public areas and sort the waste",
		Skills:  []PostSkill{req("cleaning", 1), nice("laundry", 1)},
		Demands: demands(2, 1, 0, 3, 3, 2, 1, 3, 1, 1, 1), EssentialDemands: []string{"walking"},
		Accommodations: []string{"job-coach", "flexible-hours", "sign-language"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30, 20}, NightShift: true, WageMin: 2900, WageMax: 4800,
		HiresUntrained: true, // O*NET Job Zone One example (mynextmove): maids and housekeeping cleaners
	},
	{ // O*NET: Laundry and Dry-Cleaning Workers
		Code: "laundry-worker", Zh: "洗衣熨烫工", En: "Laundry worker", Group: "services",
		ClassName: "洗衣师", ClassCode: "4-10-02-02", ClassSource: srcCatalogue,
		DutiesZh: "分拣、洗涤、熨烫和折叠布草与衣物", DutiesEn: "Sort, wash, iron and fold linen and clothes",
		Skills:  []PostSkill{req("laundry", 1), nice("packaging", 1)},
		Demands: demands(2, 0, 0, 1, 3, 2, 2, 3, 1, 0, 1), EssentialDemands: []string{"standing"},
		Accommodations: []string{"job-coach", "sign-language", "quiet-space", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30}, WageMin: 3000, WageMax: 5000,
	},
	{ // O*NET: Cleaners of Vehicles and Equipment
		Code: "car-washer", Zh: "洗车工", En: "Car washer", Group: "services",
		DutiesZh: "清洗车辆内外，打蜡和内饰清洁", DutiesEn: "Wash and valet cars inside and out",
		Skills:  []PostSkill{req("car-wash", 1), nice("cleaning", 1)},
		Demands: demands(2, 1, 0, 2, 3, 2, 1, 3, 1, 1, 1), EssentialDemands: []string{"standing"},
		Accommodations: []string{"job-coach", "sign-language", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, WageMin: 3200, WageMax: 5500,
	},
	{ // O*NET: Landscaping and Groundskeeping Workers
		Code: "gardener", Zh: "绿化养护工", En: "Gardener", Group: "services",
		ClassName: "园林绿化工", ClassCode: "4-09-10-01", ClassSource: srcCatalogue,
		DutiesZh: "养护社区绿地和花卉，浇水、修剪和除草", DutiesEn: "Tend gardens and green spaces: water, prune and weed",
		Skills:  []PostSkill{req("gardening", 1), nice("cleaning", 1)},
		Demands: demands(2, 1, 0, 3, 3, 3, 2, 3, 1, 0, 1), EssentialDemands: []string{"walking"},
		Accommodations: []string{"job-coach", "flexible-hours", "quiet-space", "sign-language"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30}, WageMin: 3000, WageMax: 5200,
		HiresUntrained: true, // O*NET Job Zone One example: landscaping and groundskeeping workers
	},
	{ // O*NET: Cashiers
		Code: "cashier", Zh: "收银员", En: "Cashier", Group: "services",
		ClassName: "收银员", ClassCode: "4-01-02-04", ClassSource: srcCatalogue,
		DutiesZh: "收银结账、整理货架、解答顾客问题", DutiesEn: "Run the till, tidy the shelves and help customers",
		Skills:  []PostSkill{req("cashier", 1), nice("retail-sales", 1)},
		Demands: demands(2, 2, 2, 1, 2, 1, 2, 2, 2, 3, 3), EssentialDemands: []string{"cognition"},
		Accommodations: []string{"seated-work", "job-coach", "flexible-hours", "sign-language", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 30, 20}, WageMin: 3200, WageMax: 5500,
	},
	{ // O*NET: Security Guards (far vision for patrol and CCTV: very high)
		Code: "security-guard", Zh: "安保员", En: "Security guard", Group: "services",
		ClassName: "保安员", ClassCode: "4-07-05-01", ClassSource: srcCatalogue,
		DutiesZh: "门岗值守、巡逻、车辆引导和访客登记", DutiesEn: "Guard the gate, patrol, guide cars and sign visitors in",
		Skills:  []PostSkill{req("security-guard", 1), nice("parking-attendant", 1)},
		Demands: demands(4, 3, 2, 3, 3, 2, 1, 3, 2, 2, 3), EssentialDemands: []string{"vision", "hearing", "walking"},
		Accommodations: []string{"flexible-hours", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3800, WageMax: 6000,
	},
	{ // O*NET: Parking Attendants
		Code: "parking-attendant", Zh: "停车场管理员", En: "Parking attendant", Group: "services",
		ClassName: "停车管理员", ClassCode: "4-06-01-03", ClassSource: srcCatalogue,
		DutiesZh: "在岗亭值守，引导车辆、核对收费和巡查车位", DutiesEn: "Staff the booth, guide cars, take fees and check the bays",
		Skills:  []PostSkill{req("parking-attendant", 1), nice("cashier", 1)},
		Demands: demands(3, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2), EssentialDemands: []string{"vision"},
		Accommodations: []string{"seated-work", "flexible-hours", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 3500, WageMax: 5500,
	},
	{ // O*NET: Home Health and Personal Care Aides
		Code: "elderly-care-aide", Zh: "养老护理员", En: "Elderly-care aide", Group: "services",
		ClassName: "养老护理员", ClassCode: "4-10-01-05", ClassSource: srcCatalogue,
		DutiesZh: "协助照料老人起居、助餐助浴、陪伴聊天", DutiesEn: "Help older people with daily living, meals and bathing, and keep them company",
		Skills:  []PostSkill{req("elderly-care", 2), nice("cleaning", 1)},
		Demands: demands(2, 2, 2, 3, 3, 3, 2, 3, 2, 3, 3), EssentialDemands: []string{"hearing", "lifting"},
		Accommodations: []string{"job-coach", "flexible-hours"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, NightShift: true, WageMin: 4000, WageMax: 7000,
	},

	// ── wellness ────────────────────────────────────────────────────────────
	{ // O*NET: Massage Therapists
		Code: "massage-therapist", Zh: "保健按摩师", En: "Massage therapist", Group: "wellness",
		ClassName: "保健按摩师", ClassCode: "4-10-04-02", ClassSource: srcCatalogue,
		DutiesZh: "为顾客提供颈肩腰背保健按摩，店内通道无障碍，排班灵活", DutiesEn: "Give neck, shoulder and back massage; step-free shop, flexible rota",
		Skills:  []PostSkill{req("massage", 2), nice("foot-reflexology", 1), nice("tuina", 1)},
		Demands: demands(0, 2, 2, 1, 3, 1, 3, 3, 2, 2, 2), EssentialDemands: []string{"fineMotor", "stamina"},
		Accommodations: []string{"screen-reader", "large-print", "flexible-hours", "accessible-toilet", "quiet-space"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44, 30}, WageMin: 4500, WageMax: 10000,
	},
	{ // O*NET: Massage Therapists (medical manual therapy). Filed under 盲人医疗按摩人员, the
		// licensed trade of blind practitioners in clinics; sighted practitioners of tuina are
		// physicians (中医推拿医师 2-05-02-11), which the matcher does not model.
		Code: "tuina-therapist", Zh: "医疗推拿师", En: "Tuina therapist", Group: "wellness",
		ClassName: "盲人医疗按摩人员", ClassCode: "2-05-10-00", ClassSource: srcCatalogue,
		DutiesZh: "在医疗机构或推拿诊所按医嘱为患者做推拿治疗", DutiesEn: "Give tuina treatment to patients in clinics, as prescribed",
		Skills:  []PostSkill{req("tuina", 2), nice("massage", 2)},
		Demands: demands(0, 2, 2, 1, 3, 1, 3, 3, 3, 2, 2), EssentialDemands: []string{"fineMotor", "stamina"},
		Accommodations: []string{"screen-reader", "large-print", "flexible-hours", "accessible-toilet"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44}, WageMin: 5000, WageMax: 10000,
	},
	{ // O*NET: Massage Therapists (reflexology)
		Code: "foot-reflexologist", Zh: "足部按摩师", En: "Foot reflexologist", Group: "wellness",
		ClassName: "保健按摩师", ClassCode: "4-10-04-02", ClassSource: srcMassage,
		DutiesZh: "为顾客提供足部反射区按摩和足浴服务", DutiesEn: "Give foot-reflexology massage and foot baths",
		Skills:  []PostSkill{req("foot-reflexology", 2), nice("massage", 1)},
		Demands: demands(0, 2, 2, 1, 2, 1, 3, 3, 2, 2, 2), EssentialDemands: []string{"fineMotor"},
		Accommodations: []string{"screen-reader", "large-print", "flexible-hours", "accessible-toilet", "quiet-space"},
		WorkModes:      onsite, WeeklyHours: []int{40, 44, 30}, WageMin: 4000, WageMax: 8000,
	},
}
