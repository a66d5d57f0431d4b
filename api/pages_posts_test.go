package api_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"jobbridge/engine"
)

var (
	optgroupRe = regexp.MustCompile(`<optgroup label="([^"]+)">`)
	// demandSelectRe finds a demand's select and the option it shows chosen.
	demandSelectRe = regexp.MustCompile(`(?s)<select id="f-demands-(\w+)" name="demands\.\w+"[^>]*>(.*?)</select>`)
)

// postTitled is the stored post of an employer with a title, if any.
func postTitled(t *testing.T, employer, title string) (*engine.Post, bool) {
	t.Helper()
	ctx := context.Background()
	res, err := shared.index.Search(ctx, engine.SearchQuery{Type: engine.KindPost, EmployerID: employer, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		var p engine.Post
		if h.Title == title && shared.store.Get(ctx, engine.KindPost, h.ID, &p) == nil {
			return &p, true
		}
	}
	return nil, false
}

// TestPostForm: the employer states every demand and the wage (nothing is
// assumed), the accessible toilet is asked once, and skills come by group in
// the reader's order; a refused form names each field and writes nothing.
func TestPostForm(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			zh := lang == "zh-CN"
			b := newBrowser(t, lang).login("emp1")
			_, page := b.get("/posts/new")

			// No demand is chosen for the employer.
			selects := demandSelectRe.FindAllStringSubmatch(page, -1)
			if len(selects) != len(engine.Dimensions) {
				t.Fatalf("%d demand selects, want %d", len(selects), len(engine.Dimensions))
			}
			for _, m := range selects {
				if s := selectedRe.FindStringSubmatch(m[2]); s == nil || s[1] != "" {
					t.Errorf("demand %s starts chosen: %v", m[1], s)
				}
			}
			// The toilet: one question, the site's.
			if n := strings.Count(page, `name="site.accessibleToilet"`); n != 1 {
				t.Errorf("site.accessibleToilet asked %d times", n)
			}
			if strings.Contains(page, `value="accessible-toilet"`) {
				t.Error("the accessible toilet is also offered as an accommodation")
			}
			// Skill groups in the reader's order: 办公与客服 (bàn) before 餐饮食品 (cān) in Chinese, Food before Office in English.
			var groups []string
			for _, m := range optgroupRe.FindAllStringSubmatch(page, -1) {
				if !slices.Contains(groups, m[1]) {
					groups = append(groups, m[1])
				}
			}
			want := []string{"Food", "Office and customer service"}
			if zh {
				want = []string{"办公与客服", "餐饮食品"}
			}
			if !slices.Equal(groups, want) {
				t.Errorf("skill groups %q, want %q", groups, want)
			}

			// A form with a demand, the wage and a skill's kind left unchosen is refused, naming each.
			title := "表单测试岗位 Form test " + lang
			form := formValues(page)
			form.Set("title", title)
			form.Set("site.lat", "31.19")
			form.Set("site.lon", "121.44")
			stateDemands(form, "1")
			form.Del("demands.hearing")
			form.Set("skills[0].code", "data-entry")
			form.Set("skills[0].level", "2")
			res, body := b.do("POST", "/posts/new", form)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("an incomplete form: %d, want 400", res.StatusCode)
			}
			summary := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(body)
			named := map[string]string{"f-demands-hearing": "Hearing", "f-monthlyWage": "Monthly pay", "f-skills-0-required": "Skill 1: required or nice"}
			if zh {
				named = map[string]string{"f-demands-hearing": "听力", "f-monthlyWage": "月薪", "f-skills-0-required": "技能 1：必需还是加分"}
			}
			for id, label := range named {
				if !strings.Contains(body, `id="`+id+`-error"`) {
					t.Errorf("no message beside %s", id)
				}
				if !strings.Contains(summary, `href="#`+id+`-error"`) && !strings.Contains(summary, `href="#`+id+`"`) {
					t.Errorf("the summary does not link %s", id)
				}
				if !strings.Contains(summary, label) {
					t.Errorf("the summary does not name %q", label)
				}
			}
			if _, found := postTitled(t, "e-1", title); found {
				t.Fatal("a refused form wrote a post")
			}
			// What was chosen is shown again; what was not stays unchosen.
			for _, m := range demandSelectRe.FindAllStringSubmatch(body, -1) {
				want := "1"
				if m[1] == "hearing" {
					want = ""
				}
				if s := selectedRe.FindStringSubmatch(m[2]); s == nil || s[1] != want {
					t.Errorf("after refusing, demand %s shows %v, want %q", m[1], s, want)
				}
			}

			// Stated in full (hearing 0 is a stated "not needed"), it is saved.
			form = formValues(body)
			form.Set("demands.hearing", "0")
			form.Set("monthlyWage", "5600")
			form.Set("skills[0].required", "nice")
			res, body = b.do("POST", "/posts/new", form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("a complete form: %d %s", res.StatusCode, regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(body))
			}
			p, found := postTitled(t, "e-1", title)
			if !found {
				t.Fatal("the post was not written")
			}
			if n, stated := p.Demands["hearing"]; !stated || n != 0 || len(p.Demands) != len(engine.Dimensions) {
				t.Errorf("stored demands %v", p.Demands)
			}
			if p.MonthlyWage != 5600 || len(p.Skills) != 1 || p.Skills[0].Required {
				t.Errorf("stored wage %d, skills %+v", p.MonthlyWage, p.Skills)
			}
		})
	}
}

// TestPostFormToilet: a post that lists the accessible toilet as an
// accommodation shows it ticked in the one site question, and saving keeps
// it there.
func TestPostFormToilet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := testPost("p-toilet", "e-1", "卫生间测试 Toilet test")
	p.Site.AccessibleToilet = false
	p.Accommodations = []string{"accessible-toilet", "seated-work"}
	for _, dim := range engine.Dimensions {
		p.Demands[dim] += 0
	}
	b, form := editFormOf(t, "emp1", engine.KindPost, p, "/posts/p-toilet/edit")
	if form.Get("site.accessibleToilet") == "" {
		t.Fatal("the toilet offered as an accommodation is not ticked in the site question")
	}
	if res, body := b.do("POST", "/posts/p-toilet/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, body)
	}
	var now engine.Post
	if err := shared.store.Get(ctx, engine.KindPost, "p-toilet", &now); err != nil {
		t.Fatal(err)
	}
	if !now.Site.AccessibleToilet || !slices.Equal(now.Accommodations, []string{"seated-work"}) {
		t.Errorf("after saving: site toilet %v, accommodations %v", now.Site.AccessibleToilet, now.Accommodations)
	}
}
