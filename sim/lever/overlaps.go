package lever

import (
	"net/http"
	"slices"
	"time"
)

// Overlap is a write to an opportunity that Lever received while another write to the same
// opportunity was still in flight. Lever documents nothing about simultaneous writes to one
// candidate, so a client that causes one relies on undocumented behaviour.
type Overlap struct {
	Account, Opportunity string
	// Routes are the write already in flight and the one that overlapped it, e.g.
	// "POST /opportunities/:id/addTags".
	Routes [2]string
}

// inFlight is a write to one opportunity being served.
type inFlight struct {
	route string
	n     int
}

// writeKey names the opportunity a request writes to ("" when it writes none): every
// non-GET request under /opportunities/:id.
func writeKey(method string, rt route, params []string, accountID string) string {
	if method == http.MethodGet || len(rt.pattern) < 2 || rt.pattern[0] != "opportunities" || len(params) == 0 {
		return ""
	}
	return accountID + "\x00" + params[0]
}

// beginWrite marks a write to an opportunity in flight, recording an Overlap when another one
// is. The returned func ends it; it holds the write for Options.WriteHold first, so writes that
// a client sends at once overlap for sure instead of by chance.
func (s *Server) beginWrite(a *account, key, opportunityID, label string) func() {
	s.mu.Lock()
	cur := s.writing[key]
	if cur != nil && cur.n > 0 {
		s.overlaps = append(s.overlaps, Overlap{Account: a.id, Opportunity: opportunityID, Routes: [2]string{cur.route, label}})
	}
	if cur == nil {
		cur = &inFlight{}
		s.writing[key] = cur
	}
	cur.n++
	cur.route = label
	s.mu.Unlock()
	return func() {
		if s.opts.WriteHold > 0 {
			time.Sleep(s.opts.WriteHold)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if cur.n--; cur.n == 0 {
			delete(s.writing, key)
		}
	}
}

// Overlaps lists every overlapping write seen so far, oldest first.
func (s *Server) Overlaps() []Overlap {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.overlaps)
}
