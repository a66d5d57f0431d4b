package engine

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// QuotaPolicy is the figures of the disability employment quota and its levy
// (残疾人就业保障金) for one levy year: the share of staff an employer must
// employ, the social average wage that caps the wage base, and the
// reduction in force, if any. Every figure names its source.
type QuotaPolicy struct {
	Year int `json:"year"`
	// Ratio is the required share of staff (Shanghai: 0.015).
	Ratio float64 `json:"ratio"`
	// SocialAverageMonthlyWage is the published average monthly wage of the
	// year named by WageYear (the year before the levy year), in yuan.
	SocialAverageMonthlyWage int `json:"socialAverageMonthlyWage"`
	WageYear                 int `json:"wageYear"`
	// WageCapMultiple caps the wage base at this many social average wages (2).
	WageCapMultiple float64 `json:"wageCapMultiple"`
	// Provisional marks a wage figure carried forward until the year's is published.
	Provisional bool `json:"provisional,omitempty"`
	// Reduction is the levy reduction in force, nil when none.
	Reduction *LevyReduction `json:"reduction,omitempty"`
	Sources   []string       `json:"sources"`
}

// LevyReduction is a time-limited national reduction of the levy: small
// employers are exempt, the rest pay a share that depends on how close they
// come to the quota.
type LevyReduction struct {
	ExemptMaxStaff int     `json:"exemptMaxStaff"` // staff ≤ this: no levy (30)
	ThresholdRatio float64 `json:"thresholdRatio"` // counted ÷ staff at or above: RateAtOrAbove (0.01)
	RateAtOrAbove  float64 `json:"rateAtOrAbove"`  // 0.5
	RateBelow      float64 `json:"rateBelow"`      // 0.9
	Until          string  `json:"until"`          // last day in force, YYYY-MM-DD
	Source         string  `json:"source"`
}

// QuotaPolicies is the configuration table of quota policies, one per levy year.
type QuotaPolicies []QuotaPolicy

// Sources of the default figures (README "Employer quota" lists them too).
const (
	sourceRatioSH   = "上海市残疾人就业保障金征收使用管理实施办法：按上年用人单位在职职工人数的1.5%安排残疾人就业；安排一、二级残疾人的，每安排1人按2人计算 (Shanghai: 1.5% of staff; a level 1–2 employee counts as 2)"
	sourceLevyRules = "财政部《残疾人就业保障金征收使用管理办法》(财税〔2015〕72号)：年缴纳额 =（上年在职职工人数 × 规定比例 − 实际安排残疾人就业人数）× 上年在职职工年平均工资 (national levy formula)"
	sourceWageCap   = "财政部 国家税务总局 2019年第98号公告：职工年平均工资超过当地社会平均工资2倍的，按2倍计征 (wage base capped at twice the local social average wage, from 2020)"
	source2019Cut   = "财政部 2019年第98号公告：2020-01-01至2022-12-31，安排比例1%（含）以上按应缴费额50%缴纳、1%以下按90%缴纳；在职职工30人（含）以下的企业暂免征收"
	source2023Cut   = "财政部 国家税务总局 残联 2023年第8号公告：2023-01-01至2027-12-31，安排比例1%（含）以上按应缴费额50%缴纳、1%以下按90%缴纳；在职职工30人（含）以下的企业暂免征收"
	sourceWageSH    = "上海市人力资源和社会保障局公布的上年度全口径城镇单位就业人员月平均工资 (Shanghai social average monthly wage of the year before, as published)"
)

// DefaultQuotaPolicies are Shanghai's figures for the levy years 2020–2027.
// The social average wage of each row is the published figure of the year
// before; rows whose figure was not yet published carry the latest one
// forward and are marked provisional. Operators replace the table with
// --quota-policy (JSON of the same shape).
var DefaultQuotaPolicies = QuotaPolicies{
	quotaRow(2020, 9580, 2019, false, cut(source2019Cut, "2022-12-31")),
	quotaRow(2021, 10338, 2020, false, cut(source2019Cut, "2022-12-31")),
	quotaRow(2022, 11396, 2021, false, cut(source2019Cut, "2022-12-31")),
	quotaRow(2023, 12183, 2022, false, cut(source2023Cut, "2027-12-31")),
	quotaRow(2024, 12307, 2023, false, cut(source2023Cut, "2027-12-31")),
	quotaRow(2025, 12434, 2024, false, cut(source2023Cut, "2027-12-31")),
	quotaRow(2026, 12434, 2024, true, cut(source2023Cut, "2027-12-31")),
	quotaRow(2027, 12434, 2024, true, cut(source2023Cut, "2027-12-31")),
}

func quotaRow(year, wage, wageYear int, provisional bool, r *LevyReduction) QuotaPolicy {
	return QuotaPolicy{Year: year, Ratio: 0.015, SocialAverageMonthlyWage: wage, WageYear: wageYear, WageCapMultiple: 2,
		Provisional: provisional, Reduction: r, Sources: []string{sourceRatioSH, sourceLevyRules, sourceWageCap, sourceWageSH}}
}

func cut(source, until string) *LevyReduction {
	return &LevyReduction{ExemptMaxStaff: 30, ThresholdRatio: 0.01, RateAtOrAbove: 0.5, RateBelow: 0.9, Until: until, Source: source}
}

// Check validates a table: one row per year, figures in range, a reduction's end date readable.
func (t QuotaPolicies) Check() error {
	var p Problems
	seen := map[int]bool{}
	for i, q := range t {
		f := func(name string) string { return fmt.Sprintf("[%d].%s", i, name) }
		if q.Year < 2000 || q.Year > 2100 || seen[q.Year] {
			p.Add(f("year"), "must be a year from 2000 to 2100, once")
		}
		seen[q.Year] = true
		if q.Ratio <= 0 || q.Ratio >= 1 {
			p.Add(f("ratio"), "must be between 0 and 1")
		}
		if q.SocialAverageMonthlyWage <= 0 {
			p.Add(f("socialAverageMonthlyWage"), "must be positive")
		}
		if q.WageCapMultiple <= 0 {
			p.Add(f("wageCapMultiple"), "must be positive")
		}
		if r := q.Reduction; r != nil {
			if _, err := ParseDate(r.Until); err != nil {
				p.Add(f("reduction.until"), "must be a date YYYY-MM-DD")
			}
			if r.RateAtOrAbove < 0 || r.RateAtOrAbove > 1 || r.RateBelow < 0 || r.RateBelow > 1 {
				p.Add(f("reduction"), "rates must be from 0 to 1")
			}
		}
	}
	return p.Err()
}

// For returns the policy of a levy year; ENOTFOUND when the table has none.
func (t QuotaPolicies) For(year int) (*QuotaPolicy, error) {
	for i := range t {
		if t[i].Year == year {
			return &t[i], nil
		}
	}
	years := make([]int, len(t))
	for i, q := range t {
		years[i] = q.Year
	}
	slices.Sort(years)
	span := "none"
	if len(years) > 0 {
		span = fmt.Sprintf("%d–%d", years[0], years[len(years)-1])
	}
	return nil, Errorf(ENOTFOUND, "no quota policy is configured for %d (configured: %s)", year, span)
}

// Quota is an employer's quota answer for a levy year, with the reasons.
type Quota struct {
	EmployerID string `json:"employerId"`
	Year       int    `json:"year"`
	Staff      int    `json:"staff"`
	// Required = staff × ratio.
	Required float64 `json:"required"`
	// Counted = 2 × level12 + level34.
	Counted       int           `json:"counted"`
	DisabledStaff DisabledStaff `json:"disabledStaff"`
	// Shortfall = max(0, required − counted).
	Shortfall float64 `json:"shortfall"`
	// CountedRatio = counted ÷ staff (0 without staff).
	CountedRatio float64 `json:"countedRatio"`
	// WageBase = min(avgMonthlyWage, cap × social average); WageCapped says the cap applied.
	AvgMonthlyWage int     `json:"avgMonthlyWage"`
	WageCap        float64 `json:"wageCap"`
	WageBase       float64 `json:"wageBase"`
	WageCapped     bool    `json:"wageCapped"`
	// LevyBeforeReduction = shortfall × wage base × 12, in yuan.
	LevyBeforeReduction float64 `json:"levyBeforeReduction"`
	// Exempt: the reduction exempts employers of this size. Rate is the share paid.
	Exempt bool    `json:"exempt"`
	Rate   float64 `json:"rate"`
	// LevyAfterReduction is what the employer pays, in yuan.
	LevyAfterReduction float64     `json:"levyAfterReduction"`
	Why                []Note      `json:"why"`
	Policy             QuotaPolicy `json:"policy"`
}

// ComputeQuota applies a levy year's policy to an employer (DESIGN §8).
func ComputeQuota(e *Employer, pol *QuotaPolicy) *Quota {
	q := &Quota{EmployerID: e.ID, Year: pol.Year, Staff: e.Staff, DisabledStaff: e.DisabledStaff,
		AvgMonthlyWage: e.AvgMonthlyWage, Policy: *pol, Rate: 1}
	// People are counted in millionths, so 31 × 1.5% is exactly 0.465 and the
	// 1% boundary is an integer comparison.
	ratioPPM := int64(math.Round(pol.Ratio * 1e6))
	requiredPPM := int64(e.Staff) * ratioPPM
	q.Counted = 2*e.DisabledStaff.Level12 + e.DisabledStaff.Level34
	shortfallPPM := max(0, requiredPPM-int64(q.Counted)*1e6)
	q.Required, q.Shortfall = float64(requiredPPM)/1e6, float64(shortfallPPM)/1e6
	if e.Staff > 0 {
		q.CountedRatio = math.Round(float64(q.Counted)/float64(e.Staff)*1e6) / 1e6
	}
	q.WageCap = round2(pol.WageCapMultiple * float64(pol.SocialAverageMonthlyWage))
	q.WageBase = math.Min(float64(e.AvgMonthlyWage), q.WageCap)
	q.WageCapped = float64(e.AvgMonthlyWage) > q.WageCap
	q.LevyBeforeReduction = round2(q.Shortfall * q.WageBase * 12)

	pct := func(v float64) string { return strconv.FormatFloat(math.Round(v*1e6)/1e4, 'f', -1, 64) + "%" }
	why := func(zh, en string, args ...any) {
		q.Why = append(q.Why, Note{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)})
	}
	why("应安排 %d × %s = %g 人；已安排按 2 × %d（一、二级）+ %d（三、四级）= %d 人计",
		"required %d × %s = %g; counted 2 × %d (level 1–2) + %d (level 3–4) = %d",
		e.Staff, pct(pol.Ratio), q.Required, e.DisabledStaff.Level12, e.DisabledStaff.Level34, q.Counted)
	if q.Shortfall == 0 {
		why("已达到安排比例，无需缴纳保障金", "the quota is met: no levy")
	} else {
		why("差额 %g 人", "shortfall %g", q.Shortfall)
		if q.WageCapped {
			q.Why = append(q.Why, Note{
				Zh: fmt.Sprintf("职工月平均工资 %d 元超过社会平均工资 %d 元（%d年）的 %g 倍，按 %.2f 元计征",
					e.AvgMonthlyWage, pol.SocialAverageMonthlyWage, pol.WageYear, pol.WageCapMultiple, q.WageCap),
				En: fmt.Sprintf("average monthly wage %d exceeds %g × the social average wage %d (%d): the base is capped at %.2f",
					e.AvgMonthlyWage, pol.WageCapMultiple, pol.SocialAverageMonthlyWage, pol.WageYear, q.WageCap)})
		} else {
			why("按职工月平均工资 %d 元计征（未超过社会平均工资的 %g 倍，%.2f 元）",
				"wage base: the average monthly wage %d (within %g × the social average wage, %.2f)",
				e.AvgMonthlyWage, pol.WageCapMultiple, q.WageCap)
		}
		why("减免前：%g × %.2f × 12 = %.2f 元", "before any reduction: %g × %.2f × 12 = %.2f yuan",
			q.Shortfall, q.WageBase, q.LevyBeforeReduction)
	}
	r := pol.Reduction
	switch {
	case r == nil:
		if q.Shortfall > 0 {
			why("%d年未配置减免政策，全额缴纳", "no reduction is configured for %d: the full levy is due", pol.Year)
		}
	case e.Staff <= r.ExemptMaxStaff:
		q.Exempt, q.Rate = true, 0
		why("在职职工 %d 人，不超过 %d 人，暂免征收（至 %s）", "%d staff, at most %d: exempt (until %s)", e.Staff, r.ExemptMaxStaff, r.Until)
	case q.Shortfall == 0:
	case int64(q.Counted)*1e6 >= int64(math.Round(r.ThresholdRatio*1e6))*int64(e.Staff):
		q.Rate = r.RateAtOrAbove
		why("安排比例 %s 达到 %s，按应缴额的 %s 缴纳（至 %s）", "counted ratio %s is at least %s: %s of the levy is due (until %s)",
			pct(q.CountedRatio), pct(r.ThresholdRatio), pct(r.RateAtOrAbove), r.Until)
	default:
		q.Rate = r.RateBelow
		why("安排比例 %s 低于 %s，按应缴额的 %s 缴纳（至 %s）", "counted ratio %s is below %s: %s of the levy is due (until %s)",
			pct(q.CountedRatio), pct(r.ThresholdRatio), pct(r.RateBelow), r.Until)
	}
	q.LevyAfterReduction = round2(q.LevyBeforeReduction * q.Rate)
	if pol.Provisional {
		why("%d年的社会平均工资尚未公布，暂用 %d 年数据", "the social average wage for %d is not published yet: the %d figure is used",
			pol.Year-1, pol.WageYear)
	}
	return q
}

// Quota answers an employer's quota for a levy year (0 = this year in Asia/Shanghai).
func (s *Service) Quota(employerID string, year int) (*Quota, error) {
	e, ok := s.Employer(employerID)
	if !ok {
		return nil, Errorf(ENOTFOUND, "employer %s not found", employerID)
	}
	if year == 0 {
		year = s.Clock.Now().In(Shanghai).Year()
	}
	table := s.QuotaPolicies
	if table == nil {
		table = DefaultQuotaPolicies
	}
	pol, err := table.For(year)
	if err != nil {
		return nil, err
	}
	return ComputeQuota(e, pol), nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
