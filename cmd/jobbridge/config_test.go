package main

import "testing"

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		ok   bool
		list int
	}{
		{"", true, 0},
		{"10.0.0.1", true, 1},
		{" 10.0.0.0/8, ::1 ,", true, 2},
		{"proxy.local", false, 1},
		{"10.0.0.0/33", false, 1},
	} {
		c := config{TrustedProxies: tc.in, Fixtures: "auto", LogLevel: "info"}
		if err := c.check(); (err == nil) != tc.ok {
			t.Errorf("%q: check %v", tc.in, err)
		}
		if got := len(c.proxies()); got != tc.list {
			t.Errorf("%q: %d proxies, want %d", tc.in, got, tc.list)
		}
	}
}
