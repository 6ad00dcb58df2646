package leverauth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
)

// TestRejectedTokenRefreshedOnce: Lever drops an access token before its expiry, so the
// stored token looks fresh but answers 401. Each call refreshes and succeeds on its second
// try, and concurrent calls, in one worker or in two, cost Lever a single refresh.
func TestRejectedTokenRefreshedOnce(t *testing.T) {
	tests := []struct {
		name                string
		workers, goroutines int
	}{
		{"one call", 1, 1},
		{"two calls in one worker", 1, 2},
		{"two workers, one call each", 2, 1},
		{"two workers, two calls each", 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, dsn string) {
				e := newSimEnv(t)
				tok := e.connect(t)
				putTokens(t, openStore(t, dsn), tok.AccessToken, tok.RefreshToken, tok.Expiry)
				e.sim.ExpireAccessTokens(accountID)

				start := make(chan struct{})
				var wg sync.WaitGroup
				errs := make([]error, tt.workers*tt.goroutines)
				for w := range tt.workers {
					lc := simClient(t, e, openStore(t, dsn))
					for g := range tt.goroutines {
						wg.Go(func() {
							<-start
							_, errs[w*tt.goroutines+g] = lc.ListStages(context.Background())
						})
					}
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("ListStages %d: got error %v, want nil after a refresh", i, err)
					}
				}
				if n := e.refreshes(); n != 1 {
					t.Errorf("refreshes at Lever: got %d, want 1", n)
				}
				if stored := storedTokens(t, openStore(t, dsn)); stored.AccessToken == tok.AccessToken || stored.RefreshToken == tok.RefreshToken {
					t.Errorf("stored tokens: got the rejected pair, want the refreshed one")
				}
			})
		})
	}
}

// TestRejectedTokenRevokedGrant: when the 401 comes from a revocation, the refresh is refused
// with invalid_grant and the call fails with lever.ErrAccessRevoked.
func TestRejectedTokenRevokedGrant(t *testing.T) {
	e := newSimEnv(t)
	s := sqliteStore(t)
	tok := e.connect(t)
	putTokens(t, s, tok.AccessToken, tok.RefreshToken, tok.Expiry)
	e.sim.RevokeAuthorizations(accountID)

	_, err := simClient(t, e, s).ListStages(context.Background())
	if !errors.Is(err, lever.ErrAccessRevoked) || errors.Is(err, lever.ErrMissingScope) || lever.IsRetryable(err) {
		t.Fatalf("ListStages after revocation: got %v, want ErrAccessRevoked, not retryable", err)
	}
	if n := e.refreshes(); n != 0 {
		t.Errorf("successful refreshes: got %d, want 0", n)
	}
}

func simClient(t *testing.T, e *simEnv, s *store.Store) *lever.Client {
	t.Helper()
	lc, err := lever.New(e.url+"/v1", lever.WithTokenSource(e.cfg.TokenSource(s, accountID)),
		lever.WithRetry(3, time.Millisecond, 10*time.Millisecond))
	if err != nil {
		t.Fatalf("lever.New: %v", err)
	}
	return lc
}
