package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the Prometheus registry of one Server, served on the operators'
// listener only (OpsHandler), never on the public port: per-route request
// latency (the route template, not the raw path, so ids make no series), the
// matching state's size and rev, and the Go runtime and process.
type metrics struct {
	reg     *prometheus.Registry
	latency *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "jobbridge_http_request_duration_seconds",
			Help:    "HTTP request latency by route template, method and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "code"})}
	m.reg.MustRegister(m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if s.matcher != nil {
		records := func(kind string, n func() int) prometheus.Collector {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "jobbridge_matching_records",
				Help: "Records in the in-memory matching state.", ConstLabels: prometheus.Labels{"kind": kind}},
				func() float64 { return float64(n()) })
		}
		m.reg.MustRegister(
			records("open_post", func() int { return s.matcher.Stats().OpenPosts }),
			records("closed_post", func() int { return s.matcher.Stats().ClosedPosts }),
			records("class", func() int { return s.matcher.Stats().Classes }),
			records("seeker", func() int { return s.matcher.Stats().Seekers }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "jobbridge_change_feed_rev",
				Help: "Highest change-feed revision applied in memory."},
				func() float64 { return float64(s.matcher.Stats().Rev) }))
		if s.svc != nil && s.svc.Index != nil {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "jobbridge_index_lag_revs",
				Help: "Revs the search index's last mark is behind the in-memory state (0 when level)."},
				func() float64 {
					last, err := s.svc.Index.LastRev()
					if err != nil {
						return -1
					}
					return float64(max(0, s.matcher.Stats().Rev-last))
				}))
		}
	}
	return m
}

// observe records a request's latency under its route template ("" for no route).
func (m *metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.latency.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
}

// handler answers GET /metrics in the Prometheus text format.
func (m *metrics) handler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
