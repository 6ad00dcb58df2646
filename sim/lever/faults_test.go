package lever_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestFaultStatus(t *testing.T) {
	notes := "/opportunities/" + oppID + "/notes"
	tests := []struct {
		name           string
		fault          leversim.Fault
		wantStatus     int
		wantNotes      int
		wantRetryAfter string
	}{
		{"status before apply", leversim.Fault{Method: "POST", PathContains: "/notes", Status: 500}, 500, 0, ""},
		{"status after apply", leversim.Fault{Method: "POST", PathContains: "/notes", Status: 502, AfterApply: true}, 502, 1, ""},
		{"retry-after header", leversim.Fault{Status: 503, RetryAfter: "7"}, 503, 0, "7"},
		{"other method unaffected", leversim.Fault{Method: "GET", Status: 500}, 201, 1, ""},
		{"other path unaffected", leversim.Fault{PathContains: "/feedback", Status: 500}, 201, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, leversim.Options{})
			e.sim.InjectFault(tt.fault)
			r := e.do(t, "POST", notes, map[string]any{"value": "x"})
			if r.status != tt.wantStatus || r.header.Get("Retry-After") != tt.wantRetryAfter {
				t.Errorf("answer: got %d Retry-After %q, want %d %q", r.status, r.header.Get("Retry-After"), tt.wantStatus, tt.wantRetryAfter)
			}
			if r.status >= 400 && r.body["code"] == nil {
				t.Errorf("fault body: got %v, want Lever's error body", r.body)
			}
			if st, _ := e.sim.Snapshot(acct, oppID); len(st.Notes) != tt.wantNotes {
				t.Errorf("notes: got %d, want %d", len(st.Notes), tt.wantNotes)
			}
		})
	}
}

func TestFaultTimes(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	e.sim.InjectFault(leversim.Fault{Status: 500, Times: 2})
	var got []int
	for range 3 {
		got = append(got, e.do(t, "GET", "/stages", nil).status)
	}
	if got[0] != 500 || got[1] != 500 || got[2] != 200 {
		t.Errorf("statuses: got %v, want [500 500 200]", got)
	}
}

func TestFaultDropConnection(t *testing.T) {
	for _, after := range []bool{false, true} {
		e := newEnv(t, leversim.Options{})
		e.sim.InjectFault(leversim.Fault{Method: "POST", DropConnection: true, AfterApply: after})
		req, _ := http.NewRequest("POST", e.srv.URL+"/opportunities/"+oppID+"/notes", stringsReader(`{"value":"x"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("after=%v: got status %d, want a dropped connection", after, resp.StatusCode)
		}
		want := 0
		if after {
			want = 1
		}
		if st, _ := e.sim.Snapshot(acct, oppID); len(st.Notes) != want {
			t.Errorf("after=%v: notes got %d, want %d", after, len(st.Notes), want)
		}
	}
}

func TestFaultDelayRespectsClient(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	e.sim.InjectFault(leversim.Fault{Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/stages", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the client's deadline", err)
	}
	// The server's handler must end too, or Close would block: bounded by the test's run.
	e.srv.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("delayed handler ended after %v, want soon after the client left", d)
	}
}

func TestFaultRates(t *testing.T) {
	tests := []struct {
		name   string
		rates  leversim.FaultRates
		want   func(status int) bool
		counts func(c leversim.FaultCounts, n int) bool
	}{
		{"every request 500", leversim.FaultRates{ServerError: 1},
			func(s int) bool { return s == 500 },
			func(c leversim.FaultCounts, n int) bool { return c.ServerError == n && c.TooMany == 0 }},
		{"every request 429", leversim.FaultRates{TooMany: 1},
			func(s int) bool { return s == 429 },
			func(c leversim.FaultCounts, n int) bool { return c.TooMany == n && c.ServerError == 0 }},
		{"slow but within the client's patience", leversim.FaultRates{Slow: 1, SlowDelay: time.Millisecond},
			func(s int) bool { return s == 201 },
			func(c leversim.FaultCounts, n int) bool { return c.Slow == n }},
		{"none", leversim.FaultRates{},
			func(s int) bool { return s == 201 },
			func(c leversim.FaultCounts, n int) bool { return c == leversim.FaultCounts{} }},
	}
	const n = 20
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, leversim.Options{Rate: -1})
			e.sim.SetFaultRates(&tt.rates)
			applied := 0
			for range n {
				r := e.do(t, "POST", "/opportunities/"+oppID+"/notes", map[string]any{"value": "x"})
				if !tt.want(r.status) {
					t.Fatalf("status: got %d, want another", r.status)
				}
				if r.status == 201 {
					applied++
				}
			}
			if st, _ := e.sim.Snapshot(acct, oppID); len(st.Notes) != applied {
				t.Errorf("notes: got %d, want %d (faulted posts are not applied)", len(st.Notes), applied)
			}
			if c := e.sim.FaultCounts(); !tt.counts(c, n) {
				t.Errorf("counts after %d requests: got %+v", n, c)
			}
		})
	}
}

// TestFaultRatesSeeded: the same seed gives the same faults for the same requests, the shares
// are roughly those asked for, and the counters agree with the answers.
func TestFaultRatesSeeded(t *testing.T) {
	run := func(seed uint64) ([]int, int, leversim.FaultCounts) {
		e := newEnv(t, leversim.Options{Rate: -1})
		e.sim.SetFaultRates(&leversim.FaultRates{Seed: seed, ServerError: 0.10, TooMany: 0.05})
		var statuses []int
		withRetryAfter := 0
		for range 400 {
			r := e.do(t, "GET", "/stages", nil)
			statuses = append(statuses, r.status)
			if r.header.Get("Retry-After") != "" {
				withRetryAfter++
			}
		}
		return statuses, withRetryAfter, e.sim.FaultCounts()
	}
	a, aRetry, counts := run(7)
	b, _, _ := run(7)
	c, _, _ := run(8)
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 twice: got different faults, want the same")
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8: got the same faults, want different")
	}
	got := map[int]int{}
	for _, s := range a {
		got[s]++
	}
	if got[500] != counts.ServerError || got[429] != counts.TooMany || aRetry != counts.TooManyRetryAfter {
		t.Errorf("counters %+v disagree with answers %v (%d with Retry-After)", counts, got, aRetry)
	}
	if got[500] < 20 || got[500] > 65 || got[429] < 6 || got[429] > 40 || got[200]+got[500]+got[429] != 400 {
		t.Errorf("answers to 400 requests: got %v, want about 40 500s and 20 429s", got)
	}
	if counts.TooManyRetryAfter == 0 || counts.TooManyRetryAfter == counts.TooMany {
		t.Errorf("429s with Retry-After: got %d of %d, want some but not all", counts.TooManyRetryAfter, counts.TooMany)
	}
}

func TestFaultRatesSlowPastClientTimeout(t *testing.T) {
	e := newEnv(t, leversim.Options{Rate: -1})
	e.sim.SetFaultRates(&leversim.FaultRates{Slow: 1, SlowDelay: 10 * time.Second})
	hc := &http.Client{Timeout: 100 * time.Millisecond}
	req, _ := http.NewRequest("POST", e.srv.URL+"/opportunities/"+oppID+"/notes", stringsReader(`{"value":"x"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := hc.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want the client's timeout", resp.StatusCode)
	}
	e.srv.Close() // waits for the held handler, which ends when the client leaves
	if st, _ := e.sim.Snapshot(acct, oppID); len(st.Notes) != 0 {
		t.Errorf("notes: got %d, want 0 (the client gave up first)", len(st.Notes))
	}
	e.sim.SetFaultRates(nil)
	if c := e.sim.FaultCounts(); c.Slow != 1 {
		t.Errorf("slow count: got %d, want 1", c.Slow)
	}
}

func TestFaultCountsQueued(t *testing.T) {
	e := newEnv(t, leversim.Options{})
	e.sim.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", AfterApply: true, DropConnection: true})
	req, _ := http.NewRequest("POST", e.srv.URL+"/opportunities/"+oppID+"/notes", stringsReader(`{"value":"x"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want a dropped connection", resp.StatusCode)
	}
	want := leversim.FaultCounts{Dropped: 1, AppliedFirst: 1}
	if c := e.sim.FaultCounts(); c != want {
		t.Errorf("counts: got %+v, want %+v", c, want)
	}
}
