package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names of an indexed document.
const (
	fieldKind        = "kind"
	fieldID          = "id"
	fieldTitle       = "title"
	fieldDescription = "description"
	fieldSkillNames  = "skillNames"
	fieldSkills      = "skills"
	fieldStreet      = "street"
	fieldWorkMode    = "workMode"
	fieldStatus      = "status"
	fieldCategory    = "category"
	fieldEmployerID  = "employerId"
	fieldCounsellor  = "counsellorId"
	fieldGeo         = "geo"
	// fieldFacets holds every faceted value of a document as "field:value",
	// the one field with doc values, added outside the mapping (see
	// Index.bleveDocument) because the mapping cannot leave doc values
	// uncompressed.
	fieldFacets = "facets"
)

// textFields are searched by a query's text, with their boosts.
var textFields = []struct {
	name  string
	boost float64
}{
	{fieldTitle, 3},
	{fieldSkillNames, 2},
	{fieldDescription, 1},
}

// storedFields are returned with each hit.
var storedFields = []string{fieldTitle, fieldStreet, fieldWorkMode, fieldStatus}

// mappingVersion changes whenever newMapping or the documents change; an index
// built with another version is rebuilt from the store.
const mappingVersion = "2"

// newMapping describes the one document shape shared by the three kinds. It is
// static: only the fields named here are indexed, whatever a document holds.
func newMapping() mapping.IndexMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = cjk.AnalyzerName
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	geo := bleve.NewGeoPointFieldMapping()
	geo.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { doc.AddFieldMappingsAt(name, f) }
	add(fieldKind, kw(false, false))
	add(fieldID, kw(false, false))
	add(fieldTitle, text(true))
	add(fieldDescription, text(false))
	add(fieldSkillNames, text(false))
	add(fieldSkills, kw(false, false))
	add(fieldStreet, kw(true, false))
	add(fieldWorkMode, kw(true, false))
	add(fieldStatus, kw(true, false))
	add(fieldCategory, kw(false, false))
	add(fieldEmployerID, kw(false, false))
	add(fieldCounsellor, kw(false, false))
	add(fieldGeo, geo)

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = cjk.AnalyzerName
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}
