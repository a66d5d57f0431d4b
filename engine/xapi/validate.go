package xapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Version is the xAPI version this service speaks; StoredVersion is what the
// LRS writes into a statement sent without one (xAPI 1.0.3 Data 2.4.10).
const (
	Version       = "1.0.3"
	StoredVersion = "1.0.0"
	// VerbVoided voids the statement its StatementRef object names.
	VerbVoided = "http://adlnet.gov/expapi/verbs/voided"
	// SignatureUsage is the usageType of a statement's JWS signature attachment.
	SignatureUsage = "http://adlnet.gov/expapi/attachments/signature"
)

// Problem is one requirement a statement or parameter does not meet: the
// property (a JSON path such as actor.mbox or [2].context.registration) and why.
type Problem struct {
	Field   string
	Message string
}

// Problems collects what a check found.
type Problems []Problem

func (p *Problems) add(field, format string, args ...any) {
	*p = append(*p, Problem{Field: strings.TrimPrefix(field, "."), Message: fmt.Sprintf(format, args...)})
}

// Decode reads exactly one JSON value with its numbers kept as written
// (json.Number), objects as map[string]any with their keys as sent: keys are
// matched case-sensitively from here on.
func Decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("has data after the JSON value")
	}
	return v, nil
}

// Encode writes v as compact JSON without HTML escaping.
func Encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(b.Bytes(), "\n")
}

var (
	uuidRe     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	schemeRe   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:\S+$`)
	mboxRe     = regexp.MustCompile(`^mailto:[^@\s]+@[^@\s]+$`)
	sha1Re     = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	sha2Re     = regexp.MustCompile(`^([0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$`)
	versionRe  = regexp.MustCompile(`^1\.0(\.\d+)?$`)
	durationRe = regexp.MustCompile(`^P(?:\d+(?:[.,]\d+)?W|(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?(?:T(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)$`)
	stampRe    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)$`)
	// langRe is RFC 5646's langtag (language, script, region, variants,
	// extensions, private use), a private-use tag, or a grandfathered i- tag.
	langRe = regexp.MustCompile(`^(?i:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[0-9a-z]{5,8}|[0-9][0-9a-z]{3}))*(?:-[0-9a-wyz](?:-[0-9a-z]{2,8})+)*(?:-x(?:-[0-9a-z]{1,8})+)?|x(?:-[0-9a-z]{1,8})+|i-[a-z]{2,8})$`)
)

// IsUUID says whether s is a UUID in its 8-4-4-4-12 hex form.
func IsUUID(s string) bool { return uuidRe.MatchString(s) }

// IsIRI says whether s is an absolute IRI: a scheme, a colon, no spaces.
func IsIRI(s string) bool { return schemeRe.MatchString(s) }

// IsLanguageTag says whether s is an RFC 5646 language tag.
func IsLanguageTag(s string) bool { return langRe.MatchString(s) }

// IsDuration says whether s is an ISO 8601 duration (4.4.3.2, not the alternative format).
func IsDuration(s string) bool {
	return s != "P" && !strings.HasSuffix(s, "T") && durationRe.MatchString(s)
}

// ParseTimestamp reads an ISO 8601 date and time with a zone. An offset of
// -00, -0000 or -00:00 says the zone is unknown (RFC 3339 4.3) and is refused.
func ParseTimestamp(s string) (time.Time, bool) {
	m := stampRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	zone := m[8]
	if strings.HasPrefix(zone, "-") && strings.Trim(zone[1:], "0:") == "" {
		return time.Time{}, false
	}
	norm := m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6] + m[7]
	switch {
	case zone == "Z" || zone == "z":
		norm += "Z"
	case len(zone) == 3:
		norm += zone + ":00"
	case len(zone) == 5:
		norm += zone[:3] + ":" + zone[3:]
	default:
		norm += zone
	}
	t, err := time.Parse(time.RFC3339Nano, norm)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// checker walks a statement, collecting problems by JSON path.
type checker struct{ p Problems }

func (c *checker) add(field, format string, args ...any) { c.p.add(field, format, args...) }

// object checks v is a JSON object whose keys are all among allowed (case-sensitive).
func (c *checker) object(path string, v any, allowed ...string) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "must be a JSON object")
		return nil, false
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			c.add(path+"."+k, "is not a property here (properties are case-sensitive: %s)", strings.Join(allowed, ", "))
		}
	}
	return m, true
}

// opt runs check on m[key] when m has it.
func (c *checker) opt(m map[string]any, path, key string, check func(string, any)) {
	if v, ok := m[key]; ok {
		check(path+"."+key, v)
	}
}

func (c *checker) str(path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		c.add(path, "must be a string")
	}
	return s, ok
}

func (c *checker) iri(path string, v any) {
	if s, ok := c.str(path, v); ok && !IsIRI(s) {
		c.add(path, "must be an absolute IRI with a scheme, not %q", s)
	}
}

func (c *checker) uuid(path string, v any) {
	if s, ok := c.str(path, v); ok && !IsUUID(s) {
		c.add(path, "must be a UUID, not %q", s)
	}
}

func (c *checker) boolean(path string, v any) {
	if _, ok := v.(bool); !ok {
		c.add(path, "must be true or false")
	}
}

func (c *checker) number(path string, v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		c.add(path, "must be a number")
		return 0, false
	}
	f, err := n.Float64()
	if err != nil {
		c.add(path, "must be a number")
		return 0, false
	}
	return f, true
}

func (c *checker) timestamp(path string, v any) {
	if s, ok := c.str(path, v); ok {
		if _, ok := ParseTimestamp(s); !ok {
			c.add(path, "must be an ISO 8601 date and time with a zone, e.g. 2026-09-01T10:00:00.000+08:00")
		}
	}
}

func (c *checker) langMap(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "must be a language map: {\"zh-CN\": \"…\"}")
		return
	}
	for k, val := range m {
		if !IsLanguageTag(k) {
			c.add(path+"."+k, "is not an RFC 5646 language tag")
		}
		if _, ok := val.(string); !ok {
			c.add(path+"."+k, "must be a string")
		}
	}
}

func (c *checker) extensions(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "must be an object whose keys are IRIs")
		return
	}
	for k := range m {
		if !IsIRI(k) {
			c.add(path+"."+k, "an extension key must be an IRI")
		}
	}
}

// CheckStatement checks one statement as sent to the LRS.
func CheckStatement(v any) Problems {
	var c checker
	c.statement("", v, false)
	return c.p
}

// statement checks a statement, or a SubStatement when sub.
func (c *checker) statement(path string, v any, sub bool) {
	allowed := []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
	if sub {
		allowed = []string{"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
	}
	m, ok := c.object(path, v, allowed...)
	if !ok {
		return
	}
	c.opt(m, path, "id", c.uuid)
	if a, ok := m["actor"]; ok {
		c.agentOrGroup(path+".actor", a)
	} else {
		c.add(path+".actor", "is required")
	}
	verbID := ""
	if vb, ok := m["verb"]; ok {
		verbID = c.verb(path+".verb", vb)
	} else {
		c.add(path+".verb", "is required")
	}
	objectType := ""
	if o, ok := m["object"]; ok {
		objectType = c.statementObject(path+".object", o, sub)
	} else {
		c.add(path+".object", "is required")
	}
	if verbID == VerbVoided && !sub && objectType != "StatementRef" && objectType != "" {
		c.add(path+".object.objectType", "a voiding statement's object must be a StatementRef")
	}
	c.opt(m, path, "result", c.result)
	if cx, ok := m["context"]; ok {
		c.context(path+".context", cx, objectType)
	}
	c.opt(m, path, "timestamp", c.timestamp)
	c.opt(m, path, "stored", c.timestamp)
	c.opt(m, path, "authority", c.authority)
	if ver, ok := m["version"]; ok {
		if s, ok := c.str(path+".version", ver); ok && !versionRe.MatchString(s) {
			c.add(path+".version", "must be 1.0 or 1.0.x, not %q", s)
		}
	}
	c.opt(m, path, "attachments", c.attachments)
	if sub {
		if ot, _ := m["objectType"].(string); ot != "SubStatement" {
			c.add(path+".objectType", "must be SubStatement")
		}
	}
}

func (c *checker) verb(path string, v any) string {
	m, ok := c.object(path, v, "id", "display")
	if !ok {
		return ""
	}
	id, has := m["id"]
	if !has {
		c.add(path+".id", "is required")
	} else {
		c.iri(path+".id", id)
	}
	c.opt(m, path, "display", c.langMap)
	s, _ := id.(string)
	return s
}

// agentOrGroup checks an actor, instructor or authority: an Agent or a Group.
func (c *checker) agentOrGroup(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "must be an Agent or a Group")
		return
	}
	if m["objectType"] == "Group" {
		c.group(path, m)
		return
	}
	c.agent(path, m)
}

var agentKeys = []string{"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}

// agent checks an Agent: objectType Agent when given, and exactly one IFI.
func (c *checker) agent(path string, v any) {
	m, ok := c.object(path, v, agentKeys...)
	if !ok {
		return
	}
	if ot, has := m["objectType"]; has && ot != "Agent" {
		c.add(path+".objectType", "must be Agent (or Group, for a group)")
	}
	if n, has := m["name"]; has {
		c.str(path+".name", n)
	}
	if c.ifis(path, m) != 1 {
		c.add(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")
	}
}

// group checks a Group: an identified group has exactly one IFI; an
// anonymous one has members. Members are Agents.
func (c *checker) group(path string, v any) {
	m, ok := c.object(path, v, append(agentKeys, "member")...)
	if !ok {
		return
	}
	if m["objectType"] != "Group" {
		c.add(path+".objectType", "must be Group")
	}
	if n, has := m["name"]; has {
		c.str(path+".name", n)
	}
	n := c.ifis(path, m)
	if n > 1 {
		c.add(path, "a Group has at most one of mbox, mbox_sha1sum, openid, account")
	}
	members, has := m["member"]
	if !has {
		if n == 0 {
			c.add(path+".member", "an anonymous Group must list its members")
		}
		return
	}
	list, ok := members.([]any)
	if !ok {
		c.add(path+".member", "must be an array of Agents")
		return
	}
	if n == 0 && len(list) == 0 {
		c.add(path+".member", "an anonymous Group must list its members")
	}
	for i, mem := range list {
		p := fmt.Sprintf("%s.member[%d]", path, i)
		if mm, ok := mem.(map[string]any); ok && mm["objectType"] == "Group" {
			c.add(p+".objectType", "a Group's member must be an Agent, not a Group")
			continue
		}
		c.agent(p, mem)
	}
}

// ifis checks the IFIs present and counts them.
func (c *checker) ifis(path string, m map[string]any) int {
	n := 0
	if v, ok := m["mbox"]; ok {
		n++
		if s, ok := c.str(path+".mbox", v); ok && !mboxRe.MatchString(s) {
			c.add(path+".mbox", "must be mailto: and an email address, not %q", s)
		}
	}
	if v, ok := m["mbox_sha1sum"]; ok {
		n++
		if s, ok := c.str(path+".mbox_sha1sum", v); ok && !sha1Re.MatchString(s) {
			c.add(path+".mbox_sha1sum", "must be the hex SHA-1 of a mailto IRI")
		}
	}
	if v, ok := m["openid"]; ok {
		n++
		c.iri(path+".openid", v)
	}
	if v, ok := m["account"]; ok {
		n++
		if a, ok := c.object(path+".account", v, "homePage", "name"); ok {
			if hp, ok := a["homePage"]; ok {
				c.iri(path+".account.homePage", hp)
			} else {
				c.add(path+".account.homePage", "is required")
			}
			if nm, ok := a["name"]; ok {
				c.str(path+".account.name", nm)
			} else {
				c.add(path+".account.name", "is required")
			}
		}
	}
	return n
}

// authority checks an authority: an Agent, or an OAuth pair as an anonymous
// Group of exactly two Agents.
func (c *checker) authority(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok || m["objectType"] != "Group" {
		c.agent(path, v)
		return
	}
	before := len(c.p)
	c.group(path, m)
	if len(c.p) > before {
		return
	}
	if c.countIFIs(m) > 0 {
		c.add(path, "an authority Group is an OAuth pair: anonymous, with two members")
	}
	if list, _ := m["member"].([]any); len(list) != 2 {
		c.add(path+".member", "an authority Group has exactly two members (the OAuth consumer and the user)")
	}
}

func (c *checker) countIFIs(m map[string]any) int {
	n := 0
	for _, k := range []string{"mbox", "mbox_sha1sum", "openid", "account"} {
		if _, ok := m[k]; ok {
			n++
		}
	}
	return n
}

// statementObject checks a statement's object and returns its objectType
// (Activity when absent), or "" when it is unreadable.
func (c *checker) statementObject(path string, v any, sub bool) string {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "must be an object: an Activity, Agent, Group, StatementRef or SubStatement")
		return ""
	}
	ot, has := m["objectType"]
	if !has {
		ot = "Activity"
	}
	switch ot {
	case "Activity":
		c.activity(path, m)
	case "Agent":
		c.agent(path, m)
	case "Group":
		c.group(path, m)
	case "StatementRef":
		c.statementRef(path, m)
	case "SubStatement":
		if sub {
			c.add(path+".objectType", "a SubStatement cannot hold another SubStatement")
			return ""
		}
		c.statement(path, m, true)
	default:
		c.add(path+".objectType", "must be Activity, Agent, Group, StatementRef or SubStatement (case-sensitive), not %v", ot)
		return ""
	}
	s, _ := ot.(string)
	return s
}

func (c *checker) statementRef(path string, v any) {
	m, ok := c.object(path, v, "objectType", "id")
	if !ok {
		return
	}
	if m["objectType"] != "StatementRef" {
		c.add(path+".objectType", "must be StatementRef")
	}
	if id, ok := m["id"]; ok {
		c.uuid(path+".id", id)
	} else {
		c.add(path+".id", "is required")
	}
}

var interactionTypes = []string{"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"}

// activity checks an Activity and its definition.
func (c *checker) activity(path string, v any) {
	m, ok := c.object(path, v, "objectType", "id", "definition")
	if !ok {
		return
	}
	if ot, has := m["objectType"]; has && ot != "Activity" {
		c.add(path+".objectType", "must be Activity")
	}
	if id, ok := m["id"]; ok {
		c.iri(path+".id", id)
	} else {
		c.add(path+".id", "is required")
	}
	def, has := m["definition"]
	if !has {
		return
	}
	components := []string{"choices", "scale", "source", "target", "steps"}
	d, ok := c.object(path+".definition", def, append([]string{"name", "description", "type", "moreInfo",
		"interactionType", "correctResponsesPattern", "extensions"}, components...)...)
	if !ok {
		return
	}
	dp := path + ".definition"
	for _, k := range []string{"name", "description"} {
		if lm, ok := d[k]; ok {
			c.langMap(dp+"."+k, lm)
		}
	}
	for _, k := range []string{"type", "moreInfo"} {
		if s, ok := d[k]; ok {
			c.iri(dp+"."+k, s)
		}
	}
	if _, ok := d["interactionType"]; !ok {
		for _, k := range append([]string{"correctResponsesPattern"}, components...) {
			if _, used := d[k]; used {
				c.add(dp+".interactionType", "is required when %s is given", k)
				break
			}
		}
	}
	if it, ok := d["interactionType"]; ok {
		if s, ok := c.str(dp+".interactionType", it); ok && !slices.Contains(interactionTypes, s) {
			c.add(dp+".interactionType", "must be one of %s", strings.Join(interactionTypes, ", "))
		}
	}
	if crp, ok := d["correctResponsesPattern"]; ok {
		list, ok := crp.([]any)
		if !ok {
			c.add(dp+".correctResponsesPattern", "must be an array of strings")
		}
		for i, s := range list {
			c.str(fmt.Sprintf("%s.correctResponsesPattern[%d]", dp, i), s)
		}
	}
	for _, k := range components {
		if comp, ok := d[k]; ok {
			c.interactionComponents(dp+"."+k, comp)
		}
	}
	c.opt(d, dp, "extensions", c.extensions)
}

func (c *checker) interactionComponents(path string, v any) {
	list, ok := v.([]any)
	if !ok {
		c.add(path, "must be an array of interaction components")
		return
	}
	seen := map[string]bool{}
	for i, item := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		m, ok := c.object(p, item, "id", "description")
		if !ok {
			continue
		}
		id, has := m["id"]
		if !has {
			c.add(p+".id", "is required")
		} else if s, ok := c.str(p+".id", id); ok {
			if seen[s] {
				c.add(p+".id", "repeats the id %q: interaction component ids are distinct", s)
			}
			seen[s] = true
		}
		c.opt(m, p, "description", c.langMap)
	}
}

func (c *checker) result(path string, v any) {
	m, ok := c.object(path, v, "score", "success", "completion", "response", "duration", "extensions")
	if !ok {
		return
	}
	c.opt(m, path, "score", c.score)
	for _, k := range []string{"success", "completion"} {
		if b, ok := m[k]; ok {
			c.boolean(path+"."+k, b)
		}
	}
	if r, ok := m["response"]; ok {
		c.str(path+".response", r)
	}
	if d, ok := m["duration"]; ok {
		if s, ok := c.str(path+".duration", d); ok && !IsDuration(s) {
			c.add(path+".duration", "must be an ISO 8601 duration such as PT4H35M59.14S, not %q", s)
		}
	}
	c.opt(m, path, "extensions", c.extensions)
}

func (c *checker) score(path string, v any) {
	m, ok := c.object(path, v, "scaled", "raw", "min", "max")
	if !ok {
		return
	}
	vals := map[string]float64{}
	for _, k := range []string{"scaled", "raw", "min", "max"} {
		if x, has := m[k]; has {
			if f, ok := c.number(path+"."+k, x); ok {
				vals[k] = f
			}
		}
	}
	if s, ok := vals["scaled"]; ok && (s < -1 || s > 1) {
		c.add(path+".scaled", "must be from -1 to 1")
	}
	lo, hasMin := vals["min"]
	hi, hasMax := vals["max"]
	if hasMin && hasMax && lo >= hi {
		c.add(path+".min", "must be less than max")
	}
	if r, ok := vals["raw"]; ok {
		if hasMin && r < lo {
			c.add(path+".raw", "must not be below min")
		}
		if hasMax && r > hi {
			c.add(path+".raw", "must not be above max")
		}
	}
}

func (c *checker) context(path string, v any, objectType string) {
	m, ok := c.object(path, v, "registration", "instructor", "team", "contextActivities", "revision", "platform",
		"language", "statement", "extensions")
	if !ok {
		return
	}
	c.opt(m, path, "registration", c.uuid)
	c.opt(m, path, "instructor", c.agentOrGroup)
	if t, ok := m["team"]; ok {
		if tm, ok := t.(map[string]any); !ok || tm["objectType"] != "Group" {
			c.add(path+".team", "must be a Group (objectType Group)")
		} else {
			c.group(path+".team", tm)
		}
	}
	if ca, ok := m["contextActivities"]; ok {
		if cm, ok := c.object(path+".contextActivities", ca, "parent", "grouping", "category", "other"); ok {
			for k, val := range cm {
				p := path + ".contextActivities." + k
				if list, ok := val.([]any); ok {
					for i, a := range list {
						c.activityObject(fmt.Sprintf("%s[%d]", p, i), a)
					}
				} else {
					c.activityObject(p, val)
				}
			}
		}
	}
	for _, k := range []string{"revision", "platform"} {
		if s, ok := m[k]; ok {
			c.str(path+"."+k, s)
			if objectType != "" && objectType != "Activity" {
				c.add(path+"."+k, "may be used only when the statement's object is an Activity")
			}
		}
	}
	if l, ok := m["language"]; ok {
		if s, ok := c.str(path+".language", l); ok && !IsLanguageTag(s) {
			c.add(path+".language", "is not an RFC 5646 language tag")
		}
	}
	c.opt(m, path, "statement", c.statementRef)
	c.opt(m, path, "extensions", c.extensions)
}

// activityObject checks an Activity inside contextActivities.
func (c *checker) activityObject(path string, v any) {
	if m, ok := v.(map[string]any); ok {
		if ot, has := m["objectType"]; has && ot != "Activity" {
			c.add(path+".objectType", "must be Activity")
			return
		}
	}
	c.activity(path, v)
}

func (c *checker) attachments(path string, v any) {
	list, ok := v.([]any)
	if !ok {
		c.add(path, "must be an array of attachments")
		return
	}
	for i, item := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		m, ok := c.object(p, item, "usageType", "display", "description", "contentType", "length", "sha2", "fileUrl")
		if !ok {
			continue
		}
		for _, k := range []string{"usageType", "display", "contentType", "length", "sha2"} {
			if _, has := m[k]; !has {
				c.add(p+"."+k, "is required")
			}
		}
		c.opt(m, p, "usageType", c.iri)
		c.opt(m, p, "display", c.langMap)
		c.opt(m, p, "description", c.langMap)
		if ct, ok := m["contentType"]; ok {
			if s, ok := c.str(p+".contentType", ct); ok {
				if mt, _, err := mime.ParseMediaType(s); err != nil || !strings.Contains(mt, "/") {
					c.add(p+".contentType", "must be an Internet media type such as text/plain")
				}
			}
		}
		if l, ok := m["length"]; ok {
			n, isNum := l.(json.Number)
			if i, err := strconv.ParseInt(string(n), 10, 64); !isNum || err != nil || i < 0 {
				c.add(p+".length", "must be a whole number of bytes")
			}
		}
		if s, ok := m["sha2"]; ok {
			if h, ok := c.str(p+".sha2", s); ok && !sha2Re.MatchString(h) {
				c.add(p+".sha2", "must be the hex SHA-2 hash of the attachment")
			}
		}
		c.opt(m, p, "fileUrl", c.iri)
	}
}

// CheckAgent checks an agent given as a query parameter or in a document
// request: an Agent, or an identified Group (one IFI, so it has an identity).
func CheckAgent(v any) Problems {
	var c checker
	m, ok := v.(map[string]any)
	if ok && m["objectType"] == "Group" {
		c.group("", m)
		if c.countIFIs(m) != 1 {
			c.add("", "a Group given here must be identified by exactly one IFI")
		}
	} else {
		c.agent("", v)
	}
	return c.p
}
