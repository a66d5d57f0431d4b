package engine

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"jobbridge/engine/xapi"
)

// CourseStructure is what a cmi5 course structure (cmi5.xml, cmi5 §13)
// says: the course activity and its AUs in document order (blocks flattened).
type CourseStructure struct {
	CourseID string
	Title    string
	AUs      []AU
}

// AU is one assignable unit of a cmi5 course.
type AU struct {
	ID           string // the AU's activity id
	Title        string
	URL          string
	MoveOn       string
	MasteryScore *float64
}

type xmlLangString struct {
	Lang  string `xml:"lang,attr"`
	Value string `xml:",chardata"`
}

type xmlTitle struct {
	Strings []xmlLangString `xml:"langstring"`
}

type xmlAU struct {
	ID           string   `xml:"id,attr"`
	MoveOn       string   `xml:"moveOn,attr"`
	MasteryScore string   `xml:"masteryScore,attr"`
	Title        xmlTitle `xml:"title"`
	URL          string   `xml:"url"`
}

type xmlBlock struct {
	ID     string     `xml:"id,attr"`
	AUs    []xmlAU    `xml:"au"`
	Blocks []xmlBlock `xml:"block"`
	// order keeps AUs and blocks in document order.
	order []any
}

// UnmarshalXML reads a block's AUs and nested blocks in document order.
func (b *xmlBlock) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		if a.Name.Local == "id" {
			b.ID = a.Value
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "au":
				var au xmlAU
				if err := d.DecodeElement(&au, &t); err != nil {
					return err
				}
				b.order = append(b.order, au)
			case "block":
				var nb xmlBlock
				if err := d.DecodeElement(&nb, &t); err != nil {
					return err
				}
				b.order = append(b.order, &nb)
			default:
				if err := d.Skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (b *xmlBlock) flatten(out *[]xmlAU) {
	for _, x := range b.order {
		switch v := x.(type) {
		case xmlAU:
			*out = append(*out, v)
		case *xmlBlock:
			v.flatten(out)
		}
	}
}

// bestTitle picks the Chinese title, else English, else the first.
func (t xmlTitle) best() string {
	for _, want := range []string{"zh", "en"} {
		for _, s := range t.Strings {
			if strings.HasPrefix(strings.ToLower(s.Lang), want) && strings.TrimSpace(s.Value) != "" {
				return strings.TrimSpace(s.Value)
			}
		}
	}
	for _, s := range t.Strings {
		if v := strings.TrimSpace(s.Value); v != "" {
			return v
		}
	}
	return ""
}

// MaxCourseStructure is the largest course structure (or zip holding one) read.
const MaxCourseStructure = 16 << 20

// ParseCourseStructure reads cmi5.xml, or a zip holding it at its root (a
// cmi5 course package). Errors name what is wrong in the file.
func ParseCourseStructure(data []byte) (*CourseStructure, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, lrsInvalid("body", "is not a readable zip: "+err.Error())
		}
		var found *zip.File
		for _, f := range zr.File {
			if strings.EqualFold(path.Base(f.Name), "cmi5.xml") && (found == nil || len(f.Name) < len(found.Name)) {
				found = f
			}
		}
		if found == nil {
			return nil, lrsInvalid("body", "the zip holds no cmi5.xml")
		}
		rc, err := found.Open()
		if err != nil {
			return nil, lrsInvalid("body", "cmi5.xml in the zip cannot be read: "+err.Error())
		}
		defer rc.Close()
		if data, err = io.ReadAll(io.LimitReader(rc, MaxCourseStructure+1)); err != nil || len(data) > MaxCourseStructure {
			return nil, lrsInvalid("body", "cmi5.xml in the zip cannot be read, or is larger than 16 MiB")
		}
	}
	var doc struct {
		XMLName xml.Name `xml:"courseStructure"`
		Course  struct {
			ID    string   `xml:"id,attr"`
			Title xmlTitle `xml:"title"`
		} `xml:"course"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, lrsInvalid("body", "is not a cmi5 course structure (courseStructure XML): "+err.Error())
	}
	var root xmlBlock
	if err := xml.Unmarshal(data, &root); err != nil {
		return nil, lrsInvalid("body", "is not a cmi5 course structure: "+err.Error())
	}
	var aus []xmlAU
	root.flatten(&aus)
	var p Problems
	cs := &CourseStructure{CourseID: strings.TrimSpace(doc.Course.ID), Title: doc.Course.Title.best()}
	if !xapi.IsIRI(cs.CourseID) {
		p.Add("course.id", "must be an IRI, not %q", cs.CourseID)
	}
	if len(aus) == 0 {
		p.Add("au", "the course has no AU")
	}
	seen := map[string]bool{}
	for i, a := range aus {
		f := fmt.Sprintf("au[%d]", i)
		au := AU{ID: strings.TrimSpace(a.ID), Title: a.Title.best(), URL: strings.TrimSpace(a.URL), MoveOn: a.MoveOn}
		if !xapi.IsIRI(au.ID) {
			p.Add(f+".id", "must be an IRI, not %q", au.ID)
		} else if seen[au.ID] {
			p.Add(f+".id", "repeats the AU %s", au.ID)
		}
		seen[au.ID] = true
		if au.Title == "" {
			p.Add(f+".title", "is required")
		}
		if au.URL == "" {
			p.Add(f+".url", "is required")
		}
		if au.MoveOn == "" {
			au.MoveOn = "NotApplicable" // cmi5 §13.1.4: the default
		}
		if !slices.Contains(MoveOnValues, au.MoveOn) {
			p.Add(f+".moveOn", "must be one of %s", strings.Join(MoveOnValues, ", "))
		}
		if s := strings.TrimSpace(a.MasteryScore); s != "" {
			m, err := strconv.ParseFloat(s, 64)
			if err != nil || m < 0 || m > 1 {
				p.Add(f+".masteryScore", "must be a decimal from 0 to 1")
			} else {
				au.MasteryScore = &m
			}
		}
		cs.AUs = append(cs.AUs, au)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return cs, nil
}

// ApplyCourseStructure makes a class's modules the course's AUs (DESIGN §6):
// an AU keeps the id of the module that already has its activity id (so
// recorded progress still maps), a new one gets the next "au-N" no module
// had; an AU
// whose moveOn is NotApplicable is optional. The class's activity becomes the course's.
func (c *Class) ApplyCourseStructure(cs *CourseStructure) {
	byActivity := map[string]Module{}
	used := map[string]bool{}
	for _, m := range c.Modules {
		byActivity[m.Activity(c.ID)] = m
		used[m.ID] = true // a dropped module's id is not given to another AU: its progress would follow
	}
	mods := make([]Module, 0, len(cs.AUs))
	next := 1
	for _, au := range cs.AUs {
		m, ok := byActivity[au.ID]
		if !ok {
			for used[fmt.Sprintf("au-%d", next)] {
				next++
			}
			m = Module{ID: fmt.Sprintf("au-%d", next)}
			used[m.ID] = true
		}
		mods = append(mods, au.Module(m))
	}
	c.Modules = mods
	c.ActivityID = cs.CourseID
}

// Module is m (its id and what else it holds) as the module of the AU: its
// title, activity, launch URL, moveOn and mastery score; an AU whose moveOn
// is NotApplicable is optional.
func (au AU) Module(m Module) Module {
	m.Title = au.Title
	if len([]rune(m.Title)) > 200 {
		m.Title = string([]rune(m.Title)[:200])
	}
	m.ActivityID, m.LaunchURL, m.MoveOn, m.MasteryScore = au.ID, au.URL, au.MoveOn, au.MasteryScore
	m.Required = au.MoveOn != "NotApplicable"
	return m
}
