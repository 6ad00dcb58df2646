package lever_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/lever"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestRetryAfterHonoured(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	f.sim.InjectFault(leversim.Fault{Method: "GET", PathContains: "/opportunities/", Status: 429, RetryAfter: "1"})
	start := time.Now()
	if _, err := f.client.GetOpportunity(context.Background(), oppID); err != nil {
		t.Fatalf("GetOpportunity: got %v, want nil", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retry waited: got %v, want >= 900ms (Retry-After: 1)", d)
	}
	if n := f.route("GET /opportunities/:id"); n != 2 {
		t.Errorf("attempts: got %d, want 2", n)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	// HTTP-dates have second precision: ask for a retry 2 s out, expect >= ~1 s of waiting.
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC1123)
	at = at[:len(at)-3] + "GMT"
	f.sim.InjectFault(leversim.Fault{Method: "GET", Status: 503, RetryAfter: at})
	start := time.Now()
	if _, err := f.client.ListStages(context.Background()); err != nil {
		t.Fatalf("ListStages: got %v, want nil", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retry waited: got %v, want >= 900ms", d)
	}
}

func TestRateLimitedWithoutRetryAfterBacksOff(t *testing.T) {
	f := newFixture(t, leversim.Options{})
	f.sim.InjectFault(leversim.Fault{Status: 429, Times: 3})
	start := time.Now()
	if _, err := f.client.GetPosting(context.Background(), postingID); err != nil {
		t.Fatalf("GetPosting: got %v, want nil", err)
	}
	// Backoff 10ms, 20ms, 40ms with equal jitter: at least 35ms in total.
	if d := time.Since(start); d < 35*time.Millisecond {
		t.Errorf("backoff: got %v, want >= 35ms", d)
	}
	if n := f.route("GET /postings/:id"); n != 4 {
		t.Errorf("attempts: got %d, want 4", n)
	}
}

func TestRetryGivesUpAfterMaxAttempts(t *testing.T) {
	f := newFixture(t, leversim.Options{}, lever.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	f.sim.InjectFault(leversim.Fault{Status: 429, Times: 10})
	_, err := f.client.GetPosting(context.Background(), postingID)
	apiErr, ok := errors.AsType[*lever.APIError](err)
	if !ok || apiErr.StatusCode != 429 || !lever.IsRetryable(err) {
		t.Fatalf("error: got %v, want retryable 429 APIError", err)
	}
	if n := f.route("GET /postings/:id"); n != 3 {
		t.Errorf("attempts: got %d, want 3", n)
	}
}

// TestNotProcessedRetriedForAnyMethod: 429 and 503 mean Lever did nothing, so even a
// note POST is retried, and exactly one note results.
func TestNotProcessedRetriedForAnyMethod(t *testing.T) {
	for _, status := range []int{429, 503} {
		f := newFixture(t, leversim.Options{})
		f.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", Status: status})
		id, err := f.client.AddNote(context.Background(), oppID, lever.NewNote{Value: "score 80"}, "")
		if err != nil || id == "" {
			t.Fatalf("status %d: AddNote got (%q, %v), want an id and nil", status, id, err)
		}
		st, _ := f.sim.Snapshot(acct, oppID)
		if len(st.Notes) != 1 || f.route("POST /opportunities/:id/notes") != 2 {
			t.Errorf("status %d: got %d notes after %d attempts, want 1 after 2", status, len(st.Notes), f.route("POST /opportunities/:id/notes"))
		}
	}
}

func TestServerErrorsRetriedWhenRepeatable(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		fault leversim.Fault
		call  func(*lever.Client) error
		route string
	}{
		{"GET 500", leversim.Fault{Method: "GET", Status: 500, Times: 1}, func(c *lever.Client) error { _, err := c.GetOpportunity(ctx, oppID); return err }, "GET /opportunities/:id"},
		{"GET 502", leversim.Fault{Method: "GET", Status: 502, Times: 1}, func(c *lever.Client) error { _, err := c.ListNotes(ctx, oppID); return err }, "GET /opportunities/:id/notes"},
		{"GET 504", leversim.Fault{Method: "GET", Status: 504, Times: 1}, func(c *lever.Client) error { _, err := c.ListFeedbackTemplates(ctx); return err }, "GET /feedback_templates"},
		// Twice: net/http may itself replay a GET once on a reused connection.
		{"GET dropped", leversim.Fault{Method: "GET", DropConnection: true, Times: 2}, func(c *lever.Client) error { _, err := c.ListStages(ctx); return err }, "GET /stages"},
		{"addTags 500 after apply", leversim.Fault{PathContains: "/addTags", Status: 500, AfterApply: true, Times: 1},
			func(c *lever.Client) error { return c.AddTags(ctx, oppID, []string{"X - Invited"}, userID) }, "POST /opportunities/:id/addTags"},
		{"removeTags dropped after apply", leversim.Fault{PathContains: "/removeTags", DropConnection: true, AfterApply: true, Times: 1},
			func(c *lever.Client) error { return c.RemoveTags(ctx, oppID, []string{"Go"}, "") }, "POST /opportunities/:id/removeTags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, leversim.Options{})
			f.sim.InjectFault(tt.fault)
			if err := tt.call(f.client); err != nil {
				t.Fatalf("call: got %v, want nil after a retry", err)
			}
			if n, want := f.route(tt.route), tt.fault.Times+1; n != want {
				t.Errorf("attempts: got %d, want %d", n, want)
			}
		})
	}
	t.Run("tags end as a set", func(t *testing.T) {
		f := newFixture(t, leversim.Options{})
		f.sim.InjectFault(leversim.Fault{PathContains: "/addTags", Status: 502, AfterApply: true})
		if err := f.client.AddTags(ctx, oppID, []string{"X - Invited"}, ""); err != nil {
			t.Fatalf("AddTags: got %v, want nil", err)
		}
		st, _ := f.sim.Snapshot(acct, oppID)
		if got, want := len(st.Tags), 2; got != want {
			t.Errorf("tags %v: got %d, want %d", st.Tags, got, want)
		}
	})
}

// TestNonIdempotentPostNotRetried is the double-write trap: the write happened but the
// answer was lost, so the client must not repeat it.
func TestNonIdempotentPostNotRetried(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		fault leversim.Fault
	}{
		{"500 after apply", leversim.Fault{Method: "POST", PathContains: "/notes", Status: 500, AfterApply: true}},
		{"502 after apply", leversim.Fault{Method: "POST", PathContains: "/notes", Status: 502, AfterApply: true}},
		{"connection dropped after apply", leversim.Fault{Method: "POST", PathContains: "/notes", DropConnection: true, AfterApply: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, leversim.Options{})
			f.sim.InjectFault(tt.fault)
			_, err := f.client.AddNote(ctx, oppID, lever.NewNote{Value: "assessbridge:marker-1"}, userID)
			if err == nil {
				t.Fatalf("AddNote: got nil error, want the fault")
			}
			if !lever.IsRetryable(err) {
				t.Errorf("IsRetryable(%v): got false, want true (the caller checks its marker and retries)", err)
			}
			st, _ := f.sim.Snapshot(acct, oppID)
			if len(st.Notes) != 1 {
				t.Errorf("notes: got %d, want exactly 1", len(st.Notes))
			}
			if n := f.route("POST /opportunities/:id/notes"); n != 1 {
				t.Errorf("attempts: got %d, want 1", n)
			}
			notes, err := f.client.ListNotes(ctx, oppID)
			if err != nil || len(notes) != 1 || notes[0].Value != "assessbridge:marker-1" {
				t.Errorf("ListNotes: got (%+v, %v), want the one marked note", notes, err)
			}
		})
	}
}

func TestFeedbackPostNotRetried(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, leversim.Options{})
	tmpl := createRatingTemplate(t, f)
	f.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/feedback", Status: 504, AfterApply: true})
	_, err := f.client.AddFeedback(ctx, oppID, ratingFeedback(t, tmpl, "3 - Hire"), userID)
	if err == nil || !lever.IsRetryable(err) {
		t.Fatalf("AddFeedback: got %v, want a retryable error", err)
	}
	st, _ := f.sim.Snapshot(acct, oppID)
	if len(st.Feedback) != 1 || f.route("POST /opportunities/:id/feedback") != 1 {
		t.Errorf("got %d feedback forms after %d attempts, want 1 after 1", len(st.Feedback), f.route("POST /opportunities/:id/feedback"))
	}
}

func TestContextDeadlineRespected(t *testing.T) {
	t.Run("slow answer", func(t *testing.T) {
		f := newFixture(t, leversim.Options{})
		f.sim.InjectFault(leversim.Fault{Delay: 5 * time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := f.client.GetOpportunity(ctx, oppID)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error: got %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("returned after %v, want soon after the 200ms deadline", d)
		}
		if !lever.IsRetryable(err) {
			t.Errorf("IsRetryable(deadline): got false, want true")
		}
	})
	t.Run("retry-after beyond deadline gives up now", func(t *testing.T) {
		f := newFixture(t, leversim.Options{})
		f.sim.InjectFault(leversim.Fault{Status: 429, RetryAfter: "30"})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := f.client.GetOpportunity(ctx, oppID)
		apiErr, ok := errors.AsType[*lever.APIError](err)
		if !ok || apiErr.StatusCode != 429 || apiErr.RetryAfter != 30*time.Second {
			t.Fatalf("error: got %v, want the 429 with RetryAfter 30s", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("returned after %v, want at once", d)
		}
	})
	t.Run("cancelled is not retryable", func(t *testing.T) {
		f := newFixture(t, leversim.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := f.client.GetOpportunity(ctx, oppID)
		if !errors.Is(err, context.Canceled) || lever.IsRetryable(err) {
			t.Fatalf("error: got %v (retryable %v), want context.Canceled, not retryable", err, lever.IsRetryable(err))
		}
	})
}
