package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/web"
	"github.com/assessbridge/assessbridge/workflows"
)

// sendable builds a delivery body for a token and triggeredAt: two of them with the same pair
// are one delivery sent twice, as Lever retries it or an attacker replays it.
type sendable func(token string, at int64) []byte

func signedAs(event string, data any) sendable {
	return func(token string, at int64) []byte { return deliveryWithToken(event, sigToken, token, at, data) }
}

// TestSingleUseDeliveries: a delivery's token is used once. Sent again unchanged (Lever retrying,
// even re-encoded) after a 2xx it is answered "duplicate" and does nothing; with any of its
// content edited it is refused and does nothing.
func TestSingleUseDeliveries(t *testing.T) {
	e := newEnv(t)
	const reused = "delivery token already used with different content"
	reencoded := func(token string, at int64) []byte { // opp-s2's stage change: other order, spacing and id
		return fmt.Appendf(nil, `{ "data" : {"toStageId":%q,  "opportunityId":"opp-s2","contactId":"c-opp-s2","candidateId":"c-opp-s2","fromStageId":"stage-x"},
			"signature":%q, "token":%q, "triggeredAt":%d, "event":"candidateStageChange", "id":"d-2" }`,
			triggerStage, lever.Sign(sigToken, token, at), token, at)
	}
	tests := []struct {
		name      string
		first     sendable
		wantFirst int
		second    sendable // nil: first again, byte for byte
		want      int
		wantBody  string
		noWF      string // opportunity that must have no workflow afterwards
		wantWF    string // opportunity that must have one
	}{
		{name: "identical resend after a start", first: signedAs(lever.EventStageChange, stageChange("opp-s1", triggerStage)), wantFirst: 202,
			want: 200, wantBody: `"duplicate"`, wantWF: "opp-s1"},
		{name: "resend re-encoded with another id", first: signedAs(lever.EventStageChange, stageChange("opp-s2", triggerStage)), wantFirst: 202,
			second: reencoded, want: 200, wantBody: `"duplicate"`, wantWF: "opp-s2"},
		{name: "identical resend of an ignored delivery", first: signedAs(lever.EventStageChange, stageChange("opp-s3", "stage-other")), wantFirst: 200,
			want: 200, wantBody: `"duplicate"`, noWF: "opp-s3"},
		{name: "toStageId edited into a trigger stage", first: signedAs(lever.EventStageChange, stageChange("opp-s4", "stage-other")), wantFirst: 200,
			second: signedAs(lever.EventStageChange, stageChange("opp-s4", triggerStage)), want: 401, wantBody: reused, noWF: "opp-s4"},
		{name: "opportunityId edited", first: signedAs(lever.EventStageChange, stageChange("opp-s5", triggerStage)), wantFirst: 202,
			second: signedAs(lever.EventStageChange, stageChange("opp-s5-other", triggerStage)), want: 401, wantBody: reused, wantWF: "opp-s5", noWF: "opp-s5-other"},
		{name: "event edited to a hire", first: signedAs(lever.EventStageChange, stageChange("opp-s6", triggerStage)), wantFirst: 202,
			second: signedAs(lever.EventHired, map[string]any{"opportunityId": "opp-s6"}), want: 401, wantBody: reused, wantWF: "opp-s6"},
		{name: "event edited to a deletion", first: signedAs(lever.EventStageChange, stageChange("opp-s7", triggerStage)), wantFirst: 202,
			second: signedAs(lever.EventDeleted, map[string]any{"opportunityId": "opp-s7"}), want: 401, wantBody: reused, wantWF: "opp-s7"},
		{name: "Test ping reused with stage-change data", first: signedAs(lever.EventStageChange, map[string]any{}), wantFirst: 200,
			second: signedAs(lever.EventStageChange, stageChange("opp-s8", triggerStage)), want: 401, wantBody: reused, noWF: "opp-s8"},
		{name: "malformed data is answered the same again", first: signedAs(lever.EventStageChange, "opp-s9"), wantFirst: 400,
			want: 400, wantBody: "malformed webhook data", noWF: "opp-s9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, at := newToken(), time.Now().UnixMilli()
			if status, body := post(t, e.url+"/webhooks/lever/acme", tt.first(token, at), nil); status != tt.wantFirst {
				t.Fatalf("first sending: got %d (%s), want %d", status, body, tt.wantFirst)
			}
			second := tt.second
			if second == nil {
				second = tt.first
			}
			before := len(e.rec.effects())
			status, body := post(t, e.url+"/webhooks/lever/acme", second(token, at), nil)
			if status != tt.want || !strings.Contains(body, tt.wantBody) {
				t.Errorf("second sending: got %d %s, want %d with %s", status, strings.TrimSpace(body), tt.want, tt.wantBody)
			}
			if got := e.rec.effects(); len(got) != before {
				t.Errorf("Temporal calls of the second sending: got %q, want none", got[before:])
			}
			if tt.noWF != "" && exists(t, e.tc, workflows.WorkflowID("acme", tt.noWF)) {
				t.Errorf("workflow for %s: got one, want none", tt.noWF)
			}
			if tt.wantWF != "" && !exists(t, e.tc, workflows.WorkflowID("acme", tt.wantWF)) {
				t.Errorf("workflow for %s: got none, want one", tt.wantWF)
			}
		})
	}
}

// TestFailedDeliveryProcessedOnRetry: a delivery answered 503 while Temporal was down is acted on
// when Lever sends it again, and only then is a further resend a duplicate.
func TestFailedDeliveryProcessedOnRetry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hireID := workflows.WorkflowID("acme", "opp-r2")
	if _, err := e.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: hireID, TaskQueue: "web-test-no-worker"}, workflows.WorkflowName, workflows.Input{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.tc.TerminateWorkflow(context.Background(), hireID, "", "test over") })
	tests := []struct {
		name   string
		body   []byte
		want   int // once Temporal is back
		wantWF string
	}{
		{"stage change", delivery(lever.EventStageChange, sigToken, stageChange("opp-r1", triggerStage)), 202, "opp-r1"},
		{"hire", delivery(lever.EventHired, sigToken, map[string]any{"opportunityId": "opp-r2"}), 202, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.rec.setDown(true)
			status, body := post(t, e.url+"/webhooks/lever/acme", tt.body, nil)
			e.rec.setDown(false)
			if status != http.StatusServiceUnavailable {
				t.Fatalf("while Temporal is down: got %d (%s), want 503", status, body)
			}
			before := len(e.rec.effects())
			if status, body := post(t, e.url+"/webhooks/lever/acme", tt.body, nil); status != tt.want {
				t.Fatalf("Lever's retry: got %d (%s), want %d", status, body, tt.want)
			}
			if got := e.rec.effects(); len(got) == before {
				t.Errorf("Lever's retry: got no Temporal call, want the delivery acted on")
			}
			if tt.wantWF != "" && !exists(t, e.tc, workflows.WorkflowID("acme", tt.wantWF)) {
				t.Errorf("workflow for %s: got none, want one", tt.wantWF)
			}
			before = len(e.rec.effects())
			if status, body := post(t, e.url+"/webhooks/lever/acme", tt.body, nil); status != 200 || !strings.Contains(body, `"duplicate"`) {
				t.Errorf("resend after success: got %d %s, want 200 duplicate", status, strings.TrimSpace(body))
			}
			if got := e.rec.effects(); len(got) != before {
				t.Errorf("resend after success: got Temporal calls %q, want none", got[before:])
			}
		})
	}
}

// TestUnclaimedDeliveryNotActedOn: when the store cannot record the delivery, it is answered 503
// (Lever retries) and nothing happens; Lever's retry once the store is back is acted on.
func TestUnclaimedDeliveryNotActedOn(t *testing.T) {
	e := newEnv(t)
	db, err := sql.Open("sqlite", e.dbPath) // the driver the store registers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rename := func(from, to string) {
		t.Helper()
		if _, err := db.Exec(`ALTER TABLE ` + from + ` RENAME TO ` + to); err != nil {
			t.Fatal(err)
		}
	}
	body := delivery(lever.EventStageChange, sigToken, stageChange("opp-u1", triggerStage))
	rename("webhook_deliveries", "webhook_deliveries_away")
	before := len(e.rec.effects())
	status, resp := post(t, e.url+"/webhooks/lever/acme", body, nil)
	rename("webhook_deliveries_away", "webhook_deliveries")
	if status != http.StatusServiceUnavailable {
		t.Errorf("store failing: got %d (%s), want 503", status, resp)
	}
	if got := e.rec.effects(); len(got) != before {
		t.Errorf("store failing: got Temporal calls %q, want none", got[before:])
	}
	if status, resp := post(t, e.url+"/webhooks/lever/acme", body, nil); status != 202 {
		t.Errorf("Lever's retry: got %d (%s), want 202", status, resp)
	}
}

// TestConcurrentIdenticalDeliveries: the same delivery arriving many times at once is answered
// 2xx each time (the workflow start is idempotent), and is a duplicate afterwards.
func TestConcurrentIdenticalDeliveries(t *testing.T) {
	e := newEnv(t)
	body := delivery(lever.EventStageChange, sigToken, stageChange("opp-c1", triggerStage))
	const senders = 8
	statuses := make([]int, senders)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Go(func() {
			resp, err := http.Post(e.url+"/webhooks/lever/acme", "application/json", bytes.NewReader(body))
			if err != nil {
				return // status 0 fails below
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 200 && s != 202 {
			t.Errorf("sender %d: got %d, want 200 or 202", i, s)
		}
	}
	if !exists(t, e.tc, workflows.WorkflowID("acme", "opp-c1")) {
		t.Errorf("workflow for opp-c1: got none, want one")
	}
	if status, resp := post(t, e.url+"/webhooks/lever/acme", body, nil); status != 200 {
		t.Errorf("resend afterwards: got %d (%s), want 200 duplicate", status, resp)
	}
}

// TestForgeryCountedAndLogged: a reused token with other content is counted by account and
// logged at warn with the account, event and request id only: nothing the forger wrote.
func TestForgeryCountedAndLogged(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	rec := &recorder{}
	e := newLoggedEnv(t, zap.New(core), func(c *web.Config) { c.Metrics = rec })
	token, at := newToken(), time.Now().UnixMilli()
	genuine := deliveryWithToken(lever.EventStageChange, sigToken, token, at, stageChange("opp-f1", triggerStage))
	forged := deliveryWithToken(lever.EventStageChange, sigToken, token, at, map[string]any{
		"opportunityId": "opp-forged-secret", "candidateId": "cand-forged-secret", "toStageId": triggerStage})
	url := e.url + "/webhooks/lever/acme"

	if status, body := post(t, url, genuine, nil); status != 202 {
		t.Fatalf("genuine delivery: got %d (%s), want 202", status, body)
	}
	if status, body := post(t, url, forged, nil); status != 401 {
		t.Fatalf("forged delivery: got %d (%s), want 401", status, body)
	}
	if got, want := rec.forged(), []string{"acme"}; !slices.Equal(got, want) {
		t.Errorf("forgeries counted: got %q, want %q", got, want)
	}
	if got, want := rec.last("webhook"), "candidateStageChange forged"; got != want {
		t.Errorf("webhook counted: got %q, want %q", got, want)
	}
	post(t, url, genuine, nil)
	if got, want := rec.last("webhook"), "candidateStageChange duplicate"; got != want {
		t.Errorf("resend counted: got %q, want %q", got, want)
	}
	if got := rec.forged(); len(got) != 1 {
		t.Errorf("forgeries counted after a genuine resend: got %q, want one", got)
	}

	warnings := logs.FilterLevelExact(zapcore.WarnLevel).FilterMessageSnippet("forgery").All()
	if len(warnings) != 1 {
		t.Fatalf("forgery warnings: got %d, want 1", len(warnings))
	}
	fields := warnings[0].ContextMap()
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"account", "event", "request_id"}; !slices.Equal(keys, want) {
		t.Errorf("forgery warning fields: got %q, want %q", keys, want)
	}
	if fields["account"] != "acme" || fields["event"] != lever.EventStageChange || fields["request_id"] == "" {
		t.Errorf("forgery warning: got %v, want account acme, event %s and a request id", fields, lever.EventStageChange)
	}
	for _, entry := range logs.All() {
		line := entry.Message + fmt.Sprint(entry.ContextMap())
		for _, secret := range []string{"opp-forged-secret", "cand-forged-secret", token} {
			if strings.Contains(line, secret) {
				t.Errorf("log %q: got %q in it, want nothing the delivery carried", entry.Message, secret)
			}
		}
	}
}
