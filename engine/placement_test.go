package engine

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScheduleFollowUps(t *testing.T) {
	got := ScheduleFollowUps("2026-01-31")
	want := []string{"2026-03-02", "2026-05-01", "2026-07-30", "2027-01-31"}
	if len(got) != 4 {
		t.Fatalf("got %d follow-ups", len(got))
	}
	for i, f := range got {
		if f.Kind != FollowUpKinds[i] || f.Due != want[i] || f.Status != FollowUpScheduled {
			t.Errorf("follow-up %d = %+v, want %s due %s scheduled", i, f, FollowUpKinds[i], want[i])
		}
	}
}

func TestFollowUpStatusOn(t *testing.T) {
	tests := []struct{ today, want string }{
		{"2026-03-01", FollowUpScheduled},
		{"2026-03-02", FollowUpDue}, // the due date
		{"2026-03-08", FollowUpDue},
		{"2026-03-09", FollowUpOverdue}, // 7 days after
		{"2026-04-30", FollowUpOverdue},
		{"2026-05-01", FollowUpMissed}, // 60 days after
	}
	for _, tt := range tests {
		if got := followUpStatusOn("2026-03-02", tt.today); got != tt.want {
			t.Errorf("on %s: %s, want %s", tt.today, got, tt.want)
		}
	}
}

func employed(same bool, wage int) *FollowUpOutcome {
	return &FollowUpOutcome{Employed: true, SameEmployer: same, MonthlyWage: wage}
}

func TestPlacementAdvance(t *testing.T) {
	done := func(p *Placement, kind string, o *FollowUpOutcome) *Placement {
		f := p.FollowUp(kind)
		f.Status, f.Outcome = FollowUpDone, o
		return p
	}
	fresh := func() *Placement {
		return &Placement{Meta: Meta{ID: "pl-1"}, Start: "2026-01-01", Status: PlacementActive, FollowUps: ScheduleFollowUps("2026-01-01")}
	}
	tests := []struct {
		name       string
		p          *Placement
		today      string
		wantStatus string
		wantFU     []string // statuses of 30d, 90d, 180d, 365d
		wantMoves  int
	}{
		{"before the first", fresh(), "2026-01-30", PlacementActive, []string{"scheduled", "scheduled", "scheduled", "scheduled"}, 0},
		{"30 days", fresh(), "2026-01-31", PlacementActive, []string{"due", "scheduled", "scheduled", "scheduled"}, 1},
		{"37 days", fresh(), "2026-02-07", PlacementActive, []string{"overdue", "scheduled", "scheduled", "scheduled"}, 1},
		{"90 days", fresh(), "2026-04-01", PlacementActive, []string{"missed", "due", "scheduled", "scheduled"}, 2},
		{"90 days done employed", done(fresh(), FollowUp90, employed(true, 5000)), "2026-04-01", PlacementSuccessful,
			[]string{"missed", "done", "scheduled", "scheduled"}, 2},
		{"90 days done unemployed", done(fresh(), FollowUp90, &FollowUpOutcome{}), "2026-04-01", PlacementEnded,
			[]string{"missed", "done", "scheduled", "scheduled"}, 2},
		{"90-day missed", fresh(), "2026-05-31", PlacementEnded, []string{"missed", "missed", "scheduled", "scheduled"}, 3},
		{"done stays done", done(fresh(), FollowUp30, employed(true, 4000)), "2027-01-10", PlacementEnded,
			[]string{"done", "missed", "missed", "overdue"}, 4},
		{"missing follow-ups are added", &Placement{Start: "2026-01-01", Status: PlacementActive}, "2026-01-02", PlacementActive,
			[]string{"scheduled", "scheduled", "scheduled", "scheduled"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moves := tt.p.Advance(tt.today)
			if tt.p.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", tt.p.Status, tt.wantStatus)
			}
			var got []string
			for _, f := range tt.p.FollowUps {
				got = append(got, f.Status)
			}
			if !slices.Equal(got, tt.wantFU) {
				t.Errorf("follow-ups %v, want %v", got, tt.wantFU)
			}
			if len(moves) != tt.wantMoves {
				t.Errorf("%d transitions %v, want %d", len(moves), moves, tt.wantMoves)
			}
			if again := tt.p.Advance(tt.today); len(again) != 0 {
				t.Errorf("a second advance on the same day changed %v", again)
			}
		})
	}
}

func TestAdvanceNeverGoesBack(t *testing.T) {
	p := &Placement{Start: "2026-01-01", Status: PlacementActive, FollowUps: ScheduleFollowUps("2026-01-01")}
	p.Advance("2026-03-01") // a run with --now ahead
	if moves := p.Advance("2026-01-15"); len(moves) != 0 || p.FollowUps[0].Status != FollowUpOverdue {
		t.Fatalf("an earlier run moved %v back to %s", moves, p.FollowUps[0].Status)
	}
}

func TestReferralMoves(t *testing.T) {
	legal := map[[2]string]bool{
		{"referred", "interviewing"}: true, {"referred", "withdrawn"}: true,
		{"interviewing", "hired"}: true, {"interviewing", "rejected"}: true, {"interviewing", "withdrawn"}: true,
	}
	for _, from := range ReferralStatuses {
		for _, to := range ReferralStatuses {
			err := checkMove(&Referral{Meta: Meta{ID: "r-1"}, Status: from}, to)
			if legal[[2]string{from, to}] {
				if err != nil {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			if ErrorCode(err) != ECONFLICT {
				t.Errorf("%s → %s: %v, want a conflict", from, to, err)
				continue
			}
			if allowed := ReferralMoves(from); len(allowed) > 0 && !strings.Contains(err.Error(), orList(allowed)) {
				t.Errorf("%s → %s: %q does not name the allowed moves %v", from, to, err, allowed)
			}
		}
	}
	if err := checkMove(&Referral{Status: "referred"}, "placed"); ErrorCode(err) != EINVALID {
		t.Errorf("an unknown status: %v, want invalid", err)
	}
}

func TestHireTermsCheck(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		terms HireTerms
		ok    bool
	}{
		{HireTerms{}, true},
		{HireTerms{Start: "2026-06-15", MonthlyWage: 5000, WeeklyHours: 40}, true},
		{HireTerms{Start: "2026-13-01"}, false},
		{HireTerms{Start: "2027-06-01"}, false},
		{HireTerms{MonthlyWage: -1}, false},
		{HireTerms{WeeklyHours: 100}, false},
	}
	for _, tt := range tests {
		if err := tt.terms.check(today); (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.terms, err)
		}
	}
}

func TestFollowUpOutcomeCheck(t *testing.T) {
	tests := []struct {
		o  FollowUpOutcome
		ok bool
	}{
		{FollowUpOutcome{Employed: true, SameEmployer: true, MonthlyWage: 5000}, true},
		{FollowUpOutcome{}, true},
		{FollowUpOutcome{SameEmployer: true}, false},
		{FollowUpOutcome{MonthlyWage: 3000}, false},
		{FollowUpOutcome{Employed: true, MonthlyWage: -5}, false},
		{FollowUpOutcome{Employed: true, Note: strings.Repeat("长", 501)}, false},
	}
	for _, tt := range tests {
		if err := tt.o.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.o, err)
		}
	}
}
