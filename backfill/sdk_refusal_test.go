package backfill_test

import (
	"context"
	"errors"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/assessbridge/assessbridge/workflows"
)

// TestSDKRefusedStartIsNoError pins the SDK behaviour Run relies on: a start the reuse policy
// refuses (the journey completed) comes back without error, carrying the closed run's id,
// unless WorkflowExecutionErrorWhenAlreadyStarted is set. So telling "already completed" apart
// needs the run id seen before the start; checking for WorkflowExecutionAlreadyStarted alone
// never fires.
func TestSDKRefusedStartIsNoError(t *testing.T) {
	e := newEnv(t, nil)
	doneRun := e.complete("opp-1")
	tests := []struct {
		name      string
		errorWhen bool
		wantErr   bool
	}{
		{"default options", false, false},
		{"error when already started", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := e.tc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
				ID:                                       e.id("opp-1"),
				TaskQueue:                                noWorkerQueue,
				WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
				WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
				WorkflowExecutionErrorWhenAlreadyStarted: tt.errorWhen,
			}, workflows.WorkflowName, workflows.Input{AccountID: e.acct.ID, OpportunityID: "opp-1"})
			var already *serviceerror.WorkflowExecutionAlreadyStarted
			if got := errors.As(err, &already); got != tt.wantErr {
				t.Fatalf("WorkflowExecutionAlreadyStarted: got %v (err %v), want %v", got, err, tt.wantErr)
			}
			if err == nil && run.GetRunID() != doneRun {
				t.Errorf("run id: got %s, want the completed run %s", run.GetRunID(), doneRun)
			}
		})
	}
}
