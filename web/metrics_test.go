package web_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/web"
)

// recorder keeps what the front door counted.
type recorder struct {
	mu                             sync.Mutex
	webhooks, callbacks, forgeries []string
}

func (r *recorder) Webhook(event, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.webhooks = append(r.webhooks, event+" "+outcome)
}

func (r *recorder) WebhookForgery(account string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgeries = append(r.forgeries, account)
}

func (r *recorder) forged() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.forgeries...)
}

func (r *recorder) Callback(event, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.callbacks = append(r.callbacks, event+" "+outcome)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.webhooks) + len(r.callbacks)
}

func (r *recorder) last(kind string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.webhooks
	if kind == "callback" {
		list = r.callbacks
	}
	if len(list) == 0 {
		return ""
	}
	return list[len(list)-1]
}

// TestCountsEveryAnswer: each webhook and callback is counted once, by event and by what it was
// answered.
func TestCountsEveryAnswer(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(c *web.Config) { c.Metrics = rec })
	signed := func(body []byte) map[string]string {
		return map[string]string{assessment.SignatureHeader: assessment.Sign(cbSecret, body, time.Now())}
	}
	unknownRef := []byte(`{"id":"e1","event":"started","invitation_id":"i1","reference":"lever/acme/nobody"}`)
	tests := []struct {
		name, kind, path string
		body             []byte
		header           map[string]string
		want             string
	}{
		{"started", "webhook", "/webhooks/lever/acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-m1", triggerStage)), nil, "candidateStageChange accepted"},
		{"other stage", "webhook", "/webhooks/lever/acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-m2", "stage-other")), nil, "candidateStageChange ignored"},
		{"forged", "webhook", "/webhooks/lever/acme", delivery(lever.EventStageChange, "wrong", stageChange("opp-m3", triggerStage)), nil, "candidateStageChange bad_signature"},
		{"unknown account", "webhook", "/webhooks/lever/globex", delivery(lever.EventHired, sigToken, map[string]any{"opportunityId": "x"}), nil, "candidateHired not_found"},
		{"malformed", "webhook", "/webhooks/lever/acme", []byte(`{"event":`), nil, "unknown malformed"},
		{"unknown event", "webhook", "/webhooks/lever/acme", delivery("contactUpdated", sigToken, map[string]any{}), nil, "other ignored"},
		{"unsigned callback", "callback", "/callbacks/assessment", unknownRef, nil, "unknown bad_signature"},
		{"unknown reference", "callback", "/callbacks/assessment", unknownRef, signed(unknownRef), "started not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			post(t, e.url+tt.path, tt.body, tt.header)
			if got := rec.last(tt.kind); got != tt.want {
				t.Errorf("counted: got %q, want %q", got, tt.want)
			}
			if after := rec.count(); after != before+1 {
				t.Errorf("counts: got %d new, want 1", after-before)
			}
		})
	}
}

// TestAnswersCarryRequestID: the request ID our logs carry is sent back, the caller's own if it
// sent one.
func TestAnswersCarryRequestID(t *testing.T) {
	e := newEnv(t)
	for _, sent := range []string{"", "lever-delivery-42"} {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/healthz", nil)
		if sent != "" {
			req.Header.Set(middleware.RequestIDHeader, sent)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get(middleware.RequestIDHeader)
		if got == "" || (sent != "" && got != sent) {
			t.Errorf("X-Request-Id sent %q: got %q back, want it (or a new one)", sent, got)
		}
	}
}
