package engine

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

var propSkills = []string{"typing", "excel", "forklift", "baking", "sewing"}

// genGeo draws a point: mostly in a 20 × 25 km box of central Shanghai,
// sometimes on a grid-cell border, sometimes outside the grid altogether.
func genGeo(t *rapid.T, label string) Geo {
	switch rapid.IntRange(0, 9).Draw(t, label+"Kind") {
	case 0:
		return Geo{Lat: rapid.Float64Range(29.0, 30.59).Draw(t, label+"Lat"), Lon: rapid.Float64Range(121.0, 121.9).Draw(t, label+"Lon")}
	case 1, 2:
		lat := float64(rapid.IntRange(3110, 3130).Draw(t, label+"LatC")) / 100
		lon := float64(rapid.IntRange(12135, 12160).Draw(t, label+"LonC")) / 100
		return Geo{Lat: lat, Lon: lon}
	}
	return Geo{Lat: rapid.Float64Range(31.10, 31.30).Draw(t, label+"Lat"), Lon: rapid.Float64Range(121.35, 121.60).Draw(t, label+"Lon")}
}

func genSubset[T any](t *rapid.T, label string, all []T) []T {
	var out []T
	for i, v := range all {
		if rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("%s%d", label, i)) == 0 {
			out = append(out, v)
		}
	}
	return out
}

// pickSkills draws distinct skill codes: any subset of a small catalog, up to
// five codes of a large one.
func pickSkills(t *rapid.T, label string, catalog []string) []string {
	if len(catalog) <= 8 {
		return genSubset(t, label, catalog)
	}
	var out []string
	for range rapid.IntRange(0, 5).Draw(t, label+"n") {
		if c := rapid.SampledFrom(catalog).Draw(t, label); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func genDemands(t *rapid.T, label string) map[string]int {
	m := map[string]int{}
	for _, d := range genSubset(t, label, Dimensions) {
		m[d] = rapid.IntRange(0, 4).Draw(t, label+d)
	}
	return m
}

// genPostDemands draws all eleven demands, as a post states them, mostly low.
func genPostDemands(t *rapid.T, label string) map[string]int {
	m := map[string]int{}
	for _, d := range Dimensions {
		m[d] = rapid.SampledFrom([]int{0, 0, 0, 1, 1, 2, 3, 4}).Draw(t, label+d)
	}
	return m
}

// genEssential draws a post's essential demands: none, often; a few dimensions otherwise.
func genEssential(t *rapid.T, label string) []string {
	var out []string
	for _, d := range Dimensions {
		if rapid.IntRange(0, 7).Draw(t, label+d) == 0 {
			out = append(out, d)
		}
	}
	return out
}

func genSeeker(t *rapid.T, i int, catalog []string) *Seeker {
	l := "s" + strconv.Itoa(i)
	s := &Seeker{
		Meta:       Meta{ID: fmt.Sprintf("s-%03d", i)},
		Disability: Disability{Category: rapid.SampledFrom(DisabilityCategories).Draw(t, l+"cat"), Level: rapid.IntRange(1, 4).Draw(t, l+"lvl")},
		Street:     rapid.SampledFrom(StreetCodes).Draw(t, l+"street"),
		Home:       genGeo(t, l+"home"),
		Abilities:  map[string]int{},
		Mobility: Mobility{
			Modes:             genSubset(t, l+"mode", TravelModes),
			MaxCommuteMinutes: rapid.SampledFrom([]int{0, 10, 15, 20, 30, 45, 60, 90}).Draw(t, l+"max"),
			NeedsStepFree:     rapid.IntRange(0, 4).Draw(t, l+"step") == 0,
			RemoteOK:          rapid.Bool().Draw(t, l+"remote"),
		},
		Preferences: Preferences{
			MinMonthlyWage: rapid.SampledFrom([]int{0, 3000, 5000, 6500}).Draw(t, l+"wage"),
			MaxWeeklyHours: rapid.SampledFrom([]int{0, 0, 30, 40}).Draw(t, l+"hours"),
			NightShiftOK:   rapid.Bool().Draw(t, l+"night"),
		},
		Consent: Consent{ShareWithEmployers: rapid.Bool().Draw(t, l+"consent")},
		Status:  rapid.SampledFrom([]string{"seeking", "seeking", "training", "placed"}).Draw(t, l+"status"),
	}
	for k, v := range genDemands(t, l+"ab") {
		s.Abilities[k] = v
	}
	for _, code := range pickSkills(t, l+"sk", catalog) {
		s.Skills = append(s.Skills, SkillLevel{Code: code, Level: rapid.IntRange(1, 3).Draw(t, l+code)})
	}
	if rapid.IntRange(0, 3).Draw(t, l+"hobby") == 0 {
		// a skill no post or class lists: still one of the seeker's strengths at level ≥ 2
		s.Skills = append(s.Skills, SkillLevel{Code: "hobby", Level: rapid.IntRange(1, 3).Draw(t, l+"hobbyLevel")})
	}
	for _, code := range genSubset(t, l+"need", NeedCodes) {
		s.Needs = append(s.Needs, Need{Code: code, Essential: rapid.IntRange(0, 3).Draw(t, l+code+"e") == 0})
	}
	return s
}

func genPost(t *rapid.T, i int, catalog []string) *Post {
	l := "p" + strconv.Itoa(i)
	g := genGeo(t, l+"site")
	p := &Post{
		Meta:             Meta{ID: fmt.Sprintf("p-%03d", i)},
		Title:            "post " + strconv.Itoa(i),
		Demands:          genPostDemands(t, l+"dem"),
		EssentialDemands: genEssential(t, l+"ess"),
		Site:             Site{Lat: g.Lat, Lon: g.Lon, StepFree: rapid.Bool().Draw(t, l+"sf"), AccessibleToilet: rapid.Bool().Draw(t, l+"wc")},
		WorkMode:         rapid.SampledFrom([]string{"onsite", "onsite", "hybrid", "remote"}).Draw(t, l+"mode"),
		Accommodations:   genSubset(t, l+"acc", NeedCodes),
		Hours:            Hours{Weekly: rapid.SampledFrom([]int{20, 30, 40, 48}).Draw(t, l+"wk"), NightShift: rapid.IntRange(0, 4).Draw(t, l+"ns") == 0},
		MonthlyWage:      rapid.IntRange(6, 18).Draw(t, l+"wage") * 500,
		Status:           rapid.SampledFrom([]string{"open", "open", "open", "open", "closed"}).Draw(t, l+"status"),
		ClosesOn:         rapid.SampledFrom([]string{"", "", "2026-05-31", testToday, "2026-09-01"}).Draw(t, l+"closes"),
	}
	for _, code := range pickSkills(t, l+"sk", catalog) {
		p.Skills = append(p.Skills, PostSkill{Code: code, Level: rapid.IntRange(1, 3).Draw(t, l+code), Required: rapid.Bool().Draw(t, l+code+"r")})
	}
	return p
}

func genClass(t *rapid.T, i int, catalog []string) *Class {
	l := "c" + strconv.Itoa(i)
	g := genGeo(t, l+"site")
	c := &Class{
		Meta:          Meta{ID: fmt.Sprintf("c-%03d", i)},
		Title:         "class " + strconv.Itoa(i),
		Mode:          rapid.SampledFrom(WorkModes).Draw(t, l+"mode"),
		Site:          Site{Lat: g.Lat, Lon: g.Lon, StepFree: rapid.Bool().Draw(t, l+"sf"), AccessibleToilet: rapid.Bool().Draw(t, l+"wc")},
		Accessibility: genSubset(t, l+"acc", ClassAccessibility),
		Demands:       genDemands(t, l+"dem"),
		Seats:         10,
		SeatsTaken:    rapid.SampledFrom([]int{0, 5, 10}).Draw(t, l+"taken"),
		Starts:        "2026-05-01",
		Ends:          rapid.SampledFrom([]string{"2026-05-31", testToday, "2026-08-01"}).Draw(t, l+"ends"),
		Status:        rapid.SampledFrom([]string{"open", "open", "open", "running"}).Draw(t, l+"status"),
	}
	for _, code := range pickSkills(t, l+"sk", catalog) {
		c.Skills = append(c.Skills, SkillLevel{Code: code, Level: rapid.IntRange(1, 3).Draw(t, l+code)})
	}
	return c
}

// world is a generated data set loaded into a Matcher.
type world struct {
	m       *Matcher
	seekers []*Seeker
	posts   []*Post
	classes []*Class
}

func genWorld(t *rapid.T) *world { return genWorldOf(t, propSkills, nil) }

// genWorldOf generates a world over a skill catalog; prime, if set, is fed
// to the Matcher before the world.
func genWorldOf(t *rapid.T, catalog []string, prime []Record) *world {
	w := &world{m: NewMatcher(testClock)}
	for _, r := range prime {
		w.m.Upsert(r)
	}
	np := rapid.IntRange(0, 60).Draw(t, "posts")
	for i := range np {
		p := genPost(t, i, catalog)
		if i > 0 && rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("dup%d", i)) == 0 {
			// an identical twin of an earlier post: ties broken by id
			q := *w.posts[rapid.IntRange(0, i-1).Draw(t, fmt.Sprintf("twin%d", i))]
			q.ID = p.ID
			if rapid.Bool().Draw(t, fmt.Sprintf("nudge%d", i)) {
				q.Site.Lon += 0.0005 // same score when the commute is short, a different commute
			}
			p = &q
		}
		w.posts = append(w.posts, p)
	}
	for i := range rapid.IntRange(0, 12).Draw(t, "classes") {
		w.classes = append(w.classes, genClass(t, i, catalog))
	}
	for i := range rapid.IntRange(1, 15).Draw(t, "seekers") {
		w.seekers = append(w.seekers, genSeeker(t, i, catalog))
	}
	// Feed everything, with some records first in an earlier version.
	for i, p := range w.posts {
		if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("early%d", i)) == 0 {
			old := *genPost(t, 1000+i, catalog)
			old.ID = p.ID
			w.m.Upsert(&old)
		}
	}
	for _, s := range w.seekers {
		if rapid.IntRange(0, 4).Draw(t, "earlySeeker"+s.ID) == 0 {
			old := *s
			old.Home, old.Status = Geo{Lat: 31.0, Lon: 121.0}, "seeking"
			w.m.Upsert(&old)
		}
		w.m.Upsert(s)
	}
	for _, p := range w.posts {
		w.m.Upsert(p)
	}
	for _, c := range w.classes {
		w.m.Upsert(c)
	}
	return w
}

func first(broken []int) int {
	if len(broken) == 0 {
		return 0
	}
	return broken[0]
}

func checkWeighted(t *rapid.T, r MatchResult) {
	f := r.Factors
	if len(f) != 6 {
		t.Fatalf("%s: factors %v, want six", r.ID, f)
	}
	want := 100 * (0.25*f["skills"].Value + 0.20*f["strengths"].Value + 0.20*f["fit"].Value + 0.15*f["commute"].Value +
		0.10*f["accommodations"].Value + 0.10*f["preferences"].Value)
	if r.Score != want {
		t.Fatalf("%s: score %v is not 100 × the weighted sum of its factors (%v)", r.ID, r.Score, want)
	}
	if r.Score < 0 || r.Score > 100 {
		t.Fatalf("%s: score %v out of range", r.ID, r.Score)
	}
}

func checkFactors(t *rapid.T, what string, got map[string]Factor, want map[string]float64) {
	for name, v := range want {
		if math.Abs(got[name].Value-v) > 1e-9 {
			t.Fatalf("%s: factor %s = %v, reference %v", what, name, got[name].Value, v)
		}
	}
}

func checkOrder(t *rapid.T, rs []MatchResult) {
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		if a.Score < b.Score || (a.Score == b.Score && (a.CommuteMinutes > b.CommuteMinutes ||
			(a.CommuteMinutes == b.CommuteMinutes && a.ID >= b.ID))) {
			t.Fatalf("results out of order at %d: %+v then %+v", i, a, b)
		}
	}
}

func withPruning(m *Matcher, on bool) {
	m.mu.Lock()
	m.prune = on
	m.mu.Unlock()
}

func TestMatchesProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		limit := rapid.SampledFrom([]int{1, 3, 20}).Draw(t, "limit")
		postByID := map[string]*Post{}
		for _, p := range w.posts {
			postByID[p.ID] = p
		}
		for _, s := range w.seekers {
			got, err := w.m.Matches(s.ID, KindPost, limit)
			if err != nil {
				t.Fatal(err)
			}
			want := BruteForce(s, w.posts, testToday, limit)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seeker %s: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
			}
			again, _ := w.m.Matches(s.ID, KindPost, limit)
			if !reflect.DeepEqual(got, again) {
				t.Fatalf("seeker %s: a second call differs", s.ID)
			}
			adhoc, _ := w.m.MatchSeeker(s, KindPost, limit)
			if !reflect.DeepEqual(got, adhoc) {
				t.Fatalf("seeker %s: MatchSeeker differs from Matches", s.ID)
			}
			// The independent reading of the rules agrees on every post.
			byRule := map[string]int{}
			passing := 0
			for _, p := range w.posts {
				broken, _ := refPostRules(s, p, testToday)
				if r := first(broken); r > 0 {
					byRule[strconv.Itoa(r)]++
				} else {
					passing++
				}
			}
			if !reflect.DeepEqual(byRule, got.Excluded.ByRule) || got.Excluded.Total != len(w.posts)-passing {
				t.Fatalf("seeker %s: excluded %+v, reference %v", s.ID, got.Excluded, byRule)
			}
			if len(got.Results) != min(limit, passing) {
				t.Fatalf("seeker %s: %d results, %d pass", s.ID, len(got.Results), passing)
			}
			checkOrder(t, got.Results)
			for _, r := range got.Results {
				p := postByID[r.ID]
				if broken, _ := refPostRules(s, p, testToday); len(broken) > 0 {
					t.Fatalf("seeker %s: post %s breaks rules %v", s.ID, p.ID, broken)
				}
				checkWeighted(t, r)
				checkFactors(t, s.ID+"/"+p.ID, r.Factors, refPostFactors(s, p))
			}
		}
		// Without the grid and the score bound the answers are the same.
		withPruning(w.m, false)
		for _, s := range w.seekers {
			withPruning(w.m, true)
			a, _ := w.m.Matches(s.ID, KindPost, limit)
			withPruning(w.m, false)
			b, _ := w.m.Matches(s.ID, KindPost, limit)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("seeker %s: pruned\n%+v\nunpruned\n%+v", s.ID, a, b)
			}
		}
	})
}

func TestClassMatchesProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		byID := map[string]*Class{}
		for _, c := range w.classes {
			byID[c.ID] = c
		}
		for _, s := range w.seekers {
			got, err := w.m.Matches(s.ID, KindClass, 5)
			if err != nil {
				t.Fatal(err)
			}
			if want := BruteForceClasses(s, w.classes, testToday, 5); !reflect.DeepEqual(got, want) {
				t.Fatalf("seeker %s: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
			}
			byRule := map[string]int{}
			for _, c := range w.classes {
				if r := first(refClassRules(s, c, testToday)); r > 0 {
					byRule[strconv.Itoa(r)]++
				}
			}
			if !reflect.DeepEqual(byRule, got.Excluded.ByRule) {
				t.Fatalf("seeker %s: excluded %+v, reference %v", s.ID, got.Excluded, byRule)
			}
			checkOrder(t, got.Results)
			for _, r := range got.Results {
				c := byID[r.ID]
				if b := refClassRules(s, c, testToday); len(b) > 0 {
					t.Fatalf("class %s breaks %v", c.ID, b)
				}
				checkWeighted(t, r)
				checkFactors(t, s.ID+"/"+c.ID, r.Factors, refClassFactors(s, c))
			}
		}
	})
}

func TestCandidatesProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		byID := map[string]*Seeker{}
		for _, s := range w.seekers {
			byID[s.ID] = s
		}
		limit := rapid.SampledFrom([]int{1, 4, 20}).Draw(t, "limit")
		var keep func(*SeekerInfo) bool
		if rapid.Bool().Draw(t, "consentOnly") {
			keep = func(i *SeekerInfo) bool { return i.Consent }
		}
		for _, p := range w.posts {
			got, err := w.m.Candidates(p.ID, limit, keep)
			if err != nil {
				t.Fatal(err)
			}
			want := BruteForceCandidates(p, w.seekers, testToday, limit, keep)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("post %s: matcher\n%+v\nbrute force\n%+v", p.ID, got, want)
			}
			withPruning(w.m, false)
			unpruned, _ := w.m.Candidates(p.ID, limit, keep)
			withPruning(w.m, true)
			if !reflect.DeepEqual(got, unpruned) {
				t.Fatalf("post %s: pruned and unpruned candidates differ", p.ID)
			}
			checkOrder(t, got.Results)
			for _, r := range got.Results {
				s := byID[r.ID]
				if s.Status == "placed" || (keep != nil && !s.Consent.ShareWithEmployers) {
					t.Fatalf("post %s: candidate %s should have been filtered", p.ID, s.ID)
				}
				if broken, _ := refPostRules(s, p, testToday); len(broken) > 0 {
					t.Fatalf("post %s: candidate %s breaks %v", p.ID, s.ID, broken)
				}
				checkWeighted(t, r)
				checkFactors(t, p.ID+"/"+s.ID, r.Factors, refPostFactors(s, p))
			}
		}
	})
}

func TestGapsProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		postByID, classByID := map[string]*Post{}, map[string]*Class{}
		for _, p := range w.posts {
			postByID[p.ID] = p
		}
		for _, c := range w.classes {
			classByID[c.ID] = c
		}
		limit := rapid.SampledFrom([]int{1, 5, 20}).Draw(t, "limit")
		for _, s := range w.seekers {
			got, err := w.m.Gaps(s.ID, limit)
			if err != nil {
				t.Fatal(err)
			}
			if want := BruteForceGaps(s, w.posts, w.classes, testToday, limit); !reflect.DeepEqual(got, want) {
				t.Fatalf("seeker %s: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
			}
			// Every gap post, by the reference: fails rule 7 only, ≤ 2 skills missing.
			type miss struct {
				code string
				need int
			}
			gapMissing := map[string][]miss{}
			for _, p := range w.posts {
				broken, n := refPostRules(s, p, testToday)
				if slices.Equal(broken, []int{7}) && n <= 2 {
					for _, k := range p.Skills {
						if need := max(1, k.Level-1); k.Required && refLevel(s, k.Code) < need {
							gapMissing[p.ID] = append(gapMissing[p.ID], miss{k.Code, need})
						}
					}
				}
			}
			if got.Total != len(gapMissing) || len(got.Results) != min(limit, len(gapMissing)) {
				t.Fatalf("seeker %s: %d gaps (%d shown), reference %d", s.ID, got.Total, len(got.Results), len(gapMissing))
			}
			var results []MatchResult
			for _, r := range got.Results {
				results = append(results, r.MatchResult)
				want, ok := gapMissing[r.ID]
				if !ok {
					t.Fatalf("seeker %s: %s is not a gap post", s.ID, r.ID)
				}
				if len(r.Missing) != len(want) {
					t.Fatalf("seeker %s: %s missing %v, reference %v", s.ID, r.ID, r.Missing, want)
				}
				for i, m := range r.Missing {
					if m.Code != want[i].code || m.Need != want[i].need {
						t.Fatalf("seeker %s: %s missing %v, reference %v", s.ID, r.ID, r.Missing, want)
					}
				}
				checkWeighted(t, r.MatchResult)
				checkFactors(t, s.ID+"/"+r.ID, r.Factors, refPostFactors(s, postByID[r.ID]))
				if len(r.Classes) > 3 {
					t.Fatalf("%d classes", len(r.Classes))
				}
				for _, gc := range r.Classes {
					c := classByID[gc.ID]
					if b := refClassRules(s, c, testToday); len(b) > 0 {
						t.Fatalf("seeker %s: class %s breaks %v", s.ID, c.ID, b)
					}
					teaches := func(m miss) bool {
						return slices.ContainsFunc(c.Skills, func(k SkillLevel) bool { return k.Code == m.code && k.Level >= m.need })
					}
					if !slices.ContainsFunc(want, teaches) || len(gc.Teaches) == 0 {
						t.Fatalf("seeker %s: class %s teaches none of %v", s.ID, c.ID, want)
					}
					unlocks := 0
					for _, ms := range gapMissing {
						all := true
						for _, m := range ms {
							all = all && teaches(m)
						}
						if all {
							unlocks++
						}
					}
					if gc.Unlocks != unlocks {
						t.Fatalf("seeker %s: class %s unlocks %d, reference %d", s.ID, c.ID, gc.Unlocks, unlocks)
					}
					// Once the class is passed: the post's score and whether it then matches.
					p, trained := postByID[r.ID], refLearnt(s, c)
					if want := refScore(refPostFactors(trained, p)); math.Abs(gc.ScoreAfter-want) > 1e-9 {
						t.Fatalf("seeker %s: %s after %s scores %v, reference %v", s.ID, p.ID, c.ID, gc.ScoreAfter, want)
					}
					broken, _ := refPostRules(trained, p, testToday)
					if gc.ClosesGap != (len(broken) == 0) {
						t.Fatalf("seeker %s: %s after %s closesGap %v, reference breaks %v", s.ID, p.ID, c.ID, gc.ClosesGap, broken)
					}
					if ev := EvaluatePost(trained, p, testToday); gc.ScoreAfter != ev.Result.Score {
						t.Fatalf("seeker %s: %s after %s scores %v, evaluated on the trained file %v", s.ID, p.ID, c.ID, gc.ScoreAfter, ev.Result.Score)
					}
				}
			}
			checkOrder(t, results)
		}
	})
}

// TestManySkillCodes runs past the 64 codes the skill masks hold exactly, so
// the engine falls back to reading skill lists; answers stay those of brute force.
func TestManySkillCodes(t *testing.T) {
	t.Parallel()
	catalog := make([]string, 90)
	for i := range catalog {
		catalog[i] = fmt.Sprintf("skill-%02d", i)
	}
	// Expired posts naming the catalog backwards: the codes the generator
	// draws most (the first) get numbers beyond the masks.
	var fillers []Record
	for i := len(catalog) - 1; i >= 0; i-- {
		fillers = append(fillers, &Post{Meta: Meta{ID: "filler-" + catalog[i]}, WorkMode: "remote",
			Skills: []PostSkill{{Code: catalog[i], Level: 1, Required: true}}, Status: "open", ClosesOn: "2026-01-01"})
	}
	rapid.Check(t, func(t *rapid.T) {
		w := genWorldOf(t, catalog, fillers)
		for _, s := range w.seekers {
			got, _ := w.m.Matches(s.ID, KindPost, 5)
			want := BruteForce(s, w.posts, testToday, 5)
			want.Excluded.ByRule["1"] += len(catalog)
			want.Excluded.Total += len(catalog)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seeker %s: matcher\n%+v\nbrute force\n%+v", s.ID, got, want)
			}
			gaps, _ := w.m.Gaps(s.ID, 5)
			if want := BruteForceGaps(s, w.posts, w.classes, testToday, 5); !reflect.DeepEqual(gaps, want) {
				t.Fatalf("seeker %s: gaps\n%+v\nbrute force\n%+v", s.ID, gaps, want)
			}
		}
		for _, p := range w.posts {
			got, _ := w.m.Candidates(p.ID, 5, nil)
			if want := BruteForceCandidates(p, w.seekers, testToday, 5, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("post %s: matcher\n%+v\nbrute force\n%+v", p.ID, got, want)
			}
		}
	})
}
