package assessment

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	// ErrNotFound matches an APIError with status 404.
	ErrNotFound = errors.New("assessment: not found")
	// ErrConflict matches an APIError with status 409 (idempotency key reused with a
	// different assessment, or an invitation already cancelled or submitted).
	ErrConflict = errors.New("assessment: conflict")

	// errUnreadableResponse marks a response we could not read or decode. Retrying is
	// safe (Invite replays by idempotency key) and may well get a clean answer.
	errUnreadableResponse = errors.New("unreadable response")
)

// APIError is a non-2xx answer from the platform. Code and Message come from the
// platform's error body; they are scrubbed of anything that looks like an email.
type APIError struct {
	StatusCode int
	Code       string
	Message    string
	// RetryAfter is the platform's Retry-After hint, zero when absent.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "assessment platform answered %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Is lets callers test with errors.Is(err, ErrNotFound) / errors.Is(err, ErrConflict).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	}
	return false
}

// IsRetryable reports whether repeating the call may succeed: 429, 5xx, transport
// errors and timeouts, unreadable responses. Other 4xx, a cancelled context and
// invalid arguments are not.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	if errors.Is(err, errUnreadableResponse) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	// http.Client.Do reports every transport failure as a *url.Error, a net.Error.
	_, isNet := errors.AsType[net.Error](err)
	return isNet
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

// emailLike is deliberately broad: a false positive only costs a redacted word.
var emailLike = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+`)

const maxErrorText = 300

// scrub keeps platform-supplied text safe for logs: no secrets, no emails, bounded.
func scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	s = emailLike.ReplaceAllString(s, "[redacted email]")
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
