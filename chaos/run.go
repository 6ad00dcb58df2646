package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	leversim "github.com/assessbridge/assessbridge/sim/lever"
)

// settle is how long the run waits, once every workflow has closed, before the final count, so
// a late duplicate would still be seen.
const settle = 3 * time.Second

// Run deploys the stack, lets the candidates through it under the planned chaos and reports.
// The error is for a run that could not be carried out; a carried-out run that lost, duplicated
// or leaked anything returns a report whose ok() is false.
func Run(ctx context.Context, cfg Config) (*report, error) {
	cfg = cfg.withDefaults()
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64()
	}
	p := newPlan(cfg, rand.New(rand.NewPCG(cfg.Seed, ^cfg.Seed)), newSecret)
	fmt.Fprintf(cfg.Progress, "chaos: %d candidates over %d Lever accounts, %d worker processes, seed %d\n",
		cfg.Candidates, len(p.accounts), cfg.Workers, cfg.Seed)
	fmt.Fprintf(cfg.Progress, "  data and logs in %s\n", cfg.Dir)
	began := time.Now()
	d, err := deploy(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	fmt.Fprintf(cfg.Progress, "  stack up in %s: dev (Temporal server, front door) and %d workers\n", since(began), cfg.Workers)

	// The double-write trap once: a result note is written, then its connection dropped.
	d.lever.InjectFault(leversim.Fault{Method: "POST", PathContains: "/notes", AfterApply: true, DropConnection: true})
	d.lever.SetFaultRates(&leversim.FaultRates{Seed: p.faultSeed, ServerError: shareServerError, TooMany: shareTooMany,
		Slow: shareSlow, SlowDelay: leverClientTimeout + 5*time.Second})
	r, err := drive(ctx, cfg, d, p)
	if err != nil {
		return nil, err
	}
	d.stop() // the logs are complete only once the processes have ended

	for _, pr := range append([]*proc{d.dev}, d.workers...) {
		r.problems = append(r.problems, pr.unexpectedExits()...)
	}
	r.faults = d.lever.FaultCounts()
	for _, a := range p.accounts {
		r.leverCalls += d.lever.Calls(a.id).Total
		r.templates = max(r.templates, len(d.lever.Templates(a.id)))
	}
	if pw, err := os.ReadFile(filepath.Join(d.dataDir, "admin-password")); err == nil {
		d.secrets["admin password"] = strings.TrimSpace(string(pw))
	}
	r.secretsScanned = len(d.secrets)
	if r.leaks, r.logBytes, err = scanLogs(cfg.Dir, d.secrets); err != nil {
		return r, err
	}
	return r, nil
}

// drive runs the webhooks, the candidates and the kills until every candidate's journey is over
// (or the timeout passes), then counts what the simulators recorded.
func drive(ctx context.Context, cfg Config, d *deployment, p *plan) (*report, error) {
	runCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	h := newHooks(d.frontURL, d.lever)
	pl := newPlayer(d.platform, p.byRef)
	k := &killer{d: d, progress: cfg.Progress}
	start := time.Now()
	var drivers sync.WaitGroup
	for _, c := range p.candidates {
		drivers.Go(func() { h.drive(runCtx, start, c) })
	}
	drivers.Go(func() { k.run(runCtx, start, p) })
	driversDone := make(chan struct{})
	go func() {
		drivers.Wait()
		close(driversDone)
	}()
	var watching sync.WaitGroup
	watching.Go(func() { pl.watch(runCtx) })
	defer func() { // on every path, so no driver outlives the run
		cancel()
		watching.Wait()
		pl.wait()
		<-driversDone
	}()

	finished := awaitFinished(runCtx, d, p, driversDone, start, cfg.Progress) && awaitClosed(runCtx, d, p)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	if finished {
		_ = sleepFor(runCtx, settle)
	}
	took := time.Since(start)
	d.lever.SetFaultRates(nil)
	checkCtx, checkCancel := context.WithTimeout(context.Background(), time.Minute)
	defer checkCancel()
	vs := evaluate(d, p)
	workflowStatuses(checkCtx, d, vs)
	r := &report{cfg: cfg, accounts: len(p.accounts), took: took, timedOut: !finished, verdicts: vs, hooks: h, player: pl}
	for _, v := range vs {
		if !v.ok() && len(r.explained) < 10 {
			r.explained = append(r.explained, v.String()+"; "+explain(checkCtx, d, v))
		}
	}
	cancel()
	<-driversDone // every counter is final from here on
	watching.Wait()
	pl.wait()
	r.workerKills, r.devKills, r.devDown = k.workerKills, k.devKills, k.devDown
	r.problems = append(append(append(r.problems, k.failures...), h.problems...), pl.problems...)
	if k.workerKills < cfg.WorkerKills || k.devKills < cfg.DevKills {
		r.problems = append(r.problems, fmt.Sprintf("kills carried out: %d of %d worker, %d of %d dev",
			k.workerKills, cfg.WorkerKills, k.devKills, cfg.DevKills))
	}
	return r, nil
}

// awaitFinished waits until every webhook has been delivered, every kill carried out and every
// candidate has an invitation, a note and a feedback; false if ctx ends first.
func awaitFinished(ctx context.Context, d *deployment, p *plan, driversDone <-chan struct{}, start time.Time, out io.Writer) bool {
	lastReport := time.Now()
	for {
		done := 0
		for _, v := range evaluate(d, p) {
			if !v.lost() {
				done++
			}
		}
		select {
		case <-driversDone:
			if done == len(p.candidates) {
				fmt.Fprintf(out, "  t+%s  all %d candidates have their results\n", since(start), done)
				return true
			}
		default:
		}
		if time.Since(lastReport) >= 15*time.Second {
			fmt.Fprintf(out, "  t+%s  %d of %d candidates have their results\n", since(start), done, len(p.candidates))
			lastReport = time.Now()
		}
		if sleepFor(ctx, time.Second) != nil {
			return false
		}
	}
}

// awaitClosed waits until every candidate's workflow has closed; false if ctx ends first.
func awaitClosed(ctx context.Context, d *deployment, p *plan) bool {
	for !allClosed(ctx, d, p) {
		if sleepFor(ctx, time.Second) != nil {
			return false
		}
	}
	return true
}
