package lever

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"
)

// Base URLs of Lever's API v1.
const (
	ProductionBaseURL = "https://api.lever.co/v1"
	SandboxBaseURL    = "https://api.sandbox.lever.co/v1"
)

const (
	defaultTimeout     = 30 * time.Second
	defaultUserAgent   = "assessbridge"
	defaultMaxAttempts = 5
	defaultBaseDelay   = 250 * time.Millisecond
	defaultMaxDelay    = 20 * time.Second
)

// Client calls Lever's API v1 for one account.
//
// Retry rules. Every attempt first waits on the limiter. 429 and 503 mean Lever did not
// process the request, so any method is retried, honouring Retry-After when present.
// 500, 502, 504 and transport errors (reset, EOF, timeout) leave it unknown whether
// Lever applied the write, so they are retried only for requests that are safe to repeat:
// GET, PUT, DELETE and POST addTags/removeTags (set semantics). Non-idempotent POSTs
// (notes, feedback, feedback templates) are not retried on those: the error is returned
// and the caller (a Temporal activity) looks for its marker before trying again.
// Other 4xx are never retried, with one exception: a 401 to a token from a TokenRejecter
// (leverauth's refreshing source) renews the token and sends the request once more, since
// Lever acted on nothing; a second 401 is ErrAccessRevoked. A 403 is ErrMissingScope.
type Client struct {
	base        string // without trailing slash
	hc          *http.Client
	ts          oauth2.TokenSource
	apiKey      string
	limiter     *rate.Limiter
	maxAttempts int
	baseDelay   time.Duration
	maxDelay    time.Duration
	userAgent   string
	authSet     int      // how many auth options were given; New wants exactly one
	observer    Observer // nil: nobody watches
}

// Option configures a Client.
type Option func(*Client)

// WithTokenSource authenticates with "Authorization: Bearer <token>", fetching the token
// from ts before each attempt so refreshed tokens are picked up.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *Client) { c.ts = ts; c.authSet++ }
}

// WithAPIKey authenticates with HTTP Basic auth: the key as user name, an empty password.
func WithAPIKey(key string) Option {
	return func(c *Client) { c.apiKey = key; c.authSet++ }
}

// WithHTTPClient sets the HTTP client. A client without a timeout gets the default 30 s
// (on a copy), so no request can hang forever.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc == nil {
			return
		}
		if hc.Timeout == 0 {
			cp := *hc
			cp.Timeout = defaultTimeout
			hc = &cp
		}
		c.hc = hc
	}
}

// WithLimiter sets the limiter waited on before every attempt. Lever's bucket is per
// account, so callers share one limiter per account across clients. nil disables limiting.
func WithLimiter(l *rate.Limiter) Option {
	return func(c *Client) { c.limiter = l }
}

// WithRetry sets the attempt budget (at least 1) and the exponential backoff bounds.
func WithRetry(maxAttempts int, baseDelay, maxDelay time.Duration) Option {
	return func(c *Client) {
		c.maxAttempts = max(maxAttempts, 1)
		c.baseDelay = max(baseDelay, 0)
		c.maxDelay = max(maxDelay, c.baseDelay)
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// New returns a client for baseURL (e.g. ProductionBaseURL). It needs exactly one of
// WithTokenSource and WithAPIKey.
func New(baseURL string, opts ...Option) (*Client, error) {
	c := &Client{
		hc:          &http.Client{Timeout: defaultTimeout},
		limiter:     rate.NewLimiter(10, 20),
		maxAttempts: defaultMaxAttempts,
		baseDelay:   defaultBaseDelay,
		maxDelay:    defaultMaxDelay,
		userAgent:   defaultUserAgent,
	}
	for _, o := range opts {
		o(c)
	}
	if c.authSet != 1 {
		return nil, errors.New("lever: new client: need exactly one of WithTokenSource and WithAPIKey")
	}
	if c.ts == nil && c.apiKey == "" {
		return nil, errors.New("lever: new client: empty credentials")
	}
	base := strings.TrimSuffix(baseURL, "/")
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("lever: new client: parse base url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, errors.New("lever: new client: base url must be an absolute http(s) url without query")
	}
	c.base = base
	return c, nil
}
