package search

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"jobbridge/engine"
)

// facetAnalyzer keeps a facet term whole.
var facetAnalyzer = &analysis.DefaultAnalyzer{Tokenizer: single.NewSingleTokenTokenizer()}

// docID is the index id of a record: kind and id, so the kinds never collide.
func docID(kind engine.Kind, id string) string { return string(kind) + ":" + id }

// document is what the index holds of a record. It is built field by field so
// that nothing else (a seeker's resident ID or certificate) can reach the index.
func (ix *Index) document(kind engine.Kind, r engine.Record) (map[string]any, error) {
	d := map[string]any{fieldKind: string(kind), fieldID: r.RecordMeta().ID}
	switch v := r.(type) {
	case *engine.Post:
		d[fieldTitle] = v.Title
		d[fieldDescription] = v.Description
		ix.putSkills(d, codes(len(v.Skills), func(i int) string { return v.Skills[i].Code }))
		ix.putKeywords(d, fieldWorkMode, v.WorkMode, fieldStatus, v.Status, fieldEmployerID, v.EmployerID)
		if ix.EmployerStreet != nil {
			ix.putKeywords(d, fieldStreet, ix.EmployerStreet(v.EmployerID))
		}
		putGeo(d, v.Site.Lat, v.Site.Lon)
	case *engine.Class:
		d[fieldTitle] = v.Title
		d[fieldDescription] = strings.TrimSpace(v.Description + "\n" + v.Provider)
		ix.putSkills(d, codes(len(v.Skills), func(i int) string { return v.Skills[i].Code }))
		ix.putKeywords(d, fieldWorkMode, v.Mode, fieldStatus, v.Status)
		putGeo(d, v.Site.Lat, v.Site.Lon)
	case *engine.Seeker:
		d[fieldTitle] = v.Name
		ix.putSkills(d, codes(len(v.Skills), func(i int) string { return v.Skills[i].Code }))
		ix.putKeywords(d, fieldStreet, v.Street, fieldStatus, v.Status,
			fieldCategory, v.Disability.Category, fieldCounsellor, v.CounsellorID)
		putGeo(d, v.Home.Lat, v.Home.Lon)
	default:
		return nil, fmt.Errorf("index %s %s: unexpected record %T", kind, r.RecordMeta().ID, r)
	}
	return d, nil
}

// bleveDocument maps d through the index mapping and adds fieldFacets: each
// faceted field's values again as "field:value" terms, kept as doc values of
// one document per chunk, uncompressed (as Bleve keeps geo points). Counting
// facets then reads one field per hit, straight from the segment, instead of
// decompressing a chunk of 1,024 documents per faceted field, which made the
// facets cost more than the search itself. Both options are needed: zapx v17's
// merge takes an uncompressed field to be unchunked too, and a field with only
// SkipDVCompression loses its values when segments merge
// (TestSearchFacetsSegments).
func (ix *Index) bleveDocument(id string, kind engine.Kind, d map[string]any) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := ix.bi.Mapping().MapDocument(doc, d); err != nil {
		return nil, err
	}
	const opts = index.IndexField | index.DocValues | index.SkipDVChunking | index.SkipDVCompression
	for _, f := range facetFields(kind) {
		var vals []string
		switch v := d[f].(type) {
		case string:
			vals = []string{v}
		case []string:
			vals = v
		}
		for _, v := range vals {
			doc.AddField(document.NewTextFieldCustom(fieldFacets, nil, []byte(f+":"+v), opts, facetAnalyzer))
		}
	}
	return doc, nil
}

// codes lists the n skill codes code gives (posts and the others keep their
// skills in different types).
func codes(n int, code func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = code(i)
	}
	return out
}

// putKeywords sets name/value pairs, leaving out empty values.
func (ix *Index) putKeywords(d map[string]any, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			d[pairs[i]] = pairs[i+1]
		}
	}
}

// putSkills sets the skill codes and, when the catalog is known, their names.
func (ix *Index) putSkills(d map[string]any, codes []string) {
	if len(codes) == 0 {
		return
	}
	d[fieldSkills] = codes
	if ix.SkillNames == nil {
		return
	}
	var names []string
	for _, c := range codes {
		zh, en := ix.SkillNames(c)
		for _, n := range []string{zh, en} {
			if n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) > 0 {
		d[fieldSkillNames] = strings.Join(names, "\n")
	}
}

// putGeo sets the location unless it is the zero point (remote posts and classes).
func putGeo(d map[string]any, lat, lon float64) {
	if lat == 0 && lon == 0 {
		return
	}
	d[fieldGeo] = map[string]any{"lat": lat, "lon": lon}
}
