package search

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"jobbridge/engine"
)

// Page sizes and facet width.
const (
	DefaultLimit = 20
	MaxLimit     = 200
	facetSize    = 20
	defaultKm    = 5.0
)

// searchKinds maps the accepted spellings of a query's type to a kind.
var searchKinds = map[string]engine.Kind{
	"post": engine.KindPost, "posts": engine.KindPost,
	"class": engine.KindClass, "classes": engine.KindClass,
	"seeker": engine.KindSeeker, "seekers": engine.KindSeeker,
}

// Search finds records of one kind. With text, hits come by relevance then id;
// without, by id. A page ends with a cursor when more hits remain.
func (ix *Index) Search(ctx context.Context, q engine.SearchQuery) (*engine.SearchResult, error) {
	kind, ok := searchKinds[string(q.Type)]
	if !ok {
		return nil, &engine.Error{Code: engine.EINVALID, Message: "invalid search",
			Fields: []engine.FieldError{{Field: "type", Message: "must be posts, classes or seekers"}}}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	text := strings.TrimSpace(q.Text)

	req := bleve.NewSearchRequestOptions(buildQuery(kind, text, q), limit+1, 0, false)
	req.Fields = storedFields
	if text == "" {
		req.Score = "none"
		req.SortByCustom(bsearch.SortOrder{&bsearch.SortDocID{}})
	} else {
		req.SortByCustom(bsearch.SortOrder{&bsearch.SortScore{Desc: true},
			&bsearch.SortDocID{}})
	}
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor, len(req.Sort))
		if err != nil {
			return nil, err
		}
		req.SetSearchAfter(after)
	}
	if q.Facets {
		// Every value is counted (a few hundred at most: streets, statuses,
		// modes, categories, the skill catalog), then cut per field below.
		req.AddFacet(fieldFacets, bleve.NewFacetRequest(fieldFacets, math.MaxInt32))
	}

	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", kind, err)
	}
	out := &engine.SearchResult{Total: res.Total, Hits: make([]engine.SearchHit, 0, min(len(res.Hits), limit))}
	for i, h := range res.Hits {
		if i == limit {
			out.NextCursor = encodeCursor(res.Hits[i-1], text != "")
			break
		}
		out.Hits = append(out.Hits, engine.SearchHit{
			ID:       strings.TrimPrefix(h.ID, string(kind)+":"),
			Kind:     kind,
			Score:    h.Score,
			Title:    stringField(h, fieldTitle),
			Street:   stringField(h, fieldStreet),
			WorkMode: stringField(h, fieldWorkMode),
			Status:   stringField(h, fieldStatus),
		})
	}
	if text == "" {
		for i := range out.Hits {
			out.Hits[i].Score = 0
		}
	}
	if q.Facets {
		out.Facets = splitFacets(kind, res.Facets[fieldFacets])
	}
	return out, nil
}

// splitFacets turns the counts of fieldFacets' "field:value" terms into each
// faceted field's values, most frequent first (then by value), at most
// facetSize each. Every faceted field of the kind is present, empty when no
// hit has a value for it.
func splitFacets(kind engine.Kind, fr *bsearch.FacetResult) map[string][]engine.FacetCount {
	out := make(map[string][]engine.FacetCount)
	for _, f := range facetFields(kind) {
		out[f] = []engine.FacetCount{}
	}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			field, value, ok := strings.Cut(t.Term, ":")
			if counts, known := out[field]; ok && known {
				out[field] = append(counts, engine.FacetCount{Value: value, Count: t.Count})
			}
		}
	}
	for f, counts := range out {
		sort.Slice(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Value < counts[j].Value
		})
		out[f] = counts[:min(len(counts), facetSize)]
	}
	return out
}

// buildQuery matches the text over the text fields (everything when empty),
// filtered by kind, the keyword filters and the distance.
func buildQuery(kind engine.Kind, text string, q engine.SearchQuery) query.Query {
	filters := []query.Query{term(fieldKind, string(kind))}
	for _, f := range []struct{ field, value string }{
		{fieldStreet, q.Street}, {fieldWorkMode, q.WorkMode}, {fieldStatus, q.Status}, {fieldCategory, q.Category},
		{fieldEmployerID, q.EmployerID},
	} {
		if f.value != "" {
			filters = append(filters, term(f.field, f.value))
		}
	}
	if q.Near != nil {
		km := q.Km
		if km <= 0 {
			km = defaultKm
		}
		g := bleve.NewGeoDistanceQuery(q.Near.Lon, q.Near.Lat, strconv.FormatFloat(km, 'f', -1, 64)+"km")
		g.SetField(fieldGeo)
		filters = append(filters, g)
	}

	b := bleve.NewBooleanQuery()
	b.AddFilter(bleve.NewConjunctionQuery(filters...))
	if text != "" {
		matches := make([]query.Query, len(textFields))
		for i, f := range textFields {
			m := bleve.NewMatchQuery(text)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			matches[i] = m
		}
		b.AddMust(bleve.NewDisjunctionQuery(matches...))
	}
	return b
}

// term is an exact match on a keyword field.
func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

// facetFields are the fields counted for a kind.
func facetFields(kind engine.Kind) []string {
	if kind == engine.KindSeeker {
		return []string{fieldStreet, fieldStatus, fieldCategory, fieldSkills}
	}
	return []string{fieldStreet, fieldWorkMode, fieldStatus, fieldSkills}
}

// stringField reads a stored field of a hit.
func stringField(h *bsearch.DocumentMatch, name string) string {
	s, _ := h.Fields[name].(string)
	return s
}

// encodeCursor captures the sort values of the last hit of a page.
func encodeCursor(h *bsearch.DocumentMatch, scored bool) string {
	vals := append([]string(nil), h.Sort...)
	if scored && len(vals) > 0 {
		vals[0] = strconv.FormatFloat(h.Score, 'g', -1, 64)
	}
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor for the same kind of ordering.
func decodeCursor(c string, n int) ([]string, error) {
	bad := &engine.Error{Code: engine.EINVALID, Message: "invalid search",
		Fields: []engine.FieldError{{Field: "cursor", Message: "not a cursor of this search"}}}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, bad
	}
	var vals []string
	if json.Unmarshal(b, &vals) != nil || len(vals) != n {
		return nil, bad
	}
	if n == 2 {
		if _, err := strconv.ParseFloat(vals[0], 64); err != nil {
			return nil, bad
		}
	}
	return vals, nil
}
