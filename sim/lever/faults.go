package lever

import (
	"context"
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

// takeFault consumes one use of the first fault matching the request.
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
		return &c
	}
	return nil
}

// wait sleeps the fault's delay; false if the request's ctx ended first.
func (f *Fault) wait(ctx context.Context) bool {
	if f.Delay <= 0 {
		return true
	}
	t := time.NewTimer(f.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
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
