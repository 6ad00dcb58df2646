package lever

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

var (
	// ErrAccessRevoked reports a 401 or 403: the token or key no longer grants access,
	// typically because a Super Admin revoked the app.
	ErrAccessRevoked = errors.New("lever: access revoked")
	// ErrNotFound reports a 404, or a lookup that matched nothing.
	ErrNotFound = errors.New("lever: not found")
)

// maxMessageLen bounds how much of Lever's message reaches error strings.
const maxMessageLen = 200

// APIError is a non-2xx answer from Lever.
type APIError struct {
	StatusCode int
	// Code and Message come from Lever's {"code":…,"message":…} body; for a body that is
	// not JSON, Message is the status text (the body itself is not kept).
	Code, Message string
	// RetryAfter is the parsed Retry-After header, 0 if absent.
	RetryAfter time.Duration
	// Method and Path identify the request; Path has no query string, so perform_as,
	// emails and other parameters never reach error strings.
	Method, Path string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("lever: %s %s: status %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is makes errors.Is(err, ErrAccessRevoked) hold for 401/403 and ErrNotFound for 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAccessRevoked:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	}
	return false
}

// transportError is a request that got no HTTP answer (reset, EOF, timeout). The
// underlying *url.Error is dropped because its message holds the full URL with query.
type transportError struct {
	method, path string
	err          error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("lever: %s %s: %v", e.method, e.path, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// IsRetryable reports whether a later attempt of the same call may succeed: 429, 5xx,
// transport errors and timeouts (including context.DeadlineExceeded).
//
// It returns false for context.Canceled, for other 4xx, for ErrNotFound and for
// ErrAccessRevoked: revocation does not heal by retrying, the caller must wait for the
// account to be reconnected. It also returns false for validation errors raised before
// sending.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrAccessRevoked) || errors.Is(err, ErrNotFound) {
		return false
	}
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if _, ok := errors.AsType[*transportError](err); ok {
		return true
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return true // a token source that could not reach its endpoint
	}
	if tokErr, ok := errors.AsType[*tokenEndpointError](err); ok {
		return tokErr.retryable()
	}
	if _, ok := errors.AsType[*tokenSourceError](err); ok {
		return true
	}
	if netErr, ok := errors.AsType[net.Error](err); ok {
		return netErr.Timeout()
	}
	return false
}
