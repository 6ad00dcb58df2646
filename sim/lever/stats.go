package lever

import "maps"

// CallStats counts an account's authenticated requests, rate-limited ones included.
type CallStats struct {
	Total       int
	RateLimited int            // answered 429 by the token bucket
	ByRoute     map[string]int // e.g. "POST /opportunities/:id/notes"
}

// Calls returns a copy of the account's counters (zero for an unknown account).
func (s *Server) Calls(accountID string) CallStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return CallStats{ByRoute: map[string]int{}}
	}
	c := a.stats
	c.ByRoute = maps.Clone(a.stats.ByRoute)
	return c
}

// admit counts the request and takes a token from the account's bucket.
func (s *Server) admit(a *account, label string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.stats.Total++
	a.stats.ByRoute[label]++
	if a.limiter != nil && !a.limiter.Allow() {
		a.stats.RateLimited++
		return false
	}
	return true
}
