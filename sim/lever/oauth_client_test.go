package lever_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// TestGolangOAuth2Client runs golang.org/x/oauth2, as assessbridge uses it, through the
// consent page, the exchange and a refresh.
func TestGolangOAuth2Client(t *testing.T) {
	tests := []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{"auto-detected", oauth2.AuthStyleAutoDetect},
		{"in header", oauth2.AuthStyleInHeader},
		{"in params", oauth2.AuthStyleInParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newOAuthEnv(t, leversim.Options{})
			cfg := oauth2.Config{
				ClientID: clientID, ClientSecret: clientSecret, RedirectURL: redirectURI,
				Scopes: []string{"offline_access", "opportunities:write:admin"},
				Endpoint: oauth2.Endpoint{
					AuthURL: e.srv.URL + "/authorize", TokenURL: e.srv.URL + "/oauth/token", AuthStyle: tt.style,
				},
			}
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})
			pkce := oauth2.GenerateVerifier()
			authURL := cfg.AuthCodeURL("st-1", oauth2.SetAuthURLParam("audience", leversim.DefaultAudience), oauth2.S256ChallengeOption(pkce))

			consent := fetch(t, mustRequest(t, "GET", authURL))
			if consent.status != 200 {
				t.Fatalf("GET AuthCodeURL: got %d %s, want the consent page", consent.status, consent.body)
			}
			back := e.submitConsent(t, consent.body, acct, "allow")
			if back.location == nil || back.location.Query().Get("state") != "st-1" {
				t.Fatalf("Allow: got %d %v, want a redirect with state st-1", back.status, back.location)
			}
			tok, err := cfg.Exchange(ctx, back.location.Query().Get("code"), oauth2.VerifierOption(pkce))
			if err != nil {
				t.Fatalf("Exchange: got %v, want nil", err)
			}
			if tok.Type() != "Bearer" || tok.RefreshToken == "" || time.Until(tok.Expiry) < 59*time.Minute {
				t.Errorf("token: got type %s, refresh %v, expiry %v, want Bearer, a refresh token, about 1h", tok.Type(), tok.RefreshToken != "", tok.Expiry)
			}
			if got := e.apiStatus(t, tok.AccessToken); got != 200 {
				t.Errorf("API with exchanged token: got %d, want 200", got)
			}

			stale := *tok
			stale.Expiry = time.Now().Add(-time.Minute) // force the token source to refresh
			fresh, err := cfg.TokenSource(ctx, &stale).Token()
			if err != nil {
				t.Fatalf("TokenSource refresh: got %v, want nil", err)
			}
			if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == tok.RefreshToken || fresh.RefreshToken == "" {
				t.Errorf("refreshed token: got same access %v, same refresh %v, want both new", fresh.AccessToken == tok.AccessToken, fresh.RefreshToken == tok.RefreshToken)
			}
			if got := e.apiStatus(t, fresh.AccessToken); got != 200 {
				t.Errorf("API with refreshed token: got %d, want 200", got)
			}
			if codes, refreshes := e.sim.OAuthStats(acct); codes != 1 || refreshes != 1 {
				t.Errorf("OAuthStats: got %d codes %d refreshes, want 1 and 1", codes, refreshes)
			}
			if _, err := cfg.TokenSource(ctx, &stale).Token(); err == nil {
				t.Errorf("refresh with the rotated-out token: got nil, want invalid_grant")
			}
		})
	}
}
