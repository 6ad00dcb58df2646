// Package metrics is what the starter and the worker expose to Prometheus on /metrics: the
// front door's webhooks and callbacks, workflow starts, Lever calls and the rate limiter, journey
// durations and outcomes, and the Temporal SDK's own metrics through its MetricsHandler.
//
// A nil *Metrics records nothing, so code can be wired with or without it.
package metrics

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds one process's registry and the instruments assessbridge records into it.
type Metrics struct {
	reg *prometheus.Registry

	webhooks        *prometheus.CounterVec
	forgeries       *prometheus.CounterVec
	callbacks       *prometheus.CounterVec
	starts          *prometheus.CounterVec
	leverRequests   *prometheus.CounterVec
	leverRateLimits *prometheus.CounterVec
	leverWait       prometheus.Histogram
	journeys        *prometheus.HistogramVec

	sdk *sdkCollector
}

// Names of the metrics assessbridge records itself (the SDK's are prefixed temporal_).
const (
	WebhooksReceived  = "assessbridge_webhooks_received_total"
	WebhookForgeries  = "assessbridge_webhook_forgeries_total"
	CallbacksReceived = "assessbridge_callbacks_received_total"
	WorkflowStarts    = "assessbridge_workflow_starts_total"
	LeverRequests     = "assessbridge_lever_requests_total"
	LeverRateLimited  = "assessbridge_lever_rate_limited_total"
	LeverLimiterWait  = "assessbridge_lever_limiter_wait_seconds"
	JourneyDuration   = "assessbridge_journey_duration_seconds"
)

// Results of a workflow start, the label result of WorkflowStarts.
const (
	StartStarted = "started"
	// StartJoined: a duplicate (a replayed webhook, a backfill of a running candidate) joined the
	// running workflow; nothing new started.
	StartJoined = "duplicate_running"
	// StartRefused: the reuse policy refused a new run after a completed one.
	StartRefused = "duplicate_completed"
)

// New returns a registry with the Go runtime and process collectors and every instrument.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: WebhooksReceived,
			Help: "Lever webhook deliveries by event and outcome (accepted, ignored, bad_signature, ...)."},
			[]string{"event", "outcome"}),
		// account is bounded: only connected accounts get as far as a forgery can be seen.
		forgeries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: WebhookForgeries,
			Help: "Signed Lever deliveries refused because their token was already used with other content (a replay with edited data), by account."},
			[]string{"account"}),
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: CallbacksReceived,
			Help: "Assessment platform callbacks by event and outcome."},
			[]string{"event", "outcome"}),
		starts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: WorkflowStarts,
			Help: "Workflow start requests by workflow type and result: started, duplicate_running (joined), duplicate_completed (refused)."},
			[]string{"workflow_type", "result"}),
		leverRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: LeverRequests,
			Help: "Lever API attempts by endpoint, method and HTTP status (0: no answer)."},
			[]string{"endpoint", "method", "status"}),
		leverRateLimits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: LeverRateLimited,
			Help: "Lever answers 429 Too Many Requests, by endpoint."},
			[]string{"endpoint"}),
		leverWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: LeverLimiterWait,
			Help:    "Time each Lever request waited on its account's rate limiter.",
			Buckets: []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}}),
		journeys: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: JourneyDuration,
			Help: "Candidate journeys from workflow start to end, by outcome (the final step: completed, expired, cancelled, ...).",
			// Journeys take minutes to weeks: a candidate has days to start and submit.
			Buckets: []float64{60, 600, 3600, 6 * 3600, 86400, 2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400}},
			[]string{"outcome"}),
		sdk: newSDKCollector(),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.webhooks, m.forgeries, m.callbacks, m.starts, m.leverRequests, m.leverRateLimits, m.leverWait, m.journeys,
		m.sdk,
	)
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Timeout: 10 * time.Second})
}

// Routes is what the metrics listener serves: GET /metrics, and GET /healthz for container
// health checks of processes without another HTTP port (the worker).
func (m *Metrics) Routes() http.Handler {
	r := chi.NewRouter()
	r.Method(http.MethodGet, "/metrics", m.Handler())
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	return r
}

// Webhook counts one Lever webhook delivery.
func (m *Metrics) Webhook(event, outcome string) {
	if m != nil {
		m.webhooks.WithLabelValues(event, outcome).Inc()
	}
}

// WebhookForgery counts one delivery of a connected account that reused a token with other
// content.
func (m *Metrics) WebhookForgery(account string) {
	if m != nil {
		m.forgeries.WithLabelValues(account).Inc()
	}
}

// Callback counts one platform callback.
func (m *Metrics) Callback(event, outcome string) {
	if m != nil {
		m.callbacks.WithLabelValues(event, outcome).Inc()
	}
}
