// Package accounts turns a connected Lever account from the store into a ready Lever client:
// its credentials (OAuth tokens that are refreshed and saved, or an API key) and its share of
// Lever's rate limit.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// ErrDisconnected: the account exists but an admin disconnected it or Lever revoked access.
var ErrDisconnected = errors.New("lever account is disconnected")

// Store is what Clients reads.
type Store interface {
	Account(ctx context.Context, id string) (store.Account, error)
}

// Config sets the defaults every account shares.
type Config struct {
	LeverBaseURL string // used when the account has none
	// Refreshing returns a token source that refreshes the account's OAuth tokens and saves the
	// rotated ones (leverauth). Nil: access tokens are used as they are, never refreshed.
	Refreshing func(accountID string) oauth2.TokenSource
	Rate       float64      // Lever requests per second per account; default 10
	Burst      int          // default 20
	HTTPClient *http.Client // default 30 s timeout
	// Observer, when set, watches every Lever client's requests and limiter waits (metrics).
	Observer lever.Observer
}

// Clients hands out one Lever client per account, rebuilt when the account's credentials change.
// All clients of an account share one limiter, so concurrent activities stay within its budget.
type Clients struct {
	store Store
	cfg   Config

	mu       sync.Mutex
	clients  map[string]cached
	limiters map[string]*rate.Limiter
}

type cached struct {
	fingerprint string
	client      *lever.Client
}

// New returns Clients reading accounts from s.
func New(s Store, cfg Config) *Clients {
	if cfg.LeverBaseURL == "" {
		cfg.LeverBaseURL = lever.ProductionBaseURL
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 10
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 20
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &Clients{store: s, cfg: cfg, clients: map[string]cached{}, limiters: map[string]*rate.Limiter{}}
}

// Client returns the account's Lever client. store.ErrNotFound and ErrDisconnected are wrapped.
func (c *Clients) Client(ctx context.Context, accountID string) (*lever.Client, error) {
	acct, err := c.store.Account(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("read account: %w", err)
	}
	if acct.Status == "disconnected" {
		return nil, ErrDisconnected
	}
	base := acct.LeverBaseURL
	if base == "" {
		base = c.cfg.LeverBaseURL
	}
	fp := base + "\x00" + acct.APIKey + "\x00" + acct.AccessToken + "\x00" + acct.RefreshToken
	if c.cfg.Refreshing != nil && acct.RefreshToken != "" {
		// The refreshing source reads and saves the tokens itself; rebuilding on each of its
		// refreshes would only drop its cache. Reconnecting (status change) builds anew.
		fp = base + "\x00oauth\x00" + acct.UpdatedAt.String()
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.clients[accountID]; ok && e.fingerprint == fp {
		return e.client, nil
	}
	lim, ok := c.limiters[accountID]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(c.cfg.Rate), c.cfg.Burst)
		c.limiters[accountID] = lim
	}
	opts := []lever.Option{lever.WithHTTPClient(c.cfg.HTTPClient), lever.WithLimiter(lim)}
	if c.cfg.Observer != nil {
		opts = append(opts, lever.WithObserver(c.cfg.Observer))
	}
	switch {
	case acct.APIKey != "":
		opts = append(opts, lever.WithAPIKey(acct.APIKey))
	case acct.AccessToken != "" || acct.RefreshToken != "":
		opts = append(opts, lever.WithTokenSource(c.tokenSource(acct)))
	default:
		return nil, fmt.Errorf("account %s has no Lever credentials: %w", accountID, ErrDisconnected)
	}
	lc, err := lever.New(base, opts...)
	if err != nil {
		return nil, fmt.Errorf("lever client for account %s: %w", accountID, err)
	}
	c.clients[accountID] = cached{fingerprint: fp, client: lc}
	return lc, nil
}

func (c *Clients) tokenSource(acct store.Account) oauth2.TokenSource {
	if c.cfg.Refreshing != nil && acct.RefreshToken != "" {
		return c.cfg.Refreshing(acct.ID)
	}
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: acct.AccessToken, TokenType: "Bearer", Expiry: acct.TokenExpiry})
}
