package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// Report pages: an employer's quota with the worked calculation, and the KPI
// dashboard (charts drawn on the server as SVG, each with its data table and CSV).

type quotaData struct {
	E     *engine.Employer
	Q     *engine.Quota
	Years []option
}

func (st *site) quotaPage(c *gin.Context) error {
	id := c.Param("id")
	if err := canReadEmployer(pageUser(c), id); err != nil {
		return err
	}
	e, found := st.svc.Employer(id)
	if !found {
		return notFound(engine.KindEmployer, id)
	}
	year, err := quotaYear(c)
	if err != nil {
		return err
	}
	q, err := st.svc.Quota(id, year)
	if err != nil {
		return err
	}
	table := st.svc.QuotaPolicies
	if table == nil {
		table = engine.DefaultQuotaPolicies
	}
	d := quotaData{E: e, Q: q}
	for _, p := range table {
		y := strconv.Itoa(p.Year)
		d.Years = append(d.Years, option{Value: y, Label: y, Selected: p.Year == q.Year})
	}
	v := st.view(c, "quota.title", "Name", e.Name, "Year", strconv.Itoa(q.Year))
	v.Data = d
	st.render(c, http.StatusOK, "quota", v)
	return nil
}

// kpiChart is one indicator drawn as a horizontal bar per group (the district, then each street).
type kpiChart struct {
	Key    string
	Name   engine.Note
	Money  bool
	Rows   []kpiBar
	Height int
	CSV    string
}

type kpiBar struct {
	Label      string
	Y          int
	Width      float64 // of the plot area, 0–barMax
	Value      *float64
	Num, Den   int
	Placements int
}

// Chart geometry in SVG user units.
const (
	chartWidth  = 640
	chartLabelW = 170
	barMax      = 360
	rowH        = 28
)

type kpiData struct {
	Q         engine.KPIQuery
	Streets   []option
	R         *engine.KPIReport
	Charts    []kpiChart
	Geometry  map[string]int
	QueryText string
}

func (st *site) kpiPage(c *gin.Context) error {
	q := st.kpiQuery(c)
	lang := c.GetString(langKey)
	v := st.view(c, "kpis.title")
	d := kpiData{Q: q, Streets: st.options(lang, "street", []string{q.Street}, true),
		Geometry: map[string]int{"width": chartWidth, "label": chartLabelW, "bar": barMax, "row": rowH}}
	d.Streets[0].Label = st.cat.T(lang, "kpis.wholeDistrict")
	r, err := st.svc.KPIs(q, st.seekerStreet)
	if err != nil {
		if err := st.formFailed(v, err, nil); err != nil {
			return err
		}
		v.Data = d
		st.render(c, formStatus(v), "kpis", v)
		return nil
	}
	d.R = r
	params := url.Values{"from": {q.From}, "to": {q.To}}
	if q.Street != "" {
		params.Set("street", q.Street)
	}
	d.QueryText = params.Encode()
	groups := append([]engine.KPIGroup{r.District}, r.Streets...)
	for i, key := range engine.KPIKeys {
		ch := kpiChart{Key: key, Name: engine.KPINames[key], Money: key == engine.KPIMedianWageQ2}
		top := 1.0
		if ch.Money {
			top = 0
			for _, g := range groups {
				if in := g.Indicators[i]; in.Value != nil && *in.Value > top {
					top = *in.Value
				}
			}
		}
		for j, g := range groups {
			in := g.Indicators[i]
			b := kpiBar{Label: g.StreetName, Y: j * rowH, Value: in.Value, Num: in.Numerator, Den: in.Denominator, Placements: g.Placements}
			if g.Street != "" {
				b.Label = st.cat.label(lang, "street", g.Street)
			} else {
				b.Label = st.cat.T(lang, "kpis.wholeDistrict")
			}
			if in.Value != nil && top > 0 {
				b.Width = *in.Value / top * barMax
			}
			ch.Rows = append(ch.Rows, b)
		}
		ch.Height = len(ch.Rows)*rowH + 8
		p := url.Values{}
		for k, vs := range params {
			p[k] = vs
		}
		p.Set("key", key)
		ch.CSV = "/reports/kpis.csv?" + p.Encode()
		d.Charts = append(d.Charts, ch)
	}
	v.Data = d
	st.render(c, http.StatusOK, "kpis", v)
	return nil
}

// kpiCSVPage answers the report, or one indicator of it (?key=), as the API's
// CSV with a byte-order mark, so spreadsheet programs read the Chinese names.
func (st *site) kpiCSVPage(c *gin.Context) error {
	q := st.kpiQuery(c)
	r, err := st.svc.KPIs(q, st.seekerStreet)
	if err != nil {
		return err
	}
	name := "kpis-" + r.From + "-" + r.To
	if key := c.Query("key"); key != "" {
		if !slices.Contains(engine.KPIKeys, key) {
			return invalid("key", "is not a KPI")
		}
		one := *r
		only := func(g engine.KPIGroup) engine.KPIGroup {
			g.Indicators = slices.DeleteFunc(slices.Clone(g.Indicators), func(in engine.Indicator) bool { return in.Key != key })
			return g
		}
		one.District = only(r.District)
		one.Streets = make([]engine.KPIGroup, len(r.Streets))
		for i, g := range r.Streets {
			one.Streets[i] = only(g)
		}
		r, name = &one, name+"-"+key
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", append([]byte("\ufeff"), kpiCSV(r)...))
	return nil
}
