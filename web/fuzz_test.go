package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	"github.com/assessbridge/assessbridge/lever"
)

// serve runs one request through the handler in-process (no network: fuzzing wants speed).
func serve(h http.Handler, path string, body []byte, header map[string]string) int {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// FuzzLeverWebhook: for account acme, no body makes the front door fail (5xx) or panic (the
// recoverer answers 500), and an unsigned body never starts or signals anything. The data of a
// properly signed envelope is fuzzed too, since Lever's signature does not cover it.
func FuzzLeverWebhook(f *testing.F) {
	e := newEnv(f)
	seeds := []struct {
		raw, event, data string
	}{
		{`{"event":"candidateStageChange","triggeredAt":1,"token":"t","signature":"00","data":{}}`, lever.EventStageChange, `{"opportunityId":"opp-f1","toStageId":"` + triggerStage + `"}`},
		{`{"event":`, lever.EventArchiveChange, `{"opportunityId":"opp-f2","toArchived":{"reason":{"id":"r"}}}`},
		{`null`, lever.EventHired, `{"opportunityId":"opp-f3"}`},
		{`[]`, lever.EventDeleted, `{"opportunityId":"a/b"}`},
		{"\xff\xfe", lever.EventStageChange, "{\"opportunityId\":\"opp\xff\",\"toStageId\":\"" + triggerStage + "\"}"},
		{`{"event":1,"triggeredAt":true,"token":[],"signature":{}}`, lever.EventStageChange, `{"opportunityId":["x"],"toStageId":{"id":{"id":"s"}}}`},
		{nested("[", "", "]", 10_001), lever.EventStageChange, nested(`{"a":`, "1", "}", 10_001)},
		{`{"id":` + nested(`{"id":`, `"x"`, "}", 2_000) + `}`, lever.EventStageChange, `{"opportunityId":` + nested(`{"id":`, `"o"`, "}", 2_000) + `}`},
		{`{"event":"candidateStageChange","triggeredAt":"1e400","token":"t","signature":"` + strings.Repeat("0", 64) + `"}`, "contactUpdated", `{}`},
		{`{"event":"candidateStageChange","triggeredAt":1700000000000,"token":"t","signature":"00","data":"x"}garbage`, lever.EventStageChange, `"opp-f4"`},
		{``, lever.EventStageChange, `{"opportunityId":"` + strings.Repeat("o", 300) + `","toStageId":"` + triggerStage + `"}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s.raw), s.event, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, raw []byte, event string, data []byte) {
		before := len(e.rec.effects())
		if code := serve(e.h, "/webhooks/lever/acme", raw, nil); code >= 500 {
			t.Fatalf("unsigned body: got status %d, want < 500", code)
		}
		if got := e.rec.effects(); len(got) != before {
			t.Fatalf("unsigned body: got Temporal calls %q, want none", got[before:])
		}
		signed := envelope(event, time.Now().UnixMilli(), sigToken, string(data))
		if code := serve(e.h, "/webhooks/lever/acme", signed, nil); code >= 500 {
			t.Fatalf("signed envelope: got status %d, want < 500", code)
		}
	})
}

// FuzzAssessmentCallback: no callback body, signed by the platform or not, makes the front door
// fail or panic, and an unsigned one signals nothing.
func FuzzAssessmentCallback(f *testing.F) {
	e := newEnv(f)
	for _, s := range []string{
		`{"id":"e1","event":"started","invitation_id":"i","reference":"lever/acme/opp-f","occurred_at":"2026-01-01T00:00:00Z"}`,
		`{"event":"submitted","invitation_id":"i","reference":"lever/acme/opp-f","result":{"score":1,"max_score":2,"report_url":"u","proctoring":{"flagged":true,"summary":"s"}}}`,
		`{"event":"submitted","invitation_id":"i","reference":"lever/acme/opp-f","result":{"score":"x"}}`,
		`{"event":"started","invitation_id":"i","reference":"lever/acme/\u0000"}`,
		`{"event":"started","invitation_id":"i","reference":"lever/` + strings.Repeat("r", 2000) + `"}`,
		"{\"event\":\"started\",\"invitation_id\":\"\xff\",\"reference\":\"lever/a/b\"}",
		nested("[", "", "]", 10_001),
		`{"event":`, ``, `null`, `[1,2,3]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := len(e.rec.effects())
		if code := serve(e.h, "/callbacks/assessment", body, nil); code < 400 || code >= 500 {
			t.Fatalf("unsigned callback: got status %d, want a 4xx", code)
		}
		if got := e.rec.effects(); len(got) != before {
			t.Fatalf("unsigned callback: got Temporal calls %q, want none", got[before:])
		}
		header := map[string]string{assessment.SignatureHeader: assessment.Sign(cbSecret, body, time.Now())}
		if code := serve(e.h, "/callbacks/assessment", body, header); code >= 500 {
			t.Fatalf("signed callback: got status %d, want < 500", code)
		}
	})
}
