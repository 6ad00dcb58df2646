package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
)

// Lever signs a delivery's token and time but not its data, so a delivery that claims a
// candidate was archived, hired or deleted is only a hint: before anything is cancelled or
// purged, Lever itself is asked.

// ConfirmCancelWorkflowName checks in Lever that a candidate was archived (or hired, which
// archives them) before their journey is cancelled.
const ConfirmCancelWorkflowName = "ConfirmLeverCancel"

// ErrTypeNotConfirmed: Lever does not show what a delivery claimed; nothing was done.
const ErrTypeNotConfirmed = "NotConfirmedByLever"

// ConfirmCancelInput names the candidate and the cancel to send once Lever confirms it.
type ConfirmCancelInput struct {
	AccountID     string
	OpportunityID string
	Signal        CancelSignal
}

// ConfirmCancelWorkflowID is one check per candidate; a repeated delivery joins it.
func ConfirmCancelWorkflowID(account, opportunity string) string {
	return "cancel/" + WorkflowID(account, opportunity)
}

// ConfirmCancel reads the opportunity; only when Lever shows it archived does it send the cancel
// signal to the candidate's journey. Otherwise it fails with ErrTypeNotConfirmed, so the attempt
// stays visible to operators (ExecutionStatus = "Failed"), and the journey is left alone.
func ConfirmCancel(ctx workflow.Context, in ConfirmCancelInput) (string, error) {
	st, err := leverState(ctx, in.AccountID, in.OpportunityID)
	switch {
	case err != nil:
		return "", err
	case !st.archived: // a deleted candidate is not archived either
		return "", temporal.NewNonRetryableApplicationError(
			"not cancelled: Lever does not show the candidate archived ("+in.Signal.Reason+" was claimed by a delivery)", ErrTypeNotConfirmed, nil)
	}
	err = workflow.SignalExternalWorkflow(ctx, WorkflowID(in.AccountID, in.OpportunityID), "", SignalCancel, in.Signal).Get(ctx, nil)
	var unknown *temporal.UnknownExternalWorkflowExecutionError
	if errors.As(err, &unknown) {
		return "no journey running", nil
	}
	if err != nil {
		return "", err
	}
	return "cancel sent", nil
}

// shortOptions are the activity options of the short workflows (purge, checks): they keep
// trying while Lever or Temporal is unreachable, never waiting more than a minute between tries.
func shortOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		HeartbeatTimeout:    activityOptions().HeartbeatTimeout, // a dead worker's attempt is retried within seconds
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	}
}

// leverFacts is what Lever shows of an opportunity.
type leverFacts struct {
	deleted, archived bool
}

// leverState reads the opportunity on the account's Lever queue (within its rate), retrying
// while Lever is unreachable.
func leverState(ctx workflow.Context, accountID, opportunityID string) (leverFacts, error) {
	ctx = workflow.WithActivityOptions(ctx, shortOptions())
	ctx = workflow.WithTaskQueue(ctx, LeverTaskQueue(workflow.GetInfo(ctx).TaskQueueName, accountID))
	var st activities.StageState
	err := workflow.ExecuteActivity(ctx, a.CurrentStage, activities.StageInput{AccountID: accountID, OpportunityID: opportunityID}).Get(ctx, &st)
	if notFound(err) {
		return leverFacts{deleted: true}, nil
	}
	if err != nil {
		return leverFacts{}, err
	}
	return leverFacts{archived: st.Archived}, nil
}
