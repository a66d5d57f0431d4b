package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jobbridge/engine"
)

// kpis answers the outcome report (DESIGN §8) of ?from=&to= (default: this
// year so far) and optional ?street=, as JSON or, with ?format=csv, as CSV.
func (s *Server) kpis(c *gin.Context) {
	q := s.kpiQuery(c)
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" {
		fail(c, invalid("format", "must be json or csv"))
		return
	}
	rep, err := s.svc.KPIs(q, s.seekerStreet)
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		ok(c, rep)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="kpis-%s-%s.csv"`, rep.From, rep.To))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", kpiCSV(rep))
}

// kpiQuery reads a report's ?from=&to= (default: this year so far) and ?street=;
// the API and the dashboard page share it.
func (s *Server) kpiQuery(c *gin.Context) engine.KPIQuery {
	now := s.clock.Now().In(engine.Shanghai)
	return engine.KPIQuery{From: c.DefaultQuery("from", fmt.Sprintf("%d-01-01", now.Year())),
		To: c.DefaultQuery("to", now.Format(time.DateOnly)), Street: c.Query("street")}
}

// kpiCSV writes one row per group and indicator: the district first (street
// "district"), then the streets; an indicator that is not available has an
// empty value and available=false, its counts still given.
func kpiCSV(rep *engine.KPIReport) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"from", "to", "street", "streetName", "indicator", "name", "numerator", "denominator", "value", "available", "counts"})
	groups := rep.Streets
	if rep.Street == "" {
		groups = append([]engine.KPIGroup{rep.District}, rep.Streets...)
	}
	for _, g := range groups {
		street := g.Street
		if street == "" {
			street = "district"
		}
		for _, in := range g.Indicators {
			value := ""
			if in.Value != nil {
				value = strconv.FormatFloat(*in.Value, 'f', -1, 64)
			}
			keys := make([]string, 0, len(in.Counts))
			for k := range in.Counts {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			counts := make([]string, len(keys))
			for i, k := range keys {
				counts[i] = k + "=" + strconv.Itoa(in.Counts[k])
			}
			_ = w.Write([]string{rep.From, rep.To, street, g.StreetName, in.Key, in.Name.En, strconv.Itoa(in.Numerator),
				strconv.Itoa(in.Denominator), value, strconv.FormatBool(in.Available), strings.Join(counts, ";")})
		}
	}
	w.Flush()
	return b.Bytes()
}

// employerQuota answers an employer's quota for ?year= (default this year).
func (s *Server) employerQuota(c *gin.Context) {
	id := c.Param("id")
	if err := canReadEmployer(user(c), id); err != nil {
		fail(c, err)
		return
	}
	year, err := quotaYear(c)
	if err != nil {
		fail(c, err)
		return
	}
	q, err := s.svc.Quota(id, year)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, q)
}

// quotaYear reads ?year= (0, this year, when absent); the API and the quota page share it.
func quotaYear(c *gin.Context) (int, error) {
	v := c.Query("year")
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, invalid("year", "must be a year from 2000 to 2100")
	}
	return y, nil
}
