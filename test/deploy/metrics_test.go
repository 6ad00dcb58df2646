package deploy

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/assessbridge/assessbridge/metrics"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/test/journeytest"
	"github.com/assessbridge/assessbridge/workflows"
)

// TestMetricsAfterJourney runs one journey on a worker and front door wired as in production,
// with Lever answering one 429 and one forged webhook arriving, then scrapes /metrics over HTTP
// and checks every count an operator would watch.
func TestMetricsAfterJourney(t *testing.T) {
	srv := temporalServer(t)
	m := metrics.New()
	s := journeytest.Start(t, journeytest.Options{
		TemporalAddress: srv.GetFrontendHostPort(), Namespace: srv.GetDefaultNamespace(), Metrics: m,
	})
	s.Lever.InjectFault(leversim.Fault{Method: http.MethodGet, PathContains: "/opportunities/", Status: http.StatusTooManyRequests})

	forged := `{"triggeredAt":1700000000000,"event":"candidateStageChange","token":"t","signature":"00","data":{"opportunityId":"opp-x","toStageId":"` + journeytest.TriggerStage + `"}}`
	resp, err := http.Post(s.WebURL+"/webhooks/lever/"+s.Account, "application/json", strings.NewReader(forged))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged webhook: got status %d, want 401", resp.StatusCode)
	}

	res := s.Journey(t, journeytest.Candidate{OpportunityID: "opp-ada", Name: "Ada Lovelace", Email: "ada@example.com", Score: 42, MaxScore: 60})
	if res.Step != workflows.StepCompleted {
		t.Fatalf("journey: got step %q, want %q", res.Step, workflows.StepCompleted)
	}

	metricsSrv := httptest.NewServer(m.Routes())
	defer metricsSrv.Close()
	got := scrape(t, metricsSrv.URL+"/metrics")
	// The SDK counts a completed workflow after the server has recorded the completion, so the
	// client can see the result a moment before the count.
	for deadline := time.Now().Add(5 * time.Second); got.sum("temporal_workflow_completed_total", nil) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		got = scrape(t, metricsSrv.URL+"/metrics")
	}

	stageChange := map[string]string{"event": "candidateStageChange"}
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		// Both deliveries of the stage change are answered "accepted"; the second joins the run.
		{metrics.WebhooksReceived, with(stageChange, "outcome", "accepted"), 2},
		{metrics.WebhooksReceived, with(stageChange, "outcome", "bad_signature"), 1},
		{metrics.WorkflowStarts, map[string]string{"workflow_type": workflows.WorkflowName, "result": metrics.StartStarted}, 1},
		{metrics.WorkflowStarts, map[string]string{"workflow_type": workflows.WorkflowName, "result": metrics.StartJoined}, 1},
		{metrics.CallbacksReceived, map[string]string{"event": "started", "outcome": "accepted"}, 2},
		{metrics.CallbacksReceived, map[string]string{"event": "submitted", "outcome": "accepted"}, 1},
		{metrics.LeverRequests, map[string]string{"endpoint": "/opportunities/:id", "method": "GET", "status": "429"}, 1},
		{metrics.LeverRateLimited, map[string]string{"endpoint": "/opportunities/:id"}, 1},
		{metrics.LeverRequests, map[string]string{"endpoint": "/opportunities/:id/notes", "method": "POST", "status": "201"}, 1},
		{metrics.LeverRequests, map[string]string{"endpoint": "/opportunities/:id/feedback", "method": "POST", "status": "201"}, 1},
		{metrics.JourneyDuration + "_count", map[string]string{"outcome": workflows.StepCompleted}, 1},
		// The SDK's own metrics, through its handler.
		{"temporal_workflow_completed_total", map[string]string{"workflow_type": workflows.WorkflowName}, 1},
	}
	for _, c := range checks {
		if v := got.sum(c.name, c.labels); v != c.want {
			t.Errorf("%s%v: got %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	// Every Lever attempt waited on the limiter first.
	if attempts, waits := got.sum(metrics.LeverRequests, nil), got.sum(metrics.LeverLimiterWait+"_count", nil); attempts == 0 || waits != attempts {
		t.Errorf("limiter waits: got %v for %v lever attempts, want one each", waits, attempts)
	}
	for _, name := range []string{"temporal_request_total", "temporal_activity_execution_latency_seconds_count", "go_goroutines", "process_resident_memory_bytes"} {
		if got.sum(name, nil) == 0 {
			t.Errorf("%s: got nothing, want a value", name)
		}
	}
}

func with(labels map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for lk, lv := range labels {
		out[lk] = lv
	}
	return out
}

// samples are a scrape's values by metric name; histograms give _count and _sum.
type samples map[string][]sample

type sample struct {
	labels map[string]string
	value  float64
}

// sum adds the samples of name whose labels include every one given.
func (s samples) sum(name string, labels map[string]string) float64 {
	var total float64
next:
	for _, smp := range s[name] {
		for k, v := range labels {
			if smp.labels[k] != v {
				continue next
			}
		}
		total += smp.value
	}
	return total
}

func scrape(t *testing.T, url string) samples {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200", url, resp.StatusCode)
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(&body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	out := samples{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[name] = append(out[name], sample{labels, m.GetCounter().GetValue()})
			case dto.MetricType_GAUGE:
				out[name] = append(out[name], sample{labels, m.GetGauge().GetValue()})
			case dto.MetricType_HISTOGRAM:
				out[name+"_count"] = append(out[name+"_count"], sample{labels, float64(m.GetHistogram().GetSampleCount())})
				out[name+"_sum"] = append(out[name+"_sum"], sample{labels, m.GetHistogram().GetSampleSum()})
			}
		}
	}
	return out
}
