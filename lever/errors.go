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
	// ErrAccessRevoked reports credentials Lever no longer accepts, typically because a Super
	// Admin revoked the app: a 401 for an API key, a 401 that a refreshed OAuth token did not
	// cure, or a refresh Lever refused (invalid_grant). The account must be reconnected.
	ErrAccessRevoked = errors.New("lever: access revoked")
	// ErrMissingScope reports a 403: the credentials are valid but do not cover this call,
	// because the OAuth grant lacks the endpoint's scope (MissingScope names it) or the API key
	// lacks that permission. It is not a revocation: other calls keep working, and
	// reconnecting with the scope cures it. Lever also answers 403 when an object itself is
	// out of reach (a webhook made by hand in its settings); callers that can meet that check
	// for it first.
	ErrMissingScope = errors.New("lever: permission not granted")
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
	// Scope is the OAuth scope the endpoint requires (ScopeFor), "" when unknown.
	Scope string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("lever: %s %s: status %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.StatusCode == http.StatusForbidden && e.Scope != "" {
		s += " (needs scope " + e.Scope + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrAccessRevoked) hold for 401, ErrMissingScope for 403 and
// ErrNotFound for 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAccessRevoked:
		return e.StatusCode == http.StatusUnauthorized
	case ErrMissingScope:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	}
	return false
}

// MissingScope reports whether err is Lever's 403 (ErrMissingScope) and names the scope the
// refused call needs; the scope is "" when the endpoint's scope is unknown.
func MissingScope(err error) (scope string, ok bool) {
	apiErr, isAPI := errors.AsType[*APIError](err)
	if !isAPI || apiErr.StatusCode != http.StatusForbidden {
		return "", false
	}
	return apiErr.Scope, true
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
// It returns false for context.Canceled, for other 4xx, for ErrNotFound, ErrMissingScope and
// ErrAccessRevoked: neither a revocation nor a missing scope heals by retrying, the caller
// must wait for the account to be reconnected. It also returns false for validation errors raised before
// sending.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrAccessRevoked) || errors.Is(err, ErrMissingScope) || errors.Is(err, ErrNotFound) {
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
