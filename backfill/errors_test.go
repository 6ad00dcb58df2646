package backfill_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assessbridge/assessbridge/backfill"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/store"
)

// TestRefused: bad options or accounts fail before Lever is asked anything.
func TestRefused(t *testing.T) {
	tests := []struct {
		name    string
		opts    backfill.Options
		acct    func(store.Account) store.Account
		wantErr string
	}{
		{"other account named", backfill.Options{AccountID: "globex"}, nil, "globex"},
		{"account without id", backfill.Options{}, func(a store.Account) store.Account { a.ID = ""; return a }, "no id"},
		{"disconnected", backfill.Options{}, func(a store.Account) store.Account { a.Status = store.StatusDisconnected; return a }, "disconnected"},
		{"no trigger stages", backfill.Options{}, func(a store.Account) store.Account { a.TriggerStages = nil; return a }, "no trigger stages"},
		{"stage not a trigger", backfill.Options{StageIDs: []string{stageNew}}, nil, "not a trigger stage"},
		{"negative rate", backfill.Options{Rate: -1}, nil, "rate"},
		{"infinite rate", backfill.Options{Rate: math.Inf(1)}, nil, "rate"},
		{"NaN rate", backfill.Options{Rate: math.NaN()}, nil, "rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, pipeline)
			acct := e.acct
			if tt.acct != nil {
				acct = tt.acct(acct)
			}
			tt.opts.Apply = true
			rep, err := backfill.Run(context.Background(), e.lever, e.tc, noWorkerQueue, acct, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run: got (%+v, %v), want an error mentioning %q", rep, err, tt.wantErr)
			}
			if calls := e.sim.Calls(e.acct.ID).Total; calls != 0 {
				t.Errorf("Lever calls: got %d, want 0", calls)
			}
		})
	}
}

// TestAccountIDMatches: naming the account's own id is fine.
func TestAccountIDMatches(t *testing.T) {
	e := newEnv(t, pipeline)
	if rep, _ := e.run(backfill.Options{AccountID: e.acct.ID}); rep.WouldStart != 3 {
		t.Errorf("would start: got %d, want 3", rep.WouldStart)
	}
}

// TestListingFails: when Lever's listing fails part-way, nothing starts.
func TestListingFails(t *testing.T) {
	e := newEnv(t, append(slices.Clone(pipeline), candidate{id: "opp-4", stage: stageAssess}))               // two pages of 3
	e.sim.InjectFault(leversim.Fault{Method: "GET", PathContains: "/opportunities", Delay: time.Nanosecond}) // first page passes
	e.sim.InjectFault(leversim.Fault{Method: "GET", PathContains: "/opportunities", Status: 403})
	rep, err := backfill.Run(context.Background(), e.lever, e.tc, noWorkerQueue, e.acct, backfill.Options{Apply: true})
	if err == nil {
		t.Fatalf("Run: got (%+v, nil), want an error", rep)
	}
	if rep != (backfill.Report{}) {
		t.Errorf("report: got %+v, want zero", rep)
	}
	if pages := e.sim.Calls(e.acct.ID).ByRoute["GET /opportunities"]; pages != 2 {
		t.Errorf("pages asked: got %d, want 2", pages)
	}
	for _, opp := range []string{"opp-1", "opp-2", "opp-3", "opp-4"} {
		if _, _, ok := e.describe(opp); ok {
			t.Errorf("workflow for %s: got one, want none", opp)
		}
	}
}

// TestDeadlineWhilePacing: a run that cannot finish before its deadline stops with the report
// so far; what it started stays started.
func TestDeadlineWhilePacing(t *testing.T) {
	e := newEnv(t, pipeline)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// One start per minute: the second start would pass the deadline, so the limiter refuses it.
	rep, err := backfill.Run(ctx, e.lever, e.tc, noWorkerQueue, e.acct, backfill.Options{Apply: true, Rate: 1.0 / 60})
	if err == nil {
		t.Fatalf("Run: got (%+v, nil), want a deadline error", rep)
	}
	if want := (backfill.Report{Listed: 3, Started: 1}); rep != want {
		t.Errorf("report: got %+v, want %+v", rep, want)
	}
}
