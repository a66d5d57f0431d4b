package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"jobbridge/engine"
)

// loadQuotaPolicies reads the quota policy table from a JSON file: an array
// of engine.QuotaPolicy rows, one per levy year, that replaces
// engine.DefaultQuotaPolicies (README "Employer quota" shows the shape).
func loadQuotaPolicies(path string) (engine.QuotaPolicies, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("quota policy: %w", err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var t engine.QuotaPolicies
	if err := d.Decode(&t); err != nil {
		return nil, fmt.Errorf("quota policy %s: %w", path, err)
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("quota policy %s: no rows", path)
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("quota policy %s: %w", path, err)
	}
	return t, nil
}
