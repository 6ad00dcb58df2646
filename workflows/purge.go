package workflows

import (
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/assessbridge/assessbridge/activities"
)

// PurgeWorkflowName is the GDPR purge: a candidate deleted in Lever (or named by an operator)
// loses their workflow history, which holds their name, email and scores.
const PurgeWorkflowName = "PurgeCandidate"

// PurgeInput names the candidate.
type PurgeInput struct {
	AccountID     string
	OpportunityID string
	// IfDeletedInLever purges only when Lever answers 404 for the opportunity: set for a
	// candidateDeleted delivery, whose data Lever does not sign. An operator's purge (command,
	// admin page) does not need Lever's word.
	IfDeletedInLever bool
}

// PurgeWorkflowID is one purge per candidate; a repeated deletion joins it.
func PurgeWorkflowID(account, opportunity string) string {
	return "purge/" + WorkflowID(account, opportunity)
}

// PurgeCandidate stops the candidate's journey if it still runs (withdrawing the invitation, no
// Cancelled tag: the candidate is gone from Lever) and then deletes every run's history. For a
// deletion Lever reported, it first makes sure Lever answers 404 for the candidate. It keeps
// trying until that is done; its own history holds only ids. It returns how many runs were
// deleted.
func PurgeCandidate(ctx workflow.Context, in PurgeInput) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, shortOptions())
	if in.IfDeletedInLever {
		st, err := leverState(ctx, in.AccountID, in.OpportunityID)
		if err != nil {
			return 0, err
		}
		if !st.deleted {
			return 0, temporal.NewNonRetryableApplicationError(
				"not purged: Lever still has the opportunity, so the deletion a delivery claimed is not confirmed", ErrTypeNotConfirmed, nil)
		}
	}
	var n int
	err := workflow.ExecuteActivity(ctx, a.DeleteCandidateHistory, activities.PurgeInput{
		WorkflowID:   WorkflowID(in.AccountID, in.OpportunityID),
		CancelSignal: SignalCancel,
		CancelArg:    CancelSignal{Reason: "candidate data purged", Kind: CancelDeleted},
	}).Get(ctx, &n)
	return n, err
}
