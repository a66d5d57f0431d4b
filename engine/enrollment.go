package engine

import (
	"math"
	"slices"
	"strings"
	"time"

	"jobbridge/engine/xapi"
)

// Enrollment statuses (DESIGN §3). Passed, failed and withdrawn are final.
const (
	EnrollmentEnrolled  = "enrolled"
	EnrollmentActive    = "active"
	EnrollmentCompleted = "completed"
	EnrollmentPassed    = "passed"
	EnrollmentFailed    = "failed"
	EnrollmentWithdrawn = "withdrawn"
	EnrollmentInactive  = "inactive"
)

// EnrollmentStatuses lists the statuses in the order an enrollment usually meets them.
var EnrollmentStatuses = []string{EnrollmentEnrolled, EnrollmentActive, EnrollmentCompleted, EnrollmentPassed,
	EnrollmentFailed, EnrollmentWithdrawn, EnrollmentInactive}

// InactiveAfter is how long an enrollment may go without a statement while its class runs.
const InactiveAfter = 14 * 24 * time.Hour

// Enrollment is a seeker's place in a class. What the trainee did is the log
// of progress events the xAPI statements appended, in arrival order; the
// per-module progress, overall progress and score are folded from it (Fold),
// so that appending is one atomic $push and no two writers can lose each
// other's progress. Status is changed by the training-outcomes job only.
// EnrolledAt is when the seeker was enrolled (for a record made by Enroll,
// its createdAt; an imported history keeps its own).
type Enrollment struct {
	Meta       `bson:",inline"`
	SeekerID   string     `json:"seekerId" bson:"seekerId"`
	ClassID    string     `json:"classId" bson:"classId"`
	EnrolledAt time.Time  `json:"enrolledAt" bson:"enrolledAt"`
	Status     string     `json:"status" bson:"status"`
	StatusAt   time.Time  `json:"statusAt" bson:"statusAt"`
	OutcomeAt  *time.Time `json:"outcomeAt,omitempty" bson:"outcomeAt,omitempty"`
	EnrolledBy string     `json:"enrolledBy,omitempty" bson:"enrolledBy,omitempty"`
	// Learner is the seeker's identity on the provider's LMS, when statements
	// name them by it rather than by account.name = the seeker id.
	Learner *Learner        `json:"learner,omitempty" bson:"learner,omitempty"`
	Log     []ProgressEvent `json:"log" bson:"-"` // stored by the store in a compact form
}

// Learner is an xAPI inverse functional identifier (DESIGN §3): one of an
// mbox, its SHA-1, an OpenID or an account on a system.
type Learner struct {
	Mbox        string          `json:"mbox,omitempty" bson:"mbox,omitempty"`
	MboxSHA1Sum string          `json:"mbox_sha1sum,omitempty" bson:"mbox_sha1sum,omitempty"`
	OpenID      string          `json:"openid,omitempty" bson:"openid,omitempty"`
	Account     *LearnerAccount `json:"account,omitempty" bson:"account,omitempty"`
}

// LearnerAccount is an account on an LMS.
type LearnerAccount struct {
	HomePage string `json:"homePage" bson:"homePage"`
	Name     string `json:"name" bson:"name"`
}

// Agent is the learner as an xAPI Agent object.
func (l *Learner) Agent() map[string]any {
	m := map[string]any{"objectType": "Agent"}
	switch {
	case l.Mbox != "":
		m["mbox"] = l.Mbox
	case l.MboxSHA1Sum != "":
		m["mbox_sha1sum"] = l.MboxSHA1Sum
	case l.OpenID != "":
		m["openid"] = l.OpenID
	case l.Account != nil:
		m["account"] = map[string]any{"homePage": l.Account.HomePage, "name": l.Account.Name}
	}
	return m
}

// Validate checks that the learner is exactly one valid IFI.
func (l *Learner) Validate() error {
	var p Problems
	n := 0
	for _, set := range []bool{l.Mbox != "", l.MboxSHA1Sum != "", l.OpenID != "", l.Account != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		p.Add("learner", "must be exactly one of mbox, mbox_sha1sum, openid, account")
		return p.Err()
	}
	for _, pr := range xapi.CheckAgent(l.Agent()) {
		p.Add(strings.TrimSuffix("learner."+pr.Field, "."), "%s", pr.Message)
	}
	return p.Err()
}

// ProgressEvent is what one xAPI statement says about one module, kept in the
// enrollment's log.
type ProgressEvent struct {
	Statement string    `json:"statement"`
	Module    string    `json:"module"`
	Verb      string    `json:"verb"`
	Progress  *int      `json:"progress,omitempty"`
	Completed bool      `json:"completed,omitempty"`
	Success   *bool     `json:"success,omitempty"`
	Score     *float64  `json:"score,omitempty"`
	At        time.Time `json:"at"`
	// Voids names the statement whose effect this (voiding) event withdraws.
	Voids string `json:"voids,omitempty"`
}

// ModuleProgress is a trainee's state in one module: the highest progress
// reported, whether it was completed (passed, or progressed to 100), and the
// best scaled score.
type ModuleProgress struct {
	Progress  int      `json:"progress"`
	Completed bool     `json:"completed"`
	Score     *float64 `json:"score,omitempty"`
}

// Progress is an enrollment's log folded against its class.
type Progress struct {
	Modules map[string]ModuleProgress `json:"modules"`
	// Progress is the mean progress over the required modules (all modules
	// when none is required): Moodle's completed ÷ tracked rule, rounded down
	// to one decimal.
	Progress float64 `json:"progress"`
	// Score is the mean of the best scores of the modules that reported one.
	Score        *float64   `json:"score,omitempty"`
	LastActivity *time.Time `json:"lastActivity,omitempty"`
	Statements   int        `json:"statements"`
	// Next is the first required module not completed, else the first optional one.
	Next *Module `json:"next,omitempty"`
}

// Fold computes an enrollment's progress from its log. A statement that
// appears twice in the log counts once; every value only grows, so the order
// of the events does not matter.
func Fold(log []ProgressEvent, c *Class) Progress {
	p := Progress{Modules: make(map[string]ModuleProgress, len(c.Modules))}
	seen := make(map[string]bool, len(log))
	for _, ev := range log {
		if ev.Voids != "" {
			seen[ev.Voids], seen[ev.Statement] = true, true // a voided statement counts as never sent
		}
	}
	for _, ev := range log {
		if !seen[ev.Statement] {
			seen[ev.Statement] = true
			p.apply(ev, c)
		}
	}
	p.summarize(c)
	return p
}

// Add is Fold of the log that gave p plus new events: what the in-memory
// roster does with the events a request appended, without the whole log.
func (p Progress) Add(events []ProgressEvent, c *Class) Progress {
	mods := make(map[string]ModuleProgress, len(c.Modules))
	for k, v := range p.Modules {
		mods[k] = v
	}
	p.Modules = mods
	for _, ev := range events {
		p.apply(ev, c)
	}
	p.summarize(c)
	return p
}

// apply counts one statement's event.
func (p *Progress) apply(ev ProgressEvent, c *Class) {
	p.Statements++
	if p.LastActivity == nil || ev.At.After(*p.LastActivity) {
		at := ev.At
		p.LastActivity = &at
	}
	if !slices.ContainsFunc(c.Modules, func(m Module) bool { return m.ID == ev.Module }) {
		return
	}
	mp := p.Modules[ev.Module]
	if ev.Progress != nil {
		mp.Progress = max(mp.Progress, min(max(*ev.Progress, 0), 100))
	}
	if ev.Completed || mp.Progress == 100 {
		mp.Completed = true
		mp.Progress = 100
	}
	if ev.Score != nil && (mp.Score == nil || *ev.Score > *mp.Score) {
		s := *ev.Score
		mp.Score = &s
	}
	p.Modules[ev.Module] = mp
}

// summarize computes the overall progress (rounded down to one decimal, so
// 79.96 never shows as a completed 80; the minimum is a whole number, so the
// comparison with it is the same), the score and the next module.
func (p *Progress) summarize(c *Class) {
	tracked := 0
	hasRequired := slices.ContainsFunc(c.Modules, func(m Module) bool { return m.Required })
	sum, scored, scoreSum := 0, 0, 0.0
	for _, m := range c.Modules {
		mp := p.Modules[m.ID]
		if mp.Score != nil {
			scored++
			scoreSum += *mp.Score
		}
		if hasRequired && !m.Required {
			continue
		}
		tracked++
		sum += mp.Progress
	}
	p.Progress, p.Score = 0, nil
	if tracked > 0 {
		p.Progress = math.Floor(float64(sum)*10/float64(tracked)) / 10
	}
	if scored > 0 {
		s := scoreSum / float64(scored)
		p.Score = &s
	}
	p.Next = nextModule(c, p.Modules)
}

func nextModule(c *Class, mods map[string]ModuleProgress) *Module {
	for _, required := range []bool{true, false} {
		for i := range c.Modules {
			if m := &c.Modules[i]; m.Required == required && !mods[m.ID].Completed {
				next := *m
				return &next
			}
		}
	}
	return nil
}

// Final says whether an enrollment status is one no job changes.
func Final(status string) bool {
	return status == EnrollmentPassed || status == EnrollmentFailed || status == EnrollmentWithdrawn
}

// Outcome decides an enrollment's status at now (DESIGN §7, training-outcomes):
// completed when progress reaches the class's minimum, passed when the score
// also reaches the pass score (a class with pass score 0 has no assessment);
// failed when the class has ended without both; inactive after 14 days
// without a statement while the class runs (counted from the later of
// enrolling and the class's first day when there was none); active once a
// statement arrived. Final statuses stay.
func Outcome(e *Enrollment, p *Progress, c *Class, now time.Time) string {
	if Final(e.Status) {
		return e.Status
	}
	today := now.In(Shanghai).Format(time.DateOnly)
	ended := c.Ends != "" && today > c.Ends
	if p.Statements > 0 && p.Progress >= float64(c.Completion.MinProgress) {
		switch {
		case c.Completion.PassScore == 0 || (p.Score != nil && *p.Score >= c.Completion.PassScore):
			return EnrollmentPassed
		case ended:
			return EnrollmentFailed
		}
		return EnrollmentCompleted
	}
	if ended {
		return EnrollmentFailed
	}
	if running := c.Starts != "" && today >= c.Starts; running {
		ref := e.Enrolled()
		if start, err := time.ParseInLocation(time.DateOnly, c.Starts, Shanghai); err == nil && start.After(ref) {
			ref = start
		}
		if p.LastActivity != nil && p.LastActivity.After(ref) {
			ref = *p.LastActivity
		}
		if now.Sub(ref) >= InactiveAfter {
			return EnrollmentInactive
		}
	}
	if p.Statements > 0 {
		return EnrollmentActive
	}
	return EnrollmentEnrolled
}

// Enrolled is when the seeker was enrolled: EnrolledAt, or the record's
// createdAt for one stored before enrollments kept it.
func (e *Enrollment) Enrolled() time.Time { return orTime(e.EnrolledAt, e.CreatedAt) }

// orTime is t, or otherwise when t is zero.
func orTime(t, otherwise time.Time) time.Time {
	if t.IsZero() {
		return otherwise
	}
	return t
}

// EnrollmentView is an enrollment as the API shows it: the stored record
// without its log, its progress folded, and its class's title.
type EnrollmentView struct {
	Meta
	SeekerID   string     `json:"seekerId"`
	ClassID    string     `json:"classId"`
	ClassTitle string     `json:"classTitle"`
	EnrolledAt time.Time  `json:"enrolledAt"`
	Status     string     `json:"status"`
	StatusAt   time.Time  `json:"statusAt"`
	OutcomeAt  *time.Time `json:"outcomeAt,omitempty"`
	EnrolledBy string     `json:"enrolledBy,omitempty"`
	Learner    *Learner   `json:"learner,omitempty"`
	Progress
}

// View folds the enrollment against its class for display.
func (e *Enrollment) View(c *Class) *EnrollmentView {
	p := Fold(e.Log, c)
	return &EnrollmentView{Meta: e.Meta, SeekerID: e.SeekerID, ClassID: e.ClassID, ClassTitle: c.Title, EnrolledAt: e.Enrolled(),
		Status: e.Status, StatusAt: e.StatusAt, OutcomeAt: e.OutcomeAt, EnrolledBy: e.EnrolledBy, Learner: e.Learner, Progress: p}
}
