package platform

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault makes matching requests slow or failing, to exercise retries and timeouts.
type Fault struct {
	Method       string // "" matches any method
	PathContains string // "" matches any path
	// Status answers with this code and an error body; 0 serves the request normally
	// after Delay.
	Status int
	Delay  time.Duration // waits before answering (cut short if the caller gives up)
	// Times is how many matching requests the fault hits; 0 means all of them.
	Times int
	// RetryAfter, when > 0, is sent as a Retry-After header (whole seconds) with Status.
	RetryAfter time.Duration
}

// InjectFault adds a fault. Faults apply before authentication, in the order
// injected; a request is hit by at most one.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// applyFault reports whether it answered the request itself.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.takeFault(r)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // the caller gave up; nobody reads an answer
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	writeError(w, f.Status, "injected_fault", fmt.Sprintf("simulated %d", f.Status))
	return true
}

// takeFault finds the first live fault matching r and uses up one of its Times.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != r.Method) || !strings.Contains(r.URL.Path, f.PathContains) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return *f, true
	}
	return Fault{}, false
}
