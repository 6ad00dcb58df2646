package leverauth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
)

// TestRefreshRotation: an expired token is refreshed, and the rotated refresh token is what
// the store holds afterwards (it works for the next refresh; the old one is dead).
func TestRefreshRotation(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		e := newSimEnv(t)
		s := openStore(t, dsn)
		first := e.connect(t)
		putTokens(t, s, first.AccessToken, first.RefreshToken, time.Now().Add(-time.Minute))

		before := time.Now()
		got, err := e.cfg.TokenSource(s, accountID).Token()
		if err != nil {
			t.Fatalf("Token: got error %v, want nil", err)
		}
		if got.AccessToken == first.AccessToken || got.AccessToken == "" {
			t.Errorf("Token: got the old or no access token, want a refreshed one")
		}
		if n := e.refreshes(); n != 1 {
			t.Errorf("refreshes at Lever: got %d, want 1", n)
		}
		stored := storedTokens(t, s)
		if stored.AccessToken != got.AccessToken {
			t.Errorf("stored access token: got a different one than Token returned, want the same")
		}
		if stored.RefreshToken == first.RefreshToken || stored.RefreshToken == "" {
			t.Errorf("stored refresh token: got the old or none, want the rotated one")
		}
		if life := stored.TokenExpiry.Sub(before); life < 59*time.Minute || life > 61*time.Minute {
			t.Errorf("stored expiry: got %s from now, want about 1h", life)
		}

		// The old refresh token is dead at Lever; the stored one refreshes again.
		mustSave(t, s, stored.AccessToken, first.RefreshToken, time.Now().Add(-time.Minute))
		if _, err := e.cfg.TokenSource(s, accountID).Token(); !errors.Is(err, lever.ErrAccessRevoked) {
			t.Errorf("Token with the pre-rotation refresh token: got error %v, want ErrAccessRevoked", err)
		}
		mustSave(t, s, stored.AccessToken, stored.RefreshToken, time.Now().Add(-time.Minute))
		if _, err := e.cfg.TokenSource(s, accountID).Token(); err != nil {
			t.Errorf("Token with the stored refresh token: got error %v, want nil", err)
		}
		if n := e.refreshes(); n != 2 {
			t.Errorf("refreshes at Lever: got %d, want 2", n)
		}
	})
}

func mustSave(t *testing.T, s interface {
	SaveTokens(ctx context.Context, accountID, access, refresh string, expiry time.Time) error
}, access, refresh string, expiry time.Time) {
	t.Helper()
	if err := s.SaveTokens(context.Background(), accountID, access, refresh, expiry); err != nil {
		t.Fatalf("SaveTokens: got error %v, want nil", err)
	}
}

// TestStoredTokenFreshness: Token refreshes only what has a minute or less to live.
func TestStoredTokenFreshness(t *testing.T) {
	tests := []struct {
		name        string
		access      bool // store the access token (else "")
		expiresIn   time.Duration
		noExpiry    bool
		wantRefresh bool
	}{
		{name: "expired", access: true, expiresIn: -time.Hour, wantRefresh: true},
		{name: "expires within the minute", access: true, expiresIn: 30 * time.Second, wantRefresh: true},
		{name: "ten minutes left", access: true, expiresIn: 10 * time.Minute},
		{name: "no expiry (static token)", access: true, noExpiry: true},
		{name: "no access token", expiresIn: time.Hour, wantRefresh: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSimEnv(t)
			s := sqliteStore(t)
			tok := e.connect(t)
			access := ""
			if tt.access {
				access = tok.AccessToken
			}
			expiry := time.Now().Add(tt.expiresIn)
			if tt.noExpiry {
				expiry = time.Time{}
			}
			putTokens(t, s, access, tok.RefreshToken, expiry)

			got, err := e.cfg.TokenSource(s, accountID).Token()
			if err != nil {
				t.Fatalf("Token: got error %v, want nil", err)
			}
			if refreshed := e.refreshes() == 1; refreshed != tt.wantRefresh {
				t.Errorf("refreshed: got %t, want %t", refreshed, tt.wantRefresh)
			}
			if reused := got.AccessToken == tok.AccessToken; reused == tt.wantRefresh {
				t.Errorf("returned the stored access token: got %t, want %t", reused, !tt.wantRefresh)
			}
			if got.TokenType != "Bearer" {
				t.Errorf("token type: got %q, want Bearer", got.TokenType)
			}
		})
	}
}

// TestTokenCachedInMemory: a fresh token is served without reading the store again.
func TestTokenCachedInMemory(t *testing.T) {
	e := newSimEnv(t)
	s := sqliteStore(t)
	tok := e.connect(t)
	putTokens(t, s, tok.AccessToken, tok.RefreshToken, tok.Expiry)
	ts := e.cfg.TokenSource(s, accountID)
	first, err := ts.Token()
	if err != nil {
		t.Fatalf("first Token: got error %v, want nil", err)
	}
	if err := s.DeleteAccount(context.Background(), accountID); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}
	second, err := ts.Token()
	if err != nil || second.AccessToken != first.AccessToken {
		t.Errorf("second Token with the account gone from the store: got same token %t, error %v, want the cached token, nil",
			second != nil && second.AccessToken == first.AccessToken, err)
	}
	if _, err := e.cfg.TokenSource(s, accountID).Token(); err == nil {
		t.Errorf("Token of a new source for a deleted account: got nil error, want one")
	}
}

// TestWorkersRefreshOnce: two workers, each with its own store handle ("process") and two
// goroutines, find the same expired token at once: Lever sees one refresh and everybody
// gets its token.
func TestWorkersRefreshOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		e := newSimEnv(t)
		tok := e.connect(t)
		putTokens(t, openStore(t, dsn), tok.AccessToken, tok.RefreshToken, time.Now().Add(-time.Minute))

		const workers, goroutines = 2, 2
		start := make(chan struct{})
		var wg sync.WaitGroup
		got := make([]string, workers*goroutines)
		errs := make([]error, workers*goroutines)
		for w := range workers {
			ts := e.cfg.TokenSource(openStore(t, dsn), accountID)
			for g := range goroutines {
				i := w*goroutines + g
				wg.Go(func() {
					<-start
					tok, err := ts.Token()
					if err == nil {
						got[i] = tok.AccessToken
					}
					errs[i] = err
				})
			}
		}
		close(start)
		wg.Wait()

		for i, err := range errs {
			if err != nil {
				t.Errorf("Token in goroutine %d: got error %v, want nil", i, err)
			}
		}
		if n := e.refreshes(); n != 1 {
			t.Errorf("refreshes at Lever: got %d, want 1", n)
		}
		stored := storedTokens(t, openStore(t, dsn))
		for i, access := range got {
			if access != stored.AccessToken {
				t.Errorf("goroutine %d: got an access token other than the stored one, want the one refresh's token", i)
			}
		}
		if stored.AccessToken == tok.AccessToken {
			t.Errorf("stored access token: got the pre-refresh one, want the refreshed one")
		}
	})
}

// TestRevoked: after a Super Admin revokes the app, the refresh fails with an error that
// matches lever.ErrAccessRevoked, also through a lever.Client, and the stored tokens stay.
func TestRevoked(t *testing.T) {
	e := newSimEnv(t)
	s := sqliteStore(t)
	tok := e.connect(t)
	putTokens(t, s, tok.AccessToken, tok.RefreshToken, time.Now().Add(-time.Minute))
	e.sim.RevokeAuthorizations(accountID)

	_, err := e.cfg.TokenSource(s, accountID).Token()
	if !errors.Is(err, lever.ErrAccessRevoked) {
		t.Fatalf("Token after revocation: got error %v, want one matching lever.ErrAccessRevoked", err)
	}
	for _, secret := range []string{tok.RefreshToken, tok.AccessToken, clientSecret} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("Token error: got %q, want no token or secret in it", err)
		}
	}
	lc, err := lever.New(e.url+"/v1", lever.WithTokenSource(e.cfg.TokenSource(s, accountID)))
	if err != nil {
		t.Fatalf("lever.New: %v", err)
	}
	if _, err := lc.ListStages(context.Background()); !errors.Is(err, lever.ErrAccessRevoked) {
		t.Errorf("ListStages after revocation: got error %v, want one matching lever.ErrAccessRevoked", err)
	}
	if stored := storedTokens(t, s); stored.RefreshToken != tok.RefreshToken {
		t.Errorf("stored refresh token after a refused refresh: got a different one, want it unchanged")
	}
}

// TestClientUsesTokenSource: a lever.Client on the token source refreshes an expired token
// and calls the API with the new one.
func TestClientUsesTokenSource(t *testing.T) {
	e := newSimEnv(t)
	s := sqliteStore(t)
	tok := e.connect(t)
	putTokens(t, s, tok.AccessToken, tok.RefreshToken, time.Now().Add(-time.Minute))
	lc, err := lever.New(e.url+"/v1", lever.WithTokenSource(e.cfg.TokenSource(s, accountID)))
	if err != nil {
		t.Fatalf("lever.New: %v", err)
	}
	for range 3 {
		if stages, err := lc.ListStages(context.Background()); err != nil || len(stages) != 1 {
			t.Fatalf("ListStages: got %d stages, error %v, want 1, nil", len(stages), err)
		}
	}
	if n := e.refreshes(); n != 1 {
		t.Errorf("refreshes at Lever for three calls: got %d, want 1", n)
	}
}
