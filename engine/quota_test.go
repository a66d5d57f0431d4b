package engine

import (
	"strings"
	"testing"
	"time"
)

func TestComputeQuota(t *testing.T) {
	y2026, err := DefaultQuotaPolicies.For(2026)
	if err != nil {
		t.Fatal(err)
	}
	noCut := &QuotaPolicy{Year: 2028, Ratio: 0.015, SocialAverageMonthlyWage: 12434, WageYear: 2024, WageCapMultiple: 2}
	emp := func(staff, wage, l12, l34 int) *Employer {
		return &Employer{Meta: Meta{ID: "e-1"}, Staff: staff, AvgMonthlyWage: wage, DisabledStaff: DisabledStaff{Level12: l12, Level34: l34}}
	}
	tests := []struct {
		name                string
		e                   *Employer
		pol                 *QuotaPolicy
		required, shortfall float64
		counted             int
		before, after, rate float64
		exempt, capped      bool
		why                 string
	}{
		{"30 staff are exempt", emp(30, 8000, 0, 0), y2026, 0.45, 0.45, 0, 43200, 0, 0, true, false, "exempt"},
		{"31 staff are not", emp(31, 8000, 0, 0), y2026, 0.465, 0.465, 0, 44640, 40176, 0.9, false, false, "below 1%"},
		{"exactly 1% pays half", emp(200, 9000, 0, 2), y2026, 3, 1, 2, 108000, 54000, 0.5, false, false, "at least 1%"},
		{"just under 1% pays 90%", emp(201, 9000, 0, 2), y2026, 3.015, 1.015, 2, 109620, 98658, 0.9, false, false, "below 1%"},
		{"a level 1–2 employee counts double", emp(200, 9000, 1, 0), y2026, 3, 1, 2, 108000, 54000, 0.5, false, false, "2 × 1 (level 1–2)"},
		{"the wage base is capped at twice the social average", emp(100, 30000, 0, 0), y2026, 1.5, 1.5, 0, 447624, 402861.6, 0.9, false, true, "capped at 24868.00"},
		{"the quota met owes nothing", emp(100, 9000, 1, 0), y2026, 1.5, 0, 2, 0, 0, 1, false, false, "no levy"},
		{"a year with no reduction: full levy, no exemption", emp(20, 8000, 0, 0), noCut, 0.3, 0.3, 0, 28800, 28800, 1, false, false, "no reduction"},
		{"no staff", emp(0, 0, 0, 0), y2026, 0, 0, 0, 0, 0, 0, true, false, "exempt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ComputeQuota(tt.e, tt.pol)
			if q.Required != tt.required || q.Shortfall != tt.shortfall || q.Counted != tt.counted {
				t.Errorf("required %v shortfall %v counted %d, want %v %v %d", q.Required, q.Shortfall, q.Counted, tt.required, tt.shortfall, tt.counted)
			}
			if q.LevyBeforeReduction != tt.before || q.LevyAfterReduction != tt.after || q.Rate != tt.rate {
				t.Errorf("levy %v → %v at rate %v, want %v → %v at %v", q.LevyBeforeReduction, q.LevyAfterReduction, q.Rate, tt.before, tt.after, tt.rate)
			}
			if q.Exempt != tt.exempt || q.WageCapped != tt.capped {
				t.Errorf("exempt %v capped %v, want %v %v", q.Exempt, q.WageCapped, tt.exempt, tt.capped)
			}
			var why []string
			for _, n := range q.Why {
				why = append(why, n.En)
				if n.Zh == "" {
					t.Errorf("reason %q has no Chinese", n.En)
				}
			}
			if !strings.Contains(strings.Join(why, "; "), tt.why) {
				t.Errorf("reasons %q do not say %q", why, tt.why)
			}
		})
	}
}

func TestQuotaPolicies(t *testing.T) {
	if err := DefaultQuotaPolicies.Check(); err != nil {
		t.Fatalf("default table: %v", err)
	}
	for y := 2023; y <= 2027; y++ {
		p, err := DefaultQuotaPolicies.For(y)
		if err != nil {
			t.Fatal(err)
		}
		if r := p.Reduction; r == nil || r.Until != "2027-12-31" || r.ExemptMaxStaff != 30 || r.RateAtOrAbove != 0.5 || r.RateBelow != 0.9 || r.ThresholdRatio != 0.01 {
			t.Errorf("%d: reduction %+v", y, p.Reduction)
		}
		if p.Ratio != 0.015 || p.WageCapMultiple != 2 || len(p.Sources) == 0 {
			t.Errorf("%d: %+v", y, p)
		}
	}
	if _, err := DefaultQuotaPolicies.For(2031); ErrorCode(err) != ENOTFOUND {
		t.Errorf("2031: %v, want not found", err)
	}
	bad := QuotaPolicies{{Year: 2026, Ratio: 0.015, SocialAverageMonthlyWage: 1, WageCapMultiple: 2},
		{Year: 2026, Ratio: 1.5, WageCapMultiple: 2, Reduction: &LevyReduction{Until: "soon", RateBelow: 2}}}
	err := bad.Check()
	for _, f := range []string{"[1].year", "[1].ratio", "[1].socialAverageMonthlyWage", "[1].reduction.until", "[1].reduction"} {
		if err == nil || !strings.Contains(err.Error(), f+":") {
			t.Errorf("check does not name %s: %v", f, err)
		}
	}
}

func TestServiceQuotaYear(t *testing.T) {
	s := NewService(nil, nil, fixedClock{time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)}) // 2027-01-01 in Shanghai
	s.employers["e-1"] = &Employer{Meta: Meta{ID: "e-1"}, Staff: 100, AvgMonthlyWage: 9000}
	q, err := s.Quota("e-1", 0)
	if err != nil || q.Year != 2027 {
		t.Fatalf("default year: %+v %v", q, err)
	}
	s.QuotaPolicies = QuotaPolicies{{Year: 2030, Ratio: 0.02, SocialAverageMonthlyWage: 15000, WageCapMultiple: 3}}
	if q, err = s.Quota("e-1", 2030); err != nil || q.Required != 2 || q.Rate != 1 {
		t.Fatalf("configured table: %+v %v", q, err)
	}
	if _, err := s.Quota("e-1", 2027); ErrorCode(err) != ENOTFOUND {
		t.Errorf("a year outside the configured table: %v", err)
	}
	if _, err := s.Quota("e-9", 2030); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown employer: %v", err)
	}
}
