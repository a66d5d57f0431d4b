package search

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"jobbridge/engine"
)

// MustOpen opens an index in dir and closes it when the test ends.
func MustOpen(tb testing.TB, dir string) *Index {
	tb.Helper()
	ix, err := Open(dir)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// MustApply applies records of one kind.
func MustApply(tb testing.TB, ix *Index, kind engine.Kind, records ...engine.Record) {
	tb.Helper()
	var mark int64
	for _, r := range records {
		mark = max(mark, r.RecordMeta().Rev)
	}
	if err := ix.Apply(context.Background(), kind, records, mark); err != nil {
		tb.Fatalf("apply: %v", err)
	}
}

// MustSearch runs a query.
func MustSearch(tb testing.TB, ix *Index, q engine.SearchQuery) *engine.SearchResult {
	tb.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func ids(res *engine.SearchResult) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func fc(value string, count int) engine.FacetCount {
	return engine.FacetCount{Value: value, Count: count}
}

func post(id string, rev int64, title, employer, mode string, lat, lon float64, skills ...string) *engine.Post {
	p := &engine.Post{Meta: engine.Meta{ID: id, Rev: rev}, Title: title, EmployerID: employer, WorkMode: mode,
		Status: "open", Site: engine.Site{Lat: lat, Lon: lon}, Demands: engine.StatedDemands(nil)}
	for _, s := range skills {
		p.Skills = append(p.Skills, engine.PostSkill{Code: s, Level: 2, Required: true})
	}
	return p
}

// newPostIndex holds the four sample posts, with employers on three streets
// and a small skill catalog.
func newPostIndex(t *testing.T) *Index {
	t.Helper()
	ix := MustOpen(t, t.TempDir())
	ix.EmployerStreet = func(id string) string {
		return map[string]string{"e-1": "xujiahui", "e-2": "longhua", "e-3": "tianlin"}[id]
	}
	ix.SkillNames = func(code string) (string, string) {
		switch code {
		case "pastry":
			return "西点制作", "Pastry making"
		case "typing":
			return "打字", "Typing"
		}
		return "", ""
	}
	closed := post("p-4", 4, "Customer service (text chat) 文字客服", "e-3", "remote", 0, 0, "typing")
	closed.Status = "closed"
	MustApply(t, ix, engine.KindPost,
		post("p-1", 1, "西式面点师", "e-1", "onsite", 31.195, 121.437, "pastry"),
		post("p-2", 2, "面点装饰", "e-2", "hybrid", 31.160, 121.420, "pastry"),
		post("p-3", 3, "数据录入员", "e-1", "remote", 0, 0, "typing"),
		closed,
	)
	return ix
}

func TestSearchText(t *testing.T) {
	t.Parallel()
	ix := newPostIndex(t)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"面点", []string{"p-1", "p-2"}},
		{"西式面点", []string{"p-1", "p-2"}}, // p-1 matches more bigrams
		{"customer", []string{"p-4"}},
		{"Customer Service", []string{"p-4"}},
		{"客服", []string{"p-4"}},
		{"录入", []string{"p-3"}},
		{"pastry", []string{"p-1", "p-2"}}, // through the skill's names
		{"西点", []string{"p-1", "p-2"}},
		{"焊工", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: tc.text})
			got := ids(res)
			if tc.text == "面点" || tc.text == "pastry" || tc.text == "西点" {
				slices.Sort(got) // equal scores: order is by id anyway, but only membership matters here
			}
			if !slices.Equal(got, tc.want) || res.Total != uint64(len(tc.want)) {
				t.Fatalf("got %v (total %d), want %v", got, res.Total, tc.want)
			}
			for _, h := range res.Hits {
				if h.Score <= 0 || h.Kind != engine.KindPost || h.Title == "" {
					t.Errorf("hit %+v: want a positive score, kind and title", h)
				}
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	ix := newPostIndex(t)
	near := &engine.Geo{Lat: 31.195, Lon: 121.437}
	for name, tc := range map[string]struct {
		q    engine.SearchQuery
		want []string
	}{
		"all":              {engine.SearchQuery{}, []string{"p-1", "p-2", "p-3", "p-4"}},
		"street":           {engine.SearchQuery{Street: "xujiahui"}, []string{"p-1", "p-3"}},
		"workMode":         {engine.SearchQuery{WorkMode: "remote"}, []string{"p-3", "p-4"}},
		"status":           {engine.SearchQuery{Status: "closed"}, []string{"p-4"}},
		"text and street":  {engine.SearchQuery{Text: "面点", Street: "longhua"}, []string{"p-2"}},
		"near 2 km":        {engine.SearchQuery{Near: near, Km: 2}, []string{"p-1"}},
		"near 10 km":       {engine.SearchQuery{Near: near, Km: 10}, []string{"p-1", "p-2"}},
		"near default 5km": {engine.SearchQuery{Near: near}, []string{"p-1", "p-2"}},
		"unknown street":   {engine.SearchQuery{Street: "nowhere"}, nil},
		"employer":         {engine.SearchQuery{EmployerID: "e-1"}, []string{"p-1", "p-3"}},
	} {
		t.Run(name, func(t *testing.T) {
			tc.q.Type = engine.KindPost
			res := MustSearch(t, ix, tc.q)
			if got := ids(res); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("hit fields", func(t *testing.T) {
		res := MustSearch(t, ix, engine.SearchQuery{Type: "posts", Text: "西式面点师"})
		want := engine.SearchHit{ID: "p-1", Kind: engine.KindPost, Title: "西式面点师", Street: "xujiahui",
			WorkMode: "onsite", Status: "open"}
		got := res.Hits[0]
		got.Score = 0
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
}

func TestSearchFacets(t *testing.T) {
	t.Parallel()
	ix := newPostIndex(t)
	res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Facets: true})
	want := map[string][]engine.FacetCount{
		"street":   {fc("xujiahui", 2), fc("longhua", 1), fc("tianlin", 1)},
		"workMode": {fc("remote", 2), fc("hybrid", 1), fc("onsite", 1)},
		"status":   {fc("open", 3), fc("closed", 1)},
		"skills":   {fc("pastry", 2), fc("typing", 2)},
	}
	for name, w := range want {
		if got := res.Facets[name]; !slices.Equal(got, w) {
			t.Errorf("facet %s: got %v, want %v", name, got, w)
		}
	}
	res = MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: "面点", Facets: true})
	if got, w := res.Facets["street"], []engine.FacetCount{fc("longhua", 1), fc("xujiahui", 1)}; !slices.Equal(got, w) {
		t.Errorf("facet street of 面点: got %v, want %v", got, w)
	}
	if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost}); res.Facets != nil {
		t.Errorf("facets without asking: %v", res.Facets)
	}
}

// TestSearchFacetsSegments counts facets over posts written in several
// batches (several segments, some posts replaced, some merged away), before
// and after a reopen, against counts made by hand; the skills facet has more
// values than it shows and keeps the 20 most frequent.
func TestSearchFacetsSegments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	streets := []string{"xujiahui", "longhua", "tianlin", "kangjian"}
	modes := []string{"onsite", "remote", "hybrid"}
	employerStreet := func(id string) string { return streets[int(id[len(id)-1]-'0')%len(streets)] }
	posts := map[string]*engine.Post{}
	var rev int64
	write := func(ix *Index, from, to, salt int) {
		var recs []engine.Record
		for i := from; i < to; i++ {
			rev++
			p := post(fmt.Sprintf("p-%03d", i), rev, "仓库拣货员", fmt.Sprintf("e-%d", (i+salt)%7),
				modes[(i*salt)%len(modes)], 0, 0, fmt.Sprintf("s%02d", i%29), fmt.Sprintf("s%02d", (i*salt)%31))
			if (i+salt)%5 == 0 {
				p.Status = "closed"
			}
			posts[p.ID] = p
			recs = append(recs, p)
		}
		MustApply(t, ix, engine.KindPost, recs...)
	}
	want := func() map[string][]engine.FacetCount {
		count := map[string]map[string]int{"street": {}, "workMode": {}, "status": {}, "skills": {}}
		for _, p := range posts {
			count["street"][employerStreet(p.EmployerID)]++
			count["workMode"][p.WorkMode]++
			count["status"][p.Status]++
			seen := map[string]bool{}
			for _, s := range p.Skills {
				if !seen[s.Code] {
					seen[s.Code] = true
					count["skills"][s.Code]++
				}
			}
		}
		out := map[string][]engine.FacetCount{}
		for f, m := range count {
			var fcs []engine.FacetCount
			for v, n := range m {
				fcs = append(fcs, fc(v, n))
			}
			slices.SortFunc(fcs, func(a, b engine.FacetCount) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Value, b.Value)
			})
			out[f] = fcs[:min(len(fcs), 20)]
		}
		return out
	}
	check := func(ix *Index, when string) {
		t.Helper()
		res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: "拣货", Facets: true})
		if res.Total != uint64(len(posts)) {
			t.Fatalf("%s: %d hits, want %d", when, res.Total, len(posts))
		}
		for f, w := range want() {
			if got := res.Facets[f]; !slices.Equal(got, w) {
				t.Errorf("%s: facet %s: got %v, want %v", when, f, got, w)
			}
		}
	}

	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.EmployerStreet = employerStreet
	write(ix, 0, 60, 1)
	write(ix, 40, 100, 2) // replaces 40..59
	write(ix, 10, 20, 3)
	check(ix, "written")
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = MustOpen(t, dir)
	check(ix, "reopened")
}

func TestSearchPaging(t *testing.T) {
	t.Parallel()
	ix := MustOpen(t, t.TempDir())
	var recs []engine.Record
	for i := range 25 {
		p := post(fmt.Sprintf("p-%02d", i), int64(i+1), "面点师", "e-1", "onsite", 31.2, 121.4)
		if i%3 == 0 {
			p.Description = "西式面点 面点装饰" // scores differ: some hits rank above the rest
		}
		recs = append(recs, p)
	}
	MustApply(t, ix, engine.KindPost, recs...)

	for _, text := range []string{"", "面点"} {
		t.Run("text="+text, func(t *testing.T) {
			all := ids(MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: text, Limit: 200}))
			if len(all) != 25 {
				t.Fatalf("one page holds %d hits, want 25", len(all))
			}
			var paged []string
			cursor, pages := "", 0
			for {
				res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: text, Limit: 10, Cursor: cursor})
				pages++
				if res.Total != 25 {
					t.Fatalf("page %d: total %d, want 25", pages, res.Total)
				}
				paged = append(paged, ids(res)...)
				if cursor = res.NextCursor; cursor == "" {
					break
				}
				if pages > 5 {
					t.Fatal("cursor never ends")
				}
			}
			if pages != 3 || !slices.Equal(paged, all) {
				t.Fatalf("%d pages gave %v, want 3 pages giving %v", pages, paged, all)
			}
			if text == "" && !slices.IsSorted(all) {
				t.Fatalf("without text hits are not in id order: %v", all)
			}
			if text != "" { // the nine with a description rank first, ties by id
				want := []string{"p-00", "p-03", "p-06", "p-09", "p-12", "p-15", "p-18", "p-21", "p-24", "p-01", "p-02"}
				if !slices.Equal(all[:len(want)], want) {
					t.Fatalf("ranking %v, want it to start %v", all, want)
				}
			}
		})
	}
	t.Run("exact last page has no cursor", func(t *testing.T) {
		res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Limit: 25})
		if len(res.Hits) != 25 || res.NextCursor != "" {
			t.Fatalf("got %d hits, cursor %q", len(res.Hits), res.NextCursor)
		}
	})
	t.Run("default limit", func(t *testing.T) {
		if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost}); len(res.Hits) != DefaultLimit {
			t.Fatalf("got %d hits, want %d", len(res.Hits), DefaultLimit)
		}
	})
}

func TestSearchInvalid(t *testing.T) {
	t.Parallel()
	ix := newPostIndex(t)
	textCursor := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: "面点", Limit: 1}).NextCursor
	for name, q := range map[string]engine.SearchQuery{
		"no type":          {},
		"unknown type":     {Type: engine.KindEmployer},
		"garbage cursor":   {Type: engine.KindPost, Cursor: "!!"},
		"cursor of a text": {Type: engine.KindPost, Cursor: textCursor},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), q)
			if engine.ErrorCode(err) != engine.EINVALID {
				t.Fatalf("got %v, want an invalid error", err)
			}
		})
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	t.Run("last rev survives a restart", func(t *testing.T) {
		dir := t.TempDir()
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if rev, err := ix.LastRev(); err != nil || rev != 0 {
			t.Fatalf("new index: rev %d, %v", rev, err)
		}
		MustApply(t, ix, engine.KindPost, post("a", 3, "甲", "", "remote", 0, 0), post("b", 7, "乙", "", "remote", 0, 0),
			post("c", 5, "丙", "", "remote", 0, 0))
		MustApply(t, ix, engine.KindPost, post("a", 2, "甲", "", "remote", 0, 0)) // never moves back
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		ix = MustOpen(t, dir)
		if rev, err := ix.LastRev(); err != nil || rev != 7 {
			t.Fatalf("after reopen: rev %d, %v; want 7", rev, err)
		}
		if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost}); res.Total != 3 {
			t.Fatalf("after reopen: %d posts, want 3", res.Total)
		}
	})
	t.Run("a newer version replaces the document", func(t *testing.T) {
		ix := MustOpen(t, t.TempDir())
		MustApply(t, ix, engine.KindPost, post("p-1", 1, "西式面点师", "", "onsite", 31.2, 121.4))
		MustApply(t, ix, engine.KindPost, post("p-1", 2, "数据录入员", "", "remote", 0, 0))
		if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: "面点"}); res.Total != 0 {
			t.Fatalf("old title still found: %v", ids(res))
		}
		res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Text: "录入"})
		if !slices.Equal(ids(res), []string{"p-1"}) || res.Hits[0].WorkMode != "remote" {
			t.Fatalf("new version: %+v", res.Hits)
		}
		if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost, Near: &engine.Geo{Lat: 31.2, Lon: 121.4}}); res.Total != 0 {
			t.Fatalf("old site still found: %v", ids(res))
		}
	})
	t.Run("kinds share ids without colliding", func(t *testing.T) {
		ix := MustOpen(t, t.TempDir())
		MustApply(t, ix, engine.KindPost, post("x", 1, "面点师", "", "remote", 0, 0))
		MustApply(t, ix, engine.KindClass, &engine.Class{Meta: engine.Meta{ID: "x", Rev: 2}, Title: "面点班", Mode: "onsite",
			Status: "open", Site: engine.Site{Lat: 31.2, Lon: 121.4}})
		for _, k := range []engine.Kind{engine.KindPost, engine.KindClass} {
			res := MustSearch(t, ix, engine.SearchQuery{Type: k, Text: "面点"})
			if !slices.Equal(ids(res), []string{"x"}) || res.Hits[0].Kind != k {
				t.Fatalf("%s: %+v", k, res.Hits)
			}
		}
	})
	t.Run("a record of another kind is refused", func(t *testing.T) {
		ix := MustOpen(t, t.TempDir())
		if err := ix.Apply(context.Background(), engine.KindClass, []engine.Record{post("p", 1, "t", "", "remote", 0, 0)}, 1); err == nil {
			t.Fatal("a post applied as a class")
		}
		if rev, _ := ix.LastRev(); rev != 0 {
			t.Fatalf("rev moved to %d on a failed apply", rev)
		}
	})
	t.Run("an outdated mapping is rebuilt", func(t *testing.T) {
		dir := t.TempDir()
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		MustApply(t, ix, engine.KindPost, post("a", 9, "甲", "", "remote", 0, 0))
		if err := ix.bi.SetInternal(keyMapping, []byte("0")); err != nil {
			t.Fatal(err)
		}
		ix.Close()
		ix = MustOpen(t, dir)
		if rev, _ := ix.LastRev(); rev != 0 {
			t.Fatalf("rev %d after a rebuild, want 0", rev)
		}
		if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindPost}); res.Total != 0 {
			t.Fatalf("%d posts after a rebuild", res.Total)
		}
	})
}

const (
	residentID  = "31010419900307001X"
	certificate = "31010419900307001X42"
)

func seeker(id string, rev int64) *engine.Seeker {
	return &engine.Seeker{Meta: engine.Meta{ID: id, Rev: rev}, Name: "王小明", ResidentID: residentID,
		Certificate: certificate, Disability: engine.Disability{Category: "physical", Level: 2},
		Street: "tianlin", Home: engine.Geo{Lat: 31.17, Lon: 121.43}, Status: "seeking", CounsellorID: "u-7",
		Skills: []engine.SkillLevel{{Code: "typing", Level: 2}}}
}

func TestSeekers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ix := MustOpen(t, dir)
	MustApply(t, ix, engine.KindSeeker, seeker("s-1", 1), seeker("s-2", 2))

	res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindSeeker, Text: "小明", Street: "tianlin",
		Category: "physical", Status: "seeking", Near: &engine.Geo{Lat: 31.17, Lon: 121.43}, Km: 1, Facets: true})
	if !slices.Equal(ids(res), []string{"s-1", "s-2"}) || res.Hits[0].Title != "王小明" {
		t.Fatalf("seekers: %+v", res.Hits)
	}
	if got, w := res.Facets["category"], []engine.FacetCount{fc("physical", 2)}; !slices.Equal(got, w) {
		t.Errorf("category facet %v, want %v", got, w)
	}
	if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindSeeker, Text: residentID}); res.Total != 0 {
		t.Fatalf("resident ID is searchable: %v", ids(res))
	}

	erased := seeker("s-2", 3)
	erased.Erased = true
	MustApply(t, ix, engine.KindSeeker, erased)
	if res := MustSearch(t, ix, engine.SearchQuery{Type: engine.KindSeeker}); !slices.Equal(ids(res), []string{"s-1"}) {
		t.Fatalf("after erasing s-2: %v", ids(res))
	}
	if rev, _ := ix.LastRev(); rev != 3 {
		t.Fatalf("rev %d after the erase, want 3", rev)
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, secret := range []string{residentID, certificate, "31010419900307"} {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(secret))) {
				return fmt.Errorf("%s holds %s", path, secret)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := (&Index{}).document(engine.KindSeeker, seeker("s-3", 1)); err != nil || fmt.Sprint(d) == "" ||
		bytes.Contains([]byte(fmt.Sprint(d)), []byte("31010419900307")) {
		t.Fatalf("seeker document %v, %v", d, err)
	}
}
