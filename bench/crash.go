package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
	"github.com/assessbridge/assessbridge/workflows"
)

// crash (goal 7): a worker process is killed with SIGKILL while candidates have activities
// running on it, and started again at once. (Simulated) Lever holds every candidate's
// opportunity read, so each candidate's Resolve is in flight on the worker when it dies; the
// held reads end with the worker's connections. Measured: from the kill until each affected
// candidate's next step is done, its invitation held by the (simulated) platform, which takes
// the retried read and the invite after it.
func crash(ctx context.Context, r *runner) ([]row, []string, error) {
	p := r.plan
	n, nAccts := p.crashCandidates, p.latencyAccounts
	per := 1 + ceilDiv(n, nAccts)
	s, err := startStack(ctx, r, "crash", stackOptions{})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	accts := make([]account, nAccts)
	for i := range accts {
		if accts[i], err = s.addAccount(ctx, fmt.Sprintf("crash%02d", i), per); err != nil {
			return nil, nil, err
		}
	}
	if err := s.startWorkers(ctx, 1); err != nil {
		return nil, nil, err
	}
	// Candidate 0 of every account warms the worker up, as in goal 6.
	for _, a := range accts {
		if err := s.hooks.stageChange(ctx, a, candidateID(a.id, 0)); err != nil {
			return nil, nil, fmt.Errorf("warm-up: %w", err)
		}
		if _, err := s.awaitInvitation(ctx, workflows.WorkflowID(a.id, candidateID(a.id, 0)), time.Minute); err != nil {
			return nil, nil, fmt.Errorf("warm-up: %w", err)
		}
	}

	// The warm-up's tag writes end first, so that what Lever holds below is the candidates' reads.
	for quiet := time.Now().Add(10 * time.Second); s.leverIn.n.Load() > 0 && time.Now().Before(quiet); {
		if err := pause(ctx, 20*time.Millisecond); err != nil {
			return nil, nil, err
		}
	}
	baseline := s.leverIn.n.Load()
	s.lever.InjectFault(leversim.Fault{Method: http.MethodGet, PathContains: "/opportunities/", Delay: 30 * time.Minute, Times: n})
	ids := make([]string, n)
	out := parallel(ctx, n, 32, func(ctx context.Context, i int) error {
		a := accts[i%nAccts]
		opp := candidateID(a.id, 1+i/nAccts)
		ids[i] = workflows.WorkflowID(a.id, opp)
		return s.hooks.stageChange(ctx, a, opp)
	})
	if out.errors > 0 {
		return nil, nil, fmt.Errorf("%d webhooks failed: %w", out.errors, out.firstErr)
	}
	// Every candidate's read held in Lever: an activity of each runs on the worker.
	deadline := time.Now().Add(time.Minute)
	for s.leverIn.n.Load()-baseline < int64(n) {
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("only %d of %d Lever reads in flight after a minute", s.leverIn.n.Load()-baseline, n)
		}
		if err := pause(ctx, 20*time.Millisecond); err != nil {
			return nil, nil, err
		}
	}
	killedAt := s.killWorker(0)
	if err := s.startWorkers(ctx, 1); err != nil {
		return nil, nil, fmt.Errorf("restart: %w", err)
	}
	restarted := time.Since(killedAt)
	r.log("  worker killed with %d activities in flight, polling again after %s", n, restarted.Round(time.Millisecond))

	// Until every affected candidate is invited, or the cap.
	var waits []time.Duration
	capAt := killedAt.Add(p.crashCap)
	for {
		created := map[string]time.Time{}
		for _, inv := range s.platform.Invitations() {
			created[inv.Reference] = inv.CreatedAt
		}
		waits = waits[:0]
		for _, id := range ids {
			if at, ok := created[id]; ok {
				waits = append(waits, at.Sub(killedAt))
			}
		}
		if len(waits) == n || time.Now().After(capAt) {
			break
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return nil, nil, err
		}
	}
	invitations := len(s.platform.Invitations())
	r.log("  %d of %d invited after the kill, p99 %s", len(waits), n, percentile(waits, 99).Round(time.Millisecond))

	figure := fmt.Sprintf("kill -9 of the worker with %d activities in flight → each candidate's next step done (invited): p50 / p99", n)
	var rows []row
	if len(waits) < n {
		rows = append(rows, row{goal: "7", figure: figure, target: "p99 ≤ 30 s", verdict: fail,
			value: fmt.Sprintf("only %d of %d within the %s cap", len(waits), n, p.crashCap)})
	} else {
		p99 := percentile(waits, 99)
		rows = append(rows, atMost("7", figure, p99.Seconds(), 30,
			fmt.Sprintf("%s / %s", seconds(percentile(waits, 50).Seconds()), seconds(p99.Seconds())), "p99 ≤ 30 s"))
	}
	dup := invitations - nAccts - len(waits)
	rows = append(rows,
		infoRow("7", "restarted worker polling, after the kill", seconds(restarted.Seconds())),
		atMost("7", "invitations created twice", float64(dup), 0, count(dup), "0"),
	)
	note := fmt.Sprintf("goal 7: one worker process, %d candidates over %d accounts after one warm-up candidate each; (simulated) Lever holds each "+
		"candidate's opportunity read until the worker dies; a new worker process is started as soon as the old one is gone. "+
		"The time includes the restart, the server noticing the lost activities (heartbeat timeout) and the retry's back-off.", n, nAccts)
	return rows, []string{note}, nil
}
