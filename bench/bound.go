package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/assessbridge/assessbridge/workflows"
)

// cpuMark is the CPU the scenario's processes had used at one moment: the server, the worker,
// this process (simulators, front door) and, when the server runs there, PostgreSQL.
type cpuMark struct {
	server, worker, bench, postgres time.Duration
}

func (s *stack) markCPU(ctx context.Context, workerPID, serverPID int, pgBefore map[int]time.Duration) (cpuMark, error) {
	var m cpuMark
	var err1, err2, err3, err4 error
	m.server, err1 = cpuTime(serverPID)
	m.worker, err2 = cpuTime(workerPID)
	m.bench, err3 = cpuTime(os.Getpid())
	if len(s.temporal.databases) > 0 {
		m.postgres, err4 = postgresCPUSince(ctx, s.temporal.opts.postgresDSN, s.temporal.databases, pgBefore)
	}
	return m, errors.Join(err1, err2, err3, err4)
}

func (m cpuMark) sub(o cpuMark) cpuMark {
	return cpuMark{server: m.server - o.server, worker: m.worker - o.worker, bench: m.bench - o.bench, postgres: m.postgres - o.postgres}
}

func (m cpuMark) total() time.Duration { return m.server + m.worker + m.bench + m.postgres }

// perCandidate is the CPU each of n candidates cost, process by process, as a table value, with
// the figure's name; and the candidates per second this machine's cores allow at that cost.
func (m cpuMark) perCandidate(n int) (figure, value string, coresAllow float64) {
	per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(n) }
	figure, value = "server / worker / bench process", fmt.Sprintf("%.1f ms / %.1f ms / %.1f ms", per(m.server), per(m.worker), per(m.bench))
	if m.postgres > 0 {
		figure += " / PostgreSQL"
		value += fmt.Sprintf(" / %.1f ms", per(m.postgres))
	}
	return figure, value, float64(runtime.NumCPU()) * 1000 / per(m.total())
}

// boundRows say what bounds the rate at which candidates reach a state (phase: "waiting", or
// "completed" in the drain): the CPU each one cost over the phase set against what this
// machine's cores can give, and the Lever calls each one made set against the accounts' Lever
// budgets. The smaller of the two rates is the limit; a measured rate well below both points at
// waiting, not work (locks, queues).
func boundRows(phase string, used cpuMark, n int, elapsed time.Duration, accounts, leverCalls int) []row {
	if n == 0 || elapsed <= 0 {
		return []row{infoRow("4", "what bounds the rate to "+phase, "not measured: none "+phase)}
	}
	procs, cost, cpuRate := used.perCandidate(n)
	callsPer := float64(leverCalls) / float64(n)
	leverRate := float64(accounts) * leverRate / callsPer
	limit := "this machine's CPU"
	if leverRate < cpuRate {
		limit = "Lever's budget"
	}
	return []row{
		infoRow("4", "CPU per candidate to "+phase+": "+procs, cost),
		infoRow("4", fmt.Sprintf("candidates reaching %s per second: measured / what %d cores allow at that CPU / what Lever's budget allows (%d accounts × 10 calls/s ÷ %.2f calls each)", phase, runtime.NumCPU(), accounts, callsPer),
			fmt.Sprintf("%.1f/s / %.1f/s / %.1f/s", float64(n)/elapsed.Seconds(), cpuRate, leverRate)),
		infoRow("4", "the lower of the two bounds to "+phase+", the limit", limit),
	}
}

// idleCPU is the CPU the processes use over window while nothing is asked of them.
func (s *stack) idleCPU(ctx context.Context, workerPID, serverPID int, pgBefore map[int]time.Duration, window time.Duration) (cpuMark, error) {
	before, err := s.markCPU(ctx, workerPID, serverPID, pgBefore)
	if err != nil {
		return cpuMark{}, err
	}
	if err := pause(ctx, window); err != nil {
		return cpuMark{}, err
	}
	after, err := s.markCPU(ctx, workerPID, serverPID, pgBefore)
	return after.sub(before), err
}

// awaitAccountPollers waits until the worker polls every account's Lever queue (it reads the
// account list every 10 s).
func (s *stack) awaitAccountPollers(ctx context.Context, accts []account) error {
	deadline := time.Now().Add(time.Minute)
	for _, a := range accts {
		queue := workflows.LeverTaskQueue(s.cfg.TaskQueue, a.id)
		for {
			resp, err := s.tc.DescribeTaskQueue(ctx, queue, enumspb.TASK_QUEUE_TYPE_ACTIVITY)
			if err != nil {
				return fmt.Errorf("describe task queue %s: %w", queue, err)
			}
			if len(resp.GetPollers()) > 0 {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no worker polls %s after a minute", queue)
			}
			if err := pause(ctx, 200*time.Millisecond); err != nil {
				return err
			}
		}
	}
	return nil
}
