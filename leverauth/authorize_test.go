package leverauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/leverauth"
)

func TestBeginURL(t *testing.T) {
	tests := []struct {
		name                     string
		cfg                      leverauth.Config
		wantBase, wantAudience   string
		wantScope                string
		wantRedirect, wantClient string
	}{
		{
			name:     "production defaults",
			cfg:      leverauth.Config{ClientID: "cid", ClientSecret: "s", RedirectURL: redirectURL},
			wantBase: leverauth.AuthURL, wantAudience: leverauth.Audience,
			wantScope: strings.Join(leverauth.Scopes(), " "), wantRedirect: redirectURL, wantClient: "cid",
		},
		{
			name: "sandbox",
			cfg: leverauth.Config{ClientID: "cid", AuthURL: leverauth.SandboxAuthURL, TokenURL: leverauth.SandboxTokenURL,
				Audience: leverauth.SandboxAudience, RedirectURL: redirectURL},
			wantBase: leverauth.SandboxAuthURL, wantAudience: leverauth.SandboxAudience,
			wantScope: strings.Join(leverauth.Scopes(), " "), wantRedirect: redirectURL, wantClient: "cid",
		},
		{
			name:     "own scopes",
			cfg:      leverauth.Config{ClientID: "cid", RedirectURL: redirectURL, Scopes: []string{"offline_access", "stages:read:admin"}},
			wantBase: leverauth.AuthURL, wantAudience: leverauth.Audience,
			wantScope: "offline_access stages:read:admin", wantRedirect: redirectURL, wantClient: "cid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authURL, state, verifier := tt.cfg.Begin()
			u, err := url.Parse(authURL)
			if err != nil {
				t.Fatalf("parse %q: %v", authURL, err)
			}
			if base := u.Scheme + "://" + u.Host + u.Path; base != tt.wantBase {
				t.Errorf("URL base: got %q, want %q", base, tt.wantBase)
			}
			if len(state) < 20 {
				t.Errorf("state: got %d characters, want at least 20 random ones", len(state))
			}
			if len(verifier) < 43 {
				t.Errorf("verifier: got %d characters, want at least 43 (RFC 7636)", len(verifier))
			}
			q := u.Query()
			for _, p := range []struct{ name, want string }{
				{"client_id", tt.wantClient},
				{"redirect_uri", tt.wantRedirect},
				{"response_type", "code"},
				{"state", state},
				{"scope", tt.wantScope},
				{"audience", tt.wantAudience},
				{"code_challenge", oauth2.S256ChallengeFromVerifier(verifier)},
				{"code_challenge_method", "S256"},
			} {
				if got := q[p.name]; len(got) != 1 || got[0] != p.want {
					t.Errorf("query %s: got %q, want [%q]", p.name, got, p.want)
				}
			}
		})
	}
}

func TestBeginIsRandom(t *testing.T) {
	cfg := leverauth.Config{ClientID: "cid"}
	_, s1, v1 := cfg.Begin()
	_, s2, v2 := cfg.Begin()
	if s1 == s2 || v1 == v2 {
		t.Errorf("two Begins: got states %q %q and equal verifiers %t, want all different", s1, s2, v1 == v2)
	}
}

func TestScopes(t *testing.T) {
	want := []string{
		"offline_access", "opportunities:read:admin", "opportunities:write:admin",
		"notes:read:admin", "notes:write:admin", "feedback:read:admin", "feedback:write:admin",
		"feedback_templates:read:admin", "feedback_templates:write:admin",
		"files:read:admin", "files:write:admin", "stages:read:admin",
		"postings:read:admin", "postings:write:admin", "users:read:admin", "archive_reasons:read:admin",
		"webhooks:read:admin", "webhooks:write:admin",
	}
	if got := leverauth.Scopes(); !slices.Equal(got, want) {
		t.Errorf("Scopes: got %q, want %q", got, want)
	}
	// Callers may change the slice they get without changing the next caller's.
	leverauth.Scopes()[0] = "changed"
	if got := leverauth.Scopes()[0]; got != "offline_access" {
		t.Errorf("Scopes()[0] after a caller changed its copy: got %q, want %q", got, "offline_access")
	}
}

func TestEnabled(t *testing.T) {
	for _, tt := range []struct {
		cfg  leverauth.Config
		want bool
	}{
		{leverauth.Config{}, false},
		{leverauth.Config{ClientSecret: "s"}, false},
		{leverauth.Config{ClientID: "cid"}, true},
	} {
		if got := tt.cfg.Enabled(); got != tt.want {
			t.Errorf("Config{ClientID:%q}.Enabled(): got %t, want %t", tt.cfg.ClientID, got, tt.want)
		}
	}
}

func TestConfigStringRedactsSecret(t *testing.T) {
	cfg := leverauth.Config{ClientID: "cid", ClientSecret: "very-secret-value"}
	for _, format := range []string{"%v", "%+v", "%s", "%#v"} {
		if out := fmt.Sprintf(format, cfg); strings.Contains(out, "very-secret-value") || !strings.Contains(out, "cid") {
			t.Errorf("fmt %s: got %q, want the client id without the secret", format, out)
		}
	}
}

// TestFullFlow: Begin's URL is accepted by Lever's /authorize, the consent's code and the
// verifier give tokens in Finish, and those tokens call Lever's API.
func TestFullFlow(t *testing.T) {
	e := newSimEnv(t)
	authURL, _, _ := e.cfg.Begin()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatalf("GET Begin's URL: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET Begin's URL: got status %d, want 200 (the consent page)", resp.StatusCode)
	}

	before := time.Now()
	tok := e.connect(t)
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("Finish: got access %t refresh %t, want both tokens", tok.AccessToken != "", tok.RefreshToken != "")
	}
	if life := tok.Expiry.Sub(before); life < 59*time.Minute || life > 61*time.Minute {
		t.Errorf("token life: got %s, want about 1h", life)
	}
	if codes, _ := e.sim.OAuthStats(accountID); codes != 1 {
		t.Errorf("codes exchanged: got %d, want 1", codes)
	}
	lc, err := lever.New(e.url+"/v1", lever.WithTokenSource(oauth2.StaticTokenSource(tok)))
	if err != nil {
		t.Fatalf("lever.New: %v", err)
	}
	if stages, err := lc.ListStages(context.Background()); err != nil || len(stages) != 1 {
		t.Errorf("ListStages with the new token: got %d stages, error %v, want 1, nil", len(stages), err)
	}
}

func TestFinishErrors(t *testing.T) {
	e := newSimEnv(t)
	// code returns a fresh code for Begin's request and that request's verifier.
	code := func(t *testing.T) (string, string) {
		authURL, state, verifier := e.cfg.Begin()
		u, _ := url.Parse(authURL)
		q := u.Query()
		c, err := e.sim.Authorize(accountID, clientID, q.Get("redirect_uri"), q.Get("scope"), state, q.Get("code_challenge"))
		if err != nil {
			t.Fatalf("sim Authorize: %v", err)
		}
		return c, verifier
	}
	wrongSecret := e.cfg
	wrongSecret.ClientSecret = "not-the-secret"
	noScope := e.cfg
	noScope.Scopes = []string{"stages:read:admin"}

	tests := []struct {
		name  string
		cfg   leverauth.Config
		setup func(t *testing.T) (code, verifier string)
	}{
		{"wrong verifier", e.cfg, func(t *testing.T) (string, string) {
			c, _ := code(t)
			return c, oauth2.GenerateVerifier()
		}},
		{"missing verifier", e.cfg, func(t *testing.T) (string, string) { c, _ := code(t); return c, "" }},
		{"code used twice", e.cfg, func(t *testing.T) (string, string) {
			c, v := code(t)
			if _, err := e.cfg.Finish(context.Background(), c, v); err != nil {
				t.Fatalf("first Finish: %v", err)
			}
			return c, v
		}},
		{"unknown code", e.cfg, func(t *testing.T) (string, string) { return "no-such-code", oauth2.GenerateVerifier() }},
		{"empty code", e.cfg, func(t *testing.T) (string, string) { return "", oauth2.GenerateVerifier() }},
		{"wrong client secret", wrongSecret, code},
		{"oauth not configured", leverauth.Config{}, code},
		{"no offline_access: no refresh token", noScope, func(t *testing.T) (string, string) {
			authURL, state, verifier := noScope.Begin()
			u, _ := url.Parse(authURL)
			q := u.Query()
			c, err := e.sim.Authorize(accountID, clientID, q.Get("redirect_uri"), q.Get("scope"), state, q.Get("code_challenge"))
			if err != nil {
				t.Fatalf("sim Authorize: %v", err)
			}
			return c, verifier
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, v := tt.setup(t)
			tok, err := tt.cfg.Finish(context.Background(), c, v)
			if err == nil {
				t.Fatalf("Finish: got token (access %t), nil error, want an error", tok.AccessToken != "")
			}
			if errors.Is(err, lever.ErrAccessRevoked) {
				t.Errorf("Finish error: got %v matching ErrAccessRevoked, want a plain failure (nothing was revoked)", err)
			}
			for _, secret := range []string{c, v, clientSecret, "not-the-secret"} {
				if secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("Finish error: got %q, want no code, verifier or secret in it", err)
				}
			}
		})
	}
}
