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

// meter reads the CPU a scenario's processes have used: its first worker, its server and, when
// the server runs on PostgreSQL, PostgreSQL's processes counted from the meter's start.
type meter struct {
	s                    *stack
	workerPID, serverPID int
	pgBefore             map[int]time.Duration
	pgErr                error // reading pgBefore
}

func (s *stack) newMeter(ctx context.Context) *meter {
	m := &meter{s: s, workerPID: s.workerPIDs()[0], serverPID: s.temporal.cmd.Process.Pid}
	if len(s.temporal.databases) > 0 {
		m.pgBefore, m.pgErr = postgresCPU(ctx, s.temporal.opts.postgresDSN, s.temporal.databases)
	}
	return m
}

func (m *meter) mark(ctx context.Context) (cpuMark, error) {
	var c cpuMark
	var err1, err2, err3, err4 error
	c.server, err1 = cpuTime(m.serverPID)
	c.worker, err2 = cpuTime(m.workerPID)
	c.bench, err3 = cpuTime(os.Getpid())
	if t := m.s.temporal; len(t.databases) > 0 {
		c.postgres, err4 = postgresCPUSince(ctx, t.opts.postgresDSN, t.databases, m.pgBefore)
	}
	return c, errors.Join(err1, err2, err3, err4)
}

// since is the CPU used from a mark (taken with fromErr) until now.
func (m *meter) since(ctx context.Context, from cpuMark, fromErr error) (cpuMark, error) {
	now, err := m.mark(ctx)
	return now.sub(from), errors.Join(fromErr, err)
}

// idle is the CPU the processes use over window while nothing is asked of them.
func (m *meter) idle(ctx context.Context, window time.Duration) (cpuMark, error) {
	from, err := m.mark(ctx)
	if err != nil {
		return cpuMark{}, err
	}
	if err := pause(ctx, window); err != nil {
		return cpuMark{}, err
	}
	return m.since(ctx, from, nil)
}

// postgresRows: on PostgreSQL the server's persistence runs in other processes, on the same
// cores; without their CPU the server's would look cheaper than it is.
func (m *meter) postgresRows(ctx context.Context) []row {
	if len(m.s.temporal.databases) == 0 {
		return nil
	}
	const figure = "CPU used: PostgreSQL (backends of the server's databases alive at the end, and its background processes)"
	used, err := m.mark(ctx)
	if err = errors.Join(m.pgErr, err); err != nil {
		return []row{infoRow("4", figure, "n/a: "+oneLine(err.Error()))}
	}
	return []row{infoRow("4", figure, seconds(used.postgres.Seconds()))}
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
func boundRows(phase string, used cpuMark, usedErr error, n int, elapsed time.Duration, accounts, leverCalls int) []row {
	if usedErr != nil {
		return []row{infoRow("4", "what bounds the rate to "+phase, oneLine(usedErr.Error()))}
	}
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
