package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// scale (goal 4): every candidate invited and waiting for `started` at once, spread over
// several accounts so that reaching that state takes minutes, not the hours one account's
// 10/s would need; then the memory of the worker and server processes and the size of what
// the server persists (its SQLite file, or its PostgreSQL databases). Then every candidate
// submits at once, and the drain is compared with the time the accounts' Lever budgets alone
// would need for the calls it made. Each phase has a time cap: past it the run reports how far
// it got.
func scale(ctx context.Context, r *runner) ([]row, []string, error) {
	p := r.plan
	benchBefore, err := cpuTime(os.Getpid())
	if err != nil {
		return nil, nil, err
	}
	per := p.scaleCandidates / p.scaleAccounts
	n := per * p.scaleAccounts
	s, err := startStack(ctx, r, "scale", stackOptions{serverProfile: r.serverProfile})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	// The worker starts before any account exists, so that the idle cost of the accounts' own
	// Lever queues (their pollers) is measured: idle without accounts, then idle with them.
	if err := s.startWorkers(ctx, 1); err != nil {
		return nil, nil, err
	}
	cpu := s.newMeter(ctx)
	workerPID, serverPID := cpu.workerPID, cpu.serverPID
	idleBare, idleErr := cpu.idle(ctx, p.scaleIdleWindow)
	var accts []account
	for i := range p.scaleAccounts {
		a, err := s.addAccount(ctx, fmt.Sprintf("scale%02d", i), per)
		if err != nil {
			return nil, nil, err
		}
		accts = append(accts, a)
	}
	if err := s.awaitAccountPollers(ctx, accts); err != nil {
		return nil, nil, err
	}
	idleAccts, err := cpu.idle(ctx, p.scaleIdleWindow)
	idleRow := infoRow("4", fmt.Sprintf("idle CPU each account's Lever queue adds (its pollers; %d accounts, %s windows): server / worker", p.scaleAccounts, p.scaleIdleWindow), "")
	if err = errors.Join(idleErr, err); err != nil {
		idleRow.value = oneLine(err.Error())
	} else {
		extra := idleAccts.sub(idleBare)
		perAcct := func(d time.Duration) float64 {
			return d.Seconds() * 1000 / p.scaleIdleWindow.Seconds() / float64(p.scaleAccounts)
		}
		// CPU times count in 10 ms ticks: say what one tick is here.
		idleRow.value = fmt.Sprintf("%.2f / %.2f ms per second (one tick: %.2f)", perAcct(extra.server), perAcct(extra.worker), perAcct(10*time.Millisecond))
	}
	progress := func(what string, of int) func(int) {
		return func(k int) { r.log("  %d of %d %s", k, of, what) }
	}

	// Phase 1: every candidate into the trigger stage, until all wait for started.
	cpuBegan, cpuErr := cpu.mark(ctx)
	leverBegan := s.leverCalls(accts)
	began := time.Now()
	capCtx, cancel := context.WithDeadline(ctx, began.Add(p.scaleWaitCap))
	out := s.startCandidates(capCtx, accts, per, 32)
	cancel()
	if out.errors > 0 && !errors.Is(out.firstErr, context.DeadlineExceeded) {
		return nil, nil, fmt.Errorf("%d webhooks failed: %w", out.errors, out.firstErr)
	}
	r.log("  %d candidates started in %s", out.ok(), out.elapsed.Round(time.Millisecond))
	waitingAt, waiting, allWaiting, err := s.waitProgress(ctx, accts, per, invitedInLever, queryWaiting, n,
		time.Until(began.Add(p.scaleWaitCap)), progress("waiting for started", n))
	if err != nil {
		return nil, nil, err
	}
	toWaiting := waitingAt.Sub(began)
	r.log("  %d of %d waiting after %s", waiting, n, toWaiting.Round(time.Second))
	used, err := cpu.since(ctx, cpuBegan, cpuErr)
	limits := boundRows("waiting", used, err, waiting, toWaiting, p.scaleAccounts, s.leverCalls(accts)-leverBegan)
	if err := pause(ctx, 5*time.Second); err != nil { // the worker's last task completions settle
		return nil, nil, err
	}
	workerRSS, _, err := memory(workerPID)
	if err != nil {
		return nil, nil, err
	}
	serverRSS, _, err := memory(serverPID)
	if err != nil {
		return nil, nil, err
	}
	dbWhat, dbSize, err := s.temporal.dbSize(ctx)
	if err != nil {
		return nil, nil, err
	}

	var rows []row
	if allWaiting {
		rows = append(rows, infoRow("4", fmt.Sprintf("time until %d candidates wait for started (%d accounts)", n, p.scaleAccounts), seconds(toWaiting.Seconds())))
		rows = append(rows, atMost("4", fmt.Sprintf("worker RSS, %d waiting", n), float64(workerRSS)/(1<<20), 150, mebibytes(workerRSS), "≤ 150 MiB"))
	} else {
		rows = append(rows, row{goal: "4", figure: fmt.Sprintf("candidates waiting for started within the %s cap (%d accounts)", p.scaleWaitCap, p.scaleAccounts),
			value: fmt.Sprintf("%d of %d", waiting, n), target: fmt.Sprintf("%d", n), verdict: fail})
		// Judged only when it already misses at fewer candidates.
		rss := infoRow("4", fmt.Sprintf("worker RSS, %d waiting (not all)", waiting), mebibytes(workerRSS))
		if workerRSS > 150<<20 {
			rss.target, rss.verdict = "≤ 150 MiB", fail
		}
		rows = append(rows, rss)
	}
	if tc, err := s.tasksToWaiting(ctx, 20); err != nil {
		rows = append(rows, infoRow("4", "tasks per candidate to waiting", oneLine(err.Error())))
	} else {
		rows = append(rows, infoRow("4", fmt.Sprintf("per candidate to waiting (%d sampled): workflow tasks / activity tasks / history events", tc.sampled), tc.String()))
	}
	rows = append(rows,
		infoRow("4", fmt.Sprintf("server RSS, %d waiting", waiting), mebibytes(serverRSS)),
		infoRow("4", fmt.Sprintf("%s, %d waiting", dbWhat, waiting), mebibytes(dbSize)))
	rows = append(rows, limits...)
	rows = append(rows, idleRow)
	note := fmt.Sprintf("goal 4: %d candidates over %d accounts (%d each), webhooks at concurrency 32 (%d delivered in %s); phases capped at %s (to waiting) and %s (drain).",
		n, p.scaleAccounts, per, out.ok(), out.elapsed.Round(time.Millisecond), p.scaleWaitCap, p.scaleDrainCap)
	if !allWaiting {
		rows = append(rows, infoRow("4", "drain", "not measured: not every candidate was waiting"))
		rows = append(rows, scaleMemoryRows(workerPID, serverPID, benchBefore)...)
		return append(rows, cpu.postgresRows(ctx)...), []string{note}, nil
	}

	// Phase 2: every candidate submits (submitted alone, which implies started) at once.
	invs := s.platform.Invitations()
	if len(invs) != n {
		return rows, []string{note}, fmt.Errorf("platform holds %d invitations, want %d", len(invs), n)
	}
	before := map[string]sample{}
	for _, a := range accts {
		before[a.id] = snapshot(s.lever, a.id)
	}
	results := bandResults()
	cpuDrain, cpuErr := cpu.mark(ctx)
	drainBegan := time.Now()
	sub := parallel(ctx, n, 32, func(ctx context.Context, i int) error {
		return s.platform.Submit(ctx, invs[i].ID, results[i%len(results)])
	})
	if sub.errors > 0 {
		return rows, []string{note}, fmt.Errorf("%d submissions failed: %w", sub.errors, sub.firstErr)
	}
	r.log("  %d submitted in %s", n, sub.elapsed.Round(time.Millisecond))
	drainedAt, completed, drained, err := s.waitProgress(ctx, accts, per, resultsInLever, queryCompleted, n,
		time.Until(drainBegan.Add(p.scaleDrainCap)), progress("completed", n))
	if err != nil {
		return rows, []string{note}, err
	}
	// What Lever's budget alone allows: each account's calls beyond its burst at 10/s, the
	// accounts in parallel.
	var bound float64
	limited, drainCalls := 0, 0
	for _, a := range accts {
		after := snapshot(s.lever, a.id)
		bound = max(bound, float64(max(0, after.Total-before[a.id].Total-leverBurst))/leverRate)
		limited += after.RateLimited
		drainCalls += after.Total - before[a.id].Total
	}
	used, err = cpu.since(ctx, cpuDrain, cpuErr)
	limits = boundRows("completed", used, err, completed, drainedAt.Sub(drainBegan), p.scaleAccounts, drainCalls)
	if drained {
		drain := drainedAt.Sub(drainBegan).Seconds()
		rows = append(rows,
			infoRow("4", fmt.Sprintf("drain: all %d submitted at once → all completed", n), seconds(drain)),
			infoRow("4", "drain at Lever's budget alone (busiest account's calls at 10/s after its burst)", seconds(bound)),
			atLeast("4", "Lever-bound drain ÷ measured drain", bound/drain, 0.9, ratio(bound/drain), "≥ 0.90"))
	} else {
		rows = append(rows, row{goal: "4", figure: fmt.Sprintf("drain: completed within the %s cap", p.scaleDrainCap),
			value: fmt.Sprintf("%d of %d (Lever's budget alone: %s for the calls made)", completed, n, seconds(bound)), target: fmt.Sprintf("%d", n), verdict: fail})
	}
	rows = append(rows, limits...)
	rows = append(rows, infoRow("4", "429 answers (one worker, all accounts, whole run)", count(limited)))
	note += " The ≥ 0.90 drain target is this bench's reading of \"bounded only by the Lever budget\"."
	rows = append(rows, scaleMemoryRows(workerPID, serverPID, benchBefore)...)
	return append(rows, cpu.postgresRows(ctx)...), []string{note}, nil
}

// scaleMemoryRows are the processes' peaks, and the CPU each used, over the whole scenario:
// where a slow phase spent its time.
func scaleMemoryRows(workerPID, serverPID int, benchBefore time.Duration) []row {
	_, workerPeak, err1 := memory(workerPID)
	serverNow, serverPeak, err2 := memory(serverPID)
	workerCPU, err3 := cpuTime(workerPID)
	serverCPU, err4 := cpuTime(serverPID)
	benchCPU, err5 := cpuTime(os.Getpid())
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return []row{infoRow("4", "peak RSS and CPU", oneLine(err.Error()))}
	}
	return []row{
		infoRow("4", "peak RSS over the scenario: worker / server", fmt.Sprintf("%s / %s", mebibytes(workerPeak), mebibytes(serverPeak))),
		infoRow("4", "server RSS at the end", mebibytes(serverNow)),
		infoRow("4", "CPU used: server / worker / bench process (simulators, front door)", fmt.Sprintf("%s / %s / %s",
			seconds(serverCPU.Seconds()), seconds(workerCPU.Seconds()), seconds((benchCPU-benchBefore).Seconds()))),
	}
}

// leverCalls is how many requests (simulated) Lever has had from the accounts so far.
func (s *stack) leverCalls(accts []account) int {
	n := 0
	for _, a := range accts {
		n += s.lever.Calls(a.id).Total
	}
	return n
}
