package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/grpc"

	"github.com/assessbridge/assessbridge/workflows"
)

// value gathers m and returns the value of the one series of name with exactly labels.
func value(t *testing.T, m *Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.GetMetric() {
			if len(s.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range s.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			switch {
			case s.Counter != nil:
				return s.GetCounter().GetValue()
			case s.Gauge != nil:
				return s.GetGauge().GetValue()
			case s.Histogram != nil:
				return float64(s.GetHistogram().GetSampleCount())
			}
		}
	}
	return -1
}

// TestTemporalHandler: the SDK's counters, gauges and timers land under Temporal's Prometheus
// names, with their tags as labels, even when one name is used with different tag sets.
func TestTemporalHandler(t *testing.T) {
	m := New()
	h := m.TemporalHandler()
	h.Counter("temporal_request").Inc(2)
	h.WithTags(map[string]string{"operation": "StartWorkflowExecution"}).Counter("temporal_request").Inc(1)
	h.WithTags(map[string]string{"operation": "StartWorkflowExecution"}).Counter("temporal_request").Inc(1)
	h.Counter("temporal_request").Inc(-5) // counters never go down
	tagged := h.WithTags(map[string]string{"namespace": "default"}).WithTags(map[string]string{"task_queue": "q", "namespace": "ns2"})
	tagged.Gauge("temporal_num_pollers").Update(3)
	tagged.Timer("temporal_request_latency").Record(20 * time.Millisecond)
	tagged.Timer("temporal_request_latency").Record(time.Second)
	h.Counter("odd-name.total").Inc(1)

	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"temporal_request_total", nil, 2},
		{"temporal_request_total", map[string]string{"operation": "StartWorkflowExecution"}, 2},
		{"temporal_num_pollers", map[string]string{"namespace": "ns2", "task_queue": "q"}, 3},
		{"temporal_request_latency_seconds", map[string]string{"namespace": "ns2", "task_queue": "q"}, 2},
		{"odd_name_total", nil, 1},
	}
	for _, tt := range tests {
		if got := value(t, m, tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v: got %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
}

// TestStartInterceptor: a start is counted by what the server did with it; other calls are not.
func TestStartInterceptor(t *testing.T) {
	m := New()
	ic := m.StartInterceptor()
	start := &workflowservice.StartWorkflowExecutionRequest{WorkflowType: &commonpb.WorkflowType{Name: workflows.WorkflowName}}
	tests := []struct {
		name   string
		req    any
		reply  any
		err    error
		result string
	}{
		{"new run", start, &workflowservice.StartWorkflowExecutionResponse{Started: true}, nil, StartStarted},
		{"joined the running one", start, &workflowservice.StartWorkflowExecutionResponse{Started: false}, nil, StartJoined},
		{"refused after completion", start, &workflowservice.StartWorkflowExecutionResponse{}, serviceerror.NewWorkflowExecutionAlreadyStarted("done", "", ""), StartRefused},
		{"refused, as a gRPC status", start, &workflowservice.StartWorkflowExecutionResponse{}, serviceerror.ToStatus(serviceerror.NewWorkflowExecutionAlreadyStarted("done", "", "")).Err(), StartRefused},
		{"unavailable", start, &workflowservice.StartWorkflowExecutionResponse{}, serviceerror.NewUnavailable("down"), ""},
		{"a signal", &workflowservice.SignalWorkflowExecutionRequest{}, &workflowservice.SignalWorkflowExecutionResponse{}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[string]float64{}
			for _, r := range []string{StartStarted, StartJoined, StartRefused} {
				before[r] = max(value(t, m, WorkflowStarts, map[string]string{"workflow_type": workflows.WorkflowName, "result": r}), 0)
			}
			invoke := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error { return tt.err }
			if err := ic(context.Background(), "/m", tt.req, tt.reply, nil, invoke); !errors.Is(err, tt.err) {
				t.Fatalf("error: got %v, want %v passed through", err, tt.err)
			}
			for r, b := range before {
				want := b
				if r == tt.result {
					want++
				}
				if got := max(value(t, m, WorkflowStarts, map[string]string{"workflow_type": workflows.WorkflowName, "result": r}), 0); got != want {
					t.Errorf("%s: got %v, want %v", r, got, want)
				}
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		name string
		res  any
		err  error
		want string
	}{
		{"completed", workflows.Result{Step: workflows.StepCompleted}, nil, workflows.StepCompleted},
		{"expired, ended with an error", workflows.Result{Step: workflows.StepExpired}, temporal.NewCanceledError("expired"), workflows.StepExpired},
		{"cancelled without a result", nil, temporal.NewCanceledError("archived"), workflows.StepCancelled},
		{"failed without a result", nil, errors.New("boom"), workflows.StepFailed},
		{"unknown step is bounded", workflows.Result{Step: "whatever"}, errors.New("boom"), workflows.StepFailed},
	}
	for _, tt := range tests {
		if got := outcome(tt.res, tt.err); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNilRecordsNothing: code wired without metrics may call every recorder.
func TestNilRecordsNothing(t *testing.T) {
	var m *Metrics
	m.Webhook("e", "o")
	m.WebhookForgery("acme")
	m.Callback("e", "o")
	m.LeverObserver().LeverRequest("GET", "/x", 200)
	m.LeverObserver().LeverLimiterWait(time.Second)
	m.TemporalHandler().Counter("c").Inc(1)
}

// TestRoutes: the listener serves the exposition format and a health answer.
func TestRoutes(t *testing.T) {
	m := New()
	m.Webhook("candidateStageChange", "accepted")
	m.WebhookForgery("acme")
	m.WebhookForgery("acme")
	m.LeverObserver().LeverRequest("GET", "/opportunities/:id", 429)
	srv := httptest.NewServer(m.Routes())
	defer srv.Close()
	tests := []struct{ path, want string }{
		{"/metrics", `assessbridge_webhooks_received_total{event="candidateStageChange",outcome="accepted"} 1`},
		{"/metrics", `assessbridge_lever_rate_limited_total{endpoint="/opportunities/:id"} 1`},
		{"/metrics", `assessbridge_webhook_forgeries_total{account="acme"} 2`},
		{"/metrics", "go_goroutines"},
		{"/healthz", `{"status":"ok"}`},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s: got %d without %q", tt.path, resp.StatusCode, tt.want)
		}
	}
}

// TestJourneysNotCountedOnReplay: replaying finished journeys (as a worker does after a restart or
// a cache eviction) records nothing, so each journey counts once. The live count is checked by
// deploy's journey test.
func TestJourneysNotCountedOnReplay(t *testing.T) {
	histories, err := filepath.Glob("../workflows/testdata/*journey*.json")
	if err != nil || len(histories) == 0 {
		t.Fatalf("recorded histories: got %d (%v), want some", len(histories), err)
	}
	m := New()
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{Interceptors: []interceptor.WorkerInterceptor{m.WorkerInterceptor()}})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(workflows.CandidateAssessment, workflow.RegisterOptions{Name: workflows.WorkflowName})
	for _, h := range histories {
		if err := r.ReplayWorkflowHistoryFromJSONFile(nil, h); err != nil {
			t.Errorf("replay %s: %v", filepath.Base(h), err)
		}
	}
	if n := sampleCount(t, m, JourneyDuration); n != 0 {
		t.Errorf("journeys recorded while replaying %d histories: got %d, want 0", len(histories), n)
	}
}

func sampleCount(t *testing.T, m *Metrics, name string) uint64 {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, f := range families {
		if f.GetName() == name {
			for _, s := range f.GetMetric() {
				n += s.GetHistogram().GetSampleCount()
			}
		}
	}
	return n
}
