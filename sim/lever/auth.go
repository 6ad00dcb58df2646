package lever

import (
	"net/http"
	"strings"
)

// AddAccount registers an account reachable with "Authorization: Bearer <token>" or, as
// an API key, HTTP Basic with the token as user name. With OAuth on, access tokens issued
// for the account work too.
func (s *Server) AddAccount(accountID, bearerToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.accounts[accountID]; ok {
		delete(s.byToken, old.token)
		old.token = bearerToken
		s.byToken[bearerToken] = old
		return
	}
	a := newAccount(accountID, bearerToken, s.opts)
	s.accounts[accountID] = a
	s.order = append(s.order, accountID)
	s.byToken[bearerToken] = a
}

// authenticate returns the account the request's credentials belong to, or nil, and what
// they may call: an OAuth access token its granted scopes, anything else every route.
func (s *Server) authenticate(r *http.Request) (*account, grant) {
	var token string
	bearer := false
	if user, _, ok := r.BasicAuth(); ok {
		token = user
	} else if scheme, rest, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		token, bearer = strings.TrimSpace(rest), true
	}
	if token == "" {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.byToken[token]; ok {
		return a, nil
	}
	if bearer {
		return s.oauthAccount(token)
	}
	return nil, nil
}
