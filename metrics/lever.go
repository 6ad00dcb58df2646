package metrics

import (
	"net/http"
	"strconv"
	"time"
)

// LeverObserver records the Lever client's attempts and limiter waits (lever.WithObserver).
func (m *Metrics) LeverObserver() *LeverObserver { return &LeverObserver{m: m} }

// LeverObserver implements lever.Observer; with a nil Metrics it records nothing.
type LeverObserver struct{ m *Metrics }

// LeverRequest counts one attempt; endpoint is the path with its ids replaced (":id"), status 0
// means no answer came.
func (o *LeverObserver) LeverRequest(method, endpoint string, status int) {
	if o == nil || o.m == nil {
		return
	}
	o.m.leverRequests.WithLabelValues(endpoint, method, strconv.Itoa(status)).Inc()
	if status == http.StatusTooManyRequests {
		o.m.leverRateLimits.WithLabelValues(endpoint).Inc()
	}
}

// LeverLimiterWait records how long an attempt waited for its account's rate limiter.
func (o *LeverObserver) LeverLimiterWait(waited time.Duration) {
	if o == nil || o.m == nil {
		return
	}
	o.m.leverWait.Observe(waited.Seconds())
}
