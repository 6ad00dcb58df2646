package lever

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxResponseBytes bounds what is read from one answer.
const maxResponseBytes = 16 << 20

// call describes one API request.
type call struct {
	method string
	path   string // escaped, relative to the base URL, starting with "/"
	query  url.Values
	body   any // JSON-encoded when non-nil
	// raw is sent as is with contentType instead of body (e.g. a multipart upload).
	raw         []byte
	contentType string
	// repeatable marks requests Lever may receive twice without harm. Only these are
	// retried after 500/502/504 and transport errors (see Client).
	repeatable bool
}

// do performs cl with limiter waits and retries, decoding a 2xx body into out (if non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	payload := cl.raw
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("lever: %s %s: encode body: %w", cl.method, cl.path, err)
		}
	}
	renewed := false
	for attempt := 1; ; attempt++ {
		if err := c.waitLimiter(ctx); err != nil {
			return fmt.Errorf("lever: %s %s: %w", cl.method, cl.path, err)
		}
		body, sent, err := c.attempt(ctx, cl, payload)
		if err == nil {
			return decodeBody(cl, body, out)
		}
		if !renewed && c.renewToken(sent, err) {
			// A 401 means Lever refused the request before acting on it, so sending it once
			// more with a renewed token is safe even for notes and feedback, which are never
			// repeated after an unknown outcome. It does not count against the retry budget;
			// a second 401 is final (ErrAccessRevoked).
			renewed = true
			attempt--
			continue
		}
		retry, wait := retryWait(cl, err)
		if !retry || attempt >= c.maxAttempts {
			return err
		}
		if wait <= 0 {
			wait = backoff(attempt, c.baseDelay, c.maxDelay)
		}
		if sleep(ctx, wait) != nil {
			return err // give up now: the wait would outlive ctx
		}
	}
}

// waitLimiter blocks until the limiter grants a token. A wait that would pass ctx's
// deadline fails at once, reported as a deadline error.
func (c *Client) waitLimiter(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	if c.observer != nil {
		defer func(began time.Time) { c.observer.LeverLimiterWait(time.Since(began)) }(time.Now())
	}
	err := c.limiter.Wait(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	if _, hasDeadline := ctx.Deadline(); hasDeadline {
		return fmt.Errorf("rate limiter wait would pass the deadline: %w", context.DeadlineExceeded)
	}
	return fmt.Errorf("rate limiter: %w", err) // e.g. a limiter with burst 0

}

// retryWait says whether err may be retried for cl and how long Lever asked us to wait.
func retryWait(cl call, err error) (bool, time.Duration) {
	if apiErr, ok := errors.AsType[*APIError](err); ok {
		switch apiErr.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			return true, apiErr.RetryAfter // not processed: safe for any method
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
			return cl.repeatable, apiErr.RetryAfter
		}
		return false, 0
	}
	if _, ok := errors.AsType[*transportError](err); ok {
		return cl.repeatable, 0
	}
	return false, 0
}

// attempt sends cl once and returns the body of a 2xx answer, and the access token it sent
// ("" for an API key).
func (c *Client) attempt(ctx context.Context, cl call, payload []byte) (body []byte, sent string, err error) {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, rd)
	if err != nil {
		return nil, "", fmt.Errorf("lever: %s %s: build request: %w", cl.method, cl.path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	switch {
	case cl.contentType != "":
		req.Header.Set("Content-Type", cl.contentType)
	case payload != nil:
		req.Header.Set("Content-Type", "application/json")
	}
	if sent, err = c.authorize(req); err != nil {
		return nil, "", fmt.Errorf("lever: %s %s: %w", cl.method, cl.path, err)
	}

	resp, err := c.hc.Do(req)
	if c.observer != nil {
		status := 0
		if err == nil {
			status = resp.StatusCode
		}
		c.observer.LeverRequest(cl.method, endpointOf(cl.path), status)
	}
	if err != nil {
		return nil, sent, c.noAnswer(ctx, cl, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, sent, c.noAnswer(ctx, cl, err)
	}
	if len(body) > maxResponseBytes {
		return nil, sent, fmt.Errorf("lever: %s %s: response larger than %d bytes", cl.method, cl.path, maxResponseBytes)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, sent, newAPIError(cl, resp, body)
	}
	return body, sent, nil
}

// noAnswer classifies a failed exchange: the caller's ctx ending is not a transport error.
func (c *Client) noAnswer(ctx context.Context, cl call, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("lever: %s %s: %w", cl.method, cl.path, ctxErr)
	}
	if urlErr, ok := errors.AsType[*url.Error](err); ok {
		err = urlErr.Err // its message repeats the URL, query included
	}
	return &transportError{method: cl.method, path: cl.path, err: err}
}

func newAPIError(cl call, resp *http.Response, body []byte) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Method:     cl.method,
		Path:       cl.path,
		Scope:      ScopeFor(cl.method, cl.path),
	}
	var lb struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &lb) == nil {
		e.Code, e.Message = clip(lb.Code), clip(lb.Message)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	return e
}

// clip keeps Lever's text short and on one line.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxMessageLen {
		s = string(r[:maxMessageLen]) + "…"
	}
	return s
}

func decodeBody(cl call, body []byte, out any) error {
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("lever: %s %s: decode response: %w", cl.method, cl.path, err)
	}
	return nil
}
