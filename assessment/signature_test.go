package assessment

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The worked example in README.md; a change here means the document is wrong.
const (
	exampleSecret = "example-secret"
	exampleBody   = `{"id":"evt_01","event":"started","invitation_id":"inv_123","reference":"lever/acme/opp-1/asmt-1","occurred_at":"2026-01-01T12:00:00Z"}`
	exampleHeader = "t=1767268800,v1=146f6e14669d60d336e07547206baa16bc7c6ebeb1236c1e6e52c414e11622bb"
)

var exampleTime = time.Unix(1767268800, 0)

func TestSignWorkedExample(t *testing.T) {
	if got := Sign(exampleSecret, []byte(exampleBody), exampleTime); got != exampleHeader {
		t.Errorf("Sign = %q, want %q", got, exampleHeader)
	}
}

func TestVerifySignature(t *testing.T) {
	body := []byte(exampleBody)
	now := exampleTime
	other := Sign("old-secret", body, now)
	_, otherMAC, _ := strings.Cut(other, ",v1=")

	tests := []struct {
		name      string
		secret    string
		header    string
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"round trip", exampleSecret, exampleHeader, body, now, time.Minute, nil},
		{"within tolerance past", exampleSecret, exampleHeader, body, now.Add(59 * time.Second), time.Minute, nil},
		{"within tolerance future", exampleSecret, exampleHeader, body, now.Add(-59 * time.Second), time.Minute, nil},
		{"tampered body", exampleSecret, exampleHeader, []byte(strings.Replace(exampleBody, "started", "submitted", 1)), now, time.Minute, ErrBadSignature},
		{"wrong secret", "not-the-secret", exampleHeader, body, now, time.Minute, ErrBadSignature},
		{"empty secret", "", exampleHeader, body, now, time.Minute, ErrBadSignature},
		{"stale", exampleSecret, exampleHeader, body, now.Add(2 * time.Minute), time.Minute, ErrStaleSignature},
		{"from the future", exampleSecret, exampleHeader, body, now.Add(-2 * time.Minute), time.Minute, ErrStaleSignature},
		{"zero tolerance means default accepts", exampleSecret, exampleHeader, body, now.Add(4 * time.Minute), 0, nil},
		{"zero tolerance means default rejects", exampleSecret, exampleHeader, body, now.Add(6 * time.Minute), 0, ErrStaleSignature},
		{"rotation new first", exampleSecret, exampleHeader + ",v1=" + otherMAC, body, now, time.Minute, nil},
		{"rotation new last", exampleSecret, other + "," + strings.TrimPrefix(exampleHeader, "t=1767268800,"), body, now, time.Minute, nil},
		{"rotation no match", "third-secret", exampleHeader + ",v1=" + otherMAC, body, now, time.Minute, ErrBadSignature},
		{"spaces and unknown scheme", exampleSecret, "t=1767268800, v0=abc, " + strings.TrimPrefix(exampleHeader, "t=1767268800,"), body, now, time.Minute, nil},
		{"bad hex entry then good", exampleSecret, "t=1767268800,v1=zz," + strings.TrimPrefix(exampleHeader, "t=1767268800,"), body, now, time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(tt.secret, tt.header, tt.body, tt.now, tt.tolerance)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("VerifySignature error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifySignatureMalformedHeaders(t *testing.T) {
	body := []byte(exampleBody)
	mac := strings.TrimPrefix(exampleHeader, "t=1767268800,")
	tests := []struct {
		name   string
		header string
	}{
		{"empty", ""},
		{"garbage", "garbage"},
		{"no timestamp", mac},
		{"no signature", "t=1767268800"},
		{"empty signature", "t=1767268800,v1="},
		{"non-numeric timestamp", "t=noon," + mac},
		{"negative timestamp", "t=-1767268800," + mac},
		{"two timestamps", "t=1767268800,t=1767268800," + mac},
		{"missing equals", "t=1767268800,v1"},
		{"trailing comma", exampleHeader + ","},
		{"uppercase key", "T=1767268800," + strings.ToUpper(mac)},
		{"milliseconds timestamp", "t=1767268800000," + mac},
		{"too long", exampleHeader + strings.Repeat(",v1=00", 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(exampleSecret, tt.header, body, exampleTime, time.Minute)
			if !errors.Is(err, ErrBadSignature) {
				t.Errorf("VerifySignature error = %v, want %v", err, ErrBadSignature)
			}
			if tt.header != "" && len(tt.header) > 8 && strings.Contains(err.Error(), tt.header) {
				t.Errorf("error %q echoes the header, want it not to", err)
			}
		})
	}
}

func TestSignVerifyRoundTripNow(t *testing.T) {
	body := []byte(`{"id":"evt_x"}`)
	now := time.Now()
	h := Sign("s", body, now)
	if err := VerifySignature("s", h, body, now, time.Minute); err != nil {
		t.Errorf("VerifySignature(Sign(...)) = %v, want nil", err)
	}
}
