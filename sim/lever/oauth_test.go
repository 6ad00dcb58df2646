package lever_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestOAuthCodeExchange(t *testing.T) {
	tests := []struct {
		name       string
		scope      string
		challenge  string
		form       func(code string) url.Values
		basic      bool
		wantStatus int
		wantError  string
		wantRefre  bool
	}{
		{"no pkce, creds in body", fullScope, "", func(c string) url.Values { return codeForm(c, "") }, false, 200, "", true},
		{"creds in basic", fullScope, "", func(c string) url.Values {
			f := codeForm(c, "")
			f.Del("client_secret")
			f.Del("client_id")
			return f
		}, true, 200, "", true},
		{"pkce right verifier", fullScope, s256(verifier), func(c string) url.Values { return codeForm(c, verifier) }, false, 200, "", true},
		{"no offline_access, no refresh token", "opportunities:write:admin", "", func(c string) url.Values { return codeForm(c, "") }, false, 200, "", false},
		{"pkce wrong verifier", fullScope, s256(verifier), func(c string) url.Values { return codeForm(c, verifier+"x") }, false, 400, "invalid_grant", false},
		{"pkce verifier missing", fullScope, s256(verifier), func(c string) url.Values { return codeForm(c, "") }, false, 400, "invalid_grant", false},
		{"other redirect_uri", fullScope, "", func(c string) url.Values {
			f := codeForm(c, "")
			f.Set("redirect_uri", "https://bridge.example/oauth/callback")
			return f
		}, false, 400, "invalid_grant", false},
		{"unknown code", fullScope, "", func(string) url.Values { return codeForm("made-up", "") }, false, 400, "invalid_grant", false},
		{"wrong secret", fullScope, "", func(c string) url.Values {
			f := codeForm(c, "")
			f.Set("client_secret", "nope")
			return f
		}, false, 401, "invalid_client", false},
		{"unknown grant type", fullScope, "", func(c string) url.Values {
			f := codeForm(c, "")
			f.Set("grant_type", "password")
			return f
		}, false, 400, "unsupported_grant_type", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newOAuthEnv(t, leversim.Options{})
			code, err := e.sim.Authorize(acct, clientID, redirectURI, tt.scope, "st", tt.challenge)
			if err != nil {
				t.Fatalf("Authorize: got %v, want nil", err)
			}
			status, body := e.token(t, tt.form(code), tt.basic)
			if status != tt.wantStatus || (tt.wantError != "" && body["error"] != tt.wantError) {
				t.Fatalf("exchange: got %d %v, want %d %s", status, body, tt.wantStatus, tt.wantError)
			}
			codes, _ := e.sim.OAuthStats(acct)
			if tt.wantStatus != 200 {
				if codes != 0 {
					t.Errorf("OAuthStats codes: got %d, want 0", codes)
				}
				return
			}
			access, _ := body["access_token"].(string)
			_, hasRefresh := body["refresh_token"]
			if access == "" || body["token_type"] != "Bearer" || body["scope"] != tt.scope || body["expires_in"] != 3600.0 || hasRefresh != tt.wantRefre {
				t.Errorf("token answer: got %v, want Bearer token, scope %q, expires_in 3600, refresh token %v", body, tt.scope, tt.wantRefre)
			}
			if got := e.apiStatus(t, access); got != 200 {
				t.Errorf("API with access token: got %d, want 200", got)
			}
			if got := e.sim.Calls(acct).Total; got != 1 {
				t.Errorf("calls counted for the account: got %d, want 1", got)
			}
			if status, body := e.token(t, tt.form(code), tt.basic); status != 400 || body["error"] != "invalid_grant" {
				t.Errorf("second exchange of the code: got %d %v, want 400 invalid_grant", status, body)
			}
			if codes != 1 {
				t.Errorf("OAuthStats codes: got %d, want 1", codes)
			}
		})
	}
}

func TestOAuthRefreshRotation(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	first := e.connect(t, fullScope)
	old := first["refresh_token"].(string)

	status, second := e.token(t, refreshForm(old), false)
	if status != 200 {
		t.Fatalf("refresh: got %d %v, want 200", status, second)
	}
	rotated, _ := second["refresh_token"].(string)
	if rotated == "" || rotated == old || second["access_token"] == first["access_token"] || second["scope"] != fullScope {
		t.Fatalf("refresh answer: got %v, want new access and refresh tokens, scope kept", second)
	}
	if status, body := e.token(t, refreshForm(old), false); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("old refresh token again: got %d %v, want 400 invalid_grant", status, body)
	}
	if status, body := e.token(t, refreshForm(rotated), true); status != 200 || body["refresh_token"] == rotated {
		t.Errorf("rotated refresh token (basic auth): got %d %v, want 200 and yet another token", status, body)
	}
	if got := e.apiStatus(t, second["access_token"].(string)); got != 200 {
		t.Errorf("API with refreshed access token: got %d, want 200", got)
	}
	if codes, refreshes := e.sim.OAuthStats(acct); codes != 1 || refreshes != 2 {
		t.Errorf("OAuthStats: got codes %d refreshes %d, want 1 and 2", codes, refreshes)
	}
}

func TestOAuthExpiry(t *testing.T) {
	tests := []struct {
		name          string
		ttl           time.Duration
		wantExpiresIn float64
	}{
		{"one minute", time.Minute, 60},
		{"under a second rounds up", 300 * time.Millisecond, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, clk := newOAuthEnv(t, leversim.Options{AccessTokenTTL: tt.ttl})
			tok := e.connect(t, fullScope)
			access := tok["access_token"].(string)
			if tok["expires_in"] != tt.wantExpiresIn {
				t.Errorf("expires_in: got %v, want %v", tok["expires_in"], tt.wantExpiresIn)
			}
			if got := e.apiStatus(t, access); got != 200 {
				t.Fatalf("before expiry: got %d, want 200", got)
			}
			clk.advance(tt.ttl)
			if got := e.apiStatus(t, access); got != 401 {
				t.Errorf("at expiry: got %d, want 401", got)
			}
			if status, _ := e.token(t, refreshForm(tok["refresh_token"].(string)), false); status != 200 {
				t.Errorf("refresh after the access token expired: got %d, want 200", status)
			}
		})
	}
}

func TestOAuthRefreshTokenLifetime(t *testing.T) {
	tests := []struct {
		name   string
		steps  []time.Duration // waits before each refresh
		wantOK []bool
	}{
		{"used within 90 days", []time.Duration{89 * 24 * time.Hour, 89 * 24 * time.Hour}, []bool{true, true}},
		{"unused for 90 days", []time.Duration{90 * 24 * time.Hour}, []bool{false}},
		{"a year after connecting", []time.Duration{80 * 24 * time.Hour, 80 * 24 * time.Hour, 80 * 24 * time.Hour, 80 * 24 * time.Hour, 80 * 24 * time.Hour}, []bool{true, true, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, clk := newOAuthEnv(t, leversim.Options{})
			refresh := e.connect(t, fullScope)["refresh_token"].(string)
			for i, wait := range tt.steps {
				clk.advance(wait)
				status, body := e.token(t, refreshForm(refresh), false)
				if (status == 200) != tt.wantOK[i] {
					t.Fatalf("refresh %d: got %d %v, want ok %v", i, status, body, tt.wantOK[i])
				}
				if status != 200 && body["error"] != "invalid_grant" {
					t.Errorf("refresh %d: got error %v, want invalid_grant", i, body["error"])
				}
				refresh, _ = body["refresh_token"].(string)
			}
		})
	}
}

func TestOAuthRevoke(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	e.sim.AddAccount("acct-2", "token-2")
	tok := e.connect(t, fullScope)
	other, err := e.sim.Authorize("acct-2", clientID, redirectURI, fullScope, "", "")
	if err != nil {
		t.Fatalf("Authorize acct-2: got %v, want nil", err)
	}
	_, otherTok := e.token(t, codeForm(other, ""), false)
	pending, _ := e.sim.Authorize(acct, clientID, redirectURI, fullScope, "", "")

	e.sim.RevokeAuthorizations(acct)

	if got := e.apiStatus(t, tok["access_token"].(string)); got != 401 {
		t.Errorf("API after revoke: got %d, want 401", got)
	}
	if status, body := e.token(t, refreshForm(tok["refresh_token"].(string)), false); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke: got %d %v, want 400 invalid_grant", status, body)
	}
	if status, body := e.token(t, codeForm(pending, ""), false); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("code issued before revoke: got %d %v, want 400 invalid_grant", status, body)
	}
	if got := e.apiStatus(t, token); got != 200 {
		t.Errorf("AddAccount token after revoke: got %d, want 200 (it is not OAuth)", got)
	}
	if got := e.apiStatus(t, otherTok["access_token"].(string)); got != 200 {
		t.Errorf("other account's token after revoke: got %d, want 200", got)
	}
	again := e.connect(t, fullScope)
	if got := e.apiStatus(t, again["access_token"].(string)); got != 200 {
		t.Errorf("reconnected after revoke: got %d, want 200", got)
	}
}

func TestConsentPage(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	e.sim.AddAccount("acct-2", "token-2")
	consent := fetch(t, mustRequest(t, "GET", e.authorizeURL(func(q url.Values) {
		q.Set("code_challenge", s256(verifier))
		q.Set("code_challenge_method", "S256")
	})))
	if consent.status != 200 || !strings.HasPrefix(consent.ctype, "text/html") {
		t.Fatalf("GET /authorize: got %d %s, want 200 text/html", consent.status, consent.ctype)
	}
	for _, want := range []string{`id="allow"`, `id="deny"`, `<select name="account"`, `<option value="acct-1" selected>`,
		`<option value="acct-2">`, `action="/authorize/decision"`, "webhooks:write:admin"} {
		if !strings.Contains(consent.body, want) {
			t.Errorf("consent page: got no %s, want it", want)
		}
	}

	allowed := e.submitConsent(t, consent.body, "acct-2", "allow")
	if allowed.status != http.StatusFound || allowed.location == nil {
		t.Fatalf("Allow: got %d, want 302", allowed.status)
	}
	q := allowed.location.Query()
	if got := allowed.location.Scheme + "://" + allowed.location.Host + allowed.location.Path; got+"?tenant=1" != redirectURI ||
		q.Get("tenant") != "1" || q.Get("state") != "state-<1>" || q.Get("code") == "" || q.Get("error") != "" {
		t.Fatalf("Allow redirect: got %s, want %s with code and state", allowed.location, redirectURI)
	}
	status, tok := e.token(t, codeForm(q.Get("code"), verifier), false)
	if status != 200 {
		t.Fatalf("exchange of the page's code: got %d %v, want 200", status, tok)
	}
	if got := e.apiStatus(t, tok["access_token"].(string)); got != 200 || e.sim.Calls("acct-2").Total != 1 {
		t.Errorf("token from the page: got %d, %d calls on acct-2, want 200 on the chosen account", got, e.sim.Calls("acct-2").Total)
	}

	denied := e.submitConsent(t, consent.body, acct, "deny")
	dq := denied.location.Query()
	if denied.status != http.StatusFound || dq.Get("error") != "access_denied" || dq.Get("error_description") == "" ||
		dq.Get("state") != "state-<1>" || dq.Get("code") != "" {
		t.Errorf("Deny: got %d %v, want 302 with error=access_denied, a description and the state", denied.status, denied.location)
	}
	if bad := e.submitConsent(t, consent.body, "no-such-account", "allow"); bad.status != 400 || bad.location != nil {
		t.Errorf("Allow for an unknown account: got %d %v, want 400 and no redirect", bad.status, bad.location)
	}
}

func TestAuthorizeRejects(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	tests := []struct {
		name   string
		change func(url.Values)
	}{
		{"audience without trailing slash", func(q url.Values) { q.Set("audience", "https://api.lever.co/v1") }},
		{"sandbox audience", func(q url.Values) { q.Set("audience", "https://api.sandbox.lever.co/v1/") }},
		{"no audience", func(q url.Values) { q.Del("audience") }},
		{"unknown client", func(q url.Values) { q.Set("client_id", "other") }},
		{"implicit flow", func(q url.Values) { q.Set("response_type", "token") }},
		{"no redirect_uri", func(q url.Values) { q.Del("redirect_uri") }},
		{"relative redirect_uri", func(q url.Values) { q.Set("redirect_uri", "/callback") }},
		{"plain pkce", func(q url.Values) { q.Set("code_challenge", verifier); q.Set("code_challenge_method", "plain") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fetch(t, mustRequest(t, "GET", e.authorizeURL(tt.change)))
			if p.status != 400 || !strings.HasPrefix(p.ctype, "text/html") || p.location != nil || strings.Contains(p.body, `id="allow"`) {
				t.Errorf("GET /authorize: got %d %s location %v, want a 400 HTML page, no redirect, no buttons", p.status, p.ctype, p.location)
			}
		})
	}
}

func TestOAuthOff(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	if _, err := e.sim.Authorize(acct, clientID, redirectURI, fullScope, "", ""); err == nil {
		t.Errorf("Authorize with OAuth off: got nil, want an error")
	}
	for _, path := range []string{"/authorize", "/oauth/token"} {
		if p := fetch(t, mustRequest(t, "GET", e.srv.URL+path)); p.status != 404 {
			t.Errorf("GET %s with OAuth off: got %d, want 404", path, p.status)
		}
	}
	on, _ := newOAuthEnv(t, leversim.Options{})
	if p := fetch(t, mustRequest(t, "GET", on.srv.URL+"/oauth/token")); p.status != 405 {
		t.Errorf("GET /oauth/token: got %d, want 405", p.status)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	return req
}

// TestOAuthConcurrentRefresh: two workers refreshing with one refresh token at once get
// one new token between them; the other sees invalid_grant (no grace period).
func TestOAuthConcurrentRefresh(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	form := refreshForm(e.connect(t, fullScope)["refresh_token"].(string))
	const workers = 8
	statuses := make(chan int, workers)
	for range workers {
		go func() {
			resp, err := noRedirect.PostForm(e.srv.URL+"/oauth/token", form)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	got := map[int]int{}
	for range workers {
		got[<-statuses]++
	}
	if got[200] != 1 || got[400] != workers-1 {
		t.Errorf("statuses: got %v, want one 200 and %d 400s", got, workers-1)
	}
}
