package lever

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Lifetimes Lever documents (codes: Auth0's usual short life).
const (
	codeTTL            = 10 * time.Minute
	refreshIdleTTL     = 90 * 24 * time.Hour  // unused refresh tokens expire
	refreshAbsoluteTTL = 365 * 24 * time.Hour // counted from the authorization
)

// oauthState is what Lever's auth server remembers; guarded by Server.mu.
type oauthState struct {
	codes   map[string]*authCode     // by code
	access  map[string]accessGrant   // by access token
	refresh map[string]refreshGrant  // by refresh token
	stats   map[string]*oauthCounter // by account id
}

func newOAuthState() oauthState {
	return oauthState{
		codes:   map[string]*authCode{},
		access:  map[string]accessGrant{},
		refresh: map[string]refreshGrant{},
		stats:   map[string]*oauthCounter{},
	}
}

// authCode is an authorization code waiting to be exchanged.
type authCode struct {
	accountID, clientID, redirectURI, scope string
	challenge                               string // S256 code challenge; "" without PKCE
	expires                                 time.Time
}

type accessGrant struct {
	accountID string
	expires   time.Time
	scopes    grant // what the token may call
}

// refreshGrant is one refresh token; a refresh replaces it (rotation, no grace period).
type refreshGrant struct {
	accountID, clientID, scope string
	issued, authorized         time.Time
}

type oauthCounter struct{ codes, refreshes int }

// oauthOn reports whether Options turned Lever's auth server on.
func (s *Server) oauthOn() bool { return s.opts.OAuthClientID != "" }

// Authorize does what the consent page's Allow does: it returns a single-use code for
// the account, to exchange at /oauth/token with the same redirectURI (and, when
// codeChallenge is set, the S256 code_verifier). state is only echoed by the page.
func (s *Server) Authorize(accountID, clientID, redirectURI, scope, state, codeChallenge string) (string, error) {
	switch {
	case !s.oauthOn():
		return "", errors.New("leversim: authorize: oauth is off (set Options.OAuthClientID)")
	case clientID != s.opts.OAuthClientID:
		return "", errors.New("leversim: authorize: unknown client_id")
	case redirectURI == "":
		return "", errors.New("leversim: authorize: redirect_uri is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[accountID]; !ok {
		return "", fmt.Errorf("leversim: authorize: unknown account %q", accountID)
	}
	code := newSecret()
	s.oauth.codes[code] = &authCode{
		accountID: accountID, clientID: clientID, redirectURI: redirectURI,
		scope: normalizeScope(scope), challenge: codeChallenge, expires: s.opts.Now().Add(codeTTL),
	}
	return code, nil
}

// RevokeAuthorizations is a Lever Super Admin revoking the app: every OAuth code, access
// and refresh token of the account stops working (API 401, refresh invalid_grant). The
// account's AddAccount token is not OAuth and keeps working.
func (s *Server) RevokeAuthorizations(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.oauth.codes, func(_ string, c *authCode) bool { return c.accountID == accountID })
	maps.DeleteFunc(s.oauth.access, func(_ string, g accessGrant) bool { return g.accountID == accountID })
	maps.DeleteFunc(s.oauth.refresh, func(_ string, g refreshGrant) bool { return g.accountID == accountID })
}

// ExpireAccessTokens makes every OAuth access token of the account stop working before its
// expiry, as Lever may do: API calls with them answer 401, while the refresh tokens still
// work, so a client that refreshes after a 401 recovers.
func (s *Server) ExpireAccessTokens(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.oauth.access, func(_ string, g accessGrant) bool { return g.accountID == accountID })
}

// OAuthStats counts the account's authorization codes exchanged for tokens and its
// successful refreshes.
func (s *Server) OAuthStats(accountID string) (codes, refreshes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.oauth.stats[accountID]; ok {
		return c.codes, c.refreshes
	}
	return 0, 0
}

// oauthAccount returns the account an unexpired access token was issued for, and the
// scopes it was granted; caller holds mu.
func (s *Server) oauthAccount(token string) (*account, grant) {
	g, ok := s.oauth.access[token]
	if !ok {
		return nil, nil
	}
	if !s.opts.Now().Before(g.expires) {
		delete(s.oauth.access, token)
		return nil, nil
	}
	a, ok := s.accounts[g.accountID]
	if !ok {
		return nil, nil
	}
	return a, g.scopes
}

// issueTokens mints an access token and, for offline_access, a refresh token; caller
// holds mu. The answer is Lever's token response.
func (s *Server) issueTokens(accountID, clientID, scope string, authorized time.Time) map[string]any {
	now := s.opts.Now()
	access := newSecret()
	// Non-nil even when empty: an OAuth token may call only what it was granted.
	scopes := append(grant{}, strings.Fields(scope)...)
	s.oauth.access[access] = accessGrant{accountID: accountID, expires: now.Add(s.opts.AccessTokenTTL), scopes: scopes}
	resp := map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"scope":        scope,
		// Rounded up: expires_in 0 would read as "never expires" to clients.
		"expires_in": max(1, int64(math.Ceil(s.opts.AccessTokenTTL.Seconds()))),
	}
	if slices.Contains(strings.Fields(scope), "offline_access") {
		refresh := newSecret()
		s.oauth.refresh[refresh] = refreshGrant{accountID: accountID, clientID: clientID, scope: scope, issued: now, authorized: authorized}
		resp["refresh_token"] = refresh
	}
	return resp
}

// counter returns the account's OAuth counters; caller holds mu.
func (s *Server) counter(accountID string) *oauthCounter {
	c, ok := s.oauth.stats[accountID]
	if !ok {
		c = &oauthCounter{}
		s.oauth.stats[accountID] = c
	}
	return c
}

// normalizeScope collapses the space-separated scope list.
func normalizeScope(scope string) string { return strings.Join(strings.Fields(scope), " ") }

// serveOAuth serves Lever's auth server paths; false if path is not one of them.
func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request, path string) bool {
	var serve func(http.ResponseWriter, *http.Request)
	method := http.MethodPost
	switch path {
	case "/authorize":
		serve, method = s.serveAuthorize, http.MethodGet
	case "/authorize/decision":
		serve = s.serveDecision
	case "/oauth/token":
		serve = s.serveToken
	default:
		return false
	}
	switch {
	case !s.oauthOn():
		writeError(w, http.StatusNotFound, "oauth is off in this simulator (set Options.OAuthClientID)")
	case r.Method != method:
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	default:
		serve(w, r)
	}
	return true
}
