package lever_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// watcher keeps what a client reported.
type watcher struct {
	mu       sync.Mutex
	requests []string
	waits    int
}

func (w *watcher) LeverRequest(method, endpoint string, status int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests = append(w.requests, method+" "+endpoint+" "+http.StatusText(status))
}

func (w *watcher) LeverLimiterWait(time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits++
}

// TestObserverSeesEveryAttempt: each attempt is reported with its endpoint (ids replaced, so no
// candidate is named) and status, retries included, and each waited on the limiter first.
func TestObserverSeesEveryAttempt(t *testing.T) {
	w := &watcher{}
	f := newFixture(t, leversim.Options{}, lever.WithObserver(w))
	f.sim.InjectFault(leversim.Fault{Method: http.MethodGet, PathContains: "/opportunities/", Status: http.StatusTooManyRequests})
	if _, err := f.client.GetOpportunity(context.Background(), oppID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.GetPosting(context.Background(), postingID); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /opportunities/:id Too Many Requests", "GET /opportunities/:id OK", "GET /postings/:id OK"}
	if !slices.Equal(w.requests, want) {
		t.Errorf("requests: got %q, want %q", w.requests, want)
	}
	if w.waits != len(want) {
		t.Errorf("limiter waits: got %d, want %d", w.waits, len(want))
	}
}
