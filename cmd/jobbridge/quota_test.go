package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadQuotaPolicies(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `[{"year":2028,"ratio":0.015,"socialAverageMonthlyWage":13000,"wageYear":2027,"wageCapMultiple":2,
		"sources":["test"]},{"year":2027,"ratio":0.015,"socialAverageMonthlyWage":12800,"wageYear":2026,"wageCapMultiple":2,
		"reduction":{"exemptMaxStaff":30,"thresholdRatio":0.01,"rateAtOrAbove":0.5,"rateBelow":0.9,"until":"2027-12-31","source":"test"}}]`)
	tbl, err := loadQuotaPolicies(good)
	if err != nil || len(tbl) != 2 {
		t.Fatalf("%v %v", tbl, err)
	}
	if p, err := tbl.For(2028); err != nil || p.Reduction != nil || p.SocialAverageMonthlyWage != 13000 {
		t.Fatalf("2028: %+v %v", p, err)
	}
	for name, body := range map[string]string{
		"unknown.json": `[{"year":2028,"ratio":0.015,"socialAverageMonthlyWage":13000,"wageCapMultiple":2,"levy":1}]`,
		"bad.json":     `[{"year":2028,"ratio":2,"socialAverageMonthlyWage":13000,"wageCapMultiple":2}]`,
		"empty.json":   `[]`,
		"notjson.json": `ratio: 1.5%`,
	} {
		if _, err := loadQuotaPolicies(write(name, body)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := loadQuotaPolicies(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file loaded")
	}
}
