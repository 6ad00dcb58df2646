package lever_test

import (
	"sync"
	"testing"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

func TestOverlappingWritesAreFlagged(t *testing.T) {
	tags := map[string]any{"tags": []string{"x"}}
	tests := []struct {
		name        string
		concurrent  bool
		paths       [2]string
		wantOverlap int
	}{
		{"add and remove at once", true, [2]string{"/opportunities/opp-1/addTags", "/opportunities/opp-1/removeTags"}, 1},
		{"add then remove", false, [2]string{"/opportunities/opp-1/addTags", "/opportunities/opp-1/removeTags"}, 0},
		{"two candidates at once", true, [2]string{"/opportunities/opp-1/addTags", "/opportunities/opp-2/addTags"}, 0},
		{"a read beside a write", true, [2]string{"/opportunities/opp-1/addTags", "/opportunities/opp-1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, leversim.Options{WriteHold: 200 * time.Millisecond})
			e.sim.AddOpportunity(acct, leversim.Opportunity{ID: "opp-2", Name: "Dana", Emails: []string{"dana@example.com"}})
			send := func(path string) {
				method := "POST"
				if path == "/opportunities/opp-1" {
					method = "GET"
				}
				if r := e.do(t, method, path, tags); r.status != 200 {
					t.Errorf("%s %s: got status %d, want 200", method, path, r.status)
				}
			}
			if tt.concurrent {
				var wg sync.WaitGroup
				for _, p := range tt.paths {
					wg.Go(func() { send(p) })
				}
				wg.Wait()
			} else {
				send(tt.paths[0])
				send(tt.paths[1])
			}
			got := e.sim.Overlaps()
			if len(got) != tt.wantOverlap {
				t.Fatalf("overlaps: got %+v, want %d", got, tt.wantOverlap)
			}
			if tt.wantOverlap > 0 && (got[0].Account != acct || got[0].Opportunity != oppID) {
				t.Errorf("overlap: got %+v, want account %s, opportunity %s", got[0], acct, oppID)
			}
		})
	}
}
