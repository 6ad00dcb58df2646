package lever

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"1", time.Second},
		{" 30 ", 30 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"Fri, 02 Jan 2026 03:04:15 GMT", 10 * time.Second},
		{"Fri, 02 Jan 2026 03:04:00 GMT", 0}, // in the past
		{"99999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	base, maxDelay := 100*time.Millisecond, time.Second
	tests := []struct {
		n        int
		lo, high time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{10, 500 * time.Millisecond, time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			if got := backoff(tt.n, base, maxDelay); got < tt.lo || got > tt.high {
				t.Fatalf("backoff(%d): got %v, want within [%v, %v]", tt.n, got, tt.lo, tt.high)
			}
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"429", &APIError{StatusCode: 429}, true},
		{"500", &APIError{StatusCode: 500}, true},
		{"503 wrapped", fmt.Errorf("post note: %w", &APIError{StatusCode: 503}), true},
		{"400", &APIError{StatusCode: 400}, false},
		{"422", &APIError{StatusCode: 422}, false},
		{"401 revoked", &APIError{StatusCode: 401}, false},
		{"403 missing scope", &APIError{StatusCode: 403}, false},
		{"sentinel missing scope", ErrMissingScope, false},
		{"404", &APIError{StatusCode: 404}, false},
		{"sentinel revoked", ErrAccessRevoked, false},
		{"transport EOF", &transportError{method: "POST", path: "/x", err: io.EOF}, true},
		{"timeout", timeoutErr{}, true},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false},
		{"token endpoint 502", &tokenEndpointError{status: 502}, true},
		{"token endpoint 400", &tokenEndpointError{status: 400}, false},
		{"validation", errors.New("lever: add note: empty value"), false},
	}
	for _, tt := range tests {
		if got := IsRetryable(tt.err); got != tt.want {
			t.Errorf("IsRetryable(%s): got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestUnwrapData(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"id":"t"}`, `{"id":"t"}`},
		{`{"data":{"id":"t"}}`, `{"id":"t"}`},
		{`{"data":{"data":{"id":"t"}}}`, `{"id":"t"}`},
		{`{"id":"t","data":{"id":"u"}}`, `{"id":"t","data":{"id":"u"}}`},
		{`{"data":[1]}`, `{"data":[1]}`},
		{`[1]`, `[1]`},
	}
	for _, tt := range tests {
		if got := string(unwrapData([]byte(tt.in))); got != tt.want {
			t.Errorf("unwrapData(%s): got %s, want %s", tt.in, got, tt.want)
		}
	}
}
