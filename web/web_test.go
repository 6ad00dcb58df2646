package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/web"
	"github.com/assessbridge/assessbridge/workflows"
)

const (
	sigToken     = "webhook-signature-token"
	cbSecret     = "callback-secret"
	triggerStage = "stage-trigger"
)

var tsrv *temporaltest.TestServer

type env struct {
	url string
	tc  client.Client
	// rec sees every start and signal the handlers make through the real client.
	rec *recordingClient
	h   http.Handler
	// dbPath is the store's SQLite file.
	dbPath string
}

// Accounts of the test store: acme with two webhook tokens, initech with its own.
const (
	initechToken = "initech-signature-token"
)

func newEnv(t testing.TB, opts ...func(*web.Config)) env {
	t.Helper()
	return newLoggedEnv(t, nil, opts...)
}

// newLoggedEnv is newEnv with the handlers logging to log.
func newLoggedEnv(t testing.TB, log *zap.Logger, opts ...func(*web.Config)) env {
	t.Helper()
	ctx := context.Background()
	if tsrv == nil {
		tsrv = temporaltest.NewServer()
		if err := namespace.RegisterSearchAttributes(ctx, tsrv.GetDefaultClient(), tsrv.GetDefaultNamespace()); err != nil {
			t.Fatal(err)
		}
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	dbPath := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(ctx, dbPath, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	for _, a := range []store.Account{
		{ID: "acme", Status: "connected", AccessToken: "x", WebhookTokens: []string{"old-token", sigToken}, TriggerStages: []string{triggerStage}},
		{ID: "initech", Status: "connected", AccessToken: "y", WebhookTokens: []string{initechToken}, TriggerStages: []string{triggerStage}},
	} {
		if err := st.PutAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	cfg := web.Config{CallbackSecret: cbSecret, TaskQueue: "web-test-no-worker"}
	for _, o := range opts {
		o(&cfg)
	}
	rec := &recordingClient{Client: tsrv.GetDefaultClient()}
	s, err := web.New(rec, st, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return env{url: srv.URL, tc: tsrv.GetDefaultClient(), rec: rec, h: h, dbPath: dbPath}
}

// newToken is a fresh delivery token, 48 characters like Lever's: each delivery has its own.
func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// delivery builds a Lever webhook body signed the documented way, with a fresh token.
func delivery(event, key string, data any) []byte {
	return deliveryWithToken(event, key, newToken(), time.Now().UnixMilli(), data)
}

// deliveryWithToken builds a signed delivery with the given token and triggeredAt: the same
// pair with other data still verifies, as with Lever.
func deliveryWithToken(event, key, token string, at int64, data any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": "d-1", "event": event, "triggeredAt": at, "token": token,
		"signature": lever.Sign(key, token, at), "data": data,
	})
	return b
}

func stageChange(opp, to string) map[string]any {
	return map[string]any{"opportunityId": opp, "candidateId": "c-" + opp, "contactId": "c-" + opp, "fromStageId": "stage-x", "toStageId": to}
}

func post(t *testing.T, url string, body []byte, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String()
}

func exists(t *testing.T, tc client.Client, id string) bool {
	t.Helper()
	_, err := tc.DescribeWorkflowExecution(context.Background(), id, "")
	return err == nil
}

func TestLeverWebhook(t *testing.T) {
	e := newEnv(t)
	// Signed for one token, sent with another.
	at, signedFor := time.Now().UnixMilli(), newToken()
	tampered, _ := json.Marshal(map[string]any{"event": lever.EventStageChange, "triggeredAt": at, "token": "u" + signedFor[1:],
		"signature": lever.Sign(sigToken, signedFor, at), "data": stageChange("opp-tampered", triggerStage)})
	tests := []struct {
		name       string
		account    string
		body       []byte
		wantStatus int
		wantWF     string // workflow that must exist afterwards ("" none)
		noWF       string // workflow that must not exist
	}{
		{"trigger stage starts", "acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-1", triggerStage)), 202, "opp-1", ""},
		{"second delivery of the same change joins", "acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-1", triggerStage)), 202, "opp-1", ""},
		{"older webhook's token verifies too", "acme", delivery(lever.EventStageChange, "old-token", stageChange("opp-2", triggerStage)), 202, "opp-2", ""},
		{"other stage ignored", "acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-3", "stage-other")), 200, "", "opp-3"},
		{"Lever's test button", "acme", delivery(lever.EventStageChange, sigToken, map[string]any{}), 200, "", ""},
		{"bad signature", "acme", delivery(lever.EventStageChange, "wrong-key", stageChange("opp-4", triggerStage)), 401, "", "opp-4"},
		{"tampered token", "acme", tampered, 401, "", "opp-tampered"},
		{"unknown account", "globex", delivery(lever.EventStageChange, sigToken, stageChange("opp-5", triggerStage)), 404, "", "opp-5"},
		{"malformed JSON", "acme", []byte(`{"event":`), 400, "", ""},
		{"missing signature", "acme", []byte(`{"event":"candidateStageChange","triggeredAt":1,"token":"x","data":{}}`), 400, "", ""},
		{"oversized body", "acme", append([]byte(`{"pad":"`), append(bytes.Repeat([]byte("a"), web.MaxBodyBytes+1), []byte(`"}`)...)...), 413, "", ""},
		{"hired with nothing running", "acme", delivery(lever.EventHired, sigToken, map[string]any{"opportunityId": "opp-9"}), 200, "", "opp-9"},
		{"unknown event acknowledged", "acme", delivery("contactUpdated", sigToken, map[string]any{}), 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, e.url+"/webhooks/lever/"+tt.account, tt.body, nil)
			if status != tt.wantStatus {
				t.Fatalf("status: got %d (%s), want %d", status, body, tt.wantStatus)
			}
			if tt.wantWF != "" && !exists(t, e.tc, workflows.WorkflowID("acme", tt.wantWF)) {
				t.Errorf("workflow for %s: got none, want one", tt.wantWF)
			}
			if tt.noWF != "" && exists(t, e.tc, workflows.WorkflowID("acme", tt.noWF)) {
				t.Errorf("workflow for %s: got one, want none", tt.noWF)
			}
		})
	}
}

// TestDuplicateAndReplayedDeliveriesStartOneRun: Lever resending a delivery it got 2xx for (same
// body) does nothing, and a second delivery of the same stage change (new token) joins the one
// running workflow.
func TestDuplicateAndReplayedDeliveriesStartOneRun(t *testing.T) {
	e := newEnv(t)
	id := workflows.WorkflowID("acme", "opp-dup")
	body := delivery(lever.EventStageChange, sigToken, stageChange("opp-dup", triggerStage))
	var runs []string
	for i, tt := range []struct {
		body []byte
		want int
	}{
		{body, 202},
		{body, 200},
		{delivery(lever.EventStageChange, sigToken, stageChange("opp-dup", triggerStage)), 202},
	} {
		if status, resp := post(t, e.url+"/webhooks/lever/acme", tt.body, nil); status != tt.want {
			t.Fatalf("delivery %d: got %d (%s), want %d", i, status, resp, tt.want)
		}
		desc, err := e.tc.DescribeWorkflowExecution(context.Background(), id, "")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, desc.GetWorkflowExecutionInfo().GetExecution().GetRunId())
	}
	if runs[0] != runs[1] || runs[1] != runs[2] {
		t.Errorf("runs: got %v, want one run for all deliveries", runs)
	}
}

func TestWebhookAfterFailedRunStartsAgain(t *testing.T) {
	e := newEnv(t)
	id := workflows.WorkflowID("acme", "opp-done")
	if status, _ := post(t, e.url+"/webhooks/lever/acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-done", triggerStage)), nil); status != 202 {
		t.Fatalf("first delivery: got %d, want 202", status)
	}
	desc, err := e.tc.DescribeWorkflowExecution(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	// Cancelled runs may start again; here the run is terminated (a failure), so a new one starts.
	if err := e.tc.TerminateWorkflow(context.Background(), id, "", "test"); err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, e.url+"/webhooks/lever/acme", delivery(lever.EventStageChange, sigToken, stageChange("opp-done", triggerStage)), nil); status != 202 {
		t.Fatalf("after a terminated run: got %d, want 202", status)
	}
	desc2, err := e.tc.DescribeWorkflowExecution(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	if desc2.GetWorkflowExecutionInfo().GetExecution().GetRunId() == desc.GetWorkflowExecutionInfo().GetExecution().GetRunId() {
		t.Errorf("run after termination: got the same run, want a new one")
	}
}

func signedCallback(t *testing.T, cb assessment.Callback) ([]byte, map[string]string) {
	t.Helper()
	b, err := json.Marshal(cb)
	if err != nil {
		t.Fatal(err)
	}
	return b, map[string]string{assessment.SignatureHeader: assessment.Sign(cbSecret, b, time.Now())}
}

func TestAssessmentCallback(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	running := workflows.WorkflowID("acme", "opp-running")
	done := workflows.WorkflowID("acme", "opp-finished")
	for _, id := range []string{running, done} {
		if _, err := e.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "web-test-no-worker"}, workflows.WorkflowName, workflows.Input{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.tc.TerminateWorkflow(ctx, done, "", "test"); err != nil {
		t.Fatal(err)
	}
	started := func(ref string) assessment.Callback {
		return assessment.Callback{ID: "ev-1", Event: assessment.EventStarted, InvitationID: "inv-1", Reference: ref, OccurredAt: time.Now()}
	}
	submitted := assessment.Callback{ID: "ev-2", Event: assessment.EventSubmitted, InvitationID: "inv-1", Reference: running,
		Result: &assessment.Result{Score: new(float64), MaxScore: new(float64)}}

	okBody, okHeader := signedCallback(t, started(running))
	subBody, subHeader := signedCallback(t, submitted)
	unknownBody, unknownHeader := signedCallback(t, started(workflows.WorkflowID("acme", "opp-never")))
	foreignBody, foreignHeader := signedCallback(t, started("someone-else/123"))
	doneBody, doneHeader := signedCallback(t, started(done))
	badEventBody, badEventHeader := signedCallback(t, assessment.Callback{Event: "paused", InvitationID: "i", Reference: running})
	staleHeader := map[string]string{assessment.SignatureHeader: assessment.Sign(cbSecret, okBody, time.Now().Add(-time.Hour))}

	tests := []struct {
		name   string
		body   []byte
		header map[string]string
		want   int
	}{
		{"started", okBody, okHeader, 202},
		{"submitted", subBody, subHeader, 202},
		{"unknown workflow", unknownBody, unknownHeader, 404},
		{"not ours", foreignBody, foreignHeader, 404},
		{"finished workflow", doneBody, doneHeader, 409},
		{"unknown event", badEventBody, badEventHeader, 400},
		{"no signature", okBody, nil, 401},
		{"wrong secret", okBody, map[string]string{assessment.SignatureHeader: assessment.Sign("other", okBody, time.Now())}, 401},
		{"stale signature", okBody, staleHeader, 401},
		{"tampered body", bytes.Replace(okBody, []byte("inv-1"), []byte("inv-2"), 1), okHeader, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, e.url+"/callbacks/assessment", tt.body, tt.header)
			if status != tt.want {
				t.Errorf("status: got %d (%s), want %d", status, body, tt.want)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: got %d, want 200", path, resp.StatusCode)
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tsrv != nil {
		tsrv.Stop()
	}
	os.Exit(code)
}
