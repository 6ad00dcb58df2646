package lever

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
)

// oauthError is an RFC 6749 error answer of the token endpoint.
type oauthError struct {
	status      int
	code, about string
}

func invalidGrant(about string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_grant", about}
}

// serveToken is POST /oauth/token: form-encoded, client credentials in the body or in
// HTTP Basic, grant_type authorization_code or refresh_token.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuth(w, http.StatusBadRequest, oauthErrorBody(&oauthError{code: "invalid_request", about: "the body must be form-encoded"}))
		return
	}
	form := r.PostForm
	clientID, secret, basic := clientCredentials(r)
	if !s.clientOK(clientID, secret, form.Get("client_id")) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		}
		writeOAuth(w, http.StatusUnauthorized, oauthErrorBody(&oauthError{code: "invalid_client", about: "client authentication failed"}))
		return
	}
	var (
		resp map[string]any
		oerr *oauthError
	)
	switch form.Get("grant_type") {
	case "authorization_code":
		resp, oerr = s.exchangeCode(clientID, form)
	case "refresh_token":
		resp, oerr = s.refreshTokens(clientID, form.Get("refresh_token"))
	case "":
		oerr = &oauthError{http.StatusBadRequest, "invalid_request", "grant_type is required"}
	default:
		oerr = &oauthError{http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"}
	}
	if oerr != nil {
		writeOAuth(w, oerr.status, oauthErrorBody(oerr))
		return
	}
	writeOAuth(w, http.StatusOK, resp)
}

// clientCredentials reads HTTP Basic (form-urlencoded parts, RFC 6749 2.3.1) or else
// client_id and client_secret from the body.
func clientCredentials(r *http.Request) (id, secret string, basic bool) {
	if u, p, ok := r.BasicAuth(); ok {
		return unescape(u), unescape(p), true
	}
	return r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), false
}

func unescape(s string) string {
	if v, err := url.QueryUnescape(s); err == nil {
		return v
	}
	return s
}

// clientOK checks the client's credentials; a body client_id next to Basic must agree.
func (s *Server) clientOK(id, secret, bodyID string) bool {
	if bodyID != "" && bodyID != id {
		return false
	}
	return id == s.opts.OAuthClientID &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.OAuthClientSecret)) == 1
}

// exchangeCode redeems a single-use code: same client and redirect_uri as authorized,
// and the S256 code_verifier when a challenge was given. Any attempt uses the code up.
func (s *Server) exchangeCode(clientID string, form url.Values) (map[string]any, *oauthError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := form.Get("code")
	c, ok := s.oauth.codes[code]
	if !ok || c.clientID != clientID {
		return nil, invalidGrant("invalid or used authorization code")
	}
	delete(s.oauth.codes, code)
	now := s.opts.Now()
	switch {
	case !now.Before(c.expires):
		return nil, invalidGrant("authorization code expired")
	case form.Get("redirect_uri") != c.redirectURI:
		return nil, invalidGrant("redirect_uri does not match the authorization request")
	case c.challenge != "" && !verifierMatches(form.Get("code_verifier"), c.challenge):
		return nil, invalidGrant("code_verifier missing or wrong")
	}
	if _, ok := s.accounts[c.accountID]; !ok {
		return nil, invalidGrant("the account is gone")
	}
	s.counter(c.accountID).codes++
	return s.issueTokens(c.accountID, clientID, c.scope, now), nil
}

// verifierMatches checks PKCE S256: base64url(sha256(verifier)) == challenge.
func verifierMatches(verifier, challenge string) bool {
	if verifier == "" {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// refreshTokens rotates: the presented refresh token dies, a new one comes back.
func (s *Server) refreshTokens(clientID, token string) (map[string]any, *oauthError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.oauth.refresh[token]
	if !ok || g.clientID != clientID {
		return nil, invalidGrant("invalid, used or revoked refresh token")
	}
	delete(s.oauth.refresh, token)
	now := s.opts.Now()
	if !now.Before(g.issued.Add(refreshIdleTTL)) || !now.Before(g.authorized.Add(refreshAbsoluteTTL)) {
		return nil, invalidGrant("refresh token expired")
	}
	s.counter(g.accountID).refreshes++
	return s.issueTokens(g.accountID, clientID, g.scope, g.authorized), nil
}

func oauthErrorBody(e *oauthError) map[string]string {
	return map[string]string{"error": e.code, "error_description": e.about}
}

// writeOAuth answers JSON that caches must not keep (RFC 6749 5.1).
func writeOAuth(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
