package lever_test

import (
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
)

// Vector computed outside Go:
//
//	printf '%s' "sLKSuHUpXqAzGrlWgazwCdHTjZgvbyNbYHkLrTvFfTQQxzhf1700000000123" |
//	  openssl dgst -sha256 -hmac "whsec-assessbridge-test"
const (
	vecKey       = "whsec-assessbridge-test"
	vecToken     = "sLKSuHUpXqAzGrlWgazwCdHTjZgvbyNbYHkLrTvFfTQQxzhf"
	vecAt        = int64(1700000000123)
	vecSignature = "53cb8365cbf42a5883085ea2c5f7b56bd43e327829764dcb690c5112b7b7766c"
)

func TestSignMatchesOpenSSL(t *testing.T) {
	if got := lever.Sign(vecKey, vecToken, vecAt); got != vecSignature {
		t.Errorf("Sign: got %s, want %s", got, vecSignature)
	}
}

func envelope(token, at, signature, data string) string {
	return `{"id":"d1","event":"candidateStageChange","triggeredAt":` + at + `,"token":"` + token +
		`","signature":"` + signature + `","data":` + data + `}`
}

func TestVerify(t *testing.T) {
	okData := `{"opportunityId":"o1","toStageId":"s2"}`
	tampered := []byte(vecSignature)
	tampered[10] ^= 1
	tests := []struct {
		name string
		body string
		keys []string
		want bool
	}{
		{"documented signature", envelope(vecToken, "1700000000123", vecSignature, okData), []string{vecKey}, true},
		{"triggeredAt as digit string", envelope(vecToken, `"1700000000123"`, vecSignature, okData), []string{vecKey}, true},
		{"uppercase hex", envelope(vecToken, "1700000000123", strings.ToUpper(vecSignature), okData), []string{vecKey}, true},
		{"second of two keys (rotation)", envelope(vecToken, "1700000000123", vecSignature, okData), []string{"old", vecKey}, true},
		{"data is not signed", envelope(vecToken, "1700000000123", vecSignature, `{"opportunityId":"other"}`), []string{vecKey}, true},
		{"tampered token", envelope("x"+vecToken[1:], "1700000000123", vecSignature, okData), []string{vecKey}, false},
		{"tampered triggeredAt", envelope(vecToken, "1700000000124", vecSignature, okData), []string{vecKey}, false},
		{"tampered signature", envelope(vecToken, "1700000000123", string(tampered), okData), []string{vecKey}, false},
		{"truncated signature", envelope(vecToken, "1700000000123", vecSignature[:62], okData), []string{vecKey}, false},
		{"wrong key", envelope(vecToken, "1700000000123", vecSignature, okData), []string{"whsec-other"}, false},
		{"no keys", envelope(vecToken, "1700000000123", vecSignature, okData), nil, false},
		{"empty key", envelope(vecToken, "1700000000123", vecSignature, okData), []string{""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := lever.ParseWebhook([]byte(tt.body))
			if err != nil {
				t.Fatalf("ParseWebhook: got %v, want nil", err)
			}
			if got := w.Verify(tt.keys...); got != tt.want {
				t.Errorf("Verify: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerifyHandBuilt(t *testing.T) {
	w := &lever.Webhook{Token: vecToken, TriggeredAt: vecAt, Signature: vecSignature}
	if !w.Verify(vecKey) {
		t.Errorf("Verify on a Webhook built in code: got false, want true")
	}
	if got, want := w.TriggeredTime(), time.UnixMilli(vecAt); !got.Equal(want) {
		t.Errorf("TriggeredTime: got %v, want %v", got, want)
	}
}

func TestParseWebhookErrors(t *testing.T) {
	tests := []struct {
		name, body, wantField string
	}{
		{"not json", `event=x`, "JSON"},
		{"array", `[]`, "JSON"},
		{"null", `null`, "JSON"},
		{"no event", `{"token":"t","signature":"s","triggeredAt":1}`, "event"},
		{"event not string", `{"event":1,"token":"t","signature":"s","triggeredAt":1}`, "event"},
		{"no token", `{"event":"e","signature":"s","triggeredAt":1}`, "token"},
		{"empty token", `{"event":"e","token":"","signature":"s","triggeredAt":1}`, "token"},
		{"no signature", `{"event":"e","token":"t","triggeredAt":1}`, "signature"},
		{"no triggeredAt", `{"event":"e","token":"t","signature":"s"}`, "triggeredAt"},
		{"triggeredAt null", `{"event":"e","token":"t","signature":"s","triggeredAt":null}`, "triggeredAt"},
		{"triggeredAt bool", `{"event":"e","token":"t","signature":"s","triggeredAt":true}`, "triggeredAt"},
		{"triggeredAt words", `{"event":"e","token":"t","signature":"s","triggeredAt":"soon"}`, "triggeredAt"},
		{"triggeredAt fraction", `{"event":"e","token":"t","signature":"s","triggeredAt":1.5}`, "triggeredAt"},
		{"triggeredAt negative", `{"event":"e","token":"t","signature":"s","triggeredAt":-1}`, "triggeredAt"},
		{"triggeredAt zero", `{"event":"e","token":"t","signature":"s","triggeredAt":0}`, "triggeredAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lever.ParseWebhook([]byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("ParseWebhook: got %v, want an error naming %s", err, tt.wantField)
			}
		})
	}
}

func TestParseWebhookFields(t *testing.T) {
	w, err := lever.ParseWebhook([]byte(`{"event":"candidateHired","token":"t","signature":"s","triggeredAt":1.7e12,"data":{"opportunityId":"o1"}}`))
	if err != nil {
		t.Fatalf("ParseWebhook: got %v, want nil", err)
	}
	if w.ID != "" || w.Event != lever.EventHired || w.TriggeredAt != 1_700_000_000_000 || string(w.Data) != `{"opportunityId":"o1"}` {
		t.Errorf("webhook: got %+v, want no id, event candidateHired, triggeredAt 1.7e12 and the data", w)
	}
	if w.Verify("k") {
		t.Errorf("Verify of a non-hex signature: got true, want false")
	}
}

func TestStageChange(t *testing.T) {
	tests := []struct {
		name, data string
		want       lever.StageChange
		wantErr    bool
	}{
		{"full", `{"opportunityId":"o1","candidateId":"c1","contactId":"k1","fromStageId":"s1","toStageId":"s2"}`,
			lever.StageChange{OpportunityID: "o1", CandidateID: "c1", ContactID: "k1", FromStageID: "s1", ToStageID: "s2"}, false},
		{"nulls", `{"opportunityId":"o1","candidateId":null,"contactId":null,"fromStageId":null,"toStageId":"s2"}`,
			lever.StageChange{OpportunityID: "o1", ToStageID: "s2"}, false},
		{"test button", `{}`, lever.StageChange{}, false},
		{"data null", `null`, lever.StageChange{}, false},
		{"data not object", `"x"`, lever.StageChange{}, true},
		{"id of wrong type", `{"opportunityId":["o1"]}`, lever.StageChange{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := lever.ParseWebhook([]byte(envelope(vecToken, "1", "ab", tt.data)))
			if err != nil {
				t.Fatalf("ParseWebhook: got %v, want nil", err)
			}
			got, err := w.StageChange()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("StageChange: got (%+v, %v), want (%+v, error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestArchiveChange(t *testing.T) {
	tests := []struct {
		name, data string
		wantTo     *lever.ArchiveState
		wantFrom   *lever.ArchiveState
	}{
		{"archived with reason id", `{"opportunityId":"o1","toArchived":{"reason":"r1","archivedAt":5},"fromArchived":null}`,
			&lever.ArchiveState{Reason: "r1", ArchivedAt: 5}, nil},
		{"reason object", `{"opportunityId":"o1","toArchived":{"reason":{"id":"r1","text":"Hired"},"archivedAt":5},"fromArchived":{"reason":"r0","archivedAt":"4"}}`,
			&lever.ArchiveState{Reason: "r1", ArchivedAt: 5}, &lever.ArchiveState{Reason: "r0", ArchivedAt: 4}},
		{"unarchived", `{"opportunityId":"o1","toArchived":null,"fromArchived":{"reason":"r1","archivedAt":5}}`,
			nil, &lever.ArchiveState{Reason: "r1", ArchivedAt: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := lever.ParseWebhook([]byte(envelope(vecToken, "1", "ab", tt.data)))
			if err != nil {
				t.Fatalf("ParseWebhook: got %v, want nil", err)
			}
			got, err := w.ArchiveChange()
			if err != nil || got.OpportunityID != "o1" || !sameState(got.ToArchived, tt.wantTo) || !sameState(got.FromArchived, tt.wantFrom) {
				t.Errorf("ArchiveChange: got (%+v to %+v from %+v, %v), want to %+v from %+v", got, got.ToArchived, got.FromArchived, err, tt.wantTo, tt.wantFrom)
			}
		})
	}
}

func sameState(a, b *lever.ArchiveState) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func TestOpportunityEvent(t *testing.T) {
	for _, data := range []string{`{"opportunityId":"o1","candidateId":"c1","contactId":"k1"}`, `{"opportunityId":"o1","candidateId":"c1","contactId":"k1","extra":{"x":[1]}}`} {
		w, err := lever.ParseWebhook([]byte(envelope(vecToken, "1", "ab", data)))
		if err != nil {
			t.Fatalf("ParseWebhook: got %v, want nil", err)
		}
		got, err := w.OpportunityEvent()
		want := lever.OpportunityEvent{OpportunityID: "o1", CandidateID: "c1", ContactID: "k1"}
		if err != nil || got != want {
			t.Errorf("OpportunityEvent(%s): got (%+v, %v), want %+v", data, got, err, want)
		}
	}
}

func TestApplicationCreated(t *testing.T) {
	tests := []struct {
		name, data string
		want       lever.ApplicationCreated
		wantErr    bool
	}{
		{"documented", `{"applicationId":"a1","contactId":"k1","opportunityId":"o1"}`,
			lever.ApplicationCreated{OpportunityID: "o1", ContactID: "k1", ApplicationID: "a1"}, false},
		{"with candidate and postingId", `{"applicationId":"a1","contactId":"k1","opportunityId":"o1","candidateId":"c1","postingId":"p1"}`,
			lever.ApplicationCreated{OpportunityID: "o1", CandidateID: "c1", ContactID: "k1", ApplicationID: "a1", PostingID: "p1"}, false},
		{"posting object", `{"applicationId":"a1","opportunityId":"o1","posting":{"id":"p1","text":"Backend"}}`,
			lever.ApplicationCreated{OpportunityID: "o1", ApplicationID: "a1", PostingID: "p1"}, false},
		{"postingId null", `{"opportunityId":"o1","postingId":null}`, lever.ApplicationCreated{OpportunityID: "o1"}, false},
		{"test button", `{}`, lever.ApplicationCreated{}, false},
		{"data not object", `[1]`, lever.ApplicationCreated{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := lever.ParseWebhook([]byte(envelope(vecToken, "1", "ab", tt.data)))
			if err != nil {
				t.Fatalf("ParseWebhook: got %v, want nil", err)
			}
			got, err := w.ApplicationCreated()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ApplicationCreated: got (%+v, %v), want (%+v, error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
