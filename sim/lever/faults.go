package lever

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault makes the next Times matching requests (after auth and rate limiting) misbehave.
type Fault struct {
	Method       string // "" matches any
	PathContains string // e.g. "/notes"; "" matches any
	// Status answers with this status and a Lever error body (0: no status fault).
	Status int
	// RetryAfter is the raw Retry-After header sent with Status ("" none).
	RetryAfter string
	// Delay waits before answering, ending early if the client goes away.
	Delay time.Duration
	// AfterApply performs the request first, then answers Status or drops the
	// connection: the write happened but the client can't know (the double-write trap).
	AfterApply bool
	// DropConnection closes the connection without answering.
	DropConnection bool
	Times          int // default 1
}

// InjectFault queues f; faults are matched in the order injected.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// FaultRates makes a share of API requests misbehave at random, as a flaky Lever would. The
// draws come from a source seeded with Seed, so a run with the same requests in the same order
// meets the same faults. Queued faults (InjectFault) come first.
type FaultRates struct {
	Seed uint64
	// ServerError is the share of requests answered 500, not applied.
	ServerError float64
	// TooMany is the share answered 429, not applied; half of them carry "Retry-After: 1".
	TooMany float64
	// Slow is the share held for SlowDelay before they are served; a client that gives up
	// first (its timeout is shorter) gets no answer and nothing is applied.
	Slow      float64
	SlowDelay time.Duration
}

// FaultCounts counts the faults the simulator served, queued and random alike, by kind.
type FaultCounts struct {
	ServerError       int // 5xx answers
	TooMany           int // 429 answers (the token bucket's own not included: see CallStats)
	TooManyRetryAfter int // of TooMany, those with a Retry-After header
	Slow              int // delayed answers
	Dropped           int // connections closed without an answer
	AppliedFirst      int // requests applied before the fault's answer or drop
}

// randomFaults is the random fault mode's state; guarded by Server.mu.
type randomFaults struct {
	rates  *FaultRates
	rng    *rand.Rand
	counts FaultCounts
}

// SetFaultRates switches the random fault mode on, or off with nil.
func (s *Server) SetFaultRates(r *FaultRates) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.random.rates, s.random.rng = nil, nil
	if r != nil {
		c := *r
		s.random.rates = &c
		s.random.rng = rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	}
}

// FaultCounts returns the counters of faults served so far.
func (s *Server) FaultCounts() FaultCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.random.counts
}

// takeFault consumes one use of the first queued fault matching the request, else draws a
// random one when the random mode is on.
func (s *Server) takeFault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && !strings.EqualFold(f.Method, method)) || !strings.Contains(path, f.PathContains) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		c := *f
		s.random.count(&c)
		return &c
	}
	f := s.random.draw()
	if f != nil {
		s.random.count(f)
	}
	return f
}

// draw picks a random fault, or none. Callers hold Server.mu.
func (r *randomFaults) draw() *Fault {
	if r.rates == nil {
		return nil
	}
	u := r.rng.Float64()
	switch {
	case u < r.rates.ServerError:
		return &Fault{Status: http.StatusInternalServerError, Times: 1}
	case u < r.rates.ServerError+r.rates.TooMany:
		f := &Fault{Status: http.StatusTooManyRequests, Times: 1}
		if r.rng.IntN(2) == 0 {
			f.RetryAfter = "1"
		}
		return f
	case u < r.rates.ServerError+r.rates.TooMany+r.rates.Slow:
		return &Fault{Delay: r.rates.SlowDelay, Times: 1}
	}
	return nil
}

// count records a fault about to be served. Callers hold Server.mu.
func (r *randomFaults) count(f *Fault) {
	c := &r.counts
	switch {
	case f.DropConnection:
		c.Dropped++
	case f.Status == http.StatusTooManyRequests:
		c.TooMany++
		if f.RetryAfter != "" {
			c.TooManyRetryAfter++
		}
	case f.Status >= 500:
		c.ServerError++
	}
	if f.Delay > 0 {
		c.Slow++
	}
	if f.AfterApply && (f.Status != 0 || f.DropConnection) {
		c.AppliedFirst++
	}
}

// wait sleeps the fault's delay; false if the client went away first. The body is read up
// front: until it is, net/http does not notice a client that hangs up, and a held write would
// then be applied after its client gave up.
func (f *Fault) wait(r *http.Request) bool {
	if f.Delay <= 0 {
		return true
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t := time.NewTimer(f.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// serve answers through the fault; serve runs the real handler.
func (f *Fault) serve(w http.ResponseWriter, serve func(http.ResponseWriter)) {
	if f.Status == 0 && !f.DropConnection {
		serve(w) // a pure delay
		return
	}
	if f.AfterApply {
		serve(&discardWriter{header: http.Header{}})
	}
	if f.DropConnection {
		dropConnection(w)
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, f.Status, "injected fault")
}

// dropConnection closes the client's connection without a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2: net/http resets the stream
}

// discardWriter swallows the real answer of an AfterApply fault.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// statusCode maps statuses to Lever's error codes.
func statusCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequestError"
	case http.StatusUnauthorized:
		return "UnauthorizedError"
	case http.StatusForbidden:
		return "ForbiddenError"
	case http.StatusNotFound:
		return "ResourceNotFound"
	case http.StatusUnprocessableEntity:
		return "UnprocessableEntityError"
	case http.StatusTooManyRequests:
		return "TooManyRequestsError"
	case http.StatusInternalServerError:
		return "InternalServerError"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailableError"
	}
	return "Error" + strconv.Itoa(status)
}
