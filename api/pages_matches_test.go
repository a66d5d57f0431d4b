package api_test

import (
	"regexp"
	"strings"
	"testing"
)

// excludedSection is the "what was left out" part of a matches page.
var excludedSection = regexp.MustCompile(`(?s)<section class="excluded".*?</section>`)

// TestRuleNames: the rules that left results out are named for what they
// apply to: a class is not open, full or ended, never "post closed".
func TestRuleNames(t *testing.T) {
	t.Parallel()
	trainingWorld(t) // c-full: one seat, taken
	for _, tc := range []struct {
		lang, path, want string
		not              []string
	}{
		{"zh-CN", "/seekers/s-x/matches?type=classes", "规则 1：培训班未开放、已满员或已结束", []string{"岗位", "工作地点"}},
		{"en", "/seekers/s-x/matches?type=classes", "Rule 1: the class is not open, is full or has ended", []string{"closed, or past", "the site has"}},
	} {
		b := newBrowser(t, tc.lang).login("couns-x")
		_, page := b.get(tc.path)
		sec := excludedSection.FindString(page)
		if !strings.Contains(sec, tc.want) {
			t.Errorf("%s %s: the excluded counts do not say %q:\n%s", tc.lang, tc.path, tc.want, sec)
		}
		for _, bad := range tc.not {
			if strings.Contains(sec, bad) {
				t.Errorf("%s %s: a class rule reads %q", tc.lang, tc.path, bad)
			}
		}
	}
}
