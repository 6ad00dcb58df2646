package lever_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assessbridge/assessbridge/lever"
)

// TestContentHash: Lever's retries of a delivery hash alike however they are encoded; any edit
// of the event or the data changes the hash.
func TestContentHash(t *testing.T) {
	const stage = `{"id":"d1","event":"candidateStageChange","triggeredAt":1700000000123,"token":"tok","signature":"00",` +
		`"data":{"opportunityId":"o1","candidateId":"c1","toStageId":"s2","fromStageId":null,"meta":{"a":1,"b":[1,2]}}}`
	tests := []struct {
		name     string
		a, b     string
		wantSame bool
	}{
		{"identical", stage, stage, true},
		{"reordered, spaced, other id, token and signature",
			stage,
			`{ "data" : { "meta":{"b":[1, 2],"a":1}, "fromStageId":null, "toStageId":"s2", "candidateId":"c1", "opportunityId":"o1" },
			  "signature":"11", "token":"other", "triggeredAt":"1700000000123", "event":"candidateStageChange" }`,
			true},
		{"escaped characters", `{"event":"e","triggeredAt":1,"token":"t","signature":"s","data":{"opportunityId":"oA"}}`,
			`{"event":"e","triggeredAt":1,"token":"t","signature":"s","data":{"opportunityId":"o\u0041"}}`, true},
		{"absent and null data", `{"event":"e","triggeredAt":1,"token":"t","signature":"s"}`,
			`{"event":"e","triggeredAt":1,"token":"t","signature":"s","data":null}`, true},
		{"toStageId edited", stage, editBody(stage, `"toStageId":"s2"`, `"toStageId":"s3"`), false},
		{"opportunityId edited", stage, editBody(stage, `"opportunityId":"o1"`, `"opportunityId":"o2"`), false},
		{"nested value edited", stage, editBody(stage, `"a":1`, `"a":2`), false},
		{"field added", stage, editBody(stage, `"opportunityId":"o1"`, `"opportunityId":"o1","extra":true`), false},
		{"number written otherwise", stage, editBody(stage, `"a":1`, `"a":1.0`), false},
		{"event edited", stage, editBody(stage, `"event":"candidateStageChange"`, `"event":"candidateHired"`), false},
		{"Test ping's empty data given data", `{"event":"candidateStageChange","triggeredAt":1,"token":"t","signature":"s","data":{}}`,
			`{"event":"candidateStageChange","triggeredAt":1,"token":"t","signature":"s","data":{"opportunityId":"o1","toStageId":"s2"}}`, false},
		{"empty data and no data", `{"event":"e","triggeredAt":1,"token":"t","signature":"s","data":{}}`,
			`{"event":"e","triggeredAt":1,"token":"t","signature":"s"}`, false},
		{"event and data not confused", `{"event":"ab","triggeredAt":1,"token":"t","signature":"s","data":"c"}`,
			`{"event":"a","triggeredAt":1,"token":"t","signature":"s","data":"bc"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := parseHook(t, tt.a).ContentHash(), parseHook(t, tt.b).ContentHash()
			if len(a) != 64 {
				t.Errorf("hash: got %q, want 64 hex digits", a)
			}
			if (a == b) != tt.wantSame {
				t.Errorf("hashes equal: got %v, want %v (%s, %s)", a == b, tt.wantSame, a, b)
			}
		})
	}
}

// TestContentHashOfUndecodableData: data set in code that is not JSON is hashed as it is.
func TestContentHashOfUndecodableData(t *testing.T) {
	bad := (&lever.Webhook{Event: "e", Data: json.RawMessage(`{"a":`)}).ContentHash()
	other := (&lever.Webhook{Event: "e", Data: json.RawMessage(`{"a":1}`)}).ContentHash()
	if bad == other || bad != (&lever.Webhook{Event: "e", Data: json.RawMessage(`{"a":`)}).ContentHash() {
		t.Errorf("undecodable data: got %s (valid data: %s), want a stable hash of its own", bad, other)
	}
}

func parseHook(t *testing.T, body string) *lever.Webhook {
	t.Helper()
	w, err := lever.ParseWebhook([]byte(body))
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	return w
}

// editBody replaces the first old in body with new; old must be there.
func editBody(body, old, new string) string {
	if !strings.Contains(body, old) {
		panic("editBody: " + old + " not in the body")
	}
	return strings.Replace(body, old, new, 1)
}
