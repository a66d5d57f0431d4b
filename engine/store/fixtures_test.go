package store_test

import (
	"testing"

	"jobbridge/engine"
)

// Invented people and places for the tests.

func newSkill(id string) *engine.Skill {
	return &engine.Skill{Meta: engine.Meta{ID: id}, Code: id, Zh: "数据录入", En: "Data entry", Group: "office"}
}

func newSeeker(tb testing.TB, id, first17 string) *engine.Seeker {
	rid := ResidentID(tb, first17)
	return &engine.Seeker{
		Meta:        engine.Meta{ID: id},
		Name:        "测试人" + id,
		Gender:      "female",
		BirthDate:   engine.ResidentBirthDate(rid),
		ResidentID:  rid,
		Certificate: rid + "23",
		Disability:  engine.Disability{Category: "hearing", Level: 3},
		Street:      "tianlin",
		Home:        engine.Geo{Lat: 31.17, Lon: 121.42},
		Abilities:   map[string]int{"vision": 3, "hearing": 1, "walking": 2},
		Skills:      []engine.SkillLevel{{Code: "data-entry", Level: 2}},
		Mobility:    engine.Mobility{Modes: []string{"metro", "walk"}, MaxCommuteMinutes: 45, RemoteOK: true},
		Needs:       []engine.Need{{Code: "sign-language", Essential: true}},
		Preferences: engine.Preferences{MinMonthlyWage: 3500, MaxWeeklyHours: 40},
		Consent:     engine.Consent{ShareWithEmployers: true, Date: "2025-02-01"},
		Status:      "seeking",
		Programs:    []string{"sunshine-home"},
	}
}

func newEmployer(id string) *engine.Employer {
	return &engine.Employer{
		Meta: engine.Meta{ID: id}, Name: "徐汇测试科技有限公司", CreditCode: "91310104MA1FL0000X", Street: "caohejing",
		Staff: 120, AvgMonthlyWage: 9000, DisabledStaff: engine.DisabledStaff{Level12: 1, Level34: 2},
	}
}

func newPost(id string) *engine.Post {
	return &engine.Post{
		Meta: engine.Meta{ID: id}, EmployerID: "e1", Title: "数据录入员", Description: "录入订单数据",
		Skills:         []engine.PostSkill{{Code: "data-entry", Level: 2, Required: true}},
		Demands:        engine.StatedDemands(map[string]int{"vision": 2, "fineMotor": 2}),
		Site:           engine.Site{Lat: 31.16, Lon: 121.40, StepFree: true, Elevator: true},
		WorkMode:       "hybrid",
		Accommodations: []string{"flexible-hours"},
		Hours:          engine.Hours{Weekly: 35},
		MonthlyWage:    5200, Openings: 2, Status: "open", ClosesOn: "2025-06-30",
	}
}

func newClass(id string) *engine.Class {
	return &engine.Class{
		Meta: engine.Meta{ID: id}, Title: "办公软件基础", Description: "Word 与 Excel", Provider: "p1",
		Skills: []engine.SkillLevel{{Code: "office", Level: 1}}, Mode: "onsite",
		Site:          engine.Site{Lat: 31.18, Lon: 121.43, StepFree: true, AccessibleToilet: true},
		Accessibility: []string{"captions"}, Demands: map[string]int{"vision": 2},
		Seats: 20, SeatsTaken: 3, Starts: "2025-04-01", Ends: "2025-05-30",
		Modules:    []engine.Module{{ID: "m1", Title: "Word", Required: true}},
		Completion: engine.Completion{MinProgress: 80, PassScore: 0.6}, Status: "open",
	}
}

func newUser(id, username string) *engine.User {
	return &engine.User{
		Meta: engine.Meta{ID: id}, Username: username, Role: engine.RoleCounsellor, DisplayName: "王老师",
		Street: "tianlin", ClassIDs: []string{"c1"}, PasswordHash: "$argon2id$v=19$fake",
	}
}
