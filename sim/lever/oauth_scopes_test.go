package lever_test

import (
	"net/http"
	"strings"
	"testing"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// TestOAuthScopesEnforced: an OAuth access token reaches only the routes its granted scopes
// cover (a write scope covers its reads) and gets Lever's 403 body elsewhere; the account's
// own token, as an API key would, reaches every route.
func TestOAuthScopesEnforced(t *testing.T) {
	tests := []struct {
		name, scope  string // scope "" uses the account's static token
		method, path string
		body         any
		wantRefused  bool
	}{
		{"granted read", "files:read:admin", "GET", "/opportunities/" + oppID + "/files", nil, false},
		{"write covers read", "files:write:admin", "GET", "/opportunities/" + oppID + "/files", nil, false},
		{"read does not cover write", "files:read:admin", "POST", "/opportunities/" + oppID + "/files", map[string]any{}, true},
		{"other resource", "opportunities:write:admin", "GET", "/archive_reasons", nil, true},
		{"archive reasons granted", "offline_access archive_reasons:read:admin", "GET", "/archive_reasons", nil, false},
		{"tags need opportunities write", "opportunities:read:admin", "POST", "/opportunities/" + oppID + "/addTags",
			map[string]any{"tags": []string{"x"}}, true},
		{"offline_access alone", "offline_access", "GET", "/stages", nil, true},
		{"static token", "", "POST", "/opportunities/" + oppID + "/addTags", map[string]any{"tags": []string{"x"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newOAuthEnv(t, leversim.Options{})
			auth := "Bearer " + token
			if tt.scope != "" {
				auth = "Bearer " + e.connect(t, tt.scope)["access_token"].(string)
			}
			got := e.do(t, tt.method, tt.path, tt.body, auth)
			if refused := got.status == http.StatusForbidden; refused != tt.wantRefused {
				t.Fatalf("%s %s with %q: got %d %v, want refused %t", tt.method, tt.path, tt.scope, got.status, got.body, tt.wantRefused)
			}
			if !tt.wantRefused {
				return
			}
			label := tt.method + " " + strings.NewReplacer(oppID, ":id").Replace(tt.path)
			msg, _ := got.body["message"].(string)
			if got.body["code"] != "ForbiddenError" || !strings.Contains(msg, leversim.RouteScope(label)) {
				t.Errorf("403 body: got %v, want Lever's {code, message} naming %q", got.body, leversim.RouteScope(label))
			}
		})
	}
}

// TestExpireAccessTokens: an access token Lever drops early answers 401, and the refresh token
// still gets a working one; after a revocation the refresh answers invalid_grant.
func TestExpireAccessTokens(t *testing.T) {
	e, _ := newOAuthEnv(t, leversim.Options{})
	first := e.connect(t, fullScope)
	access := first["access_token"].(string)
	if got := e.apiStatus(t, access); got != http.StatusOK {
		t.Fatalf("before: got %d, want 200", got)
	}
	e.sim.ExpireAccessTokens(acct)
	if got := e.apiStatus(t, access); got != http.StatusUnauthorized {
		t.Errorf("after ExpireAccessTokens: got %d, want 401", got)
	}
	status, renewed := e.token(t, refreshForm(first["refresh_token"].(string)), false)
	if status != http.StatusOK {
		t.Fatalf("refresh after ExpireAccessTokens: got %d %v, want 200", status, renewed)
	}
	if got := e.apiStatus(t, renewed["access_token"].(string)); got != http.StatusOK {
		t.Errorf("renewed token: got %d, want 200", got)
	}
	e.sim.RevokeAuthorizations(acct)
	if status, body := e.token(t, refreshForm(renewed["refresh_token"].(string)), false); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("refresh after revocation: got %d %v, want 400 invalid_grant", status, body)
	}
}
