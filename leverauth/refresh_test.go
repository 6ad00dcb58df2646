package leverauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
)

const (
	oldAccess  = "old-access-token"
	oldRefresh = "old-refresh-token"
)

// tokenEndpoint is a token endpoint answering every request with status and body, after
// checking that the request is a refresh shaped as LEVER.md says.
func tokenEndpoint(t *testing.T, status int, body string) (cfg leverauth.Config, calls *atomic.Int32) {
	t.Helper()
	calls = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if err := r.ParseForm(); err != nil {
			t.Errorf("token request: %v", err)
		}
		_, _, basic := r.BasicAuth()
		f := r.PostForm
		if r.Method != http.MethodPost || basic || f.Get("grant_type") != "refresh_token" || f.Get("refresh_token") != oldRefresh ||
			f.Get("client_id") != clientID || f.Get("client_secret") != clientSecret {
			t.Errorf("token request: got %s basic=%t grant_type=%q client_id=%q, right refresh token %t, right secret %t; want a form POST refresh with the client credentials in the body",
				r.Method, basic, f.Get("grant_type"), f.Get("client_id"), f.Get("refresh_token") == oldRefresh, f.Get("client_secret") == clientSecret)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return simConfig(srv.URL), calls
}

func TestRefreshAnswers(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantRevoked bool
		wantErr     bool
		wantAccess  string
		wantRefresh string        // stored afterwards
		wantLife    time.Duration // of the stored expiry, about
	}{
		{name: "rotated pair", status: 200,
			body:       `{"access_token":"new-access","refresh_token":"new-refresh","token_type":"Bearer","expires_in":3600}`,
			wantAccess: "new-access", wantRefresh: "new-refresh", wantLife: time.Hour},
		{name: "no new refresh token keeps the old one", status: 200,
			body:       `{"access_token":"new-access","token_type":"Bearer","expires_in":1800}`,
			wantAccess: "new-access", wantRefresh: oldRefresh, wantLife: 30 * time.Minute},
		{name: "no expires_in means Lever's hour", status: 200,
			body:       `{"access_token":"new-access","refresh_token":"new-refresh","token_type":"Bearer"}`,
			wantAccess: "new-access", wantRefresh: "new-refresh", wantLife: time.Hour},
		{name: "invalid_grant", status: 400, body: `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`,
			wantErr: true, wantRevoked: true, wantRefresh: oldRefresh},
		{name: "401", status: 401, body: `{"error":"invalid_client"}`, wantErr: true, wantRevoked: true, wantRefresh: oldRefresh},
		{name: "403", status: 403, body: `{"error":"access_denied"}`, wantErr: true, wantRevoked: true, wantRefresh: oldRefresh},
		{name: "other 400", status: 400, body: `{"error":"invalid_request"}`, wantErr: true, wantRefresh: oldRefresh},
		{name: "429", status: 429, body: `{"error":"too_many_requests"}`, wantErr: true, wantRefresh: oldRefresh},
		{name: "503 without JSON", status: 503, body: `<html>maintenance</html>`, wantErr: true, wantRefresh: oldRefresh},
		{name: "200 without access token", status: 200, body: `{"token_type":"Bearer"}`, wantErr: true, wantRefresh: oldRefresh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, calls := tokenEndpoint(t, tt.status, tt.body)
			s := sqliteStore(t)
			putTokens(t, s, oldAccess, oldRefresh, time.Now().Add(-time.Minute))

			before := time.Now()
			tok, err := cfg.TokenSource(s, accountID).Token()
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("Token: got error %v, want error %t", err, tt.wantErr)
			}
			if revoked := errors.Is(err, lever.ErrAccessRevoked); revoked != tt.wantRevoked {
				t.Errorf("errors.Is(%v, ErrAccessRevoked): got %t, want %t", err, revoked, tt.wantRevoked)
			}
			if err != nil {
				for _, secret := range []string{oldRefresh, oldAccess, clientSecret, "Unknown or invalid", "maintenance"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("Token error: got %q, want no token, secret or response body in it", err)
					}
				}
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("token endpoint calls: got %d, want 1", n)
			}
			stored := storedTokens(t, s)
			if stored.RefreshToken != tt.wantRefresh {
				t.Errorf("stored refresh token: got %q, want %q", stored.RefreshToken, tt.wantRefresh)
			}
			if tt.wantErr {
				return
			}
			if tok.AccessToken != tt.wantAccess || stored.AccessToken != tt.wantAccess {
				t.Errorf("access token: got %q returned, %q stored, want %q", tok.AccessToken, stored.AccessToken, tt.wantAccess)
			}
			if life := stored.TokenExpiry.Sub(before); life < tt.wantLife-time.Minute || life > tt.wantLife+time.Minute {
				t.Errorf("stored expiry: got %s from now, want about %s", life, tt.wantLife)
			}
		})
	}
}

func TestRefreshNotAttempted(t *testing.T) {
	tests := []struct {
		name        string
		clientID    string
		refresh     string
		wantRevoked bool
	}{
		// Without a refresh token only an admin can help: the account shows as disconnected.
		{name: "no refresh token stored", clientID: clientID, refresh: "", wantRevoked: true},
		// Our configuration is wrong, not the account: it must not be marked disconnected.
		{name: "oauth not configured", clientID: "", refresh: oldRefresh, wantRevoked: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, calls := tokenEndpoint(t, 500, `{}`)
			cfg.ClientID = tt.clientID
			s := sqliteStore(t)
			putTokens(t, s, oldAccess, tt.refresh, time.Now().Add(-time.Minute))
			_, err := cfg.TokenSource(s, accountID).Token()
			if err == nil {
				t.Fatal("Token: got nil error, want one")
			}
			if revoked := errors.Is(err, lever.ErrAccessRevoked); revoked != tt.wantRevoked {
				t.Errorf("errors.Is(%v, ErrAccessRevoked): got %t, want %t", err, revoked, tt.wantRevoked)
			}
			if n := calls.Load(); n != 0 {
				t.Errorf("token endpoint calls: got %d, want 0", n)
			}
		})
	}
}
