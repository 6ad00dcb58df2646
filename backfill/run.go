package backfill

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"golang.org/x/time/rate"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows"
)

// Run lists the account's active opportunities in the backfill stages and, for each, reports
// (dry run) or starts (o.Apply) its CandidateAssessment workflow on taskQueue (empty:
// workflows.TaskQueue). Starts are paced at o.Rate. Nothing starts when the listing fails. A
// failed start stops the run and returns the report so far; running it again is safe, since
// started workflows are then reported as already running.
func Run(ctx context.Context, lc *lever.Client, tc client.Client, taskQueue string, acct store.Account, o Options) (Report, error) {
	s, err := o.check(acct)
	if err != nil {
		return Report{}, fmt.Errorf("backfill: %w", err)
	}
	if lc == nil || tc == nil {
		return Report{}, errors.New("backfill: need a lever client and a temporal client")
	}
	if taskQueue == "" {
		taskQueue = workflows.TaskQueue
	}
	listed, err := lc.ListOpportunities(ctx, lever.OpportunityFilter{StageIDs: s.stages})
	if err != nil {
		return Report{}, fmt.Errorf("backfill: list opportunities of account %s: %w", acct.ID, err)
	}
	opps, err := unique(listed)
	if err != nil {
		return Report{}, fmt.Errorf("backfill: account %s: %w", acct.ID, err)
	}
	b := &backfiller{
		tc: tc, taskQueue: taskQueue, accountID: acct.ID, s: s,
		limiter: rate.NewLimiter(rate.Limit(s.rate), 1), // burst 1: starts evenly spaced
	}
	rep := Report{Listed: len(opps)}
	for _, opp := range opps {
		out, err := b.one(ctx, opp)
		if err != nil {
			return rep, fmt.Errorf("backfill: opportunity %s: %w", opp.ID, err)
		}
		rep.add(out)
		fmt.Fprintf(s.out, "%s %s %s\n", opp.ID, opp.StageID, out)
	}
	return rep, nil
}

// unique drops repeats (offset pages can list an opportunity twice when others move between
// pages) and refuses an opportunity without id before anything starts.
func unique(opps []lever.Opportunity) ([]lever.Opportunity, error) {
	seen := make(map[string]bool, len(opps))
	out := make([]lever.Opportunity, 0, len(opps))
	for _, o := range opps {
		if o.ID == "" {
			return nil, errors.New("lever listed an opportunity without an id")
		}
		if !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	return out, nil
}

type backfiller struct {
	tc        client.Client
	taskQueue string
	accountID string
	s         settings
	limiter   *rate.Limiter
}

// one reports or starts one candidate's workflow.
func (b *backfiller) one(ctx context.Context, opp lever.Opportunity) (outcome, error) {
	switch {
	case opp.Archived != nil:
		return skippedArchived, nil
	case !slices.Contains(b.s.stages, opp.StageID):
		return skippedOtherStage, nil
	}
	id := workflows.WorkflowID(b.accountID, opp.ID)
	before, err := describe(ctx, b.tc, id)
	if err != nil {
		return 0, err
	}
	switch {
	case before.status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		return alreadyRunning, nil // a start would only join it: spend no start on it
	case !b.s.apply && before.status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		return alreadyDone, nil // the reuse policy would refuse the start
	case !b.s.apply:
		return wouldStart, nil
	}
	if err := b.limiter.Wait(ctx); err != nil {
		return 0, fmt.Errorf("pace starts: %w", err)
	}
	// Started exactly as a webhook starts it, so a later webhook joins or refuses it the same.
	// A backfill never re-invites a completed journey: the candidate never re-entered the stage.
	in := workflows.Input{AccountID: b.accountID, OpportunityID: opp.ID, TriggerStageID: opp.StageID, TriggeredAt: time.Now()}
	opts, in := workflows.StartOptions(b.taskQueue, in, enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
	run, err := b.tc.ExecuteWorkflow(ctx, opts, workflows.WorkflowName, in)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &already):
		return alreadyDone, nil
	case err != nil:
		return 0, fmt.Errorf("start workflow %s: %w", id, err)
	case before.runID != "" && run.GetRunID() == before.runID:
		// The SDK reports a start the reuse policy refused as success, handing back the closed
		// run: the same run id as before means nothing new started.
		return alreadyDone, nil
	}
	// A different run id is a new run: ours, or one a webhook started a moment ago (which the
	// USE_EXISTING policy joined). Either way the candidate now has a fresh workflow.
	return started, nil
}

// latest is a workflow's latest run as DescribeWorkflowExecution saw it; zero when none exists.
type latest struct {
	runID  string
	status enumspb.WorkflowExecutionStatus
}

func describe(ctx context.Context, tc client.Client, id string) (latest, error) {
	desc, err := tc.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return latest{}, nil
	}
	if err != nil {
		return latest{}, fmt.Errorf("describe workflow %s: %w", id, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	return latest{runID: info.GetExecution().GetRunId(), status: info.GetStatus()}, nil
}
