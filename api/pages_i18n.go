package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"jobbridge/engine"
)

// The page languages: zh-CN first (the default), English second.
const (
	langZh = "zh-CN"
	langEn = "en"
)

// pageLangs are the languages of the pages in the order the switch lists them.
var pageLangs = []string{langZh, langEn}

var (
	langTags    = []language.Tag{language.MustParse(langZh), language.English}
	langMatcher = language.NewMatcher(langTags)
)

//go:embed locales/*.json
var localeFS embed.FS

// missingMark is what a page shows for a message id no catalog has; tests look for it.
const missingMark = "[[missing:"

// catalog is the message catalogs of the pages (go-i18n), one localizer per language.
type catalog struct {
	loc      map[string]*i18n.Localizer
	printers map[string]*message.Printer
	log      *slog.Logger
}

// newCatalog loads the embedded catalogs locales/<lang>.json.
func newCatalog(log *slog.Logger) (*catalog, error) {
	b := i18n.NewBundle(langTags[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("messages %s: %w", f, err)
		}
	}
	if log == nil {
		log = slog.Default()
	}
	c := &catalog{loc: map[string]*i18n.Localizer{}, printers: map[string]*message.Printer{}, log: log}
	for i, l := range pageLangs {
		c.loc[l] = i18n.NewLocalizer(b, l)
		c.printers[l] = message.NewPrinter(langTags[i])
	}
	return c, nil
}

// T localizes a message id; args are name/value pairs for its template, and a
// "Count" pair also picks the plural form.
func (c *catalog) T(lang, id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			switch args[i+1].(type) {
			case int, int64, uint64:
				data[name] = c.printers[lang].Sprintf("%d", args[i+1])
			}
			if name == "Count" {
				cfg.PluralCount = args[i+1]
				if n, isU := args[i+1].(uint64); isU {
					cfg.PluralCount = int64(n)
				}
			}
		}
		cfg.TemplateData = data
	}
	s, err := c.loc[lang].Localize(cfg)
	if err != nil {
		c.log.Error("page message missing", "lang", lang, "id", id, "err", err)
		return missingMark + id + "]]"
	}
	return s
}

// pickLang decides a request's language: ?lang= (remembered in a cookie), the
// cookie, then Accept-Language on a first visit, then zh-CN.
func pickLang(c *gin.Context) string {
	if l := c.Query("lang"); l == langZh || l == langEn {
		setCookie(c, langCookie, l, 365*24*time.Hour, false)
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && (l == langZh || l == langEn) {
		return l
	}
	if al := c.GetHeader("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No {
				return pageLangs[i]
			}
		}
	}
	return langZh
}

// Formatting per language.

// collation orders text as readers of the language expect: English
// alphabetically, Chinese by pinyin as CLDR's zh collation does, which puts
// Han before Latin script ([reorder Hani]). golang.org/x/text/collate has the
// pinyin order but not script reordering, so names that start with a Han
// character are put first here; browsers' Intl.Collator("zh-CN") agrees. A
// collator is not safe for concurrent use, so each listing makes its own.
func collation(lang string) func(a, b string) int {
	tag := langTags[0]
	if lang == langEn {
		tag = language.English
	}
	col := collate.New(tag)
	if lang == langEn {
		return col.CompareString
	}
	return func(a, b string) int {
		if ha, hb := startsHan(a), startsHan(b); ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		return col.CompareString(a, b)
	}
}

func startsHan(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

// formatNumber groups digits the way the language does.
func (c *catalog) formatNumber(lang string, v any) string {
	switch n := v.(type) {
	case float64:
		return c.printers[lang].Sprintf("%.1f", n)
	case uint64:
		return c.printers[lang].Sprintf("%d", n)
	}
	return c.printers[lang].Sprintf("%d", v)
}

// formatMoney shows yuan: "5,200 元" / "CNY 5,200".
func (c *catalog) formatMoney(lang string, yuan int) string {
	n := c.printers[lang].Sprintf("%d", yuan)
	if lang == langZh {
		return n + " 元"
	}
	return "CNY " + n
}

// formatMoneyf shows yuan with fen when there are any: "4,368.60 元" / "CNY 4,368.60".
func (c *catalog) formatMoneyf(lang string, yuan float64) string {
	n := c.printers[lang].Sprintf("%.2f", yuan)
	n = strings.TrimSuffix(n, ".00")
	if lang == langZh {
		return n + " 元"
	}
	return "CNY " + n
}

// formatDate shows a YYYY-MM-DD date: "2026年3月16日" / "16 March 2026".
func formatDate(lang, ymd string) string {
	t, err := engine.ParseDate(ymd)
	if err != nil {
		return ymd
	}
	return formatDay(lang, t)
}

func formatDay(lang string, t time.Time) string {
	if lang == langZh {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format("2 January 2006")
}

// formatTime shows an instant in Shanghai time.
func formatTime(lang string, t time.Time) string {
	t = t.In(engine.Shanghai)
	return formatDay(lang, t) + " " + t.Format("15:04")
}

// Engine messages in people's words: the validation messages the engine and the
// forms produce, matched by shape and rendered from the catalog. A message
// without a shape here is shown as the engine wrote it (English).
var fieldMessages = []struct {
	re   *regexp.Regexp
	id   string
	args []string
}{
	{regexp.MustCompile(`^is required( \(YYYY-MM-DD\))?$`), "err.required", nil},
	{regexp.MustCompile(`^must be chosen$|^is required \(0 = not needed`), "err.choose", nil},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "err.maxChars", []string{"N"}},
	{regexp.MustCompile(`^must be at most (\d+) bytes$`), "err.maxBytes", []string{"N"}},
	{regexp.MustCompile(`^must be at least (\d+) characters$`), "err.minChars", []string{"N"}},
	{regexp.MustCompile(`^must be one of `), "err.oneOf", nil},
	{regexp.MustCompile(`^must be between (-?\d+) and (-?\d+)$`), "err.between", []string{"Min", "Max"}},
	{regexp.MustCompile(`^must be a date YYYY-MM-DD$`), "err.date", nil},
	{regexp.MustCompile(`^is not valid UTF-8$`), "err.utf8", nil},
	{regexp.MustCompile(`^must be one line, without tabs$`), "err.oneLine", nil},
	{regexp.MustCompile(`^must not contain control characters \(U\+([0-9A-F]+)\)$`), "err.control", []string{"Code"}},
	{regexp.MustCompile(`^must not contain bidirectional control characters \(U\+([0-9A-F]+)\)$`), "err.bidi", []string{"Code"}},
	{regexp.MustCompile(`^must not contain invisible formatting characters \(U\+([0-9A-F]+)\)$`), "err.invisible", []string{"Code"}},
	{regexp.MustCompile(`^must be inside Shanghai \(([\d.]+)–([\d.]+)\)$`), "err.shanghai", []string{"Min", "Max"}},
	{regexp.MustCompile(`^unknown skill "(.*)"$`), "err.unknownSkill", []string{"Code"}},
	{regexp.MustCompile(`^unknown occupation$`), "err.unknownOccupation", nil},
	{regexp.MustCompile(`^is listed twice$`), "err.twice", nil},
	{regexp.MustCompile(`^needs at least one mode unless remoteOK$`), "err.modes", nil},
	{regexp.MustCompile(`^must be 18 characters$`), "err.len18", nil},
	{regexp.MustCompile(`^must be 20 characters$`), "err.len20", nil},
	{regexp.MustCompile(`^the first 17 characters must be digits$`), "err.digits17", nil},
	{regexp.MustCompile(`^checksum does not match \(GB 11643\)$`), "err.residentChecksum", nil},
	{regexp.MustCompile(`^embedded birth date is not a date$`), "err.residentBirth", nil},
	{regexp.MustCompile(`^embedded birth date is in the future$`), "err.residentFuture", nil},
	{regexp.MustCompile(`^must agree with the resident ID \((.*)\)$`), "err.birthAgree", []string{"Date"}},
	{regexp.MustCompile(`^must start with the seeker's resident ID$`), "err.certStart", nil},
	{regexp.MustCompile(`^category digit \(19th\) must be 1–7$`), "err.certCategory", nil},
	{regexp.MustCompile(`^level digit \(20th\) must be 1–4$`), "err.certLevel", nil},
	{regexp.MustCompile(`^must agree with the certificate \((\w+) level (\d)\)$`), "err.disabilityAgree", []string{"Category", "Level"}},
	{regexp.MustCompile(`^is required for a multiple disability`), "err.multipleAbilities", nil},
	{regexp.MustCompile(`^must not be before starts$`), "err.endsBeforeStarts", nil},
	{regexp.MustCompile(`^must match \[a-z0-9._-\]\{3,32\}$`), "err.username", nil},
	{regexp.MustCompile(`^must match \[a-z0-9-\]\{1,(48|64)\}$`), "err.code", nil},
	{regexp.MustCompile(`^is required for an? \w+ user$`), "err.required", nil},
	{regexp.MustCompile(`^no such employer$`), "err.noEmployer", nil},
	{regexp.MustCompile(`^no such seeker$`), "err.noSeeker", nil},
	{regexp.MustCompile(`^must be your own street|^must stay your own street`), "err.ownStreet", nil},
	{regexp.MustCompile(`^must be a whole number$`), "err.integer", nil},
	{regexp.MustCompile(`^must be a number$`), "err.number", nil},
	{regexp.MustCompile(`^must be your own employer$`), "err.ownEmployer", nil},
	{regexp.MustCompile(`^you cannot disable your own account$`), "err.ownAccount", nil},
	{regexp.MustCompile(`^must be within a year before and six months after today$`), "err.startRange", nil},
	{regexp.MustCompile(`^must be false when employed is false$`), "err.sameEmployerNo", nil},
	{regexp.MustCompile(`^must be 0 when employed is false$`), "err.wageNo", nil},
}

// fieldMessage renders an engine field message in the page's language; ok is
// false when the message has no catalog shape and is shown as written.
func (c *catalog) fieldMessage(lang, msg string) (string, bool) {
	for _, m := range fieldMessages {
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		var args []any
		for i, name := range m.args {
			args = append(args, name, sub[i+1])
		}
		return c.T(lang, m.id, args...), true
	}
	return msg, false
}

// enumFamilies are the message families whose ids are built from the
// engine's enumerations at render time ("street.xujiahui", "need.job-coach").
// The catalog test checks every member exists in both languages.
func enumFamilies() map[string][]string {
	levels := []string{"1", "2", "3", "4"}
	return map[string][]string{
		"street":         engine.StreetCodes,
		"category":       engine.DisabilityCategories,
		"level":          levels,
		"gender":         engine.Genders,
		"dim":            engine.Dimensions,
		"dimHelp":        engine.Dimensions,
		"need":           engine.NeedCodes,
		"needHelp":       engine.NeedCodes,
		"mode":           engine.TravelModes,
		"status":         engine.SeekerStatuses,
		"program":        engine.Programs,
		"workMode":       engine.WorkModes,
		"postStatus":     engine.PostStatuses,
		"classStatus":    engine.ClassStatuses,
		"access":         engine.ClassAccessibility,
		"role":           engine.Roles,
		"factor":         factorNames,
		"capacity":       []string{"0", "1", "2", "3", "4"},
		"demand":         []string{"0", "1", "2", "3", "4"},
		"skillLevel":     []string{"1", "2", "3"},
		"audit":          auditActions,
		"home.title":     engine.Roles,
		"error":          errorCodes,
		"errorHelp":      errorCodes,
		"done":           doneNotices,
		"enrollStatus":   engine.EnrollmentStatuses,
		"inboxKind":      engine.InboxKinds,
		"jobAbout":       jobNames,
		"runResult":      runResults,
		"runTrigger":     runTriggers,
		"referralStatus": engine.ReferralStatuses,
		"followUpKind":   engine.FollowUpKinds,
		"followUpStatus": engine.FollowUpStatuses,
	}
}

// factorNames are the score factors in the order pages show them (DESIGN §4's) and
// factorWeights their weights in per cent, both as the engine has them.
var factorNames, factorWeights = func() ([]string, map[string]int) {
	names, weights := []string{}, map[string]int{}
	for _, f := range engine.ScoreFactors {
		names = append(names, f.Name)
		weights[f.Name] = int(math.Round(100 * f.Weight)) // shown beside each factor, in per cent
	}
	return names, weights
}()

// auditActions are the actions the audit log records.
var auditActions = func() []string {
	a := []string{"read", "create", "update", "erase", "matches", "gaps", "enroll", "read-enrollment", "withdraw-enrollment", "refer"}
	for _, s := range engine.ReferralStatuses {
		a = append(a, "referral-"+s)
	}
	for _, k := range engine.FollowUpKinds {
		a = append(a, "followup-"+k)
	}
	return a
}()

// label is the message of one member of an enum family, or the raw value when unknown.
func (c *catalog) label(lang, family, value string) string {
	if value == "" {
		return ""
	}
	if !isMember(family, value) {
		return value
	}
	return c.T(lang, family+"."+value)
}

func isMember(family, value string) bool {
	for _, v := range enumFamilies()[family] {
		if v == value {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// langName is how the language switch names a language, in that language.
func langName(l string) string {
	if l == langEn {
		return "English"
	}
	return "中文"
}

func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
