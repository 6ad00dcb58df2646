package main

import (
	"context"
	"fmt"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	platformsim "github.com/assessbridge/assessbridge/sim/platform"
)

// ceiling (goal 3): many candidates at once, TWO worker processes on ONE account whose Lever
// budget (10/s, burst 20, enforced by the simulator) they must share. Counted over a window
// while the backlog lasts: the simulator's 429 answers, and the calls it admitted per second.
func ceiling(ctx context.Context, r *runner) ([]row, []string, error) {
	p := r.plan
	s, err := startStack(ctx, r, "ceiling", stackOptions{autoPlay: &platformsim.AutoPlay{
		StartAfter: time.Second, SubmitAfter: time.Second, Results: bandResults(),
	}})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	acct, err := s.addAccount(ctx, "ceiling", p.ceilingCandidates)
	if err != nil {
		return nil, nil, err
	}
	if err := s.startWorkers(ctx, 2); err != nil {
		return nil, nil, err
	}
	first := snapshot(s.lever, acct.id)

	out := s.startCandidates(ctx, []account{acct}, p.ceilingCandidates, 32)
	if out.errors > 0 {
		return nil, nil, fmt.Errorf("%d webhooks failed: %w", out.errors, out.firstErr)
	}
	r.log("  %d candidates started in %s; window opens in %s", out.ok(), out.elapsed.Round(time.Millisecond), p.ceilingSettle)
	if err := pause(ctx, p.ceilingSettle); err != nil {
		return nil, nil, err
	}
	open := snapshot(s.lever, acct.id)
	if err := pause(ctx, p.ceilingWindow); err != nil {
		return nil, nil, err
	}
	closed := snapshot(s.lever, acct.id)
	done, err := s.count(ctx, queryCompleted)
	if err != nil {
		return nil, nil, err
	}
	s.stopWorkers()

	span := closed.at.Sub(open.at).Seconds()
	admitted := float64(closed.admitted()-open.admitted()) / span
	attempted := float64(closed.Total-open.Total) / span
	rows := []row{
		atMost("3", "429 answers, 2 workers on 1 account (whole run)", float64(closed.RateLimited-first.RateLimited), 0, count(closed.RateLimited-first.RateLimited), "0"),
		atLeast("3", "Lever calls admitted per second ÷ 10, while a backlog exists", admitted/leverRate, 0.95, ratio(admitted/leverRate), "≥ 0.95"),
		infoRow("3", "Lever calls attempted per second in the window (429s included)", perSecond(attempted)),
		infoRow("3", "backlog at the window's end: candidates not yet completed", fmt.Sprintf("%d of %d", p.ceilingCandidates-done, p.ceilingCandidates)),
	}
	note := fmt.Sprintf("goal 3: %d candidates started through the front door in %s, then a %s window after %s; 429s in the window alone: %d.",
		p.ceilingCandidates, out.elapsed.Round(time.Millisecond), p.ceilingWindow, p.ceilingSettle, closed.RateLimited-open.RateLimited)
	return rows, []string{note}, nil
}

// sample is the simulator's counters for an account at one moment.
type sample struct {
	at time.Time
	leversim.CallStats
}

func (s sample) admitted() int { return s.Total - s.RateLimited }

func snapshot(l *leversim.Server, accountID string) sample {
	return sample{at: time.Now(), CallStats: l.Calls(accountID)}
}
