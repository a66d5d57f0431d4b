package api

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// requestMetrics counts requests by status class and sums their durations,
// for GET /metrics (Prometheus text format, no client library needed).
type requestMetrics struct {
	byClass [6]atomic.Int64 // index = status / 100
	nanos   atomic.Int64
}

func (m *requestMetrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	if cls := c.Writer.Status() / 100; cls >= 1 && cls <= 5 {
		m.byClass[cls].Add(1)
	}
	m.nanos.Add(int64(time.Since(start)))
}

// metrics answers GET /metrics: request counts and the size of the matching state.
func (s *Server) metrics(c *gin.Context) {
	var b strings.Builder
	b.WriteString("# HELP jobbridge_http_requests_total HTTP requests answered, by status class.\n")
	b.WriteString("# TYPE jobbridge_http_requests_total counter\n")
	total := int64(0)
	for cls := 1; cls <= 5; cls++ {
		n := s.reqs.byClass[cls].Load()
		total += n
		fmt.Fprintf(&b, "jobbridge_http_requests_total{code=\"%dxx\"} %d\n", cls, n)
	}
	b.WriteString("# HELP jobbridge_http_request_seconds_sum Time spent answering HTTP requests.\n")
	b.WriteString("# TYPE jobbridge_http_request_seconds_sum counter\n")
	fmt.Fprintf(&b, "jobbridge_http_request_seconds_sum %g\n", time.Duration(s.reqs.nanos.Load()).Seconds())
	if s.matcher != nil {
		st := s.matcher.Stats()
		b.WriteString("# HELP jobbridge_matching_records Records in the in-memory matching state.\n")
		b.WriteString("# TYPE jobbridge_matching_records gauge\n")
		fmt.Fprintf(&b, "jobbridge_matching_records{kind=\"open_post\"} %d\n", st.OpenPosts)
		fmt.Fprintf(&b, "jobbridge_matching_records{kind=\"closed_post\"} %d\n", st.ClosedPosts)
		fmt.Fprintf(&b, "jobbridge_matching_records{kind=\"class\"} %d\n", st.Classes)
		fmt.Fprintf(&b, "jobbridge_matching_records{kind=\"seeker\"} %d\n", st.Seekers)
		b.WriteString("# HELP jobbridge_change_feed_rev Highest change-feed revision applied in memory.\n")
		b.WriteString("# TYPE jobbridge_change_feed_rev gauge\n")
		fmt.Fprintf(&b, "jobbridge_change_feed_rev %d\n", st.Rev)
	}
	c.Data(200, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}
