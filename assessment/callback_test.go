package assessment

import (
	"errors"
	"testing"
	"time"
)

func TestParseCallback(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr bool
	}{
		{"started", `{"id":"evt_1","event":"started","invitation_id":"inv_1","reference":"wf-1","occurred_at":"2026-01-01T12:00:00Z"}`, false},
		{"submitted", `{"id":"evt_2","event":"submitted","invitation_id":"inv_1","reference":"wf-1","occurred_at":"2026-01-01T12:00:00Z","result":{"score":82.5,"max_score":100,"report_url":"https://p/r","proctoring":{"flagged":true,"summary":"tab switches"}}}`, false},
		{"submitted without scores", `{"event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":{}}`, false},
		{"unknown fields ignored", `{"event":"started","invitation_id":"inv_1","reference":"wf-1","extra":{"a":1}}`, false},
		{"bad json", `{"event":`, true},
		{"empty body", ``, true},
		{"not an object", `[]`, true},
		{"bad time", `{"event":"started","invitation_id":"inv_1","reference":"wf-1","occurred_at":"yesterday"}`, true},
		{"score of wrong type", `{"event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":{"score":"high"}}`, true},
		{"unknown event", `{"event":"graded","invitation_id":"inv_1","reference":"wf-1"}`, true},
		{"missing event", `{"invitation_id":"inv_1","reference":"wf-1"}`, true},
		{"missing reference", `{"event":"started","invitation_id":"inv_1"}`, true},
		{"missing invitation_id", `{"event":"started","reference":"wf-1"}`, true},
		{"submitted without result", `{"event":"submitted","invitation_id":"inv_1","reference":"wf-1"}`, true},
		{"submitted with null result", `{"event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":null}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := ParseCallback([]byte(tt.body))
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidCallback) {
					t.Errorf("ParseCallback error = %v, want %v", err, ErrInvalidCallback)
				}
				if cb != nil {
					t.Errorf("ParseCallback callback = %+v, want nil", cb)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCallback error = %v, want nil", err)
			}
			if cb == nil {
				t.Fatal("ParseCallback callback = nil, want non-nil")
			}
		})
	}
}

func TestParseCallbackFields(t *testing.T) {
	body := `{"id":"evt_2","event":"submitted","invitation_id":"inv_1","reference":"wf-1","occurred_at":"2026-01-01T12:00:00Z","result":{"score":82.5,"max_score":100,"report_url":"https://p/r","proctoring":{"flagged":true,"summary":"tab switches"}}}`
	cb, err := ParseCallback([]byte(body))
	if err != nil {
		t.Fatalf("ParseCallback error = %v, want nil", err)
	}
	want := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	checks := []struct {
		field     string
		got, want any
	}{
		{"id", cb.ID, "evt_2"},
		{"event", cb.Event, EventSubmitted},
		{"invitation_id", cb.InvitationID, "inv_1"},
		{"reference", cb.Reference, "wf-1"},
		{"occurred_at", cb.OccurredAt.Equal(want), true},
		{"score", *cb.Result.Score, 82.5},
		{"max_score", *cb.Result.MaxScore, 100.0},
		{"report_url", cb.Result.ReportURL, "https://p/r"},
		{"flagged", cb.Result.Proctoring.Flagged, true},
		{"summary", cb.Result.Proctoring.Summary, "tab switches"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}

	cb, err = ParseCallback([]byte(`{"event":"submitted","invitation_id":"inv_1","reference":"wf-1","result":{"report_url":"x"}}`))
	if err != nil {
		t.Fatalf("ParseCallback error = %v, want nil", err)
	}
	if cb.Result.Score != nil || cb.Result.MaxScore != nil {
		t.Errorf("missing scores = %v, %v, want nil, nil", cb.Result.Score, cb.Result.MaxScore)
	}
}
