package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/assessbridge/assessbridge/assessment"
	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/workflows"
)

// bandResults score candidates into each rating band in turn.
func bandResults() []assessment.Result {
	var out []assessment.Result
	for _, score := range []float64{20, 40, 60, 90} {
		v, maxScore := score, 100.0
		out = append(out, assessment.Result{Score: &v, MaxScore: &maxScore, ReportURL: "https://platform.example/reports/bench"})
	}
	return out
}

// callsPace spaces goal 2's candidates: 9 calls each every 1.1 s stays under 10/s.
const callsPace = 1100 * time.Millisecond

// idempotency look-ups a retried note or feedback post makes first.
var lookupRoutes = []string{"GET /opportunities/:id/notes", "GET /opportunities/:id/feedback"}

// callsPerCandidate (goal 2): one worker process, candidates played by the platform simulator
// (start, then submit), Lever calls counted by the Lever simulator. One warm-up candidate
// first fills the per-account caches (posting, feedback template); the figure is the steady
// state after it.
func callsPerCandidate(ctx context.Context, r *runner) ([]row, []string, error) {
	n := r.plan.callsCandidates
	s, err := startStack(ctx, r, "calls", stackOptions{autoPlay: &platformsim.AutoPlay{
		StartAfter: 2 * time.Second, SubmitAfter: 2 * time.Second, Results: bandResults(),
	}})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	acct, err := s.addAccount(ctx, "calls", n+1)
	if err != nil {
		return nil, nil, err
	}
	if err := s.startWorkers(ctx, 1); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()

	if err := s.hooks.stageChange(ctx, acct, candidateID(acct.id, n)); err != nil {
		return nil, nil, fmt.Errorf("warm-up candidate: %w", err)
	}
	if err := s.awaitCompleted(ctx, acct, []int{n}); err != nil {
		return nil, nil, fmt.Errorf("warm-up candidate: %w", err)
	}
	warm := s.lever.Calls(acct.id)

	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	// Paced below the budget, so that every candidate takes the happy path in order (a
	// submitted that overtook started in a backlog would skip the Started tags and flatter the
	// figure) and no call is retried after a 429.
	tick := time.NewTicker(callsPace)
	defer tick.Stop()
	for _, i := range idx {
		if err := s.hooks.stageChange(ctx, acct, candidateID(acct.id, i)); err != nil {
			return nil, nil, fmt.Errorf("webhook: %w", err)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	if err := s.awaitCompleted(ctx, acct, idx); err != nil {
		return nil, nil, err
	}
	after := s.lever.Calls(acct.id)
	if err := s.checkPosted(acct, idx); err != nil {
		return nil, nil, err
	}
	if tags := s.lever.Calls(acct.id).ByRoute["POST /opportunities/:id/addTags"] - warm.ByRoute["POST /opportunities/:id/addTags"]; tags != 3*n {
		return nil, nil, fmt.Errorf("%d addTags calls for %d candidates, want 3 each: not every candidate took the happy path", tags, n)
	}

	delta := diffCalls(after, warm)
	perCand := float64(delta.Total) / float64(n)
	lookups := 0
	for _, route := range lookupRoutes {
		lookups += delta.ByRoute[route]
	}
	rows := []row{
		atMost("2", "Lever calls per completed candidate (happy path, per-account look-ups cached)", perCand, 9, perCandidate(perCand), "9"),
		atMost("2", "idempotency look-ups (list notes/feedback) without a retry", float64(lookups), 0, count(lookups), "0"),
		infoRow("2", "429 answers (one worker)", count(delta.RateLimited)),
		infoRow("2", "warm-up candidate's Lever calls (fills the per-account caches)", count(warm.Total)),
	}
	notes := []string{fmt.Sprintf("goal 2: %d candidates after one warm-up; calls by route: %s.", n, routes(delta.ByRoute))}
	return rows, notes, nil
}

// awaitCompleted waits for each candidate's workflow and wants it completed.
func (s *stack) awaitCompleted(ctx context.Context, a account, idx []int) error {
	errs := parallel(ctx, len(idx), 64, func(ctx context.Context, i int) error {
		id := workflows.WorkflowID(a.id, candidateID(a.id, idx[i]))
		var res workflows.Result
		if err := s.tc.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		if res.Step != workflows.StepCompleted {
			return fmt.Errorf("%s ended %q, want %q", id, res.Step, workflows.StepCompleted)
		}
		return nil
	})
	if errs.errors > 0 {
		return fmt.Errorf("%d of %d candidates did not complete: %w", errs.errors, len(idx), errs.firstErr)
	}
	return nil
}

// checkPosted wants exactly one note and one rated feedback form on every candidate: a cheaper
// journey that posted less would otherwise pass goal 2.
func (s *stack) checkPosted(a account, idx []int) error {
	var errs []error
	for _, i := range idx {
		st, ok := s.lever.Snapshot(a.id, candidateID(a.id, i))
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s missing", candidateID(a.id, i)))
		case len(st.Notes) != 1 || len(st.Feedback) != 1 || st.Feedback[0].Rating == "":
			errs = append(errs, fmt.Errorf("%s has %d notes and %d feedback forms, want 1 and 1 rated", candidateID(a.id, i), len(st.Notes), len(st.Feedback)))
		case !slices.Contains(st.Tags, assessmentTitle+" - Submitted"):
			errs = append(errs, fmt.Errorf("%s tags %q, want %q among them", candidateID(a.id, i), st.Tags, assessmentTitle+" - Submitted"))
		}
	}
	return errors.Join(errs...)
}

func diffCalls(after, before leversim.CallStats) leversim.CallStats {
	d := leversim.CallStats{Total: after.Total - before.Total, RateLimited: after.RateLimited - before.RateLimited, ByRoute: map[string]int{}}
	for k, v := range after.ByRoute {
		if v -= before.ByRoute[k]; v != 0 {
			d.ByRoute[k] = v
		}
	}
	return d
}

func routes(by map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("`%s` %d", k, by[k]))
	}
	return strings.Join(parts, ", ")
}
