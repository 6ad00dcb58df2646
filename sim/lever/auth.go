package lever

import (
	"net/http"
	"strings"
)

// AddAccount registers an account reachable with "Authorization: Bearer <token>" or, as
// an API key, HTTP Basic with the token as user name.
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
	s.byToken[bearerToken] = a
}

// authenticate returns the account the request's credentials belong to, or nil.
func (s *Server) authenticate(r *http.Request) *account {
	var token string
	if user, _, ok := r.BasicAuth(); ok {
		token = user
	} else if scheme, rest, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		token = strings.TrimSpace(rest)
	}
	if token == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byToken[token]
}
