package api

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// page answers one page of an in-memory list sorted by key: ?limit= (≤ 200)
// and an opaque ?cursor= naming the last key of the previous page.
func page[T any](c *gin.Context, items []T, key func(T) string) {
	limit, err := limitParam(c, 50, 200)
	if err != nil {
		fail(c, err)
		return
	}
	after := ""
	if cur := c.Query("cursor"); cur != "" {
		b, err := base64.RawURLEncoding.DecodeString(cur)
		if err != nil {
			fail(c, invalid("cursor", "is not a cursor this server issued"))
			return
		}
		after = string(b)
	}
	start := sort.Search(len(items), func(i int) bool { return key(items[i]) > after })
	end := min(start+limit, len(items))
	body := gin.H{"results": items[start:end], "total": len(items)}
	if end < len(items) {
		body["nextCursor"] = base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	}
	ok(c, body)
}

// searchTypes maps the ?type= values to kinds.
var searchTypes = map[string]engine.Kind{"posts": engine.KindPost, "classes": engine.KindClass, "seekers": engine.KindSeeker}

// searchQuery reads the index query parameters shared by /search and the lists.
func searchQuery(c *gin.Context, kind engine.Kind) (engine.SearchQuery, error) {
	q := engine.SearchQuery{Type: kind, Text: strings.TrimSpace(c.Query("q")), Street: c.Query("street"),
		WorkMode: c.Query("workMode"), Status: c.Query("status"), Category: c.Query("category"),
		Facets: c.Query("facets") == "1" || c.Query("facets") == "true", Cursor: c.Query("cursor")}
	var err error
	if q.Limit, err = limitParam(c, 20, 200); err != nil {
		return q, err
	}
	if q.Street != "" && engine.Streets[q.Street] == "" {
		return q, invalid("street", "is not a street code")
	}
	if q.WorkMode != "" && !contains(engine.WorkModes, q.WorkMode) {
		return q, invalid("workMode", "must be onsite, hybrid or remote")
	}
	if q.Category != "" && !contains(engine.DisabilityCategories, q.Category) {
		return q, invalid("category", "is not a disability category")
	}
	if len(q.Text) > 200 {
		return q, invalid("q", "must be at most 200 characters")
	}
	if near := c.Query("near"); near != "" {
		lat, lon, found := strings.Cut(near, ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if !found || err1 != nil || err2 != nil || !engine.LatInShanghai(la) || !engine.LonInShanghai(lo) {
			return q, invalid("near", "must be lat,lon inside Shanghai")
		}
		q.Near = &engine.Geo{Lat: la, Lon: lo}
		q.Km = 5
		if km := c.Query("km"); km != "" {
			v, err := strconv.ParseFloat(km, 64)
			if err != nil || !(v > 0 && v <= 200) { // so that NaN fails too
				return q, invalid("km", "must be a number of kilometres from 0 to 200")
			}
			q.Km = v
		}
	} else if c.Query("km") != "" {
		return q, invalid("km", "needs near=lat,lon")
	}
	return q, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// scope narrows a query to what the user may see: a counsellor's street for
// seekers, an employer's own posts. It refuses a filter outside that scope.
func scope(u *engine.User, q *engine.SearchQuery) error {
	switch {
	case u.Role == engine.RoleEmployer:
		if q.Type != engine.KindPost {
			return forbidden
		}
		q.EmployerID = u.EmployerID
	case u.Role == engine.RoleCounsellor && q.Type == engine.KindSeeker && u.Street != "":
		if q.Street != "" && q.Street != u.Street {
			return engine.Errorf(engine.EFORBIDDEN, "you work the %s street only", u.Street)
		}
		q.Street = u.Street
	}
	return nil
}

func (s *Server) search(c *gin.Context) {
	kind, found := searchTypes[c.DefaultQuery("type", "posts")]
	if !found {
		fail(c, invalid("type", "must be posts, classes or seekers"))
		return
	}
	if res, done := s.searchScoped(c, kind); done {
		ok(c, res)
	}
}

// searchScoped runs the index query of a search or list over kind, narrowed to
// what the user may see; it answers an error itself and returns false.
func (s *Server) searchScoped(c *gin.Context, kind engine.Kind) (*engine.SearchResult, bool) {
	_, res, err := s.runScoped(c, kind, false)
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return res, true
}

// runScoped runs the request's index query over kind, narrowed to what the
// user may see (with facets when asked, as the pages always do); the API and
// the pages search through it.
func (s *Server) runScoped(c *gin.Context, kind engine.Kind, facets bool) (engine.SearchQuery, *engine.SearchResult, error) {
	q, err := searchQuery(c, kind)
	if err == nil {
		err = scope(user(c), &q)
	}
	if err != nil {
		return q, nil, err
	}
	q.Facets = q.Facets || facets
	res, err := s.svc.Index.Search(c.Request.Context(), q)
	return q, res, err
}

// listIndexed answers a list of posts or classes: the index finds and pages the
// ids, the store supplies the records, keep drops what the user may not see.
func listIndexed[R engine.Record](c *gin.Context, s *Server, kind engine.Kind, newR func() R, may access[R]) {
	res, done := s.searchScoped(c, kind)
	if !done {
		return
	}
	ctx := c.Request.Context()
	out := make([]R, 0, len(res.Hits))
	for _, h := range res.Hits {
		r := newR()
		if err := s.svc.Store.Get(ctx, kind, h.ID, r); err != nil {
			if engine.ErrorCode(err) == engine.ENOTFOUND {
				continue
			}
			fail(c, err)
			return
		}
		if may(user(c), r) == nil {
			out = append(out, r)
		}
	}
	body := gin.H{"results": out, "total": res.Total}
	if res.NextCursor != "" {
		body["nextCursor"] = res.NextCursor
	}
	if res.Facets != nil {
		body["facets"] = res.Facets
	}
	ok(c, body)
}

func (s *Server) listPosts(c *gin.Context) {
	listIndexed(c, s, engine.KindPost, func() *engine.Post { return &engine.Post{} }, canReadPost)
}

func (s *Server) listClasses(c *gin.Context) {
	listIndexed(c, s, engine.KindClass, func() *engine.Class { return &engine.Class{} }, canReadClass)
}

func (s *Server) auditLog(c *gin.Context) {
	limit, err := limitParam(c, 50, 200)
	if err != nil {
		fail(c, err)
		return
	}
	q := engine.AuditQuery{SeekerID: c.Query("seekerId"), Actor: c.Query("actor"), Before: c.Query("cursor"), Limit: limit}
	entries, err := s.svc.Store.AuditLog(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	body := gin.H{"results": entries}
	if len(entries) == limit {
		body["nextCursor"] = entries[len(entries)-1].ID
	}
	ok(c, body)
}
