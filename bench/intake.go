package main

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/assessbridge/assessbridge/workflows"
)

// intakeQueue has no worker: goal 1 compares two ways of starting workflows, and a worker
// running them would spend the same CPU on both unevenly.
const intakeQueue = "bench-intake"

// intake (goal 1): signed webhooks through the front door against raw client.ExecuteWorkflow
// with the very same start options, on one server, in alternating rounds so that neither path
// gets the emptier database or the cooler machine.
func intake(ctx context.Context, r *runner) ([]row, []string, error) {
	p := r.plan
	s, err := startStack(ctx, r, "intake", stackOptions{taskQueue: intakeQueue})
	if err != nil {
		return nil, nil, err
	}
	defer s.stop()
	acct, err := s.addAccount(ctx, "intake", 0) // no worker reads Lever here
	if err != nil {
		return nil, nil, err
	}
	hook := func(prefix string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			return s.hooks.stageChange(ctx, acct, fmt.Sprintf("%s-%06d", prefix, i))
		}
	}
	raw := func(prefix string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			in := workflows.Input{AccountID: acct.id, OpportunityID: fmt.Sprintf("%s-%06d", prefix, i),
				TriggerStageID: triggerStage, TriggeredAt: time.Now()}
			opts, in := workflows.StartOptions(intakeQueue, in, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
			_, err := s.tc.ExecuteWorkflow(ctx, opts, workflows.WorkflowName, in)
			return err
		}
	}
	conc := p.intakeConcurrency
	warm := parallel(ctx, 64, conc, hook("warm-hook"))
	warm = merge(warm, parallel(ctx, 64, conc, raw("warm-raw")))
	if warm.errors > 0 {
		return nil, nil, fmt.Errorf("warm-up: %d failed: %w", warm.errors, warm.firstErr)
	}
	per := p.intakeStarts / p.intakeRounds
	var hooks, raws outcome
	for round := range p.intakeRounds {
		first, second := "raw", "webhook"
		if round%2 == 1 {
			first, second = second, first
		}
		for _, path := range []string{first, second} {
			prefix := fmt.Sprintf("%s-r%d", path, round)
			if path == "raw" {
				o := parallel(ctx, per, conc, raw(prefix))
				raws = merge(raws, o)
				r.log("  round %d raw: %d starts in %s", round+1, o.ok(), o.elapsed.Round(time.Millisecond))
			} else {
				o := parallel(ctx, per, conc, hook(prefix))
				hooks = merge(hooks, o)
				r.log("  round %d webhooks: %d starts in %s", round+1, o.ok(), o.elapsed.Round(time.Millisecond))
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if hooks.errors > 0 || raws.errors > 0 {
		return nil, nil, fmt.Errorf("%d webhooks and %d raw starts failed; first: %v", hooks.errors, raws.errors, firstOf(hooks.firstErr, raws.firstErr))
	}
	// Every accepted webhook must have started a workflow, or the rate means nothing. The
	// visibility store trails the starts by a moment.
	all := fmt.Sprintf("WorkflowType = '%s'", workflows.WorkflowName)
	want := 2*64 + 2*per*p.intakeRounds
	_, listed, ok, err := s.waitCount(ctx, all, want, time.Minute, func(int) {})
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, fmt.Errorf("server lists %d workflows after the starts, want %d", listed, want)
	}
	ratioV := hooks.rate() / raws.rate()
	rows := []row{
		infoRow("1", fmt.Sprintf("webhook intake, concurrency %d: workflows started", conc), perSecond(hooks.rate())),
		infoRow("1", fmt.Sprintf("raw client.ExecuteWorkflow, concurrency %d: workflows started", conc), perSecond(raws.rate())),
		atLeast("1", "webhook intake ÷ raw starts", ratioV, 0.8, ratio(ratioV), "≥ 0.80"),
		infoRow("1", "webhook acknowledgement latency p50 / p99", fmt.Sprintf("%s / %s", millis(ms(percentile(hooks.latencies, 50))), millis(ms(percentile(hooks.latencies, 99))))),
		infoRow("1", "raw start latency p50 / p99", fmt.Sprintf("%s / %s", millis(ms(percentile(raws.latencies, 50))), millis(ms(percentile(raws.latencies, 99))))),
	}
	note := fmt.Sprintf("goal 1: %d starts per path in %d alternating rounds after 64+64 warm-up starts, on a task queue without workers (starts only).",
		per*p.intakeRounds, p.intakeRounds)
	return rows, []string{note}, nil
}

func firstOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
