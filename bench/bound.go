package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
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

// boundRows say what bounds the rate at which candidates reach a state (phase: "waiting", or
// "completed" in the drain): the CPU each one cost over the phase set against what this machine's cores can give, and the
// Lever calls each one made set against the accounts' Lever budgets. The smaller of the two rates
// is the limit; a measured rate well below both points at waiting, not work (locks, queues).
func boundRows(phase string, used cpuMark, waiting int, elapsed time.Duration, accounts, leverCalls int) []row {
	if waiting == 0 || elapsed <= 0 {
		return []row{infoRow("4", "what bounds the rate to "+phase, "not measured: none "+phase)}
	}
	per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(waiting) }
	cost := fmt.Sprintf("%.1f ms / %.1f ms / %.1f ms", per(used.server), per(used.worker), per(used.bench))
	figure := "CPU per candidate to " + phase + ": server / worker / bench process"
	if used.postgres > 0 {
		figure += " / PostgreSQL"
		cost += fmt.Sprintf(" / %.1f ms", per(used.postgres))
	}
	cores := runtime.NumCPU()
	cpuRate := float64(cores) * 1000 / per(used.total())
	callsPer := float64(leverCalls) / float64(waiting)
	leverRate := float64(accounts) * leverRate / callsPer
	limit := "this machine's CPU"
	if leverRate < cpuRate {
		limit = "Lever's budget"
	}
	return []row{
		infoRow("4", figure, cost),
		infoRow("4", fmt.Sprintf("candidates reaching %s per second: measured / what %d cores allow at that CPU / what Lever's budget allows (%d accounts × 10 calls/s ÷ %.2f calls each)", phase, cores, accounts, callsPer),
			fmt.Sprintf("%.1f/s / %.1f/s / %.1f/s", float64(waiting)/elapsed.Seconds(), cpuRate, leverRate)),
		infoRow("4", "the lower of the two bounds to "+phase+", the limit", limit),
	}
}
