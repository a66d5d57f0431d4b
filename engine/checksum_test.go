package engine

import (
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 12, 1, 0, 0, 0, 0, Shanghai)

func TestCheckResidentID(t *testing.T) {
	cases := []struct {
		id, want string // want: "" for valid, else a fragment of the message
	}{
		{"11010519491231002X", ""},         // the GB 11643 standard's own example
		{"440524188001010014", ""},         // a second published example
		{"310104199005121069", ""},         // synthetic, computed check digit 9
		{"11010519491231002x", "checksum"}, // lower-case x is not the check character (callers upper-case first)
		{"110105194912310021", "checksum"}, // wrong check character
		{"11010519491231002", "18"},        // too short
		{"1101051949123100211", "18"},      // too long
		{"11010519491A31002X", "digits"},   // a letter among the digits
		{"310104199013011234", "date"},     // month 13 (checksum made valid below)
		{"310104203001011234", "future"},   // born in 2030 (checksum made valid below)
	}
	for _, c := range cases {
		id := c.id
		if c.want == "date" || c.want == "future" {
			ch, _ := ResidentIDCheck(id[:17])
			id = id[:17] + string(ch)
		}
		got := CheckResidentID(id, today)
		if c.want == "" && got != "" {
			t.Errorf("%s: %q, want valid", id, got)
		}
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want a message about %q", id, got, c.want)
		}
	}
}

func TestCheckCertificate(t *testing.T) {
	rid := "310104199005121069"
	cases := []struct{ cert, rid, want string }{
		{rid + "42", rid, ""},
		{rid + "14", rid, ""},
		{rid + "74", rid, ""},
		{rid + "82", rid, "category"},
		{rid + "02", rid, "category"},
		{rid + "45", rid, "level"},
		{rid + "40", rid, "level"},
		{"11010519491231002X42", rid, "resident ID"},
		{rid + "4", rid, "20"},
	}
	for _, c := range cases {
		got := CheckCertificate(c.cert, c.rid)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.cert, got, c.want)
		}
	}
	if d := CertificateDisability(rid + "42"); d != (Disability{"physical", 2}) {
		t.Errorf("certificate disability %+v", d)
	}
	if d := CertificateDisability(rid + "71"); d != (Disability{"multiple", 1}) {
		t.Errorf("certificate disability %+v", d)
	}
}

func TestCheckCreditCode(t *testing.T) {
	cases := []struct{ code, want string }{
		{"91350100M000100Y43", ""},         // a published example of GB 32100
		{"91110000600037341L", ""},         // another published example
		{"91350100M000100Y44", "checksum"}, // wrong check character
		{"91350100M000100Y4", "18"},        // too short
		{"91350100M000100I43", "0-9"},      // I is not in the character set
		{"91350100M0001O0Y43", "0-9"},      // nor O
	}
	for _, c := range cases {
		got := CheckCreditCode(c.code)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.code, got, c.want)
		}
	}
	// A check value of 31 − 0 wraps to 0: a code whose weighted sum is a multiple of 31.
	if c, ok := CreditCodeCheck("00000000000000000"); !ok || c != '0' {
		t.Errorf("all zeros: check %q, want '0'", c)
	}
}
