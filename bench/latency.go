package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	platformsim "github.com/assessbridge/assessbridge/sim/platform"
	"github.com/assessbridge/assessbridge/workflows"
)

// latency (goal 6): how long a candidate waits for their invitation after the recruiter's click,
// from the moment (simulated) Lever sends the stage-change webhook to the moment the (simulated)
// platform holds the invitation (its creation time). First one candidate at a time, each sent
// once the previous one's invitation exists; then an open-loop stream at a fixed rate over
// several accounts, sent on schedule however long the answers take. The webhook's
// acknowledgement is timed on the way: one at a time it is the idle figure.
func latency(ctx context.Context, r *runner) ([]row, []string, error) {
	p := r.plan
	streamN := int(p.latencyRate * p.latencyFor.Seconds())
	nAccts := p.latencyAccounts
	per := 1 + ceilDiv(p.latencyOneByOne, nAccts) + ceilDiv(streamN, nAccts)
	s, err := startStack(ctx, r, "latency", stackOptions{})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	accts := make([]account, nAccts)
	for i := range accts {
		if accts[i], err = s.addAccount(ctx, fmt.Sprintf("lat%02d", i), per); err != nil {
			return nil, nil, err
		}
	}
	if err := s.startWorkers(ctx, 1); err != nil {
		return nil, nil, err
	}
	next := make([]int, nAccts) // each account's next unused candidate
	take := func(k int) (account, string) {
		a := accts[k%nAccts]
		i := next[k%nAccts]
		next[k%nAccts]++
		return a, candidateID(a.id, i)
	}

	// One candidate per account first: the worker's per-account state (Lever client, cached
	// posting) is then what it is in a running deployment.
	for k := range nAccts {
		a, opp := take(k)
		if err := s.hooks.stageChange(ctx, a, opp); err != nil {
			return nil, nil, fmt.Errorf("warm-up: %w", err)
		}
		if _, err := s.awaitInvitation(ctx, workflows.WorkflowID(a.id, opp), time.Minute); err != nil {
			return nil, nil, fmt.Errorf("warm-up: %w", err)
		}
	}

	// (a) One at a time.
	var oneAck, oneWait []time.Duration
	for k := range p.latencyOneByOne {
		a, opp := take(k)
		sent := time.Now()
		if err := s.hooks.stageChange(ctx, a, opp); err != nil {
			return nil, nil, fmt.Errorf("one at a time: %w", err)
		}
		oneAck = append(oneAck, time.Since(sent))
		inv, err := s.awaitInvitation(ctx, workflows.WorkflowID(a.id, opp), 30*time.Second)
		if err != nil {
			return nil, nil, fmt.Errorf("one at a time, candidate %d: %w", k+1, err)
		}
		oneWait = append(oneWait, inv.CreatedAt.Sub(sent))
	}
	r.log("  one at a time: %d invited, p99 %s", len(oneWait), percentile(oneWait, 99).Round(time.Millisecond))

	// (b) A steady stream, sent on schedule.
	type delivery struct {
		id string
		at time.Time
	}
	stream := make([]delivery, streamN)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		acks     []time.Duration
		failures int
		firstErr error
	)
	interval := time.Duration(float64(time.Second) / p.latencyRate)
	cpu := s.newMeter(ctx)
	cpuBegan, cpuErr := cpu.mark(ctx)
	began := time.Now()
	for k := range streamN {
		a, opp := take(k)
		if err := pause(ctx, time.Until(began.Add(time.Duration(k)*interval))); err != nil {
			wg.Wait()
			return nil, nil, err
		}
		stream[k] = delivery{id: workflows.WorkflowID(a.id, opp), at: time.Now()}
		wg.Go(func() {
			err := s.hooks.stageChange(ctx, a, opp)
			took := time.Since(stream[k].at)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures++
				firstErr = firstOf(firstErr, err)
				return
			}
			acks = append(acks, took)
		})
	}
	sentFor := time.Since(began)
	wg.Wait()
	if failures > 0 {
		return nil, nil, fmt.Errorf("stream: %d of %d webhooks failed: %w", failures, streamN, firstErr)
	}
	// Every invitation, or as many as exist a while after the last delivery.
	created := map[string]time.Time{}
	waitLimit := max(30*time.Second, p.latencyFor/2)
	deadline := time.Now().Add(waitLimit)
	for {
		for _, inv := range s.platform.Invitations() {
			created[inv.Reference] = inv.CreatedAt
		}
		held := 0
		for _, d := range stream {
			if _, ok := created[d.id]; ok {
				held++
			}
		}
		if held == streamN || time.Now().After(deadline) {
			break
		}
		if err := pause(ctx, 200*time.Millisecond); err != nil {
			return nil, nil, err
		}
	}
	var streamWait []time.Duration
	for _, d := range stream {
		if at, ok := created[d.id]; ok {
			streamWait = append(streamWait, at.Sub(d.at))
		}
	}
	r.log("  stream: %d of %d invited, p99 %s", len(streamWait), streamN, percentile(streamWait, 99).Round(time.Millisecond))
	used, err := cpu.since(ctx, cpuBegan, cpuErr)
	var cpuRows []row
	if err != nil {
		cpuRows = []row{infoRow("6", "CPU per candidate in the stream", oneLine(err.Error()))}
	} else {
		// Until the last invitation (or the wait's end): the candidates' tags are mostly written by
		// then too, so this is close to each one's whole cost to "waiting for started".
		procs, cost, allow := used.perCandidate(streamN)
		cpuRows = []row{
			infoRow("6", "CPU per candidate in the stream, until the last invitation: "+procs, cost),
			infoRow("6", fmt.Sprintf("stream candidates per second: sent / what %d cores allow at that CPU", runtime.NumCPU()),
				fmt.Sprintf("%g/s / %.1f/s", p.latencyRate, allow)),
		}
	}

	limited := 0
	for _, a := range accts {
		limited += s.lever.Calls(a.id).RateLimited
	}
	p50p99 := func(ds []time.Duration) string {
		return fmt.Sprintf("%s / %s", millis(ms(percentile(ds, 50))), millis(ms(percentile(ds, 99))))
	}
	oneP99, oneAckP99 := percentile(oneWait, 99), percentile(oneAck, 99)
	rows := []row{
		atMost("6", fmt.Sprintf("stage change → invitation, one at a time (%d candidates): p50 / p99", len(oneWait)),
			oneP99.Seconds(), 1, p50p99(oneWait), "p99 ≤ 1 s"),
	}
	streamFigure := fmt.Sprintf("stage change → invitation at %g/s for %s (%d candidates, %d accounts): p50 / p99", p.latencyRate, p.latencyFor, streamN, nAccts)
	if len(streamWait) < streamN {
		rows = append(rows, row{goal: "6", figure: streamFigure, target: "p99 ≤ 2 s", verdict: fail,
			value: fmt.Sprintf("only %d of %d invited within %s of the last webhook", len(streamWait), streamN, waitLimit)})
	} else {
		rows = append(rows, atMost("6", streamFigure, percentile(streamWait, 99).Seconds(), 2, p50p99(streamWait), "p99 ≤ 2 s"))
	}
	rows = append(rows,
		atMost("6", "webhook acknowledgement when idle (one at a time): p50 / p99", ms(oneAckP99), 50, p50p99(oneAck), "p99 ≤ 50 ms"),
		infoRow("6", fmt.Sprintf("webhook acknowledgement at %g/s: p50 / p99", p.latencyRate), p50p99(acks)),
		infoRow("6", "stream webhooks sent (schedule kept)", fmt.Sprintf("%d in %s", streamN, seconds(sentFor.Seconds()))),
		infoRow("6", "429 answers (one worker, whole scenario)", count(limited)),
	)
	rows = append(rows, cpuRows...)
	note := fmt.Sprintf("goal 6: one worker process, %d accounts (one warm-up candidate each first); the one-at-a-time candidates go round the accounts, "+
		"each webhook sent once the previous invitation exists; the stream is open-loop (sent on schedule, not after answers). "+
		"Wait = the platform simulator's creation time of the invitation − the moment the webhook was sent, one clock.", nAccts)
	return rows, []string{note}, nil
}

// awaitInvitation waits until the platform holds an invitation for the workflow.
func (s *stack) awaitInvitation(ctx context.Context, workflowID string, limit time.Duration) (platformsim.Invitation, error) {
	deadline := time.Now().Add(limit)
	for {
		if inv, ok := s.platform.InvitationByReference(workflowID); ok {
			return inv, nil
		}
		if time.Now().After(deadline) {
			return platformsim.Invitation{}, fmt.Errorf("%s: no invitation within %s", workflowID, limit)
		}
		if err := pause(ctx, 2*time.Millisecond); err != nil {
			return platformsim.Invitation{}, err
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
