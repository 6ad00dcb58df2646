package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
)

// PurgeInput names the candidate workflow whose history is to be deleted.
type PurgeInput struct {
	WorkflowID string
	// CancelSignal is the name and Reason the signal a still running run receives first.
	CancelSignal string
	CancelArg    any
}

// errStillRunning keeps the purge retrying until the candidate's run has closed.
var errStillRunning = errors.New("candidate workflow still running; cancel signalled")

// DeleteCandidateHistory deletes every run of a candidate's workflow from Temporal: its
// history holds the candidate's name, email and scores. A run still going is first asked to
// stop (it withdraws the invitation), and the activity fails retryably until it has closed.
func (a *Activities) DeleteCandidateHistory(ctx context.Context, in PurgeInput) (int, error) {
	if a.temporal == nil {
		return 0, permanent(ErrTypeInvalidInput, "purge: no Temporal client configured for the activities")
	}
	if in.WorkflowID == "" || strings.ContainsAny(in.WorkflowID, `'"\`) {
		return 0, permanent(ErrTypeInvalidInput, "purge: invalid workflow id")
	}
	runs, err := a.runs(ctx, in.WorkflowID)
	if err != nil {
		return 0, err
	}
	for _, r := range runs {
		if r.running {
			err := a.temporal.SignalWorkflow(ctx, in.WorkflowID, r.runID, in.CancelSignal, in.CancelArg)
			var notFound *serviceerror.NotFound
			if err != nil && !errors.As(err, &notFound) {
				return 0, fmt.Errorf("purge: signal cancel: %w", err)
			}
			return 0, errStillRunning
		}
	}
	for _, r := range runs {
		_, err := a.temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
			Namespace:         a.namespace,
			WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: in.WorkflowID, RunId: r.runID},
		})
		var notFound *serviceerror.NotFound
		if err != nil && !errors.As(err, &notFound) {
			return 0, fmt.Errorf("purge: delete run: %w", err)
		}
	}
	return len(runs), nil
}

type runRef struct {
	runID   string
	running bool
}

// runs lists a workflow id's runs from visibility; the latest from Describe as well, since
// visibility may lag a moment behind.
func (a *Activities) runs(ctx context.Context, workflowID string) ([]runRef, error) {
	seen := map[string]bool{}
	var out []runRef
	if d, err := a.temporal.DescribeWorkflowExecution(ctx, workflowID, ""); err == nil {
		info := d.GetWorkflowExecutionInfo()
		out = append(out, runRef{runID: info.GetExecution().GetRunId(), running: info.GetCloseTime() == nil})
		seen[info.GetExecution().GetRunId()] = true
	} else if !errors.As(err, new(*serviceerror.NotFound)) {
		return nil, fmt.Errorf("purge: describe: %w", err)
	}
	var token []byte
	for {
		resp, err := a.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: a.namespace, Query: fmt.Sprintf("WorkflowId = '%s'", workflowID), NextPageToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("purge: list runs: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			if id := e.GetExecution().GetRunId(); !seen[id] {
				seen[id] = true
				out = append(out, runRef{runID: id, running: e.GetCloseTime() == nil})
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return out, nil
		}
	}
}
