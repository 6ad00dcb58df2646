package lever_test

import (
	"context"
	"errors"
	"net/http"
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
