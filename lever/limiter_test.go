package lever_test

import (
	"context"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// TestLimiterPacesRequests: the default limiter mirrors Lever's bucket (10/s, bursts of
// 20), so 40 requests need about 2 s. The simulator's own bucket is off: network latency
// shifts its clock against the client's, so it may still answer an odd 429 (as Lever
// may), which would add retries to what this test measures.
func TestLimiterPacesRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	f := newFixture(t, leversim.Options{Rate: -1})
	start := time.Now()
	for i := range 40 {
		if _, err := f.client.GetPosting(context.Background(), postingID); err != nil {
			t.Fatalf("request %d: got %v, want nil", i, err)
		}
	}
	if d := time.Since(start); d < 1800*time.Millisecond {
		t.Errorf("40 requests took %v, want >= 1.8s", d)
	}
	if n := f.route("GET /postings/:id"); n != 40 {
		t.Errorf("requests sent: got %d, want 40", n)
	}
}

// TestAbsorbsLeversBucket: without a client-side limiter, a burst overruns Lever's bucket;
// the 429s (no Retry-After) are retried with backoff until every request succeeds.
func TestAbsorbsLeversBucket(t *testing.T) {
	f := newFixture(t, leversim.Options{}, lever.WithLimiter(nil), lever.WithRetry(20, 20*time.Millisecond, 100*time.Millisecond))
	for i := range 25 {
		if _, err := f.client.GetPosting(context.Background(), postingID); err != nil {
			t.Fatalf("request %d: got %v, want nil", i, err)
		}
	}
	c := f.sim.Calls(acct)
	if c.RateLimited == 0 || c.Total != 25+c.RateLimited {
		t.Errorf("calls: got %+v, want some 429s, each retried once more", c)
	}
}
