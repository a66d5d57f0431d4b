package engine

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"strings"
)

var dimensionZh = [NDims]string{"视力", "听力", "言语", "行走", "站立", "搬举", "精细动作", "耐力", "认知", "社交", "抗压"}

var dimensionEn = [NDims]string{"vision", "hearing", "speech", "walking", "standing", "lifting",
	"fine motor", "stamina", "cognition", "social", "stress"}

var needZh = map[string]string{
	"sign-language": "手语翻译", "screen-reader": "读屏软件", "seated-work": "坐姿工作",
	"flexible-hours": "弹性工时", "quiet-space": "安静空间", "accessible-toilet": "无障碍卫生间",
	"job-coach": "就业辅导员", "large-print": "大字材料",
}

func needEn(code string) string { return strings.ReplaceAll(code, "-", " ") }

// commuteNote: "通勤约 18 分钟（地铁）" / "about 18 min by metro".
func commuteNote(mode uint8, minutes float64, travel int8, class bool) Note {
	if mode == modeRemote {
		if class {
			return Note{Zh: "远程课程，无需通勤", En: "remote class, no commute"}
		}
		return Note{Zh: "远程工作，无需通勤", En: "remote work, no commute"}
	}
	m := max(1, int(math.Round(minutes)))
	zhMode, enMode := "", ""
	if travel >= 0 {
		zhMode, enMode = travels[travel].Zh, travels[travel].Mode
		if enMode == "accessible-taxi" {
			enMode = "accessible taxi"
		}
	}
	n := Note{Zh: fmt.Sprintf("通勤约 %d 分钟（%s）", m, zhMode), En: fmt.Sprintf("about %d min by %s", m, enMode)}
	switch {
	case mode == modeHybrid && class:
		n.Zh = fmt.Sprintf("通勤约 %d 分钟（%s，线上线下结合）", m, zhMode)
		n.En += " (partly online)"
	case mode == modeHybrid:
		n.Zh = fmt.Sprintf("通勤约 %d 分钟（%s，混合办公）", m, zhMode)
		n.En += " (hybrid)"
	}
	return n
}

// postSkillsNote: "具备 2/3 项所需技能" / "has 2 of 3 required skills".
func postSkillsNote(ps []pskill, levels []int8) Note {
	if len(ps) == 0 {
		return Note{Zh: "岗位未列技能要求", En: "no skills listed"}
	}
	var req, reqFull, reqBelow, nice, niceFull int
	for _, s := range ps {
		have := levels[s.code]
		if s.required {
			req++
			switch {
			case have >= s.level:
				reqFull++
			case have >= s.need:
				reqBelow++
			}
		} else {
			nice++
			if have >= s.level {
				niceFull++
			}
		}
	}
	var zh, en []string
	if req > 0 {
		zh = append(zh, fmt.Sprintf("具备 %d/%d 项所需技能", reqFull, req))
		en = append(en, fmt.Sprintf("has %d of %d required skills", reqFull, req))
		if reqBelow > 0 {
			zh = append(zh, fmt.Sprintf("%d 项低一级", reqBelow))
			en = append(en, fmt.Sprintf("%d one level below", reqBelow))
		}
	}
	if nice > 0 {
		zh = append(zh, fmt.Sprintf("加分技能 %d/%d 项", niceFull, nice))
		en = append(en, fmt.Sprintf("%d of %d nice-to-have", niceFull, nice))
	}
	return Note{Zh: strings.Join(zh, "，"), En: strings.Join(en, ", ")}
}

// classSkillsNote: "可提升 2/3 项所教技能" / "would gain 2 of 3 taught skills".
func classSkillsNote(cs []qskill, levels []int8) Note {
	if len(cs) == 0 {
		return Note{Zh: "课程未列出所教技能", En: "teaches no listed skills"}
	}
	gain := 0
	for _, s := range cs {
		if levels[s.code] < s.level {
			gain++
		}
	}
	return Note{Zh: fmt.Sprintf("可提升 %d/%d 项所教技能", gain, len(cs)),
		En: fmt.Sprintf("would gain %d of %d taught skills", gain, len(cs))}
}

// skillNames names an interned skill code: the code and its catalog names
// (empty when the catalog has none, as in the brute force, which has no catalog).
type skillNames func(id uint32) (code, zh, en string)

// audience says whose file a post's notes speak of: the seeker's own matches
// ("your strengths") or a post's candidates ("the seeker's strengths").
type audience bool

const (
	forSeeker    audience = false
	forCandidate audience = true
)

// strengthsNote: "用上了您的 2 项专长：CAD 制图、数据录入" / "uses 2 of your strengths: CAD drafting, data entry".
func (q *seekerQ) strengthsNote(p *postC, levels []int8, names skillNames, who audience) Note {
	whose := [2]string{"您的", "your"}
	if who == forCandidate {
		whose = [2]string{"求职者的", "the seeker's"}
	}
	if q.strengths == 0 {
		if who == forCandidate {
			return Note{Zh: "求职者尚无二级以上专长", En: "the seeker has no skills at level 2 or above yet"}
		}
		return Note{Zh: "尚无二级以上专长", En: "no skills at level 2 or above yet"}
	}
	var zh, en []string
	for i := range p.skills {
		s := &p.skills[i]
		if q.have(s.code, levels) < 2 || listedBefore(p.skills[:i], s.code) {
			continue
		}
		code, z, e := names(s.code)
		zh, en = append(zh, cmp.Or(z, code)), append(en, cmp.Or(e, code))
	}
	if len(zh) == 0 {
		return Note{Zh: "没有用上" + whose[0] + "专长", En: "uses none of " + whose[1] + " strengths"}
	}
	return Note{Zh: fmt.Sprintf("用上了%s %d 项专长：%s", whose[0], len(zh), strings.Join(zh, "、")),
		En: fmt.Sprintf("uses %d of %s strengths: %s", len(en), whose[1], strings.Join(en, ", "))}
}

var classStrengthsNote = Note{Zh: "培训课程不计专长", En: "a class: strengths do not count"}

// fitNote names the dimensions whose demand is one level above capacity.
func fitNote(capacity, demand uint64) Note {
	m := overByOne(capacity, demand)
	if m == 0 {
		return Note{Zh: "各项能力均满足要求", En: "capacity meets every demand"}
	}
	var zh, en []string
	for i := range NDims {
		if m&(1<<i) != 0 {
			zh = append(zh, dimensionZh[i])
			en = append(en, dimensionEn[i])
		}
	}
	n := bits.OnesCount16(m)
	unit := "demand"
	if n > 1 {
		unit = "demands"
	}
	return Note{Zh: fmt.Sprintf("%d 项要求比能力高一级：%s", n, strings.Join(zh, "、")),
		En: fmt.Sprintf("%d %s one level above capacity: %s", n, unit, strings.Join(en, ", "))}
}

// accNote: which wished-for (non-essential) accommodations are offered.
func accNote(wished, offered uint8) Note {
	if wished == 0 {
		return Note{Zh: "没有非必需的便利需求", En: "no wished-for accommodations"}
	}
	got := bits.OnesCount8(wished & offered)
	all := bits.OnesCount8(wished)
	n := Note{Zh: fmt.Sprintf("提供 %d/%d 项期望的便利", got, all),
		En: fmt.Sprintf("offers %d of %d wished-for accommodations", got, all)}
	if lack := needNames(wished &^ offered); len(lack) > 0 {
		zh := make([]string, len(lack))
		en := make([]string, len(lack))
		for i, c := range lack {
			zh[i], en[i] = needZh[c], needEn(c)
		}
		n.Zh += "，缺：" + strings.Join(zh, "、")
		n.En += "; missing: " + strings.Join(en, ", ")
	}
	return n
}

// prefNote: "月薪 6000 元，高于期望 5000 元" / "pays 6000 yuan a month, above the 5000 wished".
func prefNote(wage, minWage int32) Note {
	switch {
	case minWage <= 0:
		return Note{Zh: fmt.Sprintf("月薪 %d 元（未设期望）", wage), En: fmt.Sprintf("pays %d yuan a month (no minimum set)", wage)}
	case wage > minWage:
		return Note{Zh: fmt.Sprintf("月薪 %d 元，高于期望 %d 元", wage, minWage),
			En: fmt.Sprintf("pays %d yuan a month, above the %d wished", wage, minWage)}
	case wage == minWage:
		return Note{Zh: fmt.Sprintf("月薪 %d 元，达到期望", wage), En: fmt.Sprintf("pays %d yuan a month, as wished", wage)}
	}
	return Note{Zh: fmt.Sprintf("月薪 %d 元，低于期望 %d 元", wage, minWage),
		En: fmt.Sprintf("pays %d yuan a month, below the %d wished", wage, minWage)}
}

var classPrefNote = Note{Zh: "培训课程不涉及薪资", En: "a class: pay does not apply"}

// postResult explains a ranked post (or, for candidates, a ranked seeker).
// levels holds the seeker's skill levels by code.
func (q *seekerQ) postResult(p *postC, id, title string, h *hit, levels []int8, names skillNames, who audience) MatchResult {
	return MatchResult{
		ID: id, Title: title, Score: h.score, CommuteMinutes: h.minutes,
		Factors: map[string]Factor{
			FactorSkills:         {h.f.skills, postSkillsNote(p.skills, levels)},
			FactorStrengths:      {h.f.strengths, q.strengthsNote(p, levels, names, who)},
			FactorFit:            {h.f.fit, fitNote(q.capP, p.dem)},
			FactorCommute:        {h.f.commute, commuteNote(p.mode(), h.minutes, h.mode, false)},
			FactorAccommodations: {h.f.acc, accNote(q.wished, p.offered)},
			FactorPreferences:    {h.f.pref, prefNote(p.wage, q.minWage)},
		},
	}
}

// classResult explains a ranked class.
func (q *seekerQ) classResult(c *classC, h *hit, levels []int8) MatchResult {
	return MatchResult{
		ID: c.id, Title: c.title, Score: h.score, CommuteMinutes: h.minutes,
		Factors: map[string]Factor{
			FactorSkills:         {h.f.skills, classSkillsNote(c.skills, levels)},
			FactorStrengths:      {h.f.strengths, classStrengthsNote},
			FactorFit:            {h.f.fit, fitNote(q.capP, c.dem)},
			FactorCommute:        {h.f.commute, commuteNote(c.mode, h.minutes, h.mode, true)},
			FactorAccommodations: {h.f.acc, accNote(q.wished, c.offered)},
			FactorPreferences:    {h.f.pref, classPrefNote},
		},
	}
}
