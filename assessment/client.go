package assessment

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

const (
	defaultTimeout = 15 * time.Second
	// maxResponseBytes bounds what a misbehaving platform can make us buffer.
	maxResponseBytes = 1 << 20
	userAgent        = "assessbridge"
)

// Client talks to an assessment platform over the HTTP contract in README.md.
// It is safe for concurrent use.
type Client struct {
	baseURL string // without trailing slash
	apiKey  string
	hc      *http.Client
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithHTTPClient replaces the default client (15 s timeout). A client without a
// timeout gets the default one, so a stuck platform cannot hang an activity.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// NewClient returns a client for the platform at baseURL (e.g.
// https://platform.example/api) authenticating with apiKey.
func NewClient(baseURL, apiKey string, opts ...ClientOption) (*Client, error) {
	if baseURL == "" {
		return nil, errors.New("assessment: new client: base url is required")
	}
	if apiKey == "" {
		return nil, errors.New("assessment: new client: api key is required")
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		// The *url.Error would repeat the URL, which may hold credentials.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("assessment: new client: invalid base url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("assessment: new client: base url must be an absolute http(s) url without query or fragment")
	}
	c := &Client{
		baseURL: strings.TrimRight(baseURL, "/"),
		apiKey:  apiKey,
		hc:      &http.Client{Timeout: defaultTimeout},
	}
	for _, opt := range opts {
		opt(c)
	}
	if c.hc.Timeout == 0 {
		hc := *c.hc
		hc.Timeout = defaultTimeout
		c.hc = &hc
	}
	return c, nil
}

// do sends one request and decodes a 2xx JSON answer into out (when non-nil).
// Non-2xx answers become *APIError. op names the operation in errors.
func (c *Client) do(ctx context.Context, op, method, path string, header http.Header, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("assessment: %s: encode request: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, body)
	if err != nil {
		return fmt.Errorf("assessment: %s: build request: %w", op, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("assessment: %s: %w", op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("assessment: %s: read response: %w: %w", op, errUnreadableResponse, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("assessment: %s: %w", op, c.apiError(resp, raw))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("assessment: %s: decode response: %w: %w", op, errUnreadableResponse, err)
	}
	return nil
}

// apiError builds an *APIError from a non-2xx answer. A body that is not our error
// envelope (a proxy's HTML page, say) leaves Code and Message empty.
func (c *Client) apiError(resp *http.Response, raw []byte) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	var env errorEnvelope
	if json.Unmarshal(raw, &env) == nil {
		e.Code = scrub(env.Error.Code, c.apiKey)
		e.Message = scrub(env.Error.Message, c.apiKey)
	}
	return e
}

// errorEnvelope is the contract's error body: {"error":{"code","message"}}.
type errorEnvelope struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}
