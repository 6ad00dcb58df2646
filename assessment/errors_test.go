package assessment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		status                 int
		wantNotFound, wantConf bool
	}{
		{404, true, false},
		{409, false, true},
		{422, false, false},
		{500, false, false},
	}
	for _, tt := range tests {
		err := fmt.Errorf("wrapped: %w", &APIError{StatusCode: tt.status})
		if got := errors.Is(err, ErrNotFound); got != tt.wantNotFound {
			t.Errorf("status %d: errors.Is(ErrNotFound) = %v, want %v", tt.status, got, tt.wantNotFound)
		}
		if got := errors.Is(err, ErrConflict); got != tt.wantConf {
			t.Errorf("status %d: errors.Is(ErrConflict) = %v, want %v", tt.status, got, tt.wantConf)
		}
	}
}

func TestIsRetryableWithoutTransport(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("assessment: invite: idempotency key is required"), false},
		{"429", &APIError{StatusCode: http.StatusTooManyRequests}, true},
		{"500", &APIError{StatusCode: 500}, true},
		{"503 wrapped", fmt.Errorf("x: %w", &APIError{StatusCode: 503}), true},
		{"400", &APIError{StatusCode: 400}, false},
		{"401", &APIError{StatusCode: 401}, false},
		{"422", &APIError{StatusCode: 422}, false},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"unreadable", fmt.Errorf("x: %w", errUnreadableResponse), true},
	}
	for _, tt := range tests {
		if got := IsRetryable(tt.err); got != tt.want {
			t.Errorf("%s: IsRetryable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{" 2 ", 2 * time.Second},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestScrub(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"email ada@example.com is invalid", "email [redacted email] is invalid"},
		{`bad "ada.l+x@mail.example.org"`, `bad "[redacted email]"`},
		{"key sk_live_123 rejected", "key [redacted] rejected"},
		{"plain", "plain"},
		{strings.Repeat("é", 400), strings.Repeat("é", maxErrorText/2) + "…"},
	}
	for _, tt := range tests {
		if got := scrub(tt.in, "sk_live_123"); got != tt.want {
			t.Errorf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
