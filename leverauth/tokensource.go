package leverauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// TokenStore runs fn under the account's token lock; *store.Store implements it.
type TokenStore interface {
	UpdateTokens(ctx context.Context, accountID string, fn func(cur store.Tokens) (store.Tokens, bool, error)) (store.Tokens, error)
}

const (
	// earlyExpiry: a token with less life left than this is refreshed, so a request never
	// leaves with a token that expires on the way.
	earlyExpiry = time.Minute
	// lockWait bounds the wait for another worker's refresh of the same account.
	lockWait = time.Minute
	// refreshTimeout bounds the refresh call even if the HTTP client has no timeout.
	refreshTimeout = 30 * time.Second
)

// TokenSource returns the account's access token, refreshing it through st.UpdateTokens so
// that across all workers one refresh happens at a time per account, and the rotated refresh
// token is saved in the same transaction in which it is received. Inside the lock it re-reads
// the tokens: when another process has refreshed already (more than a minute left) it uses
// those without calling Lever. The token is cached in memory until a minute before expiry.
// A refresh Lever refuses with invalid_grant, 401 or 403, or an account without a refresh
// token, gives an error matching lever.ErrAccessRevoked (errors.Is).
//
// The source is a lever.TokenRejecter: when Lever answers 401 to a token before its expiry,
// the client reports it with TokenRejected and asks again; the refresh then happens as above,
// unless the stored token is another one already (a concurrent 401 refreshed it), so two
// requests meeting the same dead token cost one refresh, whichever process they run in.
//
// Crash window: Lever rotates refresh tokens (the old one stops working), so a process that
// dies after Lever answered a refresh and before the commit loses the new pair. The window is
// kept to sealing and one UPDATE: nothing else runs between receiving and saving, and neither
// the lock wait's deadline nor a caller can cancel a refresh or its save once it has begun.
// If it happens anyway, the access token from before stays usable until its expiry; the next
// refresh then gets invalid_grant and the account is marked disconnected for an admin to
// reconnect: visible, never a silent loss.
func (c Config) TokenSource(st TokenStore, accountID string) oauth2.TokenSource {
	return &tokenSource{cfg: c, st: st, accountID: accountID}
}

type tokenSource struct {
	cfg       Config
	st        TokenStore
	accountID string

	mu     sync.Mutex // one Token call at a time: goroutines of a process share one refresh
	cached store.Tokens
	// rejected is the access token Lever last answered 401 to: never handed out again.
	rejected string
}

var _ lever.TokenRejecter = (*tokenSource)(nil)

// TokenRejected drops access from the cache; the next Token refreshes unless the store holds
// another access token by then.
func (ts *tokenSource) TokenRejected(access string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.rejected = access
	if ts.cached.Access == access {
		ts.cached = store.Tokens{}
	}
}

func (ts *tokenSource) Token() (*oauth2.Token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if fresh(ts.cached, time.Now()) {
		return bearer(ts.cached), nil
	}
	tok, err := ts.update()
	if err != nil {
		return nil, fmt.Errorf("leverauth: token for account %q: %w", ts.accountID, err)
	}
	ts.cached = store.Tokens{Access: tok.Access, Expiry: tok.Expiry} // the refresh token stays in the store
	return bearer(tok), nil
}

// update reads the stored tokens under the account's lock and refreshes them when they are
// about to expire or hold the access token Lever rejected; the caller holds ts.mu.
// oauth2.TokenSource passes no context, so the wait for the lock has its own deadline, which
// stops applying once the lock is held: from then on the refresh and the save are bounded by
// their own timeouts only (see the crash window on TokenSource).
func (ts *tokenSource) update() (store.Tokens, error) {
	errLockWait := fmt.Errorf("waited %s for another worker's refresh: %w", lockWait, context.DeadlineExceeded)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	timer := time.AfterFunc(lockWait, func() { cancel(errLockWait) })
	defer timer.Stop()

	tok, err := ts.st.UpdateTokens(ctx, ts.accountID, func(cur store.Tokens) (store.Tokens, bool, error) {
		if !timer.Stop() {
			return store.Tokens{}, false, errLockWait
		}
		if fresh(cur, time.Now()) && cur.Access != ts.rejected {
			return cur, false, nil // another worker refreshed while we waited
		}
		next, err := ts.cfg.refresh(ctx, cur.Refresh)
		return next, err == nil, err
	})
	if err != nil && errors.Is(context.Cause(ctx), errLockWait) {
		return store.Tokens{}, errLockWait
	}
	return tok, err
}

// refresh trades refreshToken for a new pair. Its result goes straight back to UpdateTokens
// to be saved: keep any other work out of this path.
func (c Config) refresh(ctx context.Context, refreshToken string) (store.Tokens, error) {
	if !c.Enabled() {
		// Not a revocation: the account is fine, our configuration is not.
		return store.Tokens{}, errors.New("refresh: oauth is not configured (no client id)")
	}
	if refreshToken == "" {
		return store.Tokens{}, fmt.Errorf("refresh: no refresh token stored, the account must be reconnected: %w", lever.ErrAccessRevoked)
	}
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	src := c.oauth2Config().TokenSource(c.withHTTPClient(ctx), &oauth2.Token{RefreshToken: refreshToken})
	tok, err := src.Token()
	if err != nil {
		return store.Tokens{}, endpointErr("refresh", err, true)
	}
	if tok.AccessToken == "" {
		return store.Tokens{}, errors.New("refresh: token endpoint answered without an access token")
	}
	// x/oauth2 keeps the old refresh token if the answer carries none.
	return store.Tokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: expiryOf(tok, time.Now())}, nil
}

// fresh reports whether t can be used without a refresh. A zero expiry never expires, as in
// x/oauth2 (tokens stored by hand, e.g. a simulator's static token).
func fresh(t store.Tokens, now time.Time) bool {
	return t.Access != "" && (t.Expiry.IsZero() || t.Expiry.After(now.Add(earlyExpiry)))
}

func bearer(t store.Tokens) *oauth2.Token {
	return &oauth2.Token{AccessToken: t.Access, TokenType: "Bearer", Expiry: t.Expiry}
}
