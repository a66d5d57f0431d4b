package engine

import "time"

// Streets maps the 13 subdistrict codes of Xuhui to their Chinese names.
var Streets = map[string]string{
	"tianping": "天平路街道", "hunan": "湖南路街道", "xietu": "斜土路街道", "fenglin": "枫林路街道",
	"changqiao": "长桥街道", "tianlin": "田林街道", "hongmei": "虹梅路街道", "kangjian": "康健新村街道",
	"xujiahui": "徐家汇街道", "lingyun": "凌云路街道", "longhua": "龙华街道", "caohejing": "漕河泾街道",
	"huajing": "华泾镇",
}

// StreetCodes lists the street codes in a stable order.
var StreetCodes = []string{"tianping", "hunan", "xietu", "fenglin", "changqiao", "tianlin", "hongmei",
	"kangjian", "xujiahui", "lingyun", "longhua", "caohejing", "huajing"}

// Dimensions are the ability/demand dimensions, in the order of the compact arrays.
var Dimensions = []string{"vision", "hearing", "speech", "walking", "standing", "lifting",
	"fineMotor", "stamina", "cognition", "social", "stress"}

// NDims is the number of ability dimensions.
const NDims = 11

// Dimension indexes into a compact ability array.
const (
	DimVision = iota
	DimHearing
	DimSpeech
	DimWalking
	DimStanding
	DimLifting
	DimFineMotor
	DimStamina
	DimCognition
	DimSocial
	DimStress
)

// Enumerations of the domain, as the API spells them.
var (
	Genders              = []string{"male", "female"}
	DisabilityCategories = []string{"vision", "hearing", "speech", "physical", "intellectual", "psychiatric", "multiple"}
	TravelModes          = []string{"walk", "wheelchair", "bus", "metro", "car", "accessible-taxi"}
	NeedCodes            = []string{"sign-language", "screen-reader", "seated-work", "flexible-hours", "quiet-space", "accessible-toilet", "job-coach", "large-print"}
	SeekerStatuses       = []string{"seeking", "training", "placed", "inactive"}
	Programs             = []string{"sunshine-home", "sunshine-heart-garden"}
	WorkModes            = []string{"onsite", "hybrid", "remote"}
	PostStatuses         = []string{"open", "closed"}
	ClassStatuses        = []string{"open", "running", "finished"}
	ClassAccessibility   = []string{"captions", "sign-language", "screen-reader-materials", "easy-read"}
	Roles                = []string{"admin", "counsellor", "employer", "trainee", "provider"}
)

// Role names.
const (
	RoleAdmin      = "admin"
	RoleCounsellor = "counsellor"
	RoleEmployer   = "employer"
	RoleTrainee    = "trainee"
	RoleProvider   = "provider"
)

// Meta is what every stored record carries: its id, the change-feed revision
// of its last write, and when it was created and last written.
type Meta struct {
	ID        string    `json:"id" bson:"_id"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
	Rev       int64     `json:"rev" bson:"rev"`
}

// RecordMeta gives the store access to a record's Meta.
func (m *Meta) RecordMeta() *Meta { return m }

// Record is any stored document.
type Record interface{ RecordMeta() *Meta }

// Geo is a point in WGS84 degrees.
type Geo struct {
	Lat float64 `json:"lat" bson:"lat"`
	Lon float64 `json:"lon" bson:"lon"`
}

// Skill is an entry of the controlled skill catalog.
type Skill struct {
	Meta  `bson:",inline"`
	Code  string `json:"code" bson:"code"`
	Zh    string `json:"zh" bson:"zh"`
	En    string `json:"en" bson:"en"`
	Group string `json:"group" bson:"group"`
}

// SkillLevel is a skill a seeker has (level 1–3).
type SkillLevel struct {
	Code  string `json:"code" bson:"code"`
	Level int    `json:"level" bson:"level"`
}

// Disability is a seeker's certified disability: category and level (1 most severe).
type Disability struct {
	Category string `json:"category" bson:"category"`
	Level    int    `json:"level" bson:"level"`
}

// Mobility says how a seeker travels and how far.
type Mobility struct {
	Modes             []string `json:"modes" bson:"modes"`
	MaxCommuteMinutes int      `json:"maxCommuteMinutes" bson:"maxCommuteMinutes"`
	NeedsStepFree     bool     `json:"needsStepFree" bson:"needsStepFree"`
	RemoteOK          bool     `json:"remoteOK" bson:"remoteOK"`
}

// Need is a workplace accommodation a seeker needs; essential ones are hard constraints.
type Need struct {
	Code      string `json:"code" bson:"code"`
	Essential bool   `json:"essential" bson:"essential"`
}

// Preferences are a seeker's soft wishes about pay and hours.
type Preferences struct {
	MinMonthlyWage int  `json:"minMonthlyWage" bson:"minMonthlyWage"`
	MaxWeeklyHours int  `json:"maxWeeklyHours" bson:"maxWeeklyHours"`
	NightShiftOK   bool `json:"nightShiftOK" bson:"nightShiftOK"`
}

// Consent records whether a seeker agreed to be shown to employers.
type Consent struct {
	ShareWithEmployers bool   `json:"shareWithEmployers" bson:"shareWithEmployers"`
	Date               string `json:"date,omitempty" bson:"date,omitempty"`
}

// Seeker is the one-person-one-file record of a working-age disabled job seeker.
// ResidentID and Certificate never reach the database in plain text: the store
// encrypts them and keeps an HMAC blind index of the resident ID.
type Seeker struct {
	Meta         `bson:",inline"`
	Name         string         `json:"name" bson:"name"`
	Gender       string         `json:"gender" bson:"gender"`
	BirthDate    string         `json:"birthDate" bson:"birthDate"`
	ResidentID   string         `json:"residentId,omitempty" bson:"-"`
	Certificate  string         `json:"certificate,omitempty" bson:"-"`
	Disability   Disability     `json:"disability" bson:"disability"`
	Street       string         `json:"street" bson:"street"`
	Home         Geo            `json:"home" bson:"home"`
	Abilities    map[string]int `json:"abilities" bson:"abilities"`
	Skills       []SkillLevel   `json:"skills" bson:"skills"`
	Mobility     Mobility       `json:"mobility" bson:"mobility"`
	Needs        []Need         `json:"needs" bson:"needs"`
	Preferences  Preferences    `json:"preferences" bson:"preferences"`
	Consent      Consent        `json:"consent" bson:"consent"`
	CounsellorID string         `json:"counsellorId,omitempty" bson:"counsellorId,omitempty"`
	Status       string         `json:"status" bson:"status"`
	Programs     []string       `json:"programs" bson:"programs"`
	// Erased is set when the file was erased: personal data removed, aggregates kept.
	Erased bool `json:"erased,omitempty" bson:"erased,omitempty"`
}

// DisabledStaff counts an employer's disabled employees by level band.
type DisabledStaff struct {
	Level12 int `json:"level12" bson:"level12"`
	Level34 int `json:"level34" bson:"level34"`
}

// Employer is a company that posts roles and owes the disability employment quota.
type Employer struct {
	Meta           `bson:",inline"`
	Name           string        `json:"name" bson:"name"`
	CreditCode     string        `json:"creditCode" bson:"creditCode"`
	Street         string        `json:"street" bson:"street"`
	Staff          int           `json:"staff" bson:"staff"`
	AvgMonthlyWage int           `json:"avgMonthlyWage" bson:"avgMonthlyWage"`
	DisabledStaff  DisabledStaff `json:"disabledStaff" bson:"disabledStaff"`
}

// PostSkill is a skill a post asks for at a level; required ones are hard constraints.
type PostSkill struct {
	Code     string `json:"code" bson:"code"`
	Level    int    `json:"level" bson:"level"`
	Required bool   `json:"required" bson:"required"`
}

// Site is a workplace or classroom with its physical accessibility.
type Site struct {
	Lat              float64 `json:"lat" bson:"lat"`
	Lon              float64 `json:"lon" bson:"lon"`
	StepFree         bool    `json:"stepFree" bson:"stepFree"`
	AccessibleToilet bool    `json:"accessibleToilet" bson:"accessibleToilet"`
	Elevator         bool    `json:"elevator" bson:"elevator"`
}

// Hours is a post's working time.
type Hours struct {
	Weekly     int  `json:"weekly" bson:"weekly"`
	NightShift bool `json:"nightShift" bson:"nightShift"`
}

// Post is an employer's job opening. It states all eleven demands (0 is "not
// needed"); EssentialDemands are the dimensions that are an essential function
// of the job (a guard's vision), whose demand no accommodation lowers.
type Post struct {
	Meta             `bson:",inline"`
	EmployerID       string         `json:"employerId" bson:"employerId"`
	Title            string         `json:"title" bson:"title"`
	Description      string         `json:"description" bson:"description"`
	Skills           []PostSkill    `json:"skills" bson:"skills"`
	Demands          map[string]int `json:"demands" bson:"demands"`
	EssentialDemands []string       `json:"essentialDemands" bson:"essentialDemands"`
	Site             Site           `json:"site" bson:"site"`
	WorkMode         string         `json:"workMode" bson:"workMode"`
	Accommodations   []string       `json:"accommodations" bson:"accommodations"`
	Hours            Hours          `json:"hours" bson:"hours"`
	MonthlyWage      int            `json:"monthlyWage" bson:"monthlyWage"`
	Openings         int            `json:"openings" bson:"openings"`
	Status           string         `json:"status" bson:"status"`
	ClosesOn         string         `json:"closesOn,omitempty" bson:"closesOn,omitempty"`
}

// Module is one unit of a class whose progress xAPI statements report.
type Module struct {
	ID       string `json:"id" bson:"id"`
	Title    string `json:"title" bson:"title"`
	Required bool   `json:"required" bson:"required"`
	// ActivityID is the xAPI activity whose statements report this module
	// (any IRI); empty means urn:jobbridge:class:{classId}:module:{moduleId}.
	ActivityID string `json:"activityId,omitempty" bson:"activityId,omitempty"`
	// LaunchURL, MoveOn and MasteryScore are a cmi5 AU's (DESIGN §6).
	LaunchURL    string   `json:"launchUrl,omitempty" bson:"launchUrl,omitempty"`
	MoveOn       string   `json:"moveOn,omitempty" bson:"moveOn,omitempty"`
	MasteryScore *float64 `json:"masteryScore,omitempty" bson:"masteryScore,omitempty"`
}

// MoveOn values of a cmi5 AU.
var MoveOnValues = []string{"Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"}

// Completion is what a trainee must reach to complete (progress) and pass (score) a class.
type Completion struct {
	MinProgress int     `json:"minProgress" bson:"minProgress"`
	PassScore   float64 `json:"passScore" bson:"passScore"`
}

// Class is a training class that teaches skills, onsite or remote.
type Class struct {
	Meta          `bson:",inline"`
	Title         string         `json:"title" bson:"title"`
	Description   string         `json:"description" bson:"description"`
	Provider      string         `json:"provider" bson:"provider"`
	Skills        []SkillLevel   `json:"skills" bson:"skills"`
	Mode          string         `json:"mode" bson:"mode"`
	Site          Site           `json:"site" bson:"site"`
	Accessibility []string       `json:"accessibility" bson:"accessibility"`
	Demands       map[string]int `json:"demands" bson:"demands"`
	Seats         int            `json:"seats" bson:"seats"`
	SeatsTaken    int            `json:"seatsTaken" bson:"seatsTaken"`
	Starts        string         `json:"starts" bson:"starts"`
	Ends          string         `json:"ends" bson:"ends"`
	Modules       []Module       `json:"modules" bson:"modules"`
	// ActivityID is the course's xAPI activity (optional), which statements
	// name in context.contextActivities parent or grouping.
	ActivityID string     `json:"activityId,omitempty" bson:"activityId,omitempty"`
	Completion Completion `json:"completion" bson:"completion"`
	Status     string     `json:"status" bson:"status"`
}

// User is a person who logs in; the role decides what they may see and do.
type User struct {
	Meta         `bson:",inline"`
	Username     string   `json:"username" bson:"username"`
	Role         string   `json:"role" bson:"role"`
	DisplayName  string   `json:"displayName,omitempty" bson:"displayName,omitempty"`
	Street       string   `json:"street,omitempty" bson:"street,omitempty"`
	EmployerID   string   `json:"employerId,omitempty" bson:"employerId,omitempty"`
	SeekerID     string   `json:"seekerId,omitempty" bson:"seekerId,omitempty"`
	ClassIDs     []string `json:"classIds,omitempty" bson:"classIds,omitempty"`
	PasswordHash string   `json:"-" bson:"passwordHash"`
	Disabled     bool     `json:"disabled,omitempty" bson:"disabled,omitempty"`
}

// Session is a login: the hash of an opaque bearer token and when it expires.
type Session struct {
	Meta      `bson:",inline"` // ID is the keyed HMAC of the token (Store.SessionID)
	UserID    string           `json:"userId" bson:"userId"`
	ExpiresAt time.Time        `json:"expiresAt" bson:"expiresAt"`
}

// AuditEntry records one read or write of a seeker file.
type AuditEntry struct {
	Meta     `bson:",inline"`
	At       time.Time `json:"at" bson:"at"`
	Actor    string    `json:"actor" bson:"actor"`
	Role     string    `json:"role" bson:"role"`
	Action   string    `json:"action" bson:"action"`
	SeekerID string    `json:"seekerId" bson:"seekerId"`
	Route    string    `json:"route" bson:"route"`
}
