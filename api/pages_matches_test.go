package api_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jobbridge/engine"
)

// excludedSection is the "what was left out" part of a matches page.
var excludedSection = regexp.MustCompile(`(?s)<section class="excluded".*?</section>`)

// excludedRow is one row of the excluded counts: the rule's label.
var excludedRow = regexp.MustCompile(`<tr><td>([^<]+)</td><td>[\d,]+</td></tr>`)

// TestRuleNames: the rules that left results out are named as engine.Rules
// names them for what they apply to: for classes "not open, full or ended",
// never a post's "closed".
func TestRuleNames(t *testing.T) {
	t.Parallel()
	trainingWorld(t) // c-full: one seat, taken
	for _, lang := range []string{"zh-CN", "en"} {
		b := newBrowser(t, lang).login("couns-x")
		for kind, path := range map[engine.Kind]string{engine.KindPost: "/seekers/s-x/matches", engine.KindClass: "/seekers/s-x/matches?type=classes"} {
			_, page := b.get(path)
			rows := excludedRow.FindAllStringSubmatch(excludedSection.FindString(page), -1)
			if kind == engine.KindClass && len(rows) == 0 {
				t.Fatalf("%s %s: no excluded counts (c-full is full)", lang, path)
			}
			for _, row := range rows {
				var want []string
				for _, r := range engine.Rules {
					name := r.Name
					if kind == engine.KindClass {
						name = r.ClassName
					}
					label := fmt.Sprintf("规则 %d：%s", r.Number, name.Zh)
					if lang == "en" {
						label = fmt.Sprintf("Rule %d: %s", r.Number, name.En)
					}
					want = append(want, label)
				}
				if !slices.Contains(want, row[1]) {
					t.Errorf("%s %s: %q is not one of the rules' names for a %s: %q", lang, path, row[1], kind, want)
				}
				if kind == engine.KindClass && (strings.Contains(row[1], "岗位") || strings.Contains(row[1], "closing date")) {
					t.Errorf("%s %s: a class rule reads as a post's: %q", lang, path, row[1])
				}
			}
		}
	}
}

// cardOf is the result card of a match list that holds mark, "" if none.
func cardOf(page, mark string) string {
	at := strings.Index(page, mark)
	if at < 0 {
		return ""
	}
	card := page[at:]
	if end := strings.Index(card[1:], `<li class="card match"`); end >= 0 {
		card = card[:end+1]
	}
	return card
}

// gapItem is one suggested class on the gaps page, as a reader sees it.
var gapItem = regexp.MustCompile(`(?s)<li class="gap-class"><strong>([^<]+)</strong>.*?<span class="score-after">([^<]+)</span> · <span class="(yes|no)">`)

// TestGapsPage: the gaps page labels the post's number as today's score with
// the skills missing, and gives each class the score after it (the engine's
// scoreAfter) and whether it alone closes the gap.
func TestGapsPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sk := testSeeker("s-gap", "xujiahui", 91)
	sk.Skills = []engine.SkillLevel{}
	post := testPost("p-gap", "e-1", "缺两项技能的岗位 Two skills short")
	post.Skills = []engine.PostSkill{{Code: "data-entry", Level: 2, Required: true}, {Code: "pastry-decoration", Level: 2, Required: true}}
	one := trainingClass("c-gap-one", 10)
	one.Title, one.Skills = "西点班 Pastry class", []engine.SkillLevel{{Code: "pastry-decoration", Level: 2}}
	both := trainingClass("c-gap-both", 10)
	both.Title, both.Skills = "录入与西点班 Entry and pastry class", []engine.SkillLevel{{Code: "data-entry", Level: 2}, {Code: "pastry-decoration", Level: 2}}
	for _, r := range []struct {
		kind engine.Kind
		rec  engine.Record
	}{{engine.KindSeeker, sk}, {engine.KindPost, post}, {engine.KindClass, one}, {engine.KindClass, both}} {
		if err := shared.svc.Create(ctx, r.kind, r.rec); err != nil {
			t.Fatal(err)
		}
	}
	res, err := shared.matcher.Gaps("s-gap", engine.DefaultMatchLimit)
	if err != nil {
		t.Fatal(err)
	}
	var gap *engine.GapResult
	for i := range res.Results {
		if res.Results[i].ID == "p-gap" {
			gap = &res.Results[i]
		}
	}
	if gap == nil || len(gap.Classes) < 2 {
		t.Fatalf("the engine finds no gap with two classes for p-gap: %+v", gap)
	}
	after := map[string]engine.GapClass{}
	for _, c := range gap.Classes {
		after[c.Title] = c
	}
	// Other tests' classes may be suggested too; whichever are, the one teaching
	// both skills closes the gap and any teaching one of the two does not.
	open := 0
	for _, c := range gap.Classes {
		if c.ClosesGap != (len(c.Teaches) == len(gap.Missing)) {
			t.Fatalf("class %s teaches %v of %d missing skills, closesGap %v", c.Title, c.Teaches, len(gap.Missing), c.ClosesGap)
		}
		if !c.ClosesGap {
			open++
		}
	}
	if !after[both.Title].ClosesGap || open == 0 {
		t.Fatalf("want %q closing the gap and a class that does not: %+v", both.Title, gap.Classes)
	}
	for _, tc := range []struct{ lang, today, after string }{
		{"zh-CN", "今天的得分（缺少这些技能）：%.1f / 100", "学完本课程后：%.1f 分"},
		{"en", "Score today, with the skills missing: %.1f out of 100", "after this class: %.1f"},
	} {
		_, page := newBrowser(t, tc.lang).login("couns-x").get("/seekers/s-gap/gaps")
		card := cardOf(page, `href="/posts/p-gap"`)
		if card == "" {
			t.Fatalf("%s: p-gap is not on the gaps page", tc.lang)
		}
		if want := fmt.Sprintf(tc.today, gap.Score); !strings.Contains(card, want) {
			t.Errorf("%s: the post's number is not labelled as today's: want %q", tc.lang, want)
		}
		items := gapItem.FindAllStringSubmatch(card, -1)
		if len(items) != len(gap.Classes) {
			t.Fatalf("%s: %d classes shown, the engine suggests %d", tc.lang, len(items), len(gap.Classes))
		}
		for _, it := range items {
			c, found := after[it[1]]
			if !found {
				t.Errorf("%s: class %q is not the engine's", tc.lang, it[1])
				continue
			}
			if want := fmt.Sprintf(tc.after, c.ScoreAfter); it[2] != want {
				t.Errorf("%s: %s shows %q, want %q", tc.lang, it[1], it[2], want)
			}
			if closes := it[3] == "yes"; closes != c.ClosesGap {
				t.Errorf("%s: %s says it closes the gap: %v, the engine: %v", tc.lang, it[1], closes, c.ClosesGap)
			}
			if c.ClosesGap && c.ScoreAfter <= gap.Score {
				t.Errorf("%s: learning %s does not raise the score: %.2f → %.2f", tc.lang, it[1], gap.Score, c.ScoreAfter)
			}
		}
	}
}

var factorRow = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td>(\d+)%</td>`)

// TestMatchFactors: every match explains the six factors of score version 2
// in DESIGN §4's order with their weights, strengths among them, in both
// languages, for a seeker's matches and a post's candidates.
func TestMatchFactors(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"zh-CN": {"技能 25", "专长 20", "能力匹配 20", "通勤 15", "便利 10", "期望 10"},
		"en":    {"Skills 25", "Strengths 20", "Ability fit 20", "Commute 15", "Accommodations 10", "Wishes 10"},
	}
	strengths := map[string]string{"zh-CN": "用上了您的 1 项专长：数据录入", "en": "uses 1 of your strengths: Data entry"}
	for _, lang := range []string{"zh-CN", "en"} {
		b := newBrowser(t, lang).login("couns-x")
		for _, path := range []string{"/seekers/s-x/matches", "/posts/p-1/candidates"} {
			_, page := b.get(path)
			card := cardOf(page, `<li class="card match"`)
			var got []string
			for _, m := range factorRow.FindAllStringSubmatch(card, -1) {
				got = append(got, m[1]+" "+m[2])
			}
			if strings.Join(got, ", ") != strings.Join(want[lang], ", ") {
				t.Errorf("%s %s: factors %q, want %q", lang, path, got, want[lang])
			}
		}
		if _, page := b.get("/seekers/s-x/matches"); !strings.Contains(cardOf(page, `href="/posts/p-1"`), strengths[lang]) {
			t.Errorf("%s: p-1's strengths note does not read %q", lang, strengths[lang])
		}
	}
}
