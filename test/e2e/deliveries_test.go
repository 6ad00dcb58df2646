package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
)

// deliveryLog records the Lever deliveries the front door receives.
type deliveryLog struct {
	mu     sync.Mutex
	bodies [][]byte
}

// capture records each webhook body on its way to next.
func (d *deliveryLog) capture(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/webhooks/lever/") {
			body, _ := io.ReadAll(r.Body)
			d.mu.Lock()
			d.bodies = append(d.bodies, body)
			d.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// last returns the latest delivery of event about the opportunity, decoded.
func (d *deliveryLog) last(t *testing.T, event, opportunityID string) map[string]any {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := len(d.bodies) - 1; i >= 0; i-- {
		var m map[string]any
		if json.Unmarshal(d.bodies[i], &m) != nil || m["event"] != event {
			continue
		}
		if data, _ := m["data"].(map[string]any); data["opportunityId"] == opportunityID {
			return m
		}
	}
	t.Fatalf("no %s delivery about %s was received", event, opportunityID)
	return nil
}

// send posts a delivery to the front door and returns the status code.
func (s *stack) send(t *testing.T, delivery map[string]any) int {
	t.Helper()
	body, err := json.Marshal(delivery)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(s.webURL+"/webhooks/lever/"+account, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("post delivery: %v", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// signed is a delivery properly signed with the webhook's signature token, with a fresh token:
// what an attacker could make only with a token Lever sent that never reached us.
func signed(event string, at time.Time, data map[string]any) map[string]any {
	token := "tok-" + strings.ReplaceAll(time.Now().Format("150405.000000000"), ".", "")
	ms := at.UnixMilli()
	return map[string]any{"event": event, "token": token, "triggeredAt": ms,
		"signature": lever.Sign(webhookSecret, token, ms), "data": data}
}

// edited is a copy of a delivery with data fields replaced (signature, token and triggeredAt
// untouched, so it still verifies).
func edited(delivery map[string]any, event string, data map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range delivery {
		out[k] = v
	}
	if event != "" {
		out["event"] = event
	}
	d := map[string]any{}
	if orig, ok := delivery["data"].(map[string]any); ok {
		for k, v := range orig {
			d[k] = v
		}
	}
	for k, v := range data {
		d[k] = v
	}
	out["data"] = d
	return out
}
